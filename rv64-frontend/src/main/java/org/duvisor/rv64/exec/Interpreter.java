package org.duvisor.rv64.exec;

import java.util.ArrayList;
import java.util.List;
import org.duvisor.dbt.memory.SoftTlb;
import org.duvisor.rv64.hart.Cause;
import org.duvisor.rv64.hart.Hart;
import org.duvisor.rv64.isa.Decoder;
import org.duvisor.rv64.isa.Insn;

/**
 * The reference interpreter: runs pre-decoded {@link Block}s, one family {@code execute} per
 * instruction, until the hart raises a trap or the instruction budget is spent. Traps are left
 * pending in the hart with {@code pc} at the faulting instruction, for the environment (a Linux
 * process model, or the privileged trap logic) to take.
 */
public final class Interpreter implements ExecutionEngine {
    /** A bound on block length keeps decoding cheap and budget checks frequent. */
    static final int MAX_BLOCK_INSNS = 64;

    private final Hart hart;
    private final BlockCache blocks = new BlockCache();
    /** Decoded instructions by pc, for {@link #executeOne} (single-stepping is common in lockstep). */
    private final org.agrona.collections.Long2ObjectHashMap<Insn> singles = new org.agrona.collections.Long2ObjectHashMap<>();

    /** Targets seen at each indirect jump (JALR) site while interpreted: up to {@link #PROFILED_TARGETS} per site. */
    private final org.agrona.collections.Long2ObjectHashMap<long[]> indirectTargets = new org.agrona.collections.Long2ObjectHashMap<>();
    /** Distinct targets remembered per indirect jump; the translator turns them into in-region jumps. */
    public static final int PROFILED_TARGETS = 16;

    /** What FENCE.I flushes: this interpreter's blocks, or everything the owning engine keeps. */
    private Runnable codeFlusher = this::flushCode;

    public Interpreter(Hart hart) {
        this.hart = hart;
    }

    /** Lets an engine that owns this interpreter flush its own code too when FENCE.I executes. */
    public void setCodeFlusher(Runnable flusher) {
        this.codeFlusher = flusher;
    }

    public BlockCache blocks() {
        return blocks;
    }

    /** Forgets every decoded block (FENCE.I, or the environment changed code memory). */
    @Override
    public void flushCode() {
        blocks.clear();
        singles.clear();
    }

    /** The decoded block at {@code pc}, decoding it if needed; null (trap pending) if it cannot be. */
    public Block blockAt(long pc) {
        Hart h = hart;
        if (h.privileged == null) {
            // A user-mode process has one fixed mapping; unmapping code flushes the cache (flushCode).
            Block b = blocks.get(pc);
            if (b == null) {
                b = decodeBlock(pc);
                if (b != null) blocks.put(b);
            }
            return b;
        }
        long offset = h.tlb.execRamOffset(pc);
        if (offset < 0) {
            h.tlb.fetch16(pc); // refills the TLB, or raises the fetch fault
            if (h.trapPending) return null;
            offset = h.tlb.execRamOffset(pc);
        }
        Block b = blocks.get(pc);
        // A block is keyed by pc but belongs to the physical page it was decoded from (paging can remap pc).
        if (b == null || b.ramOffset != offset || offset < 0) {
            b = decodeBlock(pc);
            if (b != null) {
                b.ramOffset = offset;
                if (offset >= 0 && !b.crossesPage) blocks.put(b);
            }
        }
        return b;
    }

    /** Executes one instruction at the hart's pc. */
    public void executeOne() {
        Hart h = hart;
        // Decoded instructions are keyed by RAM offset: their meaning does not depend on the pc.
        long offset = h.tlb.execRamOffset(h.pc);
        boolean cacheable = offset >= 0 && (h.pc & (SoftTlb.PAGE_SIZE - 1)) != SoftTlb.PAGE_SIZE - 2;
        Insn i = cacheable ? singles.get(offset) : null;
        if (i == null) {
            i = fetchAndDecode(h.pc);
            if (i == null) return;
            if (cacheable) singles.put(offset, i);
        }
        long next = step(h, i, h.pc);
        if (h.trapPending) return;
        h.instret++;
        h.pc = next;
        if (h.codeFlushRequested) {
            h.codeFlushRequested = false;
            codeFlusher.run();
        }
    }

