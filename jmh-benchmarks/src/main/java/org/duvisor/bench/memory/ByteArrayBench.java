package org.duvisor.bench.memory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.CompilerControl;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * (d) A heap {@code byte[]} read through {@code byteArrayViewVarHandle(long[]/int[], LITTLE_ENDIAN)}.
 * Indexes are {@code int}, so this backing cannot address more than 2 GiB.
 */
public class ByteArrayBench extends GuestMemoryBench {
    static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    public byte[] ram;

    @Setup(Level.Trial)
    public void setUp() {
        ram = new byte[SIZE];
        setUpTlb("byte[] + byteArrayViewVarHandle");
    }

    @Override
    protected void put64(long hostOffset, long value) {
        LONG_LE.set(ram, (int) hostOffset, value);
    }

    @Override
    protected void put8(long hostOffset, byte value) {
        ram[(int) hostOffset] = value;
    }

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    long slowLoad64(long va) {
        refill(va);
        return (long) LONG_LE.get(ram, (int) (hostOffsetOfPage(va) + (va & ~PAGE_MASK)));
    }

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    byte slowLoad8(long va) {
        refill(va);
        return ram[(int) (hostOffsetOfPage(va) + (va & ~PAGE_MASK))];
    }

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    void slowStore32(long va, int v) {
        refill(va);
        INT_LE.set(ram, (int) (hostOffsetOfPage(va) + (va & ~PAGE_MASK)), v);
    }

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    void slowStore64(long va, long v) {
        refill(va);
        LONG_LE.set(ram, (int) (hostOffsetOfPage(va) + (va & ~PAGE_MASK)), v);
    }

    @Benchmark
    @OperationsPerInvocation(OPS_SEQ)
    public void seqLoad64(Blackhole bh) {
        long sum = 0;
        for (long va = SEQ_VA; va < SEQ_VA + SEQ_LEN; va += 8) {
            int i = (int) (va >>> PAGE_SHIFT) & indexMask;
            long v;
            if (readTag[i] == (va & (PAGE_MASK | 7))) v = (long) LONG_LE.get(ram, (int) (va + addend[i]));
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
            if (readTag[i] == (va & (PAGE_MASK | 7))) v = (long) LONG_LE.get(ram, (int) (va + addend[i]));
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
            if (readTag[i] == (va & PAGE_MASK)) b = ram[(int) (va + addend[i])] & 0xFF;
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
            if (writeTag[i] == (va & (PAGE_MASK | 3))) INT_LE.set(ram, (int) (va + addend[i]), v);
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
            if (readTag[i] == (s & (PAGE_MASK | 7))) v = (long) LONG_LE.get(ram, (int) (s + addend[i]));
            else v = slowLoad64(s);
            int j = (int) (d >>> PAGE_SHIFT) & indexMask;
            if (writeTag[j] == (d & (PAGE_MASK | 7))) LONG_LE.set(ram, (int) (d + addend[j]), v);
            else slowStore64(d, v);
            last = v;
        }
        bh.consume(last);
    }
}
