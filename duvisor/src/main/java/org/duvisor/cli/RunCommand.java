package org.duvisor.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.Callable;
import org.duvisor.rv64.dbt.Lockstep;
import org.duvisor.rv64.linux.BadElfException;
import org.duvisor.rv64.linux.LinuxProcess;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code dv run}: a static RISC-V Linux program in user mode, like qemu-riscv64. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {
                "Runs a static RV64 Linux ELF executable (glibc or picolibc; ET_EXEC or static-PIE) in user mode.",
                "stdin/stdout/stderr pass through; the exit code is the guest's (128+signal after a guest fault).",
                "A malformed or foreign ELF is refused with a one-line reason and exit code 2."})
public final class RunCommand implements Callable<Integer> {
    @Option(names = "--mode", defaultValue = "dbt",
            description = "interp: interpreter only; dbt: translate hot code (default); lockstep: translate and check every region against the interpreter.")
    String mode;

    @Option(names = "--stats", description = "Print retired instructions, wall time, MIPS and translator counters to stderr at exit.")
    boolean stats;

    @Option(names = "--strace", description = "Print every system call and its result to stderr.")
    boolean strace;

    @Parameters(index = "0", paramLabel = "PROGRAM", description = "The executable.")
    Path program;

    @Parameters(index = "1..*", paramLabel = "ARGS", description = "Its arguments.")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        EngineMode engine = parseMode(mode);
        if (!Files.isRegularFile(program)) throw new UserError(program + ": no such file", 127);
        List<String> argv = new ArrayList<>();
        argv.add(program.toString());
        argv.addAll(args);
        try (LinuxProcess p = LinuxProcess.load(program, argv, new LinkedHashMap<>(System.getenv()),
                LinuxProcess.Stdio.HOST, engine.factory())) {
            if (strace) p.trace(System.err);
            int status;
            try {
                status = p.run();
            } catch (Lockstep.Divergence d) {
                System.out.flush();
                System.err.print("dv: " + d.getMessage());
                return 3;
            }
            if (stats) {
                System.out.flush();
                printStats(p);
            }
            return status;
        } catch (BadElfException e) {
            throw new UserError(program + ": " + e.getMessage(), 2);
        } catch (IOException e) {
            throw new UserError(program + ": " + e.getMessage(), 2);
        }
    }

    static EngineMode parseMode(String mode) {
        return switch (mode) {
            case "interp" -> EngineMode.INTERP;
            case "dbt" -> EngineMode.DBT;
            case "lockstep" -> EngineMode.LOCKSTEP;
            default -> throw new UserError("unknown --mode '" + mode + "' (interp, dbt or lockstep)", 2);
        };
    }

    /** The machine-readable line the side-by-side runner parses, then the engine's counters. */
    static void printStats(LinuxProcess p) {
        double seconds = p.wallNanos() / 1e9;
        System.err.printf("dv-stats: instructions=%d seconds=%.6f mips=%.1f syscalls=%d%n", p.instructionsRetired(),
                seconds, seconds > 0 ? p.instructionsRetired() / seconds / 1e6 : 0, p.syscallCount());
        var w = p.warmup();
        if (w != null) {
            System.err.printf("dv-stats: peak-mips=%.1f warmup-50%%=%.2fs warmup-90%%=%.2fs warmup-resolution=%.2fs%n", w.peakMips(),
                    w.secondsTo50(), w.secondsTo90(), w.resolutionSeconds());
        }
        p.engine().printStatistics(System.err);
    }
}
