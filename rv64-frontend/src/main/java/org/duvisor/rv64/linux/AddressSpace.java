package org.duvisor.rv64.linux;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.duvisor.dbt.memory.HostMemory;
import org.duvisor.dbt.memory.MemorySlowPath;
import org.duvisor.dbt.memory.SoftTlb;
import org.duvisor.rv64.hart.Cause;
import org.duvisor.rv64.hart.Hart;

/**
 * The virtual memory of a guest Linux process: one 64 GiB host window reserved with
 * {@code MAP_NORESERVE}, in which a guest virtual address is the offset (so every TLB addend is
 * 0), plus a permission byte per 4 KiB page and the set of mapped ranges. Addresses at or above
 * 64 GiB, and pages not mapped with the needed permission, fault.
 *
 * <p>Invariant: an unmapped page reads as zero (unmapping discards it), so a new anonymous mapping
 * needs no clearing.
 *
 * <p>As the TLB's {@link MemorySlowPath} it refills the TLB on misses, performs misaligned
 * accesses (legal in Linux user mode; they may straddle two pages) and records page faults in the
 * hart: cause 12/13/15 with the faulting address as tval.
 */
public final class AddressSpace implements MemorySlowPath, AutoCloseable {
    public static final long SIZE = 1L << 36;
    public static final long PAGE = SoftTlb.PAGE_SIZE;
    static final int PAGES = (int) (SIZE >>> SoftTlb.PAGE_SHIFT);

    /** Permission bits of a page, the PROT_* values, plus "mapped at all". */
    public static final int R = 1, W = 2, X = 4, MAPPED = 8;

    /** The initial stack: 8 MiB below one guard page at the very top of the window. */
    public static final long STACK_TOP = SIZE - PAGE;
    public static final long STACK_SIZE = 8L << 20;
    /**
     * mmap places mappings top-down from here, leaving a gap below the stack. It is 8 MiB short of
     * a multiple of 256 MiB so that the first mappings do not share soft-TLB entries with the top
     * of the stack (a power-of-two TLB indexes by address modulo its reach).
     */
    public static final long MMAP_TOP = 0xF_0000_0000L - (8L << 20);
    public static final long MMAP_LOW = 0x1_0000L;
    /** Where a static-PIE executable's lowest segment goes. */
    public static final long PIE_BASE = 0x4000_0000L;

    private static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;

    private final HostMemory memory;
    private final MemorySegment ram;
    private final SoftTlb tlb;
    private final byte[] perms = new byte[PAGES];
    private final PageRanges mapped = new PageRanges();
    private Hart hart;
    private Runnable codeFlush = () -> { };
    private long brkStart, brk;

    /**
     * The direct windows for loads and for stores handed out since the last revocation
     * ({@code [lo, hi)} pairs, see {@link #directWindow}); translated code has their bounds
     * compiled in.
     */
    private final List<long[]> loadWindows = new java.util.ArrayList<>(), storeWindows = new java.util.ArrayList<>();
    private Runnable windowRevoked = () -> { };
    private int revocations;
    /**
     * Revocations after which no more windows are handed out: a guest that keeps unmapping or
     * re-protecting its data would otherwise keep discarding all of its translated code.
     */
    static final int MAX_REVOCATIONS = 8;
    /** The permission byte of a page a direct window for stores may cover: mapped, readable and writable, not executable. */
    private static final int STORE_DIRECT = MAPPED | R | W;

    public AddressSpace(int tlbEntries) {
        memory = HostMemory.reserve(SIZE);
        ram = memory.segment();
        tlb = new SoftTlb(tlbEntries, ram);
        tlb.setSlowPath(this);
        tlb.requireIdentityMapping(); // guest address == RAM offset, see install

    }

    public SoftTlb tlb() {
        return tlb;
    }

    public MemorySegment ram() {
        return ram;
    }

    /** The hart whose accesses fault here. */
    public void attach(Hart hart) {
        this.hart = hart;
    }

    /** Called when executable pages are unmapped or lose execute permission. */
    public void onCodeChange(Runnable flush) {
        this.codeFlush = flush;
    }

    /**
     * Called when a mapping change breaks a direct window that translated code may use: all
     * translated code must then be discarded (see {@link #directWindow}).
     */
    public void onWindowRevoked(Runnable discardTranslations) {
        this.windowRevoked = discardTranslations;
    }

    /** How many times direct windows were revoked. */
    public int windowRevocations() {
        return revocations;
    }

