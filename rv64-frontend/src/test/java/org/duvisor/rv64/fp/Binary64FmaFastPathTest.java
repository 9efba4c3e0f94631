package org.duvisor.rv64.fp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.duvisor.rv64.fp.FloatFlags.NX;
import static org.duvisor.rv64.fp.FloatFlags.OF;
import static org.duvisor.rv64.fp.FloatFlags.UF;
import static org.duvisor.rv64.fp.RoundingMode.RDN;
import static org.duvisor.rv64.fp.RoundingMode.RMM;
import static org.duvisor.rv64.fp.RoundingMode.RNE;
import static org.duvisor.rv64.fp.RoundingMode.RTZ;
import static org.duvisor.rv64.fp.RoundingMode.RUP;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Boundary cases of the binary64 fma tiers (hardware RNE result once NX has accrued, the ErrFma
 * error-free path, the integer fallback): every expectation is checked with a fresh accumulator and
 * with NX already accrued, and the tiers are compared with the integer path on many normal-range
 * triples.
 */
class Binary64FmaFastPathTest {
    private static final double X = 0x1.0000000000001p0; // 1 + 2^-52
    private static final double MIN_NORMAL = Double.MIN_NORMAL;
    private static final double MIN_SUB = Double.MIN_VALUE;
    private static final double MAX = Double.MAX_VALUE;

    private static long b(double v) {
        return Double.doubleToRawLongBits(v);
    }

    private static String show(long bits, int flags) {
        return String.format("0x%016x (%s) %s", bits, Double.longBitsToDouble(bits), FloatFlags.format(flags));
    }

    /** fma(x, y, z) in mode rm is {@code want} with {@code flags}, fresh and with NX accrued. */
    private static void expect(double x, double y, double z, int rm, double want, int flags) {
        String what = "fma(" + x + ", " + y + ", " + z + ") " + RoundingMode.name(rm);
        FloatFlags f = new FloatFlags();
        long r = Binary64.fma(b(x), b(y), b(z), rm, f);
        assertThat(show(r, f.bits)).as(what).isEqualTo(show(b(want), flags));
        f = new FloatFlags(NX);
        r = Binary64.fma(b(x), b(y), b(z), rm, f);
        assertThat(show(r, f.bits)).as(what + " [NX accrued]").isEqualTo(show(b(want), flags | NX));
    }

    /** The same result and flags in every rounding mode. */
    private static void expectAll(double x, double y, double z, double want, int flags) {
        for (int rm : ModelCheck.MODES) {
            expect(x, y, z, rm, want, flags);
        }
    }

    /** Results in RNE, RTZ, RDN, RUP, RMM order, all with the same flags. */
    private static void expectModes(double x, double y, double z, int flags, double... want) {
        int[] modes = {RNE, RTZ, RDN, RUP, RMM};
        for (int i = 0; i < modes.length; i++) {
            expect(x, y, z, modes[i], want[i], flags);
        }
    }

    // ---------------------------------------------------------------- exactness boundary

    @Test
    void resultEqualToTheLastBitOfTheProductIsExact() {
        // X*X = 1 + 2^-51 + 2^-104: the addend cancels all but the product's lowest bit.
        expectAll(X, X, -0x1.0000000000002p0, 0x1p-104, 0);
        // (1 + 2^-52)(1 - 2^-53) - 1 = 2^-53 - 2^-105, 53 significant bits.
        expectAll(X, 0x1.fffffffffffffp-1, -1.0, 0x1.ffffffffffffep-54, 0);
    }

    @Test
    void errorOfOneProductBitIsDetectedWithItsSign() {
        // 1 + 2^-104
        expectModes(X, X, -0x1p-51, NX, 1.0, 1.0, 1.0, X, 1.0);
        // -1 - 2^-104
        expectModes(-X, X, 0x1p-51, NX, -1.0, -1.0, -X, -1.0, -1.0);
        // 1 - 2^-104
        expectModes(X, X, -0x1.0000000000001p-51, NX, 1.0, 0x1.fffffffffffffp-1, 0x1.fffffffffffffp-1, 1.0, 1.0);
    }

    // ---------------------------------------------------------------- exactly half an ulp

    @Test
    void tieMadeOfTheLowBitsOfTheProduct() {
        // X*X - 1 = 2^-51 (1 + 2^-53): halfway between 2^-51 and its successor.
        double up = 0x1.0000000000001p-51;
        expectModes(X, X, -1.0, NX, 0x1p-51, 0x1p-51, 0x1p-51, up, up);
        expectModes(-X, X, 1.0, NX, -0x1p-51, -0x1p-51, -up, -0x1p-51, -up);
    }

