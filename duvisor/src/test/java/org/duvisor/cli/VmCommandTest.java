package org.duvisor.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.duvisor.workloads.WorkloadCatalogue;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dv vm --disk}: a raw image becomes the VM's virtio-blk, on either plane; a bad one is refused with its reason. */
class VmCommandTest {
    static Path guest;

    @TempDir
    Path dir;

    @BeforeAll
    static void build() {
        WorkloadCatalogue c = WorkloadCatalogue.load(WorkloadCatalogue.findProjectRoot());
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/riscv64-unknown-elf-gcc")), "riscv64-unknown-elf-gcc not installed (./dv test installs it)");
        c.build("guests");
        guest = c.workloadsDir().resolve("guests").resolve("vio-blk.elf");
    }

    /** 64 sectors in the pattern vio-blk.c checks. */
    private Path disk() throws Exception {
        byte[] image = new byte[64 * 512];
        for (int i = 0; i < image.length; i++) image[i] = (byte) ((i / 512 * 13 + i % 512) ^ 0x5A);
        return Files.write(dir.resolve("disk.img"), image);
    }

    @Test
    void aDiskImageIsTheGuestsVirtioBlkOnDuvisor() throws Exception {
        Cli.Result r = Cli.childJvm("vm", "--kernel", guest.toString(), "--disk", disk().toString());
        assertThat(r.out()).as(r.err()).contains("vio-blk: all checks passed");
        assertThat(r.exit()).isZero();
    }

    @Test
    void aReadOnlyDiskOnTheKernelPlane() throws Exception {
        Cli.Result r = Cli.childJvm("vm", "--plane", "kvm", "--kernel", guest.toString(), "--disk", disk() + ",ro");
        assertThat(r.out()).as(r.err()).contains("read-only").contains("vio-blk: all checks passed");
        assertThat(r.exit()).isZero();
    }

    @Test
    void aMissingDiskImageIsRefusedWithItsName() {
        Path missing = dir.resolve("missing.img");
        Cli.Result r = Cli.inProcess("vm", "--kernel", guest.toString(), "--disk", missing.toString());
        assertThat(r.exit()).isEqualTo(2);
        r.oneErrorLine("dv: disk image " + missing + ": no such file");
    }
}