    @Override
    public void close() {
        memory.close();
    }

    // ---- permissions ----

    /** The permission bits of the page holding {@code address}; 0 outside the window. */
    public int perm(long address) {
        return (address >>> 36) != 0 ? 0 : perms[(int) (address >>> SoftTlb.PAGE_SHIFT)];
    }

    /** Whether every byte of [address, address+length) is on a page with all of {@code need}. */
    public boolean accessible(long address, long length, int need) {
        if (length == 0) return true;
        if (length < 0 || (address >>> 36) != 0 || length > SIZE - address) return false;
        int first = (int) (address >>> SoftTlb.PAGE_SHIFT);
        int last = (int) ((address + length - 1) >>> SoftTlb.PAGE_SHIFT);
        for (int p = first; p <= last; p++) {
            if ((perms[p] & need) != need) return false;
        }
        return true;
    }

    static long pageUp(long v) {
        return (v + PAGE - 1) & SoftTlb.PAGE_MASK;
    }

    static boolean inWindow(long start, long length) {
        return start >= 0 && length >= 0 && start <= SIZE && length <= SIZE - start;
    }

    // ---- slow path ----

    private void install(long address, int p) {
        tlb.install(address, address & SoftTlb.PAGE_MASK, (p & R) != 0, (p & W) != 0, (p & X) != 0);
    }

    /** Checks that both pages of [address, address+size) allow {@code need}; raises {@code cause} if not. */
    private boolean permit(long address, int size, int need, int cause) {
        int p = perm(address);
        if ((p & need) != need) {
            hart.raise(cause, address);
            return false;
        }
        install(address, p);
        long lastPage = (address + size - 1) & SoftTlb.PAGE_MASK;
        if (lastPage != (address & SoftTlb.PAGE_MASK)) {
            int q = perm(lastPage);
            if ((q & need) != need) {
                hart.raise(cause, lastPage);
                return false;
            }
            install(lastPage, q);
        }
        return true;
    }

    @Override
    public long load(long address, int size) {
        if (!permit(address, size, R, Cause.LOAD_PAGE_FAULT)) return 0;
        return switch (size) {
            case 1 -> ram.get(BYTE, address) & 0xFFL;
            case 2 -> ram.get(SoftTlb.SHORT, address) & 0xFFFFL;
            case 4 -> ram.get(SoftTlb.INT, address) & 0xFFFF_FFFFL;
            default -> ram.get(SoftTlb.LONG, address);
        };
    }

    @Override
    public void store(long address, long value, int size) {
        if (!permit(address, size, W, Cause.STORE_PAGE_FAULT)) return;
        tlb.noteStore(address, size);
        switch (size) {
            case 1 -> ram.set(BYTE, address, (byte) value);
            case 2 -> ram.set(SoftTlb.SHORT, address, (short) value);
            case 4 -> ram.set(SoftTlb.INT, address, (int) value);
            default -> ram.set(SoftTlb.LONG, address, value);
        }
    }

    @Override
    public int fetch16(long address) {
        if (!permit(address, 2, X, Cause.INSTRUCTION_PAGE_FAULT)) return 0;
        return ram.get(SoftTlb.SHORT, address) & 0xFFFF;
    }

    @Override
    public long atomicOffset(long address, int size) {
        if ((address & (size - 1)) != 0) {
            hart.raise(Cause.STORE_MISALIGNED, address);
            return -1;
        }
        if (!permit(address, size, R | W, Cause.STORE_PAGE_FAULT)) return -1;
        tlb.noteStore(address, size);
        return address;
    }

    // ---- direct windows ----

    /**
     * The largest run of pages around {@code address} that no access of the kind can fault on:
     * for loads readable pages, for stores read-write pages that are not executable and hold no
     * translated code (so no store there can modify code). Until a mapping change touches it
     * ({@link #revokeWindows}), translated code may access it without the TLB. Asked on the hart's
     * thread, when a region is planned.
     */
    @Override
    public long[] directWindow(long address, boolean store) {
        long page = address & SoftTlb.PAGE_MASK;
        if (revocations >= MAX_REVOCATIONS || !direct(page, store)) return null;
        List<long[]> handedOut = store ? storeWindows : loadWindows;
        for (long[] w : handedOut) {
            if (address >= w[0] && address < w[1]) {
                grow(w, store); // the run may have grown since (brk, adjacent mappings)
                return w.clone();
            }
        }
        long[] w = {page, page + PAGE};
        grow(w, store);
        handedOut.removeIf(old -> old[0] >= w[0] && old[1] <= w[1]);
        handedOut.add(w);
        return w.clone();
    }

