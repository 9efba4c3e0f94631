package org.duvisor.rv64.priv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.duvisor.rv64.priv.TestMachine.A;
import static org.duvisor.rv64.priv.TestMachine.D;
import static org.duvisor.rv64.priv.TestMachine.R;
import static org.duvisor.rv64.priv.TestMachine.V;
import static org.duvisor.rv64.priv.TestMachine.W;

import org.duvisor.rv64.hart.Privilege;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Trap entry and return: Privileged ISA 3.1.6.1 (stacking), 3.1.7 (mtvec), 3.1.8 (delegation),
 * 3.3.2 (MRET/SRET), 3.1.6.5 (TVM/TW/TSR), 3.3.3 (WFI), 4.1.1/4.1.2 (sstatus, stvec), 4.2.1 (SFENCE.VMA).
 */
class TrapEntryTest {
    // CSR addresses
    private static final int MSTATUS = 0x300, MEDELEG = 0x302, MIDELEG = 0x303, MTVEC = 0x305, MEPC = 0x341,
            MCAUSE = 0x342, MTVAL = 0x343, STVEC = 0x105, SEPC = 0x141, SCAUSE = 0x142, STVAL = 0x143;
    // mstatus fields (3.1.6)
    private static final long SIE = 1 << 1, MIE = 1 << 3, SPIE = 1 << 5, MPIE = 1 << 7, SPP = 1 << 8,
            MPP = 3 << 11, MPP_S = 1 << 11, MPP_M = 3 << 11, MPRV = 1 << 17, TVM = 1 << 20, TW = 1 << 21, TSR = 1 << 22;
    // causes (table "Machine cause register values")
    private static final int ILLEGAL = 2, BREAKPOINT = 3, ECALL_U = 8, ECALL_S = 9, LOAD_PAGE_FAULT = 13, STI = 5, MTI = 7, SEI = 9;
    private static final long INTERRUPT = 1L << 63;
    private static final long PC = 0x8000_0400L, MTVEC_BASE = 0x8000_1000L, STVEC_BASE = 0x8000_2000L;

    private final TestMachine m = new TestMachine();

    TrapEntryTest() {
        m.writeCsr(MTVEC, MTVEC_BASE);
        m.writeCsr(STVEC, STVEC_BASE);
        m.hart.pc = PC;
    }

    @AfterEach
    void close() {
        m.close();
    }

    private long mstatus() {
        return m.csr(MSTATUS);
    }

    private void in(int privilege) {
        m.arch.setPrivilege(privilege);
    }

    // ---- entering M-mode (3.1.6.1, 3.1.14-3.1.16) ----

    @Test
    void anUndelegatedExceptionEntersMachineModeAtMtvecRecordingCauseAndPc() {
        in(Privilege.USER);
        m.arch.enterTrap(ECALL_U, false, 0);
        assertThat(m.hart.privilege).isEqualTo(Privilege.MACHINE);
        assertThat(m.hart.pc).isEqualTo(MTVEC_BASE);
        assertThat(m.csr(MCAUSE)).isEqualTo(ECALL_U);
        assertThat(m.csr(MEPC)).isEqualTo(PC);
    }

    @Test
    void theTrapValueIsWrittenToMtval() {
        in(Privilege.SUPERVISOR);
        m.arch.enterTrap(LOAD_PAGE_FAULT, false, 0x1234_5678L);
        assertThat(m.csr(MTVAL)).isEqualTo(0x1234_5678L);
    }

    @Test
    void machineTrapEntryMovesMieToMpieClearsMieAndRecordsThePreviousModeInMpp() {
        in(Privilege.SUPERVISOR);
        m.writeCsr(MSTATUS, MIE);
        m.arch.enterTrap(ECALL_S, false, 0);
        assertThat(mstatus() & (MIE | MPIE | MPP)).isEqualTo(MPIE | MPP_S);
    }

    @Test
    void machineTrapEntryWithMieClearLeavesMpieClear() {
        m.writeCsr(MSTATUS, MPIE);
        m.arch.enterTrap(BREAKPOINT, false, 0);
        assertThat(mstatus() & (MIE | MPIE | MPP)).isEqualTo(MPP_M);
    }

    @Test
    void anInterruptSetsTheInterruptBitOfMcause() {
        m.arch.enterTrap(MTI, true, 0);
        assertThat(m.csr(MCAUSE)).isEqualTo(INTERRUPT | MTI);
    }

    // ---- delegation (3.1.8) ----

