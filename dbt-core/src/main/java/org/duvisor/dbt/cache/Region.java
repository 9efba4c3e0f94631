package org.duvisor.dbt.cache;

import java.util.Arrays;

/**
 * A translated region: guest code from one entry point, compiled into one JVM method.
 *
 * <p>Each direct exit of the region has a slot; {@link #successors} caches the region that slot
 * last led to ("chaining"), so the dispatcher follows a reference instead of looking the next pc up.
 * Invalidation clears {@link #valid}; chained predecessors notice it when they follow the link.
 *
 * @param <C> the frontend's type of compiled code
 */
public final class Region<C> {
    public final long key;
    public final long context;
    public final C code;
    /** Guest pages (page numbers) whose bytes this region was translated from. */
    public final long[] pages;
    /**
     * Under paging, the virtual pages besides its entry's that the region's code was read from, and
     * the RAM offset each mapped to then ({@code otherPageOffsets[k]} for {@code otherPages[k]}, both
     * page-aligned): the context fixes only the entry's mapping, so the dispatcher checks these before
     * it enters the region. Empty for a region within one page, and without paging.
     */
    public final long[] otherPages, otherPageOffsets;
    /** Guest pc each direct exit slot leads to. */
    public final long[] exitTargets;
    public final Region<C>[] successors;
    /** The TLB generation each successor link was made in; a link from another generation is looked up again. */
    public final int[] successorGenerations;
    public final int guestInstructions;
    public final int bytecodeSize;
    /** Cleared by invalidation, which like every use of a region happens on its hart's thread. */
    public boolean valid = true;
    /** Accesses of the region that missed the direct windows compiled into it (see the frontend's translator). */
    public long windowMisses;
    /**
     * For an indirect exit slot, the regions it led to before {@code successors[slot]}, most
     * recent first, made in the same generation: with the successor, a small per-site cache of
     * {@link #INDIRECT_WAYS} targets, for jumps through tables and returns to several callers.
     * Allocated at a slot's first miss.
     */
    private Region<C>[][] olderTargets;
    public static final int INDIRECT_WAYS = 4;

    @SuppressWarnings("unchecked")
    public Region(long key, long context, C code, long[] pages, long[] otherPages, long[] otherPageOffsets,
                  long[] exitTargets, int guestInstructions, int bytecodeSize) {
        if (otherPages.length != otherPageOffsets.length) throw new IllegalArgumentException("one RAM offset for each other page");
        this.key = key;
        this.context = context;
        this.code = code;
        this.pages = pages;
        this.otherPages = otherPages;
        this.otherPageOffsets = otherPageOffsets;
        this.exitTargets = exitTargets;
        this.successors = (Region<C>[]) new Region<?>[exitTargets.length];
        this.successorGenerations = new int[exitTargets.length];
        this.guestInstructions = guestInstructions;
        this.bytecodeSize = bytecodeSize;
    }

    /**
     * Links exit {@code slot} to {@code target} (null: none) in TLB generation {@code generation}.
     * For an indirect slot linked in the same generation before, the previous target is kept
     * among its older targets.
     */
    @SuppressWarnings("unchecked")
    public void link(int slot, Region<C> target, int generation, boolean indirect) {
        if (indirect) {
            if (olderTargets == null) olderTargets = (Region<C>[][]) new Region<?>[exitTargets.length][];
            Region<C>[] older = olderTargets[slot];
            if (older == null) older = olderTargets[slot] = (Region<C>[]) new Region<?>[INDIRECT_WAYS - 1];
            if (successorGenerations[slot] == generation) {
                System.arraycopy(older, 0, older, 1, older.length - 1);
                older[0] = successors[slot];
            } else {
                Arrays.fill(older, null);
            }
        }
        successors[slot] = target;
        successorGenerations[slot] = generation;
    }

    /**
     * An older target of indirect slot {@code slot}, made in the slot's current generation, that
     * starts at {@code pc}: it becomes the slot's successor (the others move down). Null if none.
     */
    public Region<C> promoteOlderTarget(int slot, long pc) {
        Region<C>[] older = olderTargets == null ? null : olderTargets[slot];
        if (older == null) return null;
        for (int k = 0; k < older.length; k++) {
            Region<C> t = older[k];
            if (t != null && t.key == pc && t.valid) {
                System.arraycopy(older, 0, older, 1, k);
                older[0] = successors[slot];
                successors[slot] = t;
                return t;
            }
        }
        return null;
    }
}
