package org.duvisor.bench.exits;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.duvisor.bench.exits.PlaneMicrobenchmarks.Micro;
import org.duvisor.vm.GuestRun;
import org.duvisor.vm.VirtualMachine.InterruptConfig;
import org.duvisor.vm.VirtualMachine.Plane;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * The VM-plane exit microbenchmarks under JMH: each benchmark runs its guest (workloads/guests/mb-*)
 * once per invocation on a fresh host — the host's construction and the guest's loading are set-up,
 * only the VM's run is timed — on the plane (and, for the interrupt microbenchmarks, the interrupt
 * configuration) its parameters name. Scores are ns per guest operation
 * ({@code @OperationsPerInvocation} = the guest's count; each invocation checks the guest reported
 * exactly that many and exited 0), the guest's own loop included. Each trial ends with a line giving
 * the cycle-model estimate per operation and the paper's figures; {@link #main} runs everything and
 * prints the table with the ratios kvm/duvisor. {@link PlaneComparison} is the quicker side-by-side
 * runner of the same guests.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED"})
public class PlaneBench {
    /** A VM of one plane; the exit microbenchmarks whose path does not depend on the interrupt configuration. */
    @State(Scope.Thread)
    public static class Vm {
        @Param({"duvisor", "kvm"})
        public String plane;

        private Path guests;
        private Micro micro;
        private GuestRun.Prepared prepared;
        private GuestRun last;
        private double cyclesPerOp;

        InterruptConfig irq() {
            return InterruptConfig.VANILLA;
        }

        Plane planeValue() {
            return Plane.valueOf(plane.toUpperCase());
        }

        @Setup(Level.Trial)
        public void find(BenchmarkParams params) {
            String b = params.getBenchmark();
            micro = PlaneMicrobenchmarks.forBenchmark(b.substring(b.lastIndexOf('.') + 1));
            guests = PlaneMicrobenchmarks.guests();
        }

        @Setup(Level.Invocation)
        public void prepare() throws Exception {
            prepared = PlaneMicrobenchmarks.prepare(guests, micro, planeValue(), irq(), false);
        }

        GuestRun run() throws InterruptedException {
            last = prepared.run();
            return last;
        }

        @TearDown(Level.Invocation)
        public void check() {
            prepared.close();
            GuestRun r = PlaneMicrobenchmarks.check(last, micro, planeValue(), irq());
            cyclesPerOp = (double) r.modelCycles() / r.operations();
        }

        @TearDown(Level.Trial)
        public void report() {
            String paper = micro.paperKvm() == 0 ? "none" : "DuVisor " + micro.paperDuvisor() + ", KVM " + micro.paperKvm() + " (vanilla)";
            System.out.printf("%n# %s on %s: cycle model %s cycles/op; paper (FireSim/Rocket cycles): %s; JDK %s%n", micro.name(),
                    PlaneMicrobenchmarks.label(planeValue(), irq()), PlaneComparison.cycles(cyclesPerOp), paper, Runtime.version());
        }
    }

    /** A VM of one plane in one interrupt configuration: for the timer, IPI and device interrupt microbenchmarks. */
    public static class VmWithInterrupts extends Vm {
        @Param({"vanilla", "opt"})
        public String irq;

        @Override
        InterruptConfig irq() {
            return InterruptConfig.valueOf(irq.toUpperCase());
        }
    }

    /** 10^6 SBI base calls: one ECALL exit each. */
    @Benchmark
    @OperationsPerInvocation(1_000_000)
    public GuestRun nullHypercall(Vm vm) throws InterruptedException {
        return vm.run();
    }

    /** First writes to 16384 fresh pages: one G-stage fault each. */
    @Benchmark
    @OperationsPerInvocation(16_384)
    public GuestRun gstageFault(Vm vm) throws InterruptedException {
        return vm.run();
    }

    /** 10^6 reads of the emulated UART's LSR: one MMIO exit each. */
    @Benchmark
    @OperationsPerInvocation(1_000_000)
    public GuestRun mmio(Vm vm) throws InterruptedException {
        return vm.run();
    }