    @Test
    void aDelegatedExceptionFromUserModeEntersSupervisorModeAtStvec() {
        m.writeCsr(MEDELEG, 1 << ECALL_U);
        in(Privilege.USER);
        m.arch.enterTrap(ECALL_U, false, 0x77);
        assertThat(m.hart.privilege).isEqualTo(Privilege.SUPERVISOR);
        assertThat(m.hart.pc).isEqualTo(STVEC_BASE);
        assertThat(m.csr(SCAUSE)).isEqualTo(ECALL_U);
        assertThat(m.csr(SEPC)).isEqualTo(PC);
        assertThat(m.csr(STVAL)).isEqualTo(0x77);
    }

    @Test
    void aDelegatedExceptionLeavesTheMachineTrapRegistersAlone() {
        m.writeCsr(MCAUSE, 42);
        m.writeCsr(MEPC, 0x100);
        m.writeCsr(MTVAL, 0x200);
        m.writeCsr(MEDELEG, 1 << ECALL_U);
        in(Privilege.USER);
        m.arch.enterTrap(ECALL_U, false, 0x77);
        assertThat(m.csr(MCAUSE)).isEqualTo(42);
        assertThat(m.csr(MEPC)).isEqualTo(0x100);
        assertThat(m.csr(MTVAL)).isEqualTo(0x200);
    }

    @Test
    void supervisorTrapEntryFromUserModeClearsSppAndMovesSieToSpie() {
        m.writeCsr(MEDELEG, 1 << ECALL_U);
        m.writeCsr(MSTATUS, SIE | SPP);
        in(Privilege.USER);
        m.arch.enterTrap(ECALL_U, false, 0);
        assertThat(mstatus() & (SIE | SPIE | SPP)).isEqualTo(SPIE);
    }

    @Test
    void supervisorTrapEntryFromSupervisorModeSetsSpp() {
        m.writeCsr(MEDELEG, 1 << BREAKPOINT);
        in(Privilege.SUPERVISOR);
        m.arch.enterTrap(BREAKPOINT, false, 0);
        assertThat(mstatus() & (SIE | SPIE | SPP)).isEqualTo(SPP);
    }

    @Test
    void supervisorTrapEntryLeavesTheMachineStackAlone() {
        m.writeCsr(MEDELEG, 1 << ECALL_U);
        m.writeCsr(MSTATUS, MIE | MPP_S);
        in(Privilege.USER);
        m.arch.enterTrap(ECALL_U, false, 0);
        assertThat(mstatus() & (MIE | MPIE | MPP)).isEqualTo(MIE | MPP_S);
    }

    @Test
    void aDelegatedExceptionRaisedInMachineModeIsStillTakenInMachineMode() {
        m.writeCsr(MEDELEG, 1 << BREAKPOINT);
        m.arch.enterTrap(BREAKPOINT, false, 0);
        assertThat(m.hart.privilege).isEqualTo(Privilege.MACHINE);
        assertThat(m.csr(MCAUSE)).isEqualTo(BREAKPOINT);
        assertThat(m.hart.pc).isEqualTo(MTVEC_BASE);
    }

    @Test
    void aDelegatedInterruptEntersSupervisorModeWithTheInterruptBitInScause() {
        m.writeCsr(MIDELEG, 1 << SEI);
        in(Privilege.USER);
        m.arch.enterTrap(SEI, true, 0);
        assertThat(m.hart.privilege).isEqualTo(Privilege.SUPERVISOR);
        assertThat(m.csr(SCAUSE)).isEqualTo(INTERRUPT | SEI);
    }

    @Test
    void anUndelegatedExceptionFromSupervisorModeGoesToMachineMode() {
        m.writeCsr(MEDELEG, 1 << ECALL_U);
        in(Privilege.SUPERVISOR);
        m.arch.enterTrap(ECALL_S, false, 0);
        assertThat(m.hart.privilege).isEqualTo(Privilege.MACHINE);
        assertThat(m.csr(MCAUSE)).isEqualTo(ECALL_S);
    }

    // ---- xtvec modes (3.1.7, 4.1.2) ----

    @Test
    void vectoredMtvecSendsInterruptsToBasePlusFourTimesCause() {
        m.writeCsr(MTVEC, MTVEC_BASE | 1);
        m.arch.enterTrap(MTI, true, 0);
        assertThat(m.hart.pc).isEqualTo(MTVEC_BASE + 4 * MTI);
    }

    @Test
    void vectoredMtvecSendsExceptionsToBase() {
        m.writeCsr(MTVEC, MTVEC_BASE | 1);
        m.arch.enterTrap(BREAKPOINT, false, 0);
        assertThat(m.hart.pc).isEqualTo(MTVEC_BASE);
    }

