package org.duvisor.rv64.dbt;

import java.io.PrintStream;
import org.duvisor.dbt.cache.CodeCache;
import org.duvisor.dbt.cache.DbtStatistics;
import org.duvisor.dbt.cache.Region;
import org.duvisor.dbt.memory.SoftTlb;
import org.duvisor.rv64.exec.Block;
import org.duvisor.rv64.exec.ExecutionEngine;
import org.duvisor.rv64.exec.Interpreter;
import org.duvisor.rv64.hart.Hart;

/**
 * The two-tier engine: cold code runs in the interpreter, which counts block executions; a block
 * entered {@link #hotThreshold} times becomes the entry of a translated region. The dispatch loop
 * follows chained exits, looks indirect targets up in the code cache, and returns to the
 * environment on traps.
 */
public final class DbtEngine implements ExecutionEngine {
    /** Block executions before its region is compiled; a measured trade of compile time against interpretation. */
    public static final int DEFAULT_HOT_THRESHOLD = 50;
    /**
     * The same for a full-system hart. A booting kernel runs thousands of lukewarm blocks; each
     * region costs ASM generation plus HotSpot's own C1/C2 compiles (during a boot the JIT threads
     * took half the CPU) and runs in the JVM's bytecode interpreter until those finish, so
     * translating lukewarm code loses to the interpreter. Measured on the guest Linux, one build,
     * alternating (wall / user CPU seconds): boot to power-off 3000 -> 5.6-6.7 / 5.3-6.4,
     * 20000 -> 4.1 / 3.9-4.1, 100000 -> 3.6 / 3.3-3.5; spec-sort at ref size 3000 -> 13.1 / 12.7,
     * 20000 -> 11.4 / 11.3, 100000 -> 12.4 / 12.1.
     */
    public static final int SYSTEM_HOT_THRESHOLD = 20000;

    private final Hart hart;
    private final Interpreter interpreter;
    private final DbtStatistics stats = new DbtStatistics();
    private final CodeCache<RegionCode> cache = new CodeCache<>(stats);
    private final Translator translator;
    private final int hotThreshold;
    private Lockstep lockstep;

    /**
     * With {@code -Ddv.backgroundCompile=true}, hot regions are generated and loaded on a compiler
     * thread while the hart keeps interpreting; finished regions are installed by the hart between
     * region executions. Synchronous compilation (the default) stops the hart while it compiles.
     */
    private final boolean background = Boolean.getBoolean("dv.backgroundCompile");
    private java.util.concurrent.ExecutorService compiler;
    private final java.util.concurrent.ConcurrentLinkedQueue<Finished> finished = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final org.agrona.collections.LongHashSet pendingEntries = new org.agrona.collections.LongHashSet();
    private final java.util.List<Translator.Plan> pending = new java.util.ArrayList<>();

    private record Finished(Translator.Plan plan, Region<RegionCode> region, long nanos, Throwable error) {
    }

    public DbtEngine(Hart hart, Interpreter interpreter) {
        this(hart, interpreter, Integer.getInteger("dv.hot", hart.privileged != null ? SYSTEM_HOT_THRESHOLD : DEFAULT_HOT_THRESHOLD));
    }

    public DbtEngine(Hart hart, Interpreter interpreter, int hotThreshold) {
        this.hart = hart;
        this.interpreter = interpreter;
        this.translator = new Translator(hart, interpreter, stats);
        this.hotThreshold = hotThreshold;
        hart.tlb.setCodeWriteListener(this::codeWritten);
        interpreter.setCodeFlusher(this::flushCode);
        // A block decoded afresh (after a flush) where a region starts counts as hot at once, so the
        // interpreter's block loop hands it back here instead of interpreting the region's code.
        interpreter.setDecodeListener(b -> {
            if (cache.hasEntryAt(b.pc)) b.executions = hotThreshold;
        });
    }

    /** Checks every region execution against the interpreter from now on. */
    public void enableLockstep() {
        lockstep = new Lockstep(hart);
    }

