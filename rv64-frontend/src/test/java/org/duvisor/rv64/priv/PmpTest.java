package org.duvisor.rv64.priv;

import static org.assertj.core.api.Assertions.assertThat;

import org.duvisor.rv64.hart.Privilege;
import org.junit.jupiter.api.Test;

/** Physical memory protection, Privileged ISA 3.7. */
class PmpTest {
    // pmpcfg fields (3.7.1, "PMP configuration register format")
    private static final int R = 1, W = 2, X = 4, TOR = 1 << 3, NA4 = 2 << 3, NAPOT = 3 << 3, L = 0x80;
    private static final int M = Privilege.MACHINE, S = Privilege.SUPERVISOR, U = Privilege.USER;

    private final Pmp pmp = new Pmp();

    /** Sets entry {@code i}'s configuration byte, leaving the other entries of its pmpcfg register as they are. */
    private void config(int i, int cfg) {
        int reg = i < 8 ? 0 : 2;
        int shift = 8 * (i % 8);
        long old = pmp.readConfig(reg);
        pmp.writeConfig(reg, (old & ~(0xFFL << shift)) | ((long) cfg << shift));
    }

    private int configOf(int i) {
        return (int) (pmp.readConfig(i < 8 ? 0 : 2) >>> (8 * (i % 8))) & 0xFF;
    }

    /** pmpaddr for a NAPOT region of {@code size} bytes (a power of two ≥ 8) at {@code base} (3.7.1.1, table "NAPOT range encoding"). */
    private static long napot(long base, long size) {
        return (base >>> 2) | ((size >>> 3) - 1);
    }

    // ---- no matching entry (3.7.1) ----

    @Test
    void machineModeAccessMatchingNoEntrySucceeds() {
        assertThat(pmp.allows(0x8000_0000L, 8, R | W | X, M)).isTrue();
    }

    @Test
    void supervisorAndUserAccessesMatchingNoEntryFail() {
        assertThat(pmp.allows(0x8000_0000L, 8, R, S)).isFalse();
        assertThat(pmp.allows(0x8000_0000L, 8, R, U)).isFalse();
    }

    @Test
    void anEntryWithAddressMatchingOffMatchesNothing() {
        pmp.writeAddress(0, -1L);
        config(0, R | W | X); // A = OFF
        assertThat(pmp.allows(0x8000_0000L, 4, R, S)).isFalse();
    }

    // ---- address matching (3.7.1.1) ----

    @Test
    void torEntryCoversFromThePreviousAddressUpToButNotIncludingItsOwn() {
        pmp.writeAddress(0, 0x1000 >>> 2);
        pmp.writeAddress(1, 0x2000 >>> 2);
        config(1, TOR | R);
        assertThat(pmp.allows(0x1000, 4, R, S)).isTrue();
        assertThat(pmp.allows(0x1FFC, 4, R, S)).isTrue();
        assertThat(pmp.allows(0x0FFC, 4, R, S)).isFalse();
        assertThat(pmp.allows(0x2000, 4, R, S)).isFalse();
    }

    @Test
    void torInEntryZeroStartsAtAddressZero() {
        pmp.writeAddress(0, 0x1000 >>> 2);
        config(0, TOR | R);
        assertThat(pmp.allows(0, 8, R, S)).isTrue();
        assertThat(pmp.allows(0xFF8, 8, R, S)).isTrue();
        assertThat(pmp.allows(0x1000, 8, R, S)).isFalse();
    }

    @Test
    void torEntryWhoseLowerBoundIsNotBelowItsUpperBoundMatchesNothing() {
        pmp.writeAddress(0, 0x2000 >>> 2);
        pmp.writeAddress(1, 0x1000 >>> 2);
        config(1, TOR | R);
        assertThat(pmp.allows(0x1000, 4, R, S)).isFalse();
        assertThat(pmp.allows(0x1800, 4, R, S)).isFalse();
        assertThat(pmp.allows(0x1800, 4, R, M)).isTrue();
    }

