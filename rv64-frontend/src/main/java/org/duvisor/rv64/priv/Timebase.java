package org.duvisor.rv64.priv;

/**
 * The platform's real-time counter ({@code mtime}, the {@code time} CSR): 10 MHz, as on QEMU's virt
 * board and in the device tree's {@code timebase-frequency}. One instance is shared by every hart
 * and the ACLINT of a machine, so they agree on the time.
 */
public final class Timebase {
    public static final long FREQUENCY_HZ = 10_000_000;
    private static final long NANOS_PER_TICK = 1_000_000_000 / FREQUENCY_HZ;

    private final long origin = System.nanoTime();
    /** Ticks added by writes to mtime (the ACLINT allows M-mode to set it). */
    private volatile long offset;

    public long now() {
        return (System.nanoTime() - origin) / NANOS_PER_TICK + offset;
    }

    public void set(long ticks) {
        offset += ticks - now();
    }

    /** Host nanoseconds from now until the counter reaches {@code ticks} (≤ 0 if already there). */
    public long nanosUntil(long ticks) {
        long delta = ticks - now();
        if (delta <= 0) return 0;
        return delta > Long.MAX_VALUE / NANOS_PER_TICK ? Long.MAX_VALUE : delta * NANOS_PER_TICK;
    }
}
