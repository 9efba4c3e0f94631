package org.duvisor.bench.compare;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.function.ToDoubleBiFunction;

import org.duvisor.workloads.Workload;
import org.duvisor.workloads.WorkloadCatalogue;

/**
 * The full-system comparison: the same guest Linux (kernel Image + initramfs of
 * {@code workloads/linux}) booted by several system emulators alternately, N rounds, medians.
 * Measures, from console lines timestamped on the host as they arrive: boot to {@code DV-INIT}
 * and to power-off ({@code dv.run=hello}); each SPEC-like program inside the guest, from its
 * {@code DV-RUN} to its {@code DV-RESULT} line ({@code dv.run=spec}); and the same programs in
 * user mode, for the guest overhead (guest time / user-mode time). Prints the ratios against
 * qemu-system and the performance goals next to them. See {@code jmh-benchmarks/README.md} and
 * {@link #usage()}.
 */
public final class SystemSideBySide {

    /**
     * QEMU's virt board with the devices this project's board has too (virtio-rng and a virtio
     * console), so that both guests do the same work: with an RNG device the kernel feeds the
     * hardware randomness into its pool during boot (~20 M instructions of BLAKE2s here).
     */
    static final String QEMU_SYSTEM = "qemu-system-riscv64 -machine virt -cpu rv64 -smp {smp} -m {mem} -nographic"
            + " -device virtio-rng-device -device virtio-serial-device -device virtconsole"
            + " -kernel {kernel} -initrd {initrd} -append {append}";

    static final List<String> DEFAULT_RUNNERS = List.of(
            "dv-dbt={dv} boot --mode dbt --bios builtin --smp {smp} --mem {mem} --kernel {kernel} --initrd {initrd} --append {append}",
            "dv-interp={dv} boot --mode interp --bios builtin --smp {smp} --mem {mem} --kernel {kernel} --initrd {initrd} --append {append}",
            "dv-opensbi={dv} boot --mode dbt --bios opensbi --smp {smp} --mem {mem} --kernel {kernel} --initrd {initrd} --append {append}",
            "qemu=" + QEMU_SYSTEM);
    /** User-mode twins of the guest runners, paired by name. */
    static final List<String> DEFAULT_USER_RUNNERS = List.of("dv-dbt={dv} run --mode dbt --stats", "qemu=qemu-riscv64");

    static final String INIT = "DV-INIT";
    static final String TO_INIT = "boot to DV-INIT";
    static final String TO_EXIT = "boot to exit";
    static final String SUITE_TO_EXIT = "spec suite to exit";

    /** The performance targets the summary checks: at least qemu-system's speed, guest overhead at most 1.3x. */
    static final double SPEED_GOAL = 1.0;
    static final double OVERHEAD_GOAL = 1.3;

    enum Part { BOOT, SUITE, USER }

    static final class Options {
        final List<CommandTemplate> runners = new ArrayList<>();
        final List<CommandTemplate> userRunners = new ArrayList<>();
        final Set<Part> parts = new LinkedHashSet<>();
        final Set<String> only = new LinkedHashSet<>();
        String size = "test";
        int rounds = 3;
        String baseline = "qemu";
        int smp = 1;
        int mem = 256;
        String dv;
        Path kernel;
        Path initrd;
        String append = "console=ttyS0";
        Path root;
        Path cache;
        long timeoutSeconds = 1800;
    }

    /** Per measure (a table row) and runner, the seconds of each round; NaN where a round failed. */
    static final class Measures {
        final int rounds;
        final Map<String, Map<String, double[]>> rows = new LinkedHashMap<>();

        Measures(int rounds) {
            this.rounds = rounds;
        }

        void put(String row, String runner, int round, double seconds) {
            rows.computeIfAbsent(row, k -> new LinkedHashMap<>())
                    .computeIfAbsent(runner, k -> nans(rounds))[round] = seconds;
        }

        /** The rows as side-by-side results; a runner with a failed round is left out of that row. */
        List<SideBySide.Result> results() {
            List<SideBySide.Result> out = new ArrayList<>();
            rows.forEach((row, byRunner) -> {
                Map<String, double[]> ok = new LinkedHashMap<>();
                byRunner.forEach((runner, s) -> {
                    if (Arrays.stream(s).noneMatch(Double::isNaN)) ok.put(runner, s);
                });
                out.add(new SideBySide.Result(row, ok, null, Map.of(), null));
            });
            return out;
        }

