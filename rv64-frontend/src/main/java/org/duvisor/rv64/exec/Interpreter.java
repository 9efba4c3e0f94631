package org.duvisor.rv64.exec;

import java.util.ArrayList;
import java.util.List;
import org.duvisor.dbt.memory.SoftTlb;
import org.duvisor.rv64.hart.Cause;
import org.duvisor.rv64.hart.Hart;
import org.duvisor.rv64.insn.FloatingPoint;
import org.duvisor.rv64.insn.IntegerOps;
import org.duvisor.rv64.insn.Multiply;
import org.duvisor.rv64.insn.Semantics;
import org.duvisor.rv64.isa.Decoder;
import org.duvisor.rv64.isa.Insn;

/**
 * The reference interpreter: runs pre-decoded {@link Block}s until the hart raises a trap or the
 * instruction budget is spent, dispatching each instruction with one switch over dense operation
 * codes to its family's semantics ({@link #interpret}). Traps are left pending in the hart with
 * {@code pc} at the faulting instruction, for the environment (a Linux process model, or the
 * privileged trap logic) to take.
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
    /**
     * On a full-system hart, a block entry counts once per this many of its instructions towards
     * the hot threshold ({@link Block#executionWeight}). Measured on a guest Linux boot: 21 M of its
     * 89 M interpreted instructions were in 37 blocks of 64 instructions or more that ran 2000-20000
     * times, under the 20000-entry threshold.
     */
    static final int INSNS_PER_EXECUTION = 8;

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
        flushes++;
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
                if (b != null) cache(b);
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
        if (b == null || !mapsAsDecoded(b, offset)) {
            b = decodeBlock(pc);
            if (b != null) {
                b.ramOffset = offset;
                if (b.crossesPage) b.lastByteRamOffset = h.tlb.execRamOffset(b.endPc - 1); // the decode filled it
                if (isCached(b)) cache(b);
            }
        }
        return b;
    }

    /**
     * Whether {@code b}, decoded under paging, still reads the RAM it was decoded from, given the
     * RAM offset its pc maps to now: both pages' mappings when it straddles two.
     */
    private boolean mapsAsDecoded(Block b, long offset) {
        return offset >= 0 && b.ramOffset == offset
                && (!b.crossesPage || hart.tlb.execRamOffset(b.endPc - 1) == b.lastByteRamOffset);
    }

    private void cache(Block b) {
        blocks.put(b);
        if (decodeListener != null) decodeListener.accept(b);
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

    /** Adds {@code target} to the profile of block {@code b}'s final JALR, at {@code site}. */
    private void noteIndirectTarget(Block b, long site, long target) {
        long[] seen = b.indirectTargets;
        if (seen == null) {
            seen = indirectTargets.get(site);
            if (seen == null) {
                seen = new long[PROFILED_TARGETS];
                java.util.Arrays.fill(seen, -1);
                indirectTargets.put(site, seen);
            }
            b.indirectTargets = seen;
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
        if (!h.trapPending && budget > 0 && h.exitRequest == 0) {
            Block b = blockAt(h.pc);
            if (b != null) interpret(b, start + budget);
        }
        return h.instret - start;
    }

    /**
     * The translator's way into this interpreter: runs {@code b}, which starts at the hart's pc, and
     * the blocks after it, one {@link #runBlock} each, until a trap is pending, instret reaches
     * {@code limit}, an exit is requested, or the next block has been entered {@code hot} times (it
     * is left at the hart's pc, for the caller to translate or to enter its translation). Blocks
     * chain as in {@link #interpret}, so cold code costs no cache lookups either.
     */
    public void runUntilHot(Block b, long limit, long hot) {
        Hart h = hart;
        for (;;) {
            long flushed = flushes;
            runBlock(b);
            if (h.trapPending || h.instret >= limit || h.exitRequest != 0) return;
            Block s = successor(flushes == flushed ? b : null, h.pc);
            if (s == null || s.executions >= hot) return;
            b = s;
        }
    }

    /**
     * The block at {@code next}, which follows {@code b} (null: b was flushed): one of the last two
     * that followed b if it still maps where it was decoded from, else looked up (and linked to b).
     * Null with a trap pending if it cannot be fetched or decoded.
     */
    private Block successor(Block b, long next) {
        Hart h = hart;
        Block s = null;
        if (b != null) {
            s = b.next0;
            if (s == null || s.pc != next) {
                s = b.next1;
                if (s != null && s.pc != next) s = null;
            }
            if (s != null && h.privileged != null && !mapsAsDecoded(s, h.tlb.execRamOffset(next))) s = null;
        }
        if (s == null) {
            s = blockAt(next);
            if (s != null && b != null && isCached(s)) b.link(s);
        }
        return s;
    }

    /** Counts flushes of decoded code: links from a block decoded before one are stale. */
    private long flushes;

    /**
     * Called with each block decoded into the cache, before it runs: the translator marks the
     * blocks its regions start at, so that {@link #runUntilHot} stops there.
     */
    public void setDecodeListener(java.util.function.Consumer<Block> listener) {
        this.decodeListener = listener;
    }

    private java.util.function.Consumer<Block> decodeListener;

    /** Whether {@code b} is what the block cache holds for its pc (only such blocks are linked). */
    private boolean isCached(Block b) {
        return hart.privileged == null || b.fromRam();
    }

    /**
     * Executes block {@code b}, which starts at the hart's pc, up to its end or a trap, counting the
     * execution and the targets of a final JALR (the translator's profile). This is the translator's
     * path for cold code, one block per call, so it dispatches through each operation's
     * {@link Semantics} handler: sharing {@link #interpret} would give that method a call count
     * that makes C2 judge its cases rare and leave them out of line.
     */
    public void runBlock(Block b) {
        Hart h = hart;
        long pc = h.pc;
        b.executions += b.executionWeight;
        Insn[] insns = b.insns;
        int last = insns.length - 1;
        for (int k = 0; k < last; k++) {
            long next = Semantics.of(insns[k].op).execute(h, insns[k], pc);
            if (h.trapPending) {
                h.instret += k;
                h.pc = pc;
                return;
            }
            pc = next;
        }
        // The last instruction may read instret (CSR ops end blocks): count the others first.
        h.instret += last;
        long next = Semantics.of(insns[last].op).execute(h, insns[last], pc);
        if (h.trapPending) {
            h.pc = pc;
            return;
        }
        h.instret++;
        h.pc = next;
        if (insns[last].op == org.duvisor.rv64.isa.Op.JALR) noteIndirectTarget(b, pc, next);
        if (h.codeFlushRequested) {
            h.codeFlushRequested = false;
            codeFlusher.run();
        }
    }

    // Interpreter operation codes: dense ints for the switch in interpret. GENERIC(_EXIT) go through
    // the family's Semantics handler (the _EXIT ones end the block); END follows the last
    // instruction of every block (its fall-through exit); NOP is a computation whose rd is x0. The
    // rarer operations stay GENERIC on purpose: a virtual call, which C2 does not inline, keeps
    // their code (the rest of the F/D family's switch, say) out of this loop, whose machine code
    // gets worse as it grows.
    static final int GENERIC = 0, GENERIC_EXIT = 1, END = 2, NOP = 3, LUI = 4, ADDI = 5, SLTI = 6, SLTIU = 7,
            XORI = 8, ORI = 9, ANDI = 10, SLLI = 11, SRLI = 12, SRAI = 13, ADDIW = 14, SLLIW = 15, SRLIW = 16,
            SRAIW = 17, ADD = 18, SUB = 19, SLL = 20, SLT = 21, SLTU = 22, XOR = 23, SRL = 24, SRA = 25,
            OR = 26, AND = 27, ADDW = 28, SUBW = 29, SLLW = 30, SRLW = 31, SRAW = 32, AUIPC = 33, BEQ = 34,
            BNE = 35, BLT = 36, BGE = 37, BLTU = 38, BGEU = 39, JAL = 40, JALR = 41, LB = 42, LBU = 43,
            LH = 44, LHU = 45, LW = 46, LWU = 47, LD = 48, SB = 49, SH = 50, SW = 51, SD = 52, MULTIPLY = 53,
            FLW = 54, FLD = 55, FSW = 56, FSD = 57, FADD_D = 58, FSUB_D = 59, FMUL_D = 60, FDIV_D = 61,
            FMADD_D = 62, FMSUB_D = 63, FNMSUB_D = 64, FNMADD_D = 65, FSGNJ_D = 66, FSGNJN_D = 67,
            FSGNJX_D = 68, FEQ_D = 69, FLT_D = 70, FLE_D = 71, FMV_X_D = 72, FMV_D_X = 73;

    /** The interpreter operation code of {@code i}. */
    static int codeOf(Insn i) {
        int code = switch (i.op) {
            case LUI -> LUI;
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
            case AUIPC -> AUIPC;
            case BEQ -> BEQ;
            case BNE -> BNE;
            case BLT -> BLT;
            case BGE -> BGE;
            case BLTU -> BLTU;
            case BGEU -> BGEU;
            case JAL -> JAL;
            case JALR -> JALR;
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
            case FLW -> FLW;
            case FLD -> FLD;
            case FSW -> FSW;
            case FSD -> FSD;
            case FADD_D -> FADD_D;
            case FSUB_D -> FSUB_D;
            case FMUL_D -> FMUL_D;
            case FDIV_D -> FDIV_D;
            case FMADD_D -> FMADD_D;
            case FMSUB_D -> FMSUB_D;
            case FNMSUB_D -> FNMSUB_D;
            case FNMADD_D -> FNMADD_D;
            case FSGNJ_D -> FSGNJ_D;
            case FSGNJN_D -> FSGNJN_D;
            case FSGNJX_D -> FSGNJX_D;
            case FEQ_D -> FEQ_D;
            case FLT_D -> FLT_D;
            case FLE_D -> FLE_D;
            case FMV_X_D -> FMV_X_D;
            case FMV_D_X -> FMV_D_X;
            default -> switch (i.op.family) {
                case MULTIPLY -> MULTIPLY;
                default -> i.endsBlock() ? GENERIC_EXIT : GENERIC;
            };
        };
        // Computations into x0 change nothing (loads still access memory, and may trap).
        boolean pure = code >= LUI && code <= SRAW || code == MULTIPLY;
        return pure && i.rd == 0 ? NOP : code;
    }

    /**
     * Executes {@code b} (at the hart's pc) and the blocks after it until a trap is pending, instret
     * reaches {@code limit} or an exit is requested, checked after each block, so at least one
     * block runs. pc and instret stay precise. The common operations call their family's static
     * semantics from one switch; the block loop lives in the same method, so C2 sees every case run
     * many times per call and inlines them. The others go through their {@link Semantics} handler; those may read or write
     * instret (CSR accesses), so instret is brought up to date around them.
     *
     * <p>Within a block nothing tracks the pc: each instruction's is in {@link Block#pcs}, and the
     * block's exit (a jump, a branch or its fall-through {@code END}) gives the next one.
     *
     * <p>Blocks chain: each remembers the blocks that followed it ({@link Block#link}), so a loop
     * goes from block to block without a cache lookup. A flush of decoded code breaks the chain (it
     * happens here only at FENCE.I, otherwise between calls); with paging, a linked block is
     * entered only while its pc still maps to the RAM it was decoded from (the check
     * {@link #blockAt} makes).
     */
    private void interpret(Block b, long limit) {
        Hart h = hart;
        for (;;) {
            Insn[] insns = b.insns;
            int[] codes = b.codes;
            long[] pcs = b.pcs;
            long next = 0;
            int k = 0;
            trapped:
            {
                block:
                for (; k < codes.length; k++) { // a counted loop (no safepoint poll, no range checks); END leaves it
                    switch (codes[k]) {
                        case NOP -> {
                        }
                        case LUI -> IntegerOps.lui_(h, insns[k]);
                        case ADDI -> IntegerOps.addi_(h, insns[k]);
                        case SLTI -> IntegerOps.slti_(h, insns[k]);
                        case SLTIU -> IntegerOps.sltiu_(h, insns[k]);
                        case XORI -> IntegerOps.xori_(h, insns[k]);
                        case ORI -> IntegerOps.ori_(h, insns[k]);
                        case ANDI -> IntegerOps.andi_(h, insns[k]);
                        case SLLI -> IntegerOps.slli_(h, insns[k]);
                        case SRLI -> IntegerOps.srli_(h, insns[k]);
                        case SRAI -> IntegerOps.srai_(h, insns[k]);
                        case ADDIW -> IntegerOps.addiw_(h, insns[k]);
                        case SLLIW -> IntegerOps.slliw_(h, insns[k]);
                        case SRLIW -> IntegerOps.srliw_(h, insns[k]);
                        case SRAIW -> IntegerOps.sraiw_(h, insns[k]);
                        case ADD -> IntegerOps.add_(h, insns[k]);
                        case SUB -> IntegerOps.sub_(h, insns[k]);
                        case SLL -> IntegerOps.sll_(h, insns[k]);
                        case SLT -> IntegerOps.slt_(h, insns[k]);
                        case SLTU -> IntegerOps.sltu_(h, insns[k]);
                        case XOR -> IntegerOps.xor_(h, insns[k]);
                        case SRL -> IntegerOps.srl_(h, insns[k]);
                        case SRA -> IntegerOps.sra_(h, insns[k]);
                        case OR -> IntegerOps.or_(h, insns[k]);
                        case AND -> IntegerOps.and_(h, insns[k]);
                        case ADDW -> IntegerOps.addw_(h, insns[k]);
                        case SUBW -> IntegerOps.subw_(h, insns[k]);
                        case SLLW -> IntegerOps.sllw_(h, insns[k]);
                        case SRLW -> IntegerOps.srlw_(h, insns[k]);
                        case SRAW -> IntegerOps.sraw_(h, insns[k]);
                        case AUIPC -> IntegerOps.auipc_(h, insns[k], pcs[k]);
                        case LB -> {
                            IntegerOps.lb_(h, insns[k]);
                            if (h.trapPending) break trapped;
                        }
                        case LBU -> {
                            IntegerOps.lbu_(h, insns[k]);
                            if (h.trapPending) break trapped;
                        }
                        case LH -> {
                            IntegerOps.lh_(h, insns[k]);
                            if (h.trapPending) break trapped;
                        }
                        case LHU -> {
                            IntegerOps.lhu_(h, insns[k]);
                            if (h.trapPending) break trapped;
                        }
                        case LW -> {
                            IntegerOps.lw_(h, insns[k]);
                            if (h.trapPending) break trapped;
                        }
                        case LWU -> {
                            IntegerOps.lwu_(h, insns[k]);
                            if (h.trapPending) break trapped;
                        }
                        case LD -> {
                            IntegerOps.ld_(h, insns[k]);
                            if (h.trapPending) break trapped;
                        }
                        case SB -> {
                            IntegerOps.sb_(h, insns[k]);
                            if (h.trapPending) break trapped;
                        }
                        case SH -> {
                            IntegerOps.sh_(h, insns[k]);
                            if (h.trapPending) break trapped;
                        }
                        case SW -> {
                            IntegerOps.sw_(h, insns[k]);
                            if (h.trapPending) break trapped;
                        }
                        case SD -> {
                            IntegerOps.sd_(h, insns[k]);
                            if (h.trapPending) break trapped;
                        }
                        case MULTIPLY -> Multiply.execute(h, insns[k], pcs[k]);
                        case FLW -> {
                            if (Semantics.floatingPointOn(h, insns[k])) FloatingPoint.flw_(h, insns[k]);
                            if (h.trapPending) break trapped;
                        }
                        case FLD -> {
                            if (Semantics.floatingPointOn(h, insns[k])) FloatingPoint.fld_(h, insns[k]);
                            if (h.trapPending) break trapped;
                        }
                        case FSW -> {
                            if (Semantics.floatingPointOn(h, insns[k])) FloatingPoint.fsw_(h, insns[k]);
                            if (h.trapPending) break trapped;
                        }
                        case FSD -> {
                            if (Semantics.floatingPointOn(h, insns[k])) FloatingPoint.fsd_(h, insns[k]);
                            if (h.trapPending) break trapped;
                        }
                        case FADD_D -> {
                            if (Semantics.floatingPointOn(h, insns[k])) FloatingPoint.faddD_(h, insns[k]);
                            if (h.trapPending) break trapped;
                        }
                        case FSUB_D -> {
                            if (Semantics.floatingPointOn(h, insns[k])) FloatingPoint.fsubD_(h, insns[k]);
                            if (h.trapPending) break trapped;
                        }
                        case FMUL_D -> {
                            if (Semantics.floatingPointOn(h, insns[k])) FloatingPoint.fmulD_(h, insns[k]);
                            if (h.trapPending) break trapped;
                        }
                        case FDIV_D -> {
                            if (Semantics.floatingPointOn(h, insns[k])) FloatingPoint.fdivD_(h, insns[k]);
                            if (h.trapPending) break trapped;
                        }
                        case FMADD_D -> {
                            if (Semantics.floatingPointOn(h, insns[k])) FloatingPoint.fmaddD_(h, insns[k]);
                            if (h.trapPending) break trapped;
                        }
                        case FMSUB_D -> {
                            if (Semantics.floatingPointOn(h, insns[k])) FloatingPoint.fmsubD_(h, insns[k]);
                            if (h.trapPending) break trapped;
                        }
                        case FNMSUB_D -> {
                            if (Semantics.floatingPointOn(h, insns[k])) FloatingPoint.fnmsubD_(h, insns[k]);
                            if (h.trapPending) break trapped;
                        }
                        case FNMADD_D -> {
                            if (Semantics.floatingPointOn(h, insns[k])) FloatingPoint.fnmaddD_(h, insns[k]);
                            if (h.trapPending) break trapped;
                        }
                        case FSGNJ_D -> {
                            if (Semantics.floatingPointOn(h, insns[k])) FloatingPoint.fsgnjD_(h, insns[k]);
                            if (h.trapPending) break trapped;
                        }
                        case FSGNJN_D -> {
                            if (Semantics.floatingPointOn(h, insns[k])) FloatingPoint.fsgnjnD_(h, insns[k]);
                            if (h.trapPending) break trapped;
                        }
                        case FSGNJX_D -> {
                            if (Semantics.floatingPointOn(h, insns[k])) FloatingPoint.fsgnjxD_(h, insns[k]);
                            if (h.trapPending) break trapped;
                        }
                        case FEQ_D -> {
                            if (Semantics.floatingPointOn(h, insns[k])) FloatingPoint.feqD_(h, insns[k]);
                            if (h.trapPending) break trapped;
                        }
                        case FLT_D -> {
                            if (Semantics.floatingPointOn(h, insns[k])) FloatingPoint.fltD_(h, insns[k]);
                            if (h.trapPending) break trapped;
                        }
                        case FLE_D -> {
                            if (Semantics.floatingPointOn(h, insns[k])) FloatingPoint.fleD_(h, insns[k]);
                            if (h.trapPending) break trapped;
                        }
                        case FMV_X_D -> {
                            if (Semantics.floatingPointOn(h, insns[k])) FloatingPoint.fmvXD_(h, insns[k]);
                            if (h.trapPending) break trapped;
                        }
                        case FMV_D_X -> {
                            if (Semantics.floatingPointOn(h, insns[k])) FloatingPoint.fmvDX_(h, insns[k]);
                            if (h.trapPending) break trapped;
                        }
                        case BEQ -> {
                            next = IntegerOps.beq_(h, insns[k], pcs[k]);
                            break block;
                        }
                        case BNE -> {
                            next = IntegerOps.bne_(h, insns[k], pcs[k]);
                            break block;
                        }
                        case BLT -> {
                            next = IntegerOps.blt_(h, insns[k], pcs[k]);
                            break block;
                        }
                        case BGE -> {
                            next = IntegerOps.bge_(h, insns[k], pcs[k]);
                            break block;
                        }
                        case BLTU -> {
                            next = IntegerOps.bltu_(h, insns[k], pcs[k]);
                            break block;
                        }
                        case BGEU -> {
                            next = IntegerOps.bgeu_(h, insns[k], pcs[k]);
                            break block;
                        }
                        case JAL -> {
                            next = IntegerOps.jal_(h, insns[k], pcs[k]);
                            break block;
                        }
                        case JALR -> {
                            next = IntegerOps.jalr_(h, insns[k], pcs[k]);
                            break block;
                        }
                        case END -> {
                            next = b.endPc;
                            break block;
                        }
                        case GENERIC -> {
                            h.instret += k; // it may read instret (or trap): the instructions before it retired
                            Semantics.of(insns[k].op).execute(h, insns[k], pcs[k]);
                            if (h.trapPending) {
                                h.pc = pcs[k];
                                return;
                            }
                            h.instret -= k;
                        }
                        default -> { // GENERIC_EXIT: the same, and the block ends with it
                            h.instret += k;
                            next = Semantics.of(insns[k].op).execute(h, insns[k], pcs[k]);
                            if (h.trapPending) {
                                h.pc = pcs[k];
                                return;
                            }
                            h.instret -= k;
                            if (h.codeFlushRequested) { // FENCE.I
                                h.codeFlushRequested = false;
                                codeFlusher.run();
                                b = null; // dropped with its links: no chain from it
                            }
                            break block;
                        }
                    }
                }
                h.instret += insns.length;
                h.pc = next;
                if (h.instret >= limit || h.exitRequest != 0) return;
                b = successor(b, next);
                if (b == null) return; // fetch fault or illegal instruction at pc: trap pending
                continue;
            }
            // Instruction k trapped and did not retire: instret counts those before it, pc is its own.
            h.instret += k;
            h.pc = pcs[k];
            return;
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
        // In user mode the hot threshold is low enough that block length does not matter.
        if (h.privileged != null) b.executionWeight = Math.max(1, b.insns.length / INSNS_PER_EXECUTION);
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
