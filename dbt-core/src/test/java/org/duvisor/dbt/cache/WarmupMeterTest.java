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

    /** Samples every 50 ms except for one gap of a second (a guest looping in one region): no report. */
    @Test
    void aGapLongerThanAWindowHasNoReport() {
        WarmupMeter m = new WarmupMeter(0, 0);
        long instructions = 0;
        for (long t = 50_000_000L; t <= 3_000_000_000L; t += t == 1_000_000_000L ? 1_000_000_000L : 50_000_000L) {
            instructions += 1000 * 50_000L;
            m.sample(t, instructions);
        }
        assertThat(m.report()).isNull();
    }

    @Test
    void aRunShorterThanOneWindowHasNoReport() {
        WarmupMeter m = new WarmupMeter(0, 0);
        m.sample(100_000_000L, 1000);
        assertThat(m.report()).isNull();
    }
}