    /** 10^5 IPIs from vCPU 0 to a running vCPU 1, each taken by its handler. */
    @Benchmark
    @OperationsPerInvocation(100_000)
    public GuestRun virtualIpi(VmWithInterrupts vm) throws InterruptedException {
        return vm.run();
    }

    /** 10^5 device interrupts: doorbell, interrupt, claim, completion. */
    @Benchmark
    @OperationsPerInvocation(100_000)
    public GuestRun virtualExternalInterrupt(VmWithInterrupts vm) throws InterruptedException {
        return vm.run();
    }

    /** 10^4 timer interrupts set to fire at once and withdrawn by the handler. */
    @Benchmark
    @OperationsPerInvocation(10_000)
    public GuestRun timerInterrupt(VmWithInterrupts vm) throws InterruptedException {
        return vm.run();
    }

    /**
     * Runs the benchmarks (the JMH options that follow, e.g. {@code -p plane=kvm} or a regular
     * expression such as {@code 'PlaneBench.virtual.*'}), then prints per microbenchmark and
     * interrupt configuration the score on each plane, the ratio kvm/duvisor, the cycle-model
     * estimate of each plane (one untimed run in this JVM) and the paper's figures.
     */
    public static void main(String[] args) throws Exception {
        CommandLineOptions cli = new CommandLineOptions(args);
        OptionsBuilder options = new OptionsBuilder();
        options.parent(cli);
        if (cli.getIncludes().isEmpty()) options.include(PlaneBench.class.getName() + "\\.");
        Collection<RunResult> results = new Runner(options.build()).run();
        Map<String, Double> score = new LinkedHashMap<>();
        for (RunResult r : results) {
            String b = r.getParams().getBenchmark();
            String irq = r.getParams().getParam("irq");
            score.put(b.substring(b.lastIndexOf('.') + 1) + "/" + r.getParams().getParam("plane") + "/" + (irq == null ? "vanilla" : irq),
                    r.getPrimaryResult().getScore());
        }
        Path guests = PlaneMicrobenchmarks.guests();
        System.out.printf("%nVM-plane exit microbenchmarks under JMH (ns/op, single-shot runs), JDK %s%n", Runtime.version());
        System.out.printf("%-26s %-7s %11s %11s %8s %12s %12s %10s %10s%n", "microbenchmark", "irq", "duvisor ns", "kvm ns", "kvm/duv",
                "duvisor cyc*", "kvm cyc*", "paper duv", "paper kvm");
        for (Micro m : PlaneMicrobenchmarks.ALL) {
            List<InterruptConfig> configs = new ArrayList<>(List.of(InterruptConfig.VANILLA));
            if (m.interrupts()) configs.add(InterruptConfig.OPT);
            for (InterruptConfig irq : configs) {
                String key = m.benchmark() + "/%s/" + irq.name().toLowerCase();
                Double d = score.get(key.formatted("duvisor")), k = score.get(key.formatted("kvm"));
                if (d == null && k == null) continue;
                boolean paper = irq == InterruptConfig.VANILLA && m.paperKvm() != 0;
                System.out.printf("%-26s %-7s %11s %11s %8s %12s %12s %10s %10s%n", m.name(), m.interrupts() ? irq.name().toLowerCase() : "-",
                        d == null ? "-" : "%.1f".formatted(d), k == null ? "-" : "%.1f".formatted(k),
                        d == null || k == null ? "-" : "%.2f".formatted(k / d), PlaneComparison.cycles(modelCycles(guests, m, Plane.DUVISOR, irq)),
                        PlaneComparison.cycles(modelCycles(guests, m, Plane.KVM, irq)), paper ? Long.toString(m.paperDuvisor()) : "-",
                        paper ? Long.toString(m.paperKvm()) : "-");
            }
        }
        System.out.println("* cycle model: org.duvisor.vm.CycleModel, per operation (instruction counts of each exit-path step; not fitted).");
    }

    private static double modelCycles(Path guests, Micro m, Plane plane, InterruptConfig irq) throws Exception {
        try (GuestRun.Prepared p = PlaneMicrobenchmarks.prepare(guests, m, plane, irq, false)) {
            GuestRun r = PlaneMicrobenchmarks.check(p.run(), m, plane, irq);
            return (double) r.modelCycles() / r.operations();
        }
    }
}
