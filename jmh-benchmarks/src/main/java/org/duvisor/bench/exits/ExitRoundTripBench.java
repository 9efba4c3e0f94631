package org.duvisor.bench.exits;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.duvisor.dbt.cache.DbtStatistics;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * The VM-exit round trip of the performance target "exit round trip, DuVisor vs kernel plane":
 * enter the guest, the guest's ECALL from VS (cause 10), back in the hypervisor, for the same guest
 * ({@code 1: ecall; j 1b}) on the same full-system hart. Scores are ns per round trip.
 *
 * <ul>
 *   <li>{@code duvisorDbt} (a): DV-Ext's Java fast path: huret from Java, the exit routed to HU by
 *       sedeleg stops the hart, Java reads ucause and steps uepc; guest code translated.
 *   <li>{@code hsVectorDbt} (b): the kernel's path: the trap enters an HS handler at stvec (guest
 *       code: sepc += 4; sret), which returns to the guest; translated.
 *   <li>{@code duvisorInterpreter} (c): (a) with the interpreter only, the tier's cost.
 *   <li>{@code hsVectorInterpreter} (d): (b) with the interpreter only.
 * </ul>
 *
 * Every trap the engine stops at is checked to be cause 10 from VS going where the path says; each
 * iteration checks the number of round trips, the retired instructions per round trip and the exit
 * CSRs, and prints the dispatcher counters per round trip. {@link #main} runs all four and prints
 * the ratios to (a).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED"})
public class ExitRoundTripBench {
    /** Round trips per benchmark invocation. */
    static final int TRIPS = 1000;
    /** Round trips at set-up: translation (hot threshold 2) and the first checks happen here. */
    static final int WARM_UP_TRIPS = 2 * TRIPS;

    @State(Scope.Thread)
    public abstract static class Machine {
        ExitMachine m;
        private long calls, tripsAtStart, instretAtStart;
        private DbtStatistics atStart;

        abstract ExitMachine.Path path();

        abstract ExitMachine.Tier tier();

        @Setup(Level.Trial)
        public void build() {
            m = new ExitMachine(path(), tier());
            m.roundTrips(WARM_UP_TRIPS);
            m.checkExitState();
            if (m.dbt != null && m.dbt.statistics().regionsCompiled == 0) {
                throw new IllegalStateException(path() + ": nothing was translated during set-up");
            }
            System.out.printf("%n# %s/%s: JDK %s, %s%n", path(), tier(), Runtime.version(),
                    java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
        }

        @Setup(Level.Iteration)
        public void mark() {
            calls = 0;
            tripsAtStart = m.roundTrips;
            instretAtStart = m.hart.instret;
            atStart = copy(m.statistics());
        }

        void run() {
            calls++;
            m.roundTrips(TRIPS);
        }

        /** The iteration measured what it says: TRIPS round trips per call, the expected instructions each, sane exit CSRs. */
        @TearDown(Level.Iteration)
        public void check() {
            long trips = m.roundTrips - tripsAtStart, instret = m.hart.instret - instretAtStart;
            if (trips != calls * TRIPS || instret != trips * m.expectedInstretPerTrip()) {
                throw new IllegalStateException(path() + "/" + tier() + ": " + trips + " round trips and " + instret
                        + " instructions in " + calls + " calls; expected " + TRIPS + " and " + m.expectedInstretPerTrip()
                        + " per round trip");
            }
            m.checkExitState();
            DbtStatistics s = m.statistics();
            double n = Math.max(1, trips);
            if (s != null) {
                System.out.printf("%n  [%s/%s] round trips=%d per trip: insns=%.1f region-entries=%.2f chained=%.2f unchained=%.2f "
                                + "lookups=%.2f interpreted=%.2f regions=%d%n", path(), tier(), trips, instret / n,
                        (s.regionEntries - atStart.regionEntries) / n, (s.chainedExits - atStart.chainedExits) / n,
                        (s.unchainedExits - atStart.unchainedExits) / n, (s.dispatcherLookups - atStart.dispatcherLookups) / n,
                        (s.interpretedInstructions - atStart.interpretedInstructions) / n, s.regionsCompiled);
            } else {
                System.out.printf("%n  [%s/%s] round trips=%d per trip: insns=%.1f (interpreter)%n", path(), tier(), trips, instret / n);
            }
        }

        @TearDown(Level.Trial)
        public void close() {
            m.close();
        }

        private static DbtStatistics copy(DbtStatistics s) {
            if (s == null) return null;
            DbtStatistics c = new DbtStatistics();
            c.regionsCompiled = s.regionsCompiled;
            c.regionEntries = s.regionEntries;
            c.chainedExits = s.chainedExits;
            c.unchainedExits = s.unchainedExits;
            c.dispatcherLookups = s.dispatcherLookups;
            c.interpretedInstructions = s.interpretedInstructions;
            return c;
        }
    }

    public static class DuVisorDbt extends Machine {
        @Override
        ExitMachine.Path path() {
            return ExitMachine.Path.DUVISOR;
        }

        @Override
        ExitMachine.Tier tier() {
            return ExitMachine.Tier.DBT;
        }
    }

    public static class HsVectorDbt extends Machine {
        @Override
        ExitMachine.Path path() {
            return ExitMachine.Path.HS_VECTOR;
        }

        @Override
        ExitMachine.Tier tier() {
            return ExitMachine.Tier.DBT;
        }
    }

    public static class DuVisorInterpreter extends Machine {
        @Override
        ExitMachine.Path path() {
            return ExitMachine.Path.DUVISOR;
        }

        @Override
        ExitMachine.Tier tier() {
            return ExitMachine.Tier.INTERPRETER;
        }
    }

    public static class HsVectorInterpreter extends Machine {
        @Override
        ExitMachine.Path path() {
            return ExitMachine.Path.HS_VECTOR;
        }

        @Override
        ExitMachine.Tier tier() {
            return ExitMachine.Tier.INTERPRETER;
        }
    }

    /** (a) DV-Ext fast path, translated guest: ns per huret → ecall → exit to Java → uepc += 4. */
    @Benchmark
    @OperationsPerInvocation(TRIPS)
    public long duvisorDbt(DuVisorDbt s) {
        s.run();
        return s.m.roundTrips;
    }

    /** (b) HS trap vector, translated: ns per ecall → HS handler → sret → next ecall. */
    @Benchmark
    @OperationsPerInvocation(TRIPS)
    public long hsVectorDbt(HsVectorDbt s) {
        s.run();
        return s.m.roundTrips;
    }

    /** (c) (a) with the interpreter only. */
    @Benchmark
    @OperationsPerInvocation(TRIPS)
    public long duvisorInterpreter(DuVisorInterpreter s) {
        s.run();
        return s.m.roundTrips;
    }

    /** (d) (b) with the interpreter only. */
    @Benchmark
    @OperationsPerInvocation(TRIPS)
    public long hsVectorInterpreter(HsVectorInterpreter s) {
        s.run();
        return s.m.roundTrips;
    }

    static final String[] NAMES = {"duvisorDbt", "hsVectorDbt", "duvisorInterpreter", "hsVectorInterpreter"};

    /**
     * Runs the four benchmarks {@code --rounds N} times (default 1; each round one JMH run of all
     * four, one fork each, so A B C D A B C D ...), with the JMH options that follow (e.g.
     * {@code -f 1 -wi 3 -w 1 -i 5 -r 1}), and prints per benchmark the median ns per round trip over
     * the rounds and the median over rounds of its ratio to (a) duvisorDbt.
     */
    public static void main(String[] args) throws RunnerException, org.openjdk.jmh.runner.options.CommandLineOptionException {
        int rounds = 1;
        java.util.List<String> jmhArgs = new java.util.ArrayList<>();
        for (int k = 0; k < args.length; k++) {
            if (args[k].equals("--rounds")) rounds = Integer.parseInt(args[++k]);
            else jmhArgs.add(args[k]);
        }
        CommandLineOptions cli = new CommandLineOptions(jmhArgs.toArray(String[]::new));
        Map<String, java.util.List<Double>> ns = new LinkedHashMap<>(), ratio = new LinkedHashMap<>();
        for (String name : NAMES) {
            ns.put(name, new java.util.ArrayList<>());
            ratio.put(name, new java.util.ArrayList<>());
        }
        for (int round = 0; round < rounds; round++) {
            Collection<RunResult> results = new Runner(new OptionsBuilder().parent(cli)
                    .include(ExitRoundTripBench.class.getName() + "\\.").build()).run();
            Map<String, Double> score = new LinkedHashMap<>();
            for (RunResult r : results) {
                String b = r.getParams().getBenchmark();
                score.put(b.substring(b.lastIndexOf('.') + 1), r.getPrimaryResult().getScore());
            }
            for (String name : NAMES) {
                Double x = score.get(name), a = score.get("duvisorDbt");
                if (x == null) continue;
                ns.get(name).add(x);
                if (a != null) ratio.get(name).add(x / a);
            }
        }
        System.out.printf("%nexit round trip (ECALL from VS), %d round(s), JDK %s%n", rounds, Runtime.version());
        System.out.printf("%-20s %12s %12s%n", "benchmark", "ns/trip", "x/(a)");
        for (String name : NAMES) {
            if (ns.get(name).isEmpty()) continue;
            System.out.printf("%-20s %12.1f %12.2f%n", name, median(ns.get(name)), median(ratio.get(name)));
        }
    }

    private static double median(java.util.List<Double> values) {
        if (values.isEmpty()) return Double.NaN;
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
