package org.duvisor.rv64.dbt;

import static org.objectweb.asm.Opcodes.*;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongHashSet;
import org.duvisor.dbt.cache.DbtStatistics;
import org.duvisor.dbt.cache.Region;
import org.duvisor.dbt.codegen.HiddenClasses;
import org.duvisor.dbt.memory.SoftTlb;
import org.duvisor.rv64.exec.Block;
import org.duvisor.rv64.exec.Interpreter;
import org.duvisor.rv64.hart.Hart;
import org.duvisor.rv64.insn.Atomics;
import org.duvisor.rv64.insn.Bitmanip;
import org.duvisor.rv64.insn.CsrOps;
import org.duvisor.rv64.insn.FloatingPoint;
import org.duvisor.rv64.insn.IntegerOps;
import org.duvisor.rv64.insn.Multiply;
import org.duvisor.rv64.insn.SystemOps;
import org.duvisor.rv64.isa.Family;
import org.duvisor.rv64.isa.Format;
import org.duvisor.rv64.isa.Insn;
import org.duvisor.rv64.isa.Op;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Type;
import org.objectweb.asm.commons.CodeSizeEvaluator;

/**
 * Forms regions from hot blocks and compiles each into one method of a hidden class.
 *
 * <p>A region is the set of blocks reachable from its entry through direct branches, jumps, calls
 * (and the points they return to) and fall-throughs within {@link #SPAN} of the entry, bounded in
 * blocks and instructions, so that the method stays far below HotSpot's 8000-byte limit for
 * compilation. Blocks are laid out in pc order; branches inside the region are JVM branches, so
 * loops are JVM loops, and a return whose target is one of the region's return sites is a JVM
 * branch too (checked against the actual target, else an indirect exit).
 */
public final class Translator {
    static final int MAX_BLOCKS = 48;
    /** Regions take blocks from this far around their entry (following calls into nearby functions). */
    static final long SPAN = 16 * 1024;
    /** A return compares its target with at most this many of the region's return sites. */
    static final int MAX_PREDICTED_RETURNS = 4;
    static final int MAX_INSNS = 480;
    /** HotSpot does not JIT-compile methods larger than 8000 bytes of bytecode (HugeMethodLimit). */
    static final int MAX_BYTECODE = 7000;
    /**
     * The same for a region with floating-point instructions, whose semantics are calls that C2
     * must inline into the region to run well (and it inlines less into a large method). Measured
     * with regions shrunk to fit, spec-nbody ref, one build, seconds and peak MIPS: at 7000
     * 2.6-2.8 s and 890-920, at 5000 2.1-2.2 s and 1290-1310, at 3500 1.7-1.9 s and 1280-1510,
     * at 2500 1.8-2.0 s and 1330-1380.
     */
    static final int FP_BYTECODE = 3500;

    private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();
    private static final String INSN_ARRAY = "[" + Type.getDescriptor(Insn.class);
    private static final java.util.concurrent.atomic.AtomicLong CLASS_COUNTER = new java.util.concurrent.atomic.AtomicLong();

    private final Hart hart;
    private final Interpreter interpreter;
    private final DbtStatistics stats;
    /** With {@code -Ddv.directWindows=false}, every access takes the TLB test (for measuring). */
    private final boolean directWindows = Boolean.parseBoolean(System.getProperty("dv.directWindows", "true"));
    /** Per region entry, the pcs of its translation's windowed accesses and their miss counters (class data). */
    private final Long2ObjectHashMap<long[][]> windowSites = new Long2ObjectHashMap<>();
    /**
     * The accesses (by pc) that missed their direct window at least {@link #SITE_MISS_LIMIT} times
     * in a translation that was dropped for it: translated with the TLB test only from then on.
     */
    private final LongHashSet tlbOnlySites = new LongHashSet();
    static final long SITE_MISS_LIMIT = 1024;

    public Translator(Hart hart, Interpreter interpreter, DbtStatistics stats) {
        this.hart = hart;
        this.interpreter = interpreter;
        this.stats = stats;
    }

