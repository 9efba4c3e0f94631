package org.duvisor.rv64.dbt;

import java.util.BitSet;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.LongConsumer;
import java.util.function.Predicate;
import org.agrona.collections.IntArrayList;
import org.agrona.collections.Long2LongHashMap;
import org.duvisor.rv64.exec.Block;
import org.duvisor.rv64.isa.Insn;

/**
 * Chooses the integer registers a region stores to the hart when it writes them (write-through)
 * instead of at its exits: those whose value no block of the region reads after control moves
 * between two of its blocks, the temporaries of a block.
 *
 * <p>Every exit stores the registers the region wrote, so their locals are live up to every
 * exit: a temporary that the guest overwrites in each iteration of a loop stays in a host
 * register or a stack slot across the whole loop, and crowds out the values the loop carries
 * (spec-hash's SHA-256 rounds: each intermediate word kept sign-extended in a spill slot). Stored
 * as it is written, a temporary is dead after its block's last read of it, so HotSpot reuses its
 * register, and the exits need not store it.
 *
 * <p>Only a matter of speed: a write-through register's local still holds its value for the
 * reads that follow, so any choice is correct.
 */
final class WriteThrough {
    private WriteThrough() {
    }

    /**
     * Of {@code written}, the registers not live into any block that a region block leads to;
     * {@code successors} gives the region blocks control may reach from the end of a block (the
     * emitter's edges), {@code stops} whether an instruction ends translation (nothing after it
     * runs in the region).
     */
    static BitSet choose(List<Block> blocks, BitSet written, BiConsumer<Block, LongConsumer> successors,
                         Predicate<Insn> stops) {
        int n = blocks.size();
        Long2LongHashMap index = new Long2LongHashMap(-1);
        for (int k = 0; k < n; k++) index.put(blocks.get(k).pc, k);
        long[] exposed = new long[n], defined = new long[n];
        int[][] next = new int[n][];
        for (int k = 0; k < n; k++) {
            Block b = blocks.get(k);
            boolean stopped = false;
            for (Insn i : b.insns) {
                if (stops.test(i)) {
                    stopped = true;
                    break;
                }
                long uses = xSources(i);
                exposed[k] |= uses & ~defined[k];
                if (i.op.regs.startsWith("x") && i.rd != 0) defined[k] |= 1L << i.rd;
            }
            IntArrayList to = new IntArrayList();
            if (!stopped) {
                successors.accept(b, pc -> {
                    int s = (int) index.get(pc);
                    if (s >= 0 && !to.containsInt(s)) to.addInt(s);
                });
            }
            next[k] = to.toIntArray();
        }
        long[] liveIn = exposed.clone();
        for (boolean changed = true; changed; ) {
            changed = false;
            for (int k = n - 1; k >= 0; k--) {
                long out = 0;
                for (int s : next[k]) out |= liveIn[s];
                long in = exposed[k] | out & ~defined[k];
                if (in != liveIn[k]) {
                    liveIn[k] = in;
                    changed = true;
                }
            }
        }
        long acrossEdges = 0;
        for (int k = 0; k < n; k++) for (int s : next[k]) acrossEdges |= liveIn[s];
        BitSet through = new BitSet();
        for (int r = written.nextSetBit(1); r > 0; r = written.nextSetBit(r + 1)) {
            if ((acrossEdges & 1L << r) == 0) through.set(r);
        }
        return through;
    }

    /** The integer registers {@code i} reads (bit r for x[r], x0 left out). */
    private static long xSources(Insn i) {
        String regs = i.op.regs;
        int[] sources = {i.rs1, i.rs2, i.rs3};
        long uses = 0;
        for (int k = 1; k < regs.length(); k++) {
            if (regs.charAt(k) == 'x' && sources[k - 1] != 0) uses |= 1L << sources[k - 1];
        }
        return uses;
    }
}
