package org.duvisor.rv64.exec;

import java.util.ArrayList;
import java.util.List;
import org.duvisor.dbt.memory.SoftTlb;
import org.duvisor.rv64.hart.Cause;
import org.duvisor.rv64.hart.Hart;
import org.duvisor.rv64.isa.Decoder;
import org.duvisor.rv64.insn.Atomics;
import org.duvisor.rv64.insn.Bitmanip;
import org.duvisor.rv64.insn.IntegerOps;
import org.duvisor.rv64.insn.Multiply;
import org.duvisor.rv64.insn.Semantics;
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
    /** Counts flushes of decoded code: a block chain does not survive one. */
    private int generation;

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
        generation++;
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
        if (!h.trapPending && budget > 0 && h.exitRequest == 0) interpret(null, start + budget);
        return h.instret - start;
    }

    /** Whether {@code b} is what the block cache holds for its pc (only such blocks are linked). */
    private boolean isCached(Block b) {
        return hart.privileged == null || b.ramOffset >= 0 && !b.crossesPage;
    }

    /**
     * Executes block {@code b}, which starts at the hart's pc, up to its end or a trap, counting the
     * execution and the targets of a final JALR (the translator's profile).
     */
    public void runBlock(Block b) {
        Hart h = hart;
        b.executions++;
        interpret(b, Long.MIN_VALUE);
        Insn last = b.insns[b.insns.length - 1];
        if (last.op == org.duvisor.rv64.isa.Op.JALR && !h.trapPending) {
            noteIndirectTarget(b.endPc - last.length, h.pc);
        }
    }

    // Interpreter operation codes: dense ints for the switch in interpret. GENERIC goes through the
    // family's Semantics handler; NOP is an operation without side effects whose rd is x0.
    static final int GENERIC = 0, NOP = 1, LUI = 2, AUIPC = 3, ADDI = 4, SLTI = 5, SLTIU = 6, XORI = 7, ORI = 8,
            ANDI = 9, SLLI = 10, SRLI = 11, SRAI = 12, ADDIW = 13, SLLIW = 14, SRLIW = 15, SRAIW = 16, ADD = 17,
            SUB = 18, SLL = 19, SLT = 20, SLTU = 21, XOR = 22, SRL = 23, SRA = 24, OR = 25, AND = 26, ADDW = 27,
            SUBW = 28, SLLW = 29, SRLW = 30, SRAW = 31, BEQ = 32, BNE = 33, BLT = 34, BGE = 35, BLTU = 36,
            BGEU = 37, LB = 38, LBU = 39, LH = 40, LHU = 41, LW = 42, LWU = 43, LD = 44, SB = 45, SH = 46,
            SW = 47, SD = 48, JAL = 49, JALR = 50, MULTIPLY = 51, FLOAT = 52, ATOMIC = 53, BITMANIP = 54;

    /** The interpreter operation code of {@code i}. */
    static int codeOf(Insn i) {
        int code = switch (i.op) {
            case LUI -> LUI;
            case AUIPC -> AUIPC;
            case ADDI -> ADDI;
            case SLTI -> SLTI;
            case SLTIU -> SLTIU;
            case XORI -> XORI;
            case ORI -> ORI;
            case ANDI -> ANDI;
            case SLLI -> SLLI;
            case SRLI -> SRLI;
            case SRAI -> SRAI;
            case ADDIW -> ADDIW;
            case SLLIW -> SLLIW;
            case SRLIW -> SRLIW;
            case SRAIW -> SRAIW;
            case ADD -> ADD;
            case SUB -> SUB;
            case SLL -> SLL;
            case SLT -> SLT;
            case SLTU -> SLTU;
            case XOR -> XOR;
            case SRL -> SRL;
            case SRA -> SRA;
            case OR -> OR;
            case AND -> AND;
            case ADDW -> ADDW;
            case SUBW -> SUBW;
            case SLLW -> SLLW;
            case SRLW -> SRLW;
            case SRAW -> SRAW;
            case BEQ -> BEQ;
            case BNE -> BNE;
            case BLT -> BLT;
            case BGE -> BGE;
            case BLTU -> BLTU;
            case BGEU -> BGEU;
            case LB -> LB;
            case LBU -> LBU;
            case LH -> LH;
            case LHU -> LHU;
            case LW -> LW;
            case LWU -> LWU;
            case LD -> LD;
            case SB -> SB;
            case SH -> SH;
            case SW -> SW;
            case SD -> SD;
            case JAL -> JAL;
            case JALR -> JALR;
            default -> switch (i.op.family) {
                case MULTIPLY -> MULTIPLY;
                case FLOAT -> FLOAT;
                case ATOMIC -> ATOMIC;
                case BITMANIP -> BITMANIP;
                default -> GENERIC;
            };
        };
        // Computations into x0 change nothing (loads still access memory, and may trap).
        boolean pure = code >= LUI && code <= SRAW || code == MULTIPLY || code == BITMANIP;
        return pure && i.rd == 0 ? NOP : code;
    }

    /**
     * Executes blocks from {@code b} (at the hart's pc; null: the block at pc) until a trap is
     * pending, instret reaches {@code limit} or an exit is requested, checked after each block, so
     * at least one block runs. pc and instret stay precise. The common operations call their
     * family's static semantics from one switch; the block loop lives in the same method so that
     * C2 sees every case as frequent and inlines them all. The other operations go through their
     * {@link Semantics} handler; those may read or write instret (CSR accesses), so instret is
     * brought up to date before them.
     *
     * <p>Blocks chain: each remembers the blocks that followed it ({@link Block#link}), so a loop
     * goes from block to block without a cache lookup. A flush of decoded code breaks the chain;
     * with paging, a linked block is entered only while its pc still maps to the RAM it was decoded
     * from (the check {@link #blockAt} makes).
     */
    private void interpret(Block b, long limit) {
        Hart h = hart;
        Block previous = null;
        for (;;) {
            if (b == null) {
                long pc = h.pc;
                if (previous != null) {
                    Block s = previous.next0;
                    if (s == null || s.pc != pc) {
                        s = previous.next1;
                        if (s != null && s.pc != pc) s = null;
                    }
                    if (s != null && (h.privileged == null || h.tlb.execRamOffset(pc) == s.ramOffset)) b = s;
                }
                if (b == null) {
                    b = blockAt(pc);
                    if (b == null) return; // fetch fault or illegal instruction at pc: trap pending
                    if (previous != null && isCached(b)) previous.link(b);
                }
            }
            int generation = this.generation;
            Insn[] insns = b.insns;
            int[] codes = b.codes;
            int n = codes.length;
            long pc = b.pc;
            int counted = 0; // instructions of this block already added to instret
            int k = 0;
            block:
            for (; k < n; k++) {
                Insn i = insns[k];
                switch (codes[k]) {
                    case NOP -> pc += i.length;
                    case LUI -> pc = IntegerOps.lui_(h, i, pc);
                    case AUIPC -> pc = IntegerOps.auipc_(h, i, pc);
                    case ADDI -> pc = IntegerOps.addi_(h, i, pc);
                    case SLTI -> pc = IntegerOps.slti_(h, i, pc);
                    case SLTIU -> pc = IntegerOps.sltiu_(h, i, pc);
                    case XORI -> pc = IntegerOps.xori_(h, i, pc);
                    case ORI -> pc = IntegerOps.ori_(h, i, pc);
                    case ANDI -> pc = IntegerOps.andi_(h, i, pc);
                    case SLLI -> pc = IntegerOps.slli_(h, i, pc);
                    case SRLI -> pc = IntegerOps.srli_(h, i, pc);
                    case SRAI -> pc = IntegerOps.srai_(h, i, pc);
                    case ADDIW -> pc = IntegerOps.addiw_(h, i, pc);
                    case SLLIW -> pc = IntegerOps.slliw_(h, i, pc);
                    case SRLIW -> pc = IntegerOps.srliw_(h, i, pc);
                    case SRAIW -> pc = IntegerOps.sraiw_(h, i, pc);
                    case ADD -> pc = IntegerOps.add_(h, i, pc);
                    case SUB -> pc = IntegerOps.sub_(h, i, pc);
                    case SLL -> pc = IntegerOps.sll_(h, i, pc);
                    case SLT -> pc = IntegerOps.slt_(h, i, pc);
                    case SLTU -> pc = IntegerOps.sltu_(h, i, pc);
                    case XOR -> pc = IntegerOps.xor_(h, i, pc);
                    case SRL -> pc = IntegerOps.srl_(h, i, pc);
                    case SRA -> pc = IntegerOps.sra_(h, i, pc);
                    case OR -> pc = IntegerOps.or_(h, i, pc);
                    case AND -> pc = IntegerOps.and_(h, i, pc);
                    case ADDW -> pc = IntegerOps.addw_(h, i, pc);
                    case SUBW -> pc = IntegerOps.subw_(h, i, pc);
                    case SLLW -> pc = IntegerOps.sllw_(h, i, pc);
                    case SRLW -> pc = IntegerOps.srlw_(h, i, pc);
                    case SRAW -> pc = IntegerOps.sraw_(h, i, pc);
                    case BEQ -> pc = IntegerOps.beq_(h, i, pc);
                    case BNE -> pc = IntegerOps.bne_(h, i, pc);
                    case BLT -> pc = IntegerOps.blt_(h, i, pc);
                    case BGE -> pc = IntegerOps.bge_(h, i, pc);
                    case BLTU -> pc = IntegerOps.bltu_(h, i, pc);
                    case BGEU -> pc = IntegerOps.bgeu_(h, i, pc);
                    case JAL -> pc = IntegerOps.jal_(h, i, pc);
                    case JALR -> pc = IntegerOps.jalr_(h, i, pc);
                    case MULTIPLY -> pc = Multiply.execute(h, i, pc);
                    case BITMANIP -> pc = Bitmanip.execute(h, i, pc);
                    case LB -> {
                        long next = IntegerOps.lb_(h, i, pc);
                        if (h.trapPending) break block;
                        pc = next;
                    }
                    case LBU -> {
                        long next = IntegerOps.lbu_(h, i, pc);
                        if (h.trapPending) break block;
                        pc = next;
                    }
                    case LH -> {
                        long next = IntegerOps.lh_(h, i, pc);
                        if (h.trapPending) break block;
                        pc = next;
                    }
                    case LHU -> {
                        long next = IntegerOps.lhu_(h, i, pc);
                        if (h.trapPending) break block;
                        pc = next;
                    }
                    case LW -> {
                        long next = IntegerOps.lw_(h, i, pc);
                        if (h.trapPending) break block;
                        pc = next;
                    }
                    case LWU -> {
                        long next = IntegerOps.lwu_(h, i, pc);
                        if (h.trapPending) break block;
                        pc = next;
                    }
                    case LD -> {
                        long next = IntegerOps.ld_(h, i, pc);
                        if (h.trapPending) break block;
                        pc = next;
                    }
                    case SB -> {
                        long next = IntegerOps.sb_(h, i, pc);
                        if (h.trapPending) break block;
                        pc = next;
                    }
                    case SH -> {
                        long next = IntegerOps.sh_(h, i, pc);
                        if (h.trapPending) break block;
                        pc = next;
                    }
                    case SW -> {
                        long next = IntegerOps.sw_(h, i, pc);
                        if (h.trapPending) break block;
                        pc = next;
                    }
                    case SD -> {
                        long next = IntegerOps.sd_(h, i, pc);
                        if (h.trapPending) break block;
                        pc = next;
                    }
                    case FLOAT -> {
                        long next = Semantics.floatingPoint(h, i, pc);
                        if (h.trapPending) break block;
                        pc = next;
                    }
                    case ATOMIC -> {
                        long next = Atomics.execute(h, i, pc);
                        if (h.trapPending) break block;
                        pc = next;
                    }
                    default -> {
                        h.instret += k - counted;
                        counted = k;
                        long next = Semantics.of(i.op).execute(h, i, pc);
                        if (h.trapPending) break block;
                        pc = next;
                    }
                }
            }
            if (k < n) { // instruction k trapped: it does not retire, and pc stays at it
                h.instret += k - counted;
                h.pc = pc;
                return;
            }
            h.instret += n - counted;
            h.pc = pc;
            if (h.codeFlushRequested) {
                h.codeFlushRequested = false;
                codeFlusher.run();
            }
            if (h.instret >= limit || h.exitRequest != 0) return;
            previous = generation == this.generation ? b : null;
            b = null;
        }
    }

    /** Executes one decoded instruction at {@code pc}; returns the next pc (or pc, with a trap pending). */
    public static long step(Hart h, Insn i, long pc) {
        return Semantics.of(i.op).execute(h, i, pc);
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
