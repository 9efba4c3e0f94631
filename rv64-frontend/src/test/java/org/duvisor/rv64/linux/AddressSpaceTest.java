package org.duvisor.rv64.linux;

import static org.assertj.core.api.Assertions.assertThat;

import org.duvisor.dbt.memory.SoftTlb;
import org.duvisor.rv64.hart.Cause;
import org.duvisor.rv64.hart.Hart;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AddressSpaceTest {
    private static final long P = AddressSpace.PAGE;
    private AddressSpace as;
    private Hart hart;
    private SoftTlb tlb;

    @BeforeEach
    void setUp() {
        as = new AddressSpace(64);
        tlb = as.tlb();
        hart = new Hart(0, tlb);
        as.attach(hart);
    }

    @AfterEach
    void tearDown() {
        as.close();
    }

    @Test
    void alignedAccessesRefillTheTlb() {
        as.map(0x10000, 2 * P, AddressSpace.R | AddressSpace.W);
        tlb.store64(0x10008, 0x1122334455667788L);
        assertThat(hart.trapPending).isFalse();
        assertThat(tlb.load64(0x10008)).isEqualTo(0x1122334455667788L);
        assertThat(tlb.writeTag[SoftTlb.index(0x10008, tlb.indexMask)]).isEqualTo(0x10000L);
        assertThat(tlb.load8(0x1000f)).isEqualTo((byte) 0x11);
    }

    @Test
    void misalignedAccessAcrossAPageBoundary() {
        as.map(0x10000, 2 * P, AddressSpace.R | AddressSpace.W);
        long a = 0x10000 + P - 3;
        tlb.store64(a, 0x0102030405060708L);
        assertThat(hart.trapPending).isFalse();
        assertThat(tlb.load64(a)).isEqualTo(0x0102030405060708L);
        assertThat(tlb.load32(a + 1)).isEqualTo(0x04050607);
        assertThat(tlb.load16(0x10000 + P - 1)).isEqualTo((short) 0x0506);
        assertThat(tlb.load8(0x10000 + P)).isEqualTo((byte) 0x05);
    }

    @Test
    void misalignedAccessIntoAnUnmappedPageFaultsWithoutWriting() {
        as.map(0x10000, P, AddressSpace.R | AddressSpace.W);
        long a = 0x10000 + P - 4;
        tlb.store64(a, -1L);
        assertThat(hart.trapPending).isTrue();
        assertThat(hart.trapCause).isEqualTo(Cause.STORE_PAGE_FAULT);
        assertThat(hart.trapValue).isEqualTo(0x10000 + P);
        hart.clearTrap();
        assertThat(tlb.load32(a)).isZero(); // nothing was written
        assertThat(hart.trapPending).isFalse();
    }

    @Test
    void permissionsFaultWithTheRightCause() {
        as.map(0x20000, P, AddressSpace.R);
        tlb.store32(0x20000, 1);
        assertThat(hart.trapCause).isEqualTo(Cause.STORE_PAGE_FAULT);
        assertThat(hart.trapValue).isEqualTo(0x20000);
        hart.clearTrap();
        tlb.fetch16(0x20000);
        assertThat(hart.trapCause).isEqualTo(Cause.INSTRUCTION_PAGE_FAULT);
        hart.clearTrap();
        long v = tlb.load64(0x30000);
        assertThat(v).isZero();
        assertThat(hart.trapCause).isEqualTo(Cause.LOAD_PAGE_FAULT);
        assertThat(hart.trapValue).isEqualTo(0x30000);
        hart.clearTrap();
        tlb.load8(AddressSpace.SIZE + 5);
        assertThat(hart.trapCause).isEqualTo(Cause.LOAD_PAGE_FAULT);
        assertThat(hart.trapValue).isEqualTo(AddressSpace.SIZE + 5);
        hart.clearTrap();
        tlb.load8(-8);
        assertThat(hart.trapCause).isEqualTo(Cause.LOAD_PAGE_FAULT);
    }

    @Test
    void atomicOffsets() {
        as.map(0x40000, P, AddressSpace.R | AddressSpace.W);
        assertThat(tlb.atomicOffset(0x40010, 8)).isEqualTo(0x40010);
        as.map(0x50000, P, AddressSpace.R);
        assertThat(tlb.atomicOffset(0x50010, 8)).isEqualTo(-1);
        assertThat(hart.trapCause).isEqualTo(Cause.STORE_PAGE_FAULT);
        hart.clearTrap();
        assertThat(as.atomicOffset(0x40004, 8)).isEqualTo(-1);
        assertThat(hart.trapCause).isEqualTo(Cause.STORE_MISALIGNED);
    }

    @Test
    void unmapDiscardsAndFlushes() {
        as.map(0x60000, 3 * P, AddressSpace.R | AddressSpace.W);
        tlb.store64(0x61000, 42);
        assertThat(tlb.load64(0x61000)).isEqualTo(42);
        as.unmap(0x61000, P);
        tlb.load64(0x61000);
        assertThat(hart.trapCause).isEqualTo(Cause.LOAD_PAGE_FAULT);
        hart.clearTrap();
        as.map(0x61000, P, AddressSpace.R);
        assertThat(tlb.load64(0x61000)).isZero();
        assertThat(as.isMapped(0x60000, 3 * P)).isTrue();
    }

    @Test
    void removingExecutePermissionFlushesCode() {
        int[] flushes = {0};
        as.onCodeChange(() -> flushes[0]++);
        as.map(0x70000, 2 * P, AddressSpace.R | AddressSpace.X);
        as.protect(0x70000, P, AddressSpace.R | AddressSpace.X);
        assertThat(flushes[0]).isZero();
        as.protect(0x70000, P, AddressSpace.R);
        assertThat(flushes[0]).isEqualTo(1);
        as.unmap(0x71000, P);
        assertThat(flushes[0]).isEqualTo(2);
        as.unmap(0x70000, P); // no longer executable
        assertThat(flushes[0]).isEqualTo(2);
    }

    @Test
    void brkGrowsAndShrinks() {
        as.initBrk(0x80123);
        assertThat(as.brk()).isEqualTo(0x81000);
        assertThat(as.brk(0x85800)).isEqualTo(0x85800);
        tlb.store8(0x85700, (byte) 1);
        assertThat(hart.trapPending).isFalse();
        assertThat(as.brk(0x82000)).isEqualTo(0x82000);
        assertThat(as.isFree(0x82000, 4 * P)).isTrue();
        assertThat(as.brk(0x1000)).isEqualTo(0x82000); // below the start: refused
        as.map(0x90000, P, AddressSpace.R);
        assertThat(as.brk(0x95000)).isEqualTo(0x82000); // would run into a mapping
    }

    /**
     * A direct-mapped TLB of 2^k entries indexes by page number modulo 2^k. The first mappings
     * (placed just below MMAP_TOP) must not share entries with the top of the stack, or a program
     * using both evicts one with the other on every access (spec-matmul did, 23,000 times a run).
     */
    @Test
    void firstMappingsAndStackTopUseDifferentTlbEntries() {
        long depth = 4L << 20; // the top 4 MiB of each
        for (int entries = 4096; entries <= 65536; entries *= 2) {
            int mask = entries - 1;
            java.util.Set<Integer> stack = new java.util.HashSet<>();
            for (long a = AddressSpace.STACK_TOP - depth; a < AddressSpace.STACK_TOP; a += P) stack.add(SoftTlb.index(a, mask));
            for (long a = AddressSpace.MMAP_TOP - depth; a < AddressSpace.MMAP_TOP; a += P) {
                assertThat(stack).as("%d-entry TLB, mmap page %#x", entries, a).doesNotContain(SoftTlb.index(a, mask));
            }
        }
    }

    @Test
    void mappingsArePlacedTopDown() {
        long a = as.findFree(4 * P);
        assertThat(a).isEqualTo(AddressSpace.MMAP_TOP - 4 * P);
        as.map(a, 4 * P, AddressSpace.R);
        long b = as.findFree(P);
        assertThat(b).isEqualTo(a - P);
        as.map(b, P, AddressSpace.R);
        as.unmap(a + P, P);
        assertThat(as.findFree(P)).isEqualTo(a + P); // the hole, highest first
        assertThat(as.findFree(2 * P)).isEqualTo(b - 2 * P);
    }

    @Test
    void pageRanges() {
        PageRanges r = new PageRanges();
        r.add(0x1000, 0x3000);
        r.add(0x3000, 0x5000);
        r.add(0x8000, 0x9000);
        assertThat(r.toString()).isEqualTo("[0x1000, 0x5000) [0x8000, 0x9000)");
        r.remove(0x2000, 0x2800);
        assertThat(r.toString()).isEqualTo("[0x1000, 0x2000) [0x2800, 0x5000) [0x8000, 0x9000)");
        assertThat(r.covers(0x2800, 0x5000)).isTrue();
        assertThat(r.covers(0x1000, 0x3000)).isFalse();
        assertThat(r.isFree(0x5000, 0x8000)).isTrue();
        assertThat(r.isFree(0x4000, 0x8000)).isFalse();
        r.remove(0, 0x10000);
        assertThat(r.toString()).isEmpty();
    }

    // ---- direct windows ----

    @Test
    void aDirectWindowIsTheRunOfPagesNoAccessOfItsKindCanFaultOn() {
        as.map(0x10000, 4 * P, AddressSpace.R | AddressSpace.W);
        as.map(0x14000, P, AddressSpace.R);
        as.map(0x15000, 2 * P, AddressSpace.R | AddressSpace.W);
        assertThat(as.directWindow(0x11008, true)).containsExactly(0x10000, 0x14000);
        assertThat(as.directWindow(0x11008, false)).containsExactly(0x10000, 0x17000); // read-only pages join loads'
        assertThat(as.directWindow(0x14000, true)).isNull();
        assertThat(as.directWindow(0x15000, true)).containsExactly(0x15000, 0x17000);
        assertThat(as.directWindow(0x17000, false)).isNull(); // unmapped
        assertThat(as.directWindow(AddressSpace.SIZE + 0x1000, false)).isNull();
    }

    @Test
    void storeWindowsLeaveOutExecutablePagesAndPagesHoldingTranslatedCode() {
        as.map(0x10000, 6 * P, AddressSpace.R | AddressSpace.W);
        as.protect(0x12000, P, AddressSpace.R | AddressSpace.W | AddressSpace.X);
        tlb.markCodePage(0x14000 >>> SoftTlb.PAGE_SHIFT);
        assertThat(as.directWindow(0x10000, true)).containsExactly(0x10000, 0x12000);
        assertThat(as.directWindow(0x13000, true)).containsExactly(0x13000, 0x14000);
        assertThat(as.directWindow(0x15000, true)).containsExactly(0x15000, 0x16000);
        assertThat(as.directWindow(0x10000, false)).containsExactly(0x10000, 0x16000);
    }

    @Test
    void aWindowGrowsWithItsRunForLaterTranslations() {
        as.initBrk(0x40000);
        as.brk(0x40000 + 2 * P);
        assertThat(as.directWindow(0x40000, true)).containsExactly(0x40000, 0x42000);
        as.brk(0x40000 + 8 * P);
        assertThat(as.directWindow(0x40000, true)).containsExactly(0x40000, 0x48000);
    }

    @Test
    void onlyAChangeThatBreaksAHandedOutWindowRevokesThemAll() {
        int[] revoked = {0};
        as.onWindowRevoked(() -> revoked[0]++);
        as.map(0x10000, 8 * P, AddressSpace.R | AddressSpace.W);
        as.protect(0x11000, P, AddressSpace.R); // no window handed out yet
        assertThat(revoked[0]).isZero();
        assertThat(as.directWindow(0x12000, true)).containsExactly(0x12000, 0x18000);
        as.map(0x30000, P, AddressSpace.R | AddressSpace.W); // elsewhere
        as.protect(0x13000, P, AddressSpace.R | AddressSpace.W); // still fits
        as.protect(0x11000, P, AddressSpace.R | AddressSpace.W); // outside the window
        assertThat(revoked[0]).isZero();
        as.protect(0x13000, P, AddressSpace.R);
        assertThat(revoked[0]).isEqualTo(1);
        assertThat(as.windowRevocations()).isEqualTo(1);
        as.protect(0x16000, P, AddressSpace.R); // no window handed out since
        assertThat(revoked[0]).isEqualTo(1);
        assertThat(as.directWindow(0x10000, false)).containsExactly(0x10000, 0x18000);
        as.protect(0x17000, P, AddressSpace.R | AddressSpace.W); // still readable
        assertThat(revoked[0]).isEqualTo(1);
        as.unmap(0x17000, P);
        assertThat(revoked[0]).isEqualTo(2);
    }

    @Test
    void afterRepeatedRevocationsNoWindowIsHandedOut() {
        as.map(0x10000, 2 * P, AddressSpace.R | AddressSpace.W);
        for (int k = 0; k < AddressSpace.MAX_REVOCATIONS; k++) {
            assertThat(as.directWindow(0x10000, true)).isNotNull();
            as.unmap(0x11000, P);
            as.map(0x11000, P, AddressSpace.R | AddressSpace.W);
        }
        assertThat(as.windowRevocations()).isEqualTo(AddressSpace.MAX_REVOCATIONS);
        assertThat(as.directWindow(0x10000, true)).isNull();
        assertThat(as.directWindow(0x10000, false)).isNull();
    }

    @Test
    void theTlbHandsOutNoWindowWhileEveryStoreMustBeSlow() {
        as.map(0x10000, P, AddressSpace.R | AddressSpace.W);
        assertThat(tlb.directWindow(0x10000, false)).containsExactly(0x10000, 0x11000);
        tlb.setStoresAlwaysSlow(true);
        assertThat(tlb.directWindow(0x10000, false)).isNull();
        assertThat(tlb.directWindow(0x10000, true)).isNull();
    }
}
