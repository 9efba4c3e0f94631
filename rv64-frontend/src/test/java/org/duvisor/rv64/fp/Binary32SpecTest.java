package org.duvisor.rv64.fp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.duvisor.rv64.fp.FloatFlags.DZ;
import static org.duvisor.rv64.fp.FloatFlags.NV;
import static org.duvisor.rv64.fp.FloatFlags.NX;
import static org.duvisor.rv64.fp.FloatFlags.OF;
import static org.duvisor.rv64.fp.FloatFlags.UF;
import static org.duvisor.rv64.fp.RoundingMode.RDN;
import static org.duvisor.rv64.fp.RoundingMode.RMM;
import static org.duvisor.rv64.fp.RoundingMode.RNE;
import static org.duvisor.rv64.fp.RoundingMode.RTZ;
import static org.duvisor.rv64.fp.RoundingMode.RUP;

import org.junit.jupiter.api.Test;

/** Specification values for binary32 (RISC-V F), one behaviour per test. */
class Binary32SpecTest {
    private static final float MIN_NORMAL = Float.MIN_NORMAL;
    private static final float MIN_SUB = Float.MIN_VALUE;
    private static final float MAX = Float.MAX_VALUE;
    private static final float INF = Float.POSITIVE_INFINITY;
    private static final int QNAN = Binary32.CANONICAL_NAN;
    private static final int QNAN_PAYLOAD = 0x7fc0_beef;
    private static final int NEG_QNAN = 0xffc0_0000;
    private static final int SNAN = 0x7f80_0001;
    private static final int MINUS_ZERO = 0x8000_0000;
    private static final float ONE_UP = Math.nextUp(1.0f);
    private static final float ONE_DOWN = Math.nextDown(1.0f);

    private record R(long bits, int flags) {
    }

    private static int b(float x) {
        return Float.floatToRawIntBits(x);
    }

    private static R add(float x, float y, int rm) {
        FloatFlags f = new FloatFlags();
        return new R(Binary32.add(b(x), b(y), rm, f), f.bits);
    }

    private static R mul(float x, float y, int rm) {
        FloatFlags f = new FloatFlags();
        return new R(Binary32.mul(b(x), b(y), rm, f), f.bits);
    }

    private static R div(float x, float y, int rm) {
        FloatFlags f = new FloatFlags();
        return new R(Binary32.div(b(x), b(y), rm, f), f.bits);
    }

    private static R sqrt(float x, int rm) {
        FloatFlags f = new FloatFlags();
        return new R(Binary32.sqrt(b(x), rm, f), f.bits);
    }

    private static R fma(int x, int y, int z, int rm) {
        FloatFlags f = new FloatFlags();
        return new R(Binary32.fma(x, y, z, rm, f), f.bits);
    }

    private static R fma(float x, float y, float z, int rm) {
        return fma(b(x), b(y), b(z), rm);
    }

    private static void expect(R r, long bits, int flags) {
        assertThat(String.format("0x%08x %s", (int) r.bits(), FloatFlags.format(r.flags())))
                .isEqualTo(String.format("0x%08x %s", (int) bits, FloatFlags.format(flags)));
    }

    private static void expect(R r, float value, int flags) {
        expect(r, b(value), flags);
    }

    @Test
    void canonicalNaNIsPositiveQuietWithZeroPayload() {
        assertThat(Binary32.CANONICAL_NAN).isEqualTo(0x7fc0_0000);
        expect(add(Float.intBitsToFloat(QNAN_PAYLOAD), 1.0f, RNE), QNAN, 0);
    }

    @Test
    void rneRoundsTiesToEven() {
        expect(add(1.0f, 0x1p-24f, RNE), 1.0f, NX);
    }

    @Test
    void rmmRoundsTiesAwayFromZero() {
        expect(add(1.0f, 0x1p-24f, RMM), ONE_UP, NX);
        expect(add(-1.0f, -0x1p-24f, RMM), -ONE_UP, NX);
    }

    @Test
    void directedModesRoundInTheirDirection() {
        expect(add(1.0f, 0x1p-40f, RUP), ONE_UP, NX);
        expect(add(1.0f, 0x1p-40f, RDN), 1.0f, NX);
        expect(add(-1.0f, -0x1p-40f, RDN), -ONE_UP, NX);
        expect(add(-1.0f, -0x1p-40f, RTZ), -1.0f, NX);
    }

    @Test
    void sumTooWideForBinary64IsStillCorrectlyRoundedInDirectedModes() {
        // 2^100 + 2^-100 is inexact in binary64 too; RUP must still step up exactly once.
        expect(add(0x1p100f, 0x1p-100f, RUP), Math.nextUp(0x1p100f), NX);
        expect(add(0x1p100f, -0x1p-100f, RTZ), Math.nextDown(0x1p100f), NX);
    }