    @Test
    void na4EntryCoversExactlyFourBytes() {
        pmp.writeAddress(0, 0x8000_1000L >>> 2);
        config(0, NA4 | R);
        assertThat(pmp.allows(0x8000_1000L, 4, R, S)).isTrue();
        assertThat(pmp.allows(0x8000_1004L, 4, R, S)).isFalse();
        assertThat(pmp.allows(0x8000_0FFCL, 4, R, S)).isFalse();
    }

    @Test
    void napotEntryWithNoTrailingOneCoversEightBytes() {
        pmp.writeAddress(0, 0x8000_1000L >>> 2);
        config(0, NAPOT | R);
        assertThat(pmp.allows(0x8000_1000L, 8, R, S)).isTrue();
        assertThat(pmp.allows(0x8000_1008L, 1, R, S)).isFalse();
    }

    @Test
    void napotEntrySizeIsEightTimesTwoToTheNumberOfTrailingOnes() {
        pmp.writeAddress(0, napot(0x8001_0000L, 0x1_0000));
        config(0, NAPOT | R);
        assertThat(pmp.allows(0x8001_0000L, 8, R, S)).isTrue();
        assertThat(pmp.allows(0x8001_FFF8L, 8, R, S)).isTrue();
        assertThat(pmp.allows(0x8000_FFF8L, 8, R, S)).isFalse();
        assertThat(pmp.allows(0x8002_0000L, 8, R, S)).isFalse();
    }

    @Test
    void napotEntryWithAllAddressBitsSetCoversAllOfPhysicalMemory() {
        pmp.writeAddress(0, -1L);
        config(0, NAPOT | R);
        assertThat(pmp.allows(0, 8, R, S)).isTrue();
        assertThat(pmp.allows((1L << 56) - 8, 8, R, S)).isTrue();
    }

    // ---- permissions and priority (3.7.1.2) ----

    @Test
    void eachOfReadWriteAndExecuteIsGrantedOnlyByItsOwnBit() {
        pmp.writeAddress(0, napot(0x8000_0000L, 0x1000));
        config(0, NAPOT | X);
        assertThat(pmp.allows(0x8000_0000L, 4, X, S)).isTrue();
        assertThat(pmp.allows(0x8000_0000L, 4, R, S)).isFalse();
        assertThat(pmp.allows(0x8000_0000L, 4, W, U)).isFalse();
    }

    @Test
    void theLowestNumberedMatchingEntryDecides() {
        pmp.writeAddress(0, napot(0x8000_0000L, 0x1000));
        config(0, NAPOT | R);
        pmp.writeAddress(1, -1L);
        config(1, NAPOT | R | W | X);
        assertThat(pmp.allows(0x8000_0000L, 8, W, S)).isFalse();
        assertThat(pmp.allows(0x8000_1000L, 8, W, S)).isTrue();
    }

    @Test
    void anAccessOnlyPartlyInsideTheFirstMatchingEntryFailsEvenInMachineMode() {
        pmp.writeAddress(0, napot(0x8000_0000L, 0x1000));
        config(0, NAPOT | R | W | X);
        pmp.writeAddress(1, -1L);
        config(1, NAPOT | R | W | X);
        assertThat(pmp.allows(0x8000_0FFCL, 8, R, S)).isFalse();
        assertThat(pmp.allows(0x8000_0FFCL, 8, R, M)).isFalse();
    }

    @Test
    void machineModeIgnoresThePermissionsOfAnUnlockedEntry() {
        pmp.writeAddress(0, napot(0x8000_0000L, 0x1000));
        config(0, NAPOT); // no permissions
        assertThat(pmp.allows(0x8000_0000L, 8, R, M)).isTrue();
        assertThat(pmp.allows(0x8000_0000L, 8, W, M)).isTrue();
        assertThat(pmp.allows(0x8000_0000L, 8, X, M)).isTrue();
    }

