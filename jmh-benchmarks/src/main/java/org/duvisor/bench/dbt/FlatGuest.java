package org.duvisor.bench.dbt;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.duvisor.dbt.cache.DbtStatistics;
import org.duvisor.dbt.memory.HostMemory;
import org.duvisor.dbt.memory.MemorySlowPath;
import org.duvisor.dbt.memory.SoftTlb;
import org.duvisor.rv64.dbt.DbtEngine;
import org.duvisor.rv64.exec.Interpreter;
import org.duvisor.rv64.hart.Cause;
import org.duvisor.rv64.hart.Hart;
import org.duvisor.rv64.hart.Privilege;

/**
 * The benchmark machine: {@link #SIZE} bytes of RAM identity-mapped at address 0 with every
 * permission (access fault outside), one user-mode hart, and a {@link DbtEngine} whose code cache
 * lives as long as this object, so a program is translated once and then re-run from its entry.
 *
 * <p>The slow path is minimal: it refills the TLB and does the (possibly misaligned) access with
 * one unaligned segment access, so its cost is close to the floor of what any frontend's slow path
 * costs (the call out of the translated code plus the trap check).
 */
final class FlatGuest implements MemorySlowPath, AutoCloseable {
    static final long SIZE = 8L << 20;
    static final int TLB_ENTRIES = 256;
    /** Low, so that translation happens in the first run at set-up. */
    static final int HOT_THRESHOLD = 3;

    final HostMemory host;
    final MemorySegment ram;
    final SoftTlb tlb;
    final Hart hart;
    final Interpreter interpreter;
    final DbtEngine engine;
    final Program program;
    private DbtStatistics baseline;
    private long runsSinceBaseline;
    private long instretAtBaseline;

    FlatGuest(Program program) {
        this.program = program;
        host = HostMemory.reserve(SIZE);
        ram = host.segment();
        tlb = new SoftTlb(TLB_ENTRIES, ram);
        tlb.setSlowPath(this);
        hart = new Hart(0, tlb);
        hart.privilege = Privilege.USER;
        interpreter = new Interpreter(hart);
        engine = new DbtEngine(hart, interpreter, HOT_THRESHOLD);
        program.asm().writeTo(ram);
    }

    /** Runs the program from its entry to its ebreak; returns a register the program accumulates into. */
    long run() {
        Hart h = hart;
        h.clearTrap();
        System.arraycopy(program.registers(), 0, h.x, 0, 32);
        h.pc = program.entry();
        engine.run(Long.MAX_VALUE - h.instret);
        if (!h.trapPending || h.trapCause != Cause.BREAKPOINT) {
            throw new IllegalStateException(program.name() + ": stopped at pc=0x" + Long.toHexString(h.pc)
                    + " trapPending=" + h.trapPending + " cause=" + h.trapCause + " tval=0x" + Long.toHexString(h.trapValue));
        }
        runsSinceBaseline++;
        return h.x[GuestAsm.S2] + h.x[GuestAsm.T0];
    }

    /** Runs the program until translation is done, then starts counting statistics from zero. */
    void warmUp(int runs) {
        for (int k = 0; k < runs; k++) run();
        baseline = copy(engine.statistics());
        runsSinceBaseline = 0;
        instretAtBaseline = hart.instret;
    }

