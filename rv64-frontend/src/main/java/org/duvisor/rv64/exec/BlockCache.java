package org.duvisor.rv64.exec;

import org.agrona.collections.Long2ObjectHashMap;

/**
 * Decoded blocks by start pc: a small direct-mapped array in front of a hash map. Invalidation is
 * whole-cache (FENCE.I, unmapping code); finer, per-page invalidation belongs to the translator.
 */
public final class BlockCache {
    private static final int FRONT_BITS = 12;
    private final Block[] front = new Block[1 << FRONT_BITS];
    private final Long2ObjectHashMap<Block> all = new Long2ObjectHashMap<>();

    public Block get(long pc) {
        int slot = (int) (pc >>> 1) & ((1 << FRONT_BITS) - 1);
        Block b = front[slot];
        if (b != null && b.pc == pc) return b;
        b = all.get(pc);
        if (b != null) front[slot] = b;
        return b;
    }

    public void put(Block b) {
        all.put(b.pc, b);
        front[(int) (b.pc >>> 1) & ((1 << FRONT_BITS) - 1)] = b;
    }

    public void clear() {
        java.util.Arrays.fill(front, null);
        all.clear();
    }

    public int size() {
        return all.size();
    }
}
