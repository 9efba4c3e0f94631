package org.duvisor.bench.compare;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.duvisor.workloads.Workload;
import org.duvisor.workloads.WorkloadCatalogue;

/**
 * Runs two or more commands on the same guest programs alternately (A B A B ..., N rounds),
 * times each run's wall clock, checks every run exits 0 with the same stdout, and prints per
 * program the median seconds and guest MIPS of each runner and each runner's speed relative to the
 * baseline, with a geometric-mean row. See {@code jmh-benchmarks/README.md} and {@link #usage()}.
 */
public final class SideBySide {

    /** One timed run. */
    record Run(double seconds, int exit, String stdout, String stderr, Optional<DvStats> stats) {}

    /**
     * What one program produced: per runner the seconds of each round (absent when n/a), the guest
     * instruction count (null when no runner reported one), and extra columns from the emulator's
     * report (e.g. "interp warm-up s", "dbt compile s": medians over rounds).
     */
    record Result(String program, Map<String, double[]> seconds, Long instructions,
                  Map<String, Double> extra, String failure) {}

    static final class Options {
        final List<CommandTemplate> runners = new ArrayList<>();
        String size = "ref";
        Set<String> only = new LinkedHashSet<>();
        String kind;
        int rounds = 5;
        int warmupRounds = 0;
        String baseline;
        Path root;
        Path cache;
        long timeoutSeconds = 3600;
    }

    public static void main(String[] argv) throws Exception {
        Options o;
        try {
            o = parse(argv);
        } catch (IllegalArgumentException e) {
            System.err.println("SideBySide: " + e.getMessage());
            System.err.println(usage());
            System.exit(2);
            return;
        }
        try {
            System.exit(run(o, System.out, System.err));
        } catch (IllegalArgumentException | IllegalStateException | java.io.UncheckedIOException e) {
            System.err.println("SideBySide: " + e.getMessage());
            System.exit(2);
        }
    }

    static String usage() {
        return """
            usage: java -cp jmh-benchmarks/target/benchmarks.jar org.duvisor.bench.compare.SideBySide \\
                     --runner NAME=COMMAND --runner NAME=COMMAND [...] [options]
              --runner NAME=COMMAND  a command line; the program and its args are appended unless it
                                     uses {bin} (riscv64 binary), {native} (native x86 build), {args};
                                     also {name}, {cache}. e.g. qemu=qemu-riscv64  native={native}
                                     interp='./dv run --mode interp --stats'
              --size test|ref        which arguments of the catalogue to pass (default ref)
              --only NAME,...        only these workloads          --kind KIND  only this kind (e.g. spec)
              --rounds N             alternating rounds (default 5)
              --warmup-rounds N      untimed rounds first, exit status checked (default 0)
              --baseline NAME        ratios are X/NAME (default: the second runner, else the first)
              --root DIR             project root holding workloads/catalogue.tsv (default: this
                                     directory or the nearest parent that has one)
              --cache DIR            default: -Ddv.cache, else ${DV_CACHE:-$HOME/.cache/duvisor}
              --timeout SECONDS      per run (default 3600)
            Guest MIPS use the instruction count of a 'dv-stats: instructions=N ...' stderr line.""";
    }

