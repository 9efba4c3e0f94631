package org.duvisor.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.duvisor.cli.EngineMode;
import org.duvisor.rv64.linux.LinuxProcess;
import org.duvisor.workloads.Workload;
import org.duvisor.workloads.WorkloadCatalogue;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every instruction-test and SPEC-like program ("test" size) runs under each execution mode and
 * under qemu-riscv64, the oracle: stdout, stderr and exit code must be identical.
 */
class UserModeDifferentialTest {
    private static WorkloadCatalogue catalogue;
    private static final Map<String, Result> QEMU = new ConcurrentHashMap<>();

    record Result(int exit, String out, String err) {
    }

    @BeforeAll
    static void buildWorkloads() {
        catalogue = WorkloadCatalogue.load(WorkloadCatalogue.findProjectRoot());
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/riscv64-linux-gnu-gcc")),
                "riscv64-linux-gnu-gcc not installed (./dv test installs it)");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/qemu-riscv64")), "qemu-riscv64 not installed (./dv test installs it)");
        boolean missing = catalogue.all().stream().anyMatch(w -> !Files.isRegularFile(catalogue.binary(w)));
        if (missing) catalogue.build();
    }

    static Stream<Arguments> programsAndModes() {
        WorkloadCatalogue c = WorkloadCatalogue.load(WorkloadCatalogue.findProjectRoot());
        List<Arguments> out = new ArrayList<>();
        for (Workload w : c.all()) {
            for (EngineMode m : EngineMode.values()) out.add(Arguments.of(w.name(), m));
        }
        return out.stream();
    }

    private static List<String> argv(Workload w) {
        List<String> argv = new ArrayList<>();
        argv.add(catalogue.binary(w).toString());
        argv.addAll(w.testArgs());
        return argv;
    }

    private static Result qemu(Workload w) {
        return QEMU.computeIfAbsent(w.name(), n -> {
            try {
                List<String> cmd = new ArrayList<>();
                cmd.add("qemu-riscv64");
                cmd.addAll(argv(w));
                Path out = Files.createTempFile("qemu-out", ".txt"), err = Files.createTempFile("qemu-err", ".txt");
                Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
                if (!p.waitFor(120, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new AssertionError("qemu-riscv64 timed out on " + n);
                }
                Result r = new Result(p.exitValue(), Files.readString(out), Files.readString(err));
                Files.delete(out);
                Files.delete(err);
                return r;
            } catch (IOException | InterruptedException e) {
                throw new AssertionError(e);
            }
        });
    }

    private static Result emulate(Workload w, EngineMode mode) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int exit;
        try (LinuxProcess p = LinuxProcess.load(catalogue.binary(w), argv(w), new LinkedHashMap<>(),
                new LinuxProcess.Stdio(InputStream.nullInputStream(), out, err), mode.factory())) {
            exit = p.run();
        }
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0} under {1} matches qemu-riscv64")
    @MethodSource("programsAndModes")
    void matchesQemu(String name, EngineMode mode) throws Exception {
        Workload w = catalogue.find(name).orElseThrow();
        Result expected = qemu(w);
        Result actual = emulate(w, mode);
        assertThat(actual.out()).as("stdout of " + name).isEqualTo(expected.out());
        assertThat(actual.err()).as("stderr of " + name).isEqualTo(expected.err());
        assertThat(actual.exit()).as("exit code of " + name).isEqualTo(expected.exit());
        if (w.isSpec()) assertThat(actual.exit()).as("self-check of " + name).isZero();
    }
}
