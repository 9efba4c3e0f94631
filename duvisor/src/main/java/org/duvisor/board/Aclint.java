package org.duvisor.board;

import java.util.List;
import org.duvisor.rv64.priv.InterruptPins;
import org.duvisor.rv64.priv.Timebase;

/**
 * The core-local interruptor in SiFive CLINT layout (the ACLINT MSWI and MTIMER devices back to
 * back, as on QEMU's {@code virt}): one 32-bit {@code msip} per hart at {@code 4·hart} whose bit 0
 * drives the hart's MSIP, one 64-bit {@code mtimecmp} per hart at {@code 0x4000 + 8·hart}, and the
 * shared {@code mtime} at {@code 0xBFF8}.
 *
 * <p>Every register is reachable with any access size that does not cross an 8-byte boundary, so
 * RV32-style 32-bit halves of mtimecmp and mtime work (ACLINT spec, "MTIMER": the registers are
 * 64-bit and may be accessed as two 32-bit halves). Harts compute MTIP themselves from time ≥ mtimecmp.
 */
public final class Aclint implements BoardDevice {
    public static final long VIRT_BASE = 0x0200_0000, SIZE = 0x1_0000;
    static final long MSIP = 0x0, MTIMECMP = 0x4000, MTIME = 0xBFF8;

    private final long base;
    private final List<InterruptPins> harts;
    private final Timebase timebase;

    public Aclint(long base, List<InterruptPins> harts, Timebase timebase) {
        if (harts.isEmpty() || harts.size() > (MTIME - MTIMECMP) / 8) throw new IllegalArgumentException("unsupported hart count " + harts.size());
        this.base = base;
        this.harts = List.copyOf(harts);
        this.timebase = timebase;
    }

    @Override
    public String name() {
        return "aclint";
    }

    @Override
    public long base() {
        return base;
    }

    @Override
    public long size() {
        return SIZE;
    }

    @Override
    public long read(long offset, int size) {
        int shift = (int) (offset & 7) * 8;
        if (shift + size * 8 > 64) return 0;
        return (doubleword(offset & ~7L) >>> shift) & mask(size);
    }

    @Override
    public synchronized void write(long offset, long value, int size) {
        int shift = (int) (offset & 7) * 8;
        if (shift + size * 8 > 64) return;
        long lanes = mask(size) << shift;
        long aligned = offset & ~7L;
        long merged = (doubleword(aligned) & ~lanes) | ((value << shift) & lanes);
        if (aligned < MTIMECMP) {
            // Two msip words per doubleword; only the harts whose bytes were written change.
            for (int half = 0; half < 2; half++) {
                int hart = (int) (aligned / 4) + half;
                long halfLanes = 0xFFFF_FFFFL << (32 * half);
                if ((lanes & halfLanes) != 0 && hart < harts.size()) {
                    harts.get(hart).set(InterruptPins.MSIP, ((merged >>> (32 * half)) & 1) != 0);
                }
            }
        } else if (aligned < MTIME) {
            int hart = (int) ((aligned - MTIMECMP) / 8);
            if (hart < harts.size()) harts.get(hart).setMtimecmp(merged);
        } else if (aligned == MTIME) {
            timebase.set(merged);
            for (InterruptPins p : harts) p.kick(); // MTIP may have changed on every hart
        }
    }

    /** The 64 bits at an 8-byte aligned offset, as the register file lays them out. */
    private long doubleword(long aligned) {
        if (aligned < MTIMECMP) {
            int hart = (int) (aligned / 4);
            return msip(hart) | msip(hart + 1) << 32;
        }
        if (aligned < MTIME) {
            int hart = (int) ((aligned - MTIMECMP) / 8);
            return hart < harts.size() ? harts.get(hart).mtimecmp() : 0;
        }
        return aligned == MTIME ? timebase.now() : 0;
    }

    private long msip(int hart) {
        return hart < harts.size() ? (harts.get(hart).lines() >>> InterruptPins.MSIP) & 1 : 0;
    }

    private static long mask(int size) {
        return size == 8 ? -1L : (1L << (8 * size)) - 1;
    }

    @Override
    public void describe(DeviceTree tree, DeviceTree.Node soc) {
        long[] interrupts = new long[4 * harts.size()];
        for (int i = 0; i < harts.size(); i++) {
            int intc = tree.phandle("cpu" + i + "-intc");
            interrupts[4 * i] = intc;
            interrupts[4 * i + 1] = InterruptPins.MSIP;
            interrupts[4 * i + 2] = intc;
            interrupts[4 * i + 3] = InterruptPins.MTIP;
        }
        soc.child("clint@" + Long.toHexString(base))
                .property("compatible", "sifive,clint0", "riscv,clint0")
                .u64("reg", base, SIZE)
                .cells("interrupts-extended", interrupts);
    }
}
