package org.duvisor.rv64.exec;

import org.duvisor.rv64.isa.Insn;

/**
 * A pre-decoded basic block: straight-line instructions from {@code pc} up to and including the
 * first that may change control flow, stopping early at a page boundary or before an instruction
 * that cannot be fetched or decoded (which then starts the next block and traps there).
 */
public final class Block {
    public final long pc;
    public final Insn[] insns;
    /**
     * The interpreter's dense operation code of each instruction, chosen at decode time
     * ({@link Interpreter#codeOf}), and {@code END} after the last.
     */
    final int[] codes;
    /** The pc of each instruction. */
    final long[] pcs;
    /** The pc after the last instruction (the fall-through successor). */
    public final long endPc;
    /** RAM offset of {@code pc} when decoded: the block is valid only while pc still maps there. */
    public long ramOffset = -1;
    /** The last instruction straddles into the next page: the block depends on two mappings. */
    public boolean crossesPage;
    /** With {@link #crossesPage}, the RAM offset of the block's last byte when decoded (the second mapping). */
    public long lastByteRamOffset = -1;

    /** Whether, decoded under paging, all of the block's bytes came from RAM (not a ROM or a device). */
    public boolean fromRam() {
        return ramOffset >= 0 && (!crossesPage || lastByteRamOffset >= 0);
    }
    /**
     * How often the interpreter has entered this block, each entry counted {@link #executionWeight}
     * times (drives translation later).
     */
    public long executions;
    /**
     * What one entry adds to {@link #executions}: 1, or on a full-system hart one per
     * {@link Interpreter#INSNS_PER_EXECUTION} instructions, so that a long block (an unrolled
     * cipher round, a copy loop's body) becomes hot after as many interpreted instructions as a
     * short one rather than after as many entries.
     */
    int executionWeight = 1;
    /** The {@link BlockCache} generation the block was put in: it is found only in that one. */
    int cacheGeneration;

    /**
     * The last two blocks run after this one (taken and fall-through of a branch, or the recent
     * targets of a return), so the interpreter's loop goes from block to block without a lookup.
     * Only blocks that the {@link BlockCache} holds are linked, and a flush of decoded code leaves
     * the old blocks unreachable (the interpreter's loop drops its chain when one happens).
     */
    Block next0, next1;

    /**
     * The targets seen at the final JALR: the interpreter's profile array for this pc, fetched
     * from its map once per block rather than once per execution.
     */
    long[] indirectTargets;

    Block(long pc, Insn[] insns, long endPc) {
        this.pc = pc;
        this.insns = insns;
        this.codes = new int[insns.length + 1];
        this.pcs = new long[insns.length];
        long at = pc;
        for (int k = 0; k < insns.length; k++) {
            codes[k] = Interpreter.codeOf(insns[k]);
            pcs[k] = at;
            at += insns[k].length;
        }
        codes[insns.length] = Interpreter.END;
        this.endPc = endPc;
    }

    /** Remembers {@code b} as a successor, replacing the older of the two. */
    void link(Block b) {
        if (next0 == null) {
            next0 = b;
        } else {
            next1 = next0;
            next0 = b;
        }
    }
}
