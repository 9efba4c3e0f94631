package org.duvisor.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class StatsAndParsingTest {

    @Test
    void medianOfOddAndEvenCounts() {
        assertThat(Stats.median(3, 1, 2)).isEqualTo(2.0);
        assertThat(Stats.median(4, 1, 3, 2)).isEqualTo(2.5);
        assertThat(Stats.median(7)).isEqualTo(7.0);
        assertThatThrownBy(Stats::median).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void geomean() {
        assertThat(Stats.geomean(List.of(2.0, 8.0))).isCloseTo(4.0, within(1e-12));
        assertThat(Stats.geomean(List.of(1.0, 10.0, 100.0))).isCloseTo(10.0, within(1e-12));
        assertThat(Stats.geomean(List.of())).isNaN();
        assertThatThrownBy(() -> Stats.geomean(List.of(1.0, 0.0))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void speedRatioIsTheMedianOfPerRoundRatios() {
        // per round tB/tX = 0.5, 1.0, 0.5 -> 0.5 (the ratio of medians would be 2/2 = 1.0)
        assertThat(Stats.speedRatio(new double[] {2, 2, 6}, new double[] {1, 2, 3})).isEqualTo(0.5);
        assertThat(Stats.mips(5_000_000_000L, 2.5)).isCloseTo(2000.0, within(1e-9));
    }

    @Test
    void parsesTheStatsLine() {
        DvStats s = DvStats.parseLine("dv-stats: instructions=123456789 seconds=1.5 mips=82.3");
        assertThat(s.instructions()).isEqualTo(123_456_789L);
        assertThat(s.seconds()).isEqualTo(1.5);
        assertThat(s.mips()).isEqualTo(82.3);
        assertThat(s.warmup90()).isEmpty();
        assertThat(s.peakMips()).isEmpty();
    }

    @Test
    void readsTheWarmUpLine() {
        // the lines ./dv run --stats prints (cli.Main): the process's, then the warm-up meter's
        String err = "dv-stats: instructions=10086706729 seconds=5.652302 mips=1784.5 syscalls=17\n"
                + "dv-stats: peak-mips=2573.4 warmup-50%=1.56s warmup-90%=2.53s warmup-resolution=0.31s\n";
        DvStats s = DvStats.find(err).orElseThrow();
        assertThat(s.peakMips()).hasValue(2573.4);
        assertThat(s.warmup50()).hasValue(1.56);
        assertThat(s.warmup90()).hasValue(2.53);
        assertThat(s.warmupResolution()).hasValue(0.31);
    }

    @Test
    void findsTheLastStatsLineAmongOtherOutput() {
        String err = "dv: building\nwarning: x\ndv-stats: instructions=1 seconds=1 mips=1\r\n"
                + "dv-stats: instructions=42 seconds=0.5 mips=0.000084\ntrailing\n";
        assertThat(DvStats.find(err)).hasValueSatisfying(s -> assertThat(s.instructions()).isEqualTo(42));
        assertThat(DvStats.find("no stats here\n")).isEmpty();
        assertThat(DvStats.find("dv-stats: regions=3 compile-ms=5.0\n")).isEmpty();
    }

    @Test
    void mergesTheEngineCounterLines() {
        // the shape ./dv run --mode dbt --stats prints: the main line, then the engine's counters
        String err = "dv-stats: instructions=1000 seconds=0.500000 mips=0.0 syscalls=7\n"
                + "dv-stats: regions=4 translated-insns=90 bytecode-bytes=1200 compile-ms=250.0 compile-failures=0\n"
                + "dv-stats: code-cache-regions=4 tlb-entries=256\n";
        DvStats s = DvStats.find(err).orElseThrow();
        assertThat(s.instructions()).isEqualTo(1000);
        assertThat(s.seconds()).isEqualTo(0.5);
        assertThat(s.compileSeconds()).hasValue(0.25);
        assertThat(s.fields()).containsEntry("syscalls", "7").containsEntry("tlb-entries", "256");
    }

    @Test
    void rejectsBrokenStatsLines() {
        assertThatThrownBy(() -> DvStats.parseLine("dv-stats: seconds=1 mips=2"))
                .hasMessageContaining("instructions");
        assertThatThrownBy(() -> DvStats.parseLine("dv-stats: instructions=x seconds=1 mips=2"))
                .hasMessageContaining("bad instructions");
        assertThatThrownBy(() -> DvStats.parseLine("dv-stats: instructions=1 seconds=1 mips"))
                .hasMessageContaining("bad field");
        assertThatThrownBy(() -> DvStats.parseLine("stats: instructions=1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tableIsAligned() {
        TextTable t = new TextTable(List.of("program", "a s", "b/a"));
        t.add(List.of("x", "1.000", "12.50"));
        t.add(List.of("longer", "10.00", "-"));
        t.rule();
        t.add(List.of("geomean", "3.162", "12.50"));
        assertThat(t.render()).isEqualTo("""
                program    a s    b/a
                -------  -----  -----
                x        1.000  12.50
                longer   10.00      -
                -------  -----  -----
                geomean  3.162  12.50
                """);
        assertThat(TextTable.num(0.0812345)).isEqualTo("0.0812");
        assertThat(TextTable.num(1234.6)).isEqualTo("1235");
        assertThat(TextTable.num(Double.NaN)).isEqualTo("-");
    }

    @Test
    void rendersMediansMipsRatiosAndGeomean() {
        var p1 = new SideBySide.Result("p1",
                Map.of("qemu", new double[] {3, 1, 2}, "native", new double[] {0.5, 0.4, 0.6}), 1_000_000_000L, Map.of(), null);
        var p2 = new SideBySide.Result("p2",
                Map.of("qemu", new double[] {8, 8, 8}, "native", new double[] {1, 1, 1}), 4_000_000_000L, Map.of(), null);
        String out = SideBySide.render(List.of(p1, p2), List.of("qemu", "native"), "native");
        // p1: medians 2 and 0.5 s; MIPS 500 and 2000; per-round 0.5/3, 0.4/1, 0.6/2 -> median 0.3
        // p2: 8 and 1 s; MIPS 500 and 4000; ratio 0.125
        // geomean: sqrt(2*8)=4, sqrt(0.5*1)=0.7071, 500, sqrt(2000*4000)=2828, sqrt(0.3*0.125)=0.1936
        assertThat(out).isEqualTo("""
                program  qemu s  native s  qemu MIPS  native MIPS  qemu/native
                -------  ------  --------  ---------  -----------  -----------
                p1        2.000    0.5000      500.0         2000       0.3000
                p2        8.000     1.000      500.0         4000       0.1250
                -------  ------  --------  ---------  -----------  -----------
                geomean   4.000    0.7071      500.0         2828       0.1936
                # X/native = median over rounds of t(native)/t(X): above 1 means X is faster
                """);
    }

    @Test
    void geomeanRowSkipsProgramsSomeRunnerDidNotRun() {
        var both = new SideBySide.Result("both",
                Map.of("a", new double[] {4}, "b", new double[] {1}), null, Map.of(), null);
        var onlyA = new SideBySide.Result("onlyA", Map.of("a", new double[] {100}), null, Map.of(), null);
        String out = SideBySide.render(List.of(both, onlyA), List.of("a", "b"), "a");
        assertThat(out).isEqualTo("""
                program    a s    b s    b/a
                -------  -----  -----  -----
                both     4.000  1.000  4.000
                onlyA    100.0      -      -
                -------  -----  -----  -----
                geomean  4.000  1.000  4.000
                # geomean over the 1 of 2 programs that every runner ran
                # X/a = median over rounds of t(a)/t(X): above 1 means X is faster
                """);
    }

    @Test
    void splitsAndExpandsRunnerCommands() {
        assertThat(CommandTemplate.split("./dv run  --mode 'a b' \"c\\\"d\" e\\ f")).containsExactly("./dv", "run", "--mode", "a b", "c\"d", "e f");
        var vars = Map.of("bin", "/c/riscv64/spec-x", "native", "/c/native/spec-x", "name", "spec-x", "cache", "/c");
        assertThat(CommandTemplate.parse("qemu=qemu-riscv64").expand(vars, List.of("ref")))
                .containsExactly("qemu-riscv64", "/c/riscv64/spec-x", "ref");
        CommandTemplate nat = CommandTemplate.parse("native={native}");
        assertThat(nat.usesNative()).isTrue();
        assertThat(nat.expand(vars, List.of("ref"))).containsExactly("/c/native/spec-x", "ref");
        assertThat(CommandTemplate.parse("t=time {bin} {args} --name={name}").expand(vars, List.of("a", "b")))
                .containsExactly("time", "/c/riscv64/spec-x", "a", "b", "--name=spec-x");
    }
}