    /**
     * What a region will be made of, fixed on the hart's thread: its blocks, a snapshot of the
     * indirect-jump profile, and the RAM pages it covers (already marked as code pages, so a write
     * to them from now on is seen; {@link #stale} is then set by the engine).
     */
    public static final class Plan {
        final long entry;
        final long context;
        final List<Block> blocks;
        final Long2ObjectHashMap<long[]> predicted;
        final long[] pages;
        /** The virtual pages besides the entry's that the blocks come from, and their RAM offsets (see {@link Region#otherPages}). */
        final long[] otherPages, otherPageOffsets;
        /**
         * The region's class data (see RegionEmitter): the TLB arrays of its regime, the hart's x
         * and f, the hart, the miss counters of its windowed accesses.
         */
        final List<Object> constants;
        /**
         * Per load or store instruction (by pc), the direct window its accesses are expected in
         * (see {@link SoftTlb#directWindow}), if any.
         */
        final Long2ObjectHashMap<long[]> windows;
        /** Set when guest code wrote one of {@link #pages} before the region was installed. */
        public volatile boolean stale;

        Plan(long entry, long context, List<Block> blocks, Long2ObjectHashMap<long[]> predicted, long[] pages,
             long[] otherPages, long[] otherPageOffsets, List<Object> constants, Long2ObjectHashMap<long[]> windows) {
            this.entry = entry;
            this.windows = windows;
            this.otherPages = otherPages;
            this.otherPageOffsets = otherPageOffsets;
            this.constants = constants;
            this.context = context;
            this.blocks = blocks;
            this.predicted = predicted;
            this.pages = pages;
        }

        public long entry() {
            return entry;
        }

        public long[] pages() {
            return pages;
        }
    }

    /** Translates the region entered at {@code pc} now; null if its first block cannot be fetched. */
    public Region<RegionCode> translate(long pc, long context) {
        long t0 = System.nanoTime();
        Plan plan = plan(pc, context);
        Region<RegionCode> region = plan == null ? null : build(plan);
        stats.compileNanos += System.nanoTime() - t0;
        return region;
    }

    /** Forms the region at {@code pc} (hart thread only: it reads the TLB and the interpreter). */
    public Plan plan(long pc, long context) {
        List<Block> blocks = formRegion(pc, context);
        if (blocks.isEmpty()) return null;
        Long2ObjectHashMap<long[]> predicted = new Long2ObjectHashMap<>();
        LongHashSet pages = new LongHashSet();
        Long2LongHashMap otherPages = new Long2LongHashMap(-1);
        for (Block b : blocks) {
            Insn last = b.insns[b.insns.length - 1];
            long[] targets = last.op == Op.JALR ? interpreter.indirectTargets(b.endPc - last.length) : null;
            if (targets != null) predicted.put(b.endPc - last.length, targets.clone());
            addPages(pages, b);
            if (hart.privileged != null) addMappings(otherPages, b, pc & SoftTlb.PAGE_MASK);
        }
        long[] pageArray = new long[pages.size()];
        int n = 0;
        for (LongHashSet.LongIterator it = pages.iterator(); it.hasNext(); ) pageArray[n++] = it.nextValue();
        for (long p : pageArray) hart.tlb.markCodePage(p);
        List<Object> constants = new ArrayList<>(hart.tlb.currentArrays());
        constants.add(hart.x);
        constants.add(hart.f);
        constants.add(hart);
        long[] others = new long[otherPages.size()], offsets = new long[others.length];
        n = 0;
        for (Long2LongHashMap.EntryIterator it = otherPages.entrySet().iterator(); it.hasNext(); n++) {
            it.next();
            others[n] = it.getLongKey();
            offsets[n] = it.getLongValue();
        }
        Long2ObjectHashMap<long[]> windows = windows(blocks);
        long[] sitePcs = new long[windows.size()], siteMisses = new long[windows.size()];
        windows.forEach((at, w) -> sitePcs[(int) w[2]] = at);
        if (!windows.isEmpty()) windowSites.put(pc, new long[][]{sitePcs, siteMisses});
        constants.add(siteMisses);
        return new Plan(pc, context, blocks, predicted, pageArray, others, offsets, constants, windows);
    }

    /**
     * Called when the region entered at {@code entry} is dropped for missing its direct windows
     * too often: its accesses that missed many times are translated without a window from now on
     * (their addresses wander between mappings, or left the window's; there a window test is a
     * mispredicted branch in front of the TLB's). Guessing them a window once more was measured
     * slower (ref size, alternating runs): interp 4.79-4.94 s against 4.59-4.73 s, hash
     * 5.30-5.33 s against 5.19-5.20 s, compress the same.
     */
    public void rememberWindowMisses(long entry) {
        long[][] sites = windowSites.remove(entry);
        if (sites == null) return;
        for (int k = 0; k < sites[0].length; k++) {
            if (sites[1][k] >= SITE_MISS_LIMIT) tlbOnlySites.add(sites[0][k]);
        }
    }

