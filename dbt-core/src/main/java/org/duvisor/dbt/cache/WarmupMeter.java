package org.duvisor.dbt.cache;

import java.util.Arrays;

/**
 * Measures warm-up: samples (time, instructions retired) while a guest runs, and reports the peak
 * rate over sliding windows and when the rate first reached 50 % and 90 % of that peak.
 */
public final class WarmupMeter {
    /** Rates are measured over windows this long. */
    static final long WINDOW_NANOS = 250_000_000L;
    /** Samples closer together than this are merged. */
    static final long MIN_SPACING_NANOS = 20_000_000L;

    private long[] times = new long[1024];
    private long[] counts = new long[1024];
    private int n;
    private final long start;

    public WarmupMeter(long startNanos, long startInstructions) {
        start = startNanos;
        times[0] = 0;
        counts[0] = startInstructions;
        n = 1;
    }

    public void sample(long nanos, long instructions) {
        long t = nanos - start;
        if (t - times[n - 1] < MIN_SPACING_NANOS) return;
        if (n == times.length) {
            times = Arrays.copyOf(times, n * 2);
            counts = Arrays.copyOf(counts, n * 2);
        }
        times[n] = t;
        counts[n++] = instructions;
    }

    /** Peak MIPS and the first times (seconds from start) the windowed rate reached 50 % and 90 % of it. */
    public record Report(double peakMips, double secondsTo50, double secondsTo90) {
    }

    /**
     * Null when the run was shorter than one window, or when two samples lie more than a window
     * apart: the rate in between is unknown (a guest that stays in one translated region is sampled
     * only when it leaves it), and a peak or a time to reach it would be made up.
     */
    public Report report() {
        for (int i = 1; i < n; i++) if (times[i] - times[i - 1] > WINDOW_NANOS) return null;
        int windows = 0;
        double[] rate = new double[n];
        double peak = 0;
        int j = 0;
        for (int i = 1; i < n; i++) {
            while (j < i && times[i] - times[j + 1] >= WINDOW_NANOS) j++;
            if (times[i] - times[j] < WINDOW_NANOS) {
                rate[i] = -1;
                continue;
            }
            rate[i] = (counts[i] - counts[j]) * 1e3 / (times[i] - times[j]); // MIPS
            peak = Math.max(peak, rate[i]);
            windows++;
        }
        if (windows == 0) return null;
        return new Report(peak, firstReaching(rate, 0.5 * peak), firstReaching(rate, 0.9 * peak));
    }

    private double firstReaching(double[] rate, double level) {
        for (int i = 1; i < n; i++) if (rate[i] >= level) return times[i] / 1e9;
        return Double.NaN;
    }
}
