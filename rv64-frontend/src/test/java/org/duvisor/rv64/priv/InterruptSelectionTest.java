package org.duvisor.rv64.priv;

import static org.assertj.core.api.Assertions.assertThat;

import org.duvisor.rv64.hart.Privilege;
import org.duvisor.rv64.insn.CsrOps;
import org.duvisor.rv64.isa.Decoder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Which interrupt a hart takes: Privileged ISA 3.1.9 (mip/mie, priority, global enables), 3.1.8
 * (mideleg), 3.3.3 (WFI), Sstc (stimecmp), and the ACLINT's mtimecmp driving MTIP.
 */
class InterruptSelectionTest {
    private static final int SSI = 1, MSI = 3, STI = 5, MTI = 7, SEI = 9, MEI = 11;
    private static final int MSTATUS = 0x300, MIDELEG = 0x303, MIE = 0x304, MIP = 0x344, MENVCFG = 0x30A, STIMECMP = 0x14D;
    private static final long MSTATUS_SIE = 1 << 1, MSTATUS_MIE = 1 << 3, STCE = 1L << 63;
    private static final long ALL = bit(SSI) | bit(MSI) | bit(STI) | bit(MTI) | bit(SEI) | bit(MEI);

    private final TestMachine m = new TestMachine();

    @AfterEach
    void close() {
        m.close();
    }

    private static long bit(int i) {
        return 1L << i;
    }

    private void pend(int interrupt, boolean level) {
        switch (interrupt) {
            case MSI, SEI, MEI -> m.arch.pins.set(interrupt, level);
            case MTI -> m.arch.pins.setMtimecmp(level ? 0 : -1L);
            default -> m.arch.writeMipSoftware(level ? bit(interrupt) : 0, bit(interrupt)); // SSIP, STIP: M-mode writes mip
        }
    }

    private int take() {
        return m.arch.interruptToTake();
    }

    @Test
    void nothingIsTakenWhenNothingIsPending() {
        m.writeCsr(MIE, ALL);
        m.writeCsr(MSTATUS, MSTATUS_MIE);
        assertThat(take()).isEqualTo(-1);
    }

    @Test
    void aPendingInterruptThatMieDoesNotEnableIsNotTaken() {
        pend(MEI, true);
        m.writeCsr(MIE, ALL & ~bit(MEI));
        m.writeCsr(MSTATUS, MSTATUS_MIE);
        assertThat(take()).isEqualTo(-1);
    }

    @Test
    void machineLevelInterruptsAreTakenInTheOrderMeiMsiMtiSeiSsiSti() {
        for (int i : new int[] {MEI, MSI, MTI, SEI, SSI, STI}) pend(i, true);
        m.writeCsr(MIE, ALL);
        m.writeCsr(MSTATUS, MSTATUS_MIE);
        for (int expected : new int[] {MEI, MSI, MTI, SEI, SSI, STI}) {
            assertThat(take()).isEqualTo(expected);
            pend(expected, false);
        }
        assertThat(take()).isEqualTo(-1);
    }

    @Test
    void delegatedInterruptsAreTakenInTheOrderSeiSsiSti() {
        for (int i : new int[] {SEI, SSI, STI}) pend(i, true);
        m.writeCsr(MIDELEG, bit(SEI) | bit(SSI) | bit(STI));
        m.writeCsr(MIE, ALL);
        m.arch.setPrivilege(Privilege.USER);
        for (int expected : new int[] {SEI, SSI, STI}) {
            assertThat(take()).isEqualTo(expected);
            pend(expected, false);
        }
    }

    @Test
    void machineModeTakesNothingWhileMstatusMieIsClear() {
        pend(MEI, true);
        m.writeCsr(MIE, ALL);
        assertThat(take()).isEqualTo(-1);
    }

    @Test
    void lessPrivilegedModesTakeMachineInterruptsWhateverMstatusMie() {
        pend(MTI, true);
        m.writeCsr(MIE, ALL);
        m.arch.setPrivilege(Privilege.SUPERVISOR);
        assertThat(take()).isEqualTo(MTI);
        m.arch.setPrivilege(Privilege.USER);
        assertThat(take()).isEqualTo(MTI);
    }

    @Test
    void supervisorModeTakesDelegatedInterruptsOnlyWithSie() {
        pend(SSI, true);
        m.writeCsr(MIDELEG, bit(SSI));
        m.writeCsr(MIE, ALL);
        m.arch.setPrivilege(Privilege.SUPERVISOR);
        assertThat(take()).isEqualTo(-1);
        m.writeCsr(MSTATUS, MSTATUS_SIE);
        assertThat(take()).isEqualTo(SSI);
    }

    @Test
    void userModeTakesDelegatedInterruptsWhateverSie() {
        pend(SSI, true);
        m.writeCsr(MIDELEG, bit(SSI));
        m.writeCsr(MIE, ALL);
        m.arch.setPrivilege(Privilege.USER);
        assertThat(take()).isEqualTo(SSI);
    }

    @Test
    void aDelegatedInterruptIsNeverTakenInMachineMode() {
        pend(SEI, true);
        m.writeCsr(MIDELEG, bit(SEI));
        m.writeCsr(MIE, ALL);
        m.writeCsr(MSTATUS, MSTATUS_MIE | MSTATUS_SIE);
        assertThat(take()).isEqualTo(-1);
    }

