package org.duvisor.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import org.duvisor.machine.KernelImage;
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
        if (!Files.isRegularFile(guests.resolve("mb-mmio.elf"))) c.build("guests");
    }

    record Run(int exit, String console, VirtualMachine vm, ControlPlane control) {
        ExitLedger ledger() {
            return vm.vcpus().getFirst().ledger();
        }
    }

    private static Run run(String guest, boolean translate) throws Exception {
        return run(VirtualMachine.Plane.DUVISOR, guest, translate);
    }

    static Run run(VirtualMachine.Plane plane, String guest, boolean translate) throws Exception {
        return run(plane, guest, translate, 1);
    }

    static Run run(VirtualMachine.Plane plane, String guest, boolean translate, int vcpus) throws Exception {
        Function<Hart, ExecutionEngine> engine = translate ? h -> new DbtEngine(h, new Interpreter(h), 2) : Interpreter::new;
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        try (HostMachine host = new HostMachine(vcpus, (128L << 20) + (64L << 20), engine)) {
            ControlPlane control = new ControlPlane(host, HostMachine.RAM_BASE + (16L << 20));
            VirtualMachine vm = new VirtualMachine(plane, host, control, 128L << 20, vcpus, console, new PrintStream(System.err, true));
            long entry = vm.load(KernelImage.read(guests.resolve(guest + ".elf"), VirtualMachine.GUEST_RAM_BASE, 128L << 20));
            int code = vm.run(entry);
            return new Run(code, console.toString(StandardCharsets.UTF_8), vm, control);
        }
    }

    @ParameterizedTest(name = "translated={0}")
    @ValueSource(booleans = {false, true})
    void nullHypercallsAreSbiExitsAnsweredInUserMode(boolean translate) throws Exception {
        Run r = run("mb-hypercall", translate);
        assertThat(r.console()).contains("DV-MB null-hypercall 1000000");
        assertThat(r.exit()).isZero();
        assertThat(r.ledger().exceptions[Cause.ECALL_FROM_VS]).isGreaterThanOrEqualTo(1_000_000);
        assertThat(r.ledger().hostKernelEntries).isZero();
        assertThat(r.control().runtimeEntries.get()).isZero();
    }

    @ParameterizedTest(name = "translated={0}")
    @ValueSource(booleans = {false, true})
    void firstTouchOfEachPageIsOneGuestPageFaultMappedLazily(boolean translate) throws Exception {
        Run r = run("mb-gstage", translate);
        assertThat(r.console()).contains("DV-MB gstage-fault 16384");
        // 16384 data pages, plus the pages of code, stack and the .data the guest touches.
        assertThat(r.ledger().gstageMappings).isBetween(16384L, 16384L + 16);
        assertThat(r.ledger().exceptions[Cause.STORE_GUEST_PAGE_FAULT]).isGreaterThanOrEqualTo(16384);
        assertThat(r.control().runtimeEntries.get()).isZero();
    }

    @ParameterizedTest(name = "translated={0}")
    @ValueSource(booleans = {false, true})
    void uartReadsAreMmioExitsEmulatedFromHutinst(boolean translate) throws Exception {
        Run r = run("mb-mmio", translate);
        // Every read of LSR sees THRE set (the UART transmits at once): the guest counts 1000000.
        assertThat(r.console()).contains("DV-MB mmio 1000000");
        assertThat(r.ledger().mmioAccesses).isEqualTo(1_000_000);
        assertThat(r.ledger().exceptions[Cause.LOAD_GUEST_PAGE_FAULT]).isEqualTo(1_000_000);
        assertThat(r.control().runtimeEntries.get()).isZero();
    }

    @ParameterizedTest(name = "translated={0}")
    @ValueSource(booleans = {false, true})
    void virtualIpisGoThroughTheBitmapWithoutTheHostKernel(boolean translate) throws Exception {
        Run r = run(VirtualMachine.Plane.DUVISOR, "mb-vipi", translate, 2);
        assertThat(r.console()).contains("DV-MB vipi 100000");
        ExitLedger target = r.vm().vcpus().get(1).ledger();
        // Each IPI reaches vCPU 1 as a USI exit to its own DuVisor thread (dv-ext.md §6).
        assertThat(target.interrupts[0]).isEqualTo(100_000);
        assertThat(r.control().runtimeEntries.get()).isZero();
    }

    @ParameterizedTest(name = "translated={0}")
    @ValueSource(booleans = {false, true})
    void helloGuestPrintsChecksItsMemoryAndPowersOff(boolean translate) throws Exception {
        Run r = run("hello", translate);
        assertThat(r.console()).contains("hello from a VM-plane guest").contains("memory check ok");
        assertThat(r.exit()).isZero();
        assertThat(r.ledger().guestToHypervisor).isEqualTo(r.ledger().hypervisorToGuest);
    }
}