    public DbtStatistics statistics() {
        return stats;
    }

    /**
     * The code-cache context of the hart's pc now (see {@link TranslationContext}); under paging this
     * translates the pc, which may leave a fetch fault pending. -1: the pc cannot be cached (it maps
     * to memory that is not cacheable RAM), so its code is interpreted.
     */
    private long context() {
        Hart h = hart;
        if (h.privileged == null) return TranslationContext.of(h, 0);
        long offset = h.tlb.execRamOffset(h.pc);
        if (offset < 0) {
            h.tlb.fetch16(h.pc);
            if (h.trapPending) return -1;
            offset = h.tlb.execRamOffset(h.pc);
            if (offset < 0) return -1;
        }
        return TranslationContext.of(h, offset);
    }

    /**
     * Content fingerprints of the RAM pages regions were translated from, taken when they were
     * planned. FENCE.I keeps the regions of pages whose content is unchanged: stores by other harts
     * and device DMA are not tracked page by page, but they change the fingerprint.
     */
    private final org.agrona.collections.Long2LongHashMap fingerprints = new org.agrona.collections.Long2LongHashMap(0);

    private long fingerprint(long ramPage) {
        java.lang.foreign.MemorySegment ram = hart.tlb.ram;
        long base = ramPage << SoftTlb.PAGE_SHIFT;
        if (base + SoftTlb.PAGE_SIZE > ram.byteSize()) return 1;
        long h = 0x243F_6A88_85A3_08D3L;
        for (long off = 0; off < SoftTlb.PAGE_SIZE; off += 8) {
            h = Long.rotateLeft(h ^ ram.get(SoftTlb.LONG, base + off), 29) * 0xBF58_476D_1CE4_E5B9L;
        }
        return h == 0 ? 1 : h;
    }

    private void noteFingerprints(long[] pages) {
        for (long page : pages) {
            if (!fingerprints.containsKey(page)) fingerprints.put(page, fingerprint(page));
        }
    }

    private void codeWritten(long ramPage) {
        fingerprints.remove(ramPage);
        cache.invalidatePage(ramPage);
        for (Translator.Plan p : pending) {
            for (long page : p.pages()) if (page == ramPage) p.stale = true;
        }
        // Decoded blocks of the page are stale too; the interpreter's cache is small and rebuilt quickly.
        interpreter.flushCode();
        if (lockstep != null) lockstep.flushCode();
    }

    @Override
    public void flushCode() {
        for (Translator.Plan p : pending) p.stale = true;
        stats.flushes++;
        for (long page : cache.pages()) {
            long expected = fingerprints.get(page);
            if (expected == 0 || expected != fingerprint(page)) {
                fingerprints.remove(page);
                cache.invalidatePage(page);
            }
        }
        interpreter.flushCode();
        if (lockstep != null) lockstep.flushCode();
    }

    @Override
    public void discardTranslations() {
        for (Translator.Plan p : pending) p.stale = true;
        stats.discards++;
        cache.clear();
        fingerprints.clear();
        interpreter.flushCode();
        if (lockstep != null) lockstep.flushCode();
    }

