package org.duvisor.dbt.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class WarmupMeterTest {
    /** A synthetic run: 100 MIPS for the first second, 1000 MIPS after it, sampled every 50 ms. */
    @Test
    void reportsPeakAndTheFirstWindowsAtHalfAndNinetyPercent() {
        WarmupMeter m = new WarmupMeter(0, 0);
        long instructions = 0;
        for (long t = 50_000_000L; t <= 3_000_000_000L; t += 50_000_000L) {
            instructions += (t <= 1_000_000_000L ? 100 : 1000) * 50_000L; // MIPS × 50 ms
            m.sample(t, instructions);
        }
        WarmupMeter.Report r = m.report();
        assertThat(r.peakMips()).isCloseTo(1000, within(1e-6));
        // A 250 ms window ending at t has rate 100·x + 1000·(1-x), x = share before 1 s:
        // 550 MIPS is first reached at t = 1.15 s (x = 0.4 → 640), 900 at 1.25 s (x ≤ 0.1 → 1000 at 1.25 s).
        assertThat(r.secondsTo50()).isCloseTo(1.15, within(1e-9));
        assertThat(r.secondsTo90()).isCloseTo(1.25, within(1e-9));
    }

    /**
     * Samples every 50 ms except for one gap of a second at a constant 1000 MIPS (a guest looping
     * in one region): the window over the gap has the gap's average rate, and the gap is the
     * report's resolution.
     */
    @Test
    void aGapIsOneWindowAndTheReportsResolution() {
        WarmupMeter m = new WarmupMeter(0, 0);
        long instructions = 0, previous = 0;
        for (long t = 50_000_000L; t <= 3_000_000_000L; t += t == 1_000_000_000L ? 1_000_000_000L : 50_000_000L) {
            instructions += 1000 * (t - previous) / 1000; // 1000 MIPS = 1000 instructions per microsecond
            previous = t;
            m.sample(t, instructions);
        }
        WarmupMeter.Report r = m.report();
        assertThat(r.peakMips()).isCloseTo(1000, within(1e-6));
        assertThat(r.resolutionSeconds()).isCloseTo(1.0, within(1e-9));
    }

    /**
     * The first sample comes after 600 ms of translating at 50 MIPS, then 1000 MIPS sampled every
     * 50 ms: the first window is the gap (50 MIPS), 90 % of the peak is first seen in the window
     * ending at 0.85 s (0.6-0.85 s, all at 1000), and the resolution is 0.6 s.
     */
    @Test
    void aSlowStartBeforeTheFirstSampleCountsAsOneWindow() {
        WarmupMeter m = new WarmupMeter(0, 0);
        long instructions = 50 * 600_000L; // 50 MIPS for 600 ms
        m.sample(600_000_000L, instructions);
        for (long t = 650_000_000L; t <= 2_000_000_000L; t += 50_000_000L) {
            instructions += 1000 * 50_000L;
            m.sample(t, instructions);
        }
        WarmupMeter.Report r = m.report();
        assertThat(r.peakMips()).isCloseTo(1000, within(1e-6));
        assertThat(r.secondsTo90()).isCloseTo(0.85, within(1e-9));
        assertThat(r.resolutionSeconds()).isCloseTo(0.6, within(1e-9));
    }

    @Test
    void aRunShorterThanOneWindowHasNoReport() {
        WarmupMeter m = new WarmupMeter(0, 0);
        m.sample(100_000_000L, 1000);
        assertThat(m.report()).isNull();
    }
}