    /**
     * The direct window of each load and store of {@code blocks}, guessed from the address it
     * would access: the registers' values now, at the region's entry, carried through the
     * address arithmetic the blocks do, in their order. A stack access's sp and a loop's
     * pointers mostly stay in the same mapping. A wrong guess
     * costs a compare (the access then takes the TLB path), never correctness. Each value is
     * {@code {lo, hi, site}}: the window and the access's index among the region's windowed
     * accesses (its miss counter, see {@link #rememberWindowMisses}).
     */
    private Long2ObjectHashMap<long[]> windows(List<Block> blocks) {
        Long2ObjectHashMap<long[]> windows = new Long2ObjectHashMap<>();
        if (!directWindows || !hart.tlb.identityMapped()) return windows;
        long[] guess = hart.x.clone();
        for (Block b : blocks) {
            long pc = b.pc;
            for (Insn i : b.insns) {
                if ((i.op.format == Format.LOAD || i.op.format == Format.STORE) && !windows.containsKey(pc) // blocks may overlap
                        && !tlbOnlySites.contains(pc)) {
                    boolean store = i.op.format == Format.STORE;
                    long[] w = hart.tlb.directWindow(guess[i.rs1] + i.imm, store);
                    if (w == null) w = hart.tlb.directWindow(hart.x[i.rs1] + i.imm, store);
                    if (w != null) windows.put(pc, new long[]{w[0], w[1], windows.size()});
                }
                if (i.rd != 0) guess[i.rd] = addressArithmetic(i, pc, guess);
                pc += i.length;
            }
        }
        return windows;
    }

    /**
     * The value {@code i} gives its rd from the guessed register values {@code g}, for the
     * operations that compute addresses (bases, offsets, scaled and zero-extended indices);
     * otherwise rd's value at the region's entry, a loaded pointer often being last round's.
     */
    private static long addressArithmetic(Insn i, long pc, long[] g) {
        long a = g[i.rs1], b = g[i.rs2];
        int shamt = (int) i.imm & 63;
        return switch (i.op) {
            case ADDI -> a + i.imm;
            case ADDIW -> (int) (a + i.imm);
            case ADD -> a + b;
            case ADDW -> (int) (a + b);
            case SUB -> a - b;
            case SUBW -> (int) (a - b);
            case ANDI -> a & i.imm;
            case SLLI -> a << shamt;
            case SRLI -> a >>> shamt;
            case SH1ADD -> (a << 1) + b;
            case SH2ADD -> (a << 2) + b;
            case SH3ADD -> (a << 3) + b;
            case ADD_UW -> (a & 0xFFFF_FFFFL) + b;
            case SH1ADD_UW -> ((a & 0xFFFF_FFFFL) << 1) + b;
            case SH2ADD_UW -> ((a & 0xFFFF_FFFFL) << 2) + b;
            case SH3ADD_UW -> ((a & 0xFFFF_FFFFL) << 3) + b;
            case SLLI_UW -> (a & 0xFFFF_FFFFL) << shamt;
            case LUI -> i.imm;
            case AUIPC -> pc + i.imm;
            default -> g[i.rd];
        };
    }

    /** Generates and loads the region of {@code plan}; touches no hart state, so any thread may call it. */
    public Region<RegionCode> build(Plan plan) {
        List<Block> blocks = plan.blocks;
        int limit = blocks.stream().flatMap(b -> Arrays.stream(b.insns))
                .anyMatch(i -> i.op.family == Family.FLOAT) ? FP_BYTECODE : MAX_BYTECODE;
        while (true) {
            blocks = reachable(blocks, plan);
            Attempt a = compile(plan, blocks, limit);
            if (a.region != null || blocks.size() == 1) return a.region;
            blocks = shrink(blocks, a.bytecode, limit);
        }
    }

    /**
     * The return points of the region's calls that its returns compare their target with (see
     * RegionEmitter#indirectExit): the first {@link #MAX_PREDICTED_RETURNS} of {@code blocks},
     * in their order, that are region blocks themselves.
     */
    private static List<Long> returnSites(List<Block> blocks, java.util.function.LongPredicate inRegion) {
        List<Long> sites = new ArrayList<>();
        for (Block b : blocks) {
            Insn last = b.insns[b.insns.length - 1];
            if (last.op == Op.JAL && last.rd != 0 && inRegion.test(b.endPc) && sites.size() < MAX_PREDICTED_RETURNS) sites.add(b.endPc);
        }
        return sites;
    }

