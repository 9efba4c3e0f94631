package org.duvisor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs {@code dv} in this JVM ({@link Main#execute}) or as a child JVM ({@link Main#main}), and builds test executables. */
final class Cli {
    private Cli() {
    }

    record Result(int exit, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }

        /** Exactly one line on stderr, starting with {@code prefix}, and nothing that looks like a stack trace. */
        Result oneErrorLine(String prefix) {
            assertThat(err).as("stderr").endsWith("\n");
            assertThat(errLines()).as("stderr lines").hasSize(1);
            assertThat(err).as("stderr").startsWith(prefix).doesNotContain("Exception").doesNotContain("\tat ");
            return this;
        }
    }

    /** {@code dv args...} in this JVM, with picocli's output captured. */
    static Result inProcess(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int exit;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            exit = Main.execute(args, o, e);
        }
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** {@code dv args...} as its own JVM, the way the {@code dv} launcher starts it, with stdin from /dev/null. */
    static Result childJvm(String... args) throws IOException, InterruptedException {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED",
                "-Xss8m", "-cp", cp, Main.class.getName()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile("dv-out", ".txt"), err = Files.createTempFile("dv-err", ".txt");
        try {
            Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("dv " + String.join(" ", args) + " timed out");
            }
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /**
     * A minimal static RV64 executable written from the ELF64 and RISC-V psABI layouts: one
     * read+execute PT_LOAD segment holding the headers and three instructions,
     * {@code li a0, status; li a7, 93 (exit); ecall}.
     */
    static byte[] tinyExitElf(int status) {
        int[] code = {
                (status & 0xFFF) << 20 | 10 << 7 | 0x13, // addi a0, zero, status
                93 << 20 | 17 << 7 | 0x13, // addi a7, zero, 93
                0x0000_0073, // ecall
        };
        long vaddr = 0x10000;
        int ehdr = 64, phdr = 56, size = ehdr + phdr + 4 * code.length;
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[]{0x7f, 'E', 'L', 'F', 2 /* ELFCLASS64 */, 1 /* little-endian */, 1 /* EV_CURRENT */, 0 /* SysV */});
        b.put(new byte[8]);
        b.putShort((short) 2); // ET_EXEC
        b.putShort((short) 243); // EM_RISCV
        b.putInt(1); // e_version
        b.putLong(vaddr + ehdr + phdr); // e_entry
        b.putLong(ehdr); // e_phoff
        b.putLong(0); // e_shoff
        b.putInt(0x5); // e_flags: RVC, double-float ABI
        b.putShort((short) ehdr);
        b.putShort((short) phdr);
        b.putShort((short) 1); // e_phnum
        b.putShort((short) 64); // e_shentsize
        b.putShort((short) 0); // e_shnum
        b.putShort((short) 0); // e_shstrndx
        b.putInt(1); // PT_LOAD
        b.putInt(4 | 1); // PF_R | PF_X
        b.putLong(0); // p_offset
        b.putLong(vaddr); // p_vaddr
        b.putLong(vaddr); // p_paddr
        b.putLong(size); // p_filesz
        b.putLong(size); // p_memsz
        b.putLong(0x1000); // p_align
        for (int w : code) b.putInt(w);
        return b.array();
    }
}
