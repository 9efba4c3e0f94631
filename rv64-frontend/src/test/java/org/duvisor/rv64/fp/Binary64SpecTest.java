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

/** Specification values for binary64 (RISC-V D), one behaviour per test. */
class Binary64SpecTest {
    private static final double MIN_NORMAL = Double.MIN_NORMAL;
    private static final double MIN_SUB = Double.MIN_VALUE;
    private static final double MAX = Double.MAX_VALUE;
    private static final double INF = Double.POSITIVE_INFINITY;
    private static final long QNAN = Binary64.CANONICAL_NAN;
    private static final long QNAN_PAYLOAD = 0x7ff8_0000_dead_beefL;
    private static final long NEG_QNAN = 0xfff8_0000_0000_0001L;
    private static final long SNAN = 0x7ff0_0000_0000_0001L;
    private static final long MINUS_ZERO = 0x8000_0000_0000_0000L;
    private static final double ONE_UP = Math.nextUp(1.0);
    private static final double ONE_DOWN = Math.nextDown(1.0);

    private record R(long bits, int flags) {
    }

    private static long b(double x) {
        return Double.doubleToRawLongBits(x);
    }

    private static R add(double x, double y, int rm) {
        FloatFlags f = new FloatFlags();
        return new R(Binary64.add(b(x), b(y), rm, f), f.bits);
    }

    private static R sub(double x, double y, int rm) {
        FloatFlags f = new FloatFlags();
        return new R(Binary64.sub(b(x), b(y), rm, f), f.bits);
    }

    private static R mul(double x, double y, int rm) {
        FloatFlags f = new FloatFlags();
        return new R(Binary64.mul(b(x), b(y), rm, f), f.bits);
    }

    private static R div(double x, double y, int rm) {
        FloatFlags f = new FloatFlags();
        return new R(Binary64.div(b(x), b(y), rm, f), f.bits);
    }

    private static R sqrt(double x, int rm) {
        FloatFlags f = new FloatFlags();
        return new R(Binary64.sqrt(b(x), rm, f), f.bits);
    }

    private static R fma(long x, long y, long z, int rm) {
        FloatFlags f = new FloatFlags();
        return new R(Binary64.fma(x, y, z, rm, f), f.bits);
    }

    private static R fma(double x, double y, double z, int rm) {
        return fma(b(x), b(y), b(z), rm);
    }

    private static void expect(R r, long bits, int flags) {
        assertThat(String.format("0x%016x %s", r.bits(), FloatFlags.format(r.flags())))
                .isEqualTo(String.format("0x%016x %s", bits, FloatFlags.format(flags)));
    }

    private static void expect(R r, double value, int flags) {
        expect(r, b(value), flags);
    }

    // ---------------------------------------------------------------- rounding modes

    @Test
    void rneRoundsTiesToEven() {
        expect(add(1.0, 0x1p-53, RNE), 1.0, NX);
        expect(add(ONE_UP, 0x1p-53, RNE), ONE_UP + 0x1p-52, NX);
    }

    @Test
    void rmmRoundsTiesAwayFromZero() {
        expect(add(1.0, 0x1p-53, RMM), ONE_UP, NX);
        expect(add(-1.0, -0x1p-53, RMM), -ONE_UP, NX);
    }

    @Test
    void rmmRoundsNonTiesToNearest() {
        expect(add(1.0, 0x1p-54, RMM), 1.0, NX);
    }

    @Test
    void rtzTruncatesTowardsZero() {
        expect(add(1.0, 0x3p-54, RTZ), 1.0, NX);
        expect(add(-1.0, -0x3p-54, RTZ), -1.0, NX);
    }

    @Test
    void rdnRoundsTowardsNegativeInfinity() {
        expect(add(1.0, 0x1p-60, RDN), 1.0, NX);
        expect(add(-1.0, -0x1p-60, RDN), -ONE_UP, NX);
    }

    @Test
    void rupRoundsTowardsPositiveInfinity() {
        expect(add(1.0, 0x1p-60, RUP), ONE_UP, NX);
        expect(add(-1.0, -0x1p-60, RUP), -1.0, NX);
    }

    @Test
    void exactResultRaisesNoFlags() {
        expect(add(1.5, 2.25, RUP), 3.75, 0);
        expect(mul(1.5, -2.25, RDN), -3.375, 0);
        expect(div(1.0, 4.0, RTZ), 0.25, 0);
    }