    private boolean direct(long page, boolean store) {
        if ((page >>> 36) != 0) return false;
        int p = perms[(int) (page >>> SoftTlb.PAGE_SHIFT)];
        return store ? p == STORE_DIRECT && !tlb.isCodePage(page >>> SoftTlb.PAGE_SHIFT) : (p & R) != 0;
    }

    private void grow(long[] w, boolean store) {
        while (w[0] > 0 && direct(w[0] - PAGE, store)) w[0] -= PAGE;
        while (w[1] < SIZE && direct(w[1], store)) w[1] += PAGE;
    }

    /**
     * After the pages of [start, end) changed: if a window handed out overlaps them and
     * {@code always} (they were unmapped or moved) or one of the overlapped pages no longer fits
     * the window's kind, every window is withdrawn and all translated code discarded.
     */
    private void revokeWindows(long start, long end, boolean always) {
        if (!broken(loadWindows, false, start, end, always) && !broken(storeWindows, true, start, end, always)) return;
        loadWindows.clear();
        storeWindows.clear();
        revocations++;
        windowRevoked.run();
    }

    private boolean broken(List<long[]> windows, boolean store, long start, long end, boolean always) {
        for (long[] w : windows) {
            long from = Math.max(start, w[0]), to = Math.min(end, w[1]);
            if (from >= to) continue;
            if (always) return true;
            for (long p = from; p < to; p += PAGE) if (!direct(p, store)) return true;
        }
        return false;
    }

    // ---- direct access for the loader and system calls (callers check permissions first) ----

    /** Tells the TLB that the host is about to write [address, address+length) (translated code there goes stale). */
    public void noteWrite(long address, long length) {
        if (length <= 0) return;
        long first = address & SoftTlb.PAGE_MASK;
        for (long p = first; p < address + length; p += PAGE) tlb.noteStore(p, 1);
    }

    public byte getByte(long a) {
        return ram.get(BYTE, a);
    }

    public void putByte(long a, byte v) {
        ram.set(BYTE, a, v);
    }

    public int getInt(long a) {
        return ram.get(SoftTlb.INT, a);
    }

    public void putInt(long a, int v) {
        ram.set(SoftTlb.INT, a, v);
    }

    public long getLong(long a) {
        return ram.get(SoftTlb.LONG, a);
    }

    public void putLong(long a, long v) {
        ram.set(SoftTlb.LONG, a, v);
    }

    public void putBytes(long a, byte[] data, int offset, int length) {
        MemorySegment.copy(data, offset, ram, BYTE, a, length);
    }

    public byte[] getBytes(long a, int length) {
        byte[] out = new byte[length];
        MemorySegment.copy(ram, BYTE, a, out, 0, length);
        return out;
    }

    /** The guest bytes [a, a+length) as a host memory segment. */
    public MemorySegment slice(long a, long length) {
        return ram.asSlice(a, length);
    }

    /**
     * Reads a NUL-terminated string of at most {@code max} bytes (without the NUL) from readable
     * memory; null if it runs into an unreadable page, and a string of {@code max + 1} characters
     * if no NUL was found within the limit.
     */
    public String readCString(long address, int max) {
        StringBuilder sb = new StringBuilder();
        long a = address;
        for (int n = 0; n <= max; n++, a++) {
            if (n == 0 || (a & (PAGE - 1)) == 0) {
                if ((perm(a) & R) == 0) return null;
            }
            byte b = ram.get(BYTE, a);
            if (b == 0) return sb.toString();
            sb.append((char) (b & 0xFF));
        }
        return sb.toString();
    }

    /** Writes a string's bytes (ISO-8859-1, one char per byte) and a NUL; returns the bytes written. */
    public int putCString(long address, String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        putBytes(address, b, 0, b.length);
        putByte(address + b.length, (byte) 0);
        return b.length + 1;
    }

    // ---- mappings ----

    /** Maps [start, start+length) (page aligned, free or being replaced) with PROT bits {@code prot}. */
    public void map(long start, long length, int prot) {
        byte p = (byte) (MAPPED | (prot & (R | W | X)) | ((prot & W) != 0 ? R : 0));
        int first = (int) (start >>> SoftTlb.PAGE_SHIFT);
        int n = (int) (length >>> SoftTlb.PAGE_SHIFT);
        java.util.Arrays.fill(perms, first, first + n, p);
        mapped.add(start, start + length);
        tlb.flush();
        revokeWindows(start, start + length, false);
    }