    /**
     * Drops the blocks that the region's code could not reach from its entry (ASM would emit
     * them as dead bytecode, counted against the size limit): after shrinking, blocks whose path
     * from the entry was dropped, and the return points of calls whose callee is not in the
     * region. Keeps the order of {@code blocks} (the entry first). The edges are the emitter's:
     * branch targets and fall-throughs, jump targets, and an indirect jump's profiled targets and,
     * for a return, the region's return sites; an instruction that ends translation has none.
     */
    private static List<Block> reachable(List<Block> blocks, Plan plan) {
        List<Block> kept = blocks;
        while (true) {
            Long2ObjectHashMap<Block> byPc = new Long2ObjectHashMap<>();
            for (Block b : kept) byPc.put(b.pc, b);
            List<Block> laidOut = new ArrayList<>(kept.subList(1, kept.size()));
            laidOut.sort(Comparator.comparingLong(b -> b.pc));
            laidOut.addFirst(kept.getFirst());
            List<Long> returns = returnSites(laidOut, byPc::containsKey);
            LongHashSet seen = new LongHashSet();
            java.util.ArrayDeque<Block> work = new java.util.ArrayDeque<>();
            seen.add(kept.getFirst().pc);
            work.add(kept.getFirst());
            java.util.function.LongConsumer reach = next -> {
                Block s = byPc.get(next);
                if (s != null && seen.add(next)) work.add(s);
            };
            while (!work.isEmpty()) {
                Block b = work.poll();
                if (Arrays.stream(b.insns).anyMatch(i -> stopsTranslation(i, plan.context))) continue; // the code stops there
                edges(b, plan, returns, reach);
            }
            if (seen.size() == kept.size()) return kept;
            kept = kept.stream().filter(b -> seen.contains(b.pc)).toList();
        }
    }

    /**
     * Where control may go from the end of block {@code b} within a region: a branch's target
     * and fall-through, a jump's target, an indirect jump's {@code indirectTargets} (the
     * interpreter's profile, -1 for unused entries), else the fall-through. A call's return point
     * and a return's sites are the callers' to add.
     */
    private static void successors(Block b, long[] indirectTargets, java.util.function.LongConsumer to) {
        Insn last = b.insns[b.insns.length - 1];
        long lastPc = b.endPc - last.length;
        switch (last.op) {
            case BEQ, BNE, BLT, BGE, BLTU, BGEU -> {
                to.accept(lastPc + last.imm);
                to.accept(b.endPc);
            }
            case JAL -> to.accept(lastPc + last.imm);
            case JALR -> {
                if (indirectTargets != null) for (long t : indirectTargets) if (t != -1) to.accept(t);
            }
            default -> to.accept(b.endPc);
        }
    }

    /**
     * The region's edges from the end of block {@code b}, as the emitter makes them: its
     * {@link #successors} with the jump's profile, and for a return the region's {@code returnSites}.
     */
    private static void edges(Block b, Plan plan, List<Long> returnSites, java.util.function.LongConsumer to) {
        Insn last = b.insns[b.insns.length - 1];
        successors(b, plan.predicted.get(b.endPc - last.length), to);
        if (IntegerOps.isReturn(last)) returnSites.forEach(to::accept);
    }

    /** A compiled region, or null and the bytecode size that was too large. */
    private record Attempt(Region<RegionCode> region, int bytecode) {
    }

    /**
     * Shrinks a region that came out {@code bytecode} bytes long, above {@code limit}, to what
     * should fit: the share of its instructions that the limit (less a margin) is of its size,
     * keeping the entry and then the blocks the interpreter ran (warm, see {@link #formRegion})
     * before those it barely ran, nearest first within each. Halving and keeping the nearest cut
     * hot loops whose blocks lie far from the entry into several regions, each left at every
     * iteration: spec-compress ref entered regions 138.8 M times, now 31.4 M.
     */
    private static List<Block> shrink(List<Block> blocks, int bytecode, int limit) {
        long entry = blocks.getFirst().pc; // see reachable
        long coldBelow = heat(blocks.getFirst()) / COLD_FRACTION;
        List<Block> sorted = new ArrayList<>(blocks);
        sorted.sort(Comparator.comparing((Block b) -> b.pc != entry)
                .thenComparing(b -> heat(b) < coldBelow)
                .thenComparingLong(b -> Math.abs(b.pc - entry)));
        long total = blocks.stream().mapToLong(b -> b.insns.length).sum();
        long budget = total * (limit * 9L / 10) / bytecode;
        int keep = 1;
        for (long insns = sorted.getFirst().insns.length; keep < sorted.size() - 1; keep++) {
            insns += sorted.get(keep).insns.length;
            if (insns > budget) break;
        }
        return new ArrayList<>(sorted.subList(0, keep));
    }