    @Test
    void directMtvecSendsInterruptsToBase() {
        m.arch.enterTrap(MTI, true, 0);
        assertThat(m.hart.pc).isEqualTo(MTVEC_BASE);
    }

    @Test
    void vectoredStvecSendsDelegatedInterruptsToBasePlusFourTimesCause() {
        m.writeCsr(STVEC, STVEC_BASE | 1);
        m.writeCsr(MIDELEG, 1 << STI);
        in(Privilege.USER);
        m.arch.enterTrap(STI, true, 0);
        assertThat(m.hart.pc).isEqualTo(STVEC_BASE + 4 * STI);
    }

    // ---- Java firmware in place of M-mode software ----

    @Test
    void firmwareThatHandlesAMachineBoundTrapLeavesTheArchitecturalStateUntouched() {
        m.arch.firmware = (arch, cause, interrupt, value) -> true;
        in(Privilege.SUPERVISOR);
        m.arch.enterTrap(ECALL_S, false, 0);
        assertThat(m.hart.privilege).isEqualTo(Privilege.SUPERVISOR);
        assertThat(m.hart.pc).isEqualTo(PC);
        assertThat(m.csr(MCAUSE)).isZero();
    }

    @Test
    void firmwareIsNotConsultedForDelegatedTraps() {
        boolean[] consulted = {false};
        m.arch.firmware = (arch, cause, interrupt, value) -> consulted[0] = true;
        m.writeCsr(MEDELEG, 1 << ECALL_U);
        in(Privilege.USER);
        m.arch.enterTrap(ECALL_U, false, 0);
        assertThat(consulted[0]).isFalse();
        assertThat(m.hart.privilege).isEqualTo(Privilege.SUPERVISOR);
    }

    @Test
    void redirectingToSupervisorEntersSupervisorModeAndLeavesMedelegAsItWas() {
        in(Privilege.USER);
        m.arch.redirectToSupervisor(LOAD_PAGE_FAULT, false, 0x40);
        assertThat(m.hart.privilege).isEqualTo(Privilege.SUPERVISOR);
        assertThat(m.csr(SCAUSE)).isEqualTo(LOAD_PAGE_FAULT);
        assertThat(m.csr(STVAL)).isEqualTo(0x40);
        assertThat(m.csr(MEDELEG)).isZero();
    }

    // ---- MRET and SRET (3.3.2) ----

    @Test
    void mretJumpsToMepcInTheModeHeldInMpp() {
        m.writeCsr(MEPC, 0x8000_0800L);
        m.writeCsr(MSTATUS, MPP_S);
        assertThat(m.execute(TestMachine.MRET, PC)).isEqualTo(0x8000_0800L);
        assertThat(m.hart.privilege).isEqualTo(Privilege.SUPERVISOR);
    }

    @Test
    void mretRestoresMieFromMpieSetsMpieAndLeavesMppAtUser() {
        m.writeCsr(MSTATUS, MPIE | MPP_S);
        m.execute(TestMachine.MRET, PC);
        assertThat(mstatus() & (MIE | MPIE | MPP)).isEqualTo(MIE | MPIE);
    }

    @Test
    void mretWithMpieClearLeavesMieClear() {
        m.writeCsr(MSTATUS, MIE | MPP_M);
        m.execute(TestMachine.MRET, PC);
        assertThat(mstatus() & (MIE | MPIE)).isEqualTo(MPIE);
    }

    @Test
    void mretToALessPrivilegedModeClearsMprv() {
        m.writeCsr(MSTATUS, MPRV | MPP_S);
        m.execute(TestMachine.MRET, PC);
        assertThat(mstatus() & MPRV).isZero();
    }

    @Test
    void mretToUserModeClearsMprv() {
        m.writeCsr(MSTATUS, MPRV);
        m.execute(TestMachine.MRET, PC);
        assertThat(m.hart.privilege).isEqualTo(Privilege.USER);
        assertThat(mstatus() & MPRV).isZero();
    }

    @Test
    void mretStayingInMachineModeKeepsMprv() {
        m.writeCsr(MSTATUS, MPRV | MPP_M);
        m.execute(TestMachine.MRET, PC);
        assertThat(m.hart.privilege).isEqualTo(Privilege.MACHINE);
        assertThat(mstatus() & MPRV).isEqualTo(MPRV);
    }

    @Test
    void sretJumpsToSepcInTheModeHeldInSpp() {
        m.writeCsr(SEPC, 0x8000_0900L);
        m.writeCsr(MSTATUS, SPP);
        in(Privilege.SUPERVISOR);
        assertThat(m.execute(TestMachine.SRET, PC)).isEqualTo(0x8000_0900L);
        assertThat(m.hart.privilege).isEqualTo(Privilege.SUPERVISOR);
    }