    @Test
    void exactCancellationInRdnIsMinusZero() {
        expect(add(2.5f, -2.5f, RDN), MINUS_ZERO, 0);
        expect(add(2.5f, -2.5f, RNE), 0.0f, 0);
    }

    @Test
    void overflowInRtzGivesMaxFinite() {
        expect(mul(MAX, 2.0f, RTZ), MAX, OF | NX);
    }

    @Test
    void overflowInRneGivesInfinity() {
        expect(mul(MAX, -2.0f, RNE), -INF, OF | NX);
    }

    @Test
    void overflowInRupGivesMinusMaxForNegative() {
        expect(mul(MAX, -2.0f, RUP), -MAX, OF | NX);
    }

    @Test
    void tininessIsDetectedAfterRounding() {
        // 2^-126 - 2^-151 rounds to 2^-126 with an unbounded exponent: not tiny, so no UF.
        expect(fma(MIN_NORMAL, -0x1p-25f, MIN_NORMAL, RNE), MIN_NORMAL, NX);
    }

    @Test
    void resultRoundedUpToMinNormalStillUnderflowsWhenTinyWithUnboundedExponent() {
        expect(mul(MIN_NORMAL, ONE_DOWN, RNE), MIN_NORMAL, UF | NX);
    }

    @Test
    void exactSubnormalResultDoesNotRaiseUnderflow() {
        expect(mul(MIN_NORMAL, 0.25f, RNE), MIN_NORMAL / 4, 0);
    }

    @Test
    void underflowToZeroRaisesUnderflowAndInexact() {
        expect(mul(MIN_SUB, 0.5f, RNE), 0.0f, UF | NX);
        expect(mul(MIN_SUB, 0.5f, RMM), MIN_SUB, UF | NX);
        expect(div(-MIN_SUB, 3.0f, RDN), -MIN_SUB, UF | NX);
    }

    @Test
    void divisionByZeroGivesSignedInfinityAndDz() {
        expect(div(-1.0f, 0.0f, RNE), -INF, DZ);
    }

    @Test
    void zeroDividedByZeroIsInvalid() {
        expect(div(0.0f, 0.0f, RNE), QNAN, NV);
    }

    @Test
    void sqrtOfMinusZeroIsMinusZero() {
        expect(sqrt(-0.0f, RNE), MINUS_ZERO, 0);
    }

    @Test
    void sqrtOfNegativeIsInvalid() {
        expect(sqrt(-4.0f, RNE), QNAN, NV);
    }

    @Test
    void sqrtOfTwoBracketsTheRootInDirectedModes() {
        int below = 0x3fb5_04f3; // 1.4142135381698608 < sqrt(2) = 1.4142135623730950...
        expect(sqrt(2.0f, RDN), below, NX);
        expect(sqrt(2.0f, RUP), below + 1, NX);
        expect(sqrt(2.0f, RNE), below, NX);
    }

    @Test
    void fmaRoundsOnce() {
        // (1 + 2^-23)(1 - 2^-23) - 1 = -2^-46 exactly
        expect(fma(ONE_UP, 1.0f - 0x1p-23f, -1.0f, RNE), -0x1p-46f, 0);
    }

    @Test
    void fmaIsNotDoubleRoundedThroughBinary64() {
        // a*b + c = 1 + 2^-11 + 2^-24 + 2^-60: just above a binary32 midpoint, but the nearest binary64
        // is the midpoint itself; rounding twice would give 1 + 2^-11 instead of 1 + 2^-11 + 2^-23.
        float a = 1.0f + 0x1p-12f;
        expect(fma(a, a, 0x1p-60f, RNE), 1.0f + 0x1p-11f + 0x1p-23f, NX);
    }

    @Test
    void fmaOfInfTimesZeroPlusQuietNaNIsInvalid() {
        expect(fma(b(INF), b(-0.0f), QNAN, RNE), QNAN, NV);
    }

    @Test
    void fmaExactCancellationIsPlusZeroAndMinusZeroInRdn() {
        expect(fma(3.0f, 5.0f, -15.0f, RNE), 0.0f, 0);
        expect(fma(3.0f, 5.0f, -15.0f, RDN), MINUS_ZERO, 0);
    }

    @Test
    void minOfPlusAndMinusZeroIsMinusZero() {
        FloatFlags f = new FloatFlags();
        assertThat(Binary32.min(b(0.0f), MINUS_ZERO, f)).isEqualTo(MINUS_ZERO);
        assertThat(Binary32.max(MINUS_ZERO, b(0.0f), f)).isEqualTo(b(0.0f));
        assertThat(f.bits).isZero();
    }

    @Test
    void minWithSignalingNaNReturnsOtherOperandAndSetsInvalid() {
        FloatFlags f = new FloatFlags();
        assertThat(Binary32.min(b(-2.0f), SNAN, f)).isEqualTo(b(-2.0f));
        assertThat(f.bits).isEqualTo(NV);
    }

