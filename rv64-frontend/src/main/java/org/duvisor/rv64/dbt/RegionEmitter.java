package org.duvisor.rv64.dbt;

import static org.objectweb.asm.Opcodes.*;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Long2ObjectHashMap;
import org.duvisor.dbt.memory.MemorySlowPath;
import org.duvisor.dbt.memory.SoftTlb;
import org.duvisor.rv64.hart.Hart;
import org.duvisor.rv64.isa.Insn;
import org.duvisor.rv64.isa.Op;
import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Type;

/**
 * Emits the body of one region method and offers the instruction families the operations they
 * build their code from: guest registers as JVM locals, inline TLB fast paths with out-of-line slow
 * paths, branches to blocks of the region or to exit stubs, trap exits with precise state.
 *
 * <p>Locals: 0 this, 1 hart, then the values hoisted at entry (the TLB arrays and the Unsafe are
 * constants, pushed where used), the instruction counter,
 * temporaries, and two slots per guest register used (x1..x31, f0..f31). Registers read or written
 * anywhere in the region are loaded at entry; those written are stored back at the common exit,
 * or as they are written for the ones {@link WriteThrough} chooses.
 *
 * <p>Rule for callers: {@link #load}, {@link #store}, {@link #trapCheck} and the exits are called
 * with nothing else on the operand stack, so that every path into the shared exit agrees.
 */
public final class RegionEmitter {
    static final String HART = Type.getInternalName(Hart.class);
    static final String TLB = Type.getInternalName(SoftTlb.class);
    static final String SLOW = Type.getInternalName(MemorySlowPath.class);
    static final String ACCESS = Type.getInternalName(org.duvisor.dbt.memory.HostAccess.class);
    static final String UNSAFE = org.duvisor.dbt.memory.HostAccess.UNSAFE_CLASS;
    static final String FAULTING = Type.getInternalName(FaultingAccess.class);
    static final String FAULT = Type.getInternalName(FaultingAccess.Fault.class);

    // fixed local slots
    static final int THIS = 0, H = 1, SLOWPATH = 2, INSNS = 3, ICOUNT = 4, NEXT_PC = 6,
            EXIT_SLOT = 8, TMP_VA = 9, TMP_IDX = 11, TMP_VAL = 12, TMP2 = 14, TMP_OFF = 16, FIRST_REG = 18;

    /** Above this many likely targets an indirect jump dispatches through a lookupswitch. */
    private static final int SWITCH_GUESSES = 3;

    /** The exit-target entry of an indirect exit slot (no guest pc is odd). */
    public static final long INDIRECT_TARGET = -1;

    /**
     * The region's TLB arrays and its hart's register files as constants: the hidden class's data
     * is the list {@link SoftTlb#currentArrays()} of the regime the region runs in (its context
     * fixes the regime) followed by {@code hart.x}, {@code hart.f} and the hart, and {@code ldc} of a {@code classDataAt} dynamic constant is a constant to C2, so the
     * arrays' lengths are known (the masked index needs no bounds check) and their addresses need
     * no register.
     */
    private static final Handle CLASS_DATA_AT = new Handle(H_INVOKESTATIC, "java/lang/invoke/MethodHandles", "classDataAt",
            "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/Class;I)Ljava/lang/Object;", false);
    static final int DATA_READ_TAG = 0, DATA_WRITE_TAG = 1, DATA_HOST_ADDEND = 2, DATA_X = 3, DATA_F = 4, DATA_HART = 5,
            DATA_WINDOW_MISSES = 6;

    public final MethodVisitor mv;
    private final long context;
    private final int tlbMask;
    /** With an identity-mapped TLB, the host address of an access is {@code va + ramAddress}. */
    private final boolean identityMapped;
    /** Per load/store pc, the direct window (see {@link SoftTlb#directWindow}) its access is tested against first. */
    private final Long2ObjectHashMap<long[]> windows;
    /** How many loads and stores were emitted with a direct-window test. */
    int directAccesses;
    private final long ramAddress;
    private final BitSet xUsed, xWritten, fUsed, fWritten;
    /** Registers stored to the hart as they are written, not at the exits (see {@link WriteThrough}). */
    private final BitSet xThrough;
    private final Long2ObjectHashMap<Label> blockLabels;
    private final List<Long> returnSites;
    private final Long2ObjectHashMap<long[]> profiledTargets;
    private final Long2LongHashMap exitSlots = new Long2LongHashMap(-1);
    private final List<Long> exitTargets = new ArrayList<>();
    private final List<Runnable> coldCode = new ArrayList<>();
    private final Label commonExit = new Label();
    /**
     * User mode: slow accesses throw {@link FaultingAccess.Fault} on a fault, caught once for the
     * whole region ({@link #faultHandler}), instead of a trap test after each.
     */
    private final boolean throwsFaults;
    private final Label tryStart = new Label(), tryEnd = new Label(), faultHandler = new Label();
    private final String ownerName;

    // position of the instruction being emitted, for precise traps
    private long currentPc;
    private int currentIndex;
    private int instructionsLeftInBlock;
    private int insnConstant;

    RegionEmitter(MethodVisitor mv, String ownerName, long context, SoftTlb tlb, BitSet xUsed, BitSet xWritten,
                  BitSet xThrough, BitSet fUsed, BitSet fWritten, Long2ObjectHashMap<Label> blockLabels, List<Long> returnSites,
                  Long2ObjectHashMap<long[]> profiledTargets, Long2ObjectHashMap<long[]> windows) {
        this.context = context;
        this.windows = windows;
        this.tlbMask = tlb.indexMask;
        this.identityMapped = tlb.identityMapped();
        this.throwsFaults = identityMapped && Boolean.parseBoolean(System.getProperty("dv.throwFaults", "true"));
        this.ramAddress = tlb.ram.address();
        this.returnSites = returnSites;
        this.profiledTargets = profiledTargets;
        this.mv = mv;
        this.ownerName = ownerName;
        this.xUsed = xUsed;
        this.xWritten = xWritten;
        this.xThrough = xThrough;
        this.fUsed = fUsed;
        this.fWritten = fWritten;
        this.blockLabels = blockLabels;
    }