    @Test
    void sretRestoresSieFromSpieSetsSpieAndLeavesSppAtUser() {
        m.writeCsr(MSTATUS, SPIE | SPP);
        in(Privilege.SUPERVISOR);
        m.execute(TestMachine.SRET, PC);
        assertThat(mstatus() & (SIE | SPIE | SPP)).isEqualTo(SIE | SPIE);
    }

    @Test
    void sretWithSppClearReturnsToUserMode() {
        in(Privilege.SUPERVISOR);
        m.execute(TestMachine.SRET, PC);
        assertThat(m.hart.privilege).isEqualTo(Privilege.USER);
    }

    @Test
    void sretClearsMprvBecauseSppIsNeverMachine() {
        m.writeCsr(MSTATUS, MPRV | MPP_M | SPP);
        m.execute(TestMachine.SRET, PC);
        assertThat(mstatus() & MPRV).isZero();
    }

    @Test
    void mretOutsideMachineModeIsAnIllegalInstruction() {
        in(Privilege.SUPERVISOR);
        assertThat(m.execute(TestMachine.MRET, PC)).isEqualTo(PC);
        assertThat(m.hart.trapPending).isTrue();
        assertThat(m.hart.trapCause).isEqualTo(ILLEGAL);
        assertThat(m.hart.trapValue).isIn(0L, (long) TestMachine.MRET);
        assertThat(m.hart.privilege).isEqualTo(Privilege.SUPERVISOR);
    }

    @Test
    void sretInUserModeIsAnIllegalInstruction() {
        in(Privilege.USER);
        assertThat(m.execute(TestMachine.SRET, PC)).isEqualTo(PC);
        assertThat(m.hart.trapCause).isEqualTo(ILLEGAL);
        assertThat(m.hart.privilege).isEqualTo(Privilege.USER);
    }

    // ---- TSR, TW, TVM (3.1.6.5) and WFI (3.3.3) ----

    @Test
    void sretInSupervisorModeWithTsrIsAnIllegalInstruction() {
        m.writeCsr(MSTATUS, TSR | SPP);
        in(Privilege.SUPERVISOR);
        assertThat(m.execute(TestMachine.SRET, PC)).isEqualTo(PC);
        assertThat(m.hart.trapCause).isEqualTo(ILLEGAL);
    }

    @Test
    void tsrDoesNotAffectSretInMachineMode() {
        m.writeCsr(SEPC, 0x8000_0900L);
        m.writeCsr(MSTATUS, TSR | SPP);
        assertThat(m.execute(TestMachine.SRET, PC)).isEqualTo(0x8000_0900L);
        assertThat(m.hart.trapPending).isFalse();
    }

    @Test
    void wfiInSupervisorModeWaitsAndContinuesWithTheNextInstruction() {
        in(Privilege.SUPERVISOR);
        assertThat(m.execute(TestMachine.WFI, PC)).isEqualTo(PC + 4);
        assertThat(m.arch.waitingForInterrupt).isTrue();
        assertThat(m.hart.trapPending).isFalse();
    }

    @Test
    void wfiInSupervisorModeWithTwIsAnIllegalInstruction() {
        m.writeCsr(MSTATUS, TW);
        in(Privilege.SUPERVISOR);
        assertThat(m.execute(TestMachine.WFI, PC)).isEqualTo(PC);
        assertThat(m.hart.trapCause).isEqualTo(ILLEGAL);
        assertThat(m.arch.waitingForInterrupt).isFalse();
    }

    @Test
    void wfiInUserModeIsAnIllegalInstruction() {
        in(Privilege.USER);
        assertThat(m.execute(TestMachine.WFI, PC)).isEqualTo(PC);
        assertThat(m.hart.trapCause).isEqualTo(ILLEGAL);
    }

    @Test
    void twDoesNotAffectWfiInMachineMode() {
        m.writeCsr(MSTATUS, TW);
        assertThat(m.execute(TestMachine.WFI, PC)).isEqualTo(PC + 4);
        assertThat(m.hart.trapPending).isFalse();
    }

    @Test
    void sfenceVmaInSupervisorModeWithTvmIsAnIllegalInstruction() {
        m.writeCsr(MSTATUS, TVM);
        in(Privilege.SUPERVISOR);
        assertThat(m.execute(TestMachine.SFENCE_VMA, PC)).isEqualTo(PC);
        assertThat(m.hart.trapCause).isEqualTo(ILLEGAL);
    }