    @Test
    void maxOfTwoNaNsIsCanonicalNaN() {
        FloatFlags f = new FloatFlags();
        assertThat(Binary32.max(NEG_QNAN, QNAN_PAYLOAD, f)).isEqualTo(QNAN);
        assertThat(f.bits).isZero();
    }

    @Test
    void feqIsQuietButFltSignalsOnQuietNaN() {
        FloatFlags f = new FloatFlags();
        assertThat(Binary32.eq(QNAN, b(1.0f), f)).isFalse();
        assertThat(f.bits).isZero();
        assertThat(Binary32.lt(QNAN, b(1.0f), f)).isFalse();
        assertThat(f.bits).isEqualTo(NV);
    }

    @Test
    void classifyDistinguishesSignalingAndQuietNaN() {
        assertThat(Binary32.classify(SNAN)).isEqualTo(1 << 8);
        assertThat(Binary32.classify(QNAN)).isEqualTo(1 << 9);
        assertThat(Binary32.classify(b(-MIN_SUB))).isEqualTo(1 << 2);
        assertThat(Binary32.classify(b(MIN_NORMAL))).isEqualTo(1 << 6);
    }

    @Test
    void fcvtWOfNaNSaturatesToMaxWithInvalid() {
        FloatFlags f = new FloatFlags();
        assertThat(Binary32.toInt32(SNAN, RNE, f)).isEqualTo(Integer.MAX_VALUE);
        assertThat(Binary32.toInt32(NEG_QNAN, RNE, f)).isEqualTo(Integer.MAX_VALUE);
        assertThat(f.bits).isEqualTo(NV);
    }

    @Test
    void fcvtWuOfNaNIsAllOnesSignExtended() {
        FloatFlags f = new FloatFlags();
        assertThat(Binary32.toUInt32(QNAN, RNE, f)).isEqualTo(-1L);
        assertThat(f.bits).isEqualTo(NV);
    }

    @Test
    void fcvtLuOfNegativeGivesZeroWithInvalid() {
        FloatFlags f = new FloatFlags();
        assertThat(Binary32.toUInt64(b(-1.0f), RNE, f)).isZero();
        assertThat(f.bits).isEqualTo(NV);
    }

    @Test
    void fcvtSWRoundsPerMode() {
        int v = (1 << 24) + 1;
        FloatFlags f = new FloatFlags();
        assertThat(Binary32.fromInt32(v, RNE, f)).isEqualTo(b(0x1p24f));
        assertThat(Binary32.fromInt32(v, RUP, f)).isEqualTo(b(0x1p24f + 2));
        assertThat(Binary32.fromInt32(Integer.MIN_VALUE, RNE, f)).isEqualTo(b(-0x1p31f));
        assertThat(f.bits).isEqualTo(NX);
    }

    @Test
    void fcvtSLuOfAllOnesRoundsToTwoTo64() {
        FloatFlags f = new FloatFlags();
        assertThat(Binary32.fromUInt64(-1L, RNE, f)).isEqualTo(b(0x1p64f));
        assertThat(Binary32.fromUInt64(-1L, RTZ, f)).isEqualTo(b(Math.nextDown(0x1p64f)));
        assertThat(f.bits).isEqualTo(NX);
    }

    @Test
    void fcvtDSIsExact() {
        FloatFlags f = new FloatFlags();
        assertThat(Binary32.toBinary64(b(MIN_SUB), f)).isEqualTo(Double.doubleToRawLongBits(0x1p-149));
        assertThat(Binary32.toBinary64(MINUS_ZERO, f)).isEqualTo(0x8000_0000_0000_0000L);
        assertThat(f.bits).isZero();
    }

    @Test
    void fcvtDSOfSignalingNaNIsInvalidAndCanonical() {
        FloatFlags f = new FloatFlags();
        assertThat(Binary32.toBinary64(SNAN, f)).isEqualTo(Binary64.CANONICAL_NAN);
        assertThat(f.bits).isEqualTo(NV);
    }

    @Test
    void fcvtDSOfQuietNaNIsCanonicalWithoutFlags() {
        FloatFlags f = new FloatFlags();
        assertThat(Binary32.toBinary64(NEG_QNAN | 0x1234, f)).isEqualTo(Binary64.CANONICAL_NAN);
        assertThat(f.bits).isZero();
    }

    @Test
    void flagsAreAccumulatedNeverCleared() {
        FloatFlags f = new FloatFlags(OF);
        Binary32.div(b(1.0f), b(0.0f), RNE, f);
        Binary32.add(b(1.0f), b(2.0f), RNE, f);
        assertThat(f.bits).isEqualTo(OF | DZ);
    }
}
