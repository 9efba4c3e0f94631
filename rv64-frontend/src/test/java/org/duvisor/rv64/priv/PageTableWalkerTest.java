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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The Sv39/Sv48 translation process, Privileged ISA 4.3.2, 4.4, 4.5. */
class PageTableWalkerTest {
    /** An access kind with the page-fault and access-fault causes the spec gives it (table "Supervisor cause register values"). */
    enum Access {
        FETCH(PageTableWalker.FETCH, 12, 1, X),
        LOAD(PageTableWalker.LOAD, 13, 5, R),
        STORE(PageTableWalker.STORE, 15, 7, R | W);

        final int kind, pageFault, accessFault;
        /** PTE permission bits that allow this access. */
        final long allowing;

        Access(int kind, int pageFault, int accessFault, long allowing) {
            this.kind = kind;
            this.pageFault = pageFault;
            this.accessFault = accessFault;
            this.allowing = allowing;
        }
    }

    private static final int S = Privilege.SUPERVISOR, UMODE = Privilege.USER;
    private static final long VA = 0x4000_2345L, PA = 0x8000_7000L;

    private final TestMachine m = new TestMachine();
    private long satp = m.newPageTable(TestMachine.SV39);

    PageTableWalkerTest() {
        m.openPmp(); // with PMP implemented, S-mode (and so the walk) may only touch what an entry grants (3.7.1)
    }

    @AfterEach
    void close() {
        m.close();
    }

    private int walk(long va, Access a, int privilege) {
        return m.arch.walker.walk(va, a.kind, privilege, false, false, satp);
    }

    private int walk(long va, Access a, int privilege, boolean sum, boolean mxr) {
        return m.arch.walker.walk(va, a.kind, privilege, sum, mxr, satp);
    }

    // ---- successful translations ----

    @ParameterizedTest
    @EnumSource(Access.class)
    void aFourKilobytePageKeepsThePageOffset(Access a) {
        m.map(VA, PA, V | R | W | X | A | D);
        assertThat(walk(VA, a, S)).isZero();
        assertThat(m.arch.walker.physical).isEqualTo(PA | 0x345);
    }

    @Test
    void sv48TranslatesThroughFourLevels() {
        satp = m.newPageTable(TestMachine.SV48);
        long va = 0x7F_1234_5678L << 4; // above Sv39's range, still canonical for Sv48
        m.map(va, PA, V | R | A);
        assertThat(walk(va, Access.LOAD, S)).isZero();
        assertThat(m.arch.walker.physical).isEqualTo(PA | (va & 0xFFF));
    }

    @Test
    void aHighHalfAddressWithBitsAbove38CopiedIsCanonicalUnderSv39() {
        long va = 0xFFFF_FFC0_0000_1008L;
        m.map(va, PA, V | R | A);
        assertThat(walk(va, Access.LOAD, S)).isZero();
        assertThat(m.arch.walker.physical).isEqualTo(PA | 0x008);
    }

    @Test
    void aMegapageMapsTheLow21BitsOfTheAddress() {
        long va = 0x4020_0000L + 0x1_2345;
        m.map(va, 0x8020_0000L, V | R | A, 1);
        assertThat(walk(va, Access.LOAD, S)).isZero();
        assertThat(m.arch.walker.physical).isEqualTo(0x8021_2345L);
    }

    @Test
    void aGigapageMapsTheLow30BitsOfTheAddress() {
        long va = 0x4000_0000L + 0x0123_4567L;
        m.map(va, 0x8000_0000L, V | R | A, 2);
        assertThat(walk(va, Access.LOAD, S)).isZero();
        assertThat(m.arch.walker.physical).isEqualTo(0x8123_4567L);
    }

    @Test
    void anSv48TerapageMapsTheLow39BitsOfTheAddress() {
        satp = m.newPageTable(TestMachine.SV48);
        long va = (1L << 39) + 0x12_3456_789AL;
        m.map(va, 0x80_0000_0000L, V | R | A, 3);
        assertThat(walk(va, Access.LOAD, S)).isZero();
        assertThat(m.arch.walker.physical).isEqualTo(0x80_0000_0000L + 0x12_3456_789AL);
    }

    // ---- 4.4.1 / 4.5.1: canonical addresses ----

    @ParameterizedTest
    @EnumSource(Access.class)
    void anSv39AddressWhoseBits63To39DoNotEqualBit38IsAPageFault(Access a) {
        m.map(0x2000, PA, V | R | W | X | A | D);
        assertThat(walk((1L << 39) | 0x2000, a, S)).isEqualTo(a.pageFault);
    }

    @ParameterizedTest
    @EnumSource(Access.class)
    void anSv48AddressWhoseBits63To48DoNotEqualBit47IsAPageFault(Access a) {
        satp = m.newPageTable(TestMachine.SV48);
        m.map(0x2000, PA, V | R | W | X | A | D);
        assertThat(walk((1L << 48) | 0x2000, a, S)).isEqualTo(a.pageFault);
    }

    // ---- 4.3.2 step 3: invalid and reserved PTEs ----

