package org.duvisor.rv64.priv;

import static org.assertj.core.api.Assertions.assertThat;

import org.duvisor.rv64.hart.Hart;
import org.duvisor.rv64.hart.Privilege;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** CSR fields and access rules: Privileged ISA chapter 2 (CSR listing), 3.1 (machine CSRs), 4.1 (supervisor CSRs), Sstc. */
class CsrWarlTest {
    private static final int SSTATUS = 0x100, SIE = 0x104, SCOUNTEREN = 0x106, SEPC = 0x141, SIP = 0x144, STIMECMP = 0x14D,
            SATP = 0x180, MSTATUS = 0x300, MISA = 0x301, MEDELEG = 0x302, MIDELEG = 0x303, MIE = 0x304, MTVEC = 0x305,
            MCOUNTEREN = 0x306, MENVCFG = 0x30A, MCOUNTINHIBIT = 0x320, MEPC = 0x341, MIP = 0x344, MINSTRET = 0xB02,
            CYCLE = 0xC00, TIME = 0xC01, INSTRET = 0xC02, HPMCOUNTER3 = 0xC03, MHARTID = 0xF14;
    private static final long MSTATUS_SIE = 1 << 1, MSTATUS_MIE = 1 << 3, MPP = 3 << 11, MPRV = 1 << 17, TVM = 1 << 20,
            FS = 3 << 13, SD = 1L << 63, UXL = 3L << 32, SXL = 3L << 34, STCE = 1L << 63, FIOM = 1;
    private static final int SSIP = 1, MSIP = 3, STIP = 5, MTIP = 7, SEIP = 9, MEIP = 11;

    private final TestMachine m = new TestMachine();

    @AfterEach
    void close() {
        m.close();
    }

    private static long bit(int i) {
        return 1L << i;
    }

    private void in(int privilege) {
        m.arch.setPrivilege(privilege);
    }

    // ---- mstatus / sstatus (3.1.6, 4.1.1) ----

    @Test
    void mppIgnoresTheReservedEncodingTwo() {
        m.writeCsr(MSTATUS, 1L << 11);
        m.writeCsr(MSTATUS, 2L << 11);
        assertThat(m.csr(MSTATUS) & MPP).isEqualTo(1L << 11);
    }

    @Test
    void uxlAndSxlReadAsSixtyFourBitAndIgnoreWrites() {
        m.writeCsr(MSTATUS, 0);
        assertThat(m.csr(MSTATUS) & (UXL | SXL)).isEqualTo((2L << 32) | (2L << 34));
    }

    @Test
    void sdIsSetExactlyWhenFsIsDirty() {
        m.writeCsr(MSTATUS, 2L << 13);
        assertThat(m.csr(MSTATUS) & SD).isZero();
        m.writeCsr(MSTATUS, 3L << 13);
        assertThat(m.csr(MSTATUS) & SD).isEqualTo(SD);
    }

    @Test
    void sdCannotBeWrittenDirectly() {
        m.writeCsr(MSTATUS, SD);
        assertThat(m.csr(MSTATUS) & (SD | FS)).isZero();
    }

    @Test
    void sstatusHidesTheMachineOnlyFields() {
        m.writeCsr(MSTATUS, MSTATUS_MIE | MPP | MPRV | TVM | MSTATUS_SIE);
        assertThat(m.csr(SSTATUS) & (MSTATUS_MIE | MPP | MPRV | TVM | SXL)).isZero();
        assertThat(m.csr(SSTATUS) & MSTATUS_SIE).isEqualTo(MSTATUS_SIE);
        assertThat(m.csr(SSTATUS) & UXL).isEqualTo(2L << 32);
    }

    @Test
    void sstatusWritesLeaveTheMachineOnlyFieldsAlone() {
        m.writeCsr(MSTATUS, MSTATUS_MIE | (1L << 11));
        m.writeCsr(SSTATUS, 0);
        assertThat(m.csr(MSTATUS) & (MSTATUS_MIE | MPP)).isEqualTo(MSTATUS_MIE | (1L << 11));
    }

    // ---- misa, mhartid (3.1.1, 3.1.5) ----