    @Test
    void tieMadeOfATinyProductAndALargeAddend() {
        // 1 + 2^-53: RNE keeps the even 1, RMM goes away from zero.
        expectModes(0x1p-26, 0x1p-27, 1.0, NX, 1.0, 1.0, 1.0, X, X);
        expectModes(-0x1p-26, 0x1p-27, -1.0, NX, -1.0, -1.0, -X, -1.0, -X);
        // (1 + 2^-52) + 2^-53: the even neighbour is the upper one.
        expectModes(0x1p-26, 0x1p-27, X, NX, 0x1.0000000000002p0, X, X, 0x1.0000000000002p0, 0x1.0000000000002p0);
    }

    @Test
    void tieJustBelowAPowerOfTwo() {
        // 1 - 2^-54 is halfway between 1 - 2^-53 and 1; 1 is even and farther from zero.
        double below = 0x1.fffffffffffffp-1;
        expectModes(0x1p-27, -0x1p-27, 1.0, NX, 1.0, below, below, 1.0, 1.0);
    }

    @Test
    void nearTiesAreNotTies() {
        // 1 + 2^-53 + 2^-105: above the midpoint.
        expectModes(0x1.0000000000001p-26, 0x1p-27, 1.0, NX, X, 1.0, 1.0, X, X);
        // 1 + 2^-53 - 2^-106: below the midpoint, so RMM rounds down too.
        expectModes(0x1.fffffffffffffp-27, 0x1p-27, 1.0, NX, 1.0, 1.0, 1.0, X, 1.0);
    }

    // ---------------------------------------------------------------- cancellation to zero

    @Test
    void exactCancellationIsPlusZeroExceptInRdn() {
        double x = 0x1.0000008p0; // 1 + 2^-25: x*x = 1 + 2^-24 + 2^-50 exactly
        for (double[] t : new double[][] {{3.0, 5.0, -15.0}, {-3.0, 5.0, 15.0}, {x, x, -0x1.0000010000004p0}}) {
            expectModes(t[0], t[1], t[2], 0, 0.0, 0.0, -0.0, 0.0, 0.0);
        }
    }

    @Test
    void zeroProductWithZeroAddendFollowsTheSignRules() {
        double big = 0x1p60; // keeps the zero product inside the ErrFma exponent range
        expectModes(0.0, big, -0.0, 0, 0.0, 0.0, -0.0, 0.0, 0.0);
        expectModes(-0.0, big, 0.0, 0, 0.0, 0.0, -0.0, 0.0, 0.0);
        expectAll(-0.0, big, -0.0, -0.0, 0);
        expectAll(0.0, big, 0.0, 0.0, 0);
        expectAll(0.0, big, 1.5, 1.5, 0);
    }

    // ---------------------------------------------------------------- intermediate overflow

    @Test
    void productOverflowingWhileTheSumDoesNot() {
        expectAll(0x1p512, 0x1p512, -0x1p1023, 0x1p1023, 0);
        expectAll(-0x1.8p512, 0x1p512, MAX, -0x1.0000000000001p1023, 0);
        // 2^1024 (1 + 2^-51 + 2^-104) - 2^1023 = 2^1023 (1 + 2^-50 + 2^-103)
        double r = 0x1.0000000000004p1023;
        expectModes(X * 0x1p512, X * 0x1p512, -0x1p1023, NX, r, r, r, 0x1.0000000000005p1023, r);
    }

    @Test
    void sumOverflowingFromABigProduct() {
        expectModes(0x1p1000, 0x1p100, 0x1p1023, OF | NX, Double.POSITIVE_INFINITY, MAX, MAX,
                Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY);
    }

    // ---------------------------------------------------------------- product underflow

    @Test
    void underflowingProductWithALargeAddend() {
        expectModes(0x1p-600, 0x1p-600, 1.0, NX, 1.0, 1.0, 1.0, X, 1.0);
        double below = -0x1.fffffffffffffp-1;
        expectModes(0x1p-600, 0x1p-600, -1.0, NX, -1.0, below, -1.0, below, -1.0);
    }

    @Test
    void underflowingProductBelowTheMinimumNormalAddend() {
        // 2^-1022 - 2^-1200: tiny (so UF) only when it rounds below 2^-1022.
        double maxSub = 0x0.fffffffffffffp-1022;
        expect(-0x1p-600, 0x1p-600, MIN_NORMAL, RNE, MIN_NORMAL, NX);
        expect(-0x1p-600, 0x1p-600, MIN_NORMAL, RUP, MIN_NORMAL, NX);
        expect(-0x1p-600, 0x1p-600, MIN_NORMAL, RMM, MIN_NORMAL, NX);
        expect(-0x1p-600, 0x1p-600, MIN_NORMAL, RDN, maxSub, UF | NX);
        expect(-0x1p-600, 0x1p-600, MIN_NORMAL, RTZ, maxSub, UF | NX);
    }

