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
    /** Guest pc each direct exit slot leads to. */
    public final long[] exitTargets;
    public final Region<C>[] successors;
    public final int guestInstructions;
    public final int bytecodeSize;
    /** Cleared by invalidation, which like every use of a region happens on its hart's thread. */
    public boolean valid = true;

    @SuppressWarnings("unchecked")
    public Region(long key, long context, C code, long[] pages, long[] exitTargets, int guestInstructions, int bytecodeSize) {
        this.key = key;
        this.context = context;
        this.code = code;
        this.pages = pages;
        this.exitTargets = exitTargets;
        this.successors = (Region<C>[]) new Region<?>[exitTargets.length];
        this.guestInstructions = guestInstructions;
        this.bytecodeSize = bytecodeSize;
    }
}
