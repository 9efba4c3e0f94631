package org.duvisor.rv64.priv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.duvisor.rv64.priv.TestMachine.A;
import static org.duvisor.rv64.priv.TestMachine.D;
import static org.duvisor.rv64.priv.TestMachine.R;
import static org.duvisor.rv64.priv.TestMachine.RAM_BASE;
import static org.duvisor.rv64.priv.TestMachine.V;
import static org.duvisor.rv64.priv.TestMachine.W;
import static org.duvisor.rv64.priv.TestMachine.X;

import java.util.ArrayList;
import java.util.List;
import org.duvisor.dbt.bus.MmioDevice;
import org.duvisor.dbt.memory.SoftTlb;
import org.duvisor.rv64.insn.Atomics;
import org.duvisor.rv64.isa.Decoder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The memory system behind the soft TLB: translation (4.3), PMP (3.7), physical memory attributes
 * and device regions (3.6), misaligned accesses (3.6.3.3 and mtval, 3.1.16), AMO alignment (A extension).
 */
class SystemMemoryTest {
    private static final int INSTRUCTION_ACCESS_FAULT = 1, LOAD_ACCESS_FAULT = 5, STORE_MISALIGNED = 6,
            STORE_ACCESS_FAULT = 7, LOAD_PAGE_FAULT = 13, STORE_PAGE_FAULT = 15;
    private static final long DEVICE = 0x1000_0000L, NOWHERE = 0x2000_0000L;
    private static final long VA = 0x4000_0000L, PA = RAM_BASE + 0x5000, PA2 = RAM_BASE + 0x9000;

    /** A device that records every access and reads as a fixed pattern. */
    static final class RecordingDevice implements MmioDevice {
        final List<String> accesses = new ArrayList<>();

        @Override
        public long read(long offset, int size) {
            accesses.add("read " + offset + "/" + size);
            return 0x1122_3344_5566_7788L;
        }

        @Override
        public void write(long offset, long value, int size) {
            accesses.add("write " + offset + "/" + size + "=" + Long.toHexString(value));
        }
    }

    private final TestMachine m = new TestMachine();
    private final RecordingDevice device = new RecordingDevice();

    SystemMemoryTest() {
        m.bus.map(DEVICE, 0x1000, device, "recorder");
    }

    @AfterEach
    void close() {
        m.close();
    }

    private int slot(long va) {
        return SoftTlb.index(va, m.tlb.indexMask);
    }

    /** S-mode under a fresh Sv39 table, with PMP open to S-mode. */
    private void supervisorWithPaging() {
        m.openPmp();
        m.enterSupervisorWith(m.newPageTable(TestMachine.SV39));
    }

    private void assertTrap(int cause, long value) {
        assertThat(m.hart.trapPending).isTrue();
        assertThat(m.hart.trapCause).isEqualTo(cause);
        assertThat(m.hart.trapValue).isEqualTo(value);
    }

    // ---- RAM, devices, nothing ----

    @Test
    void untranslatedMachineModeAccessesReachRamAtTheirPhysicalAddress() {
        m.tlb.store64(RAM_BASE + 0x100, 0x0102_0304_0506_0708L);
        assertThat(m.readPhysical(RAM_BASE + 0x100)).isEqualTo(0x0102_0304_0506_0708L);
        assertThat(m.tlb.load32(RAM_BASE + 0x104)).isEqualTo(0x0102_0304);
    }

    @Test
    void aLoadWhereThereIsNeitherRamNorADeviceIsALoadAccessFault() {
        m.tlb.load64(NOWHERE + 8);
        assertTrap(LOAD_ACCESS_FAULT, NOWHERE + 8);
    }

    @Test
    void aStoreWhereThereIsNeitherRamNorADeviceIsAStoreAccessFault() {
        m.tlb.store32(NOWHERE, 1);
        assertTrap(STORE_ACCESS_FAULT, NOWHERE);
    }

    @Test
    void fetchingWhereThereIsNoRamIsAnInstructionAccessFault() {
        m.tlb.fetch16(NOWHERE + 2);
        assertTrap(INSTRUCTION_ACCESS_FAULT, NOWHERE + 2);
    }

    @Test
    void anAccessRunningPastTheEndOfRamIsAnAccessFault() {
        m.tlb.load64(RAM_BASE + TestMachine.RAM_SIZE - 4);
        assertThat(m.hart.trapPending).isTrue();
        assertThat(m.hart.trapCause).isEqualTo(LOAD_ACCESS_FAULT);
    }

    @Test
    void aDeviceLoadReachesTheDeviceAtItsOffsetInTheWindowZeroExtended() {
        assertThat(m.tlb.load16(DEVICE + 0x10)).isEqualTo((short) 0x7788);
        assertThat(device.accesses).containsExactly("read 16/2");
    }

