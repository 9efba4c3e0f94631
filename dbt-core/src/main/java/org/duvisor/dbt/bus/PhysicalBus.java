package org.duvisor.dbt.bus;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The guest-physical address space: one RAM range backed by a {@link MemorySegment} and a set of
 * non-overlapping MMIO windows. Frontends resolve physical addresses here after translation;
 * devices that do DMA use {@link #ramOffset} to check guest-supplied addresses before touching RAM.
 */
public final class PhysicalBus {
    /** One device window. */
    public record Window(long base, long size, MmioDevice device, String name) {
        public boolean contains(long pa, int accessSize) {
            return pa >= base && pa - base <= size - accessSize;
        }
    }

    private final MemorySegment ram;
    private final long ramBase;
    private final long ramSize;
    private Window[] windows = new Window[0];

    public PhysicalBus(MemorySegment ram, long ramBase) {
        this.ram = ram;
        this.ramBase = ramBase;
        this.ramSize = ram.byteSize();
    }

    public MemorySegment ram() {
        return ram;
    }

    public long ramBase() {
        return ramBase;
    }

    public long ramSize() {
        return ramSize;
    }

    /** Adds a device window; overlapping RAM or another window is a configuration error. */
    public synchronized void map(long base, long size, MmioDevice device, String name) {
        if (size <= 0) throw new IllegalArgumentException(name + ": window size must be positive");
        if (overlaps(base, size, ramBase, ramSize)) throw new IllegalArgumentException(name + " overlaps RAM");
        for (Window w : windows) {
            if (overlaps(base, size, w.base, w.size)) throw new IllegalArgumentException(name + " overlaps " + w.name);
        }
        List<Window> all = new ArrayList<>(List.of(windows));
        all.add(new Window(base, size, device, name));
        all.sort(Comparator.comparingLong(Window::base));
        windows = all.toArray(new Window[0]);
    }

    private static boolean overlaps(long a, long aSize, long b, long bSize) {
        return Long.compareUnsigned(a, b + bSize) < 0 && Long.compareUnsigned(b, a + aSize) < 0;
    }

    public List<Window> windows() {
        return List.of(windows);
    }

    /** The RAM offset of {@code [pa, pa+size)}, or -1 if that range is not entirely RAM. */
    public long ramOffset(long pa, long size) {
        long off = pa - ramBase;
        if (Long.compareUnsigned(off, ramSize) >= 0 || size < 0 || size > ramSize - off) return -1;
        return off;
    }

    /** The window holding {@code [pa, pa+size)}, or null (an access there is an access fault). */
    public Window window(long pa, int size) {
        for (Window w : windows) {
            if (w.contains(pa, size)) return w;
        }
        return null;
    }
}