    @ParameterizedTest
    @EnumSource(Access.class)
    void aLeafWithoutTheValidBitIsAPageFault(Access a) {
        m.map(VA, PA, R | W | X | A | D);
        assertThat(walk(VA, a, S)).isEqualTo(a.pageFault);
    }

    @ParameterizedTest
    @EnumSource(Access.class)
    void anUnmappedRootEntryIsAPageFault(Access a) {
        assertThat(walk(VA, a, S)).isEqualTo(a.pageFault);
    }

    @ParameterizedTest
    @EnumSource(Access.class)
    void writableWithoutReadableIsAReservedEncodingAndAPageFault(Access a) {
        m.map(VA, PA, V | W | X | A | D);
        assertThat(walk(VA, a, S)).isEqualTo(a.pageFault);
    }

    @ParameterizedTest
    @EnumSource(Access.class)
    void theNapotBitWithoutSvnapotIsAPageFault(Access a) {
        long at = m.map(VA, PA, V | R | W | X | A | D);
        m.writePhysical(at, m.readPhysical(at) | 1L << 63);
        assertThat(walk(VA, a, S)).isEqualTo(a.pageFault);
    }

    @ParameterizedTest
    @ValueSource(ints = {54, 57, 60, 61, 62})
    void reservedAndPbmtBitsWithoutSvpbmtAreAPageFault(int bit) {
        long at = m.map(VA, PA, V | R | A);
        m.writePhysical(at, m.readPhysical(at) | 1L << bit);
        assertThat(walk(VA, Access.LOAD, S)).isEqualTo(Access.LOAD.pageFault);
    }

    @ParameterizedTest
    @EnumSource(Access.class)
    void aPointerPteWithTheAccessedBitSetIsAPageFault(Access a) {
        m.map(VA, PA, V | R | W | X | A | D);
        long pointer = m.pteAddress(VA, 1);
        m.writePhysical(pointer, m.readPhysical(pointer) | A);
        assertThat(walk(VA, a, S)).isEqualTo(a.pageFault);
    }

    @ParameterizedTest
    @ValueSource(longs = {D, U})
    void aPointerPteWithDirtyOrUserSetIsAPageFault(long bit) {
        m.map(VA, PA, V | R | A);
        long pointer = m.pteAddress(VA, 2);
        m.writePhysical(pointer, m.readPhysical(pointer) | bit);
        assertThat(walk(VA, Access.LOAD, S)).isEqualTo(Access.LOAD.pageFault);
    }

    @ParameterizedTest
    @EnumSource(Access.class)
    void aPointerPteAtTheLastLevelIsAPageFault(Access a) {
        m.map(VA, m.root(), V);
        assertThat(walk(VA, a, S)).isEqualTo(a.pageFault);
    }

    // ---- 4.3.2 step 2: PMA and PMP on the page-table accesses ----

    @ParameterizedTest
    @EnumSource(Access.class)
    void aPageTableOutsideRamIsAnAccessFault(Access a) {
        satp = TestMachine.satpFor(TestMachine.SV39, 0x1000_0000L);
        assertThat(walk(VA, a, S)).isEqualTo(a.accessFault);
    }

    @ParameterizedTest
    @EnumSource(Access.class)
    void aPageTableThatPmpDoesNotLetSupervisorModeReadIsAnAccessFault(Access a) {
        m.map(VA, PA, V | R | W | X | A | D);
        m.arch.pmp.writeAddress(0, (TestMachine.TABLES >>> 2) | ((0x10_0000 >>> 3) - 1));
        m.arch.pmp.writeConfig(0, 3 << 3); // NAPOT, no permissions
        assertThat(walk(VA, a, S)).isEqualTo(a.accessFault);
    }

    // ---- 4.3.2 step 5: permissions ----

    @Test
    void loadingFromAnExecuteOnlyPageIsALoadPageFault() {
        m.map(VA, PA, V | X | A | D);
        assertThat(walk(VA, Access.LOAD, S)).isEqualTo(13);
    }

    @Test
    void storingToAReadOnlyPageIsAStorePageFault() {
        m.map(VA, PA, V | R | X | A | D);
        assertThat(walk(VA, Access.STORE, S)).isEqualTo(15);
    }

    @Test
    void fetchingFromANonExecutablePageIsAnInstructionPageFault() {
        m.map(VA, PA, V | R | W | A | D);
        assertThat(walk(VA, Access.FETCH, S)).isEqualTo(12);
    }

    @Test
    void mxrMakesExecuteOnlyPagesReadable() {
        m.map(VA, PA, V | X | A | D);
        assertThat(walk(VA, Access.LOAD, S, false, true)).isZero();
    }

    @Test
    void mxrDoesNotMakeExecuteOnlyPagesWritable() {
        m.map(VA, PA, V | X | A | D);
        assertThat(walk(VA, Access.STORE, S, false, true)).isEqualTo(15);
    }

    @ParameterizedTest
    @EnumSource(Access.class)
    void userModeCannotAccessSupervisorPages(Access a) {
        m.map(VA, PA, V | R | W | X | A | D);
        assertThat(walk(VA, a, UMODE)).isEqualTo(a.pageFault);
    }

