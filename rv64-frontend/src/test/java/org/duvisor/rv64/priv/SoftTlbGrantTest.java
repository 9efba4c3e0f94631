package org.duvisor.rv64.priv;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.duvisor.dbt.memory.MemorySlowPath;
import org.duvisor.dbt.memory.SoftTlb;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link SoftTlb#grant}: the refill the system memory uses, adding permissions to an entry that maps
 * the same page to the same RAM, and replacing an entry for another page or mapping.
 */
class SoftTlbGrantTest {
    private static final long PAGE = 0x4000_3000L, OTHER_PAGE_SAME_SLOT = PAGE + 16 * SoftTlb.PAGE_SIZE;

    private final Arena arena = Arena.ofConfined();
    private final MemorySegment ram = arena.allocate(64 * SoftTlb.PAGE_SIZE, 4096);
    private final SoftTlb tlb = new SoftTlb(16, ram);
    private int slowAccesses;
    private final int i = SoftTlb.index(PAGE, tlb.indexMask);

    SoftTlbGrantTest() {
        tlb.setSlowPath(new MemorySlowPath() {
            @Override
            public long load(long address, int size) {
                slowAccesses++;
                return 0;
            }

            @Override
            public void store(long address, long value, int size) {
                slowAccesses++;
            }

            @Override
            public int fetch16(long address) {
                slowAccesses++;
                return 0;
            }

            @Override
            public long atomicOffset(long address, int size) {
                slowAccesses++;
                return -1;
            }
        });
    }

    @AfterEach
    void close() {
        arena.close();
    }

    @Test
    void grantingIntoAnEmptyEntryAllowsOnlyWhatWasGranted() {
        tlb.grant(PAGE, 5 * SoftTlb.PAGE_SIZE, true, false, false, SoftTlb.PAGE_SIZE);
        assertThat(tlb.readTag[i]).isEqualTo(PAGE);
        assertThat(tlb.writeTag[i]).isEqualTo(SoftTlb.INVALID);
        assertThat(tlb.execTag[i]).isEqualTo(SoftTlb.INVALID);
    }

    @Test
    void aGrantedPageIsServedByTheFastPathFromItsRamOffset() {
        ram.set(SoftTlb.LONG, 5 * SoftTlb.PAGE_SIZE + 0x18, 0x1234_5678_9ABC_DEF0L);
        tlb.grant(PAGE, 5 * SoftTlb.PAGE_SIZE, true, false, false, SoftTlb.PAGE_SIZE);
        assertThat(tlb.load64(PAGE + 0x18)).isEqualTo(0x1234_5678_9ABC_DEF0L);
        assertThat(slowAccesses).isZero();
    }

    @Test
    void grantingForTheSameMappingKeepsThePermissionsAlreadyHeld() {
        tlb.grant(PAGE, 5 * SoftTlb.PAGE_SIZE, true, false, false, SoftTlb.PAGE_SIZE);
        tlb.grant(PAGE, 5 * SoftTlb.PAGE_SIZE, false, false, true, SoftTlb.PAGE_SIZE);
        tlb.grant(PAGE, 5 * SoftTlb.PAGE_SIZE, false, true, false, SoftTlb.PAGE_SIZE);
        assertThat(tlb.readTag[i]).isEqualTo(PAGE);
        assertThat(tlb.execTag[i]).isEqualTo(PAGE);
        assertThat(tlb.writeTag[i]).isEqualTo(PAGE);
    }

    @Test
    void anEntryHoldingOnlyWritePermissionIsRecognisedAsTheSameMapping() {
        tlb.grant(PAGE, 5 * SoftTlb.PAGE_SIZE, false, true, false, SoftTlb.PAGE_SIZE);
        tlb.grant(PAGE, 5 * SoftTlb.PAGE_SIZE, true, false, false, SoftTlb.PAGE_SIZE);
        assertThat(tlb.writeTag[i]).isEqualTo(PAGE);
        assertThat(tlb.readTag[i]).isEqualTo(PAGE);
    }

    @Test
    void grantingAnotherPageThatSharesTheSlotDropsTheOldPagesPermissions() {
        tlb.grant(PAGE, 5 * SoftTlb.PAGE_SIZE, true, true, true, SoftTlb.PAGE_SIZE);
        tlb.grant(OTHER_PAGE_SAME_SLOT, 6 * SoftTlb.PAGE_SIZE, false, false, true, SoftTlb.PAGE_SIZE);
        assertThat(tlb.readTag[i]).isEqualTo(SoftTlb.INVALID);
        assertThat(tlb.writeTag[i]).isEqualTo(SoftTlb.INVALID);
        assertThat(tlb.execTag[i]).isEqualTo(OTHER_PAGE_SAME_SLOT);
        tlb.load64(PAGE);
        assertThat(slowAccesses).isEqualTo(1);
    }

    @Test
    void grantingTheSamePageMappedToOtherRamDropsTheOldMappingsPermissions() {
        tlb.grant(PAGE, 5 * SoftTlb.PAGE_SIZE, true, true, false, SoftTlb.PAGE_SIZE);
        tlb.grant(PAGE, 7 * SoftTlb.PAGE_SIZE, false, false, true, SoftTlb.PAGE_SIZE);
        assertThat(tlb.readTag[i]).isEqualTo(SoftTlb.INVALID);
        assertThat(tlb.writeTag[i]).isEqualTo(SoftTlb.INVALID);
        assertThat(tlb.execRamOffset(PAGE + 4)).isEqualTo(7 * SoftTlb.PAGE_SIZE + 4);
    }

    @Test
    void writePermissionOnAPageHoldingTranslatedCodeStillSendsStoresToTheSlowPath() {
        tlb.markCodePage(5);
        tlb.grant(PAGE, 5 * SoftTlb.PAGE_SIZE, true, true, false, SoftTlb.PAGE_SIZE);
        tlb.store64(PAGE + 8, 1);
        assertThat(slowAccesses).isEqualTo(1);
        assertThat(ram.get(SoftTlb.LONG, 5 * SoftTlb.PAGE_SIZE + 8)).isZero();
    }

    @Test
    void writePermissionIsNotCachedWhileStoresMustAlwaysBeSlow() {
        tlb.setStoresAlwaysSlow(true);
        tlb.grant(PAGE, 5 * SoftTlb.PAGE_SIZE, true, true, false, SoftTlb.PAGE_SIZE);
        assertThat(tlb.writeTag[i]).isEqualTo(SoftTlb.INVALID);
    }

    @Test
    void aGrantedPageIsGoneAfterAFlush() {
        tlb.grant(PAGE, 5 * SoftTlb.PAGE_SIZE, true, true, true, SoftTlb.PAGE_SIZE);
        tlb.flush();
        tlb.load8(PAGE);
        tlb.store8(PAGE, (byte) 1);
        tlb.fetch16(PAGE);
        assertThat(slowAccesses).isEqualTo(3);
    }
}