    @Test
    void divisionRoundsInTheRequestedDirection() {
        double third = 1.0 / 3.0; // RNE rounds 1/3 down
        expect(div(1.0, 3.0, RNE), third, NX);
        expect(div(1.0, 3.0, RUP), Math.nextUp(third), NX);
        expect(div(1.0, 3.0, RTZ), third, NX);
        expect(div(-1.0, 3.0, RDN), -Math.nextUp(third), NX);
    }

    // ---------------------------------------------------------------- signed zeros

    @Test
    void exactCancellationIsPlusZero() {
        expect(sub(1.5, 1.5, RNE), 0.0, 0);
        expect(add(-1.5, 1.5, RUP), 0.0, 0);
    }

    @Test
    void exactCancellationInRdnIsMinusZero() {
        expect(sub(1.5, 1.5, RDN), MINUS_ZERO, 0);
    }

    @Test
    void plusZeroPlusMinusZeroIsPlusZeroExceptInRdn() {
        expect(add(0.0, -0.0, RNE), 0.0, 0);
        expect(add(0.0, -0.0, RDN), MINUS_ZERO, 0);
        expect(add(-0.0, -0.0, RNE), MINUS_ZERO, 0);
    }

    @Test
    void productOfZeroCarriesTheXorOfSigns() {
        expect(mul(-0.0, 3.0, RNE), MINUS_ZERO, 0);
        expect(mul(-0.0, -3.0, RNE), 0.0, 0);
    }

    // ---------------------------------------------------------------- NaNs and invalid operations

    @Test
    void nanResultIsCanonicalWithoutPayloadPropagation() {
        FloatFlags f = new FloatFlags();
        long r = Binary64.add(QNAN_PAYLOAD, b(1.0), RNE, f);
        expect(new R(r, f.bits), QNAN, 0);
    }

    @Test
    void negativeQuietNaNOperandGivesPositiveCanonicalNaN() {
        FloatFlags f = new FloatFlags();
        expect(new R(Binary64.mul(NEG_QNAN, b(2.0), RNE, f), f.bits), QNAN, 0);
    }

    @Test
    void signalingNaNOperandRaisesInvalid() {
        FloatFlags f = new FloatFlags();
        expect(new R(Binary64.div(b(2.0), SNAN, RNE, f), f.bits), QNAN, NV);
    }

    @Test
    void infMinusInfIsInvalid() {
        expect(add(INF, -INF, RNE), QNAN, NV);
        expect(sub(INF, INF, RNE), QNAN, NV);
    }

    @Test
    void infPlusFiniteIsExactInf() {
        expect(add(-INF, MAX, RNE), -INF, 0);
    }

    @Test
    void zeroTimesInfIsInvalid() {
        expect(mul(0.0, -INF, RNE), QNAN, NV);
    }

    // ---------------------------------------------------------------- division by zero

    @Test
    void divisionByZeroGivesSignedInfinityAndDz() {
        expect(div(1.0, -0.0, RNE), -INF, DZ);
        expect(div(-MIN_SUB, -0.0, RTZ), INF, DZ);
    }

    @Test
    void zeroDividedByZeroIsInvalid() {
        expect(div(0.0, -0.0, RNE), QNAN, NV);
    }

    @Test
    void infDividedByInfIsInvalid() {
        expect(div(INF, -INF, RNE), QNAN, NV);
    }

    @Test
    void infDividedByZeroIsInfWithoutDivideByZero() {
        expect(div(INF, 0.0, RNE), INF, 0);
    }

    @Test
    void finiteDividedByInfIsSignedZero() {
        expect(div(-5.0, INF, RNE), MINUS_ZERO, 0);
    }

    // ---------------------------------------------------------------- overflow

    @Test
    void overflowInRneGivesInfinityWithOverflowAndInexact() {
        expect(mul(MAX, 2.0, RNE), INF, OF | NX);
    }

    @Test
    void overflowInRtzGivesMaxFinite() {
        expect(mul(MAX, 2.0, RTZ), MAX, OF | NX);
        expect(mul(MAX, -2.0, RTZ), -MAX, OF | NX);
    }

