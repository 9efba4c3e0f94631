package org.duvisor.rv64.fp;

import java.util.SplittableRandom;

/**
 * Not a test: a plain hot-loop harness for the fast paths, for inlining checks and rough timing
 * without JMH. Each kernel calls one operation with a constant rounding mode, as translated guest code
 * does, and stores the result; the raw Java operation runs in the same loop shape as the baseline.
 *
 * <pre>
 * J=$JAVA_HOME/bin/java; CP=rv64-frontend/target/classes:rv64-frontend/target/test-classes
 * # what C2 inlines into the kernels (and whether Math.fma is an intrinsic):
 * $J -XX:+UnlockDiagnosticVMOptions -XX:+PrintInlining -XX:-UseSuperWord -cp $CP org.duvisor.rv64.fp.FpHotLoopHarness 3
 * # ns/op next to the raw operation (SuperWord off so that the raw loops stay scalar):
 * $J -XX:-UseSuperWord -cp $CP org.duvisor.rv64.fp.FpHotLoopHarness 15
 * </pre>
 */
public final class FpHotLoopHarness {
    private FpHotLoopHarness() {
    }

    static final int N = 1024;
    static final long[] A = new long[N];
    static final long[] B = new long[N];
    static final long[] C = new long[N];
    static final int[] FA = new int[N];
    static final int[] FB = new int[N];
    static final int[] FC = new int[N];
    static final long[] OUT = new long[N];
    static final int[] OUT32 = new int[N];
    static final FloatFlags FLAGS = new FloatFlags();

    static double d(long x) {
        return Double.longBitsToDouble(x);
    }

    static float f(int x) {
        return Float.intBitsToFloat(x);
    }

    static void rawAdd64() {
        for (int i = 0; i < N; i++) {
            OUT[i] = Double.doubleToRawLongBits(d(A[i]) + d(B[i]));
        }
    }

    static void add64(int rm) {
        for (int i = 0; i < N; i++) {
            OUT[i] = Binary64.add(A[i], B[i], rm, FLAGS);
        }
    }

    static void rawMul64() {
        for (int i = 0; i < N; i++) {
            OUT[i] = Double.doubleToRawLongBits(d(A[i]) * d(B[i]));
        }
    }

    static void mul64(int rm) {
        for (int i = 0; i < N; i++) {
            OUT[i] = Binary64.mul(A[i], B[i], rm, FLAGS);
        }
    }

    static void rawDiv64() {
        for (int i = 0; i < N; i++) {
            OUT[i] = Double.doubleToRawLongBits(d(A[i]) / d(B[i]));
        }
    }

    static void div64(int rm) {
        for (int i = 0; i < N; i++) {
            OUT[i] = Binary64.div(A[i], B[i], rm, FLAGS);
        }
    }

    static void rawSqrt64() {
        for (int i = 0; i < N; i++) {
            OUT[i] = Double.doubleToRawLongBits(Math.sqrt(Math.abs(d(A[i]))));
        }
    }

    static void sqrt64(int rm) {
        for (int i = 0; i < N; i++) {
            OUT[i] = Binary64.sqrt(A[i] & Long.MAX_VALUE, rm, FLAGS);
        }
    }

    static void rawFma64() {
        for (int i = 0; i < N; i++) {
            OUT[i] = Double.doubleToRawLongBits(Math.fma(d(A[i]), d(B[i]), d(C[i])));
        }
    }

    static void fma64(int rm) {
        for (int i = 0; i < N; i++) {
            OUT[i] = Binary64.fma(A[i], B[i], C[i], rm, FLAGS);
        }
    }

    /** RNE with the accumulator cleared before every operation: the exactness test always runs. */
    static void fma64Fresh() {
        for (int i = 0; i < N; i++) {
            FLAGS.bits = 0;
            OUT[i] = Binary64.fma(A[i], B[i], C[i], RoundingMode.RNE, FLAGS);
        }
    }

