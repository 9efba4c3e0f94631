package org.duvisor.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.duvisor.machine.MachineConfig;
import org.duvisor.rv64.dbt.DbtEngine;
import org.duvisor.rv64.exec.Interpreter;
import org.duvisor.rv64.hart.Cause;
import org.duvisor.vm.VirtualMachine.InterruptConfig;
import org.duvisor.vm.VirtualMachine.Plane;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The two interrupt configurations (kvm-plane.md; {@link InterruptConfig}): every microbenchmark
 * guest finishes on both planes in both, with one and two vCPUs, and the ledgers show which path
 * each interrupt took — on the kernel plane vanilla exits for timers, IPIs and claim/complete, opt
 * exits for none of them; on DuVisor the exit-less vIPI removes the USI exit.
 */
class InterruptConfigTest {
    /** Interrupt exits by mip bit: the host IPI (SSI), the host timer (STI), DuVisor's vIPI (USI). */
    private static final int SSI = 1, STI = 5, USI = 0;

    @BeforeAll
    static void build() {
        DuvisorPlaneTest.build();
    }

    static GuestRun run(Plane plane, InterruptConfig interrupts, String guest, int vcpus) throws Exception {
        return GuestRun.of(DuvisorPlaneTest.guests.resolve(guest + ".elf"), VirtualMachine.Config.of(plane, 128L << 20, vcpus).withInterrupts(interrupts),
                h -> new DbtEngine(h, new Interpreter(h), 2), new PrintStream(System.err, true));
    }

    private record Guest(String name, String line, int minVcpus) {
    }

    private static final List<Guest> GUESTS = List.of(new Guest("mb-hypercall", "DV-MB null-hypercall 1000000", 1),
            new Guest("mb-gstage", "DV-MB gstage-fault 16384", 1), new Guest("mb-mmio", "DV-MB mmio 1000000", 1),
            new Guest("mb-vipi", "DV-MB vipi 100000", 2), new Guest("mb-vext", "DV-MB vext 100000", 1),
            new Guest("mb-timer", "DV-MB timer 10000", 1));