    @Test
    void overflowInRdnGivesMaxFiniteForPositiveAndMinusInfinityForNegative() {
        expect(mul(MAX, 2.0, RDN), MAX, OF | NX);
        expect(mul(MAX, -2.0, RDN), -INF, OF | NX);
    }

    @Test
    void overflowInRupGivesInfinityForPositiveAndMinusMaxForNegative() {
        expect(add(MAX, MAX, RUP), INF, OF | NX);
        expect(add(-MAX, -MAX, RUP), -MAX, OF | NX);
    }

    @Test
    void overflowInRmmGivesInfinity() {
        expect(div(MAX, 0.5, RMM), INF, OF | NX);
    }

    @Test
    void maxPlusHalfUlpOverflowsInRne() {
        expect(add(MAX, 0x1p970, RNE), INF, OF | NX); // ulp(MAX) = 2^971: a tie, rounds to 2^1024
    }

    @Test
    void maxPlusLessThanHalfUlpIsInexactButNoOverflow() {
        expect(add(MAX, 0x1p969, RNE), MAX, NX);
    }

    @Test
    void aboveMaxButRoundingDownToMaxInRtzIsNotOverflow() {
        expect(add(MAX, 0x1p970, RTZ), MAX, NX);
    }

    // ---------------------------------------------------------------- underflow

    @Test
    void tininessIsDetectedAfterRounding() {
        // 2^-1022 - 2^-1076: rounds to 2^-1022 even with an unbounded exponent -> not tiny, no UF.
        expect(fma(MIN_NORMAL, -0x1p-54, MIN_NORMAL, RNE), MIN_NORMAL, NX);
    }

    @Test
    void resultRoundedUpToMinNormalStillUnderflowsWhenTinyWithUnboundedExponent() {
        // 2^-1022 - 2^-1075 is representable with 53 bits and an unbounded exponent, hence tiny.
        expect(mul(MIN_NORMAL, ONE_DOWN, RNE), MIN_NORMAL, UF | NX);
    }

    @Test
    void exactSubnormalResultDoesNotRaiseUnderflow() {
        expect(mul(MIN_NORMAL, 0.5, RNE), MIN_NORMAL / 2, 0);
        expect(sub(MIN_NORMAL, ONE_UP * MIN_NORMAL, RNE), -MIN_SUB, 0);
    }

    @Test
    void underflowToZeroRaisesUnderflowAndInexact() {
        expect(mul(MIN_SUB, 0.5, RNE), 0.0, UF | NX); // a tie, to even (zero)
        expect(mul(MIN_SUB, 0.5, RUP), MIN_SUB, UF | NX);
        expect(mul(-MIN_SUB, 0.5, RNE), MINUS_ZERO, UF | NX);
    }

    @Test
    void subnormalTiesRoundToEvenQuantum() {
        expect(mul(3 * MIN_SUB, 0.5, RNE), 2 * MIN_SUB, UF | NX);
        expect(mul(3 * MIN_SUB, 0.5, RMM), 2 * MIN_SUB, UF | NX);
        expect(mul(5 * MIN_SUB, 0.5, RMM), 3 * MIN_SUB, UF | NX);
    }

    @Test
    void subnormalOperandsAreNotFlushed() {
        expect(add(MIN_SUB, MIN_SUB, RNE), 2 * MIN_SUB, 0);
        expect(div(MIN_SUB, MIN_SUB, RNE), 1.0, 0);
    }

    // ---------------------------------------------------------------- sqrt

    @Test
    void sqrtOfMinusZeroIsMinusZero() {
        expect(sqrt(-0.0, RNE), MINUS_ZERO, 0);
    }

    @Test
    void sqrtOfNegativeIsInvalid() {
        expect(sqrt(-1.0, RNE), QNAN, NV);
        expect(sqrt(-MIN_SUB, RNE), QNAN, NV);
    }

    @Test
    void sqrtOfMinusInfinityIsInvalid() {
        expect(sqrt(-INF, RNE), QNAN, NV);
    }

    @Test
    void sqrtOfPlusInfinityIsPlusInfinity() {
        expect(sqrt(INF, RNE), INF, 0);
    }