    /**
     * Collects the region's blocks: from the entry, the successors (branch targets, fall-throughs,
     * call targets and their return points, profiled indirect targets) of the blocks taken so far,
     * nearest first, except that blocks the interpreter ran far less often than the entry (its cold
     * exits and error paths) wait until the warm ones are in; a block too large for what is left
     * is skipped, not the end of the region. So a loop's body is taken before its cold exit paths
     * when the bounds cut the region short. (Ordering by execution count alone was measured worse:
     * counts from an earlier phase of a program pulled that phase's loops in.)
     */
    List<Block> formRegion(long entry, long context) {
        boolean paged = hart.privileged != null;
        List<Block> out = new ArrayList<>();
        Block first = interpreter.blockAt(entry);
        if (first == null) {
            hart.clearTrap(); // not fetchable: nothing to translate
            return out;
        }
        if (paged && !first.fromRam()) return out; // code outside RAM (a ROM) is not translated
        Frontier frontier = new Frontier(entry, paged, heat(first) / COLD_FRACTION);
        frontier.seen.add(entry);
        frontier.work.add(new Candidate(first, 0, false, 0));
        int insns = 0;
        while (!frontier.work.isEmpty() && out.size() < MAX_BLOCKS) {
            Candidate c = frontier.work.poll();
            Block b = c.block;
            if (insns + b.insns.length > MAX_INSNS && !out.isEmpty()) continue;
            out.add(b);
            insns += b.insns.length;
            Insn last = b.insns[b.insns.length - 1];
            long lastPc = b.endPc - last.length;
            if (stopsTranslation(last, context)) continue;
            int depth = c.depth + 1;
            successors(b, interpreter.indirectTargets(lastPc), pc -> frontier.add(pc, depth));
            if (last.op == Op.JAL && last.rd != 0) frontier.add(b.endPc, depth); // where the callee returns to
        }
        return out;
    }

    /** Blocks run less than 1/COLD_FRACTION as often as the region's entry join it last. */
    private static final long COLD_FRACTION = 32;

    /** How often the interpreter ran a block (an entry block marked negative counts as hot). */
    private static long heat(Block b) {
        return b.executions < 0 ? Long.MAX_VALUE : b.executions;
    }

    private record Candidate(Block block, int depth, boolean cold, long order) {
    }

    /** The blocks that may join the region next: warm before cold, then nearest, then first found. */
    private final class Frontier {
        final long entry;
        final boolean paged;
        final long coldBelow;
        final LongHashSet seen = new LongHashSet();
        final PriorityQueue<Candidate> work = new PriorityQueue<>(Comparator.comparing(Candidate::cold)
                .thenComparingInt(Candidate::depth).thenComparingLong(Candidate::order));
        long order;

        Frontier(long entry, boolean paged, long coldBelow) {
            this.entry = entry;
            this.paged = paged;
            this.coldBelow = coldBelow;
        }

        void add(long pc, int depth) {
            if (Math.abs(pc - entry) > SPAN || !seen.add(pc)) return;
            // Under paging, a block on another page joins with the mapping it was decoded under
            // (Plan.otherPages), which the dispatcher checks before entering the region.
            Block b = interpreter.blockAt(pc);
            if (b == null) {
                hart.clearTrap(); // not fetchable: leave it to a direct exit
                return;
            }
            if (paged && !b.fromRam()) return;
            work.add(new Candidate(b, depth, heat(b) < coldBelow, ++order));
        }
    }

    /** Instructions that always go back to the dispatcher and interpreter. */
    static boolean stopsTranslation(Insn i, long context) {
        return switch (i.op.family) {
            case CSR -> !(TranslationContext.floatTranslated(context) && CsrOps.translatedWhereFpIsDirty(i));
            case PRIVILEGED -> true;
            case FLOAT -> !TranslationContext.floatTranslated(context);
            case SYSTEM -> i.op == Op.ECALL || i.op == Op.EBREAK || i.op == Op.FENCE_I;
            default -> false;
        };
    }