    private void noteIndirectTarget(long site, long target) {
        long[] seen = indirectTargets.get(site);
        if (seen == null) {
            seen = new long[PROFILED_TARGETS];
            java.util.Arrays.fill(seen, -1);
            indirectTargets.put(site, seen);
        }
        for (int k = 0; k < seen.length; k++) {
            if (seen[k] == target) return;
            if (seen[k] == -1) {
                seen[k] = target;
                return;
            }
        }
    }

    /** The distinct targets seen at the indirect jump at {@code site} (-1 marks unused entries), or null. */
    public long[] indirectTargets(long site) {
        return indirectTargets.get(site);
    }

    /**
     * Runs until a trap is pending or at least {@code budget} instructions have retired.
     * Returns the number of instructions retired.
     */
    @Override
    public long run(long budget) {
        Hart h = hart;
        long start = h.instret;
        long limit = start + budget;
        while (!h.trapPending && h.instret < limit && h.exitRequest == 0) {
            Block b = blockAt(h.pc);
            if (b == null) break; // fetch fault or illegal instruction at pc: trap pending
            runBlock(b);
        }
        return h.instret - start;
    }

    /** Executes block {@code b}, which starts at the hart's pc, up to its end or a trap. */
    public void runBlock(Block b) {
        Hart h = hart;
        long pc = h.pc;
        b.executions++;
        Insn[] insns = b.insns;
        org.duvisor.rv64.insn.Semantics[] semantics = b.semantics;
        int last = insns.length - 1;
        for (int k = 0; k < last; k++) {
            long next = semantics[k].execute(h, insns[k], pc);
            if (h.trapPending) {
                h.instret += k;
                h.pc = pc;
                return;
            }
            pc = next;
        }
        // The last instruction may read instret (CSR ops end blocks): count the others first.
        h.instret += last;
        long next = semantics[last].execute(h, insns[last], pc);
        if (h.trapPending) {
            h.pc = pc;
            return;
        }
        h.instret++;
        h.pc = next;
        if (insns[last].op == org.duvisor.rv64.isa.Op.JALR) noteIndirectTarget(pc, next);
        if (h.codeFlushRequested) {
            h.codeFlushRequested = false;
            codeFlusher.run();
        }
    }

    /** Executes one decoded instruction at {@code pc}; returns the next pc (or pc, with a trap pending). */
    public static long step(Hart h, Insn i, long pc) {
        return org.duvisor.rv64.insn.Semantics.of(i.op).execute(h, i, pc);
    }

    /**
     * Decodes the block at {@code pc}. If its very first instruction cannot be fetched or decoded,
     * the trap is raised now and null returned; a later such instruction just ends the block.
     */
    public Block decodeBlock(long pc) {
        Hart h = hart;
        List<Insn> insns = new ArrayList<>();
        long page = pc & SoftTlb.PAGE_MASK;
        long at = pc;
        boolean crosses = false;
        while (insns.size() < MAX_BLOCK_INSNS && (at & SoftTlb.PAGE_MASK) == page) {
            if (h.privileged != null && ((at + 2) & SoftTlb.PAGE_MASK) != page && !insns.isEmpty()) {
                // A 4-byte instruction may straddle into the next page: decode it in a block of its own.
                break;
            }
            Insn i = fetchAndDecode(at);
            if (i == null) {
                if (insns.isEmpty()) return null;
                h.clearTrap(); // rediscovered when the next block starts there
                break;
            }
            insns.add(i);
            at += i.length;
            if (((at - 1) & SoftTlb.PAGE_MASK) != page) crosses = true;
            if (i.endsBlock()) break;
        }
        Block b = new Block(pc, insns.toArray(new Insn[0]), at);
        b.crossesPage = crosses;
        return b;
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