    @Test
    void sfenceVmaInUserModeIsAnIllegalInstruction() {
        in(Privilege.USER);
        assertThat(m.execute(TestMachine.SFENCE_VMA, PC)).isEqualTo(PC);
        assertThat(m.hart.trapCause).isEqualTo(ILLEGAL);
    }

    @Test
    void sfenceVmaInMachineModeIgnoresTvm() {
        m.writeCsr(MSTATUS, TVM);
        assertThat(m.execute(TestMachine.SFENCE_VMA, PC)).isEqualTo(PC + 4);
        assertThat(m.hart.trapPending).isFalse();
    }

    @Test
    void sfenceVmaMakesLaterAccessesSeeRewrittenPageTables() {
        m.openPmp();
        long satp = m.newPageTable(TestMachine.SV39);
        long pte = m.map(0x4000_0000L, 0x8000_5000L, V | R | W | A | D);
        m.writePhysical(0x8000_5000L, 5);
        m.writePhysical(0x8000_6000L, 6);
        m.enterSupervisorWith(satp);
        assertThat(m.tlb.load64(0x4000_0000L)).isEqualTo(5);
        m.writePhysical(pte, TestMachine.pte(0x8000_6000L, V | R | W | A | D));
        m.execute(TestMachine.SFENCE_VMA, PC);
        assertThat(m.tlb.load64(0x4000_0000L)).isEqualTo(6);
    }

    // ---- translation follows the mode after trap entry and return (3.1.6.3, 4.3) ----

    @Test
    void afterSretToUserModeASupervisorPageLoadedInSupervisorModeFaults() {
        m.openPmp();
        long satp = m.newPageTable(TestMachine.SV39);
        m.map(0x4000_0000L, 0x8000_5000L, V | R | W | A | D);
        m.enterSupervisorWith(satp);
        m.tlb.load64(0x4000_0000L);
        assertThat(m.hart.trapPending).isFalse();
        m.execute(TestMachine.SRET, PC); // SPP = 0: to U
        m.tlb.load64(0x4000_0000L);
        assertThat(m.hart.trapPending).isTrue();
        assertThat(m.hart.trapCause).isEqualTo(LOAD_PAGE_FAULT);
    }

    @Test
    void aTrapTakenInMachineModeWithMprvSetMakesLoadsUseMachineModeAddressing() {
        m.openPmp();
        long satp = m.newPageTable(TestMachine.SV39);
        long va = TestMachine.RAM_BASE + 0x1000;
        m.map(va, 0x8000_5000L, V | R | W | A | D);
        m.writePhysical(va, 0x1111);
        m.writePhysical(0x8000_5000L, 0x5555);
        m.writeCsr(0x180, satp);
        m.writeCsr(MSTATUS, MPRV | MPP_S);
        assertThat(m.tlb.load64(va)).isEqualTo(0x5555); // translated as S-mode
        m.arch.enterTrap(BREAKPOINT, false, 0); // from M: MPP becomes M
        assertThat(mstatus() & MPP).isEqualTo(MPP_M);
        assertThat(m.tlb.load64(va)).isEqualTo(0x1111); // MPRV with MPP=M: untranslated
    }

    @Test
    void mprvMakesMachineModeLoadsTranslateAsTheModeInMpp() {
        m.openPmp();
        long satp = m.newPageTable(TestMachine.SV39);
        long va = TestMachine.RAM_BASE + 0x1000;
        m.map(va, 0x8000_5000L, V | R | W | A | D);
        m.writePhysical(va, 0x1111);
        m.writePhysical(0x8000_5000L, 0x5555);
        m.writeCsr(0x180, satp);
        m.writeCsr(MSTATUS, MPRV | MPP_S);
        assertThat(m.tlb.load64(va)).isEqualTo(0x5555);
    }

    @Test
    void mprvDoesNotAffectInstructionFetch() {
        m.openPmp();
        long satp = m.newPageTable(TestMachine.SV39);
        long va = TestMachine.RAM_BASE + 0x1000;
        m.map(va, 0x8000_5000L, V | R | W | TestMachine.X | A | D);
        m.ram.set(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED, 0x1000, (short) 0x1111);
        m.ram.set(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED, 0x5000, (short) 0x5555);
        m.writeCsr(0x180, satp);
        m.writeCsr(MSTATUS, MPRV | MPP_S);
        assertThat(m.tlb.fetch16(va)).isEqualTo(0x1111);
        assertThat(m.tlb.load64(va) & 0xFFFF).isEqualTo(0x5555);
        assertThat(m.tlb.fetch16(va)).isEqualTo(0x1111); // also once the load has filled the TLB
    }
}
