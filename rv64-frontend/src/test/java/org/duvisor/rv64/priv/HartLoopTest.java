package org.duvisor.rv64.priv;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Consumer;
import org.duvisor.rv64.exec.ExecutionEngine;
import org.duvisor.rv64.hart.Hart;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The run loop between engine slices: interrupts (3.1.9), exceptions (3.1.6.1), WFI (3.3.3). */
class HartLoopTest {
    private static final long MTVEC = 0x8000_1000L, PC = 0x8000_0400L, MTIE = 1 << 7, MSTATUS_MIE = 1 << 3;

    private final TestMachine m = new TestMachine();
    private int slices;
    private long pcAtSliceStart = -1;

    HartLoopTest() {
        m.writeCsr(0x305, MTVEC);
        m.hart.pc = PC;
    }

    @AfterEach
    void close() {
        m.close();
    }

    /** Runs the loop for one engine slice, in which {@code slice} plays the guest. */
    private void runOneSlice(Consumer<Hart> slice) {
        ExecutionEngine engine = new ExecutionEngine() {
            @Override
            public long run(long budget) {
                slices++;
                pcAtSliceStart = m.hart.pc;
                slice.accept(m.hart);
                return 0;
            }

            @Override
            public void flushCode() {
            }
        };
        new HartLoop(m.arch, engine, () -> slices < 1).run();
    }

    @Test
    void aPendingEnabledInterruptIsTakenBeforeTheEngineRuns() {
        m.arch.pins.setMtimecmp(0);
        m.writeCsr(0x304, MTIE);
        m.writeCsr(0x300, MSTATUS_MIE);
        runOneSlice(h -> { });
        assertThat(pcAtSliceStart).isEqualTo(MTVEC);
        assertThat(m.csr(0x342)).isEqualTo((1L << 63) | 7);
        assertThat(m.csr(0x341)).isEqualTo(PC);
    }

    @Test
    void anExceptionTheEngineStopsAtEntersTheTrapHandler() {
        runOneSlice(h -> h.raise(2, 0x73));
        assertThat(m.hart.trapPending).isFalse();
        assertThat(m.hart.pc).isEqualTo(MTVEC);
        assertThat(m.csr(0x342)).isEqualTo(2);
        assertThat(m.csr(0x343)).isEqualTo(0x73);
    }

    @Test
    void aHartInWfiResumesOnAnEnabledPendingInterruptEvenWithInterruptsGloballyOff() {
        m.arch.waitingForInterrupt = true;
        m.arch.pins.setMtimecmp(0);
        m.writeCsr(0x304, MTIE);
        runOneSlice(h -> { });
        assertThat(m.arch.waitingForInterrupt).isFalse();
        assertThat(pcAtSliceStart).isEqualTo(PC); // no trap taken: execution continues after the WFI
    }
}
