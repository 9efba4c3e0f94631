package org.duvisor.machine;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.duvisor.rv64.linux.BadElfException;
import org.duvisor.rv64.linux.ElfLoader;

/**
 * A program to place in guest RAM: a RISC-V Linux {@code Image} (Documentation/riscv/boot-image-header.rst)
 * or an ELF executable loaded at its physical segment addresses. Validation happens here, before
 * anything is written to guest memory.
 */
public record KernelImage(Kind kind, Path path, long entry, List<Piece> pieces, long end, long tohost, long fromhost) {
    public enum Kind { LINUX_IMAGE, ELF }

    /** Bytes to copy to physical address {@code address}, followed by {@code zeroes} zero bytes. */
    public record Piece(long address, byte[] data, int offset, int length, long zeroes) {
    }

    private static final long IMAGE_MAGIC = 0x5643534952L; // "RISCV\0\0\0", deprecated but still written
    private static final int IMAGE_MAGIC2 = 0x05435352; // "RSC\x05"

    /** Reads {@code path}; a Linux Image is placed at {@code ramBase} + its text_offset. */
    public static KernelImage read(Path path, long ramBase, long ramSize) throws BootException {
        byte[] data;
        try {
            data = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new BootException(path + ": cannot read (" + e.getMessage() + ")");
        }
        if (data.length >= 4 && data[0] == 0x7F && data[1] == 'E' && data[2] == 'L' && data[3] == 'F') {
            return elf(path, data, ramBase, ramSize);
        }
        return linuxImage(path, data, ramBase, ramSize);
    }

    private static KernelImage linuxImage(Path path, byte[] data, long ramBase, long ramSize) throws BootException {
        if (data.length < 64) throw new BootException(path + ": too short for a RISC-V Linux Image header (" + data.length + " bytes)");
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        long textOffset = b.getLong(8), imageSize = b.getLong(16);
        long magic = b.getLong(48);
        int magic2 = b.getInt(56);
        if (magic2 != IMAGE_MAGIC2 && magic != IMAGE_MAGIC) {
            throw new BootException(path + ": neither an ELF file nor a RISC-V Linux Image (no \"RSC\\x05\" magic at offset 56)");
        }
        if (imageSize == 0) imageSize = data.length;
        if (imageSize < data.length) throw new BootException(path + ": header image_size 0x" + Long.toHexString(imageSize) + " is smaller than the file");
        if ((textOffset & 0xFFF) != 0 || textOffset >= ramSize || imageSize > ramSize - textOffset) {
            throw new BootException(path + ": text_offset 0x" + Long.toHexString(textOffset) + " + image_size 0x"
                    + Long.toHexString(imageSize) + " does not fit in " + (ramSize >> 20) + " MiB of RAM");
        }
        long load = ramBase + textOffset;
        return new KernelImage(Kind.LINUX_IMAGE, path, load, List.of(new Piece(load, data, 0, data.length, imageSize - data.length)),
                load + imageSize, 0, 0);
    }

    private static KernelImage elf(Path path, byte[] data, long ramBase, long ramSize) throws BootException {
        ElfLoader.Image image;
        try {
            image = ElfLoader.parse(data, true);
        } catch (BadElfException e) {
            throw new BootException(path + ": " + e.getMessage());
        }
        List<Piece> pieces = new ArrayList<>();
        long end = 0;
        for (ElfLoader.Segment s : image.segments()) {
            if (Long.compareUnsigned(s.vaddr(), ramBase) < 0 || s.memsz() > ramSize || s.vaddr() - ramBase > ramSize - s.memsz()) {
                throw new BootException(path + ": segment at 0x" + Long.toHexString(s.vaddr()) + " (0x" + Long.toHexString(s.memsz())
                        + " bytes) is outside RAM 0x" + Long.toHexString(ramBase) + "-0x" + Long.toHexString(ramBase + ramSize));
            }
            pieces.add(new Piece(s.vaddr(), data, (int) s.offset(), (int) s.filesz(), s.memsz() - s.filesz()));
            end = Math.max(end, s.vaddr() + s.memsz());
        }
        ElfSymbols symbols = ElfSymbols.of(data);
        return new KernelImage(Kind.ELF, path, image.entry(), pieces, end, symbols.address("tohost"), symbols.address("fromhost"));
    }
}