    @Test
    void sqrtOfTwoIsInexactAndDirectedModesBracketIt() {
        long above = 0x3ff6_a09e_667f_3bcdL; // 1.4142135623730951454... > sqrt(2) = 1.4142135623730950488...
        expect(sqrt(2.0, RNE), above, NX);
        expect(sqrt(2.0, RUP), above, NX);
        expect(sqrt(2.0, RMM), above, NX);
        expect(sqrt(2.0, RDN), above - 1, NX);
        expect(sqrt(2.0, RTZ), above - 1, NX);
    }

    @Test
    void sqrtOfSubnormalIsExactWhenTheRootIs() {
        expect(sqrt(MIN_SUB, RNE), 0x1p-537, 0);
    }

    @Test
    void sqrtOfPerfectSquareIsExact() {
        expect(sqrt(0x1.8p0 * 0x1.8p0, RUP), 1.5, 0);
    }

    // ---------------------------------------------------------------- fma

    @Test
    void fmaRoundsOnce() {
        // (1 + 2^-52)(1 - 2^-52) - 1 = -2^-104 exactly; mul-then-add would give 0.
        expect(fma(ONE_UP, 1.0 - 0x1p-52, -1.0, RNE), -0x1p-104, 0);
    }

    @Test
    void fmaOfInfTimesZeroPlusQuietNaNIsInvalid() {
        expect(fma(b(INF), b(0.0), QNAN, RNE), QNAN, NV);
        expect(fma(b(-0.0), b(INF), QNAN_PAYLOAD, RNE), QNAN, NV);
    }

    @Test
    void fmaOfInfTimesZeroPlusFiniteIsInvalid() {
        expect(fma(INF, 0.0, 1.0, RNE), QNAN, NV);
    }

    @Test
    void fmaWithQuietNaNAddendAndFiniteProductRaisesNothing() {
        expect(fma(b(2.0), b(3.0), QNAN_PAYLOAD, RNE), QNAN, 0);
    }

    @Test
    void fmaOfInfiniteProductPlusOppositeInfinityIsInvalid() {
        expect(fma(INF, 2.0, -INF, RNE), QNAN, NV);
    }

    @Test
    void fmaExactCancellationIsPlusZeroAndMinusZeroInRdn() {
        expect(fma(3.0, 5.0, -15.0, RNE), 0.0, 0);
        expect(fma(3.0, 5.0, -15.0, RDN), MINUS_ZERO, 0);
    }

    @Test
    void fmaOfZeroProductAndZeroAddendFollowsTheSumSignRules() {
        expect(fma(0.0, -1.0, -0.0, RNE), MINUS_ZERO, 0);
        expect(fma(0.0, 1.0, -0.0, RNE), 0.0, 0);
        expect(fma(0.0, 1.0, -0.0, RDN), MINUS_ZERO, 0);
    }

    @Test
    void fmaOfTinyProductAndZeroAddendUnderflows() {
        expect(fma(MIN_SUB, 0.25, -0.0, RNE), 0.0, UF | NX);
    }

    @Test
    void fmaKeepsTheStickyBitOfAFarSmallerProduct() {
        expect(fma(MIN_SUB, MIN_SUB, 1.0, RUP), ONE_UP, NX);
        expect(fma(-MIN_SUB, MIN_SUB, 1.0, RTZ), ONE_DOWN, NX);
        expect(fma(-MIN_SUB, MIN_SUB, 1.0, RNE), 1.0, NX);
    }

    // ---------------------------------------------------------------- min / max

    @Test
    void minOfPlusAndMinusZeroIsMinusZero() {
        FloatFlags f = new FloatFlags();
        assertThat(Binary64.min(b(0.0), MINUS_ZERO, f)).isEqualTo(MINUS_ZERO);
        assertThat(Binary64.min(MINUS_ZERO, b(0.0), f)).isEqualTo(MINUS_ZERO);
        assertThat(f.bits).isZero();
    }

    @Test
    void maxOfPlusAndMinusZeroIsPlusZero() {
        FloatFlags f = new FloatFlags();
        assertThat(Binary64.max(MINUS_ZERO, b(0.0), f)).isEqualTo(b(0.0));
        assertThat(f.bits).isZero();
    }

    @Test
    void minWithOneQuietNaNReturnsOtherOperandWithoutFlags() {
        FloatFlags f = new FloatFlags();
        assertThat(Binary64.min(QNAN_PAYLOAD, b(-3.0), f)).isEqualTo(b(-3.0));
        assertThat(Binary64.max(b(-3.0), NEG_QNAN, f)).isEqualTo(b(-3.0));
        assertThat(f.bits).isZero();
    }

