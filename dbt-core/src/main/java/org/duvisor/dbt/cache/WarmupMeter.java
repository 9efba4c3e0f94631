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

    /**
     * Peak MIPS and the first times (seconds from start) the windowed rate reached 50 % and 90 % of
     * it; {@code resolutionSeconds} is the longest time between two samples, over which a window's
     * rate is an average.
     */
    public record Report(double peakMips, double secondsTo50, double secondsTo90, double resolutionSeconds) {
    }

    /**
     * Null when the run was shorter than one window. A guest is sampled only when it leaves
     * translated code, so one that loops in a region for long (or spends its first fraction of a
     * second translating) leaves gaps longer than a window between samples: a window then spans
     * the gap and its rate is the gap's average, exact for the work done in it. Such a window can
     * hide a faster stretch: the peak is then a lower bound, and the times are known to within
     * {@link Report#resolutionSeconds}.
     */
    public Report report() {
        long longestGap = 0;
        for (int i = 1; i < n; i++) longestGap = Math.max(longestGap, times[i] - times[i - 1]);
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
        return new Report(peak, firstReaching(rate, 0.5 * peak), firstReaching(rate, 0.9 * peak), longestGap / 1e9);
    }

    private double firstReaching(double[] rate, double level) {
        for (int i = 1; i < n; i++) if (rate[i] >= level) return times[i] / 1e9;
        return Double.NaN;
    }
}
