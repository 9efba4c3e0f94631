package org.duvisor.machine;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** The symbol table of an ELF64 file (System V ABI, "Symbol Table"), for tohost/fromhost lookup. */
final class ElfSymbols {
    private static final int SHT_SYMTAB = 2;
    private final Map<String, Long> values;

    private ElfSymbols(Map<String, Long> values) {
        this.values = values;
    }

    /** 0 if absent. */
    long address(String name) {
        return values.getOrDefault(name, 0L);
    }

    /** Reads the symbols; a missing or malformed table simply yields none (the image is already validated). */
    static ElfSymbols of(byte[] data) {
        Map<String, Long> out = new HashMap<>();
        try {
            ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
            long shoff = b.getLong(0x28);
            int shentsize = b.getShort(0x3A) & 0xFFFF, shnum = b.getShort(0x3C) & 0xFFFF;
            if (shoff == 0 || shentsize < 64) return new ElfSymbols(out);
            for (int i = 0; i < shnum; i++) {
                int sh = Math.toIntExact(shoff + (long) i * shentsize);
                if (b.getInt(sh + 4) != SHT_SYMTAB) continue;
                int offset = Math.toIntExact(b.getLong(sh + 0x18)), size = Math.toIntExact(b.getLong(sh + 0x20));
                int link = b.getInt(sh + 0x28);
                int strtab = Math.toIntExact(b.getLong(Math.toIntExact(shoff + (long) link * shentsize) + 0x18));
                for (int s = offset; s + 24 <= offset + size; s += 24) {
                    int nameOffset = b.getInt(s);
                    long value = b.getLong(s + 8);
                    int start = strtab + nameOffset, end = start;
                    while (end < data.length && data[end] != 0) end++;
                    out.put(new String(data, start, end - start, StandardCharsets.UTF_8), value);
                }
            }
        } catch (RuntimeException e) {
            out.clear();
        }
        return new ElfSymbols(out);
    }
}
