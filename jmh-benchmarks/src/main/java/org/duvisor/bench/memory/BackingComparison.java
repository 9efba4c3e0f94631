package org.duvisor.bench.memory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import org.duvisor.bench.compare.Stats;
import org.duvisor.bench.compare.TextTable;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs the guest-memory backing benchmarks side by side on a noisy machine: for each round, each
 * pattern, the four backings one after another (start rotating per round), one JMH fork each with
 * the usual 5 x 1 s warm-up and 5 x 1 s measurement. A fork's score is its best (lowest)
 * measurement iteration, since on a shared machine other load only ever adds time; the table gives per backing and pattern the median score over rounds and
 * the median over rounds of {@code score / score(a)} (ns ratio: below 1 means faster than (a)).
 *
 * <pre>java -cp jmh-benchmarks/target/benchmarks.jar org.duvisor.bench.memory.BackingComparison [--rounds N] [--quick] [--patterns a,b]</pre>
 */
public final class BackingComparison {
    static final String[] BACKINGS = {"MmapSegmentBench", "ArenaSegmentBench", "AgronaBench", "ByteArrayBench"};
    static final String[] LABELS = {"(a) mmap segment", "(b) Arena.ofShared", "(c) Agrona Unsafe", "(d) byte[]+VarHandle"};
    static final String[] PATTERNS = {"seqLoad64", "randomLoad64", "byteLoads", "store32", "memcpy64"};

    private BackingComparison() {}

    public static void main(String[] args) throws RunnerException {
        int rounds = 3;
        boolean quick = false;
        String[] patterns = PATTERNS;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--quick" -> quick = true;
                case "--patterns" -> patterns = args[++i].split(",");
                default -> throw new IllegalArgumentException("usage: [--rounds N] [--quick] [--patterns p,q]");
            }
        }
        Fork fork = GuestMemoryBench.class.getAnnotation(Fork.class);
        System.out.printf("# driver JDK %s (%s); forks: %s; %s; %d rounds; fork score = best iteration%n", Runtime.version(),
                System.getProperty("java.vm.name"), String.join(" ", fork.jvmArgsAppend()),
                quick ? "quick: 2 x 0.5 s warm-up, 3 x 0.5 s measurement" : "5 x 1 s warm-up, 5 x 1 s measurement", rounds);

        double[][][] score = new double[patterns.length][BACKINGS.length][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int p = 0; p < patterns.length; p++) {
                for (int k = 0; k < BACKINGS.length; k++) {
                    int b = (k + r) % BACKINGS.length;
                    score[p][b][r] = runOne(BACKINGS[b], patterns[p], quick);
                    System.out.printf(Locale.ROOT, "# round %d %-18s %-13s %.3f ns/op%n", r + 1, BACKINGS[b], patterns[p], score[p][b][r]);
                }
            }
        }

        List<String> header = new ArrayList<>(List.of("pattern (ns/access)"));
        for (int b = 0; b < BACKINGS.length; b++) header.add(LABELS[b]);
        for (int b = 1; b < BACKINGS.length; b++) header.add(LABELS[b].substring(0, 3) + "/(a)");
        TextTable t = new TextTable(header);
        List<List<Double>> ratioCols = new ArrayList<>();
        for (int b = 1; b < BACKINGS.length; b++) ratioCols.add(new ArrayList<>());
        for (int p = 0; p < patterns.length; p++) {
            List<String> row = new ArrayList<>(List.of(patterns[p]));
            for (int b = 0; b < BACKINGS.length; b++) row.add(TextTable.num(Stats.median(score[p][b])));
            for (int b = 1; b < BACKINGS.length; b++) {
                double ratio = Stats.speedRatio(score[p][0], score[p][b]); // median of s_b / s_a
                ratioCols.get(b - 1).add(ratio);
                row.add(TextTable.num(ratio));
            }
            t.add(row);
        }
        t.rule();
        List<String> geo = new ArrayList<>(List.of("geomean"));
        for (int b = 0; b < BACKINGS.length; b++) geo.add("");
        for (Collection<Double> c : ratioCols) geo.add(TextTable.num(Stats.geomean(c)));
        t.add(geo);
        System.out.print(t.render());
        System.out.println("# x/(a) = median over rounds of ns(x)/ns(a): above 1 means slower than (a)");
        System.out.println("# raw: " + Arrays.deepToString(score));
    }

    static double runOne(String backing, String pattern, boolean quick) throws RunnerException {
        OptionsBuilder ob = new OptionsBuilder();
        ob.include("^" + Pattern.quote(GuestMemoryBench.class.getPackageName() + "." + backing + "." + pattern) + "$")
                .forks(1)
                .verbosity(VerboseMode.SILENT);
        if (quick) {
            ob.warmupIterations(2).warmupTime(TimeValue.milliseconds(500))
                    .measurementIterations(3).measurementTime(TimeValue.milliseconds(500));
        }
        Options opts = ob.build();
        Collection<RunResult> results = new Runner(opts).run();
        List<Double> it = new ArrayList<>();
        for (RunResult rr : results) {
            for (BenchmarkResult br : rr.getBenchmarkResults()) {
                for (IterationResult ir : br.getIterationResults()) it.add(ir.getPrimaryResult().getScore());
            }
        }
        if (it.isEmpty()) throw new IllegalStateException("no result for " + backing + "." + pattern);
        return it.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    }
}
