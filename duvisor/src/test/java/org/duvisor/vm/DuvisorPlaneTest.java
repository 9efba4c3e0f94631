package org.duvisor.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import org.duvisor.rv64.dbt.DbtEngine;
import org.duvisor.rv64.exec.ExecutionEngine;
import org.duvisor.rv64.exec.Interpreter;
import org.duvisor.rv64.hart.Cause;
import org.duvisor.rv64.hart.Hart;
import org.duvisor.workloads.WorkloadCatalogue;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * DuVisor runs the VM-plane guests (workloads/guests) to completion: each microbenchmark guest
 * reports its own iteration count, every exit is dispatched to the right handler, and the host
 * kernel is never entered while the VM runs (the control plane only at set-up).
 */
class DuvisorPlaneTest {
    static Path guests;

    @BeforeAll
    static void build() {
        WorkloadCatalogue c = WorkloadCatalogue.load(WorkloadCatalogue.findProjectRoot());
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/riscv64-unknown-elf-gcc")), "riscv64-unknown-elf-gcc not installed (./dv test installs it)");
        guests = c.workloadsDir().resolve("guests");
        c.build("guests"); // make: only what changed
    }

    private static GuestRun run(String guest, boolean translate) throws Exception {
        return run(VirtualMachine.Plane.DUVISOR, guest, translate);
    }

    static GuestRun run(VirtualMachine.Plane plane, String guest, boolean translate) throws Exception {
        return run(plane, guest, translate, 1);
    }

    static GuestRun run(VirtualMachine.Plane plane, String guest, boolean translate, int vcpus) throws Exception {
        Function<Hart, ExecutionEngine> engine = translate ? h -> new DbtEngine(h, new Interpreter(h), 2) : Interpreter::new;
        return GuestRun.of(guests.resolve(guest + ".elf"), plane, vcpus, 128L << 20, engine, new PrintStream(System.err, true));
    }

    @ParameterizedTest(name = "translated={0}")
    @ValueSource(booleans = {false, true})
    void nullHypercallsAreSbiExitsAnsweredInUserMode(boolean translate) throws Exception {
        GuestRun r = run("mb-hypercall", translate);
        assertThat(r.console()).contains("DV-MB null-hypercall 1000000");
        assertThat(r.exitCode()).isZero();
        assertThat(r.ledger(0).exceptions[Cause.ECALL_FROM_VS]).isGreaterThanOrEqualTo(1_000_000);
        assertThat(r.ledger(0).hostKernelEntries).isZero();
        assertThat(r.control().runtimeEntries.get()).isZero();
    }

    @ParameterizedTest(name = "translated={0}")
    @ValueSource(booleans = {false, true})
    void firstTouchOfEachPageIsOneGuestPageFaultMappedLazily(boolean translate) throws Exception {
        GuestRun r = run("mb-gstage", translate);
        assertThat(r.console()).contains("DV-MB gstage-fault 16384");
        // 16384 data pages, plus the pages of code, stack and the .data the guest touches.
        assertThat(r.ledger(0).gstageMappings).isBetween(16384L, 16384L + 16);
        assertThat(r.ledger(0).exceptions[Cause.STORE_GUEST_PAGE_FAULT]).isGreaterThanOrEqualTo(16384);
        assertThat(r.control().runtimeEntries.get()).isZero();
    }

    @ParameterizedTest(name = "translated={0}")
    @ValueSource(booleans = {false, true})
    void uartReadsAreMmioExitsEmulatedFromHutinst(boolean translate) throws Exception {
        GuestRun r = run("mb-mmio", translate);
        // Every read of LSR sees THRE set (the UART transmits at once): the guest counts 1000000.
        assertThat(r.console()).contains("DV-MB mmio 1000000");
        assertThat(r.ledger(0).mmioAccesses).isEqualTo(1_000_000);
        assertThat(r.ledger(0).exceptions[Cause.LOAD_GUEST_PAGE_FAULT]).isEqualTo(1_000_000);
        assertThat(r.control().runtimeEntries.get()).isZero();
    }

    @ParameterizedTest(name = "translated={0}")
    @ValueSource(booleans = {false, true})
    void virtualIpisGoThroughTheBitmapWithoutTheHostKernel(boolean translate) throws Exception {
        GuestRun r = run(VirtualMachine.Plane.DUVISOR, "mb-vipi", translate, 2);
        assertThat(r.console()).contains("DV-MB vipi 100000");
        ExitLedger target = r.vm().vcpus().get(1).ledger();
        // Each IPI reaches vCPU 1 as a USI exit to its own DuVisor thread (dv-ext.md §6).
        assertThat(target.interrupts[0]).isEqualTo(100_000);
        assertThat(r.control().runtimeEntries.get()).isZero();
    }

    @ParameterizedTest(name = "translated={0}")
    @ValueSource(booleans = {false, true})
    void deviceInterruptsReachTheGuestThroughTheVirtualPlicWithoutExits(boolean translate) throws Exception {
        GuestRun r = run(VirtualMachine.Plane.DUVISOR, "mb-vext", translate, 1);
        assertThat(r.console()).contains("DV-MB vext 100000");
        ExitLedger l = r.ledger(0);
        // One exit per doorbell write; the interrupt, the claim and the completion cost none (dv-ext.md §7).
        assertThat(l.mmioAccesses).isBetween(100_000L, 100_010L);
        assertThat(l.exits()).isLessThan(100_100);
        assertThat(r.control().runtimeEntries.get()).isZero();
    }

    @ParameterizedTest(name = "translated={0}")
    @ValueSource(booleans = {false, true})
    void helloGuestPrintsChecksItsMemoryAndPowersOff(boolean translate) throws Exception {
        GuestRun r = run("hello", translate);
        // "fp check ok": with vsstatus.FS on, the guest's FP works because the control plane keeps sstatus.FS on.
        assertThat(r.console()).contains("hello from a VM-plane guest").contains("memory check ok").contains("fp check ok");
        assertThat(r.exitCode()).isZero();
        assertThat(r.ledger(0).guestToHypervisor).isEqualTo(r.ledger(0).hypervisorToGuest);
    }
}