    static void rawAdd32() {
        for (int i = 0; i < N; i++) {
            OUT32[i] = Float.floatToRawIntBits(f(FA[i]) + f(FB[i]));
        }
    }

    static void add32(int rm) {
        for (int i = 0; i < N; i++) {
            OUT32[i] = Binary32.add(FA[i], FB[i], rm, FLAGS);
        }
    }

    static void mul32(int rm) {
        for (int i = 0; i < N; i++) {
            OUT32[i] = Binary32.mul(FA[i], FB[i], rm, FLAGS);
        }
    }

    static void div32(int rm) {
        for (int i = 0; i < N; i++) {
            OUT32[i] = Binary32.div(FA[i], FB[i], rm, FLAGS);
        }
    }

    static void sqrt32(int rm) {
        for (int i = 0; i < N; i++) {
            OUT32[i] = Binary32.sqrt(FA[i] & Integer.MAX_VALUE, rm, FLAGS);
        }
    }

    static void rawFma32() {
        for (int i = 0; i < N; i++) {
            OUT32[i] = Float.floatToRawIntBits(Math.fma(f(FA[i]), f(FB[i]), f(FC[i])));
        }
    }

    static void fma32(int rm) {
        for (int i = 0; i < N; i++) {
            OUT32[i] = Binary32.fma(FA[i], FB[i], FC[i], rm, FLAGS);
        }
    }

    static void fma32Fresh() {
        for (int i = 0; i < N; i++) {
            FLAGS.bits = 0;
            OUT32[i] = Binary32.fma(FA[i], FB[i], FC[i], RoundingMode.RNE, FLAGS);
        }
    }

    // Constant-mode entry points, so that the mode folds as in translated code.
    static void add64Rne() { add64(RoundingMode.RNE); }
    static void add64Rdn() { add64(RoundingMode.RDN); }
    static void mul64Rne() { mul64(RoundingMode.RNE); }
    static void mul64Rdn() { mul64(RoundingMode.RDN); }
    static void div64Rne() { div64(RoundingMode.RNE); }
    static void div64Rdn() { div64(RoundingMode.RDN); }
    static void sqrt64Rne() { sqrt64(RoundingMode.RNE); }
    static void sqrt64Rdn() { sqrt64(RoundingMode.RDN); }
    static void fma64Rne() { fma64(RoundingMode.RNE); }
    static void fma64Rdn() { fma64(RoundingMode.RDN); }
    static void add32Rne() { add32(RoundingMode.RNE); }
    static void add32Rdn() { add32(RoundingMode.RDN); }
    static void mul32Rne() { mul32(RoundingMode.RNE); }
    static void div32Rne() { div32(RoundingMode.RNE); }
    static void sqrt32Rne() { sqrt32(RoundingMode.RNE); }
    static void fma32Rne() { fma32(RoundingMode.RNE); }
    static void fma32Rdn() { fma32(RoundingMode.RDN); }

    record Kernel(String name, Runnable body, String baseline) {
    }

