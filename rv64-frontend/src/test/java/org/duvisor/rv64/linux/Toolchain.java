package org.duvisor.rv64.linux;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.duvisor.rv64.exec.Interpreter;

/**
 * Test support: compiles the C programs under {@code src/test/resources/linux/} with the RISC-V
 * cross compiler, runs them under qemu-riscv64 (the oracle) and in a {@link LinuxProcess}.
 * Tests that need a tool are skipped (assumption) when it is not installed.
 */
final class Toolchain {
    static final String GCC = "riscv64-linux-gnu-gcc";
    static final String QEMU = "qemu-riscv64";

    /** What a run produced. */
    record Result(String stdout, String stderr, int exit) {
    }

    private static final Map<String, Boolean> FOUND = new HashMap<>();
    private static final Map<String, Path> BUILT = new HashMap<>();
    private static Path buildDir;

    private Toolchain() {
    }

    static synchronized boolean installed(String tool) {
        return FOUND.computeIfAbsent(tool, t -> {
            for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
                if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, t))) return true;
            }
            return false;
        });
    }

    static void assumeCompiler() {
        assumeTrue(installed(GCC), GCC + " is not installed");
    }

    static void assumeQemu() {
        assumeTrue(installed(QEMU), QEMU + " is not installed");
    }

    private static synchronized Path buildDir() throws IOException {
        if (buildDir == null) {
            buildDir = Files.createTempDirectory("dv-linux-test");
            buildDir.toFile().deleteOnExit();
        }
        return buildDir;
    }

    /** Compiles resource {@code linux/NAME.c} with {@code flags} (default {@code -O2 -static}); cached. */
    static synchronized Path compile(String name, String... flags) throws IOException, InterruptedException {
        assumeCompiler();
        List<String> f = flags.length == 0 ? List.of("-O2", "-static") : List.of(flags);
        String key = name + " " + String.join(" ", f);
        Path done = BUILT.get(key);
        if (done != null) return done;
        Path dir = buildDir();
        Path source = dir.resolve(name + ".c");
        try (InputStream in = Toolchain.class.getResourceAsStream("/linux/" + name + ".c")) {
            if (in == null) throw new IOException("no test program " + name + ".c");
            Files.write(source, in.readAllBytes());
        }
        Path out = dir.resolve(name + "-" + BUILT.size());
        List<String> cmd = new ArrayList<>(List.of(GCC));
        cmd.addAll(f);
        cmd.addAll(List.of("-o", out.toString(), source.toString()));
        Result r = exec(cmd, Map.of(), new byte[0], null);
        if (r.exit != 0) throw new IOException("compiling " + name + " failed:\n" + r.stderr);
        BUILT.put(key, out);
        return out;
    }

    /** Runs a host command with exactly {@code env}, feeding it {@code stdin}. */
    static Result exec(List<String> cmd, Map<String, String> env, byte[] stdin, Path cwd)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        if (!env.isEmpty()) {
            pb.environment().clear();
            pb.environment().putAll(env);
        }
        if (cwd != null) pb.directory(cwd.toFile());
        Process p = pb.start();
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        try (var in = p.getOutputStream()) {
            in.write(stdin);
        } catch (IOException ignored) {
            // the program did not read all its input
        }
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + cmd);
        }
        return new Result(new String(out.join(), StandardCharsets.UTF_8), new String(err.join(), StandardCharsets.UTF_8),
                p.exitValue());
    }

    private static byte[] readAll(InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The oracle: qemu-riscv64 running {@code exe} with argv[0] = the path. */
    static Result qemu(Path exe, List<String> args, Map<String, String> env, byte[] stdin)
            throws IOException, InterruptedException {
        assumeQemu();
        List<String> cmd = new ArrayList<>(List.of(QEMU, exe.toString()));
        cmd.addAll(args);
        Map<String, String> e = env.isEmpty() ? Map.of("DVTEST_EMPTY", "1") : env;
        return exec(cmd, e, stdin, null);
    }

    /** Ours, in this JVM, with Java streams as stdin/stdout/stderr. */
    static Result dv(Path exe, List<String> args, Map<String, String> env, byte[] stdin)
            throws IOException, BadElfException {
        List<String> argv = new ArrayList<>(List.of(exe.toString()));
        argv.addAll(args);
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        Map<String, String> e = env.isEmpty() ? Map.of("DVTEST_EMPTY", "1") : env;
        LinuxProcess.Stdio stdio = new LinuxProcess.Stdio(new ByteArrayInputStream(stdin), out, err);
        try (LinuxProcess p = LinuxProcess.load(exe, argv, e, stdio, Interpreter::new)) {
            int status = p.run();
            return new Result(out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), status);
        }
    }
}
