package org.duvisor.bench.memory;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.CompilerControl;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The five guest access patterns over a {@link MemorySegment} with the little-endian unaligned
 * layouts that {@code SoftTlb} uses. Subclasses differ only in where the segment comes from.
 */
public abstract class SegmentBench extends GuestMemoryBench {
    static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;

    public MemorySegment ram;

    @Override
    protected void put64(long hostOffset, long value) {
        ram.set(LONG, hostOffset, value);
    }

    @Override
    protected void put8(long hostOffset, byte value) {
        ram.set(BYTE, hostOffset, value);
    }

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    long slowLoad64(long va) {
        refill(va);
        return ram.get(LONG, hostOffsetOfPage(va) + (va & ~PAGE_MASK));
    }

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    byte slowLoad8(long va) {
        refill(va);
        return ram.get(BYTE, hostOffsetOfPage(va) + (va & ~PAGE_MASK));
    }

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    void slowStore32(long va, int v) {
        refill(va);
        ram.set(INT, hostOffsetOfPage(va) + (va & ~PAGE_MASK), v);
    }

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    void slowStore64(long va, long v) {
        refill(va);
        ram.set(LONG, hostOffsetOfPage(va) + (va & ~PAGE_MASK), v);
    }

    /** {@code ld} in a loop over 16 MiB, summing (a guest array sum). */
    @Benchmark
    @OperationsPerInvocation(OPS_SEQ)
    public void seqLoad64(Blackhole bh) {
        long sum = 0;
        for (long va = SEQ_VA; va < SEQ_VA + SEQ_LEN; va += 8) {
            int i = (int) (va >>> PAGE_SHIFT) & indexMask;
            long v;
            if (readTag[i] == (va & (PAGE_MASK | 7))) v = ram.get(LONG, va + addend[i]);
            else v = slowLoad64(va);
            sum += v;
        }
        bh.consume(sum);
    }

    /** {@code ld} at 64 Ki random aligned addresses over 16 MiB (hash-table / pointer-heavy code). */
    @Benchmark
    @OperationsPerInvocation(OPS_RANDOM)
    public void randomLoad64(Blackhole bh) {
        long sum = 0;
        for (int k = 0; k < RANDOM_LOADS; k++) {
            long va = randomVa[k];
            int i = (int) (va >>> PAGE_SHIFT) & indexMask;
            long v;
            if (readTag[i] == (va & (PAGE_MASK | 7))) v = ram.get(LONG, va + addend[i]);
            else v = slowLoad64(va);
            sum += v;
        }
        bh.consume(sum);
    }

    /** {@code lbu} over 1 MiB of NUL-separated strings, counting bytes and strings. */
    @Benchmark
    @OperationsPerInvocation(OPS_BYTES)
    public void byteLoads(Blackhole bh) {
        long sum = 0;
        int strings = 0;
        for (long va = BYTES_VA; va < BYTES_VA + BYTES_LEN; va++) {
            int i = (int) (va >>> PAGE_SHIFT) & indexMask;
            int b;
            if (readTag[i] == (va & PAGE_MASK)) b = ram.get(BYTE, va + addend[i]) & 0xFF;
            else b = slowLoad8(va) & 0xFF;
            sum += b;
            if (b == 0) strings++;
        }
        bh.consume(sum);
        bh.consume(strings);
    }

    /** {@code sw} of a changing value over 4 MiB (array initialisation). */
    @Benchmark
    @OperationsPerInvocation(OPS_STORE32)
    public void store32(Blackhole bh) {
        int v = storeSeed;
        for (long va = STORE_VA; va < STORE_VA + STORE_LEN; va += 4) {
            int i = (int) (va >>> PAGE_SHIFT) & indexMask;
            if (writeTag[i] == (va & (PAGE_MASK | 3))) ram.set(INT, va + addend[i], v);
            else slowStore32(va, v);
            v += 0x9E3779B9;
        }
        bh.consume(v);
    }

    /** {@code ld}/{@code sd} pairs copying 1 MiB (a guest memcpy loop); one op = one 8-byte word. */
    @Benchmark
    @OperationsPerInvocation(OPS_COPY)
    public void memcpy64(Blackhole bh) {
        long last = 0;
        for (long k = 0; k < COPY_LEN; k += 8) {
            long s = COPY_SRC + k, d = COPY_DST + k;
            int i = (int) (s >>> PAGE_SHIFT) & indexMask;
            long v;
            if (readTag[i] == (s & (PAGE_MASK | 7))) v = ram.get(LONG, s + addend[i]);
            else v = slowLoad64(s);
            int j = (int) (d >>> PAGE_SHIFT) & indexMask;
            if (writeTag[j] == (d & (PAGE_MASK | 7))) ram.set(LONG, d + addend[j], v);
            else slowStore64(d, v);
            last = v;
        }
        bh.consume(last);
    }
}
