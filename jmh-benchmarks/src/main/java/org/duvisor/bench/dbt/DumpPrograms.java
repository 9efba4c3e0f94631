package org.duvisor.bench.dbt;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes the code of every benchmark program as raw binaries (one per contiguous run of words)
 * for checking the hand encodings:
 * {@code riscv64-linux-gnu-objdump -D -b binary -m riscv:rv64 -M no-aliases --adjust-vma=ADDR FILE}.
 * Usage: {@code java -cp benchmarks.jar org.duvisor.bench.dbt.DumpPrograms DIR}.
 */
public final class DumpPrograms {
    private DumpPrograms() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "dbt-programs");
        Files.createDirectories(dir);
        List<Program> all = List.of(Programs.ring(true), Programs.ring(false), Programs.indirect("missed"),
                Programs.indirect("predicted"), Programs.indirect("one-region"), Programs.memory("none", false),
                Programs.memory("load", false), Programs.memory("store", false));
        for (Program p : all) {
            TreeMap<Long, Integer> words = p.asm().words();
            long start = -1, next = -1;
            ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            for (Map.Entry<Long, Integer> e : words.entrySet()) {
                if (e.getKey() != next && start >= 0) {
                    write(dir, p, start, buf);
                    start = -1;
                }
                if (start < 0) start = e.getKey();
                buf.putInt(e.getValue());
                next = e.getKey() + 4;
            }
            if (start >= 0) write(dir, p, start, buf);
        }
    }

    private static void write(Path dir, Program p, long start, ByteBuffer buf) throws IOException {
        byte[] bytes = new byte[buf.position()];
        buf.flip().get(bytes);
        buf.clear();
        Path f = dir.resolve(p.name() + "@" + Long.toHexString(start) + ".bin");
        Files.write(f, bytes);
        System.out.println(f + " vma=0x" + Long.toHexString(start));
    }
}