    static int xSlot(int r) {
        return FIRST_REG + 2 * (r - 1);
    }

    static int fSlot(int r) {
        return FIRST_REG + 62 + 2 * r;
    }

    List<Long> exitTargets() {
        return exitTargets;
    }

    /** Sets the instruction being emitted: its pc, index into the region's Insn table, and how many of its block remain. */
    void at(long pc, int insnIndex, int leftInBlock) {
        wordsBefore = words;
        written = 0;
        reloaded = false;
        currentPc = pc;
        insnConstant = insnIndex;
        currentIndex = insnIndex;
        instructionsLeftInBlock = leftInBlock;
    }

    public long pc() {
        return currentPc;
    }

    /** The value of frm the region is made for: the rounding mode of DYN instructions (may be invalid). */
    public int dynamicRoundingMode() {
        return TranslationContext.frm(context);
    }

    // ---- prologue / epilogue ----

    void prologue() {
        if (throwsFaults) mv.visitTryCatchBlock(tryStart, tryEnd, faultHandler, FAULT);
        pushHart();
        mv.visitFieldInsn(GETFIELD, HART, "tlb", "L" + TLB + ";");
        mv.visitMethodInsn(INVOKEVIRTUAL, TLB, "slowPath", "()L" + SLOW + ";", false);
        mv.visitVarInsn(ASTORE, SLOWPATH);
        mv.visitVarInsn(ALOAD, THIS);
        mv.visitFieldInsn(GETFIELD, ownerName, "insns", "[L" + Type.getInternalName(Insn.class) + ";");
        mv.visitVarInsn(ASTORE, INSNS);
        mv.visitInsn(LCONST_0);
        mv.visitVarInsn(LSTORE, ICOUNT);
        mv.visitInsn(LCONST_0);
        mv.visitVarInsn(LSTORE, NEXT_PC);
        mv.visitInsn(ICONST_0);
        mv.visitVarInsn(ISTORE, EXIT_SLOT);
        // Temporaries get a definite type on every path (the verifier merges frames at labels).
        mv.visitInsn(LCONST_0);
        mv.visitVarInsn(LSTORE, TMP_VA);
        mv.visitInsn(ICONST_0);
        mv.visitVarInsn(ISTORE, TMP_IDX);
        mv.visitInsn(LCONST_0);
        mv.visitVarInsn(LSTORE, TMP_VAL);
        mv.visitInsn(LCONST_0);
        mv.visitVarInsn(LSTORE, TMP2);
        mv.visitInsn(LCONST_0);
        mv.visitVarInsn(LSTORE, TMP_OFF);
        for (int r = 1; r < 32; r++) {
            if (!xUsed.get(r)) continue;
            classData(DATA_X);
            pushInt(r);
            mv.visitInsn(LALOAD);
            mv.visitVarInsn(LSTORE, xSlot(r));
        }
        for (int r = 0; r < 32; r++) {
            if (!fUsed.get(r)) continue;
            classData(DATA_F);
            pushInt(r);
            mv.visitInsn(LALOAD);
            mv.visitVarInsn(LSTORE, fSlot(r));
        }
        if (!identityMapped) {
            forgetTranslations();
            mv.visitInsn(LCONST_0);
            mv.visitVarInsn(LSTORE, LOAD_CACHE + 2);
            mv.visitInsn(LCONST_0);
            mv.visitVarInsn(LSTORE, STORE_CACHE + 2);
        }
        if (throwsFaults) mv.visitLabel(tryStart); // every local the fault handler reads is set by now
    }

    /**
     * Pushes the Unsafe (a static final, so a constant). Like the TLB arrays it is pushed at each
     * use rather than kept in a local: an on-stack-replacement compile takes locals from the
     * interpreter frame and would not see them as constants.
     */
    private void unsafe() {
        mv.visitFieldInsn(GETSTATIC, ACCESS, "UNSAFE", "Ljava/lang/Object;");
        mv.visitTypeInsn(CHECKCAST, UNSAFE);
    }

    private void classData(int index) {
        mv.visitLdcInsn(new ConstantDynamic("_", "[J", CLASS_DATA_AT, index)); // classDataAt requires the name "_"
    }

    /** Emits the cold stubs and the common exit that writes state back. */
    void epilogue() {
        for (int k = 0; k < coldCode.size(); k++) coldCode.get(k).run(); // stubs may add stubs
        if (throwsFaults) {
            mv.visitLabel(tryEnd);
            // A slow access faulted: leave as a trap test would have, at the hart's record of where.
            mv.visitLabel(faultHandler);
            mv.visitInsn(POP);
            mv.visitVarInsn(LLOAD, ICOUNT);
            pushHart();
            mv.visitFieldInsn(GETFIELD, HART, "faultLeft", "I");
            mv.visitInsn(I2L);
            mv.visitInsn(LSUB);
            mv.visitVarInsn(LSTORE, ICOUNT);
            pushHart();
            mv.visitFieldInsn(GETFIELD, HART, "faultPc", "J");
            mv.visitVarInsn(LSTORE, NEXT_PC);
            pushInt(RegionCode.EXIT_TRAP);
            mv.visitVarInsn(ISTORE, EXIT_SLOT);
        }
        mv.visitLabel(commonExit);
        spillWritten();
        pushHart();
        mv.visitVarInsn(LLOAD, NEXT_PC);
        mv.visitFieldInsn(PUTFIELD, HART, "pc", "J");
        addInstret();
        mv.visitVarInsn(ILOAD, EXIT_SLOT);
        mv.visitInsn(IRETURN);
    }

