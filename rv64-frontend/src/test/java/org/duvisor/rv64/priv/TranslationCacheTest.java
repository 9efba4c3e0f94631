package org.duvisor.rv64.priv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.duvisor.rv64.priv.TestMachine.A;
import static org.duvisor.rv64.priv.TestMachine.D;
import static org.duvisor.rv64.priv.TestMachine.R;
import static org.duvisor.rv64.priv.TestMachine.V;
import static org.duvisor.rv64.priv.TestMachine.W;
import static org.duvisor.rv64.priv.TestMachine.X;
import static org.duvisor.rv64.priv.TestMachine.add;
import static org.duvisor.rv64.priv.TestMachine.addi;
import static org.duvisor.rv64.priv.TestMachine.blt;
import static org.duvisor.rv64.priv.TestMachine.ld;
import static org.duvisor.rv64.priv.TestMachine.sd;

import org.duvisor.rv64.dbt.DbtEngine;
import org.duvisor.rv64.exec.ExecutionEngine;
import org.duvisor.rv64.exec.Interpreter;
import org.junit.jupiter.api.Test;

/**
 * Translated loads and stores under Sv39 through a stack pointer that walks across pages mapped
 * to scattered frames: the translator keeps the last page sp's loads (and, apart, its stores)
 * hit, so these loops check that a new page is translated afresh, that a page a load may read is
 * not thereby one a store may write, and that faults stay precise. Each runs on the translator
 * and on the interpreter, and both must give the values the page tables say.
 */
class TranslationCacheTest {
    private static final long CODE = 0x4000_0000L, CODE_FRAME = 0x8000_1000L;
    private static final long DATA = 0x4010_0000L, DATA_FRAMES = 0x8010_0000L;
    private static final int SP = 2, T0 = 5, T1 = 6, T2 = 7, A0 = 10, T3 = 28;
    private static final int PAGES = 8, PER_PAGE = 8, STEP = 4096 / PER_PAGE;
    /** Virtual page i maps to frame FRAME_ORDER[i]: neighbours in VA are never neighbours in PA. */
    private static final int[] FRAME_ORDER = {5, 2, 7, 0, 3, 6, 1, 4};
    private static final int ECALL = 0x73, ECALL_FROM_S = 9, STORE_PAGE_FAULT = 15;

    private static void place(TestMachine m, int... words) {
        for (int k = 0; k < words.length; k++) {
            m.ram.set(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED, CODE_FRAME - TestMachine.RAM_BASE + 4L * k, words[k]);
        }
    }

    private static long dataFrame(int page) {
        return DATA_FRAMES + 4096L * FRAME_ORDER[page];
    }

    private static long value(int page, int k) {
        return 1_000_003L * (page * PER_PAGE + k + 1) ^ 0x5555L << page;
    }

    /** Code page, PMP open, S-mode under a fresh Sv39 table; data pages mapped by the caller before. */
    private static long startTable(TestMachine m) {
        m.openPmp();
        long satp = m.newPageTable(TestMachine.SV39);
        m.map(CODE, CODE_FRAME, V | R | X | A);
        return satp;
    }

    private static void run(TestMachine m, ExecutionEngine engine, int iterations) {
        m.hart.clearTrap();
        m.hart.exitRequest = 0;
        for (int r : new int[]{T0, T1, A0}) m.hart.x[r] = 0;
        m.hart.x[SP] = DATA;
        m.hart.x[T3] = iterations;
        m.hart.pc = CODE;
        engine.run(1_000_000);
    }

    /**
     * {@code ld t1,0(sp); add a0,a0,t1; sd a0,8(sp); addi sp,sp,STEP; addi t0,t0,1;
     * blt t0,t3,loop; ecall}: sums the data pages' words and stores each running sum next to the
     * word, eight loads and eight stores per page.
     */
    private static TestMachine sumMachine() {
        TestMachine m = new TestMachine(1024);
        long satp = startTable(m);
        for (int p = 0; p < PAGES; p++) {
            m.map(DATA + 4096L * p, dataFrame(p), V | R | W | A | D);
            for (int k = 0; k < PER_PAGE; k++) m.writePhysical(dataFrame(p) + (long) STEP * k, value(p, k));
        }
        place(m, ld(T1, SP, 0), add(A0, A0, T1), sd(A0, SP, 8), addi(SP, SP, STEP), addi(T0, T0, 1),
                blt(T0, T3, -20), ECALL);
        m.enterSupervisorWith(satp);
        return m;
    }