    @Test
    void aLockedEntryBindsMachineModeToo() {
        pmp.writeAddress(0, napot(0x8000_0000L, 0x1000));
        config(0, L | NAPOT | R);
        assertThat(pmp.allows(0x8000_0000L, 8, R, M)).isTrue();
        assertThat(pmp.allows(0x8000_0000L, 8, W, M)).isFalse();
        assertThat(pmp.allows(0x8000_0000L, 8, X, M)).isFalse();
    }

    // ---- locking (3.7.1.3) ----

    @Test
    void writesToALockedEntrysConfigurationAreIgnored() {
        config(0, L | NA4 | R);
        config(0, NAPOT | R | W | X);
        assertThat(configOf(0)).isEqualTo(L | NA4 | R);
    }

    @Test
    void writesToALockedEntrysAddressAreIgnored() {
        pmp.writeAddress(0, 0x1234);
        config(0, L | NA4 | R);
        pmp.writeAddress(0, 0x5678);
        assertThat(pmp.readAddress(0)).isEqualTo(0x1234);
    }

    @Test
    void aLockedTorEntryAlsoLocksThePrecedingAddressRegister() {
        pmp.writeAddress(0, 0x1000);
        pmp.writeAddress(1, 0x2000);
        config(1, L | TOR | R);
        pmp.writeAddress(0, 0x1800);
        assertThat(pmp.readAddress(0)).isEqualTo(0x1000);
    }

    @Test
    void aLockedNonTorEntryLeavesThePrecedingAddressRegisterWritable() {
        pmp.writeAddress(1, 0x2000);
        config(1, L | NA4 | R);
        pmp.writeAddress(0, 0x1800);
        assertThat(pmp.readAddress(0)).isEqualTo(0x1800);
    }

    @Test
    void lockingOneEntryLeavesTheOthersInTheSameRegisterWritable() {
        config(0, L | NA4 | R);
        config(1, NA4 | W | R);
        assertThat(configOf(1)).isEqualTo(NA4 | W | R);
    }

    // ---- WARL fields (3.7.1) ----

    @Test
    void theReservedCombinationWriteWithoutReadIsNeverHeld() {
        config(0, NA4 | W);
        assertThat(configOf(0) & (R | W)).isNotEqualTo(W);
    }

    @Test
    void configurationBitsFiveAndSixReadAsZero() {
        config(0, 0x60 | NA4 | R);
        assertThat(configOf(0) & 0x60).isZero();
    }

    @Test
    void addressRegistersHoldPhysicalAddressBits55To2Only() {
        pmp.writeAddress(3, -1L);
        assertThat(pmp.readAddress(3)).isEqualTo((1L << 54) - 1);
    }

    // ---- whole-page permissions (used to cache translations) ----

    @Test
    void aPageInsideOneEntryHasThatEntrysPermissions() {
        pmp.writeAddress(0, napot(0x8000_0000L, 0x1_0000));
        config(0, NAPOT | R | X);
        assertThat(pmp.pagePermissions(0x8000_3000L, S)).isEqualTo(R | X);
    }

    @Test
    void aPageStraddlingAnEntryBoundaryHasNoSinglePermission() {
        pmp.writeAddress(0, 0x8000_1000L >>> 2);
        config(0, NA4 | R);
        pmp.writeAddress(1, -1L);
        config(1, NAPOT | R | W | X);
        assertThat(pmp.pagePermissions(0x8000_1000L, S)).isEqualTo(-1);
    }

    @Test
    void aPageMatchingNoEntryIsFullyAccessibleToMachineModeOnly() {
        assertThat(pmp.pagePermissions(0x8000_0000L, M)).isEqualTo(R | W | X);
        assertThat(pmp.pagePermissions(0x8000_0000L, S)).isZero();
    }

    @Test
    void aLockedEntrysPagePermissionsApplyToMachineMode() {
        pmp.writeAddress(0, napot(0x8000_0000L, 0x1000));
        config(0, L | NAPOT | R);
        assertThat(pmp.pagePermissions(0x8000_0000L, M)).isEqualTo(R);
    }
}
