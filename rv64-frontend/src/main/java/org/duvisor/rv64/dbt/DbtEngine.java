package org.duvisor.rv64.dbt;

import java.io.PrintStream;
import org.duvisor.dbt.cache.CodeCache;
import org.duvisor.dbt.cache.DbtStatistics;
import org.duvisor.dbt.cache.Region;
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
        this(hart, interpreter, Integer.getInteger("dv.hot", DEFAULT_HOT_THRESHOLD));
    }

    public DbtEngine(Hart hart, Interpreter interpreter, int hotThreshold) {
        this.hart = hart;
        this.interpreter = interpreter;
        this.translator = new Translator(hart, interpreter, stats);
        this.hotThreshold = hotThreshold;
        hart.tlb.setCodeWriteListener(this::codeWritten);
        interpreter.setCodeFlusher(this::flushCode);
    }

    /** Checks every region execution against the interpreter from now on. */
    public void enableLockstep() {
        lockstep = new Lockstep(hart);
    }

    public DbtStatistics statistics() {
        return stats;
    }

    /** The context the generated code depends on besides the pc; user mode has just one. */
    private long context() {
        return hart.privilege;
    }

    private void codeWritten(long ramPage) {
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
        cache.clear();
        hart.tlb.clearCodePages();
        interpreter.flushCode();
        if (lockstep != null) lockstep.flushCode();
    }

    @Override
    public long run(long budget) {
        Hart h = hart;
        long start = h.instret;
        long limit = start + budget;
        long ctx = context();
        Region<RegionCode> r = null;
        while (!h.trapPending && h.instret < limit) {
            if (background && !finished.isEmpty()) installFinished();
            if (r == null) {
                r = cache.lookup(h.pc, ctx);
                if (r == null) {
                    r = interpretBlock(ctx);
                    continue;
                }
            }
            stats.regionEntries++;
            r.entries++;
            int slot = lockstep == null ? r.code.run(h) : lockstep.run(r);
            if (slot >= 0) {
                Region<RegionCode> next = r.successors[slot];
                boolean indirect = r.exitTargets[slot] == RegionEmitter.INDIRECT_TARGET;
                if (next != null && next.valid && next.key == h.pc) {
                    if (indirect) stats.predictedIndirectExits++;
                    else stats.chainedExits++;
                } else {
                    if (indirect) stats.indirectExits++;
                    else stats.unchainedExits++;
                    next = cache.lookup(h.pc, ctx);
                    r.successors[slot] = next;
                }
                r = next;
            } else if (slot == RegionCode.EXIT_STOP) {
                stats.interpretedInstructions++;
                interpreter.executeOne();
                r = null;
            } else {
                r = null; // trap pending
            }
            if (h.exitRequest != 0) break;
        }
        return h.instret - start;
    }

    /** Interprets the block at pc, or compiles its region when it has become hot; returns the region to enter. */
    private Region<RegionCode> interpretBlock(long ctx) {
        Hart h = hart;
        Block b = interpreter.blockAt(h.pc);
        if (b == null) return null; // fetch fault or illegal instruction: trap pending
        if (b.executions >= hotThreshold && background) {
            b.executions = Long.MIN_VALUE; // submitted once; interpreted until installed
            if (pendingEntries.add(h.pc)) submit(ctx);
        } else if (b.executions >= hotThreshold) {
            Region<RegionCode> region = translator.translate(h.pc, ctx);
            if (region != null) {
                cache.add(region);
                return region;
            }
            b.executions = Long.MIN_VALUE; // cannot translate: stay interpreted
        }
        long before = h.instret;
        interpreter.runBlock(b);
        stats.interpretedInstructions += h.instret - before;
        return null;
    }

    private void submit(long ctx) {
        Translator.Plan plan = translator.plan(hart.pc, ctx);
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
            if (f.region() != null && !f.plan().stale) cache.add(f.region());
        }
    }

    @Override
    public void printStatistics(PrintStream out) {
        stats.print(out, "dv-stats: ");
        out.printf("dv-stats: code-cache-regions=%d tlb-entries=%d%n", cache.size(), hart.tlb.entries);
        if (lockstep != null) out.printf("dv-stats: lockstep-regions-checked=%d%n", lockstep.regionsChecked());
    }
}
