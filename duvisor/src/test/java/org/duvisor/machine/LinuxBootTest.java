package org.duvisor.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.duvisor.workloads.WorkloadCatalogue;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The guest Linux (workloads/linux: Debian's 6.1 kernel, busybox, the dv.run init protocol) boots
 * on this machine: the kernel itself is the oracle. It must reach init on 1 and 2 harts with the
 * built-in SBI and with OpenSBI, run the SPEC-like programs with their self-checks passing, read a
 * virtio-blk disk, and power off with exit code 0.
 */
class LinuxBootTest {
    private static Path image, initramfs;

    @BeforeAll
    static void linux() {
        WorkloadCatalogue c = WorkloadCatalogue.load(WorkloadCatalogue.findProjectRoot());
        image = c.linuxDir().resolve("Image");
        initramfs = c.linuxDir().resolve("initramfs.cpio");
        assumeTrue(Files.isRegularFile(image) && Files.isRegularFile(initramfs),
                "guest Linux not built (./dv workloads build linux; ./dv test builds it)");
    }

    private static Boot linux(String run) {
        return Boot.kernel(image).initrd(initramfs).append("console=ttyS0 earlycon=sbi " + run).timeout(300);
    }

    @ParameterizedTest(name = "{0} firmware, {1} hart(s), {2}")
    @CsvSource({"BUILTIN, 1, DBT", "BUILTIN, 2, DBT", "BUILTIN, 2, INTERP", "OPENSBI, 1, DBT", "OPENSBI, 2, INTERP"})
    void bootsToInitAndPowersOff(Firmware firmware, int harts, Boot.Tier tier) throws Exception {
        if (firmware == Firmware.OPENSBI) assumeTrue(Files.isRegularFile(MachineConfig.DEBIAN_OPENSBI), "Debian's opensbi not installed");
        Boot.Result r = linux("dv.run=hello").firmware(firmware).harts(harts).tier(tier).run();
        assertThat(r.timedOut()).as(r.console()).isFalse();
        assertThat(r.console()).as(r.log()).contains("Run /init as init process");
        Matcher m = Pattern.compile("DV-HELLO \\S+ (\\d+)").matcher(r.console());
        assertThat(m.find()).as(r.console()).isTrue();
        assertThat(Integer.parseInt(m.group(1))).as("harts the guest sees").isEqualTo(harts);
        assertThat(r.console()).contains("DV-DONE 0").contains("reboot: Power down");
        assertThat(r.exitCode()).isZero();
    }

    @Test
    void runsTheSpecLikeSuiteWithPassingSelfChecks() throws Exception {
        Boot.Result r = linux("dv.run=spec").harts(2).tier(Boot.Tier.DBT).run();
        assertThat(r.timedOut()).as(r.console()).isFalse();
        long passed = Pattern.compile("DV-RESULT spec-\\S+ 0\\r?\\n").matcher(r.console()).results().count();
        assertThat(r.console()).as(r.console()).doesNotContainPattern("DV-RESULT \\S+ [1-9]");
        assertThat(passed).isEqualTo(WorkloadCatalogue.load(WorkloadCatalogue.findProjectRoot()).ofKind("spec").size());
        assertThat(r.console()).contains("DV-DONE 0");
        assertThat(r.exitCode()).isZero();
    }

    @Test
    void readsAVirtioBlkDisk(@TempDir Path tmp) throws Exception {
        Path disk = tmp.resolve("disk.img");
        byte[] bytes = new byte[64 * 1024];
        byte[] marker = "duvisor-disk-marker-4f2a".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(marker, 0, bytes, 512 * 7, marker.length);
        Files.write(disk, bytes);
        Boot.Result r = linux("dv.cmd=\"dd if=/dev/vda bs=512 skip=7 count=1 2>/dev/null | head -c 24; echo\"")
                .disk(disk, true).tier(Boot.Tier.DBT).run();
        assertThat(r.console()).as(r.console()).contains("virtio_blk").contains("duvisor-disk-marker-4f2a").contains("DV-RESULT cmd 0");
        assertThat(r.exitCode()).isZero();
    }

    @Test
    void writesAVirtioBlkDisk(@TempDir Path tmp) throws Exception {
        Path disk = tmp.resolve("disk.img");
        Files.write(disk, new byte[64 * 1024]);
        Boot.Result r = linux("dv.cmd=\"echo written-by-the-guest | dd of=/dev/vda bs=512 seek=3 conv=fsync 2>/dev/null\"")
                .disk(disk, false).tier(Boot.Tier.DBT).run();
        assertThat(r.console()).as(r.console()).contains("DV-RESULT cmd 0");
        byte[] after = Files.readAllBytes(disk);
        assertThat(new String(after, 512 * 3, 20, StandardCharsets.US_ASCII)).isEqualTo("written-by-the-guest");
    }
}