    private Attempt compile(Plan plan, List<Block> blocks, int limit) {
        long entry = plan.entry;
        blocks = new ArrayList<>(blocks);
        blocks.sort(Comparator.comparingLong(b -> b.pc));
        // Entry first so that the method starts there; the rest in pc order.
        Block first = blocks.stream().filter(b -> b.pc == entry).findFirst().orElseThrow();
        blocks.remove(first);
        blocks.addFirst(first);

        BitSet xUsed = new BitSet(), xWritten = new BitSet(), fUsed = new BitSet(), fWritten = new BitSet();
        for (Block b : blocks) {
            for (Insn i : b.insns) {
                if (stopsTranslation(i, plan.context)) break;
                noteRegisters(i, xUsed, xWritten, fUsed, fWritten);
            }
        }
        String name = "org/duvisor/rv64/dbt/Region_" + Long.toHexString(entry) + "_" + CLASS_COUNTER.getAndIncrement();
        Long2ObjectHashMap<Label> labels = new Long2ObjectHashMap<>();
        for (Block b : blocks) labels.put(b.pc, new Label());
        List<Long> returnSites = returnSites(blocks, labels::containsKey);
        // -Ddv.writeThrough=false stores every written register at the exits (for measuring).
        BitSet xThrough = Boolean.parseBoolean(System.getProperty("dv.writeThrough", "true"))
                ? WriteThrough.choose(blocks, xWritten, (b, to) -> edges(b, plan, returnSites, to), i -> stopsTranslation(i, plan.context))
                : new BitSet();
        Long2LongHashMap words = wordsAtBlockStarts(blocks, returnSites, plan.predicted, plan.context);
        // Emit under the assumed words; if some jump the emitter made carries fewer (an edge the
        // analysis did not see), narrow the assumption to what the jumps carry and emit again.
        for (int pass = 0; ; pass++) {
            Emission em = emit(plan, blocks, name, labels, returnSites, words, xUsed, xWritten, xThrough, fUsed, fWritten);
            if (em.size.getMaxSize() > limit || !narrowToJumps(words, blocks, em.e, pass)) {
                return define(plan, em, limit);
            }
            labels.replaceAll((pc, l) -> new Label());
        }
    }

    /** One emission of a region's class: its writer, the method's size, the emitter, the Insn table and the instructions translated. */
    private record Emission(String name, ClassWriter cw, CodeSizeEvaluator size, RegionEmitter e, List<Insn> table, int count) {
    }

    /**
     * Whether {@code words} (assumed at block starts) had to be narrowed to what the emitter's
     * jumps into each block carried; after a few passes, assumes nothing (always consistent).
     */
    private static boolean narrowToJumps(Long2LongHashMap words, List<Block> blocks, RegionEmitter e, int pass) {
        boolean narrowed = false;
        for (Block b : blocks) {
            long assumed = words.get(b.pc);
            long carried = e.wordsJumpingTo(b.pc);
            if ((assumed & ~carried) == 0) continue;
            narrowed = true;
            if (pass >= 3) {
                words.clear();
                return true;
            }
            putWords(words, b.pc, assumed & carried);
        }
        return narrowed;
    }

    /** Word masks by block pc: absent means none (the map's missing value, 0, cannot be stored). */
    private static void putWords(Long2LongHashMap words, long pc, long mask) {
        if (mask == 0) words.remove(pc);
        else words.put(pc, mask);
    }

    /**
     * The guest registers that hold sign-extended words at the start of each block ({@link
     * RegionEmitter#holdsWord}): a forward analysis over the blocks' direct edges with {@link
     * IntegerOps#wordsAfter}. Nothing is known at the entry, {@code blocks}' first (entered from
     * outside), at return sites and at the guessed targets of indirect jumps (entered from
     * wherever), nor at blocks no direct edge reaches.
     */
    private static Long2LongHashMap wordsAtBlockStarts(List<Block> blocks, List<Long> returnSites,
                                                        Long2ObjectHashMap<long[]> predicted, long context) {
        Long2LongHashMap in = new Long2LongHashMap(0);
        LongHashSet starts = new LongHashSet(), unknown = new LongHashSet();
        unknown.add(blocks.getFirst().pc);
        unknown.addAll(returnSites);
        for (long[] targets : predicted.values()) for (long t : targets) unknown.add(t);
        for (Block b : blocks) {
            starts.add(b.pc);
            if (!unknown.contains(b.pc)) in.put(b.pc, -1);
        }
        LongHashSet reached = new LongHashSet();
        for (boolean changed = true; changed; ) {
            changed = false;
            for (Block b : blocks) {
                int w = (int) in.get(b.pc);
                boolean stopped = false;
                for (Insn i : b.insns) {
                    if (stopsTranslation(i, context)) {
                        stopped = true;
                        break;
                    }
                    w = IntegerOps.wordsAfter(i, w);
                }
                if (stopped) continue;
                Insn last = b.insns[b.insns.length - 1];
                long lastPc = b.endPc - last.length;
                boolean direct = last.op == Op.JAL || last.op.format == Format.BRANCH;
                for (long target : direct ? new long[]{b.endPc, lastPc + last.imm} : new long[]{b.endPc}) {
                    if (!starts.contains(target) || unknown.contains(target)) continue;
                    reached.add(target);
                    long narrowed = in.get(target) & w;
                    if (narrowed != in.get(target)) {
                        putWords(in, target, narrowed);
                        changed = true;
                    }
                }
            }
        }
        for (Block b : blocks) if (!reached.contains(b.pc)) in.remove(b.pc);
        return in;
    }

