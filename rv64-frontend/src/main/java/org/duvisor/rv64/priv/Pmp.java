package org.duvisor.rv64.priv;

import org.duvisor.rv64.hart.Privilege;

/**
 * Physical memory protection with 16 entries and 4-byte granularity (Privileged ISA 3.7).
 * Entries are checked in order; the first one that matches any byte of an access decides it, and an
 * access only partly inside that entry fails. With no match, M-mode is allowed and S/U-mode is not
 * (entries are implemented). A locked entry also binds M-mode and cannot be rewritten until reset.
 */
public final class Pmp {
    public static final int ENTRIES = 16;
    public static final int R = 1, W = 2, X = 4;
    private static final int A_SHIFT = 3, OFF = 0, TOR = 1, NA4 = 2, NAPOT = 3, LOCK = 0x80;
    /** pmpaddr holds physical address bits 55:2. */
    private static final long ADDR_MASK = (1L << 54) - 1;

    private final int[] cfg = new int[ENTRIES];
    private final long[] addr = new long[ENTRIES];
    /** Decoded ranges [lo, hi) per entry; empty (lo ≥ hi) when off. */
    private final long[] lo = new long[ENTRIES], hi = new long[ENTRIES];
    private boolean anyActive;

    /** pmpcfg{reg}: on RV64 only even registers exist, each holding eight entries. */
    public long readConfig(int reg) {
        long v = 0;
        int first = reg * 4;
        for (int k = 0; k < 8 && first + k < ENTRIES; k++) v |= (long) cfg[first + k] << (8 * k);
        return v;
    }

    public void writeConfig(int reg, long value) {
        int first = reg * 4;
        for (int k = 0; k < 8 && first + k < ENTRIES; k++) {
            int i = first + k;
            if ((cfg[i] & LOCK) != 0) continue;
            int c = (int) (value >>> (8 * k)) & 0x9F;
            if ((c & (R | W)) == W) c &= ~W; // R=0 W=1 is reserved: WARL keeps it unwritable
            cfg[i] = c;
        }
        decode();
    }

    public long readAddress(int i) {
        return addr[i];
    }

    public void writeAddress(int i, long value) {
        if ((cfg[i] & LOCK) != 0) return;
        if (i + 1 < ENTRIES && (cfg[i + 1] & LOCK) != 0 && mode(i + 1) == TOR) return;
        addr[i] = value & ADDR_MASK;
        decode();
    }

    private int mode(int i) {
        return (cfg[i] >>> A_SHIFT) & 3;
    }

    private void decode() {
        anyActive = false;
        for (int i = 0; i < ENTRIES; i++) {
            long l = 0, h = 0;
            switch (mode(i)) {
                case TOR -> {
                    l = i == 0 ? 0 : addr[i - 1] << 2;
                    h = addr[i] << 2;
                }
                case NA4 -> {
                    l = addr[i] << 2;
                    h = l + 4;
                }
                case NAPOT -> {
                    int t = Long.numberOfTrailingZeros(~addr[i]);
                    if (t >= 54) {
                        l = 0;
                        h = 1L << 56;
                    } else {
                        l = (addr[i] & ~((1L << t) - 1)) << 2;
                        h = l + (1L << (t + 3));
                    }
                }
                default -> {
                }
            }
            lo[i] = l;
            hi[i] = h;
            if (Long.compareUnsigned(l, h) < 0) anyActive = true;
        }
    }

    /** Returned by {@link #permissions} when an entry covers only part of the range. */
    private static final int PARTIAL = -1;

    /**
     * The R|W|X permissions that hold for every byte of {@code [start, end)}: those of the first
     * entry that touches the range (all of them for M-mode unless the entry is locked), the no-match
     * default when none does, or {@link #PARTIAL} when the first entry touching it does not cover it.
     */
    private int permissions(long start, long end, int privilege) {
        if (anyActive) {
            for (int i = 0; i < ENTRIES; i++) {
                long l = lo[i], h = hi[i];
                if (Long.compareUnsigned(l, h) >= 0) continue;
                boolean touches = Long.compareUnsigned(start, h) < 0 && Long.compareUnsigned(end, l) > 0;
                if (!touches) continue;
                boolean covers = Long.compareUnsigned(start, l) >= 0 && Long.compareUnsigned(end, h) <= 0;
                if (!covers) return PARTIAL;
                return privilege == Privilege.MACHINE && (cfg[i] & LOCK) == 0 ? R | W | X : cfg[i] & (R | W | X);
            }
        }
        return privilege == Privilege.MACHINE ? R | W | X : 0;
    }

    /** Whether an access of {@code size} bytes at {@code pa} with permission {@code perm} (R/W/X) is allowed; a partial match fails. */
    public boolean allows(long pa, int size, int perm, int privilege) {
        int p = permissions(pa, pa + size, privilege);
        return p != PARTIAL && (p & perm) != 0;
    }

    /**
     * The permissions (R|W|X) that hold for every byte of the 4 KiB page at {@code page}, or -1 when
     * they differ within the page (then accesses are checked one by one and never cached).
     */
    public int pagePermissions(long page, int privilege) {
        return permissions(page, page + 4096, privilege);
    }
}