    @Test
    void minWithSignalingNaNReturnsOtherOperandAndSetsInvalid() {
        FloatFlags f = new FloatFlags();
        assertThat(Binary64.min(SNAN, b(7.0), f)).isEqualTo(b(7.0));
        assertThat(f.bits).isEqualTo(NV);
    }

    @Test
    void minOfTwoNaNsIsCanonicalNaN() {
        FloatFlags f = new FloatFlags();
        assertThat(Binary64.min(QNAN_PAYLOAD, NEG_QNAN, f)).isEqualTo(QNAN);
        assertThat(Binary64.max(SNAN, QNAN_PAYLOAD, f)).isEqualTo(QNAN);
        assertThat(f.bits).isEqualTo(NV);
    }

    // ---------------------------------------------------------------- comparisons

    @Test
    void feqWithQuietNaNIsFalseWithoutFlags() {
        FloatFlags f = new FloatFlags();
        assertThat(Binary64.eq(QNAN, QNAN, f)).isFalse();
        assertThat(f.bits).isZero();
    }

    @Test
    void feqWithSignalingNaNSetsInvalid() {
        FloatFlags f = new FloatFlags();
        assertThat(Binary64.eq(b(1.0), SNAN, f)).isFalse();
        assertThat(f.bits).isEqualTo(NV);
    }

    @Test
    void fltAndFleWithQuietNaNSetInvalid() {
        FloatFlags f = new FloatFlags();
        assertThat(Binary64.lt(QNAN, b(1.0), f)).isFalse();
        assertThat(f.bits).isEqualTo(NV);
        FloatFlags g = new FloatFlags();
        assertThat(Binary64.le(b(1.0), QNAN, g)).isFalse();
        assertThat(g.bits).isEqualTo(NV);
    }

    @Test
    void plusAndMinusZeroCompareEqual() {
        FloatFlags f = new FloatFlags();
        assertThat(Binary64.eq(b(0.0), MINUS_ZERO, f)).isTrue();
        assertThat(Binary64.lt(MINUS_ZERO, b(0.0), f)).isFalse();
        assertThat(Binary64.le(b(0.0), MINUS_ZERO, f)).isTrue();
        assertThat(f.bits).isZero();
    }

    @Test
    void comparisonsOrderInfinitiesAndSubnormals() {
        FloatFlags f = new FloatFlags();
        assertThat(Binary64.lt(b(-INF), b(-MAX), f)).isTrue();
        assertThat(Binary64.lt(b(0.0), b(MIN_SUB), f)).isTrue();
        assertThat(Binary64.le(b(INF), b(MAX), f)).isFalse();
    }

    // ---------------------------------------------------------------- classify

    @Test
    void classifyDistinguishesAllTenClasses() {
        assertThat(Binary64.classify(b(-INF))).isEqualTo(1 << 0);
        assertThat(Binary64.classify(b(-1.0))).isEqualTo(1 << 1);
        assertThat(Binary64.classify(b(-MIN_SUB))).isEqualTo(1 << 2);
        assertThat(Binary64.classify(MINUS_ZERO)).isEqualTo(1 << 3);
        assertThat(Binary64.classify(b(0.0))).isEqualTo(1 << 4);
        assertThat(Binary64.classify(b(Math.nextDown(MIN_NORMAL)))).isEqualTo(1 << 5);
        assertThat(Binary64.classify(b(MIN_NORMAL))).isEqualTo(1 << 6);
        assertThat(Binary64.classify(b(INF))).isEqualTo(1 << 7);
        assertThat(Binary64.classify(SNAN)).isEqualTo(1 << 8);
        assertThat(Binary64.classify(QNAN)).isEqualTo(1 << 9);
        assertThat(Binary64.classify(NEG_QNAN)).isEqualTo(1 << 9);
    }

    // ---------------------------------------------------------------- float -> integer

    private static R cvtW(long a, int rm) {
        FloatFlags f = new FloatFlags();
        return new R(Binary64.toInt32(a, rm, f), f.bits);
    }

    private static R cvtWu(long a, int rm) {
        FloatFlags f = new FloatFlags();
        return new R(Binary64.toUInt32(a, rm, f), f.bits);
    }

