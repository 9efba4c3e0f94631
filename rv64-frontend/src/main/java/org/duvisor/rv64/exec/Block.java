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
    /** The handler of each instruction, chosen at decode time. */
    final org.duvisor.rv64.insn.Semantics[] semantics;
    /** The pc after the last instruction (the fall-through successor). */
    public final long endPc;
    /** RAM offset of {@code pc} when decoded: the block is valid only while pc still maps there. */
    public long ramOffset = -1;
    /** The last instruction straddles into the next page: the block depends on two mappings and is not cached. */
    public boolean crossesPage;
    /** How often the interpreter has entered this block (drives translation later). */
    public long executions;

    Block(long pc, Insn[] insns, long endPc) {
        this.pc = pc;
        this.insns = insns;
        this.semantics = new org.duvisor.rv64.insn.Semantics[insns.length];
        for (int k = 0; k < insns.length; k++) semantics[k] = org.duvisor.rv64.insn.Semantics.of(insns[k].op);
        this.endPc = endPc;
    }
}
