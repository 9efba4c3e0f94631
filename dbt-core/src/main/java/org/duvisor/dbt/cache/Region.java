package org.duvisor.dbt.cache;

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

    @SuppressWarnings("unchecked")
    public Region(long key, long context, C code, long[] pages, long[] otherPages, long[] otherPageOffsets,
                  long[] exitTargets, int guestInstructions, int bytecodeSize) {
        if (otherPages.length != otherPageOffsets.length) throw new IllegalArgumentException("a frame for each other page");
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
}
