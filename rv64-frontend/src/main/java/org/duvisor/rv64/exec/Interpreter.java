package org.duvisor.rv64.exec;

import java.util.ArrayList;
import java.util.List;
import org.duvisor.dbt.memory.SoftTlb;
import org.duvisor.rv64.hart.Cause;
import org.duvisor.rv64.hart.Hart;
import org.duvisor.rv64.insn.Atomics;
import org.duvisor.rv64.insn.Bitmanip;
import org.duvisor.rv64.insn.CsrOps;
import org.duvisor.rv64.insn.IntegerOps;
import org.duvisor.rv64.insn.Multiply;
import org.duvisor.rv64.insn.SystemOps;
import org.duvisor.rv64.isa.Decoder;
import org.duvisor.rv64.isa.Insn;

/**
 * The reference interpreter: runs pre-decoded {@link Block}s, one family {@code execute} per
 * instruction, until the hart raises a trap or the instruction budget is spent. Traps are left
 * pending in the hart with {@code pc} at the faulting instruction, for the environment (a Linux
 * process model, or the privileged trap logic) to take.
 */
public final class Interpreter {
    /** A bound on block length keeps decoding cheap and budget checks frequent. */
    static final int MAX_BLOCK_INSNS = 64;

    private final Hart hart;
    private final BlockCache blocks = new BlockCache();

    public Interpreter(Hart hart) {
        this.hart = hart;
    }

    public BlockCache blocks() {
        return blocks;
    }

    /** Forgets every decoded block (FENCE.I, or the environment changed code memory). */
    public void flushCode() {
        blocks.clear();
    }

    /**
     * Runs until a trap is pending or at least {@code budget} instructions have retired.
     * Returns the number of instructions retired.
     */
    public long run(long budget) {
        Hart h = hart;
        long start = h.instret;
        long limit = start + budget;
        while (!h.trapPending && h.instret < limit) {
            long pc = h.pc;
            Block b = blocks.get(pc);
            if (b == null) {
                b = decodeBlock(pc);
                if (b == null) break; // fetch fault or illegal instruction at pc: trap pending
                blocks.put(b);
            }
            b.executions++;
            Insn[] insns = b.insns;
            int last = insns.length - 1;
            for (int k = 0; k < last; k++) {
                Insn i = insns[k];
                long next = step(h, i, pc);
                if (h.trapPending) {
                    h.instret += k;
                    h.pc = pc;
                    return h.instret - start;
                }
                pc = next;
            }
            // The last instruction may read instret (CSR ops end blocks): count the others first.
            h.instret += last;
            long next = step(h, insns[last], pc);
            if (h.trapPending) {
                h.pc = pc;
                break;
            }
            h.instret++;
            h.pc = next;
            if (h.codeFlushRequested) {
                h.codeFlushRequested = false;
                flushCode();
            }
        }
        return h.instret - start;
    }

    static long step(Hart h, Insn i, long pc) {
        return switch (i.op.family) {
            case INTEGER -> IntegerOps.execute(h, i, pc);
            case MULTIPLY -> Multiply.execute(h, i, pc);
            case ATOMIC -> Atomics.execute(h, i, pc);
            case FLOAT -> { h.raise(Cause.ILLEGAL_INSTRUCTION, i.bits & 0xFFFF_FFFFL); yield pc; } // PENDING-FP
            case BITMANIP -> Bitmanip.execute(h, i, pc);
            case CSR -> CsrOps.execute(h, i, pc);
            case SYSTEM -> SystemOps.execute(h, i, pc);
            case PRIVILEGED -> {
                if (h.privileged == null) {
                    h.raise(Cause.ILLEGAL_INSTRUCTION, i.bits & 0xFFFF_FFFFL);
                    yield pc;
                }
                yield h.privileged.execute(h, i, pc);
            }
        };
    }

    /**
     * Decodes the block at {@code pc}. If its very first instruction cannot be fetched or decoded,
     * the trap is raised now and null returned; a later such instruction just ends the block.
     */
    Block decodeBlock(long pc) {
        Hart h = hart;
        List<Insn> insns = new ArrayList<>();
        long page = pc & SoftTlb.PAGE_MASK;
        long at = pc;
        while (insns.size() < MAX_BLOCK_INSNS && (at & SoftTlb.PAGE_MASK) == page) {
            Insn i = fetchAndDecode(at);
            if (i == null) {
                if (insns.isEmpty()) return null;
                h.clearTrap(); // rediscovered when the next block starts there
                break;
            }
            insns.add(i);
            at += i.length;
            if (i.endsBlock()) break;
        }
        return new Block(pc, insns.toArray(new Insn[0]), at);
    }

    /** Fetches and decodes one instruction; on failure raises the fetch fault or illegal instruction. */
    public Insn fetchAndDecode(long pc) {
        Hart h = hart;
        int low = h.tlb.fetch16(pc);
        if (h.trapPending) return null;
        int word = low;
        if (Decoder.length(low) == 4) {
            int high = h.tlb.fetch16(pc + 2);
            if (h.trapPending) return null;
            word = low | (high << 16);
        }
        Insn i = Decoder.decode(word);
        if (i == null) {
            h.raise(Cause.ILLEGAL_INSTRUCTION, word & (Decoder.length(low) == 4 ? 0xFFFF_FFFFL : 0xFFFFL));
        }
        return i;
    }
}