    @Test
    void aDeviceStoreReachesTheDeviceWithOnlyTheStoredBytes() {
        m.tlb.store32(DEVICE + 0x20, 0xCAFE_F00D);
        assertThat(device.accesses).containsExactly("write 32/4=cafef00d");
    }

    @Test
    void deviceAccessesAreNeverServedFromTheTlb() {
        m.tlb.load32(DEVICE);
        m.tlb.load32(DEVICE);
        m.tlb.store32(DEVICE, 1);
        m.tlb.store32(DEVICE, 2);
        assertThat(device.accesses).hasSize(4);
    }

    // ---- TLB refill (4.3, 3.7) ----

    @Test
    void aTranslatedLoadCachesReadPermissionForThePage() {
        supervisorWithPaging();
        m.map(VA, PA, V | R | A | D);
        m.writePhysical(PA + 8, 42);
        assertThat(m.tlb.load64(VA + 8)).isEqualTo(42);
        assertThat(m.tlb.readTag[slot(VA)]).isEqualTo(VA);
    }

    @Test
    void aLoadFromAWritableCleanPageDoesNotCacheWritePermission() {
        supervisorWithPaging();
        m.map(VA, PA, V | R | W | A);
        m.tlb.load64(VA);
        assertThat(m.tlb.writeTag[slot(VA)]).isEqualTo(SoftTlb.INVALID);
    }

    @Test
    void theFirstStoreToACleanPageSetsDirtyThroughTheSlowPath() {
        supervisorWithPaging();
        long pte = m.map(VA, PA, V | R | W | A);
        m.tlb.load64(VA);
        m.tlb.store64(VA, 7);
        assertThat(m.readPhysical(pte) & D).isEqualTo(D);
        assertThat(m.readPhysical(PA)).isEqualTo(7);
        assertThat(m.tlb.writeTag[slot(VA)]).isEqualTo(VA);
    }

    @Test
    void aStoreToAReadOnlyPageIsAStorePageFaultAndWritesNothing() {
        supervisorWithPaging();
        m.map(VA, PA, V | R | A | D);
        m.writePhysical(PA, 5);
        m.tlb.load64(VA);
        m.tlb.store64(VA, 9);
        assertTrap(STORE_PAGE_FAULT, VA);
        assertThat(m.readPhysical(PA)).isEqualTo(5);
    }

    @Test
    void aFetchCachesExecutePermissionForThePage() {
        supervisorWithPaging();
        m.map(VA, PA, V | X | A);
        m.ram.set(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED, PA - RAM_BASE + 2, (short) 0x4501);
        assertThat(m.tlb.fetch16(VA + 2)).isEqualTo(0x4501);
        assertThat(m.tlb.execTag[slot(VA)]).isEqualTo(VA);
        assertThat(m.tlb.readTag[slot(VA)]).isEqualTo(SoftTlb.INVALID);
    }

    @Test
    void anAccessThatPmpDeniesIsAnAccessFaultAtTheVirtualAddress() {
        supervisorWithPaging();
        m.map(VA, PA, V | R | W | A | D);
        m.arch.pmp.writeAddress(0, (PA >>> 2) | ((0x1000 >>> 3) - 1));
        m.arch.pmp.writeConfig(0, 3 << 3); // NAPOT over the page, no permissions
        m.tlb.load64(VA + 0x10);
        assertTrap(LOAD_ACCESS_FAULT, VA + 0x10);
    }

    @Test
    void aPagePartlyProtectedByPmpStillFaultsInItsProtectedPartAfterAnAllowedAccess() {
        supervisorWithPaging();
        m.map(VA, PA, V | R | W | A | D);
        m.arch.pmp.writeAddress(0, (PA + 0x800) >>> 2);
        m.arch.pmp.writeConfig(0, 2 << 3); // NA4 at offset 0x800, no permissions
        m.tlb.load32(VA);
        assertThat(m.hart.trapPending).isFalse();
        m.tlb.load32(VA + 0x800);
        assertTrap(LOAD_ACCESS_FAULT, VA + 0x800);
    }

    // ---- misaligned accesses ----

    @Test
    void aMisalignedLoadWithinAPageReadsTheUnalignedBytes() {
        m.writePhysical(RAM_BASE + 0x200, 0x0706_0504_0302_0100L);
        m.writePhysical(RAM_BASE + 0x208, 0x0F0E_0D0C_0B0A_0908L);
        assertThat(m.tlb.load64(RAM_BASE + 0x203)).isEqualTo(0x0A09_0807_0605_0403L);
    }