    static Stream<Arguments> everyGuestPlaneConfigurationAndVcpuCount() {
        List<Arguments> out = new ArrayList<>();
        for (Guest g : GUESTS) {
            for (Plane p : Plane.values()) {
                for (InterruptConfig c : InterruptConfig.values()) {
                    for (int n = g.minVcpus(); n <= 2; n++) out.add(Arguments.of(g.name(), g.line(), p, c, n));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} on {2} {3}, {4} vCPU(s)")
    @MethodSource("everyGuestPlaneConfigurationAndVcpuCount")
    void everyMicrobenchmarkFinishesWithItsCount(String guest, String line, Plane plane, InterruptConfig interrupts, int vcpus) throws Exception {
        GuestRun r = run(plane, interrupts, guest, vcpus);
        assertThat(r.console()).contains(line);
        assertThat(r.exitCode()).isZero();
        for (VirtualCpu v : r.vm().vcpus()) {
            ExitLedger l = v.ledger();
            if (interrupts == InterruptConfig.OPT) {
                assertThat(l.interrupts[SSI] + l.interrupts[STI] + l.interrupts[USI]).as("opt: no interrupt exits").isZero();
            }
            if (plane == Plane.DUVISOR) assertThat(l.hostKernelEntries).isZero();
        }
    }

    // ---- virtual IPI

    @Test
    void vanillaIpisAreSbiExitsAndHostIpiExitsOnTheKernelPlane() throws Exception {
        GuestRun r = run(Plane.KVM, InterruptConfig.VANILLA, "mb-vipi", 2);
        assertThat(r.ledger(0).exceptions[Cause.ECALL_FROM_VS]).isGreaterThanOrEqualTo(100_000);
        // The target leaves the guest for each IPI: the host IPI, flushed into hvip on re-entry (a
        // host IPI racing the re-entry may cost it one more exit).
        ExitLedger target = r.ledger(1);
        assertThat(target.interrupts[SSI]).isGreaterThanOrEqualTo(100_000);
        assertThat(target.exits()).isEqualTo(target.interrupts[SSI] + target.gstageMappings);
        assertThat(r.control().runtimeEntries.get()).isGreaterThanOrEqualTo(200_000);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Plane.class)
    void exitlessIpisCostNeitherVcpuAnExit(Plane plane) throws Exception {
        GuestRun r = run(plane, InterruptConfig.OPT, "mb-vipi", 2);
        assertThat(r.console()).contains("DV-MB vipi 100000");
        // The sender posts in the bitmap from VS; left are its start-up and console SBI calls.
        assertThat(r.ledger(0).exceptions[Cause.ECALL_FROM_VS]).isLessThan(100);
        // The target takes VSSIP in the guest: its only exits map its first pages.
        ExitLedger target = r.ledger(1);
        assertThat(target.exits()).isEqualTo(target.gstageMappings);
        assertThat(r.control().runtimeEntries.get()).isLessThan(100);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(InterruptConfig.class)
    void duvisorIpisNeverEnterTheHostKernel(InterruptConfig interrupts) throws Exception {
        GuestRun r = run(Plane.DUVISOR, interrupts, "mb-vipi", 2);
        // Vanilla: one USI exit per IPI on the target (dv-ext.md §6); exit-less: none.
        assertThat(r.ledger(1).interrupts[USI]).isEqualTo(interrupts == InterruptConfig.VANILLA ? 100_000 : 0);
        assertThat(r.control().runtimeEntries.get()).isZero();
    }

    // ---- virtual external interrupt

    static Stream<Arguments> configurationsAndVcpus() {
        return Stream.of(Arguments.of(InterruptConfig.VANILLA, 1), Arguments.of(InterruptConfig.VANILLA, 2),
                Arguments.of(InterruptConfig.OPT, 1), Arguments.of(InterruptConfig.OPT, 2));
    }

    @ParameterizedTest(name = "{0}, {1} vCPU(s)")
    @MethodSource("configurationsAndVcpus")
    void kernelPlaneDeviceInterruptsExitForClaimAndCompleteOnlyInVanilla(InterruptConfig interrupts, int vcpus) throws Exception {
        GuestRun r = run(Plane.KVM, interrupts, "mb-vext", vcpus);
        ExitLedger l = r.ledger(0);
        if (interrupts == InterruptConfig.VANILLA) {
            // The doorbell, the claim and the completion: three MMIO exits to the VMM per interrupt.
            assertThat(l.mmioAccesses).isGreaterThanOrEqualTo(300_000);
        } else {
            // Only the doorbell exits; the vPLIC delivers, and claim/complete hit the mapped VS context page.
            assertThat(l.mmioAccesses).isBetween(100_000L, 100_010L);
            assertThat(l.exits()).isLessThan(100_100);
        }
    }

    @ParameterizedTest(name = "{0} vCPU(s)")
    @ValueSource(ints = {1, 2})
    void theVirtioDriverRunsOnTheKernelPlaneWithTheVirtualPlic(int vcpus, @TempDir Path dir) throws Exception {
        VirtualMachine.Config config = VirtualMachine.Config.of(Plane.KVM, 128L << 20, vcpus).withInterrupts(InterruptConfig.OPT)
                .withDisks(List.of(new MachineConfig.Disk(VirtioGuestTest.disk(dir), false)));
        GuestRun r = GuestRun.of(DuvisorPlaneTest.guests.resolve("vio-blk.elf"), config, h -> new DbtEngine(h, new Interpreter(h), 2),
                new PrintStream(System.err, true));
        assertThat(r.console()).contains("vio-blk: all checks passed");
        assertThat(r.exitCode()).isZero();
        // Its device interrupts came through the host vPLIC: each kernel entry is an exit or a KVM_RUN,
        // none a KVM_INTERRUPT from the VMM's PLIC model.
        for (VirtualCpu v : r.vm().vcpus()) {
            ExitLedger l = v.ledger();
            if (l.exits() > 0) assertThat(l.hostKernelEntries).isEqualTo(l.exits() + l.kernelToUser + 1);
        }
    }

    // ---- timer

    @ParameterizedTest(name = "{0}, {1} vCPU(s)")
    @MethodSource("configurationsAndVcpus")
    void kernelPlaneTimerInterruptsExitOnlyInVanilla(InterruptConfig interrupts, int vcpus) throws Exception {
        GuestRun r = run(Plane.KVM, interrupts, "mb-timer", vcpus);
        // Vanilla: each expiry of the host timer exits, and the kernel injects VSTIP; opt: the virtual timer, no exit.
        assertThat(r.ledger(0).interrupts[STI]).isEqualTo(interrupts == InterruptConfig.VANILLA ? 10_000 : 0);
        // Both: set_timer and its withdrawal in the handler are SBI calls.
        assertThat(r.ledger(0).exceptions[Cause.ECALL_FROM_VS]).isGreaterThanOrEqualTo(20_000);
    }
}