    static Options parse(String[] argv) {
        Options o = new Options();
        for (CliOptions.Option opt : CliOptions.read(argv)) {
            String a = opt.name(), v = opt.value();
            switch (a) {
                case "--runner" -> o.runners.add(CommandTemplate.parse(v));
                case "--size" -> o.size = CliOptions.size(v);
                case "--only" -> Arrays.stream(v.split(",")).map(String::strip).filter(s -> !s.isEmpty()).forEach(o.only::add);
                case "--kind" -> o.kind = v;
                case "--rounds" -> o.rounds = CliOptions.positive(a, v);
                case "--warmup-rounds" -> o.warmupRounds = v.equals("0") ? 0 : CliOptions.positive(a, v);
                case "--baseline" -> o.baseline = v;
                case "--root" -> o.root = Path.of(v);
                case "--cache" -> o.cache = Path.of(v);
                case "--timeout" -> o.timeoutSeconds = CliOptions.positive(a, v);
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (o.runners.isEmpty()) throw new IllegalArgumentException("give at least one --runner");
        Set<String> names = new LinkedHashSet<>();
        for (CommandTemplate r : o.runners) {
            if (!names.add(r.name())) throw new IllegalArgumentException("runner name used twice: " + r.name());
        }
        if (o.baseline == null) o.baseline = o.runners.get(o.runners.size() > 1 ? 1 : 0).name();
        if (!names.contains(o.baseline)) throw new IllegalArgumentException("--baseline " + o.baseline + " is not a runner");
        return o;
    }

    static int run(Options o, PrintStream out, PrintStream log) throws IOException, InterruptedException {
        if (o.cache != null) System.setProperty("dv.cache", o.cache.toAbsolutePath().toString());
        WorkloadCatalogue catalogue = WorkloadCatalogue.load(o.root != null ? o.root : WorkloadCatalogue.findProjectRoot());
        Path catalogueFile = catalogue.projectRoot().resolve(WorkloadCatalogue.CATALOGUE_FILE);
        List<Workload> all = catalogue.all();
        List<Workload> chosen = new ArrayList<>();
        for (Workload w : all) {
            if (!o.only.isEmpty() && !o.only.contains(w.name())) continue;
            if (o.kind != null && !o.kind.equals(w.kind())) continue;
            chosen.add(w);
        }
        Set<String> unknown = new LinkedHashSet<>(o.only);
        all.forEach(w -> unknown.remove(w.name()));
        if (!unknown.isEmpty()) throw new IllegalArgumentException("not in the catalogue " + catalogueFile + ": " + unknown);
        if (chosen.isEmpty()) throw new IllegalArgumentException("no workloads selected from " + catalogueFile);

        out.printf("# side-by-side: size=%s rounds=%d warm-up rounds=%d baseline=%s catalogue=%s%n",
                o.size, o.rounds, o.warmupRounds, o.baseline, catalogueFile);
        out.printf("# host: %d cpus, %s %s; wall time per run, runners alternate within each round%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"), System.getProperty("os.arch"));
        for (CommandTemplate r : o.runners) out.printf("# runner %s = %s%n", r.name(), r.text());
        out.flush();

        Path tmp = Files.createTempDirectory("side-by-side");
        List<Result> results = new ArrayList<>();
        try {
            for (Workload w : chosen) results.add(runProgram(o, catalogue, w, tmp, log));
        } finally {
            for (String f : new String[] {"stdout", "stderr"}) Files.deleteIfExists(tmp.resolve(f));
            Files.deleteIfExists(tmp);
        }
        out.print(render(results, o.runners.stream().map(CommandTemplate::name).toList(), o.baseline));
        boolean failed = false;
        for (Result r : results) {
            if (r.failure() != null) {
                out.println("FAIL " + r.program() + ": " + r.failure());
                failed = true;
            }
        }
        return failed ? 1 : 0;
    }

    static Result runProgram(Options o, WorkloadCatalogue catalogue, Workload w, Path tmp, PrintStream log)
            throws IOException, InterruptedException {
        Path bin = catalogue.binary(w).toAbsolutePath();
        Path nat = w.isSpec() ? catalogue.nativeBinary(w).toAbsolutePath() : null;
        if (!Files.isRegularFile(bin)) {
            return new Result(w.name(), Map.of(), null, Map.of(), "missing binary " + bin + " (build it: bash workloads/build.sh " + w.name() + ")");
        }
        Map<String, String> vars = new LinkedHashMap<>();
        vars.put("bin", bin.toString());
        vars.put("native", nat == null ? "" : nat.toString());
        vars.put("name", w.name());
        vars.put("cache", catalogue.cacheDir().toString());
        List<String> args = o.size.equals("test") ? w.testArgs() : w.refArgs();

        List<CommandTemplate> active = new ArrayList<>();
        Map<String, List<String>> commands = new LinkedHashMap<>();
        for (CommandTemplate r : o.runners) {
            if (r.usesNative() && (nat == null || !Files.isRegularFile(nat))) {
                log.printf("[%s] %s: no native build, n/a%n", w.name(), r.name());
                continue;
            }
            active.add(r);
            commands.put(r.name(), r.expand(vars, args));
        }
        Map<String, double[]> seconds = new LinkedHashMap<>();
        Map<String, List<Double>> warm = new LinkedHashMap<>();
        for (CommandTemplate r : active) seconds.put(r.name(), new double[o.rounds]);
        String refOut = null, refWho = null, failure = null;
        Long instructions = null;
        String instrWho = null;
        rounds:
        for (int round = -o.warmupRounds; round < o.rounds; round++) {
            StringBuilder progress = new StringBuilder();
            for (CommandTemplate r : active) {
                List<String> cmd = commands.get(r.name());
                Run run = runOnce(cmd, tmp, o.timeoutSeconds);
                String who = r.name() + (round < 0 ? " warm-up round " + (round + o.warmupRounds + 1) : " round " + (round + 1));
                if (run.exit() != 0) {
                    failure = who + " exited " + run.exit() + ": " + String.join(" ", cmd) + "\n" + tail(run.stderr(), 10);
                    break rounds;
                }
                if (round < 0) {
                    // warm-up runs may carry one-off noise (./dv rebuilding the project): exit status only
                    progress.append(String.format(Locale.ROOT, " %s %.3fs", r.name(), run.seconds()));
                    continue;
                }
                if (refOut == null) {
                    refOut = run.stdout();
                    refWho = who;
                } else if (!refOut.equals(run.stdout())) {
                    failure = "stdout of " + who + " differs from " + refWho + ": " + firstDifference(refOut, run.stdout());
                    break rounds;
                }
                seconds.get(r.name())[round] = run.seconds();
                if (run.stats().isPresent()) {
                    DvStats s = run.stats().get();
                    if (instructions == null) {
                        instructions = s.instructions();
                        instrWho = who;
                    } else if (instructions != s.instructions()) {
                        log.printf("[%s] warning: %s reports %d instructions, %s reported %d%n",
                                w.name(), who, s.instructions(), instrWho, instructions);
                    }
                    // Warm-up: the emulator's own peak and the time to reach 50 % and 90 % of it.
                    s.peakMips().ifPresent(v -> warm.computeIfAbsent(r.name() + " peak MIPS", k -> new ArrayList<>()).add(v));
                    s.warmup50().ifPresent(v -> warm.computeIfAbsent(r.name() + " 50% s", k -> new ArrayList<>()).add(v));
                    s.warmup90().ifPresent(v -> warm.computeIfAbsent(r.name() + " 90% s", k -> new ArrayList<>()).add(v));
                    s.warmupResolution().ifPresent(v -> warm.computeIfAbsent(r.name() + " warm-up ± s", k -> new ArrayList<>()).add(v));
                    if (s.compileSeconds().isPresent()) {
                        warm.computeIfAbsent(r.name() + " compile s", k -> new ArrayList<>()).add(s.compileSeconds().getAsDouble());
                    }
                }
                progress.append(String.format(Locale.ROOT, " %s %.3fs", r.name(), run.seconds()));
            }
            if (round < 0) log.printf("[%s] warm-up:%s%n", w.name(), progress);
            else log.printf("[%s] round %d/%d:%s%n", w.name(), round + 1, o.rounds, progress);
        }
        Map<String, Double> warmMedian = new LinkedHashMap<>();
        warm.forEach((k, v) -> warmMedian.put(k, Stats.median(v.stream().mapToDouble(Double::doubleValue).toArray())));
        return new Result(w.name(), failure == null ? seconds : Map.of(), instructions, warmMedian, failure);
    }

    static Run runOnce(List<String> cmd, Path tmp, long timeoutSeconds) throws IOException, InterruptedException {
        File outF = tmp.resolve("stdout").toFile(), errF = tmp.resolve("stderr").toFile();
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(outF)
                .redirectError(errF);
        long t0 = System.nanoTime();
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return new Run(0, 127, "", "cannot start: " + e.getMessage(), Optional.empty());
        }
        boolean done = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        long t1 = System.nanoTime();
        if (!done) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor();
        }
        String stdout = Files.readString(outF.toPath(), StandardCharsets.ISO_8859_1);
        String stderr = Files.readString(errF.toPath(), StandardCharsets.ISO_8859_1);
        if (!done) return new Run((t1 - t0) / 1e9, 124, stdout, stderr + "\n(timed out after " + timeoutSeconds + " s)", Optional.empty());
        Optional<DvStats> stats;
        try {
            stats = DvStats.find(stderr);
        } catch (IllegalArgumentException e) {
            return new Run((t1 - t0) / 1e9, 125, stdout, stderr + "\n(" + e.getMessage() + ")", Optional.empty());
        }
        return new Run((t1 - t0) / 1e9, p.exitValue(), stdout, stderr, stats);
    }

    /** The table: seconds, MIPS, ratios against the baseline, warm-up/compile; then a geometric-mean row. */
    static String render(List<Result> results, List<String> runners, String baseline) {
        return render(results, runners, baseline, "program", true);
    }

    /** {@link #render(List, List, String)} with {@code rowLabel} over the first column, with or without the geometric-mean row. */
    static String render(List<Result> results, List<String> runners, String baseline, String rowLabel, boolean geomeanRow) {
        boolean anyMips = results.stream().anyMatch(r -> r.instructions() != null);
        Set<String> extraCols = new LinkedHashSet<>();
        results.forEach(r -> extraCols.addAll(r.extra().keySet()));
        List<String> others = runners.stream().filter(n -> !n.equals(baseline)).toList();

        List<String> header = new ArrayList<>(List.of(rowLabel));
        for (String n : runners) header.add(n + " s");
        if (anyMips) for (String n : runners) header.add(n + " MIPS");
        for (String n : others) header.add(n + "/" + baseline);
        header.addAll(extraCols);
        int cols = header.size();

        // The geomean row is over the programs every runner completed, so that its columns compare
        // like with like; only when there is no such program is each column taken on its own.
        List<Result> complete = results.stream()
                .filter(r -> r.failure() == null && runners.stream().allMatch(n -> r.seconds().get(n) != null)).toList();
        boolean allRows = complete.isEmpty();
        List<List<Double>> columns = new ArrayList<>();
        for (int c = 1; c < cols; c++) columns.add(new ArrayList<>());
        TextTable t = new TextTable(header);
        for (Result r : results) {
            boolean inGeomean = allRows || complete.contains(r);
            List<String> row = new ArrayList<>(List.of(r.program()));
            List<Double> vals = new ArrayList<>();
            for (String n : runners) vals.add(median(r.seconds().get(n)));
            if (anyMips) {
                for (String n : runners) {
                    double s = median(r.seconds().get(n));
                    vals.add(r.instructions() == null || Double.isNaN(s) ? Double.NaN : Stats.mips(r.instructions(), s));
                }
            }
            for (String n : others) {
                double[] x = r.seconds().get(n), b = r.seconds().get(baseline);
                vals.add(x == null || b == null ? Double.NaN : Stats.speedRatio(x, b));
            }
            for (String n : extraCols) vals.add(r.extra().getOrDefault(n, Double.NaN));
            for (int c = 0; c < vals.size(); c++) {
                double v = vals.get(c);
                row.add(r.failure() != null ? "FAIL" : TextTable.num(v));
                if (inGeomean && !Double.isNaN(v) && v > 0) columns.get(c).add(v);
            }
            t.add(row);
        }
        if (geomeanRow) {
            t.rule();
            List<String> geo = new ArrayList<>(List.of("geomean"));
            for (List<Double> c : columns) geo.add(TextTable.num(Stats.geomean(c)));
            t.add(geo);
        }
        String note = !geomeanRow || allRows || complete.size() == results.size() ? ""
                : "# geomean over the " + complete.size() + " of " + results.size() + " programs that every runner ran\n";
        return t.render() + note + "# X/" + baseline + " = median over rounds of t(" + baseline + ")/t(X): above 1 means X is faster\n";
    }

    private static double median(double[] v) {
        return v == null ? Double.NaN : Stats.median(v);
    }

    static String tail(String s, int lines) {
        String[] l = s.split("\\R");
        return String.join("\n", Arrays.copyOfRange(l, Math.max(0, l.length - lines), l.length));
    }

    static String firstDifference(String a, String b) {
        String[] x = a.split("\n", -1), y = b.split("\n", -1);
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            String p = i < x.length ? x[i] : "<end>", q = i < y.length ? y[i] : "<end>";
            if (!p.equals(q)) return "line " + (i + 1) + ": '" + p + "' vs '" + q + "'";
        }
        return "(same lines, different bytes)";
    }

}