    @Test
    void aPageCrossingLoadTakesEachPartFromItsOwnPhysicalPage() {
        supervisorWithPaging();
        m.map(VA, PA, V | R | A | D);
        m.map(VA + 0x1000, PA2, V | R | A | D);
        m.writePhysical(PA + 0xFF8, 0x4444_3333_2222_1111L);
        m.writePhysical(PA2, 0x8888_7777_6666_5555L);
        assertThat(m.tlb.load64(VA + 0xFFC)).isEqualTo(0x6666_5555_4444_3333L);
    }

    @Test
    void aPageCrossingStorePutsEachPartInItsOwnPhysicalPage() {
        supervisorWithPaging();
        m.map(VA, PA, V | R | W | A | D);
        m.map(VA + 0x1000, PA2, V | R | W | A | D);
        m.tlb.store32(VA + 0xFFE, 0xAABB_CCDD);
        assertThat(m.readPhysical(PA + 0xFF8) >>> 48).isEqualTo(0xCCDD);
        assertThat(m.readPhysical(PA2) & 0xFFFF).isEqualTo(0xAABB);
    }

    @Test
    void aPageCrossingStoreThatFaultsOnItsSecondPageLeavesTheFirstPageUnchanged() {
        supervisorWithPaging();
        m.map(VA, PA, V | R | W | A | D);
        m.map(VA + 0x1000, PA2, V | R | A | D);
        m.writePhysical(PA + 0xFF8, 0x1111_1111_1111_1111L);
        m.tlb.store64(VA + 0xFFC, -1L);
        assertThat(m.hart.trapPending).isTrue();
        assertThat(m.hart.trapCause).isEqualTo(STORE_PAGE_FAULT);
        assertThat(m.readPhysical(PA + 0xFF8)).isEqualTo(0x1111_1111_1111_1111L);
    }

    @Test
    void aPageCrossingStoreFaultReportsAnAddressInThePortionThatFaulted() {
        supervisorWithPaging();
        m.map(VA, PA, V | R | W | A | D);
        m.tlb.store64(VA + 0xFFC, -1L);
        assertThat(m.hart.trapCause).isEqualTo(STORE_PAGE_FAULT);
        assertThat(m.hart.trapValue).isBetween(VA + 0x1000, VA + 0x1003);
    }

    @Test
    void aPageCrossingLoadFaultReportsAnAddressInThePortionThatFaulted() {
        supervisorWithPaging();
        m.map(VA, PA, V | R | A | D);
        m.tlb.load64(VA + 0xFFC);
        assertThat(m.hart.trapCause).isEqualTo(LOAD_PAGE_FAULT);
        assertThat(m.hart.trapValue).isBetween(VA + 0x1000, VA + 0x1003);
    }

    // ---- atomics (A extension, "Atomic Memory Operations"; 3.6.3.3) ----

    @Test
    void aMisalignedAmoAddressIsAStoreAddressMisalignedException() {
        assertThat(m.tlb.atomicOffset(RAM_BASE + 0x104, 8)).isEqualTo(-1);
        assertTrap(STORE_MISALIGNED, RAM_BASE + 0x104);
    }

    @Test
    void anAlignedAmoAddressInRamResolvesToItsRamOffset() {
        assertThat(m.tlb.atomicOffset(RAM_BASE + 0x108, 8)).isEqualTo(0x108);
        assertThat(m.hart.trapPending).isFalse();
    }

    @Test
    void anAmoToADeviceIsAStoreAccessFault() {
        assertThat(m.tlb.atomicOffset(DEVICE + 8, 8)).isEqualTo(-1);
        assertTrap(STORE_ACCESS_FAULT, DEVICE + 8);
        assertThat(device.accesses).isEmpty();
    }

    @Test
    void anAmoToAReadOnlyPageIsAStorePageFault() {
        supervisorWithPaging();
        m.map(VA, PA, V | R | A | D);
        m.tlb.atomicOffset(VA + 8, 8);
        assertTrap(STORE_PAGE_FAULT, VA + 8);
    }

    @Test
    void loadReservedFromAReadOnlyPageLoadsWithoutSettingDirty() {
        supervisorWithPaging();
        long pte = m.map(VA, PA, V | R | A);
        m.writePhysical(PA + 8, 0x1234_5678L);
        int lrW = 0x1000202F | (10 << 15) | (11 << 7); // lr.w a1, (a0)
        long value = Atomics.amo(m.hart, Decoder.decode(lrW), VA + 8, 0);
        assertThat(m.hart.trapPending).isFalse();
        assertThat(value).isEqualTo(0x1234_5678L);
        assertThat(m.readPhysical(pte) & D).isZero();
    }
}
