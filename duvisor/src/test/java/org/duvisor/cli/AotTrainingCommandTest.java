package org.duvisor.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's training run for {@code dv boot}'s ahead-of-time cache ({@code dv aot-training}). */
class AotTrainingCommandTest {
    @Test
    void bootsTheGuestLinuxToPowerOffWithNothingOnTheConsole() {
        Path linux = WorkloadsCommand.catalogue().linuxDir();
        assumeTrue(Files.isRegularFile(linux.resolve("Image")) && Files.isRegularFile(linux.resolve("initramfs.cpio")),
                "guest Linux not built (./dv workloads build linux)");
        Cli.Result r = Cli.inProcess("aot-training");
        assertThat(r.exit()).as("the guest's power-off code").isZero();
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEmpty();
    }

    @Test
    void withoutTheGuestLinuxSaysHowToBuildIt(@TempDir Path emptyCache) {
        String old = System.getProperty("dv.cache");
        System.setProperty("dv.cache", emptyCache.toString());
        try {
            Cli.Result r = Cli.inProcess("aot-training").oneErrorLine("dv: the guest Linux is not built (./dv workloads build linux)");
            assertThat(r.exit()).isEqualTo(2);
        } finally {
            if (old == null) System.clearProperty("dv.cache");
            else System.setProperty("dv.cache", old);
        }
    }

    @Test
    void isNotListedInTheHelp() {
        assertThat(Cli.inProcess("--help").out()).contains("boot").doesNotContain("aot-training");
    }
}