    /** Unmaps whatever is mapped in [start, start+length) (page aligned); the pages read zero afterwards. */
    public void unmap(long start, long length) {
        List<long[]> parts = mapped.intersect(start, start + length);
        if (parts.isEmpty()) return;
        boolean code = false;
        for (long[] r : parts) {
            int first = (int) (r[0] >>> SoftTlb.PAGE_SHIFT);
            int end = (int) (r[1] >>> SoftTlb.PAGE_SHIFT);
            for (int p = first; p < end; p++) {
                if ((perms[p] & X) != 0) code = true;
                perms[p] = 0;
            }
            memory.discard(r[0], r[1] - r[0]);
        }
        mapped.remove(start, start + length);
        tlb.flush();
        revokeWindows(start, start + length, true);
        if (code) codeFlush.run();
    }

    /** Discards the contents of the mapped pages of [start, start+length), which then read zero. */
    public void discardMapped(long start, long length) {
        for (long[] r : mapped.intersect(start, start + length)) memory.discard(r[0], r[1] - r[0]);
    }

    /** Whether all of [start, start+length) is mapped. */
    public boolean isMapped(long start, long length) {
        return mapped.covers(start, start + length);
    }

    public boolean isFree(long start, long length) {
        return mapped.isFree(start, start + length);
    }

    /** Changes the permissions of [start, start+length), which must be mapped. */
    public void protect(long start, long length, int prot) {
        byte np = (byte) (MAPPED | (prot & (R | W | X)) | ((prot & W) != 0 ? R : 0));
        int first = (int) (start >>> SoftTlb.PAGE_SHIFT);
        int n = (int) (length >>> SoftTlb.PAGE_SHIFT);
        boolean code = false;
        for (int p = first; p < first + n; p++) {
            if ((perms[p] & X) != 0 && (np & X) == 0) code = true;
            perms[p] = np;
        }
        tlb.flush();
        revokeWindows(start, start + length, false);
        if (code) codeFlush.run();
    }

    /** Adds permissions to the pages of [start, start+length) (the loader, for pages two segments share). */
    void addPerm(long start, long length, int prot) {
        long s = start & SoftTlb.PAGE_MASK, e = pageUp(start + length);
        for (long a = s; a < e; a += PAGE) {
            int i = (int) (a >>> SoftTlb.PAGE_SHIFT);
            perms[i] = (byte) (perms[i] | MAPPED | prot | ((prot & W) != 0 ? R : 0));
        }
        mapped.add(s, e);
        tlb.flush();
        revokeWindows(s, e, false);
    }

    /** A free, page-aligned range of {@code length} bytes for a mapping without a fixed address, or -1. */
    public long findFree(long length) {
        return mapped.findFreeTopDown(length, MMAP_LOW, MMAP_TOP);
    }

    /** Copies the contents and permissions of [from, from+length) to [to, to+length) (both page aligned). */
    void move(long from, long to, long length) {
        MemorySegment.copy(ram, from, ram, to, length);
        int f = (int) (from >>> SoftTlb.PAGE_SHIFT), t = (int) (to >>> SoftTlb.PAGE_SHIFT);
        int n = (int) (length >>> SoftTlb.PAGE_SHIFT);
        System.arraycopy(perms, f, perms, t, n);
        mapped.add(to, to + length);
        tlb.flush();
        revokeWindows(to, to + length, true);
    }

    // ---- program break ----

    /** Sets the initial break (page aligned, after the highest loaded segment). */
    public void initBrk(long start) {
        brkStart = brk = pageUp(start);
    }

    public long brk() {
        return brk;
    }

    /** brk(2): moves the break if it can; returns the new break, or the old one on failure. */
    public long brk(long request) {
        if (request < brkStart || request > MMAP_TOP) return brk;
        long oldTop = pageUp(brk), newTop = pageUp(request);
        if (newTop > oldTop) {
            if (!mapped.isFree(oldTop, newTop)) return brk;
            map(oldTop, newTop - oldTop, R | W);
        } else if (newTop < oldTop) {
            unmap(newTop, oldTop - newTop);
        }
        brk = request;
        return brk;
    }

    @Override
    public String toString() {
        return "AddressSpace " + mapped;
    }
}
