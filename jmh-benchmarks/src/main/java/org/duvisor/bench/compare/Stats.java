package org.duvisor.bench.compare;

import java.util.Arrays;
import java.util.Collection;

/** The small amount of arithmetic the side-by-side table needs. */
public final class Stats {
    private Stats() {}

    /** Median; the mean of the two middle values for an even count. */
    public static double median(double... values) {
        if (values.length == 0) throw new IllegalArgumentException("median of nothing");
        double[] v = values.clone();
        Arrays.sort(v);
        int m = v.length / 2;
        return (v.length % 2 == 1) ? v[m] : (v[m - 1] + v[m]) / 2;
    }

    /** Geometric mean of positive values; NaN when there are none. */
    public static double geomean(Collection<Double> values) {
        if (values.isEmpty()) return Double.NaN;
        double logSum = 0;
        for (double v : values) {
            if (!(v > 0) || !Double.isFinite(v)) throw new IllegalArgumentException("geomean needs positive values: " + v);
            logSum += Math.log(v);
        }
        return Math.exp(logSum / values.size());
    }

    /**
     * Speed of runner X relative to baseline B from runs taken alternately: the median over rounds
     * of {@code tB[r] / tX[r]}. Above 1 means X is faster.
     */
    public static double speedRatio(double[] secondsX, double[] secondsBaseline) {
        if (secondsX.length != secondsBaseline.length || secondsX.length == 0) {
            throw new IllegalArgumentException("need the same, non-zero number of rounds");
        }
        double[] r = new double[secondsX.length];
        for (int i = 0; i < r.length; i++) r[i] = secondsBaseline[i] / secondsX[i];
        return median(r);
    }

    /** Millions of guest instructions per second. */
    public static double mips(long instructions, double seconds) {
        return instructions / seconds / 1e6;
    }
}