    private void addInstret() {
        pushHart();
        mv.visitInsn(DUP);
        mv.visitFieldInsn(GETFIELD, HART, "instret", "J");
        mv.visitVarInsn(LLOAD, ICOUNT);
        mv.visitInsn(LADD);
        mv.visitFieldInsn(PUTFIELD, HART, "instret", "J");
    }

    private void spillWritten() {
        for (int r = 1; r < 32; r++) {
            if (!xWritten.get(r) || xThrough.get(r)) continue;
            classData(DATA_X);
            pushInt(r);
            mv.visitVarInsn(LLOAD, xSlot(r));
            mv.visitInsn(LASTORE);
        }
        for (int r = 0; r < 32; r++) {
            if (!fWritten.get(r)) continue;
            classData(DATA_F);
            pushInt(r);
            mv.visitVarInsn(LLOAD, fSlot(r));
            mv.visitInsn(LASTORE);
        }
    }

    /** Reloads every used register from the hart (after a call that may have changed them). */
    private void reloadUsed() {
        forgetTranslations();
        forgetMemory();
        forgetQuotient();
        words = 0;
        reloaded = true;
        for (int r = 1; r < 32; r++) {
            if (!xUsed.get(r)) continue;
            classData(DATA_X);
            pushInt(r);
            mv.visitInsn(LALOAD);
            mv.visitVarInsn(LSTORE, xSlot(r));
        }
        for (int r = 0; r < 32; r++) {
            if (!fUsed.get(r)) continue;
            classData(DATA_F);
            pushInt(r);
            mv.visitInsn(LALOAD);
            mv.visitVarInsn(LSTORE, fSlot(r));
        }
    }

    // ---- memory facts (user mode) ----

    /**
     * What the straight-line code of a block has just loaded from or stored to memory: the 8 bytes
     * at x[base] + offset, kept in a local, so that a later 8-byte load of the same address (LD or
     * FLD: a compiler's spill slots) reads the local instead of memory. A hart may read its own
     * latest store, and a load may return what an earlier load of the address returned while no
     * store of the hart came between (RVWMO, Unprivileged ISA 17.1). Only for a user-mode
     * process: its memory is RAM only (no device would see one read fewer), a page that took a load
     * or a store takes the same load (its pages are never write-only, see AddressSpace), and
     * nothing else runs on its memory. A fact holds until its base register is written, a store may
     * overlap it, a block starts (a join point) or an instruction that may touch memory otherwise
     * runs ({@link #forgetMemory}).
     */
    private static final int FACTS = 4, FIRST_FACT = FIRST_REG + 126;
    private final int[] factBase = {-1, -1, -1, -1};
    private final long[] factOffset = new long[FACTS];
    private int factNext;

    // ---- a quotient kept for the remainder of the same operands ----

    /**
     * The quotient of the last division in this block, kept in a local, so that the remainder of
     * the same operands (C's {@code x / y} next to {@code x % y}) costs a multiply and a subtract
     * instead of a second division. For every RISC-V division, by zero and on overflow too,
     * {@code rem = rs1 - div * rs2} in the operation's width (the table in the M extension's
     * "Division Operations": quotient -1 and remainder rs1 by zero; quotient rs1 and remainder 0
     * on overflow). The quotient holds until rs1 or rs2 is written, the registers are reloaded or
     * a block starts.
     */
    private static final int QUOTIENT = FIRST_FACT + 2 * FACTS;
    private Op quotientOp;
    private int quotientRs1, quotientRs2;
    private Insn[] blockInsns = new Insn[0];

    /** Records the long on the stack (kept there) as the quotient {@code op} (DIV, DIVU, DIVW or DIVUW) of x[rs1] and x[rs2]. */
    public void rememberQuotient(Op op, int rs1, int rs2) {
        mv.visitInsn(DUP2);
        mv.visitVarInsn(LSTORE, QUOTIENT);
        quotientOp = op;
        quotientRs1 = rs1;
        quotientRs2 = rs2;
    }

    /** Whether the quotient {@code op} of x[rs1] and x[rs2] is kept. */
    public boolean hasQuotient(Op op, int rs1, int rs2) {
        return quotientOp == op && quotientRs1 == rs1 && quotientRs2 == rs2;
    }

    /** Pushes the kept quotient (see {@link #hasQuotient}). */
    public void loadQuotient() {
        mv.visitVarInsn(LLOAD, QUOTIENT);
    }

    private void forgetQuotient() {
        quotientOp = null;
    }

    /** The instructions of the block after the one being emitted. */
    public List<Insn> restOfBlock() {
        return java.util.Arrays.asList(blockInsns).subList(blockInsns.length - instructionsLeftInBlock + 1, blockInsns.length);
    }

    /** Forgets every memory fact. */
    public void forgetMemory() {
        java.util.Arrays.fill(factBase, -1);
    }

    /** Pushes the known 8 bytes at x[base] + offset and returns true, or returns false if none is known. */
    public boolean knownMemory(int base, long offset) {
        for (int k = 0; k < FACTS; k++) {
            if (factBase[k] == base && factOffset[k] == offset) {
                mv.visitVarInsn(LLOAD, FIRST_FACT + 2 * k);
                return true;
            }
        }
        return false;
    }

    /**
     * Records the long on the stack (kept there) as the 8 bytes just loaded from x[base] + offset;
     * call before writing the destination register, so that a load into its own base leaves no fact.
     */
    public void rememberLoad(int base, long offset) {
        if (!identityMapped) return;
        mv.visitInsn(DUP2);
        remember(base, offset);
    }

    /** Records x[value] (or f[value] if {@code floating}) as the 8 bytes just stored at x[base] + offset. */
    public void rememberStore(int base, long offset, int value, boolean floating) {
        if (!identityMapped) return;
        for (int k = 0; k < FACTS; k++) {
            // Another base may alias anything; the same base overlaps within 8 bytes.
            if (factBase[k] != base || Math.abs(factOffset[k] - offset) < 8) factBase[k] = -1;
        }
        if (floating) loadF(value);
        else loadX(value);
        remember(base, offset);
    }