    @Override
    public long run(long budget) {
        Hart h = hart;
        long start = h.instret;
        long limit = start + budget;
        boolean paged = h.privileged != null;
        Region<RegionCode> r = null;
        while (!h.trapPending && h.instret < limit && h.exitRequest == 0) {
            if (background && !finished.isEmpty()) installFinished();
            if (r == null) {
                long ctx = context();
                if (ctx == -1) {
                    if (h.trapPending) break;
                    interpretUncached();
                    continue;
                }
                r = lookup(h.pc, ctx);
                if (r == null) {
                    r = interpretBlock(ctx, limit);
                    continue;
                }
            }
            stats.regionEntries++;
            int slot = lockstep == null ? r.code.run(h) : lockstep.run(r);
            if (h.windowMisses != 0) noteWindowMisses(r);
            if (slot >= 0) {
                // A link holds while the TLB is unchanged: under paging the target's page may map
                // elsewhere after a flush, so a link from an older generation is looked up afresh.
                int generation = h.tlb.generation;
                Region<RegionCode> next = r.successors[slot];
                boolean indirect = r.exitTargets[slot] == RegionEmitter.INDIRECT_TARGET;
                boolean current = r.successorGenerations[slot] == generation;
                if (current && next != null && next.valid && next.key == h.pc) {
                    if (indirect) stats.predictedIndirectExits++;
                    else stats.chainedExits++;
                } else if (indirect && current && (next = r.promoteOlderTarget(slot, h.pc)) != null) {
                    stats.predictedIndirectExits++;
                } else {
                    if (indirect) stats.indirectExits++;
                    else stats.unchainedExits++;
                    if (paged) {
                        long ctx = context(); // the target's mapping now (may leave a fetch fault pending)
                        next = ctx == -1 ? null : lookup(h.pc, ctx);
                    } else {
                        next = cache.lookup(h.pc, r.context);
                    }
                    r.link(slot, next, generation, indirect);
                }
                r = next;
            } else if (slot == RegionCode.EXIT_STOP) {
                stats.interpretedInstructions++;
                interpreter.executeOne();
                r = null;
            } else {
                r = null; // trap pending
            }
        }
        return h.instret - start;
    }

    /**
     * Direct-window misses after which a region is translated again, and how often one entry's
     * region may be: a window is guessed from the registers when the region is planned, and
     * data allocated later (a buffer mmap'd after the loop that reads it was translated) lies
     * outside it; the new translation sees the address space as it is then, and gives the
     * accesses that missed the TLB test only ({@link Translator#rememberWindowMisses}). A region
     * that misses this often in one run leaves at once (see RegionEmitter#accessCheck): a loop
     * that never leaves its region would otherwise miss for as long as it runs (spec-pidigits,
     * whose digit loop is one run of one region: 1.3 G misses, 5.8 s; leaving, 1.05 M and 4.6 s).
     */
    public static final long WINDOW_MISS_LIMIT = 1 << 20;
    static final int MAX_RETRANSLATIONS = 3;
    private final org.agrona.collections.Long2LongHashMap retranslated = new org.agrona.collections.Long2LongHashMap(0);

    private void noteWindowMisses(Region<RegionCode> r) {
        r.windowMisses += hart.windowMisses;
        stats.windowMisses += hart.windowMisses;
        hart.windowMisses = 0;
        if (r.windowMisses < WINDOW_MISS_LIMIT || !r.valid) return;
        long times = retranslated.get(r.key);
        if (times >= MAX_RETRANSLATIONS) return;
        retranslated.put(r.key, times + 1);
        stats.retranslations++;
        translator.rememberWindowMisses(r.key);
        invalidateForRetranslation(r);
    }

    /**
     * The region at pc for context ctx whose code is what pc's page and the others it covers map to
     * now. The context fixes the entry page's mapping; a region over several pages was made under
     * theirs too ({@link Region#otherPages}), and one made under other mappings is invalidated, so
     * that its entry block, hot already, is translated again.
     */
    private Region<RegionCode> lookup(long pc, long ctx) {
        Region<RegionCode> r = cache.lookup(pc, ctx);
        if (r == null || r.otherPages.length == 0 || mapsAsTranslated(r)) return r;
        invalidateForRetranslation(r);
        return null;
    }

    /** Invalidates {@code r} so that its entry block, hot already, is counted and translated again. */
    private void invalidateForRetranslation(Region<RegionCode> r) {
        cache.invalidate(r);
        Block entry = interpreter.blocks().get(r.key);
        if (entry != null && entry.executions < 0) entry.executions = 0; // it may have been submitted: count it afresh
    }

