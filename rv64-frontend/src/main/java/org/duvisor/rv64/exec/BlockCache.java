package org.duvisor.rv64.exec;

import org.agrona.collections.Long2ObjectHashMap;

/**
 * Decoded blocks by start pc: a small direct-mapped array in front of a hash map. Invalidation is
 * whole-cache (FENCE.I, unmapping code); finer, per-page invalidation belongs to the translator.
 *
 * <p>A clear is frequent (a Linux boot does hundreds of FENCE.I) and must not cost a pass over
 * every slot: it moves on the generation, and a block is found only in the generation it was put
 * in. The stale blocks are dropped when they are replaced, or all at once once there are many.
 */
public final class BlockCache {
    private static final int FRONT_BITS = 12;
    /** A clear empties the map once it holds this many blocks, current or stale. */
    private static final int STALE_LIMIT = 1 << 14;
    private final Block[] front = new Block[1 << FRONT_BITS];
    private final Long2ObjectHashMap<Block> all = new Long2ObjectHashMap<>();
    private int generation;

    public Block get(long pc) {
        int slot = (int) (pc >>> 1) & ((1 << FRONT_BITS) - 1);
        Block b = front[slot];
        if (b != null && b.pc == pc && b.cacheGeneration == generation) return b;
        b = all.get(pc);
        if (b == null || b.cacheGeneration != generation) return null;
        front[slot] = b;
        return b;
    }

    public void put(Block b) {
        b.cacheGeneration = generation;
        all.put(b.pc, b);
        front[(int) (b.pc >>> 1) & ((1 << FRONT_BITS) - 1)] = b;
    }

    public void clear() {
        generation++;
        if (all.size() >= STALE_LIMIT) {
            all.clear();
            java.util.Arrays.fill(front, null);
        }
    }
}