    /** Prints the dispatcher counters per run since {@link #warmUp}, and checks the expected kind of exit happened. */
    void report() {
        DbtStatistics s = engine.statistics(), b = baseline;
        long n = Math.max(1, runsSinceBaseline);
        System.out.printf("%n[%s] runs=%d regions=%d (compiled after warm-up: %d) per run: insns=%.0f region-entries=%.0f "
                        + "chained=%.0f unchained=%.0f indirect-predicted=%.0f indirect-missed=%.0f lookups=%.0f interpreted=%.0f%n",
                program.name(), runsSinceBaseline, s.regionsCompiled, s.regionsCompiled - b.regionsCompiled,
                (double) (hart.instret - instretAtBaseline) / n,
                (double) (s.regionEntries - b.regionEntries) / n, (double) (s.chainedExits - b.chainedExits) / n,
                (double) (s.unchainedExits - b.unchainedExits) / n,
                (double) (s.predictedIndirectExits - b.predictedIndirectExits) / n,
                (double) (s.indirectExits - b.indirectExits) / n, (double) (s.dispatcherLookups - b.dispatcherLookups) / n,
                (double) (s.interpretedInstructions - b.interpretedInstructions) / n);
        long[] expected = program.expectedPerRun();
        long[] actual = {
                (s.chainedExits - b.chainedExits) / n, (s.unchainedExits - b.unchainedExits) / n,
                (s.predictedIndirectExits - b.predictedIndirectExits) / n, (s.indirectExits - b.indirectExits) / n};
        String[] names = {"chained", "unchained", "indirect-predicted", "indirect-missed"};
        for (int k = 0; k < 4; k++) {
            if (Math.abs(actual[k] - expected[k]) > Math.max(2, expected[k] / 100)) {
                System.out.printf("[%s] WARNING: %s per run is %d, expected %d: the benchmark is not measuring what it says%n",
                        program.name(), names[k], actual[k], expected[k]);
            }
        }
    }

    private static DbtStatistics copy(DbtStatistics s) {
        DbtStatistics c = new DbtStatistics();
        c.regionsCompiled = s.regionsCompiled;
        c.regionEntries = s.regionEntries;
        c.chainedExits = s.chainedExits;
        c.unchainedExits = s.unchainedExits;
        c.predictedIndirectExits = s.predictedIndirectExits;
        c.indirectExits = s.indirectExits;
        c.dispatcherLookups = s.dispatcherLookups;
        c.interpretedInstructions = s.interpretedInstructions;
        return c;
    }

    // ---- MemorySlowPath ----

    private boolean inside(long a, int n) {
        return a >= 0 && a + n <= SIZE && a + n > a;
    }

    @Override
    public long load(long a, int n) {
        if (!inside(a, n)) {
            hart.raise(Cause.LOAD_ACCESS_FAULT, a);
            return 0;
        }
        tlb.install(a, a & SoftTlb.PAGE_MASK, true, true, true);
        return switch (n) {
            case 1 -> ram.get(ValueLayout.JAVA_BYTE, a) & 0xFFL;
            case 2 -> ram.get(SoftTlb.SHORT, a) & 0xFFFFL;
            case 4 -> ram.get(SoftTlb.INT, a) & 0xFFFF_FFFFL;
            default -> ram.get(SoftTlb.LONG, a);
        };
    }

    @Override
    public void store(long a, long v, int n) {
        if (!inside(a, n)) {
            hart.raise(Cause.STORE_ACCESS_FAULT, a);
            return;
        }
        tlb.noteStore(a, n);
        tlb.install(a, a & SoftTlb.PAGE_MASK, true, true, true);
        switch (n) {
            case 1 -> ram.set(ValueLayout.JAVA_BYTE, a, (byte) v);
            case 2 -> ram.set(SoftTlb.SHORT, a, (short) v);
            case 4 -> ram.set(SoftTlb.INT, a, (int) v);
            default -> ram.set(SoftTlb.LONG, a, v);
        }
    }

    @Override
    public int fetch16(long a) {
        if (!inside(a, 2)) {
            hart.raise(Cause.INSTRUCTION_ACCESS_FAULT, a);
            return 0;
        }
        tlb.install(a, a & SoftTlb.PAGE_MASK, true, true, true);
        return ram.get(SoftTlb.SHORT, a) & 0xFFFF;
    }

    @Override
    public long atomicOffset(long a, int n) {
        if (!inside(a, n) || (a & (n - 1)) != 0) {
            hart.raise(Cause.STORE_ACCESS_FAULT, a);
            return -1;
        }
        return a;
    }

    @Override
    public void close() {
        host.close();
    }
}