    private static R cvtL(long a, int rm) {
        FloatFlags f = new FloatFlags();
        return new R(Binary64.toInt64(a, rm, f), f.bits);
    }

    private static R cvtLu(long a, int rm) {
        FloatFlags f = new FloatFlags();
        return new R(Binary64.toUInt64(a, rm, f), f.bits);
    }

    @Test
    void fcvtWOfNaNSaturatesToMaxWithInvalid() {
        expect(cvtW(QNAN, RNE), Integer.MAX_VALUE, NV);
        expect(cvtW(NEG_QNAN, RNE), Integer.MAX_VALUE, NV);
    }

    @Test
    void fcvtWOfMinusInfSaturatesToMinWithInvalid() {
        expect(cvtW(b(-INF), RNE), Integer.MIN_VALUE, NV);
    }

    @Test
    void fcvtWOutOfRangeAfterRoundingIsInvalidNotInexact() {
        expect(cvtW(b(2147483647.5), RNE), Integer.MAX_VALUE, NV);
        expect(cvtW(b(2147483647.5), RTZ), Integer.MAX_VALUE, NX);
        expect(cvtW(b(-2147483648.5), RTZ), Integer.MIN_VALUE, NX);
        expect(cvtW(b(-2147483648.5), RDN), Integer.MIN_VALUE, NV);
    }

    @Test
    void fcvtWOfMinus2To31IsExact() {
        expect(cvtW(b(-0x1p31), RNE), Integer.MIN_VALUE, 0);
    }

    @Test
    void fcvtRoundsHalfIntegersPerMode() {
        expect(cvtW(b(2.5), RNE), 2, NX);
        expect(cvtW(b(2.5), RMM), 3, NX);
        expect(cvtW(b(2.5), RTZ), 2, NX);
        expect(cvtW(b(2.5), RUP), 3, NX);
        expect(cvtW(b(-2.5), RDN), -3, NX);
        expect(cvtW(b(-2.5), RMM), -3, NX);
        expect(cvtW(b(-2.5), RUP), -2, NX);
    }

    @Test
    void fcvtWuOfNegativeGivesZeroWithInvalid() {
        expect(cvtWu(b(-1.0), RNE), 0, NV);
        expect(cvtWu(b(-INF), RNE), 0, NV);
    }

    @Test
    void fcvtWuOfSmallNegativeRoundingToZeroIsOnlyInexact() {
        expect(cvtWu(b(-0.4), RNE), 0, NX);
        expect(cvtWu(b(-0.9), RTZ), 0, NX);
        expect(cvtWu(b(-0.9), RDN), 0, NV);
    }

    @Test
    void fcvtWuResultIsSignExtended() {
        expect(cvtWu(b(3e9), RNE), (long) (int) 3_000_000_000L, 0);
        assertThat(cvtWu(b(3e9), RNE).bits()).isEqualTo(0xffff_ffff_b2d0_5e00L);
    }

    @Test
    void fcvtWuOfNaNIsAllOnes() {
        expect(cvtWu(QNAN, RNE), -1L, NV);
        expect(cvtWu(b(INF), RNE), -1L, NV);
    }

    @Test
    void fcvtLOfTwoTo63IsInvalidAndSaturates() {
        expect(cvtL(b(0x1p63), RNE), Long.MAX_VALUE, NV);
        expect(cvtL(b(-0x1p63), RNE), Long.MIN_VALUE, 0);
        expect(cvtL(b(-0x1p64), RNE), Long.MIN_VALUE, NV);
    }

    @Test
    void fcvtLuOfTwoTo63IsExact() {
        expect(cvtLu(b(0x1p63), RNE), Long.MIN_VALUE, 0);
        expect(cvtLu(b(0x1p64), RNE), -1L, NV);
        expect(cvtLu(QNAN, RNE), -1L, NV);
    }

    @Test
    void fcvtOfSubnormalIsZeroOrOneDependingOnMode() {
        expect(cvtL(b(MIN_SUB), RNE), 0, NX);
        expect(cvtL(b(MIN_SUB), RUP), 1, NX);
        expect(cvtL(b(-MIN_SUB), RDN), -1, NX);
    }

    // ---------------------------------------------------------------- integer -> float