    private Emission emit(Plan plan, List<Block> blocks, String name, Long2ObjectHashMap<Label> labels, List<Long> returnSites,
                          Long2LongHashMap words, BitSet xUsed, BitSet xWritten, BitSet xThrough, BitSet fUsed,
                          BitSet fWritten) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS);
        String superName = Type.getInternalName(RegionCode.class);
        cw.visit(V25, ACC_FINAL | ACC_SUPER, name, null, superName, null);
        cw.visitField(ACC_FINAL, "insns", INSN_ARRAY, null, null).visitEnd();
        MethodVisitor init = cw.visitMethod(0, "<init>", "(" + INSN_ARRAY + ")V", null, null);
        init.visitCode();
        init.visitVarInsn(ALOAD, 0);
        init.visitMethodInsn(INVOKESPECIAL, superName, "<init>", "()V", false);
        init.visitVarInsn(ALOAD, 0);
        init.visitVarInsn(ALOAD, 1);
        init.visitFieldInsn(PUTFIELD, name, "insns", INSN_ARRAY);
        init.visitInsn(RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();

        MethodVisitor raw = cw.visitMethod(ACC_PUBLIC | ACC_FINAL, "run", "(" + Type.getDescriptor(Hart.class) + ")I", null, null);
        CodeSizeEvaluator size = new CodeSizeEvaluator(raw);
        RegionEmitter e = new RegionEmitter(size, name, plan.context, hart.tlb, xUsed, xWritten, xThrough, fUsed, fWritten, labels,
                returnSites, plan.predicted, plan.windows);
        List<Insn> table = new ArrayList<>();
        size.visitCode();
        e.prologue();
        int count = 0;
        for (Block b : blocks) {
            size.visitLabel(labels.get(b.pc));
            count += emitBlock(e, plan, b, table, words.get(b.pc));
        }
        e.epilogue();
        return new Emission(name, cw, size, e, table, count);
    }

    /** Emits block b, assuming {@code words} at its start; returns the instructions translated. */
    private int emitBlock(RegionEmitter e, Plan plan, Block b, List<Insn> table, long words) {
        e.startBlock(b.insns, (int) words);
        long pc = b.pc;
        boolean open = true;
        int count = 0;
        for (int k = 0; k < b.insns.length; k++) {
            Insn i = b.insns[k];
            e.at(pc, table.size(), b.insns.length - k);
            table.add(i);
            if (stopsTranslation(i, plan.context)) {
                e.stopHere();
                open = false;
                break;
            }
            count++;
            open = emitInstruction(e, i);
            e.afterInstruction(i.rd, IntegerOps.wordsAfter(i, e.wordsBefore()));
            pc += i.length;
        }
        if (open) {
            e.at(b.endPc - b.insns[b.insns.length - 1].length, table.size(), 0);
            e.jumpTo(b.endPc);
        }
        return count;
    }

    /** Loads an emission as the region's hidden class, or gives only its size if that is over {@code limit}. */
    private Attempt define(Plan plan, Emission em, int limit) {
        CodeSizeEvaluator size = em.size;
        long entry = plan.entry;
        // Too large: known before ASM computes the frames, the costly part (which also refuses
        // methods far above the limit).
        if (size.getMaxSize() > limit) return new Attempt(null, size.getMaxSize());
        size.visitMaxs(0, 0);
        size.visitEnd();
        em.cw.visitEnd();
        byte[] bytes = em.cw.toByteArray();
        dump(em.name, bytes);
        RegionCode code;
        try {
            MethodHandles.Lookup hidden = HiddenClasses.define(LOOKUP, bytes, plan.constants);
            MethodHandle ctor = hidden.findConstructor(hidden.lookupClass(), MethodType.methodType(void.class, Insn[].class));
            code = (RegionCode) ctor.invoke(em.table.toArray(new Insn[0]));
        } catch (Throwable t) {
            throw new IllegalStateException("generated region at 0x" + Long.toHexString(entry) + " does not load", t);
        }
        long[] exits = em.e.exitTargets().stream().mapToLong(Long::longValue).toArray();
        stats.directAccesses += em.e.directAccesses;
        return new Attempt(new Region<>(entry, plan.context, code, plan.pages, plan.otherPages, plan.otherPageOffsets, exits, em.count,
                size.getMaxSize()), size.getMaxSize());
    }

    /** With {@code -Ddv.dump=DIR}, writes each generated class to DIR for javap. */
    private static void dump(String name, byte[] bytes) {
        String dir = System.getProperty("dv.dump");
        if (dir == null) return;
        try {
            java.nio.file.Path p = java.nio.file.Path.of(dir, name.substring(name.lastIndexOf('/') + 1) + ".class");
            java.nio.file.Files.createDirectories(p.getParent());
            java.nio.file.Files.write(p, bytes);
        } catch (java.io.IOException e) {
            System.err.println("dv: cannot dump " + name + ": " + e.getMessage());
        }
    }

    /**
     * RAM pages the block's bytes come from (a 4-byte instruction may straddle two): under paging
     * where it was decoded from, which the interpreter checked still holds when it handed it out.
     */
    private void addPages(LongHashSet pages, Block b) {
        if (hart.privileged == null) { // one fixed mapping
            long firstOff = hart.tlb.execRamOffset(b.pc);
            long lastOff = hart.tlb.execRamOffset(b.endPc - 1);
            pages.add((firstOff >= 0 ? firstOff : b.pc) >>> SoftTlb.PAGE_SHIFT);
            pages.add((lastOff >= 0 ? lastOff : b.endPc - 1) >>> SoftTlb.PAGE_SHIFT);
            return;
        }
        pages.add(b.ramOffset >>> SoftTlb.PAGE_SHIFT);
        if (b.crossesPage) pages.add(b.lastByteRamOffset >>> SoftTlb.PAGE_SHIFT);
    }

    /** Records the mappings the block's bytes were read through, but for the entry's page. */
    private static void addMappings(Long2LongHashMap otherPages, Block b, long entryPage) {
        long page = b.pc & SoftTlb.PAGE_MASK;
        if (page != entryPage) otherPages.put(page, b.ramOffset & SoftTlb.PAGE_MASK);
        long lastPage = (b.endPc - 1) & SoftTlb.PAGE_MASK;
        if (b.crossesPage && lastPage != entryPage) otherPages.put(lastPage, b.lastByteRamOffset & SoftTlb.PAGE_MASK);
    }

    /** Emits one instruction; returns whether control can fall through to the next one. */
    private static boolean emitInstruction(RegionEmitter e, Insn i) {
        if (!keepsMemoryFacts(i)) e.forgetMemory();
        boolean emitted = switch (i.op.family) {
            case INTEGER -> IntegerOps.emit(e, i);
            case MULTIPLY -> Multiply.emit(e, i);
            case FLOAT -> FloatingPoint.emit(e, i);
            case BITMANIP -> Bitmanip.emit(e, i);
            case SYSTEM -> SystemOps.emit(e, i);
            case ATOMIC -> Atomics.emit(e, i);
            case CSR -> CsrOps.emit(e, i);
            default -> false;
        };
        if (!emitted) e.callInterpreter();
        return switch (i.op) {
            case JAL, JALR -> false;
            default -> true;
        };
    }

    /**
     * Whether {@code i} touches memory only as the emitter's memory facts track it (loads, and the
     * stores that update the facts), or not at all; anything else forgets them first.
     */
    private static boolean keepsMemoryFacts(Insn i) {
        return switch (i.op.family) {
            case INTEGER, MULTIPLY, BITMANIP, FLOAT -> true;
            default -> false;
        };
    }

    private static void noteRegisters(Insn i, BitSet xUsed, BitSet xWritten, BitSet fUsed, BitSet fWritten) {
        String regs = i.op.regs;
        int[] operands = {i.rd, i.rs1, i.rs2, i.rs3};
        for (int k = 0; k < regs.length(); k++) {
            char c = regs.charAt(k);
            int r = operands[k];
            if (c == 'x' && r != 0) {
                xUsed.set(r);
                if (k == 0) xWritten.set(r);
            } else if (c == 'f') {
                fUsed.set(r);
                if (k == 0) fWritten.set(r);
            }
        }
        // JAL/JALR/LUI/AUIPC have rd only; of the CSR instructions, only fflags accesses are translated.
    }
}