    @Test
    void productOfHalfTheMinimumSubnormal() {
        expectModes(0x1p-537, 0x1p-538, 0.0, UF | NX, 0.0, 0.0, 0.0, MIN_SUB, MIN_SUB);
    }

    @Test
    void lowestProductBitAtTheSubnormalQuantumIsStillExact() {
        // Exponent fields 538 + 538 = 1076: the product's last bit weighs 2^-1074.
        double a = 0x1.0000000000001p-485;
        expectAll(a, a, -0x1.0000000000002p-970, MIN_SUB, 0);
        // One binade lower the exact result 2^-1075 is a tie below the subnormal quantum.
        expectModes(0x1.0000000000001p-486, a, -0x1.0000000000002p-971, UF | NX, 0.0, 0.0, 0.0, MIN_SUB, MIN_SUB);
    }

    @Test
    void subnormalAddendWithANormalProduct() {
        expectModes(0x1p-400, 0x1p-500, MIN_SUB, NX, 0x1p-900, 0x1p-900, 0x1p-900, 0x1.0000000000001p-900, 0x1p-900);
        double below = 0x1.fffffffffffffp-901;
        expectModes(0x1p-400, 0x1p-500, -MIN_SUB, NX, 0x1p-900, below, below, 0x1p-900, 0x1p-900);
    }

    // ---------------------------------------------------------------- tiers against the integer path

    /** Triples around the edges of the ErrFma exponent range. */
    private static long[] edgeTriple(Random r) {
        FpGen g = FpGen.G64;
        int ea;
        int eb;
        int ec;
        switch (r.nextInt(3)) {
            case 0: // product's last bit around 2^-1074
                ea = 1 + r.nextInt(1074);
                eb = 1076 - ea + r.nextInt(5) - 2;
                ec = r.nextInt(2) == 0 ? r.nextInt(3) : ea + eb - 1023 + r.nextInt(9) - 4;
                break;
            case 1: // product around 2^1021
                ea = 1020 + r.nextInt(1026);
                eb = 3065 - ea + r.nextInt(5) - 2;
                ec = 2043 + r.nextInt(3) - 1;
                break;
            default: // addend around 2^1021
                ea = 1023 + r.nextInt(1000);
                eb = 2040 - ea + r.nextInt(10);
                ec = 2043 + r.nextInt(5) - 2;
                break;
        }
        return new long[] {g.withExp(r, r.nextBoolean(), Math.max(1, Math.min(2046, ea))),
            g.withExp(r, r.nextBoolean(), Math.max(0, Math.min(2046, eb))),
            g.withExp(r, r.nextBoolean(), Math.max(0, Math.min(2046, ec)))};
    }

    @Test
    void everyTierAgreesWithTheIntegerPath() {
        Random r = new Random(0x5eed_f3a1L);
        int mismatches = 0;
        StringBuilder first = new StringBuilder();
        for (int i = 0; i < 150_000; i++) {
            long[] t = i % 4 == 3 ? edgeTriple(r) : FpGen.G64.normalFmaTriple(r);
            for (int rm : ModelCheck.MODES) {
                for (int start : new int[] {0, NX}) {
                    FloatFlags f1 = new FloatFlags(start);
                    FloatFlags f2 = new FloatFlags(start);
                    long got = Binary64.fma(t[0], t[1], t[2], rm, f1);
                    long want = Binary64.fmaSlow(t[0], t[1], t[2], rm, f2);
                    if (got != want || f1.bits != f2.bits) {
                        if (mismatches++ == 0) {
                            first.append(ModelCheck.describe("fmadd.d", RefModel.F64, rm, t))
                                    .append(" start=").append(FloatFlags.format(start))
                                    .append(": ").append(show(got, f1.bits)).append(" vs ").append(show(want, f2.bits));
                        }
                    }
                }
            }
        }
        assertThat(mismatches).as(first.toString()).isZero();
    }

    @Test
    void generatorsReachBothTheErrFmaPathAndTheFallback() {
        Random r = new Random(7);
        int n = 20_000;
        int inRange = 0;
        int inexactInRange = 0;
        for (int i = 0; i < n; i++) {
            long[] t = FpGen.G64.fmaTriple(r);
            if (Binary64.errFmaRange(t[0], t[1], t[2])) {
                inRange++;
                FloatFlags f = new FloatFlags();
                Binary64.fma(t[0], t[1], t[2], RNE, f);
                if (f.bits == NX) {
                    inexactInRange++;
                }
            }
        }
        // The property tests (which use fmaTriple) cover the error-free path, inexact and exact, and
        // the integer fallback in substantial proportions.
        assertThat(inRange).isBetween(n / 4, n - n / 5);
        assertThat(inexactInRange).isGreaterThan(n / 8);
        assertThat(inRange - inexactInRange).isGreaterThan(n / 50);
    }
}