    @Test
    void fcvtDLRoundsPerMode() {
        long v = (1L << 53) + 1;
        FloatFlags f = new FloatFlags();
        expect(new R(Binary64.fromInt64(v, RNE, f), f.bits), 0x1p53, NX);
        f = new FloatFlags();
        expect(new R(Binary64.fromInt64(v, RUP, f), f.bits), 0x1p53 + 2, NX);
        f = new FloatFlags();
        expect(new R(Binary64.fromInt64(-v, RDN, f), f.bits), -0x1p53 - 2, NX);
    }

    @Test
    void fcvtDLOfLongMinIsExact() {
        FloatFlags f = new FloatFlags();
        expect(new R(Binary64.fromInt64(Long.MIN_VALUE, RNE, f), f.bits), -0x1p63, 0);
    }

    @Test
    void fcvtDLuOfAllOnesRoundsPerMode() {
        FloatFlags f = new FloatFlags();
        expect(new R(Binary64.fromUInt64(-1L, RNE, f), f.bits), 0x1p64, NX);
        f = new FloatFlags();
        expect(new R(Binary64.fromUInt64(-1L, RTZ, f), f.bits), 0x1p64 - 2048, NX);
    }

    @Test
    void fcvtDWuTreatsTheOperandAsUnsigned() {
        FloatFlags f = new FloatFlags();
        expect(new R(Binary64.fromUInt32(-1, RNE, f), f.bits), 4294967295.0, 0);
        expect(new R(Binary64.fromInt32(-1, RNE, f), f.bits), -1.0, 0);
    }

    // ---------------------------------------------------------------- binary64 -> binary32

    private static R cvtSD(long a, int rm) {
        FloatFlags f = new FloatFlags();
        return new R(Binary64.toBinary32(a, rm, f) & 0xffff_ffffL, f.bits);
    }

    private static long fb(float x) {
        return Float.floatToRawIntBits(x) & 0xffff_ffffL;
    }

    @Test
    void fcvtSDOfSignalingNaNIsInvalidAndCanonical() {
        expect(cvtSD(SNAN, RNE), 0x7fc0_0000L, NV);
        expect(cvtSD(NEG_QNAN, RNE), 0x7fc0_0000L, 0);
    }

    @Test
    void fcvtSDOverflowHonoursRoundingMode() {
        expect(cvtSD(b(1e39), RNE), fb(Float.POSITIVE_INFINITY), OF | NX);
        expect(cvtSD(b(1e39), RTZ), fb(Float.MAX_VALUE), OF | NX);
        expect(cvtSD(b(-1e39), RUP), fb(-Float.MAX_VALUE), OF | NX);
    }

    @Test
    void fcvtSDUnderflowsToSubnormal() {
        expect(cvtSD(b(0x1.8p-149), RNE), fb(0x1p-148f), UF | NX);
        expect(cvtSD(b(MIN_SUB), RNE), 0, UF | NX);
        expect(cvtSD(b(MIN_SUB), RUP), fb(Float.MIN_VALUE), UF | NX);
    }

    @Test
    void fcvtSDRoundsToNearestEven() {
        expect(cvtSD(b(1.0 + 0x1p-24), RNE), fb(1.0f), NX);
        expect(cvtSD(b(1.0 + 0x1p-24), RMM), fb(Math.nextUp(1.0f)), NX);
        expect(cvtSD(b(1.0 + 0x1p-24 + 0x1p-52), RNE), fb(Math.nextUp(1.0f)), NX);
    }

    // ---------------------------------------------------------------- the accumulator

    @Test
    void flagsAreAccumulatedNeverCleared() {
        FloatFlags f = new FloatFlags(DZ);
        Binary64.add(b(1.0), b(0x1p-60), RNE, f);
        assertThat(f.bits).isEqualTo(DZ | NX);
        Binary64.mul(b(2.0), b(3.0), RNE, f); // exact
        assertThat(f.bits).isEqualTo(DZ | NX);
        Binary64.sqrt(b(-1.0), RNE, f);
        assertThat(f.bits).isEqualTo(DZ | NX | NV);
    }

    @Test
    void negateFlipsOnlyTheSign() {
        assertThat(Binary64.negate(b(1.5))).isEqualTo(b(-1.5));
        assertThat(Binary64.negate(QNAN)).isEqualTo(QNAN | MINUS_ZERO);
    }
}
