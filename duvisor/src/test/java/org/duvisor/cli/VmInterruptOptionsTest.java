package org.duvisor.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.duvisor.workloads.WorkloadCatalogue;
import org.junit.jupiter.api.Test;

/** {@code dv vm}'s interrupt options: each belongs to one plane and is refused, with its reason, on the other. */
class VmInterruptOptionsTest {
    @Test
    void kvmIrqIsRefusedOnTheDuvisorPlane() {
        Cli.Result r = Cli.inProcess("vm", "--plane", "duvisor", "--kvm-irq", "opt", "--kernel", "/nonexistent.elf");
        assertThat(r.exit()).isEqualTo(2);
        r.oneErrorLine("dv: --kvm-irq applies to --plane kvm");
        assertThat(r.err()).contains("--exitless-vipi");
    }

    @Test
    void exitlessVipiIsRefusedOnTheKernelPlane() {
        Cli.Result r = Cli.inProcess("vm", "--plane", "kvm", "--exitless-vipi", "--kernel", "/nonexistent.elf");
        assertThat(r.exit()).isEqualTo(2);
        r.oneErrorLine("dv: --exitless-vipi applies to --plane duvisor");
        assertThat(r.err()).contains("--kvm-irq opt");
    }

    @Test
    void unknownKvmIrqNamesTheChoices() {
        Cli.Result r = Cli.inProcess("vm", "--plane", "kvm", "--kvm-irq", "fast", "--kernel", "/nonexistent.elf");
        assertThat(r.exit()).isEqualTo(2);
        r.oneErrorLine("dv: unknown --kvm-irq 'fast' (vanilla or opt)");
    }

    @Test
    void optOnTheKernelPlaneRunsTheGuestAndSaysSoInItsStatistics() throws Exception {
        WorkloadCatalogue c = WorkloadCatalogue.load(WorkloadCatalogue.findProjectRoot());
        Path guest = c.workloadsDir().resolve("guests/mb-vipi.elf");
        assumeTrue(Files.isRegularFile(guest) || Files.isExecutable(Path.of("/usr/bin/riscv64-unknown-elf-gcc")),
                "riscv64-unknown-elf-gcc not installed (./dv test installs it)");
        if (!Files.isRegularFile(guest)) c.build("guests");
        Cli.Result r = Cli.childJvm("vm", "--plane", "kvm", "--kvm-irq", "opt", "--smp", "2", "--stats", "--kernel", guest.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("DV-MB vipi 100000");
        assertThat(r.err()).contains("plane=kvm interrupts=opt").doesNotContain("interrupt-1=");
    }
}
