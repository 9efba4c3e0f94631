package org.duvisor.dbt.cache;

import java.util.ArrayList;
import java.util.List;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * Translated regions by (pc, context), with a direct-mapped front cache for indirect exits and an
 * index from guest pages to the regions translated from them, so that a write to a code page
 * invalidates exactly the regions overlapping it.
 *
 * <p>The context holds everything the generated code bakes in besides the pc (privilege, MMU mode,
 * FP state, ...); the frontend encodes it. One cache belongs to one hart's thread.
 *
 * @param <C> the frontend's type of compiled code
 */
public final class CodeCache<C> {
    private static final int FRONT_BITS = 12;
    private final Object[] front = new Object[1 << FRONT_BITS];
    private final Long2ObjectHashMap<List<Region<C>>> byPc = new Long2ObjectHashMap<>();
    private final Long2ObjectHashMap<List<Region<C>>> byPage = new Long2ObjectHashMap<>();
    private final DbtStatistics stats;

    public CodeCache(DbtStatistics stats) {
        this.stats = stats;
    }

    private static int slot(long pc, long context) {
        return (int) ((pc >>> 1) ^ (context * 0x9E3779B97F4A7C15L >>> 40)) & ((1 << FRONT_BITS) - 1);
    }

    /** The valid region for (pc, context), or null. */
    @SuppressWarnings("unchecked")
    public Region<C> lookup(long pc, long context) {
        stats.dispatcherLookups++;
        int s = slot(pc, context);
        Region<C> r = (Region<C>) front[s];
        if (r != null && r.key == pc && r.context == context && r.valid) return r;
        List<Region<C>> list = byPc.get(pc);
        if (list == null) return null;
        for (Region<C> candidate : list) {
            if (candidate.context == context && candidate.valid) {
                front[s] = candidate;
                return candidate;
            }
        }
        return null;
    }

    public void add(Region<C> r) {
        byPc.computeIfAbsent(r.key, k -> new ArrayList<>(1)).add(r);
        for (long page : r.pages) byPage.computeIfAbsent(page, k -> new ArrayList<>(2)).add(r);
        front[slot(r.key, r.context)] = r;
        stats.regionsCompiled++;
        stats.guestInstructionsTranslated += r.guestInstructions;
        stats.bytecodeBytes += r.bytecodeSize;
    }

    /** Whether a valid region starts at {@code pc} (in any context). */
    public boolean hasEntryAt(long pc) {
        List<Region<C>> list = byPc.get(pc);
        if (list == null) return false;
        for (Region<C> r : list) if (r.valid) return true;
        return false;
    }

    /** Whether any region was translated from guest page {@code page}. */
    public boolean hasCodeOn(long page) {
        return byPage.containsKey(page);
    }

    /** Invalidates every region translated from guest page {@code page}; returns how many. */
    public int invalidatePage(long page) {
        List<Region<C>> list = byPage.remove(page);
        if (list == null) return 0;
        for (Region<C> r : list) invalidate(r);
        return list.size();
    }

    /** Invalidates one region (a no-op if it already is). */
    public void invalidate(Region<C> r) {
        if (!r.valid) return;
        r.valid = false;
        stats.invalidations++;
        List<Region<C>> same = byPc.get(r.key);
        if (same != null) {
            same.remove(r);
            if (same.isEmpty()) byPc.remove(r.key);
        }
        for (long page : r.pages) {
            List<Region<C>> onPage = byPage.get(page);
            if (onPage != null) {
                onPage.remove(r);
                if (onPage.isEmpty()) byPage.remove(page);
            }
        }
    }

    /** The guest pages that regions were translated from now. */
    public long[] pages() {
        long[] out = new long[byPage.size()];
        int n = 0;
        for (Long2ObjectHashMap<List<Region<C>>>.KeyIterator it = byPage.keySet().iterator(); it.hasNext(); ) out[n++] = it.nextLong();
        return out;
    }

    /** Drops everything (FENCE.I, address-space changes). */
    public void clear() {
        byPc.values().forEach(list -> list.forEach(r -> r.valid = false));
        stats.invalidations += byPc.values().stream().mapToInt(List::size).sum();
        byPc.clear();
        byPage.clear();
        java.util.Arrays.fill(front, null);
    }

    public int size() {
        return byPc.values().stream().mapToInt(List::size).sum();
    }
}