        private static double[] nans(int n) {
            double[] d = new double[n];
            Arrays.fill(d, Double.NaN);
            return d;
        }
    }

    public static void main(String[] argv) throws Exception {
        Options o;
        try {
            o = parse(argv);
        } catch (IllegalArgumentException e) {
            if (!e.getMessage().equals("help")) System.err.println("SystemSideBySide: " + e.getMessage());
            System.err.println(usage());
            System.exit(e.getMessage().equals("help") ? 0 : 2);
            return;
        }
        try {
            System.exit(run(o, System.out, System.err));
        } catch (IllegalArgumentException | IllegalStateException | java.io.UncheckedIOException e) {
            System.err.println("SystemSideBySide: " + e.getMessage());
            System.exit(2);
        }
    }

    static String usage() {
        return """
            usage: java -cp jmh-benchmarks/target/benchmarks.jar org.duvisor.bench.compare.SystemSideBySide [options]
              --size test|ref        spec program size, in the guest and in user mode (default test)
              --rounds N             alternating rounds, medians reported (default 3)
              --parts boot,suite,user  what to measure (default all three)
              --only NAME,...        only these spec programs (one boot each, dv.run=spec-NAME)
              --smp N  --mem MiB     harts and RAM of every guest (default 1, 256)
              --dv COMMAND           the emulator's launcher for {dv} (default <root>/dv, which may rebuild
                                     the project: a plain java command line avoids that)
              --kernel FILE --initrd FILE   default <cache>/linux/Image, <cache>/linux/initramfs.cpio
              --append ARGS          base kernel command line (default console=ttyS0); dv.run= is added
              --runner NAME=COMMAND  a guest runner (repeatable; replaces the defaults); placeholders
                                     {dv} {kernel} {initrd} {append} {smp} {mem}. Defaults:
                                     dv-dbt, dv-interp, dv-opensbi (= {dv} boot ...), qemu (qemu-system-riscv64)
              --user-runner NAME=COMMAND  user-mode twin of guest runner NAME (repeatable; replaces the
                                     defaults dv-dbt='{dv} run --mode dbt --stats', qemu=qemu-riscv64);
                                     the program and its arguments are appended unless {bin}/{args} appear
              --baseline NAME        ratios are speed relative to NAME (default qemu)
              --root DIR  --cache DIR  --timeout SECONDS (per run, default 1800)
            Times are host wall clock: from process start to a console line's arrival, or to exit.""";
    }

