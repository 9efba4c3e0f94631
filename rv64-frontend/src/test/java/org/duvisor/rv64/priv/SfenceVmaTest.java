package org.duvisor.rv64.priv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.duvisor.rv64.priv.TestMachine.A;
import static org.duvisor.rv64.priv.TestMachine.D;
import static org.duvisor.rv64.priv.TestMachine.R;
import static org.duvisor.rv64.priv.TestMachine.U;
import static org.duvisor.rv64.priv.TestMachine.V;
import static org.duvisor.rv64.priv.TestMachine.W;
import static org.duvisor.rv64.priv.TestMachine.X;

import org.duvisor.rv64.hart.Privilege;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SFENCE.VMA with an address (Privileged ISA 4.2.1): it orders the leaf PTE of the address in rs1,
 * so that page's cached translation must go, and with a superpage's leaf every page the superpage
 * maps. Translations of other pages may stay cached; keeping them is what makes the address form
 * cheaper than a full fence. Each case runs with a TLB smaller than a megapage's 512 pages (the
 * regime is cleared) and with a larger one (the megapage's pages are dropped one by one).
 */
class SfenceVmaTest {
    private static final long PC = 0x8000_0400L;
    private static final int T0 = 5;
    private static final int SFENCE_VMA_T0 = TestMachine.SFENCE_VMA | T0 << 15;
    private static final int LOAD_PAGE_FAULT = 13;

    private static void sfenceVma(TestMachine m, long va) {
        m.hart.x[T0] = va;
        assertThat(m.execute(SFENCE_VMA_T0, PC)).isEqualTo(PC + 4);
    }

    @ParameterizedTest
    @ValueSource(ints = {256, 1024})
    void theNamedPageIsRetranslatedAndAnotherPageKeepsItsCachedTranslation(int tlbEntries) {
        try (TestMachine m = new TestMachine(tlbEntries)) {
            m.openPmp();
            long satp = m.newPageTable(TestMachine.SV39);
            long pteA = m.map(0x4000_0000L, 0x8000_5000L, V | R | W | A | D);
            long pteB = m.map(0x4000_1000L, 0x8000_7000L, V | R | W | A | D);
            for (long p = 5; p <= 8; p++) m.writePhysical(0x8000_0000L + p * 0x1000, p);
            m.enterSupervisorWith(satp);
            assertThat(m.tlb.load64(0x4000_0000L)).isEqualTo(5);
            assertThat(m.tlb.load64(0x4000_1000L)).isEqualTo(7);
            m.writePhysical(pteA, TestMachine.pte(0x8000_6000L, V | R | W | A | D));
            m.writePhysical(pteB, TestMachine.pte(0x8000_8000L, V | R | W | A | D));
            sfenceVma(m, 0x4000_0123L);
            assertThat(m.tlb.load64(0x4000_0000L)).isEqualTo(6);
            assertThat(m.tlb.load64(0x4000_1000L)).isEqualTo(7); // not named: still the cached translation
            sfenceVma(m, 0x4000_1FF8L);
            assertThat(m.tlb.load64(0x4000_1000L)).isEqualTo(8);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {256, 1024})
    void anAddressAnywhereInAMegapageRetranslatesEveryPageOfIt(int tlbEntries) {
        try (TestMachine m = new TestMachine(tlbEntries)) {
            m.openPmp();
            long satp = m.newPageTable(TestMachine.SV39);
            long va = 0x4020_0000L;
            long pte = m.map(va, 0x8000_0000L, V | R | W | A | D, 1);
            m.writePhysical(0x8000_3000L, 3);
            m.writePhysical(0x8020_3000L, 33);
            m.enterSupervisorWith(satp);
            assertThat(m.tlb.load64(va + 0x3000)).isEqualTo(3);
            m.writePhysical(pte, TestMachine.pte(0x8020_0000L, V | R | W | A | D));
            sfenceVma(m, va + 0x1F_F000); // the megapage's last page, not the cached one
            assertThat(m.tlb.load64(va + 0x3000)).isEqualTo(33);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {256, 1024})
    void anAddressAnywhereInAGigapageRetranslatesEveryPageOfIt(int tlbEntries) {
        try (TestMachine m = new TestMachine(tlbEntries)) {
            m.openPmp();
            long satp = m.newPageTable(TestMachine.SV39);
            long va = 0x4000_0000L;
            long pte = m.map(va, 0x8000_0000L, V | R | W | A | D, 2);
            m.writePhysical(0x8000_5000L, 5);
            m.enterSupervisorWith(satp);
            assertThat(m.tlb.load64(va + 0x5000)).isEqualTo(5);
            m.writePhysical(pte, TestMachine.pte(0x8000_0000L, V | X | A)); // no longer readable
            sfenceVma(m, va + 0x3000_0000L);
            m.tlb.load64(va + 0x5000);
            assertThat(m.hart.trapPending).isTrue();
            assertThat(m.hart.trapCause).isEqualTo(LOAD_PAGE_FAULT);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {256, 1024})
    void theFenceReachesTranslationsCachedForUserMode(int tlbEntries) {
        try (TestMachine m = new TestMachine(tlbEntries)) {
            m.openPmp();
            long satp = m.newPageTable(TestMachine.SV39);
            long pte = m.map(0x4000_0000L, 0x8000_5000L, V | R | W | U | A | D);
            m.writePhysical(0x8000_5000L, 5);
            m.writePhysical(0x8000_6000L, 6);
            m.enterSupervisorWith(satp);
            m.arch.setPrivilege(Privilege.USER);
            assertThat(m.tlb.load64(0x4000_0000L)).isEqualTo(5);
            m.arch.setPrivilege(Privilege.SUPERVISOR);
            m.writePhysical(pte, TestMachine.pte(0x8000_6000L, V | R | W | U | A | D));
            sfenceVma(m, 0x4000_0000L);
            m.arch.setPrivilege(Privilege.USER);
            assertThat(m.tlb.load64(0x4000_0000L)).isEqualTo(6);
        }
    }
}
