package org.duvisor.rv64.priv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.duvisor.rv64.priv.TestMachine.A;
import static org.duvisor.rv64.priv.TestMachine.R;
import static org.duvisor.rv64.priv.TestMachine.V;
import static org.duvisor.rv64.priv.TestMachine.X;
import static org.duvisor.rv64.priv.TestMachine.addi;
import static org.duvisor.rv64.priv.TestMachine.blt;

import java.io.ByteArrayOutputStream;
import org.duvisor.dbt.cache.DbtStatistics;
import org.duvisor.rv64.dbt.DbtEngine;
import org.duvisor.rv64.exec.ExecutionEngine;
import org.duvisor.rv64.exec.Interpreter;
import org.junit.jupiter.api.Test;

/**
 * A translated loop whose code lies on two virtual pages, with a 4-byte instruction straddling
 * them, in S-mode under Sv39. The region holds both pages' code but is keyed by its entry's
 * mapping only; when the second page alone is remapped (new PTE, then SFENCE.VMA), the next run
 * must execute the new page's bytes (Privileged ISA 4.2.1: after the fence, fetches use the new
 * PTE).
 */
class RegionAcrossPagesTest {
    private static final long LOOP = 0x4000_0FF0L, SECOND_PAGE = 0x4000_1000L;
    private static final long FIRST_FRAME = 0x8000_1000L, SECOND_FRAME = 0x8000_2000L, OTHER_SECOND_FRAME = 0x8000_3000L;
    private static final int T0 = 5, T1 = 6, T2 = 7, A0 = 10, T3 = 28;
    private static final int ITERATIONS = 1000;
    private static final int ECALL = 0x0000_0073, ECALL_FROM_S = 9;

    private static int cAddi(int rd, int imm) { // C.ADDI, quadrant 1, funct3 000
        return ((imm >> 5) & 1) << 12 | rd << 7 | (imm & 0x1F) << 2 | 0b01;
    }

    /**
     * The loop from LOOP: {@code addi t0,t0,1; c.addi t2,1; addi t1,t1,3; addi t1,t1,3;
     * addi a0,a0,step} (at 0x...FFE, so its upper half, which holds {@code step}, is the second
     * page's first two bytes) {@code ; blt t0,t3,LOOP; ecall}.
     */
    private static byte[] loop(int step) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        word(out, addi(T0, T0, 1));
        half(out, cAddi(T2, 1));
        word(out, addi(T1, T1, 3));
        word(out, addi(T1, T1, 3));
        word(out, addi(A0, A0, step));
        word(out, blt(T0, T3, -(0x1002 - 0xFF0)));
        word(out, ECALL);
        return out.toByteArray();
    }

    private static void half(ByteArrayOutputStream out, int h) {
        out.write(h);
        out.write(h >>> 8);
    }

    private static void word(ByteArrayOutputStream out, int w) {
        half(out, w);
        half(out, w >>> 16);
    }

    /** Puts the loop's bytes below the page boundary in the first frame and the rest at the start of {@code secondFrame}. */
    private static void place(TestMachine m, byte[] code, long secondFrame) {
        int below = (int) (SECOND_PAGE - LOOP);
        for (int k = 0; k < code.length; k++) {
            long pa = k < below ? FIRST_FRAME + (LOOP & 0xFFF) + k : secondFrame + (k - below);
            m.ram.set(java.lang.foreign.ValueLayout.JAVA_BYTE, pa - TestMachine.RAM_BASE, code[k]);
        }
    }

    private static void runLoop(TestMachine m, ExecutionEngine engine) {
        m.hart.clearTrap();
        m.hart.exitRequest = 0; // as the hart loop does between slices (the CSR writes and the fence set it)
        for (int r : new int[]{T0, T1, T2, A0}) m.hart.x[r] = 0;
        m.hart.x[T3] = ITERATIONS;
        m.hart.pc = LOOP;
        engine.run(1_000_000);
        assertThat(m.hart.trapPending).as("stopped at the ecall").isTrue();
        assertThat(m.hart.trapCause).isEqualTo(ECALL_FROM_S);
        assertThat(m.hart.pc).isEqualTo(SECOND_PAGE + 6);
        assertThat(m.hart.x[T0]).isEqualTo(ITERATIONS);
        assertThat(m.hart.x[T1]).isEqualTo(6L * ITERATIONS);
        assertThat(m.hart.x[T2]).isEqualTo(ITERATIONS);
    }

    /** Maps the loop's two pages, puts both versions of the second one in RAM, enters S-mode; returns the second page's PTE. */
    private static long mapLoop(TestMachine m) {
        m.openPmp();
        long satp = m.newPageTable(TestMachine.SV39);
        m.map(LOOP, FIRST_FRAME, V | R | X | A);
        long secondPte = m.map(SECOND_PAGE, SECOND_FRAME, V | R | X | A);
        place(m, loop(7), SECOND_FRAME);
        place(m, loop(-5), OTHER_SECOND_FRAME); // differs only in the straddling instruction's upper half
        m.enterSupervisorWith(satp);
        return secondPte;
    }

    /** Points the second page at the other frame and fences, as a kernel would. */
    private static void remapSecondPage(TestMachine m, long secondPte) {
        m.writePhysical(secondPte, TestMachine.pte(OTHER_SECOND_FRAME, V | R | X | A));
        assertThat(m.execute(TestMachine.SFENCE_VMA, LOOP)).isEqualTo(LOOP + 4);
    }

    @Test
    void remappingOnlyTheSecondPageOfATranslatedLoopRunsTheNewCode() {
        try (TestMachine m = new TestMachine(1024)) {
            long secondPte = mapLoop(m);
            DbtEngine engine = new DbtEngine(m.hart, new Interpreter(m.hart), 3);
            DbtStatistics stats = engine.statistics();

            runLoop(m, engine);
            assertThat(m.hart.x[A0]).isEqualTo(7L * ITERATIONS);
            assertThat(stats.regionsCompiled).isPositive();
            // One region holds the loop across the boundary, straddling instruction included.
            assertThat(stats.regionEntries).isLessThan(ITERATIONS / 10);

            remapSecondPage(m, secondPte);
            runLoop(m, engine);
            assertThat(m.hart.x[A0]).isEqualTo(-5L * ITERATIONS);
        }
    }

    /** The interpreter caches the straddling instruction's block too, and must drop it with the second page's mapping. */
    @Test
    void theInterpreterRedecodesTheStraddlingInstructionWhenOnlyItsSecondPageIsRemapped() {
        try (TestMachine m = new TestMachine(1024)) {
            long secondPte = mapLoop(m);
            Interpreter interpreter = new Interpreter(m.hart);
            runLoop(m, interpreter);
            assertThat(m.hart.x[A0]).isEqualTo(7L * ITERATIONS);
            remapSecondPage(m, secondPte);
            runLoop(m, interpreter);
            assertThat(m.hart.x[A0]).isEqualTo(-5L * ITERATIONS);
        }
    }
}
