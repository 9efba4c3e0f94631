package org.duvisor.vm;

import static org.assertj.core.api.Assertions.assertThat;

import org.duvisor.rv64.hart.Cause;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The KVM baseline plane runs the same guests to the same results, and its ledger shows the
 * conventional path: every exit enters the host kernel, and each MMIO exit also makes a round trip
 * to the user-space VMM (one more kernel entry when the VMM calls KVM_RUN again).
 */
class KvmPlaneTest {
    @BeforeAll
    static void build() {
        DuvisorPlaneTest.build();
    }

    /** The guest's FP unit: on in the guest's sstatus at reset (as KVM does) and in effect with vsstatus.FS. */
    @ParameterizedTest(name = "translated={0}")
    @ValueSource(booleans = {false, true})
    void helloGuestUsesItsFpUnitAndPowersOff(boolean translate) throws Exception {
        GuestRun r = DuvisorPlaneTest.run(VirtualMachine.Plane.KVM, "hello", translate);
        assertThat(r.console()).contains("memory check ok").contains("fp check ok");
        assertThat(r.exitCode()).isZero();
    }

    @ParameterizedTest(name = "translated={0}")
    @ValueSource(booleans = {false, true})
    void nullHypercallsEnterTheKernelOncePerExit(boolean translate) throws Exception {
        GuestRun r = DuvisorPlaneTest.run(VirtualMachine.Plane.KVM, "mb-hypercall", translate);
        assertThat(r.console()).contains("DV-MB null-hypercall 1000000");
        assertThat(r.exitCode()).isZero();
        ExitLedger l = r.ledger(0);
        assertThat(l.exceptions[Cause.ECALL_FROM_VS]).isGreaterThanOrEqualTo(1_000_000);
        // One entry per exit plus the VMM's first KVM_RUN.
        assertThat(l.hostKernelEntries).isEqualTo(l.exits() + 1);
    }

    @ParameterizedTest(name = "translated={0}")
    @ValueSource(booleans = {false, true})
    void mmioGoesThroughTheUserSpaceVmm(boolean translate) throws Exception {
        GuestRun r = DuvisorPlaneTest.run(VirtualMachine.Plane.KVM, "mb-mmio", translate);
        assertThat(r.console()).contains("DV-MB mmio 1000000");
        ExitLedger l = r.ledger(0);
        assertThat(l.mmioAccesses).isEqualTo(1_000_000);
        // Each MMIO exit: the trap into the kernel, then KVM_RUN from the VMM after emulation.
        assertThat(l.hostKernelEntries).isEqualTo(l.exits() + l.mmioAccesses + 1);
    }

    @ParameterizedTest(name = "translated={0}")
    @ValueSource(booleans = {false, true})
    void virtualIpisAreDeliveredByTheKernel(boolean translate) throws Exception {
        GuestRun r = DuvisorPlaneTest.run(VirtualMachine.Plane.KVM, "mb-vipi", translate, 2);
        assertThat(r.console()).contains("DV-MB vipi 100000");
        assertThat(r.control().runtimeEntries.get()).isGreaterThanOrEqualTo(100_000);
    }

    @ParameterizedTest(name = "translated={0}")
    @ValueSource(booleans = {false, true})
    void deviceInterruptsTakeTheDoorbellClaimAndCompleteExits(boolean translate) throws Exception {
        GuestRun r = DuvisorPlaneTest.run(VirtualMachine.Plane.KVM, "mb-vext", translate, 1);
        assertThat(r.console()).contains("DV-MB vext 100000");
        // Vanilla: the doorbell, the claim and the completion are each an MMIO exit to the VMM.
        assertThat(r.ledger(0).mmioAccesses).isGreaterThanOrEqualTo(300_000);
    }

    @ParameterizedTest(name = "translated={0}")
    @ValueSource(booleans = {false, true})
    void gstageFaultsAreHandledInTheKernel(boolean translate) throws Exception {
        GuestRun r = DuvisorPlaneTest.run(VirtualMachine.Plane.KVM, "mb-gstage", translate);
        assertThat(r.console()).contains("DV-MB gstage-fault 16384");
        assertThat(r.ledger(0).gstageMappings).isBetween(16384L, 16384L + 16);
    }
}