    private void remember(int base, long offset) {
        int k = factNext;
        factNext = (factNext + 1) % FACTS;
        mv.visitVarInsn(LSTORE, FIRST_FACT + 2 * k);
        factBase[k] = base;
        factOffset[k] = offset;
    }

    private void forgetBase(int r) {
        for (int k = 0; k < FACTS; k++) if (factBase[k] == r) factBase[k] = -1;
    }

    /**
     * Starts a block of {@code length} instructions, a join point, where {@code words} hold (the
     * translator's assumption of every way into it); its instructions count as retired when it is
     * entered.
     */
    void startBlock(Insn[] insns, int words) {
        forgetMemory();
        forgetQuotient();
        this.words = words;
        blockInsns = insns;
        mv.visitVarInsn(LLOAD, ICOUNT);
        pushLong(insns.length);
        mv.visitInsn(LADD);
        mv.visitVarInsn(LSTORE, ICOUNT);
    }

    // ---- constants and registers ----

    public void pushInt(int v) {
        if (v >= -1 && v <= 5) mv.visitInsn(ICONST_0 + v);
        else if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) mv.visitIntInsn(BIPUSH, v);
        else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) mv.visitIntInsn(SIPUSH, v);
        else mv.visitLdcInsn(v);
    }

    public void pushLong(long v) {
        if (v == 0) mv.visitInsn(LCONST_0);
        else if (v == 1) mv.visitInsn(LCONST_1);
        else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
            pushInt((int) v);
            mv.visitInsn(I2L);
        } else mv.visitLdcInsn(v);
    }

    /** Pushes x[r] (a long); x0 is the constant 0. */
    public void loadX(int r) {
        if (r == 0) mv.visitInsn(LCONST_0);
        else mv.visitVarInsn(LLOAD, xSlot(r));
    }

    /** Pops a long into x[r]; writes to x0 are discarded. */
    public void storeX(int r) {
        if (r == 0) {
            mv.visitInsn(POP2);
        } else {
            mv.visitVarInsn(LSTORE, xSlot(r));
            if (xThrough.get(r)) {
                classData(DATA_X);
                pushInt(r);
                mv.visitVarInsn(LLOAD, xSlot(r));
                mv.visitInsn(LASTORE);
            }
            forgetBase(r);
            if (r == quotientRs1 || r == quotientRs2) forgetQuotient();
            words &= ~(1 << r);
            written |= 1 << r;
        }
    }

    // ---- sign-extended words ----

    /**
     * Bit r: x[r] holds a sign-extended 32-bit value here (see IntegerOps#wordsAfter). Of two
     * such values, the 64-bit AND, OR and XOR are the sign extensions of the 32-bit ones, and
     * 64-bit comparisons order them as the 32-bit ones do (signed and unsigned), so those are
     * emitted as int operations: HotSpot then keeps chains of word arithmetic in 32-bit registers
     * instead of widening each intermediate result.
     *
     * <p>A block starts with what the translator assumes of every way into it ({@link
     * #startBlock}); each jump into a block records what holds at the jump ({@link
     * #wordsJumpingTo}), so that the translator can check its assumption against every jump
     * actually emitted. Registers reloaded from the hart hold nothing known.
     */
    private int words, wordsBefore, written;
    private boolean reloaded;
    private static final long NO_JUMP = Long.MIN_VALUE; // not a sign-extended int mask
    private final Long2LongHashMap jumpWords = new Long2LongHashMap(NO_JUMP);

    /** Whether x[r] holds a sign-extended 32-bit value (x0 always does). */
    public boolean holdsWord(int r) {
        return holdsWord(words, r);
    }

    /** Whether the word mask {@code words} (bit r for x[r]) says x[r] holds a sign-extended 32-bit value. */
    public static boolean holdsWord(int words, int r) {
        return r == 0 || (words & (1 << r)) != 0;
    }

    /** What held at every jump emitted into the block at {@code pc} (bits set in all of them; -1: no jump). */
    long wordsJumpingTo(long pc) {
        long w = jumpWords.get(pc);
        return w == NO_JUMP ? -1 : w;
    }

    /** The words before the instruction being emitted (set by {@link #at}). */
    int wordsBefore() {
        return wordsBefore;
    }

    /**
     * After an instruction: what holds now, as the translator computed it from {@link
     * #wordsBefore} for the instruction's {@code rd}; any other register the instruction's code
     * wrote, or reloaded, holds nothing known.
     */
    void afterInstruction(int rd, int wordsAfter) {
        words = reloaded ? 0 : wordsAfter & ~(written & ~(1 << rd));
    }

    private void noteJump(long target) {
        jumpWords.put(target, wordsJumpingTo(target) & words);
    }

    /** Pushes x[r] as an int; for registers that {@link #holdsWord} only, so that nothing is lost. */
    public void loadWord(int r) {
        if (r == 0) {
            mv.visitInsn(ICONST_0);
        } else {
            mv.visitVarInsn(LLOAD, xSlot(r));
            mv.visitInsn(L2I);
        }
    }

    public void loadF(int r) {
        mv.visitVarInsn(LLOAD, fSlot(r));
    }

    public void storeF(int r) {
        mv.visitVarInsn(LSTORE, fSlot(r));
    }

    /** Pops a long into a scratch local (one at a time; not across loads, stores or exits). */
    public void stashLong() {
        mv.visitVarInsn(LSTORE, TMP2);
    }

    public void unstashLong() {
        mv.visitVarInsn(LLOAD, TMP2);
    }

    /** Pushes the {@link Insn} being emitted (from the region's instruction table). */
    public void loadCurrentInsn() {
        mv.visitVarInsn(ALOAD, INSNS);
        pushInt(insnConstant);
        mv.visitInsn(AALOAD);
    }

    public void loadHart() {
        pushHart();
    }

    /** Pushes the hart (a constant of the class, like the TLB arrays: one register fewer in the region). */
    private void pushHart() {
        mv.visitLdcInsn(new ConstantDynamic("_", "L" + HART + ";", CLASS_DATA_AT, DATA_HART));
    }

    /** Pushes the hart's FloatFlags accumulator. */
    public void loadFlags() {
        pushHart();
        mv.visitFieldInsn(GETFIELD, HART, "fflags", "Lorg/duvisor/rv64/fp/FloatFlags;");
    }

    /** Pushes {@code x} (int) and converts long → int on the stack. */
    public void l2i() {
        mv.visitInsn(L2I);
    }

    public void i2l() {
        mv.visitInsn(I2L);
    }

    public void invokeStatic(Class<?> owner, String name, String descriptor) {
        mv.visitMethodInsn(INVOKESTATIC, Type.getInternalName(owner), name, descriptor, false);
    }

    // ---- the stack's translation kept in locals (full system) ----

    /**
     * Under paging, the last page the stack pointer's loads (and, apart, its stores) hit in the TLB,
     * as two locals: the page's tag and its host addend. An sp-based access first compares its page
     * with the tag, a register compare where the TLB's test loads two array elements; the TLB is
     * asked only when the page differs, and its hit becomes the new tag. Only sp: a frame rarely
     * leaves its page, while other bases wander. Measured in the guest Linux (SystemSideBySide, suite
     * at ref size, 2 rounds, twice): for sp, 1.05x the speed without (geomean; spec-matmul, whose
     * loop spills to the stack, 1.21-1.23x); for every base register, spec-graph ran 1.2-1.5x as
     * long, a mispredicted compare in front of most of its TLB tests. A kept translation is as good
     * as the TLB's entry was: the TLB changes only through SFENCE.VMA, satp and other CSR writes,
     * privilege changes, traps and requests from other harts, which all end the region or reach it as
     * an interrupt at a back-edge, where it exits; the one way a region runs other code without
     * leaving, a call into the interpreter, forgets the tags after it ({@link #reloadUsed}). A fill
     * or eviction of TLB entries by the slow path changes no mapping. Not in user mode: there a TLB
     * test needs no addend, and windows serve the hot accesses.
     */
    private static final int SP = 2, LOAD_CACHE = QUOTIENT + 2, STORE_CACHE = LOAD_CACHE + 4;

    /** The first of the two slots (tag, addend) of the translation cache of {@code base}'s loads or stores; -1 for none. */
    private int translationCache(int base, boolean store) {
        if (identityMapped || base != SP) return -1;
        return store ? STORE_CACHE : LOAD_CACHE;
    }

    /** Sets the translation caches' tags to one no access matches (its low bits are set). */
    private void forgetTranslations() {
        if (identityMapped) return;
        for (int slot : new int[]{LOAD_CACHE, STORE_CACHE}) {
            mv.visitInsn(ICONST_M1);
            mv.visitInsn(I2L);
            mv.visitVarInsn(LSTORE, slot);
        }
    }

    /**
     * Falls through when the access at TMP_VA is on the page of translation cache {@code slot};
     * otherwise, out of line, tests the TLB as {@link #tagCheck} does, branching to {@code slow}
     * on a miss, and on a hit makes the page the cache's before coming back. The alignment bits
     * join the compare as in the TLB's tags, so a misaligned access never matches.
     */
    private void cachedCheck(int slot, int tagArray, int size, Label slow) {
        Label miss = new Label(), hit = new Label();
        mv.visitVarInsn(LLOAD, TMP_VA);
        pushLong(SoftTlb.PAGE_MASK | (size - 1));
        mv.visitInsn(LAND);
        mv.visitVarInsn(LLOAD, slot);
        mv.visitInsn(LCMP);
        mv.visitJumpInsn(IFNE, miss);
        mv.visitLabel(hit);
        coldCode.add(() -> {
            mv.visitLabel(miss);
            tagCheck(tagArray, size, slow);
            mv.visitVarInsn(LLOAD, TMP_VA);
            pushLong(SoftTlb.PAGE_MASK);
            mv.visitInsn(LAND);
            mv.visitVarInsn(LSTORE, slot);
            tlbAddend();
            mv.visitVarInsn(LSTORE, slot + 2);
            mv.visitJumpInsn(GOTO, hit);
        });
    }

    // ---- memory ----

    /**
     * Expects a guest address (long) on the stack; leaves the loaded value (long), sign- or
     * zero-extended per {@code signed}. A fault leaves the region with precise state. {@code base}
     * is the register the address came from (its translation cache, see {@link #translationCache}).
     */
    public void load(int size, boolean signed, int base) {
        mv.visitVarInsn(LSTORE, TMP_VA);
        Label slow = new Label(), done = new Label();
        int cache = translationCache(base, false);
        long windowLo = -1;
        if (cache >= 0) cachedCheck(cache, DATA_READ_TAG, size, slow);
        else windowLo = accessCheck(DATA_READ_TAG, size, slow);
        unsafe();
        mv.visitInsn(ACONST_NULL);
        hostAddress(windowLo, cache);
        // Aligned, in-page, little-endian host (x86-64 and AArch64 JVMs are little-endian).
        switch (size) {
            case 1 -> mv.visitMethodInsn(INVOKEVIRTUAL, UNSAFE, "getByte", "(Ljava/lang/Object;J)B", false);
            case 2 -> mv.visitMethodInsn(INVOKEVIRTUAL, UNSAFE, "getShort", "(Ljava/lang/Object;J)S", false);
            case 4 -> mv.visitMethodInsn(INVOKEVIRTUAL, UNSAFE, "getInt", "(Ljava/lang/Object;J)I", false);
            default -> mv.visitMethodInsn(INVOKEVIRTUAL, UNSAFE, "getLong", "(Ljava/lang/Object;J)J", false);
        }
        extend(size, signed);
        // Both paths meet at done with an empty operand stack (the value in TMP_VAL): the slow path
        // jumps back from the end of the method, and HotSpot cannot enter compiled code
        // (on-stack replacement) at a backward branch's target with values on the stack.
        mv.visitVarInsn(LSTORE, TMP_VAL);
        mv.visitLabel(done);
        mv.visitVarInsn(LLOAD, TMP_VAL);
        final long pc = currentPc;
        final int left = instructionsLeftInBlock;
        coldCode.add(() -> {
            mv.visitLabel(slow);
            mv.visitVarInsn(ALOAD, SLOWPATH);
            mv.visitVarInsn(LLOAD, TMP_VA);
            pushInt(size);
            if (throwsFaults) {
                pushHart();
                pushLong(pc);
                pushInt(left);
                mv.visitMethodInsn(INVOKESTATIC, FAULTING, "load", "(L" + SLOW + ";JIL" + HART + ";JI)J", false);
                mv.visitVarInsn(LSTORE, TMP_VAL);
            } else {
                mv.visitMethodInsn(INVOKEINTERFACE, SLOW, "load", "(JI)J", true);
                mv.visitVarInsn(LSTORE, TMP_VAL);
                trapCheck(pc, left);
            }
            if (size < 8) {
                mv.visitVarInsn(LLOAD, TMP_VAL);
                mv.visitInsn(L2I);
                if (size == 1) mv.visitInsn(I2B);
                if (size == 2) mv.visitInsn(I2S);
                extend(size, signed);
                mv.visitVarInsn(LSTORE, TMP_VAL);
            }
            mv.visitJumpInsn(GOTO, done);
        });
    }

    /** Expects address (long) then value (long) on the stack; {@code base} as for {@link #load}. */
    public void store(int size, int base) {
        mv.visitVarInsn(LSTORE, TMP_VAL);
        mv.visitVarInsn(LSTORE, TMP_VA);
        Label slow = new Label(), done = new Label();
        int cache = translationCache(base, true);
        long windowLo = -1;
        if (cache >= 0) cachedCheck(cache, DATA_WRITE_TAG, size, slow);
        else windowLo = accessCheck(DATA_WRITE_TAG, size, slow);
        unsafe();
        mv.visitInsn(ACONST_NULL);
        hostAddress(windowLo, cache);
        mv.visitVarInsn(LLOAD, TMP_VAL);
        switch (size) {
            case 1 -> {
                mv.visitInsn(L2I);
                mv.visitInsn(I2B);
                mv.visitMethodInsn(INVOKEVIRTUAL, UNSAFE, "putByte", "(Ljava/lang/Object;JB)V", false);
            }
            case 2 -> {
                mv.visitInsn(L2I);
                mv.visitInsn(I2S);
                mv.visitMethodInsn(INVOKEVIRTUAL, UNSAFE, "putShort", "(Ljava/lang/Object;JS)V", false);
            }
            case 4 -> {
                mv.visitInsn(L2I);
                mv.visitMethodInsn(INVOKEVIRTUAL, UNSAFE, "putInt", "(Ljava/lang/Object;JI)V", false);
            }
            default -> mv.visitMethodInsn(INVOKEVIRTUAL, UNSAFE, "putLong", "(Ljava/lang/Object;JJ)V", false);
        }
        mv.visitLabel(done);
        final long pc = currentPc;
        final int left = instructionsLeftInBlock;
        coldCode.add(() -> {
            mv.visitLabel(slow);
            mv.visitVarInsn(ALOAD, SLOWPATH);
            mv.visitVarInsn(LLOAD, TMP_VA);
            mv.visitVarInsn(LLOAD, TMP_VAL);
            pushInt(size);
            if (throwsFaults) {
                pushHart();
                pushLong(pc);
                pushInt(left);
                mv.visitMethodInsn(INVOKESTATIC, FAULTING, "store", "(L" + SLOW + ";JJIL" + HART + ";JI)V", false);
            } else {
                mv.visitMethodInsn(INVOKEINTERFACE, SLOW, "store", "(JJI)V", true);
                trapCheck(pc, left);
            }
            mv.visitJumpInsn(GOTO, done);
        });
    }

    /**
     * Falls through when the access at TMP_VA may go straight to RAM, else branches to
     * {@code slow}. With a direct window for this instruction, the test is one unsigned compare of
     * the offset into the window (the whole access must lie inside; C2 compiles
     * {@code compareUnsigned} and the test of its sign to one compare) and the TLB is consulted
     * only out of line, when the address falls outside, which counts in the access's miss
     * counter and the hart's {@code windowMisses} (see DbtEngine: a region that misses often is
     * translated again; one that has missed {@link DbtEngine#WINDOW_MISS_LIMIT} times since it
     * was entered leaves at the access, as a trap would, so that this happens at once). Returns
     * the window's start, whose offset TMP_OFF then holds (the host address is the offset plus a
     * constant, and C2 keeps only the offset live), or -1 without a window.
     */
    private long accessCheck(int tagArray, int size, Label slow) {
        long[] w = windows.get(currentPc);
        if (w == null) {
            tagCheck(tagArray, size, slow);
            return -1;
        }
        Label outside = new Label(), inside = new Label();
        mv.visitVarInsn(LLOAD, TMP_VA);
        pushLong(w[0]);
        mv.visitInsn(LSUB);
        mv.visitInsn(DUP2);
        mv.visitVarInsn(LSTORE, TMP_OFF);
        pushLong(w[1] - w[0] - (size - 1));
        mv.visitMethodInsn(INVOKESTATIC, "java/lang/Long", "compareUnsigned", "(JJ)I", false);
        mv.visitJumpInsn(IFGE, outside);
        mv.visitLabel(inside);
        directAccesses++;
        final int site = (int) w[2];
        final long pc = currentPc;
        final int left = instructionsLeftInBlock;
        coldCode.add(() -> {
            mv.visitLabel(outside);
            classData(DATA_WINDOW_MISSES);
            pushInt(site);
            mv.visitInsn(DUP2);
            mv.visitInsn(LALOAD);
            mv.visitInsn(LCONST_1);
            mv.visitInsn(LADD);
            mv.visitInsn(LASTORE);
            pushHart();
            mv.visitInsn(DUP);
            mv.visitFieldInsn(GETFIELD, HART, "windowMisses", "J");
            mv.visitInsn(LCONST_1);
            mv.visitInsn(LADD);
            mv.visitInsn(DUP2_X1);
            mv.visitFieldInsn(PUTFIELD, HART, "windowMisses", "J");
            pushLong(DbtEngine.WINDOW_MISS_LIMIT);
            mv.visitInsn(LCMP);
            Label stop = new Label();
            mv.visitJumpInsn(IFGE, stop);
            tagCheck(tagArray, size, slow);
            mv.visitJumpInsn(GOTO, inside);
            // Leave before the access: the interpreter does it, the dispatcher retranslates.
            mv.visitLabel(stop);
            exitAt(pc, left, RegionCode.EXIT_STOP);
        });
        return w[0];
    }

    /**
     * The fast-path test of {@link SoftTlb}: index the TLB with the address in TMP_VA and branch to
     * {@code slow} unless {@code tags[index] == va & (PAGE_MASK | size-1)}.
     */
    private void tagCheck(int tagArray, int size, Label slow) {
        tlbIndex();
        classData(tagArray);
        mv.visitVarInsn(ILOAD, TMP_IDX);
        mv.visitInsn(LALOAD);
        mv.visitVarInsn(LLOAD, TMP_VA);
        pushLong(SoftTlb.PAGE_MASK | (size - 1));
        mv.visitInsn(LAND);
        mv.visitInsn(LCMP);
        mv.visitJumpInsn(IFNE, slow);
    }

    private void tlbIndex() {
        mv.visitVarInsn(LLOAD, TMP_VA);
        pushInt(SoftTlb.PAGE_SHIFT);
        mv.visitInsn(LUSHR);
        mv.visitInsn(L2I);
        pushInt(tlbMask);
        mv.visitInsn(IAND);
        mv.visitVarInsn(ISTORE, TMP_IDX);
    }

    /**
     * The host address of the access at TMP_VA: with a direct window at {@code windowLo}, of
     * TMP_OFF; with translation cache {@code cache}, by its addend; else by the TLB's.
     */
    private void hostAddress(long windowLo, int cache) {
        if (cache >= 0) {
            mv.visitVarInsn(LLOAD, TMP_VA);
            mv.visitVarInsn(LLOAD, cache + 2);
            mv.visitInsn(LADD);
            return;
        }
        if (windowLo >= 0) {
            mv.visitVarInsn(LLOAD, TMP_OFF);
            mv.visitLdcInsn(ramAddress + windowLo);
            mv.visitInsn(LADD);
            return;
        }
        mv.visitVarInsn(LLOAD, TMP_VA);
        if (identityMapped) {
            mv.visitLdcInsn(ramAddress);
            mv.visitInsn(LADD);
            return;
        }
        tlbAddend();
        mv.visitInsn(LADD);
    }

    /** Pushes the host addend of the TLB entry at TMP_IDX (host address = va + addend). */
    private void tlbAddend() {
        classData(DATA_HOST_ADDEND);
        mv.visitVarInsn(ILOAD, TMP_IDX);
        mv.visitInsn(LALOAD);
    }

    /** Extends a sign-extended int on the stack (as a segment get produces) to a long of the load's kind. */
    private void extend(int size, boolean signed) {
        if (size == 8) return;
        mv.visitInsn(I2L);
        if (!signed) {
            pushLong(size == 1 ? 0xFFL : size == 2 ? 0xFFFFL : 0xFFFF_FFFFL);
            mv.visitInsn(LAND);
        }
    }

    /** After a call that may raise a trap: if one is pending, leave with precise state. */
    public void trapCheck() {
        trapCheck(currentPc, instructionsLeftInBlock);
    }

    private void trapCheck(long pc, int left) {
        pushHart();
        mv.visitFieldInsn(GETFIELD, HART, "trapPending", "Z");
        Label ok = new Label();
        mv.visitJumpInsn(IFEQ, ok);
        exitAt(pc, left, RegionCode.EXIT_TRAP);
        mv.visitLabel(ok);
    }

    /** Leaves the region at {@code pc} (not retired, nor the rest of its block) with reason {@code slot}. */
    private void exitAt(long pc, int left, int slot) {
        mv.visitVarInsn(LLOAD, ICOUNT);
        pushLong(left);
        mv.visitInsn(LSUB);
        mv.visitVarInsn(LSTORE, ICOUNT);
        pushLong(pc);
        mv.visitVarInsn(LSTORE, NEXT_PC);
        pushInt(slot);
        mv.visitVarInsn(ISTORE, EXIT_SLOT);
        mv.visitJumpInsn(GOTO, commonExit);
    }

    /** Leaves the region before the current instruction, for the interpreter to execute it. */
    public void stopHere() {
        exitAt(currentPc, instructionsLeftInBlock, RegionCode.EXIT_STOP);
    }

    // ---- control flow ----

    /** The label of a block of this region starting at {@code pc}, or null. */
    public Label blockLabel(long pc) {
        return blockLabels.get(pc);
    }

    /** Continues at {@code target}: a jump inside the region, or a direct exit. */
    public void jumpTo(long target) {
        Label l = blockLabels.get(target);
        if (l != null) {
            noteJump(target);
            if (target <= currentPc) backEdgeCheck(target);
            mv.visitJumpInsn(GOTO, l);
        } else {
            directExit(target);
        }
    }

    /** Emits a conditional jump: the comparison's JVM opcode (IFxx on an int on the stack) to {@code target}. */
    public void branchIf(int ifOpcode, long target) {
        Label l = blockLabels.get(target);
        if (l != null && target > currentPc) {
            noteJump(target);
            mv.visitJumpInsn(ifOpcode, l);
            return;
        }
        Label taken = new Label();
        mv.visitJumpInsn(ifOpcode, taken);
        coldOrLocal(taken, target);
    }

    private void coldOrLocal(Label taken, long target) {
        final long from = currentPc;
        final int wordsHere = words;
        coldCode.add(() -> {
            mv.visitLabel(taken);
            long saved = currentPc;
            int savedWords = words;
            currentPc = from;
            words = wordsHere;
            jumpTo(target);
            currentPc = saved;
            words = savedWords;
        });
    }

    /** On a back-edge: leave if someone asked the hart to stop (interrupt, budget, lockstep). */
    private void backEdgeCheck(long target) {
        pushHart();
        mv.visitFieldInsn(GETFIELD, HART, "exitRequest", "I");
        Label go = new Label();
        mv.visitJumpInsn(IFEQ, go);
        directExit(target);
        mv.visitLabel(go);
    }

    private void directExit(long target) {
        long slot = exitSlots.get(target);
        if (slot < 0) {
            slot = exitTargets.size();
            exitTargets.add(target);
            exitSlots.put(target, slot);
        }
        pushLong(target);
        mv.visitVarInsn(LSTORE, NEXT_PC);
        pushInt((int) slot);
        mv.visitVarInsn(ISTORE, EXIT_SLOT);
        mv.visitJumpInsn(GOTO, commonExit);
    }

    /**
     * Expects the target pc (long) on the stack. Each indirect exit site gets its own slot (target
     * recorded as {@link #INDIRECT_TARGET}), so the dispatcher can cache the region it last led to
     * there: a monomorphic inline cache, which catches most returns and computed jumps.
     */
    public void indirectExit() {
        indirectExit(false);
    }

    /**
     * An indirect exit that first tries likely targets inside the region: for a return
     * ({@code isReturn}: {@code jalr x0, 0(ra)}) the region's return sites, and for any indirect
     * jump the targets the interpreter saw at this site. Each guess is compared with the real
     * target, so a wrong guess only costs the compare.
     */
    public void indirectExit(boolean isReturn) {
        java.util.Set<Long> distinct = new java.util.LinkedHashSet<>(); // overlapping blocks share return sites
        if (isReturn) distinct.addAll(returnSites);
        long[] seen = profiledTargets.get(currentPc);
        if (seen != null) {
            for (long t : seen) if (t != -1 && blockLabels.containsKey(t)) distinct.add(t);
        }
        List<Long> guesses = new ArrayList<>(distinct);
        // Sorted by their low 32 bits, the lookupswitch keys (distinct: guesses lie within SPAN of the entry).
        guesses.sort(java.util.Comparator.comparingInt(g -> (int) (long) g));
        if (guesses.size() > SWITCH_GUESSES) {
            // Many targets (a jump table, an interpreter's dispatch): one lookupswitch on the low
            // 32 bits, then the full compare in the matching case.
            mv.visitVarInsn(LSTORE, NEXT_PC);
            int[] keys = new int[guesses.size()];
            Label[] cases = new Label[guesses.size()];
            Label miss = new Label();
            for (int k = 0; k < keys.length; k++) {
                keys[k] = (int) (long) guesses.get(k);
                cases[k] = new Label();
            }
            mv.visitVarInsn(LLOAD, NEXT_PC);
            mv.visitInsn(L2I);
            mv.visitLookupSwitchInsn(miss, keys, cases);
            for (int k = 0; k < keys.length; k++) {
                mv.visitLabel(cases[k]);
                mv.visitVarInsn(LLOAD, NEXT_PC);
                pushLong(guesses.get(k));
                mv.visitInsn(LCMP);
                mv.visitJumpInsn(IFNE, miss);
                jumpTo(guesses.get(k));
            }
            mv.visitLabel(miss);
            mv.visitVarInsn(LLOAD, NEXT_PC);
        } else if (!guesses.isEmpty()) {
            mv.visitVarInsn(LSTORE, NEXT_PC);
            for (long site : guesses) {
                mv.visitVarInsn(LLOAD, NEXT_PC);
                pushLong(site);
                mv.visitInsn(LCMP);
                Label miss = new Label();
                mv.visitJumpInsn(IFNE, miss);
                jumpTo(site);
                mv.visitLabel(miss);
            }
            mv.visitVarInsn(LLOAD, NEXT_PC);
        }
        int slot = exitTargets.size();
        exitTargets.add(INDIRECT_TARGET);
        mv.visitVarInsn(LSTORE, NEXT_PC);
        pushInt(slot);
        mv.visitVarInsn(ISTORE, EXIT_SLOT);
        mv.visitJumpInsn(GOTO, commonExit);
    }

    // ---- fallback: the interpreter's semantics for one instruction ----

    /**
     * Executes the current instruction through its family's {@code execute}: spills the registers,
     * calls, checks for a trap and reloads. For rare instructions only; hot ones are emitted inline.
     */
    public void callInterpreter() {
        spillWritten(); // execute() reads its sources from the hart's arrays
        pushHart();
        mv.visitVarInsn(ALOAD, INSNS);
        pushInt(insnConstant);
        mv.visitInsn(AALOAD);
        pushLong(currentPc);
        mv.visitMethodInsn(INVOKESTATIC, "org/duvisor/rv64/exec/Interpreter", "step",
                "(L" + HART + ";Lorg/duvisor/rv64/isa/Insn;J)J", false);
        mv.visitInsn(POP2);
        trapCheck();
        reloadUsed();
    }
}
