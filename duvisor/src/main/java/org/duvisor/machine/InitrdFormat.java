package org.duvisor.machine;

/** Recognises what Linux accepts as an initramfs: a newc/crc cpio archive, or one compressed (init/initramfs.c, lib/decompress.c). */
final class InitrdFormat {
    private InitrdFormat() {
    }

    static boolean recognised(byte[] d) {
        if (startsWith(d, "070701") || startsWith(d, "070702")) return true;
        int b0 = d.length > 0 ? d[0] & 0xFF : -1, b1 = d.length > 1 ? d[1] & 0xFF : -1;
        if (b0 == 0x1F && (b1 == 0x8B || b1 == 0x9E)) return true; // gzip
        if (b0 == 0xFD && startsWith(d, 1, "7zXZ")) return true; // xz
        if (b0 == 0x28 && b1 == 0xB5 && d.length > 3 && (d[2] & 0xFF) == 0x2F && (d[3] & 0xFF) == 0xFD) return true; // zstd
        if (b0 == 0x02 && b1 == 0x21) return true; // lz4 legacy
        if (b0 == 'B' && b1 == 'Z' && d.length > 2 && d[2] == 'h') return true; // bzip2
        return b0 == 0x5D && b1 == 0x00; // lzma
    }

    private static boolean startsWith(byte[] d, String s) {
        return startsWith(d, 0, s);
    }

    private static boolean startsWith(byte[] d, int at, String s) {
        if (d.length < at + s.length()) return false;
        for (int i = 0; i < s.length(); i++) if (d[at + i] != s.charAt(i)) return false;
        return true;
    }
}
