package org.duvisor.dbt.memory;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A per-hart, direct-mapped software TLB in structure-of-arrays form.
 *
 * <p>Entry {@code i} caches one 4 KiB page: {@code readTag/writeTag/execTag[i]} hold the page's
 * virtual address when that access is allowed, and {@code addend[i]} turns a virtual address on the
 * page into an offset in {@link #ram}. An access takes the fast path when
 * {@code tag == (va & (PAGE_MASK | size-1))}: a naturally aligned access to a cached page. Misaligned
 * accesses, misses and pages whose tag has low bits set (MMIO, pages holding translated code) fail
 * the compare and go to the {@link MemorySlowPath}.
 */
public final class SoftTlb {
    public static final int PAGE_SHIFT = 12;
    public static final long PAGE_SIZE = 1L << PAGE_SHIFT;
    public static final long PAGE_MASK = ~(PAGE_SIZE - 1);
    /** A tag no aligned access can match. */
    public static final long INVALID = -1L;

    public static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    public static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    public static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    public final int entries;
    public final int indexMask;
    public final long[] readTag;
    public final long[] writeTag;
    public final long[] execTag;
    public final long[] addend;
    public final MemorySegment ram;
    private MemorySlowPath slowPath;

    public SoftTlb(int entries, MemorySegment ram) {
        if (Integer.bitCount(entries) != 1) throw new IllegalArgumentException("entries must be a power of two");
        this.entries = entries;
        this.indexMask = entries - 1;
        this.readTag = new long[entries];
        this.writeTag = new long[entries];
        this.execTag = new long[entries];
        this.addend = new long[entries];
        this.ram = ram;
        flush();
    }

    public void setSlowPath(MemorySlowPath slowPath) {
        this.slowPath = slowPath;
    }

    public MemorySlowPath slowPath() {
        return slowPath;
    }

    public static int index(long va, int indexMask) {
        return (int) (va >>> PAGE_SHIFT) & indexMask;
    }

    public void flush() {
        Arrays.fill(readTag, INVALID);
        Arrays.fill(writeTag, INVALID);
        Arrays.fill(execTag, INVALID);
    }

    /** Drops whatever entry maps the page of {@code va}. */
    public void flushPage(long va) {
        int i = index(va, indexMask);
        long page = va & PAGE_MASK;
        if (readTag[i] == page) readTag[i] = INVALID;
        if ((writeTag[i] & PAGE_MASK) == page) writeTag[i] = INVALID;
        if (execTag[i] == page) execTag[i] = INVALID;
    }

    /** Drops write permission for every entry mapping the page of {@code va} (it now holds code). */
    public void revokeWrite(long va) {
        int i = index(va, indexMask);
        if ((writeTag[i] & PAGE_MASK) == (va & PAGE_MASK)) writeTag[i] = INVALID;
    }

    /** Installs a translation of the page of {@code va}; each flag enables one kind of access. */
    public void install(long va, long ramOffsetOfPage, boolean read, boolean write, boolean exec) {
        int i = index(va, indexMask);
        long page = va & PAGE_MASK;
        readTag[i] = read ? page : INVALID;
        writeTag[i] = write ? page : INVALID;
        execTag[i] = exec ? page : INVALID;
        addend[i] = ramOffsetOfPage - page;
    }

    // ---- fast paths: one compare, one access ----

    public long load64(long va) {
        int i = (int) (va >>> PAGE_SHIFT) & indexMask;
        if (readTag[i] == (va & (PAGE_MASK | 7))) return ram.get(LONG, va + addend[i]);
        return slowPath.load(va, 8);
    }

    public int load32(long va) {
        int i = (int) (va >>> PAGE_SHIFT) & indexMask;
        if (readTag[i] == (va & (PAGE_MASK | 3))) return ram.get(INT, va + addend[i]);
        return (int) slowPath.load(va, 4);
    }

    public short load16(long va) {
        int i = (int) (va >>> PAGE_SHIFT) & indexMask;
        if (readTag[i] == (va & (PAGE_MASK | 1))) return ram.get(SHORT, va + addend[i]);
        return (short) slowPath.load(va, 2);
    }

    public byte load8(long va) {
        int i = (int) (va >>> PAGE_SHIFT) & indexMask;
        if (readTag[i] == (va & PAGE_MASK)) return ram.get(ValueLayout.JAVA_BYTE, va + addend[i]);
        return (byte) slowPath.load(va, 1);
    }

    public void store64(long va, long v) {
        int i = (int) (va >>> PAGE_SHIFT) & indexMask;
        if (writeTag[i] == (va & (PAGE_MASK | 7))) ram.set(LONG, va + addend[i], v);
        else slowPath.store(va, v, 8);
    }

    public void store32(long va, int v) {
        int i = (int) (va >>> PAGE_SHIFT) & indexMask;
        if (writeTag[i] == (va & (PAGE_MASK | 3))) ram.set(INT, va + addend[i], v);
        else slowPath.store(va, v, 4);
    }

    public void store16(long va, short v) {
        int i = (int) (va >>> PAGE_SHIFT) & indexMask;
        if (writeTag[i] == (va & (PAGE_MASK | 1))) ram.set(SHORT, va + addend[i], v);
        else slowPath.store(va, v, 2);
    }

    public void store8(long va, byte v) {
        int i = (int) (va >>> PAGE_SHIFT) & indexMask;
        if (writeTag[i] == (va & PAGE_MASK)) ram.set(ValueLayout.JAVA_BYTE, va + addend[i], v);
        else slowPath.store(va, v, 1);
    }

    /** See {@link MemorySlowPath#atomicOffset}: the RAM offset of an aligned, readable and writable address. */
    public long atomicOffset(long va, int size) {
        int i = (int) (va >>> PAGE_SHIFT) & indexMask;
        long tag = va & (PAGE_MASK | (size - 1));
        if (writeTag[i] == tag && readTag[i] == tag) return va + addend[i];
        return slowPath.atomicOffset(va, size);
    }

    /** Fetches a 16-bit instruction parcel (instructions are 2-byte aligned). */
    public int fetch16(long va) {
        int i = (int) (va >>> PAGE_SHIFT) & indexMask;
        if (execTag[i] == (va & PAGE_MASK)) return ram.get(SHORT, va + addend[i]) & 0xFFFF;
        return slowPath.fetch16(va);
    }
}
