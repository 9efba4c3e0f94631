package org.duvisor.cli;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.Callable;
import org.duvisor.rv64.linux.LinuxProcess;
import org.duvisor.workloads.Workload;
import org.duvisor.vm.GuestRun;
import org.duvisor.vm.VirtualMachine;
import org.duvisor.workloads.WorkloadCatalogue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dv demo}: the SPEC-like suite under the emulator, with results, self-checks and MIPS, then
 * the VM-exit microbenchmarks on DuVisor and on the KVM baseline plane, side by side.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Runs every SPEC-like program under the emulator and prints its result line,",
                "whether its self-check passed, retired instructions, time and guest MIPS; then",
                "runs the VM-exit microbenchmarks (workloads/guests) under DuVisor and under the",
                "KVM baseline plane and prints ns per exit and host-kernel entries for each.",
                "(./dv demo first sets up the machine.)"})
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--size", defaultValue = "ref", description = "Input size: test (small) or ref (seconds each; default).")
    String size;

    @Option(names = "--mode", defaultValue = "dbt", description = "interp, dbt (default) or lockstep.")
    String mode;

    @Override
    public Integer call() throws Exception {
        if (!size.equals("test") && !size.equals("ref")) throw new UserError("--size must be test or ref", 2);
        EngineMode engine = RunCommand.parseMode(mode);
        WorkloadCatalogue c = WorkloadsCommand.catalogue();
        List<Workload> spec = c.ofKind(Workload.SPEC);
        System.out.printf("SPEC-like suite, %s size, --mode %s, on %s %s%n", size, mode,
                System.getProperty("java.vm.name"), System.getProperty("java.version"));
        System.out.printf("%-14s %-6s %14s %9s %9s  %s%n", "program", "check", "instructions", "seconds", "MIPS", "result");
        int failures = 0;
        double logMipsSum = 0;
        int n = 0;
        for (Workload w : spec) {
            Path bin = c.binary(w);
            if (!Files.isRegularFile(bin)) {
                System.out.printf("%-14s %-6s (not built: ./dv workloads build %s)%n", w.name(), "-", w.name());
                failures++;
                continue;
            }
            List<String> argv = new ArrayList<>();
            argv.add(bin.toString());
            argv.addAll(size.equals("test") ? w.testArgs() : w.refArgs());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int status;
            long instructions;
            double seconds;
            try (LinuxProcess p = LinuxProcess.load(bin, argv, new LinkedHashMap<>(),
                    new LinuxProcess.Stdio(InputStream.nullInputStream(), out, err), engine.factory())) {
                status = p.run();
                instructions = p.instructionsRetired();
                seconds = p.wallNanos() / 1e9;
            }
            String text = out.toString(StandardCharsets.UTF_8).strip();
            String result = text.isEmpty() ? err.toString(StandardCharsets.UTF_8).strip() : text.lines().reduce((a, b) -> b).orElse("");
            boolean ok = status == 0;
            if (!ok) failures++;
            double mips = seconds > 0 ? instructions / seconds / 1e6 : 0;
            if (mips > 0) {
                logMipsSum += Math.log(mips);
                n++;
            }
            System.out.printf("%-14s %-6s %14d %9.3f %9.1f  %s%n", w.name(), ok ? "OK" : "FAIL(" + status + ")",
                    instructions, seconds, mips, result);
        }
        if (n > 0) System.out.printf("%-14s %-6s %14s %9s %9.1f%n", "geomean", "", "", "", Math.exp(logMipsSum / n));
        System.out.println(failures == 0 ? "all " + spec.size() + " programs passed their self-checks"
                : failures + " of " + spec.size() + " programs failed");
        if (!planes(c)) failures++;
        return failures == 0 ? 0 : 1;
    }

    /** The exit microbenchmarks once on each plane; false if a guest did not finish correctly. */
    private boolean planes(WorkloadCatalogue c) throws Exception {
        Path guests = c.workloadsDir().resolve("guests");
        String[][] micros = {{"mb-hypercall", "null hypercall", "1"}, {"mb-gstage", "G-stage page fault", "1"},
                {"mb-mmio", "MMIO (user-space device)", "1"}, {"mb-vipi", "virtual IPI", "2"},
                {"mb-vext", "virtual external interrupt", "1"}};
        System.out.println();
        System.out.println("VM exits: DuVisor (user-level hypervisor, DV-Ext) vs the KVM-structured baseline, same guests");
        System.out.printf("%-26s %12s %12s %8s %14s %14s%n", "microbenchmark", "duvisor ns", "kvm ns", "kvm/duv", "duv kernel-in", "kvm kernel-in");
        boolean ok = true;
        for (String[] m : micros) {
            Path guest = guests.resolve(m[0] + ".elf");
            if (!Files.isRegularFile(guest)) {
                System.out.printf("%-26s (not built: ./dv workloads build guests)%n", m[1]);
                ok = false;
                continue;
            }
            int vcpus = Integer.parseInt(m[2]);
            GuestRun d = null, k = null;
            for (int round = 0; round < 2; round++) { // the first round warms the JVM up for both planes
                d = GuestRun.of(guest, VirtualMachine.Plane.DUVISOR, vcpus, 128L << 20, EngineMode.DBT.factory(), System.err);
                k = GuestRun.of(guest, VirtualMachine.Plane.KVM, vcpus, 128L << 20, EngineMode.DBT.factory(), System.err);
            }
            if (d.exitCode() != 0 || k.exitCode() != 0 || d.operations() <= 0 || d.operations() != k.operations()) {
                System.out.printf("%-26s FAILED (exit %d / %d)%n", m[1], d.exitCode(), k.exitCode());
                ok = false;
                continue;
            }
            double dn = (double) d.nanos() / d.operations(), kn = (double) k.nanos() / k.operations();
            System.out.printf("%-26s %12.1f %12.1f %8.2f %14d %14d%n", m[1], dn, kn, kn / dn, d.control().runtimeEntries.get(),
                    k.control().runtimeEntries.get());
        }
        System.out.println("(second of two runs each, on a shared machine: for medians and the cycle model see PlaneComparison)");
        return ok;
    }
}