    private static void checkSums(TestMachine m) {
        assertThat(m.hart.trapPending).as("stopped at the ecall").isTrue();
        assertThat(m.hart.trapCause).isEqualTo(ECALL_FROM_S);
        long sum = 0;
        for (int p = 0; p < PAGES; p++) {
            for (int k = 0; k < PER_PAGE; k++) {
                sum += value(p, k);
                assertThat(m.readPhysical(dataFrame(p) + (long) STEP * k + 8)).as("running sum on page %d, slot %d", p, k).isEqualTo(sum);
            }
        }
        assertThat(m.hart.x[A0]).isEqualTo(sum);
    }

    @Test
    void aTranslatedLoopWalkingScatteredPagesReadsAndWritesEachPagesOwnFrame() {
        try (TestMachine m = sumMachine()) {
            DbtEngine engine = new DbtEngine(m.hart, new Interpreter(m.hart), 3);
            run(m, engine, PAGES * PER_PAGE);
            checkSums(m);
            assertThat(engine.statistics().regionsCompiled).isPositive();
            assertThat(engine.statistics().regionEntries).as("the loop runs inside one region").isLessThan(8);
        }
        try (TestMachine m = sumMachine()) {
            run(m, new Interpreter(m.hart), PAGES * PER_PAGE);
            checkSums(m);
        }
    }

    private static final int WRITABLE_PAGES = 4;

    /**
     * {@code ld t2,8(sp); ld t1,0(sp); addi t1,t1,1; sd t1,0(sp); addi sp,sp,STEP;
     * addi t0,t0,1; blt t0,t3,loop; ecall} over data pages of which the first four are writable
     * and the fifth only readable: the loads there succeed (the first fills the TLB, so the
     * second finds the page there and keeps it for sp's loads), the store must take a store page
     * fault (Privileged ISA 4.3.2, step 5: W clear) at the sd, with stval its address.
     */
    private static TestMachine incrementMachine() {
        TestMachine m = new TestMachine(1024);
        long satp = startTable(m);
        for (int p = 0; p <= WRITABLE_PAGES; p++) {
            long flags = p < WRITABLE_PAGES ? V | R | W | A | D : V | R | A;
            m.map(DATA + 4096L * p, dataFrame(p), flags);
            for (int k = 0; k < PER_PAGE; k++) {
                m.writePhysical(dataFrame(p) + (long) STEP * k, value(p, k));
                m.writePhysical(dataFrame(p) + (long) STEP * k + 8, ~value(p, k));
            }
        }
        place(m, ld(T2, SP, 8), ld(T1, SP, 0), addi(T1, T1, 1), sd(T1, SP, 0), addi(SP, SP, STEP),
                addi(T0, T0, 1), blt(T0, T3, -24), ECALL);
        m.enterSupervisorWith(satp);
        return m;
    }

    private static void checkFault(TestMachine m) {
        long faulting = DATA + 4096L * WRITABLE_PAGES;
        assertThat(m.hart.trapPending).isTrue();
        assertThat(m.hart.trapCause).isEqualTo(STORE_PAGE_FAULT);
        assertThat(m.hart.trapValue).isEqualTo(faulting);
        assertThat(m.hart.pc).as("the sd's pc").isEqualTo(CODE + 12);
        assertThat(m.hart.x[T0]).isEqualTo(WRITABLE_PAGES * PER_PAGE);
        assertThat(m.hart.x[SP]).isEqualTo(faulting);
        assertThat(m.hart.x[T1]).as("the loads before the store ran").isEqualTo(value(WRITABLE_PAGES, 0) + 1);
        assertThat(m.hart.x[T2]).isEqualTo(~value(WRITABLE_PAGES, 0));
        for (int p = 0; p <= WRITABLE_PAGES; p++) {
            for (int k = 0; k < PER_PAGE; k++) {
                long expected = p < WRITABLE_PAGES ? value(p, k) + 1 : value(p, k);
                assertThat(m.readPhysical(dataFrame(p) + (long) STEP * k)).as("page %d word %d", p, k).isEqualTo(expected);
            }
        }
    }

    @Test
    void aPageTheLoopMayReadIsNotOneItMayWrite() {
        try (TestMachine m = incrementMachine()) {
            DbtEngine engine = new DbtEngine(m.hart, new Interpreter(m.hart), 3);
            run(m, engine, (WRITABLE_PAGES + 1) * PER_PAGE);
            checkFault(m);
            assertThat(engine.statistics().regionsCompiled).isPositive();
        }
        try (TestMachine m = incrementMachine()) {
            run(m, new Interpreter(m.hart), (WRITABLE_PAGES + 1) * PER_PAGE);
            checkFault(m);
        }
    }
}