    @ParameterizedTest
    @EnumSource(Access.class)
    void userModeAccessesUserPages(Access a) {
        m.map(VA, PA, V | a.allowing | U | A | D);
        assertThat(walk(VA, a, UMODE)).isZero();
    }

    @ParameterizedTest
    @EnumSource(value = Access.class, names = {"LOAD", "STORE"})
    void supervisorModeCannotLoadOrStoreUserPagesWithoutSum(Access a) {
        m.map(VA, PA, V | R | W | U | A | D);
        assertThat(walk(VA, a, S, false, false)).isEqualTo(a.pageFault);
    }

    @ParameterizedTest
    @EnumSource(value = Access.class, names = {"LOAD", "STORE"})
    void sumLetsSupervisorModeLoadAndStoreUserPages(Access a) {
        m.map(VA, PA, V | R | W | U | A | D);
        assertThat(walk(VA, a, S, true, false)).isZero();
    }

    @Test
    void supervisorModeNeverExecutesUserPagesEvenWithSum() {
        m.map(VA, PA, V | R | X | U | A | D);
        assertThat(walk(VA, Access.FETCH, S, true, false)).isEqualTo(12);
    }

    // ---- 4.3.2 step 6: superpage alignment ----

    @ParameterizedTest
    @EnumSource(Access.class)
    void aMegapageWhosePhysicalPageNumberIsNotTwoMegabyteAlignedIsAPageFault(Access a) {
        m.map(0x4020_0000L, 0x8020_1000L, V | R | W | X | A | D, 1);
        assertThat(walk(0x4020_0000L, a, S)).isEqualTo(a.pageFault);
    }

    @ParameterizedTest
    @EnumSource(Access.class)
    void aGigapageWhosePhysicalPageNumberIsNotGigabyteAlignedIsAPageFault(Access a) {
        m.map(0x4000_0000L, 0x8020_0000L, V | R | W | X | A | D, 2);
        assertThat(walk(0x4000_0000L, a, S)).isEqualTo(a.pageFault);
    }

    // ---- 4.3.2 step 7: accessed and dirty bits ----

    @ParameterizedTest
    @EnumSource(Access.class)
    void anAccessSetsTheAccessedBit(Access a) {
        long at = m.map(VA, PA, V | R | W | X | D);
        assertThat(walk(VA, a, S)).isZero();
        assertThat(m.readPhysical(at) & A).isEqualTo(A);
    }

    @Test
    void aLoadLeavesTheDirtyBitClear() {
        long at = m.map(VA, PA, V | R | W);
        assertThat(walk(VA, Access.LOAD, S)).isZero();
        assertThat(m.readPhysical(at)).isEqualTo(TestMachine.pte(PA, V | R | W | A));
    }

    @Test
    void aStoreSetsAccessedAndDirty() {
        long at = m.map(VA, PA, V | R | W);
        assertThat(walk(VA, Access.STORE, S)).isZero();
        assertThat(m.readPhysical(at)).isEqualTo(TestMachine.pte(PA, V | R | W | A | D));
    }

    @Test
    void aStoreToASuperpageSetsDirtyInTheLeafPte() {
        long at = m.map(0x4020_0000L, 0x8020_0000L, V | R | W, 1);
        assertThat(walk(0x4020_0008L, Access.STORE, S)).isZero();
        assertThat(m.readPhysical(at) & (A | D)).isEqualTo(A | D);
    }

    @Test
    void aFaultingAccessLeavesThePteUnchanged() {
        long at = m.map(VA, PA, V | R);
        assertThat(walk(VA, Access.STORE, S)).isEqualTo(15);
        assertThat(m.readPhysical(at)).isEqualTo(TestMachine.pte(PA, V | R));
    }

    @Test
    void aLoadThroughAWritableCleanPageDoesNotGrantWritePermission() {
        m.map(VA, PA, V | R | W | A);
        assertThat(walk(VA, Access.LOAD, S)).isZero();
        assertThat(m.arch.walker.leafPermissions & Pmp.W).isZero();
        assertThat(m.arch.walker.leafPermissions & Pmp.R).isEqualTo(Pmp.R);
    }

    @Test
    void aLoadThroughAWritableDirtyPageGrantsWritePermission() {
        m.map(VA, PA, V | R | W | A | D);
        assertThat(walk(VA, Access.LOAD, S)).isZero();
        assertThat(m.arch.walker.leafPermissions & Pmp.W).isEqualTo(Pmp.W);
    }

    @ParameterizedTest
    @EnumSource(Access.class)
    void settingTheAccessedBitWherePmpForbidsWritingThePteIsAnAccessFault(Access a) {
        long at = m.map(VA, PA, V | R | W | X | D);
        m.arch.pmp.writeAddress(0, (TestMachine.TABLES >>> 2) | ((0x10_0000 >>> 3) - 1));
        m.arch.pmp.writeConfig(0, (3 << 3) | Pmp.R); // NAPOT, read-only
        assertThat(walk(VA, a, S)).isEqualTo(a.accessFault);
        assertThat(m.readPhysical(at) & A).isZero();
    }
}
