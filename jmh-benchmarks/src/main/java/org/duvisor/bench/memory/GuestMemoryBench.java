package org.duvisor.bench.memory;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Shared set-up for the guest-memory backing benchmarks: a soft TLB in the same
 * structure-of-arrays shape as {@code org.duvisor.dbt.memory.SoftTlb} (tag compare with the
 * alignment bits folded in, then one access at {@code va + addend}), a 16 MiB guest RAM mapped
 * linearly at {@link #GUEST_BASE}, and the address streams of the access patterns.
 *
 * <p>Each subclass is one backing and repeats the same five loops with its own accessor, so that
 * every loop is exactly the code a translated guest program would have for that backing (no
 * virtual call between the loop and the access). Scores are ns per guest memory access.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {
        "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
        "--enable-native-access=ALL-UNNAMED",
        "-Xms1g", "-Xmx1g"})
public abstract class GuestMemoryBench {
    public static final int SIZE = 16 << 20;
    public static final int PAGE_SHIFT = 12;
    public static final long PAGE_MASK = ~((1L << PAGE_SHIFT) - 1);
    /** One entry per guest page, so after set-up every access hits (the fast path is measured). */
    public static final int ENTRIES = SIZE >>> PAGE_SHIFT;
    public static final long GUEST_BASE = 0x10_0000L;
    public static final long INVALID = -1L;

    // Regions (guest virtual addresses) of the access patterns.
    public static final long SEQ_VA = GUEST_BASE, SEQ_LEN = SIZE;
    public static final long STORE_VA = GUEST_BASE + (4 << 20), STORE_LEN = 4 << 20;
    public static final long BYTES_VA = GUEST_BASE + (8 << 20), BYTES_LEN = 1 << 20;
    public static final long COPY_SRC = GUEST_BASE + (12 << 20), COPY_DST = GUEST_BASE + (14 << 20), COPY_LEN = 1 << 20;
    public static final int RANDOM_LOADS = 1 << 16;

    // Operations per invocation, for @OperationsPerInvocation (must be compile-time constants).
    public static final int OPS_SEQ = (16 << 20) / 8;
    public static final int OPS_RANDOM = 1 << 16;
    public static final int OPS_BYTES = 1 << 20;
    public static final int OPS_STORE32 = (4 << 20) / 4;
    public static final int OPS_COPY = (1 << 20) / 8;

    public final int indexMask = ENTRIES - 1;
    public long[] readTag;
    public long[] writeTag;
    public long[] addend;
    /** Guest virtual addresses (8-byte aligned) of the random-load pattern. */
    public long[] randomVa;
    public int storeSeed;

    /** Host offset in the backing of guest page {@code va}; the guest RAM is linear. */
    static long hostOffsetOfPage(long va) {
        return (va & PAGE_MASK) - GUEST_BASE;
    }

    protected void setUpTlb(String backing) {
        readTag = new long[ENTRIES];
        writeTag = new long[ENTRIES];
        addend = new long[ENTRIES];
        Arrays.fill(readTag, INVALID);
        Arrays.fill(writeTag, INVALID);
        for (long va = GUEST_BASE; va < GUEST_BASE + SIZE; va += 1L << PAGE_SHIFT) refill(va);
        SplittableRandom rnd = new SplittableRandom(42);
        randomVa = new long[RANDOM_LOADS];
        for (int i = 0; i < RANDOM_LOADS; i++) randomVa[i] = GUEST_BASE + (rnd.nextInt(SIZE) & ~7L);
        // Guest data: random bytes, with a NUL every 8..64 bytes in the string region.
        for (long off = 0; off < SIZE; off += 8) put64(off, rnd.nextLong());
        for (long off = BYTES_VA - GUEST_BASE; off < BYTES_VA - GUEST_BASE + BYTES_LEN; off += 8 + rnd.nextInt(57)) {
            put8(off, (byte) 0);
        }
        storeSeed = rnd.nextInt();
        System.out.println("# backing=" + backing + " JDK " + Runtime.version() + " ("
                + System.getProperty("java.vm.name") + ") flags="
                + ManagementFactory.getRuntimeMXBean().getInputArguments());
    }

    /** The slow path's job: install the (linear) translation of the page of {@code va}. */
    protected final void refill(long va) {
        int i = (int) (va >>> PAGE_SHIFT) & indexMask;
        long page = va & PAGE_MASK;
        if (va < GUEST_BASE || va >= GUEST_BASE + SIZE) throw new IllegalStateException("guest fault at " + va);
        readTag[i] = page;
        writeTag[i] = page;
        addend[i] = hostOffsetOfPage(va) - page;
    }

    /** Set-up only (not measured): raw writes at host offsets. */
    protected abstract void put64(long hostOffset, long value);

    protected abstract void put8(long hostOffset, byte value);
}