    static Options parse(String[] argv) {
        Options o = new Options();
        for (CliOptions.Option opt : CliOptions.read(argv)) {
            String a = opt.name(), v = opt.value();
            switch (a) {
                case "--size" -> o.size = CliOptions.size(v);
                case "--rounds" -> o.rounds = CliOptions.positive(a, v);
                case "--parts" -> {
                    for (String p : v.split(",")) {
                        try {
                            o.parts.add(Part.valueOf(p.strip().toUpperCase(Locale.ROOT)));
                        } catch (IllegalArgumentException e) {
                            throw new IllegalArgumentException("--parts takes boot, suite, user; got " + p);
                        }
                    }
                }
                case "--only" -> Arrays.stream(v.split(",")).map(String::strip).filter(s -> !s.isEmpty()).forEach(o.only::add);
                case "--smp" -> o.smp = CliOptions.positive(a, v);
                case "--mem" -> o.mem = CliOptions.positive(a, v);
                case "--dv" -> o.dv = v;
                case "--kernel" -> o.kernel = Path.of(v);
                case "--initrd" -> o.initrd = Path.of(v);
                case "--append" -> o.append = v;
                case "--runner" -> o.runners.add(CommandTemplate.parse(v));
                case "--user-runner" -> o.userRunners.add(CommandTemplate.parse(v));
                case "--baseline" -> o.baseline = v;
                case "--root" -> o.root = Path.of(v);
                case "--cache" -> o.cache = Path.of(v);
                case "--timeout" -> o.timeoutSeconds = CliOptions.positive(a, v);
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (o.parts.isEmpty()) o.parts.addAll(List.of(Part.values()));
        if (o.runners.isEmpty()) DEFAULT_RUNNERS.forEach(s -> o.runners.add(CommandTemplate.parse(s)));
        Set<String> names = new LinkedHashSet<>();
        for (CommandTemplate r : o.runners) {
            if (!names.add(r.name())) throw new IllegalArgumentException("runner name used twice: " + r.name());
        }
        if (o.userRunners.isEmpty()) {
            // the default twins of the guest runners that are there
            DEFAULT_USER_RUNNERS.stream().map(CommandTemplate::parse).filter(r -> names.contains(r.name())).forEach(o.userRunners::add);
        }
        Set<String> userNames = new LinkedHashSet<>();
        for (CommandTemplate r : o.userRunners) {
            if (!names.contains(r.name())) throw new IllegalArgumentException("--user-runner " + r.name() + " has no guest runner of that name");
            if (!userNames.add(r.name())) throw new IllegalArgumentException("user runner name used twice: " + r.name());
        }
        if (!names.contains(o.baseline)) throw new IllegalArgumentException("--baseline " + o.baseline + " is not a runner");
        return o;
    }

    static int run(Options o, PrintStream out, PrintStream log) throws IOException, InterruptedException {
        if (o.cache != null) System.setProperty("dv.cache", o.cache.toAbsolutePath().toString());
        WorkloadCatalogue catalogue = WorkloadCatalogue.load(o.root != null ? o.root : WorkloadCatalogue.findProjectRoot());
        Path kernel = (o.kernel != null ? o.kernel : catalogue.linuxDir().resolve("Image")).toAbsolutePath();
        Path initrd = (o.initrd != null ? o.initrd : catalogue.linuxDir().resolve("initramfs.cpio")).toAbsolutePath();
        if (o.parts.contains(Part.BOOT) || o.parts.contains(Part.SUITE)) {
            for (Path p : List.of(kernel, initrd)) {
                if (!Files.isRegularFile(p)) {
                    throw new IllegalStateException("guest Linux image missing: " + p + " (build it: ./dv workloads build linux)");
                }
            }
        }
        List<Workload> programs = catalogue.ofKind(Workload.SPEC).stream()
                .filter(w -> o.only.isEmpty() || o.only.contains(w.name())).toList();
        Set<String> unknown = new LinkedHashSet<>(o.only);
        programs.forEach(w -> unknown.remove(w.name()));
        if (!unknown.isEmpty()) throw new IllegalArgumentException("not spec programs of the catalogue: " + unknown);
        List<String> dv = CommandTemplate.split(o.dv != null ? o.dv : catalogue.projectRoot().resolve("dv").toString());

        out.printf("# system side-by-side: size=%s rounds=%d smp=%d mem=%d MiB parts=%s baseline=%s%n",
                o.size, o.rounds, o.smp, o.mem, o.parts.toString().toLowerCase(Locale.ROOT), o.baseline);
        out.printf("# kernel=%s initrd=%s append=\"%s\"%n", kernel, initrd, o.append);
        out.printf("# host: %d cpus, %s %s; host wall time per run, runners alternate within each round%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"), System.getProperty("os.arch"));
        for (CommandTemplate r : o.runners) out.printf("# runner %s = %s%n", r.name(), r.text());
        for (CommandTemplate r : o.userRunners) out.printf("# user-mode runner %s = %s%n", r.name(), r.text());
        out.flush();

        Map<String, String> vars = new LinkedHashMap<>();
        vars.put("kernel", kernel.toString());
        vars.put("initrd", initrd.toString());
        vars.put("smp", Integer.toString(o.smp));
        vars.put("mem", Integer.toString(o.mem));
        String sizeArg = o.size.equals("ref") ? " dv.size=ref" : "";
        List<String> suiteRuns = o.only.isEmpty() ? List.of("dv.run=spec" + sizeArg)
                : programs.stream().map(w -> "dv.run=" + w.name() + sizeArg).toList();

        Measures boot = new Measures(o.rounds), suite = new Measures(o.rounds), user = new Measures(o.rounds);
        List<String> failures = new ArrayList<>();
        Set<String> noInit = new LinkedHashSet<>();
        Path tmp = Files.createTempDirectory("system-side-by-side");
        Path err = tmp.resolve("stderr");
        try {
            for (int round = 0; round < o.rounds; round++) {
                String tag = "round " + (round + 1) + "/" + o.rounds;
                if (o.parts.contains(Part.BOOT)) {
                    for (CommandTemplate r : o.runners) {
                        ConsoleLog c = ConsoleLog.run(guestCommand(r, vars, dv, o.append + " dv.run=hello"), err, o.timeoutSeconds);
                        String who = r.name() + " " + tag + " (dv.run=hello)";
                        if (!completed(c, who, failures)) continue;
                        OptionalDouble init = c.firstTime(INIT);
                        if (init.isPresent()) boot.put(TO_INIT, r.name(), round, init.getAsDouble());
                        else noInit.add(r.name());
                        boot.put(TO_EXIT, r.name(), round, c.exitSeconds());
                        log.printf(Locale.ROOT, "[boot %s] %s: %s %s, exit %.3f s%n", tag, r.name(), INIT,
                                init.isPresent() ? String.format(Locale.ROOT, "%.3f s", init.getAsDouble()) : "missing", c.exitSeconds());
                    }
                }
                if (o.parts.contains(Part.SUITE)) {
                    for (CommandTemplate r : o.runners) {
                        double total = 0;
                        boolean allOk = true;
                        for (String runArg : suiteRuns) {
                            ConsoleLog c = ConsoleLog.run(guestCommand(r, vars, dv, o.append + " " + runArg), err, o.timeoutSeconds);
                            String who = r.name() + " " + tag + " (" + runArg + ")";
                            boolean ok = completed(c, who, failures);
                            allOk &= ok;
                            total += c.exitSeconds();
                            Map<String, ConsoleLog.Span> spans = new LinkedHashMap<>();
                            c.spans().forEach(s -> spans.put(s.name(), s));
                            StringBuilder progress = new StringBuilder();
                            for (Workload w : programs) {
                                if (!o.only.isEmpty() && !runArg.equals("dv.run=" + w.name() + sizeArg)) continue;
                                ConsoleLog.Span s = spans.get(w.name());
                                if (s == null) {
                                    if (ok) failures.add(who + ": no DV-RUN/DV-RESULT pair for " + w.name() + "\n" + c.tail(10));
                                } else if (s.status() != 0) {
                                    failures.add(who + ": " + w.name() + " exited " + s.status() + " in the guest");
                                } else {
                                    suite.put(w.name(), r.name(), round, s.seconds());
                                    progress.append(String.format(Locale.ROOT, " %s %.3f", w.name(), s.seconds()));
                                }
                            }
                            log.printf(Locale.ROOT, "[suite %s] %s: exit %.3f s;%s%n", tag, r.name(), c.exitSeconds(), progress);
                        }
                        if (allOk && o.only.isEmpty()) boot.put(SUITE_TO_EXIT, r.name(), round, total);
                    }
                }
                if (o.parts.contains(Part.USER)) {
                    for (Workload w : programs) {
                        Path bin = catalogue.binary(w).toAbsolutePath();
                        if (!Files.isRegularFile(bin)) {
                            failures.add("user mode: missing binary " + bin + " (build it: ./dv workloads build " + w.name() + ")");
                            continue;
                        }
                        Map<String, String> uvars = Map.of("bin", bin.toString(), "name", w.name(), "cache", catalogue.cacheDir().toString());
                        List<String> args = o.size.equals("test") ? w.testArgs() : w.refArgs();
                        StringBuilder progress = new StringBuilder();
                        for (CommandTemplate r : o.userRunners) {
                            List<String> cmd = r.expand(uvars, Map.of("dv", dv), args);
                            SideBySide.Run run = SideBySide.runOnce(cmd, tmp, o.timeoutSeconds);
                            if (run.exit() != 0) {
                                failures.add(r.name() + " user mode " + tag + " " + w.name() + " exited " + run.exit() + ": "
                                        + String.join(" ", cmd) + "\n" + SideBySide.tail(run.stderr(), 10));
                                continue;
                            }
                            double s = userSeconds(run);
                            user.put(w.name(), r.name(), round, s);
                            progress.append(String.format(Locale.ROOT, " %s %.3f", r.name(), s));
                        }
                        log.printf("[user %s] %s:%s%n", tag, w.name(), progress);
                    }
                }
            }
        } finally {
            for (String f : new String[] {"stdout", "stderr"}) Files.deleteIfExists(tmp.resolve(f));
            Files.deleteIfExists(tmp);
        }
        List<String> runnerNames = o.runners.stream().map(CommandTemplate::name).toList();
        List<String> userNames = o.userRunners.stream().map(CommandTemplate::name).toList();
        if (!boot.rows.isEmpty()) {
            out.println();
            out.println("## boot (host wall seconds from process start; dv.run=hello, and the spec suite boot)");
            out.print(SideBySide.render(boot.results(), runnerNames, o.baseline, "measure", false));
            if (!noInit.isEmpty()) {
                out.println("# no " + INIT + " line from " + noInit + ": the initramfs predates it (rebuild: ./dv workloads build linux)");
            }
        }
        if (o.parts.contains(Part.SUITE)) {
            out.println();
            out.println("## spec programs inside the guest, size " + o.size + " (seconds from DV-RUN to DV-RESULT on the console)");
            out.print(SideBySide.render(suite.results(), runnerNames, o.baseline, "program", true));
        }
        if (o.parts.contains(Part.SUITE) && o.parts.contains(Part.USER)) {
            out.println();
            out.println("## guest overhead: the same programs in the guest vs in user mode, size " + o.size);
            out.print(renderOverhead(suite, user, userNames));
            if (o.size.equals("test")) {
                out.println("# size test: programs run for milliseconds; the user-mode emulator starts cold (fresh JVM and"
                        + " code cache) while the guest's is warm from the boot, so judge the overhead goal at --size ref");
            }
        }
        out.println();
        out.println("## goals (performance targets: as fast as qemu-system; guest overhead <= " + OVERHEAD_GOAL + "x)");
        out.print(renderGoals(boot, suite, user, runnerNames, userNames, o.baseline));
        for (String f : failures) out.println("FAIL " + f);
        return failures.isEmpty() ? 0 : 1;
    }

    static List<String> guestCommand(CommandTemplate r, Map<String, String> vars, List<String> dv, String append) {
        Map<String, String> v = new LinkedHashMap<>(vars);
        v.put("append", append);
        return r.fill(v, Map.of("dv", dv));
    }

    /**
     * A user-mode run's time: the emulator's own {@code dv-stats: seconds=} when it reports one
     * (its run without JVM start-up, like the guest's DV-RUN..DV-RESULT span, which also leaves
     * the JVM's start out), else the process's wall time.
     */
    static double userSeconds(SideBySide.Run run) {
        return run.stats().map(DvStats::seconds).orElse(run.seconds());
    }

    /** Checks a guest run ended well (exit 0, DV-DONE 0); records a failure and returns false if not. */
    private static boolean completed(ConsoleLog c, String who, List<String> failures) {
        if (c.exit() != 0) {
            failures.add(who + " exited " + c.exit() + "\n" + c.tail(10) + SideBySide.tail(c.stderr(), 5));
            return false;
        }
        if (c.done().isEmpty() || c.done().getAsInt() != 0) {
            failures.add(who + ": " + (c.done().isEmpty() ? "no DV-DONE line" : "DV-DONE " + c.done().getAsInt()) + "\n" + c.tail(10));
            return false;
        }
        return true;
    }

    /**
     * Per program and user-mode runner: guest seconds, user-mode seconds and their ratio (median
     * over rounds of guest/user; below 1.3 meets the goal), with a geometric-mean row over the
     * programs every pair completed.
     */
    static String renderOverhead(Measures guest, Measures user, List<String> pairs) {
        List<String> header = new ArrayList<>(List.of("program"));
        for (String n : pairs) header.addAll(List.of(n + " guest s", n + " user s", n + " guest/user"));
        TextTable t = new TextTable(header);
        List<List<Double>> columns = new ArrayList<>();
        for (int c = 1; c < header.size(); c++) columns.add(new ArrayList<>());
        Map<String, Map<String, double[]>> g = complete(guest), u = complete(user);
        Set<String> programs = new LinkedHashSet<>(guest.rows.keySet());
        programs.addAll(user.rows.keySet());
        int inGeomean = 0;
        for (String p : programs) {
            List<Double> vals = new ArrayList<>();
            boolean all = true;
            for (String n : pairs) {
                double[] gs = g.getOrDefault(p, Map.of()).get(n), us = u.getOrDefault(p, Map.of()).get(n);
                vals.add(gs == null ? Double.NaN : Stats.median(gs));
                vals.add(us == null ? Double.NaN : Stats.median(us));
                vals.add(gs == null || us == null ? Double.NaN : Stats.speedRatio(us, gs));
                all &= gs != null && us != null;
            }
            List<String> row = new ArrayList<>(List.of(p));
            for (int c = 0; c < vals.size(); c++) {
                row.add(TextTable.num(vals.get(c)));
                if (all) columns.get(c).add(vals.get(c));
            }
            if (all) inGeomean++;
            t.add(row);
        }
        t.rule();
        List<String> geo = new ArrayList<>(List.of("geomean"));
        for (List<Double> c : columns) geo.add(TextTable.num(Stats.geomean(c)));
        t.add(geo);
        String note = inGeomean == programs.size() ? "" : "# geomean over the " + inGeomean + " of " + programs.size() + " programs every pair ran\n";
        return t.render() + note
                + "# guest/user = median over rounds of t(guest)/t(user mode): 1.0 means no overhead, goal <= " + OVERHEAD_GOAL + "\n"
                + "# user s = the emulator's own dv-stats seconds= when it prints one (no JVM start-up), else wall time\n";
    }

    /**
     * One row per goal, one column per runner other than the baseline: boot to init, boot to exit
     * and the suite's geomean as speed relative to the baseline (goal at least 1), and the guest
     * overhead's geomean (goal at most 1.3) for runners that have a user-mode twin.
     */
    static String renderGoals(Measures boot, Measures suite, Measures user, List<String> runners, List<String> userRunners, String baseline) {
        List<String> others = runners.stream().filter(n -> !n.equals(baseline)).toList();
        List<String> header = new ArrayList<>(List.of("goal"));
        others.forEach(header::add);
        header.add("target");
        TextTable t = new TextTable(header);
        Map<String, Map<String, double[]>> b = complete(boot), s = complete(suite), u = complete(user);
        for (String row : List.of(TO_INIT, TO_EXIT)) {
            if (!b.containsKey(row)) continue;
            List<String> cells = new ArrayList<>(List.of(row + ", speed vs " + baseline));
            for (String n : others) cells.add(verdict(speed(b.get(row), n, baseline), true, SPEED_GOAL));
            cells.add(">= " + SPEED_GOAL);
            t.add(cells);
        }
        if (!s.isEmpty()) {
            List<String> cells = new ArrayList<>(List.of("spec in guest, geomean speed vs " + baseline));
            for (String n : others) cells.add(verdict(geomeanOver(s, (p, r) -> speed(r, n, baseline)), true, SPEED_GOAL));
            cells.add(">= " + SPEED_GOAL);
            t.add(cells);
        }
        if (!s.isEmpty() && !u.isEmpty()) {
            List<String> cells = new ArrayList<>(List.of("guest/user mode, geomean"));
            for (String n : others) {
                double v = !userRunners.contains(n) ? Double.NaN : geomeanOver(s, (p, row) -> {
                    double[] us = u.getOrDefault(p, Map.of()).get(n), gs = row.get(n);
                    return us == null || gs == null ? Double.NaN : Stats.speedRatio(us, gs);
                });
                cells.add(verdict(v, false, OVERHEAD_GOAL));
            }
            cells.add("<= " + OVERHEAD_GOAL);
            t.add(cells);
        }
        return t.render() + "# speed vs " + baseline + " = median over rounds of t(" + baseline + ")/t(X): above 1 means X is faster\n";
    }

    private static double speed(Map<String, double[]> row, String runner, String baseline) {
        double[] x = row.get(runner), base = row.get(baseline);
        return x == null || base == null ? Double.NaN : Stats.speedRatio(x, base);
    }

    /** Geometric mean of {@code f(program, row)} over the rows; NaN when any row has none. */
    private static double geomeanOver(Map<String, Map<String, double[]>> rows,
                                      ToDoubleBiFunction<String, Map<String, double[]>> f) {
        List<Double> v = new ArrayList<>();
        for (var e : rows.entrySet()) {
            double d = f.applyAsDouble(e.getKey(), e.getValue());
            if (Double.isNaN(d)) return Double.NaN; // a program missing for this runner: no like-for-like mean
            v.add(d);
        }
        return Stats.geomean(v);
    }

    static String verdict(double v, boolean atLeast, double goal) {
        if (Double.isNaN(v)) return "-";
        boolean met = atLeast ? v >= goal : v <= goal;
        return TextTable.num(v) + (met ? " (met)" : " (no)");
    }

    /** The rows with only the runners whose every round succeeded. */
    private static Map<String, Map<String, double[]>> complete(Measures m) {
        Map<String, Map<String, double[]>> out = new LinkedHashMap<>();
        for (SideBySide.Result r : m.results()) out.put(r.program(), r.seconds());
        return out;
    }
}