    static final Kernel[] KERNELS = {
        new Kernel("raw d+d", FpHotLoopHarness::rawAdd64, null),
        new Kernel("Binary64.add RNE", FpHotLoopHarness::add64Rne, "raw d+d"),
        new Kernel("Binary64.add RDN", FpHotLoopHarness::add64Rdn, "raw d+d"),
        new Kernel("raw d*d", FpHotLoopHarness::rawMul64, null),
        new Kernel("Binary64.mul RNE", FpHotLoopHarness::mul64Rne, "raw d*d"),
        new Kernel("Binary64.mul RDN", FpHotLoopHarness::mul64Rdn, "raw d*d"),
        new Kernel("raw d/d", FpHotLoopHarness::rawDiv64, null),
        new Kernel("Binary64.div RNE", FpHotLoopHarness::div64Rne, "raw d/d"),
        new Kernel("Binary64.div RDN", FpHotLoopHarness::div64Rdn, "raw d/d"),
        new Kernel("raw sqrt", FpHotLoopHarness::rawSqrt64, null),
        new Kernel("Binary64.sqrt RNE", FpHotLoopHarness::sqrt64Rne, "raw sqrt"),
        new Kernel("Binary64.sqrt RDN", FpHotLoopHarness::sqrt64Rdn, "raw sqrt"),
        new Kernel("raw Math.fma(d)", FpHotLoopHarness::rawFma64, null),
        new Kernel("Binary64.fma RNE", FpHotLoopHarness::fma64Rne, "raw Math.fma(d)"),
        new Kernel("Binary64.fma RNE fresh", FpHotLoopHarness::fma64Fresh, "raw Math.fma(d)"),
        new Kernel("Binary64.fma RDN", FpHotLoopHarness::fma64Rdn, "raw Math.fma(d)"),
        new Kernel("raw f+f", FpHotLoopHarness::rawAdd32, null),
        new Kernel("Binary32.add RNE", FpHotLoopHarness::add32Rne, "raw f+f"),
        new Kernel("Binary32.add RDN", FpHotLoopHarness::add32Rdn, "raw f+f"),
        new Kernel("Binary32.mul RNE", FpHotLoopHarness::mul32Rne, "raw f+f"),
        new Kernel("Binary32.div RNE", FpHotLoopHarness::div32Rne, "raw f+f"),
        new Kernel("Binary32.sqrt RNE", FpHotLoopHarness::sqrt32Rne, "raw f+f"),
        new Kernel("raw Math.fma(f)", FpHotLoopHarness::rawFma32, null),
        new Kernel("Binary32.fma RNE", FpHotLoopHarness::fma32Rne, "raw Math.fma(f)"),
        new Kernel("Binary32.fma RNE fresh", FpHotLoopHarness::fma32Fresh, "raw Math.fma(f)"),
        new Kernel("Binary32.fma RDN", FpHotLoopHarness::fma32Rdn, "raw Math.fma(f)"),
    };

    private static double normal(SplittableRandom r) {
        double m = 1 + r.nextDouble();
        return Math.scalb(r.nextBoolean() ? -m : m, r.nextInt(-8, 8));
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        SplittableRandom r = new SplittableRandom(42);
        for (int i = 0; i < N; i++) {
            A[i] = Double.doubleToRawLongBits(normal(r));
            B[i] = Double.doubleToRawLongBits(normal(r));
            C[i] = Double.doubleToRawLongBits(normal(r));
            FA[i] = Float.floatToRawIntBits((float) normal(r));
            FB[i] = Float.floatToRawIntBits((float) normal(r));
            FC[i] = Float.floatToRawIntBits((float) normal(r));
        }
        double[] best = new double[KERNELS.length];
        java.util.Arrays.fill(best, Double.MAX_VALUE);
        for (int round = 0; round < rounds; round++) {
            // Interleaved rounds: each kernel's best time over rounds, ~20 ms per kernel and round.
            for (int k = 0; k < KERNELS.length; k++) {
                Runnable body = KERNELS[k].body();
                int reps = 20_000;
                for (int w = 0; w < reps / 10; w++) {
                    body.run();
                }
                long t0 = System.nanoTime();
                for (int w = 0; w < reps; w++) {
                    body.run();
                }
                best[k] = Math.min(best[k], (System.nanoTime() - t0) / (double) reps / N);
            }
        }
        java.util.Map<String, Double> byName = new java.util.HashMap<>();
        for (int k = 0; k < KERNELS.length; k++) {
            byName.put(KERNELS[k].name(), best[k]);
        }
        for (int k = 0; k < KERNELS.length; k++) {
            Kernel kk = KERNELS[k];
            String ratio = kk.baseline() == null ? "" : String.format("  x%.1f vs %s", best[k] / byName.get(kk.baseline()), kk.baseline());
            System.out.printf("%-24s %7.2f ns/op%s%n", kk.name(), best[k], ratio);
        }
    }
}
