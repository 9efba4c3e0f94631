package org.duvisor.dbt.memory;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

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
    // The current regime's arrays (see selectRegime); translated code loads them on region entry.
    public long[] readTag;
    public long[] writeTag;
    public long[] execTag;
    public long[] addend;
    /** {@code addend[i]} plus the RAM segment's host address: host address = va + hostAddend[i]. */
    public long[] hostAddend;

    /**
     * One set of entries per translation regime (a frontend numbers its privilege modes, 0-7), so
     * a mode switch selects another set instead of flushing: entries filled under one mode's rules
     * are never used by another.
     */
    private final long[][][] regimes = new long[8][][];
    private int regime;
    /**
     * Per regime, the entries filled since its last flush, so that a flush (frequent: SFENCE.VMA,
     * satp writes) clears only those instead of every entry of a large TLB; past
     * {@link #TOUCH_LIMIT} fills it clears them all.
     */
    private final int[][] touched = new int[8][];
    private final int[] touchedCount = new int[8];
    /**
     * Per regime, the largest leaf mapping (bytes) that an entry filled since its last flush came
     * from, so that dropping one virtual page's translation ({@link #flushPage}) can also drop
     * the other pages of a superpage it may belong to.
     */
    private final long[] largestLeaf = new long[8];
    private static final int TOUCH_LIMIT = 512;
    public final MemorySegment ram;
    private final long ramAddress;
    private MemorySlowPath slowPath;

    /**
     * Set in a write tag when the page holds translated code: bit 3 is never set in an access's
     * compare value {@code va & (PAGE_MASK | size-1)}, so every store to the page takes the slow
     * path, which reports it through {@link #noteStore} before writing.
     */
    public static final long CODE_MARK = 8;
    private final org.agrona.collections.LongHashSet codePages = new org.agrona.collections.LongHashSet();
    private CodeWriteListener codeWriteListener;
    /**
     * Counts flushes (whole or one page). Whatever was derived from cached translations, such as a
     * chain from one translated region to another on a different page, holds while it is unchanged:
     * without a flush (an SFENCE.VMA, a satp or PMP change, ...) the hart may keep using a mapping.
     */
    public int generation;
    /** Statistics: entries filled by the slow path, whole flushes, and address-specific ones ({@link #flushPage}). */
    public long fills, flushes, pageFlushes;
    /** When set, no write permission is ever cached: every store reaches the slow path (lockstep logging). */
    private boolean storesAlwaysSlow;
    /** When set, every virtual page maps to the RAM offset equal to its address (see {@link #requireIdentityMapping}). */
    private boolean identityMapped;

    public SoftTlb(int entries, MemorySegment ram) {
        if (Integer.bitCount(entries) != 1) throw new IllegalArgumentException("entries must be a power of two");
        this.entries = entries;
        this.indexMask = entries - 1;
        this.readTag = new long[entries];
        this.writeTag = new long[entries];
        this.execTag = new long[entries];
        this.addend = new long[entries];
        this.hostAddend = new long[entries];
        regimes[0] = new long[][]{readTag, writeTag, execTag, addend, hostAddend};
        touched[0] = new int[TOUCH_LIMIT];
        touchedCount[0] = TOUCH_LIMIT + 1; // the first flush initialises every entry
        this.ram = ram;
        this.ramAddress = ram.address();
        flush();
    }

    public void setSlowPath(MemorySlowPath slowPath) {
        this.slowPath = slowPath;
    }

    public MemorySlowPath slowPath() {
        return slowPath;
    }

    /**
     * Declares that this TLB will only ever map a virtual page to the RAM offset equal to its
     * address (a user-mode address space laid out 1:1 in RAM), so that the host address of every
     * cached access is {@code va + ram.address()}: translated code then needs no addend load. An
     * install breaking the promise is refused.
     */
    public void requireIdentityMapping() {
        identityMapped = true;
    }

    public boolean identityMapped() {
        return identityMapped;
    }

    /**
     * The slow path's {@link MemorySlowPath#directWindow direct window} for loads or stores around
     * {@code va}, or null: always null unless the TLB is identity-mapped, and while every store
     * must reach the slow path.
     */
    public long[] directWindow(long va, boolean store) {
        return identityMapped && !storesAlwaysSlow && slowPath != null ? slowPath.directWindow(va, store) : null;
    }

    /**
     * The arrays of the current regime: read tags, write tags, host addends. They keep their
     * identity for the TLB's lifetime (flushes refill them), so translated code made for one regime
     * may treat them as constants.
     */
    public List<long[]> currentArrays() {
        return List.of(readTag, writeTag, hostAddend);
    }

    private void checkMapping(long va, long ramOffsetOfPage) {
        if (identityMapped && ramOffsetOfPage != (va & PAGE_MASK)) {
            throw new IllegalStateException("identity-mapped TLB: page 0x" + Long.toHexString(va & PAGE_MASK)
                    + " cannot map to RAM offset 0x" + Long.toHexString(ramOffsetOfPage));
        }
    }

    public static int index(long va, int indexMask) {
        return (int) (va >>> PAGE_SHIFT) & indexMask;
    }

    /** Makes the entries of regime {@code r} (0-7) current, creating them empty the first time. */
    public void selectRegime(int r) {
        if (r == regime) return;
        long[][] set = regimes[r];
        if (set == null) {
            set = new long[][]{new long[entries], new long[entries], new long[entries], new long[entries], new long[entries]};
            regimes[r] = set;
            touched[r] = new int[TOUCH_LIMIT];
            clearRegime(r);
        }
        readTag = set[0];
        writeTag = set[1];
        execTag = set[2];
        addend = set[3];
        hostAddend = set[4];
        regime = r;
    }

    public int regime() {
        return regime;
    }

    /** Runs {@code action} with each existing regime's entries current, then restores the current one. */
    private void forEachRegime(Runnable action) {
        int current = regime;
        for (int r = 0; r < regimes.length; r++) {
            if (regimes[r] == null) continue;
            selectRegime(r);
            action.run();
        }
        selectRegime(current);
    }

    /** Drops every cached translation of every regime. */
    public void flush() {
        generation++;
        flushes++;
        // Often on the path of sfence.vma and satp writes: straight over the sets, no regime switching.
        for (int r = 0; r < regimes.length; r++) {
            long[][] set = regimes[r];
            if (set == null) continue;
            int n = touchedCount[r];
            if (n > TOUCH_LIMIT) {
                clearRegime(r);
                continue;
            }
            int[] filled = touched[r];
            for (int k = 0; k < n; k++) {
                int i = filled[k];
                set[0][i] = INVALID;
                set[1][i] = INVALID;
                set[2][i] = INVALID;
            }
            touchedCount[r] = 0;
            largestLeaf[r] = PAGE_SIZE;
        }
    }

    /** Empties regime {@code r}'s entries, however many were filled. */
    private void clearRegime(int r) {
        long[][] set = regimes[r];
        Arrays.fill(set[0], INVALID);
        Arrays.fill(set[1], INVALID);
        Arrays.fill(set[2], INVALID);
        touchedCount[r] = 0;
        largestLeaf[r] = PAGE_SIZE;
    }

    /**
     * Drops the translations of the virtual page of {@code va} in every regime, with the rest of
     * the leaf mapping it may belong to (an address-specific SFENCE.VMA orders the leaf PTE of that
     * address, and a superpage's one PTE covers all its pages): a regime whose entries came from
     * leaves of up to N bytes drops the N-byte aligned span around {@code va}, or all its entries
     * when the span outgrows the TLB.
     */
    public void flushPage(long va) {
        generation++;
        pageFlushes++;
        for (int r = 0; r < regimes.length; r++) {
            long[][] set = regimes[r];
            if (set == null) continue;
            long span = largestLeaf[r];
            if (span / PAGE_SIZE > entries) {
                clearRegime(r);
                continue;
            }
            long first = va & -span;
            for (long k = 0, pages = span / PAGE_SIZE; k < pages; k++) {
                long page = first + k * PAGE_SIZE; // counted, not compared: the span may end at 2^64
                int i = index(page, indexMask);
                if (set[0][i] == page) set[0][i] = INVALID;
                if ((set[1][i] & PAGE_MASK) == page) set[1][i] = INVALID;
                if (set[2][i] == page) set[2][i] = INVALID;
            }
        }
    }

    private void noteFill(int i) {
        fills++;
        int n = touchedCount[regime];
        if (n < TOUCH_LIMIT) touched[regime][n] = i;
        if (n <= TOUCH_LIMIT) touchedCount[regime] = n + 1;
    }

    /** Drops write permission for every entry mapping the page of {@code va} (it now holds code). */
    public void revokeWrite(long va) {
        forEachRegime(() -> revokeWriteCurrent(va));
    }

    private void revokeWriteCurrent(long va) {
        int i = index(va, indexMask);
        if ((writeTag[i] & PAGE_MASK) == (va & PAGE_MASK)) writeTag[i] = INVALID;
    }

    /** Installs a translation of the page of {@code va}; each flag enables one kind of access. */
    public void install(long va, long ramOffsetOfPage, boolean read, boolean write, boolean exec) {
        checkMapping(va, ramOffsetOfPage);
        int i = index(va, indexMask);
        long page = va & PAGE_MASK;
        noteFill(i);
        readTag[i] = read ? page : INVALID;
        writeTag[i] = write && !storesAlwaysSlow ? (codePages.contains(ramOffsetOfPage >>> PAGE_SHIFT) ? page | CODE_MARK : page) : INVALID;
        execTag[i] = exec ? page : INVALID;
        addend[i] = ramOffsetOfPage - page;
        hostAddend[i] = ramAddress + ramOffsetOfPage - page;
    }

    /**
     * Adds permissions for the page of {@code va}, which maps to RAM offset {@code ramOffsetOfPage}.
     * Permissions the entry already holds for the same mapping are kept (a fetch after a load of the
     * same page); an entry for another page or mapping is replaced. {@code leafSize} is the bytes
     * of the mapping the translation came from (see {@link #flushPage}).
     */
    public void grant(long va, long ramOffsetOfPage, boolean read, boolean write, boolean exec, long leafSize) {
        checkMapping(va, ramOffsetOfPage);
        if (leafSize > largestLeaf[regime]) largestLeaf[regime] = leafSize;
        int i = index(va, indexMask);
        long page = va & PAGE_MASK;
        long add = ramOffsetOfPage - page;
        noteFill(i);
        boolean same = addend[i] == add && (readTag[i] == page || execTag[i] == page
                || writeTag[i] != INVALID && (writeTag[i] & PAGE_MASK) == page);
        if (!same) {
            readTag[i] = INVALID;
            writeTag[i] = INVALID;
            execTag[i] = INVALID;
            addend[i] = add;
            hostAddend[i] = ramAddress + add;
        }
        if (read) readTag[i] = page;
        if (write && !storesAlwaysSlow) writeTag[i] = codePages.contains(ramOffsetOfPage >>> PAGE_SHIFT) ? page | CODE_MARK : page;
        if (exec) execTag[i] = page;
    }

    /** Makes every store take the slow path (and drops cached write permissions now). */
    public void setStoresAlwaysSlow(boolean on) {
        storesAlwaysSlow = on;
        if (on) forEachRegime(() -> Arrays.fill(writeTag, INVALID));
    }

    public void setCodeWriteListener(CodeWriteListener listener) {
        this.codeWriteListener = listener;
    }

    /** The RAM offset that an executable, cached {@code va} maps to, or -1 if it is not cached. */
    public long execRamOffset(long va) {
        int i = index(va, indexMask);
        return execTag[i] == (va & PAGE_MASK) ? va + addend[i] : -1;
    }

    /**
     * Records that RAM page {@code ramPage} (RAM offset >>> 12) now holds translated code: stores to
     * it will take the slow path. Cached writable translations of it are marked at once.
     */
    public void markCodePage(long ramPage) {
        if (!codePages.add(ramPage)) return;
        forEachRegime(() -> markCurrent(ramPage));
    }

    private void markCurrent(long ramPage) {
        for (int i = 0; i < entries; i++) {
            long tag = writeTag[i];
            if (tag != INVALID && ((tag & PAGE_MASK) + addend[i]) >>> PAGE_SHIFT == ramPage) writeTag[i] = tag | CODE_MARK;
        }
    }

    /** Whether RAM page {@code ramPage} holds translated code. */
    public boolean isCodePage(long ramPage) {
        return codePages.contains(ramPage);
    }

    /**
     * Called by slow paths before they write RAM at {@code ramOffset}: if the page holds translated
     * code, the listener invalidates it and the page stops being a code page.
     */
    public void noteStore(long ramOffset, int size) {
        long first = ramOffset >>> PAGE_SHIFT, last = (ramOffset + size - 1) >>> PAGE_SHIFT;
        for (long p = first; p <= last; p++) {
            if (codePages.remove(p)) {
                long page = p;
                forEachRegime(() -> unmarkCurrent(page));
                if (codeWriteListener != null) codeWriteListener.codeWritten(p);
            }
        }
    }

    /** Forgets all code pages (the code cache was cleared). */
    private void unmarkCurrent(long page) {
        for (int i = 0; i < entries; i++) {
            long tag = writeTag[i];
            if ((tag & CODE_MARK) != 0 && tag != INVALID && ((tag & PAGE_MASK) + addend[i]) >>> PAGE_SHIFT == page) {
                writeTag[i] = tag & ~CODE_MARK;
            }
        }
    }

    public void clearCodePages() {
        codePages.clear();
        forEachRegime(() -> {
            for (int i = 0; i < entries; i++) {
                if (writeTag[i] != INVALID) writeTag[i] &= ~CODE_MARK;
            }
        });
    }

    // ---- fast paths: one compare, one access ----
    //
    // The access is Unsafe's at va + hostAddend[i] (HostAccess): C2 inlines it to one instruction,
    // where a MemorySegment access inlines a chain of class, bounds and liveness checks. Safe for
    // the reason the translator's is: it happens only after the tag check, and the TLB maps whole
    // RAM pages (an aligned access never leaves its page).

    public long load64(long va) {
        int i = (int) (va >>> PAGE_SHIFT) & indexMask;
        if (readTag[i] == (va & (PAGE_MASK | 7))) return HostAccess.getLong(va + hostAddend[i]);
        return slowPath.load(va, 8);
    }

    public int load32(long va) {
        int i = (int) (va >>> PAGE_SHIFT) & indexMask;
        if (readTag[i] == (va & (PAGE_MASK | 3))) return HostAccess.getInt(va + hostAddend[i]);
        return (int) slowPath.load(va, 4);
    }

    public short load16(long va) {
        int i = (int) (va >>> PAGE_SHIFT) & indexMask;
        if (readTag[i] == (va & (PAGE_MASK | 1))) return HostAccess.getShort(va + hostAddend[i]);
        return (short) slowPath.load(va, 2);
    }

    public byte load8(long va) {
        int i = (int) (va >>> PAGE_SHIFT) & indexMask;
        if (readTag[i] == (va & PAGE_MASK)) return HostAccess.getByte(va + hostAddend[i]);
        return (byte) slowPath.load(va, 1);
    }

    public void store64(long va, long v) {
        int i = (int) (va >>> PAGE_SHIFT) & indexMask;
        if (writeTag[i] == (va & (PAGE_MASK | 7))) HostAccess.putLong(va + hostAddend[i], v);
        else slowPath.store(va, v, 8);
    }

    public void store32(long va, int v) {
        int i = (int) (va >>> PAGE_SHIFT) & indexMask;
        if (writeTag[i] == (va & (PAGE_MASK | 3))) HostAccess.putInt(va + hostAddend[i], v);
        else slowPath.store(va, v, 4);
    }

    public void store16(long va, short v) {
        int i = (int) (va >>> PAGE_SHIFT) & indexMask;
        if (writeTag[i] == (va & (PAGE_MASK | 1))) HostAccess.putShort(va + hostAddend[i], v);
        else slowPath.store(va, v, 2);
    }

    public void store8(long va, byte v) {
        int i = (int) (va >>> PAGE_SHIFT) & indexMask;
        if (writeTag[i] == (va & PAGE_MASK)) HostAccess.putByte(va + hostAddend[i], v);
        else slowPath.store(va, v, 1);
    }

    /** See {@link MemorySlowPath#atomicOffset}: the RAM offset of an aligned, readable and writable address. */
    public long atomicOffset(long va, int size) {
        int i = (int) (va >>> PAGE_SHIFT) & indexMask;
        long tag = va & (PAGE_MASK | (size - 1));
        if (writeTag[i] == tag && readTag[i] == tag) return va + addend[i];
        return slowPath.atomicOffset(va, size);
    }

    /** See {@link MemorySlowPath#reservationOffset}: the RAM offset of an aligned, readable address. */
    public long reservationOffset(long va, int size) {
        int i = (int) (va >>> PAGE_SHIFT) & indexMask;
        if (readTag[i] == (va & (PAGE_MASK | (size - 1)))) return va + addend[i];
        return slowPath.reservationOffset(va, size);
    }

    /** Fetches a 16-bit instruction parcel (instructions are 2-byte aligned). */
    public int fetch16(long va) {
        int i = (int) (va >>> PAGE_SHIFT) & indexMask;
        if (execTag[i] == (va & PAGE_MASK)) return ram.get(SHORT, va + addend[i]) & 0xFFFF;
        return slowPath.fetch16(va);
    }
}
