package org.duvisor.rv64.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every refusal of {@link ElfLoader}, made by patching a good static executable, with its exact message. */
class ElfLoaderTest {
    private byte[] good;
    private ByteBuffer view;

    @BeforeEach
    void compile() throws Exception {
        good = Files.readAllBytes(Toolchain.compile("hello"));
        view = ByteBuffer.wrap(good).order(ByteOrder.LITTLE_ENDIAN);
    }

    private byte[] copy() {
        return Arrays.copyOf(good, good.length);
    }

    private static ByteBuffer le(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    private long phoff() {
        return view.getLong(32);
    }

    /** Offsets of the PT_LOAD program headers in the good file. */
    private List<Integer> loadHeaders() {
        List<Integer> out = new ArrayList<>();
        int n = view.getShort(56);
        for (int i = 0; i < n; i++) {
            int at = (int) phoff() + i * 56;
            if (view.getInt(at) == ElfLoader.PT_LOAD) out.add(at);
        }
        return out;
    }

    private int index(int headerOffset) {
        return (int) ((headerOffset - phoff()) / 56);
    }

    private static void refused(byte[] file, String message) {
        assertThatThrownBy(() -> ElfLoader.parse(file)).isInstanceOf(BadElfException.class).hasMessage(message);
    }

    @Test
    void acceptsTheGoodExecutable() throws Exception {
        ElfLoader.Image image = ElfLoader.parse(good);
        assertThat(image.type()).isEqualTo(ElfLoader.ET_EXEC);
        assertThat(image.bias()).isZero();
        assertThat(image.entry()).isEqualTo(view.getLong(24));
        assertThat(image.segments()).hasSize(loadHeaders().size());
        assertThat(image.phdr()).isNotZero();
    }

    @Test
    void truncatedHeader() {
        refused(Arrays.copyOf(good, 20), "truncated: the ELF header needs 64 bytes, the file has 20");
    }

    @Test
    void badMagic() {
        byte[] b = copy();
        b[1] = 'X';
        refused(b, "not an ELF file (bad magic)");
        refused(new byte[0], "not an ELF file (bad magic)");
        refused("#!/bin/sh\necho hi\n".getBytes(), "not an ELF file (bad magic)");
    }

    @Test
    void thirtyTwoBitClass() {
        byte[] b = copy();
        b[4] = 1;
        refused(b, "ELF class 1 (32-bit), not 64-bit");
    }

    @Test
    void bigEndian() {
        byte[] b = copy();
        b[5] = 2;
        refused(b, "big-endian ELF, not little-endian");
    }

    @Test
    void wrongMachine() throws Exception {
        Path hostTrue = Path.of("/bin/true");
        assumeTrue(Files.isRegularFile(hostTrue) && "amd64".equals(System.getProperty("os.arch")), "needs an x86-64 host");
        refused(Files.readAllBytes(hostTrue), "ELF is for machine 62 (x86-64), not RISC-V (243)");
    }

    @Test
    void wrongMachinePatched() {
        byte[] b = copy();
        le(b).putShort(18, (short) 183);
        refused(b, "ELF is for machine 183 (AArch64), not RISC-V (243)");
    }

    @Test
    void notAnExecutable() {
        byte[] b = copy();
        le(b).putShort(16, (short) 1);
        refused(b, "ELF type 1 (relocatable object) is not an executable");
    }

    @Test
    void dynamicExecutable() throws Exception {
        byte[] dyn = Files.readAllBytes(Toolchain.compile("hello", "-O2"));
        refused(dyn, "dynamically linked executable (PT_INTERP /lib/ld-linux-riscv64-lp64d.so.1); "
                + "only static executables can run");
    }

    @Test
    void programHeaderBeyondEndOfFile() {
        byte[] b = copy();
        int n = view.getShort(56);
        le(b).putLong(32, good.length - 56L * n + 30);
        refused(b, "truncated: program header " + (n - 1) + " lies beyond the end of the file (" + good.length + " bytes)");
    }

    @Test
    void wrongProgramHeaderSize() {
        byte[] b = copy();
        le(b).putShort(54, (short) 32);
        refused(b, "program header entries are 32 bytes, not 56");
    }

    @Test
    void overlappingSegments() {
        List<Integer> loads = loadHeaders();
        int first = loads.get(0), second = loads.get(1);
        long v1 = view.getLong(first + 16), m1 = view.getLong(first + 40);
        long v2 = view.getLong(second + 16), m2 = view.getLong(second + 40);
        long moved = v1 + (v2 & 0xFFF); // congruent with its offset, inside the first segment
        byte[] b = copy();
        le(b).putLong(second + 16, moved);
        refused(b, String.format("segments %d and %d overlap (0x%x-0x%x and 0x%x-0x%x)", index(first), index(second),
                v1, v1 + m1, moved, moved + m2));
    }

    @Test
    void segmentBeyondEndOfFile() {
        int h = loadHeaders().getLast();
        long offset = view.getLong(h + 8);
        byte[] b = copy();
        le(b).putLong(h + 32, good.length);
        le(b).putLong(h + 40, good.length);
        refused(b, String.format("truncated: segment %d (file bytes 0x%x-0x%x) lies beyond the end of the file (%d bytes)",
                index(h), offset, offset + good.length, good.length));
    }

    @Test
    void fileSizeLargerThanMemorySize() {
        int h = loadHeaders().getLast();
        long filesz = view.getLong(h + 32);
        byte[] b = copy();
        le(b).putLong(h + 40, filesz - 1);
        refused(b, String.format("segment %d: p_filesz 0x%x is larger than p_memsz 0x%x", index(h), filesz, filesz - 1));
    }

    @Test
    void misalignedSegment() {
        int h = loadHeaders().getLast();
        long vaddr = view.getLong(h + 16) + 8;
        byte[] b = copy();
        le(b).putLong(h + 16, vaddr);
        refused(b, String.format("segment %d: p_vaddr 0x%x and p_offset 0x%x are not congruent modulo the page size",
                index(h), vaddr, view.getLong(h + 8)));
    }

    @Test
    void entryOutsideSegments() {
        byte[] b = copy();
        le(b).putLong(24, 0x1000);
        refused(b, "entry point 0x1000 is not in an executable segment");
        // inside a segment, but not an executable one
        int data = loadHeaders().getLast();
        long inData = view.getLong(data + 16) + 16;
        le(b).putLong(24, inData);
        refused(b, String.format("entry point 0x%x is not in an executable segment", inData));
    }

    @Test
    void segmentBeyond64GiB() {
        int h = loadHeaders().getLast();
        long vaddr = AddressSpace.SIZE + (view.getLong(h + 16) & 0xFFF);
        long memsz = view.getLong(h + 40);
        byte[] b = copy();
        le(b).putLong(h + 16, vaddr);
        refused(b, String.format("segment %d (0x%x-0x%x) lies outside the 64 GiB guest address space", index(h), vaddr,
                vaddr + memsz));
    }

    @Test
    void segmentWrappingAround() {
        int h = loadHeaders().getLast();
        long vaddr = view.getLong(h + 16);
        byte[] b = copy();
        le(b).putLong(h + 40, -vaddr + 0x1000);
        le(b).putLong(h + 32, 0);
        refused(b, String.format("segment %d (0x%x-0x%x) lies outside the 64 GiB guest address space", index(h), vaddr,
                0x1000L));
    }
}