    /** Whether each of r's other pages maps where it did when r was translated (probing the page table if need be). */
    private boolean mapsAsTranslated(Region<RegionCode> r) {
        SoftTlb tlb = hart.tlb;
        for (int k = 0; k < r.otherPages.length; k++) {
            long va = r.otherPages[k];
            long offset = tlb.execRamOffset(va);
            if (offset < 0) {
                tlb.fetch16(va); // a fill, or a fault that only says it does not map now
                if (hart.trapPending) {
                    hart.clearTrap();
                    return false;
                }
                offset = tlb.execRamOffset(va);
            }
            if (offset != r.otherPageOffsets[k]) return false;
        }
        return true;
    }

    /** Code at a pc that maps to something other than cacheable RAM runs one block at a time, decoded afresh. */
    private void interpretUncached() {
        Block b = interpreter.blockAt(hart.pc);
        if (b == null) return;
        long before = hart.instret;
        interpreter.runBlock(b);
        stats.interpretedInstructions += hart.instret - before;
    }

    /**
     * Compiles the region at pc when its block has become hot and returns it to enter; otherwise
     * interprets from pc up to the next hot block (where a region may start) and returns null.
     */
    private Region<RegionCode> interpretBlock(long ctx, long limit) {
        Hart h = hart;
        Block b = interpreter.blockAt(h.pc);
        if (b == null) return null; // fetch fault or illegal instruction: trap pending
        if (b.executions >= hotThreshold && background) {
            b.executions = Long.MIN_VALUE; // submitted once; interpreted until installed
            if (pendingEntries.add(h.pc)) submit(ctx);
        } else if (b.executions >= hotThreshold) {
            Region<RegionCode> region = translator.translate(h.pc, ctx);
            if (region != null) noteFingerprints(region.pages);
            if (region != null) {
                cache.add(region);
                return region;
            }
            b.executions = Long.MIN_VALUE; // cannot translate: stay interpreted
        }
        long before = h.instret;
        interpreter.runUntilHot(b, limit, hotThreshold);
        stats.interpretedInstructions += h.instret - before;
        return null;
    }

    private void submit(long ctx) {
        Translator.Plan plan = translator.plan(hart.pc, ctx);
        if (plan != null) noteFingerprints(plan.pages());
        if (plan == null) {
            hart.clearTrap();
            pendingEntries.remove(hart.pc);
            return;
        }
        pending.add(plan);
        if (compiler == null) {
            compiler = java.util.concurrent.Executors.newSingleThreadExecutor(task -> {
                Thread t = new Thread(task, "dv-region-compiler-" + hart.hartId);
                t.setDaemon(true);
                return t;
            });
        }
        compiler.execute(() -> {
            long t0 = System.nanoTime();
            try {
                finished.add(new Finished(plan, translator.build(plan), System.nanoTime() - t0, null));
            } catch (Throwable t) {
                finished.add(new Finished(plan, null, System.nanoTime() - t0, t));
            }
        });
    }

    /** Installs regions the compiler thread has finished, unless their code was written meanwhile. */
    private void installFinished() {
        for (Finished f; (f = finished.poll()) != null; ) {
            pending.remove(f.plan());
            pendingEntries.remove(f.plan().entry());
            stats.compileNanos += f.nanos();
            if (f.error() != null) {
                stats.compileFailures++;
                throw new IllegalStateException("region compilation failed", f.error());
            }
            if (f.region() != null && !f.plan().stale) {
                cache.add(f.region());
                Block b = interpreter.blocks().get(f.plan().entry());
                if (b != null) b.executions = hotThreshold; // the block loop stops there now
            }
        }
    }

    @Override
    public void printStatistics(PrintStream out) {
        stats.print(out, "dv-stats: ");
        SoftTlb t = hart.tlb;
        out.printf("dv-stats: code-cache-regions=%d tlb-entries=%d tlb-fills=%d tlb-flushes=%d tlb-page-flushes=%d%n",
                cache.size(), t.entries, t.fills, t.flushes, t.pageFlushes);
        if (lockstep != null) out.printf("dv-stats: lockstep-regions-checked=%d%n", lockstep.regionsChecked());
    }
}