    @Test
    void misaReportsRv64WithSupervisorAndUserModes() {
        long misa = m.csr(MISA);
        assertThat(misa >>> 62).isEqualTo(2);
        for (char c : "IMAFDCSU".toCharArray()) assertThat(misa >>> (c - 'A') & 1).as("%s", c).isEqualTo(1);
    }

    @Test
    void misaIgnoresWritesThatWouldRemoveExtensions() {
        long before = m.csr(MISA);
        m.writeCsr(MISA, 0);
        assertThat(m.csr(MISA)).isEqualTo(before);
    }

    @Test
    void mhartidIsTheHartsIdAndReadOnly() {
        Hart third = new Hart(5, new org.duvisor.dbt.memory.SoftTlb(16, m.ram));
        new PrivilegedArchitecture(third, m.bus, m.timebase);
        assertThat(third.csrs.get(MHARTID).read(third)).isEqualTo(5);
        assertThat(third.csrs.get(MHARTID).isReadOnly()).isTrue();
    }

    // ---- medeleg, mideleg (3.1.8) ----

    @Test
    void medelegCannotDelegateEcallFromMachineMode() {
        m.writeCsr(MEDELEG, -1L);
        assertThat(m.csr(MEDELEG) & bit(11)).isZero();
    }

    @Test
    void medelegDelegatesTheStandardSupervisorHandledExceptions() {
        long standard = 0;
        for (int c : new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 13, 15}) standard |= bit(c);
        m.writeCsr(MEDELEG, standard);
        assertThat(m.csr(MEDELEG)).isEqualTo(standard);
    }

    @Test
    void midelegHoldsOnlySupervisorLevelInterrupts() {
        m.writeCsr(MIDELEG, -1L);
        assertThat(m.csr(MIDELEG)).isEqualTo(bit(SSIP) | bit(STIP) | bit(SEIP));
    }

    // ---- mie, mip, sie, sip (3.1.9, 4.1.3) ----

    @Test
    void mieHoldsOnlyTheStandardInterruptEnables() {
        m.writeCsr(MIE, -1L);
        assertThat(m.csr(MIE)).isEqualTo(bit(SSIP) | bit(MSIP) | bit(STIP) | bit(MTIP) | bit(SEIP) | bit(MEIP));
    }

    @Test
    void machineModeCanWriteTheSupervisorPendingBitsOfMip() {
        m.writeCsr(MIP, bit(SSIP) | bit(STIP) | bit(SEIP));
        assertThat(m.csr(MIP) & (bit(SSIP) | bit(STIP) | bit(SEIP))).isEqualTo(bit(SSIP) | bit(STIP) | bit(SEIP));
    }

    @Test
    void theMachinePendingBitsOfMipAreReadOnly() {
        m.arch.pins.setMtimecmp(-1L);
        m.writeCsr(MIP, bit(MSIP) | bit(MTIP) | bit(MEIP));
        assertThat(m.csr(MIP) & (bit(MSIP) | bit(MTIP) | bit(MEIP))).isZero();
    }

    @Test
    void sieShowsOnlyDelegatedInterrupts() {
        m.writeCsr(MIE, bit(SSIP) | bit(STIP) | bit(MTIP));
        m.writeCsr(MIDELEG, bit(SSIP));
        assertThat(m.csr(SIE)).isEqualTo(bit(SSIP));
    }

    @Test
    void sieWritesChangeOnlyDelegatedEnables() {
        m.writeCsr(MIE, bit(STIP) | bit(MTIP));
        m.writeCsr(MIDELEG, bit(SSIP));
        m.writeCsr(SIE, bit(SSIP));
        assertThat(m.csr(MIE)).isEqualTo(bit(SSIP) | bit(STIP) | bit(MTIP));
    }

    @Test
    void sipShowsOnlyDelegatedPendingBits() {
        m.writeCsr(MIP, bit(SSIP) | bit(STIP));
        m.writeCsr(MIDELEG, bit(STIP));
        assertThat(m.csr(SIP)).isEqualTo(bit(STIP));
    }

    @Test
    void sipLetsSupervisorModeWriteOnlyTheDelegatedSsip() {
        m.writeCsr(MIDELEG, bit(SSIP) | bit(STIP) | bit(SEIP));
        m.writeCsr(SIP, bit(SSIP) | bit(STIP) | bit(SEIP));
        assertThat(m.csr(MIP) & (bit(SSIP) | bit(STIP) | bit(SEIP))).isEqualTo(bit(SSIP));
    }

    @Test
    void sipCannotSetAnUndelegatedSsip() {
        m.writeCsr(SIP, bit(SSIP));
        assertThat(m.csr(MIP) & bit(SSIP)).isZero();
    }

    // ---- xtvec, xepc (3.1.7, 3.1.14) ----

    @Test
    void mtvecKeepsDirectAndVectoredModes() {
        m.writeCsr(MTVEC, 0x8000_0101L);
        assertThat(m.csr(MTVEC)).isEqualTo(0x8000_0101L);
        m.writeCsr(MTVEC, 0x8000_0200L);
        assertThat(m.csr(MTVEC)).isEqualTo(0x8000_0200L);
    }

    @Test
    void mtvecNeverHoldsAReservedMode() {
        m.writeCsr(MTVEC, 0x8000_0102L);
        assertThat(m.csr(MTVEC) & 3).isLessThan(2);
        m.writeCsr(MTVEC, 0x8000_0103L);
        assertThat(m.csr(MTVEC) & 3).isLessThan(2);
    }

    @Test
    void epcBitZeroIsAlwaysZeroWithCompressedInstructions() {
        m.writeCsr(MEPC, 0x8000_0003L);
        m.writeCsr(SEPC, 0x8000_0005L);
        assertThat(m.csr(MEPC)).isEqualTo(0x8000_0002L);
        assertThat(m.csr(SEPC)).isEqualTo(0x8000_0004L);
    }

    // ---- satp (4.1.11) ----

    @Test
    void satpAcceptsSv39AndSv48() {
        long sv39 = (8L << 60) | (5L << 44) | 0x80123;
        m.writeCsr(SATP, sv39);
        assertThat(m.csr(SATP)).isEqualTo(sv39);
        long sv48 = (9L << 60) | 0x80456;
        m.writeCsr(SATP, sv48);
        assertThat(m.csr(SATP)).isEqualTo(sv48);
    }

    @Test
    void aSatpWriteSelectingAnUnsupportedModeHasNoEffectAtAll() {
        long sv39 = (8L << 60) | 0x80123;
        m.writeCsr(SATP, sv39);
        for (long mode : new long[] {1, 7, 10, 11, 15}) {
            m.writeCsr(SATP, (mode << 60) | 0x80999);
            assertThat(m.csr(SATP)).as("mode %d", mode).isEqualTo(sv39);
        }
    }

    @Test
    void satpIsInaccessibleToSupervisorModeWhenTvmIsSet() {
        m.writeCsr(MSTATUS, TVM);
        assertThat(m.accessible(SATP, false)).isTrue();
        in(Privilege.SUPERVISOR);
        assertThat(m.accessible(SATP, false)).isFalse();
        assertThat(m.accessible(SATP, true)).isFalse();
    }

    @Test
    void satpIsAccessibleToSupervisorModeWhenTvmIsClear() {
        in(Privilege.SUPERVISOR);
        assertThat(m.accessible(SATP, true)).isTrue();
    }

    // ---- Sstc stimecmp, menvcfg ----

    @Test
    void stimecmpIsInaccessibleToSupervisorModeWithoutStce() {
        m.writeCsr(MCOUNTEREN, 2);
        in(Privilege.SUPERVISOR);
        assertThat(m.accessible(STIMECMP, false)).isFalse();
    }

    @Test
    void stimecmpIsInaccessibleToSupervisorModeWithoutMcounterenTm() {
        m.writeCsr(MENVCFG, STCE);
        in(Privilege.SUPERVISOR);
        assertThat(m.accessible(STIMECMP, false)).isFalse();
    }

    @Test
    void stimecmpIsAccessibleToSupervisorModeWithStceAndTm() {
        m.writeCsr(MENVCFG, STCE);
        m.writeCsr(MCOUNTEREN, 2);
        in(Privilege.SUPERVISOR);
        assertThat(m.accessible(STIMECMP, true)).isTrue();
    }

    @Test
    void stimecmpIsNeverAccessibleToUserMode() {
        m.writeCsr(MENVCFG, STCE);
        m.writeCsr(MCOUNTEREN, -1);
        m.writeCsr(SCOUNTEREN, -1);
        in(Privilege.USER);
        assertThat(m.accessible(STIMECMP, false)).isFalse();
    }

    @Test
    void menvcfgHoldsOnlyTheImplementedFields() {
        m.writeCsr(MENVCFG, -1L);
        assertThat(m.csr(MENVCFG)).isEqualTo(STCE | FIOM);
    }

    // ---- counters (3.1.11, 3.1.12, 4.1.5) ----

    @Test
    void machineModeReadsCountersWhateverTheEnables() {
        assertThat(m.accessible(CYCLE, false)).isTrue();
        assertThat(m.accessible(TIME, false)).isTrue();
        assertThat(m.accessible(INSTRET, false)).isTrue();
    }

    @Test
    void supervisorModeReadsACounterOnlyWhenMcounterenEnablesIt() {
        in(Privilege.SUPERVISOR);
        assertThat(m.accessible(TIME, false)).isFalse();
        m.writeCsr(MCOUNTEREN, 2);
        assertThat(m.accessible(TIME, false)).isTrue();
        assertThat(m.accessible(CYCLE, false)).isFalse();
    }

    @Test
    void userModeReadsACounterOnlyWhenBothMcounterenAndScounterenEnableIt() {
        m.writeCsr(SCOUNTEREN, 0); // its reset value enables CY/TM/IR (see PrivilegedArchitecture)
        in(Privilege.USER);
        m.writeCsr(MCOUNTEREN, 4);
        assertThat(m.accessible(INSTRET, false)).isFalse();
        m.writeCsr(SCOUNTEREN, 4);
        assertThat(m.accessible(INSTRET, false)).isTrue();
        m.writeCsr(MCOUNTEREN, 0);
        assertThat(m.accessible(INSTRET, false)).isFalse();
    }

    @Test
    void hpmCountersAreGatedByTheirOwnEnableBitAndReadZero() {
        in(Privilege.SUPERVISOR);
        assertThat(m.accessible(HPMCOUNTER3, false)).isFalse();
        m.writeCsr(MCOUNTEREN, 8);
        assertThat(m.accessible(HPMCOUNTER3, false)).isTrue();
        assertThat(m.csr(HPMCOUNTER3)).isZero();
    }

    @Test
    void minstretReadsBackWhatWasWrittenPlusInstructionsRetiredSince() {
        m.writeCsr(MINSTRET, 1000);
        m.hart.instret += 7;
        assertThat(m.csr(MINSTRET)).isEqualTo(1007);
        assertThat(m.csr(INSTRET)).isEqualTo(1007);
    }

    @Test
    void mcountinhibitIsReadOnlyZeroBecauseNoCounterCanBeInhibited() {
        // 3.1.13: an inhibit bit whose counter cannot be stopped is read-only zero.
        m.writeCsr(MCOUNTINHIBIT, 4 | 1);
        assertThat(m.csr(MCOUNTINHIBIT)).isZero();
    }

    // ---- CSR address rules (2.1) ----

    @Test
    void machineCsrsAreInaccessibleBelowMachineMode() {
        in(Privilege.SUPERVISOR);
        assertThat(m.accessible(MSTATUS, false)).isFalse();
        assertThat(m.accessible(MEPC, false)).isFalse();
    }

    @Test
    void supervisorCsrsAreInaccessibleInUserMode() {
        in(Privilege.USER);
        assertThat(m.accessible(SSTATUS, false)).isFalse();
        assertThat(m.accessible(SEPC, false)).isFalse();
    }

    @Test
    void oddPmpcfgRegistersDoNotExistOnRv64() {
        assertThat(m.hart.csrs.get(0x3A1)).isNull();
        assertThat(m.hart.csrs.get(0x3A3)).isNull();
        assertThat(m.hart.csrs.get(0x3A0)).isNotNull();
        assertThat(m.hart.csrs.get(0x3A2)).isNotNull();
    }

    @Test
    void theFloatingPointCsrsAreInaccessibleWhileFsIsOff() {
        assertThat(m.hart.fpState).isEqualTo(Hart.FS_OFF);
        assertThat(m.accessible(0x003, false)).isFalse();
        m.writeCsr(MSTATUS, 1L << 13);
        assertThat(m.accessible(0x003, false)).isTrue();
    }
}
