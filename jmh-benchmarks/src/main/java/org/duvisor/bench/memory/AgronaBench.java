package org.duvisor.bench.memory;

import java.nio.ByteOrder;

import org.agrona.concurrent.UnsafeBuffer;
import org.duvisor.dbt.memory.HostMemory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.CompilerControl;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * (c) Agrona {@link UnsafeBuffer} wrapping the same kind of native mmap as (a)
 * ({@code wrap(address, length)}); little-endian accessors, Agrona's default bounds checks on.
 * Indexes are {@code int}, so this backing cannot address more than 2 GiB.
 */
public class AgronaBench extends GuestMemoryBench {
    static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    public UnsafeBuffer ram;
    private HostMemory host;

    @Setup(Level.Trial)
    public void setUp() {
        host = HostMemory.reserve(SIZE);
        ram = new UnsafeBuffer(0, 0);
        ram.wrap(host.segment().address(), SIZE);
        setUpTlb("Agrona UnsafeBuffer (bounds checks "
                + (UnsafeBuffer.SHOULD_BOUNDS_CHECK ? "on" : "off") + ")");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        host.close();
    }

    @Override
    protected void put64(long hostOffset, long value) {
        ram.putLong((int) hostOffset, value, LE);
    }

    @Override
    protected void put8(long hostOffset, byte value) {
        ram.putByte((int) hostOffset, value);
    }

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    long slowLoad64(long va) {
        refill(va);
        return ram.getLong((int) (hostOffsetOfPage(va) + (va & ~PAGE_MASK)), LE);
    }

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    byte slowLoad8(long va) {
        refill(va);
        return ram.getByte((int) (hostOffsetOfPage(va) + (va & ~PAGE_MASK)));
    }

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    void slowStore32(long va, int v) {
        refill(va);
        ram.putInt((int) (hostOffsetOfPage(va) + (va & ~PAGE_MASK)), v, LE);
    }

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    void slowStore64(long va, long v) {
        refill(va);
        ram.putLong((int) (hostOffsetOfPage(va) + (va & ~PAGE_MASK)), v, LE);
    }

    @Benchmark
    @OperationsPerInvocation(OPS_SEQ)
    public void seqLoad64(Blackhole bh) {
        long sum = 0;
        for (long va = SEQ_VA; va < SEQ_VA + SEQ_LEN; va += 8) {
            int i = (int) (va >>> PAGE_SHIFT) & indexMask;
            long v;
            if (readTag[i] == (va & (PAGE_MASK | 7))) v = ram.getLong((int) (va + addend[i]), LE);
            else v = slowLoad64(va);
            sum += v;
        }
        bh.consume(sum);
    }

    @Benchmark
    @OperationsPerInvocation(OPS_RANDOM)
    public void randomLoad64(Blackhole bh) {
        long sum = 0;
        for (int k = 0; k < RANDOM_LOADS; k++) {
            long va = randomVa[k];
            int i = (int) (va >>> PAGE_SHIFT) & indexMask;
            long v;
            if (readTag[i] == (va & (PAGE_MASK | 7))) v = ram.getLong((int) (va + addend[i]), LE);
            else v = slowLoad64(va);
            sum += v;
        }
        bh.consume(sum);
    }

    @Benchmark
    @OperationsPerInvocation(OPS_BYTES)
    public void byteLoads(Blackhole bh) {
        long sum = 0;
        int strings = 0;
        for (long va = BYTES_VA; va < BYTES_VA + BYTES_LEN; va++) {
            int i = (int) (va >>> PAGE_SHIFT) & indexMask;
            int b;
            if (readTag[i] == (va & PAGE_MASK)) b = ram.getByte((int) (va + addend[i])) & 0xFF;
            else b = slowLoad8(va) & 0xFF;
            sum += b;
            if (b == 0) strings++;
        }
        bh.consume(sum);
        bh.consume(strings);
    }

    @Benchmark
    @OperationsPerInvocation(OPS_STORE32)
    public void store32(Blackhole bh) {
        int v = storeSeed;
        for (long va = STORE_VA; va < STORE_VA + STORE_LEN; va += 4) {
            int i = (int) (va >>> PAGE_SHIFT) & indexMask;
            if (writeTag[i] == (va & (PAGE_MASK | 3))) ram.putInt((int) (va + addend[i]), v, LE);
            else slowStore32(va, v);
            v += 0x9E3779B9;
        }
        bh.consume(v);
    }

    @Benchmark
    @OperationsPerInvocation(OPS_COPY)
    public void memcpy64(Blackhole bh) {
        long last = 0;
        for (long k = 0; k < COPY_LEN; k += 8) {
            long s = COPY_SRC + k, d = COPY_DST + k;
            int i = (int) (s >>> PAGE_SHIFT) & indexMask;
            long v;
            if (readTag[i] == (s & (PAGE_MASK | 7))) v = ram.getLong((int) (s + addend[i]), LE);
            else v = slowLoad64(s);
            int j = (int) (d >>> PAGE_SHIFT) & indexMask;
            if (writeTag[j] == (d & (PAGE_MASK | 7))) ram.putLong((int) (d + addend[j]), v, LE);
            else slowStore64(d, v);
            last = v;
        }
        bh.consume(last);
    }
}
