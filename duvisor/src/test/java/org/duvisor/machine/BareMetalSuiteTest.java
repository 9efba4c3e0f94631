package org.duvisor.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.duvisor.workloads.WorkloadCatalogue;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The project's bare-metal privileged-architecture programs (workloads/baremetal) on this machine,
 * in both tiers, with no firmware: every check must pass, including those QEMU 7.2 gets wrong
 * ("rt-strict"). Against QEMU, the oracle, every check QEMU reports that is not marked SPEC-ONLY
 * must be reported here with the same outcome.
 */
class BareMetalSuiteTest {
    private static Path dir;

    @BeforeAll
    static void build() {
        WorkloadCatalogue c = WorkloadCatalogue.load(WorkloadCatalogue.findProjectRoot());
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/riscv64-unknown-elf-gcc")), "riscv64-unknown-elf-gcc not installed (./dv test installs it)");
        dir = c.workloadsDir().resolve("baremetal");
        if (!Files.isDirectory(dir) || programs().isEmpty()) c.build("baremetal");
    }

    static List<String> programs() {
        WorkloadCatalogue c = WorkloadCatalogue.load(WorkloadCatalogue.findProjectRoot());
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(c.projectRoot().resolve("workloads/baremetal"))) {
            s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".c")).map(n -> n.substring(0, n.length() - 2)).sorted()
                    .forEach(out::add);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    static Stream<Arguments> programsAndTiers() {
        List<Arguments> out = new ArrayList<>();
        for (String p : programs()) for (Boot.Tier t : new Boot.Tier[]{Boot.Tier.INTERP, Boot.Tier.DBT_EAGER}) out.add(Arguments.of(p, t));
        return out.stream();
    }

    private static Boot.Result boot(String program, Boot.Tier tier) throws Exception {
        return Boot.kernel(dir.resolve(program + ".elf")).firmware(Firmware.NONE).harts(2).memory(128).append("rt-strict")
                .tier(tier).timeout(60).run();
    }

    @ParameterizedTest(name = "{0} ({1})")
    @MethodSource("programsAndTiers")
    void everyCheckPasses(String program, Boot.Tier tier) throws Exception {
        Boot.Result r = boot(program, tier);
        assertThat(r.timedOut()).as("timed out; console:\n" + r.console()).isFalse();
        assertThat(r.console()).as(r.log()).contains("RESULT").doesNotContain("FAIL");
        assertThat(r.console()).containsPattern("RESULT \\d+ passed 0 failed");
        assertThat(r.exitCode()).as(r.console()).isZero();
    }

    /**
     * PASS/FAIL lines except SPEC-ONLY ones, which QEMU 7.2 is known to get wrong
     * (workloads/baremetal/README.md). Parenthesised notes are dropped: they report which of two
     * outcomes the spec allows an implementation chose (mtval = pc or 0, say).
     */
    private static List<String> comparable(String console) {
        List<String> out = new ArrayList<>();
        for (String line : console.split("\r?\n")) {
            if ((line.startsWith("PASS ") || line.startsWith("FAIL ")) && !line.contains("SPEC-ONLY")) {
                String bare = line, previous;
                do { // innermost first: notes may nest ("(1 trap(s), first cause ...)")
                    previous = bare;
                    bare = bare.replaceAll("\\([^()]*\\)", "");
                } while (!bare.equals(previous));
                out.add(bare);
            }
        }
        return out;
    }

    /** QEMU's virt board has no HTIF, and QEMU has no DV-Ext: those programs have no oracle there. */
    static Stream<String> qemuPrograms() {
        return programs().stream().filter(p -> !p.startsWith("htif-") && !p.startsWith("dv-"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("qemuPrograms")
    void sameOutcomesAsQemu(String program) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/qemu-system-riscv64")), "qemu-system-riscv64 not installed (./dv test installs it)");
        // Its console goes to a file, so that a guest that never powers off cannot block this test
        // (a pipe read to its end would wait for ever): after the time limit QEMU is stopped and
        // whatever it printed is compared.
        Path log = Files.createTempFile("qemu-" + program, ".log");
        Process q = new ProcessBuilder("qemu-system-riscv64", "-machine", "virt", "-cpu", "rv64", "-smp", "2", "-m", "128",
                "-bios", "none", "-nographic", "-kernel", dir.resolve(program + ".elf").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).redirectInput(new File("/dev/null")).start();
        boolean exited = q.waitFor(60, TimeUnit.SECONDS);
        if (!exited) q.destroyForcibly().waitFor();
        String qemu = Files.readString(log);
        Files.delete(log);
        assertThat(exited).as("QEMU ran " + program + " for 60 s without powering off; it printed:\n" + qemu).isTrue();
        Boot.Result ours = Boot.kernel(dir.resolve(program + ".elf")).firmware(Firmware.NONE).harts(2).memory(128)
                .tier(Boot.Tier.DBT_EAGER).timeout(60).run();
        List<String> mine = comparable(ours.console()), theirs = comparable(qemu);
        List<String> onlyMine = new ArrayList<>(mine), onlyTheirs = new ArrayList<>(theirs);
        onlyMine.removeAll(theirs);
        onlyTheirs.removeAll(mine);
        assertThat(onlyTheirs).as("checks QEMU reported that this machine did not report the same way (ours instead: " + onlyMine + ")")
                .isEmpty();
        // Checks that only run after a SPEC-ONLY check passed (QEMU fails it and skips them) exist here
        // alone; everyCheckPasses holds them to the spec.
        assertThat(onlyMine).as("checks reported only here").allMatch(l -> l.startsWith("PASS "));
        assertThat(comparable(qemu)).isNotEmpty();
    }
}