    @Test
    void undelegatedInterruptsComeBeforeDelegatedOnesOfHigherPriority() {
        pend(SEI, true);
        pend(STI, true);
        m.writeCsr(MIDELEG, bit(SEI));
        m.writeCsr(MIE, ALL);
        m.writeCsr(MSTATUS, MSTATUS_SIE);
        m.arch.setPrivilege(Privilege.SUPERVISOR);
        assertThat(take()).isEqualTo(STI);
    }

    // ---- WFI (3.3.3) ----

    @Test
    void wfiWakesOnAnInterruptEnabledInMieEvenWithGlobalInterruptsOff() {
        pend(MTI, true);
        m.writeCsr(MIE, bit(MTI));
        assertThat(m.arch.wakesFromWfi()).isTrue();
        assertThat(take()).isEqualTo(-1);
    }

    @Test
    void wfiDoesNotWakeOnAnInterruptMieDoesNotEnable() {
        pend(MTI, true);
        m.writeCsr(MIE, bit(MEI));
        assertThat(m.arch.wakesFromWfi()).isFalse();
    }

    @Test
    void wfiWakesOnADelegatedInterruptInMachineMode() {
        pend(SEI, true);
        m.writeCsr(MIDELEG, bit(SEI));
        m.writeCsr(MIE, bit(SEI));
        assertThat(m.arch.wakesFromWfi()).isTrue();
    }

    // ---- timers ----

    @Test
    void mtipIsPendingOnceTimeReachesMtimecmp() {
        m.timebase.set(1_000_000);
        m.arch.pins.setMtimecmp(1_000_000);
        assertThat(m.csr(MIP) & bit(MTI)).isEqualTo(bit(MTI));
    }

    @Test
    void mtipIsClearWhileTimeIsBeforeMtimecmp() {
        m.arch.pins.setMtimecmp(Long.MAX_VALUE);
        assertThat(m.csr(MIP) & bit(MTI)).isZero();
    }

    @Test
    void mtimecmpIsComparedUnsigned() {
        m.arch.pins.setMtimecmp(-2L); // 2^64 - 2, far in the future
        assertThat(m.csr(MIP) & bit(MTI)).isZero();
    }

    @Test
    void withSstcEnabledStipReflectsStimecmp() {
        m.writeCsr(MENVCFG, STCE);
        m.writeCsr(STIMECMP, 0);
        assertThat(m.csr(MIP) & bit(STI)).isEqualTo(bit(STI));
        m.writeCsr(STIMECMP, -1L);
        assertThat(m.csr(MIP) & bit(STI)).isZero();
    }

    @Test
    void withSstcEnabledStipCannotBeWrittenThroughMip() {
        m.writeCsr(MENVCFG, STCE);
        m.writeCsr(STIMECMP, -1L);
        m.writeCsr(MIP, bit(STI));
        assertThat(m.csr(MIP) & bit(STI)).isZero();
    }

    @Test
    void withSstcDisabledStipIsWhatMachineModeWrote() {
        m.writeCsr(STIMECMP, 0);
        assertThat(m.csr(MIP) & bit(STI)).isZero();
        m.writeCsr(MIP, bit(STI));
        assertThat(m.csr(MIP) & bit(STI)).isEqualTo(bit(STI));
    }

    @Test
    void csrrsOnMipDoesNotLatchTheExternalSeipLineIntoTheSoftwareBit() {
        m.arch.pins.set(SEI, true);
        m.hart.x[6] = bit(SSI);
        // csrrs x5, mip, x6
        int csrrs = (MIP << 20) | (6 << 15) | (2 << 12) | (5 << 7) | 0x73;
        CsrOps.execute(m.hart, Decoder.decode(csrrs), 0x8000_0000L);
        assertThat(m.hart.x[5] & bit(SEI)).isEqualTo(bit(SEI)); // a plain read sees the line
        m.arch.pins.set(SEI, false);
        assertThat(m.csr(MIP) & (bit(SEI) | bit(SSI))).isEqualTo(bit(SSI));
    }

    // ---- interrupt pins ----

    @Test
    void externalAndSoftwareLinesShowInMip() {
        m.arch.pins.set(MEI, true);
        m.arch.pins.set(MSI, true);
        m.arch.pins.set(SEI, true);
        assertThat(m.csr(MIP) & (bit(MEI) | bit(MSI) | bit(SEI))).isEqualTo(bit(MEI) | bit(MSI) | bit(SEI));
        m.arch.pins.set(MEI, false);
        assertThat(m.csr(MIP) & bit(MEI)).isZero();
    }

    @Test
    void raisingALineAsksTheHartToLookAtItsInterrupts() {
        m.hart.exitRequest = 0;
        m.arch.pins.set(MEI, true);
        assertThat(m.hart.exitRequest).isNotZero();
    }

    @Test
    void settingMtimecmpAsksTheHartToLookAtItsInterrupts() {
        m.hart.exitRequest = 0;
        m.arch.pins.setMtimecmp(0);
        assertThat(m.hart.exitRequest).isNotZero();
    }

    @Test
    void theTimebaseCountsOnFromTheValueItWasSetTo() {
        m.timebase.set(5_000_000_000L);
        assertThat(m.timebase.now()).isGreaterThanOrEqualTo(5_000_000_000L);
        assertThat(m.timebase.nanosUntil(0)).isZero();
    }
}
