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
        // Decoded blocks of the page are stale too; the interpreter's cache is small and rebuilt quickly.
        interpreter.flushCode();
        if (lockstep != null) lockstep.flushCode();
    }

    @Override
    public void flushCode() {
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
        if (b.executions >= hotThreshold) {
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

    @Override
    public void printStatistics(PrintStream out) {
        stats.print(out, "dv-stats: ");
        out.printf("dv-stats: code-cache-regions=%d tlb-entries=%d%n", cache.size(), hart.tlb.entries);
        if (lockstep != null) out.printf("dv-stats: lockstep-regions-checked=%d%n", lockstep.regionsChecked());
    }
}
