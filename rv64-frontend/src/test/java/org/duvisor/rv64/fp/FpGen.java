package org.duvisor.rv64.fp;

import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/**
 * Edge-biased operand generators for one binary format (bit patterns in the low bits of a long).
 * Operands are built from a sign, an exponent field drawn with heavy weight on the extremes
 * (subnormal, smallest normals, top binade, around 1.0) and a fraction drawn from bit patterns that
 * produce exact results, ties and near-ties (zero, all ones, trailing zeros/ones, single bits, random).
 * Pair and triple generators correlate operands so that results land near the overflow and
 * underflow thresholds, near cancellation, and exactly on rounding boundaries.
 */
final class FpGen {
    final RefModel.Fmt fmt;
    private final int p;
    private final int maxE; // all-ones exponent field
    private final int bias;

    FpGen(RefModel.Fmt fmt) {
        this.fmt = fmt;
        this.p = fmt.p();
        this.maxE = fmt.maxExpField();
        this.bias = fmt.bias();
    }

    static final FpGen G64 = new FpGen(RefModel.F64);
    static final FpGen G32 = new FpGen(RefModel.F32);

    // ------------------------------------------------------------------ building blocks

    long make(boolean neg, long expField, long frac) {
        return (neg ? fmt.signBit() : 0) | (expField << (p - 1)) | (frac & fmt.fracMask());
    }

    long special(Random r) {
        boolean neg = r.nextBoolean();
        long quiet = 1L << (p - 2);
        switch (r.nextInt(16)) {
            case 0: return make(neg, 0, 0);                       // zero
            case 1: return make(neg, maxE, 0);                    // inf
            case 2: return fmt.canonicalNaN() | (neg ? fmt.signBit() : 0);
            case 3: return make(neg, maxE, quiet | randomFrac(r)); // qNaN with payload
            case 4: return make(neg, maxE, 1);                    // sNaN
            case 5: return make(neg, maxE, (randomFrac(r) & ~quiet) | 1L << r.nextInt(p - 2)); // sNaN payload
            case 6: return make(neg, 0, 1);                       // min subnormal
            case 7: return make(neg, 0, fmt.fracMask());          // max subnormal
            case 8: return make(neg, 1, 0);                       // min normal
            case 9: return make(neg, maxE - 1, fmt.fracMask());   // max finite
            case 10: return make(neg, bias, 0);                   // 1.0
            case 11: return make(neg, bias - 1, fmt.fracMask());  // nextDown(1.0)
            case 12: return make(neg, bias, 1);                   // nextUp(1.0)
            case 13: return make(neg, maxE - 1, 0);               // 2^emax
            case 14: return make(neg, 1, 1);                      // nextUp(min normal)
            default: return make(neg, 0, 1L << (p - 2));          // 2^(emin-1)
        }
    }

    /** A small set of special operands, so that combinations such as inf * 0 + qNaN are frequent. */
    long tinySpecialSet(Random r) {
        boolean neg = r.nextBoolean();
        switch (r.nextInt(9)) {
            case 0: case 1: return make(neg, 0, 0);
            case 2: case 3: return make(neg, maxE, 0);
            case 4: return make(neg, maxE, 1L << (p - 2));
            case 5: return make(neg, maxE, 1L << r.nextInt(p - 2));
            case 6: return make(neg, bias, 0);
            case 7: return make(neg, 0, 1);
            default: return make(neg, maxE - 1, fmt.fracMask());
        }
    }

    long randomFrac(Random r) {
        return r.nextLong() & fmt.fracMask();
    }

    /** Fraction patterns that make ties, exact results and long carry chains likely. */
    long frac(Random r) {
        long m = fmt.fracMask();
        int k = r.nextInt(p);
        switch (r.nextInt(12)) {
            case 0: return 0;
            case 1: return m;
            case 2: return randomFrac(r) & ~((1L << k) - 1) & m;     // trailing zeros
            case 3: return (randomFrac(r) | ((1L << k) - 1)) & m;    // trailing ones
            case 4: return 1L << r.nextInt(p - 1);                   // single bit
            case 5: return (m >>> k) << k;                           // leading ones, trailing zeros
            case 6: return m >>> k;                                  // leading zeros, trailing ones
            case 7: return (1L << r.nextInt(p - 1)) | 1;              // sparse
            case 8: return randomFrac(r) & ~((1L << (p - 1 - r.nextInt(6))) - 1) & m; // few leading bits
            default: return randomFrac(r);
        }
    }

    /** Exponent field of a finite number, biased towards the extremes. */
    int expField(Random r) {
        switch (r.nextInt(14)) {
            case 0: case 1: return 0;                            // subnormal
            case 2: return 1 + r.nextInt(2);                      // smallest normals
            case 3: return 1 + r.nextInt(p + 2);                  // low binades
            case 4: return maxE - 1 - r.nextInt(2);               // top binades
            case 5: return maxE - 1 - r.nextInt(p + 2);
            case 6: case 7: return bias - 3 + r.nextInt(7);      // around 1
            default: return 1 + r.nextInt(maxE - 1);             // anywhere
        }
    }

    /** A finite number with exponent field e (clamped into [0, maxE-1]). */
    long withExp(Random r, boolean neg, int e) {
        if (e <= 0) {
            // subnormal: shift the fraction right so that small exponents stay meaningful
            int sh = Math.min(-e, p - 1);
            long f = frac(r) | (1L << (p - 2));
            return make(neg, 0, f >>> sh | (f == 0 ? 1 : 0));
        }
        if (e >= maxE) {
            e = maxE - 1;
        }
        return make(neg, e, frac(r));
    }

    long finite(Random r) {
        int e = expField(r);
        long f = frac(r);
        if (e == 0 && f == 0) {
            f = 1L << r.nextInt(p - 1);
        }
        return make(r.nextBoolean(), e, f);
    }

    /** Any operand: specials, raw random bits, or a structured finite number. */
    long any(Random r) {
        int c = r.nextInt(20);
        if (c < 3) {
            return special(r);
        }
        if (c < 5) {
            return r.nextLong() & fmt.mask();
        }
        return finite(r);
    }

    int expOf(long bits) {
        return (int) ((bits >>> (p - 1)) & maxE);
    }

    long neg(long bits) {
        return bits ^ fmt.signBit();
    }

    /** bits +- a few ulps, staying in the finite range. */
    long nudge(Random r, long bits) {
        long mag = bits & ~fmt.signBit() & fmt.mask();
        long sign = bits & fmt.signBit();
        long d = r.nextInt(5) - 2;
        long m = mag + d;
        long maxFinite = fmt.maxFinite(false);
        if (m < 0 || m > maxFinite) {
            m = mag;
        }
        return sign | m;
    }

    /** Nearest-ish value of the exact product/quotient in the same format, computed with Java doubles. */
    long approxProduct(long a, long b) {
        if (fmt.p() == 53) {
            return Double.doubleToRawLongBits(Double.longBitsToDouble(a) * Double.longBitsToDouble(b));
        }
        double x = Float.intBitsToFloat((int) a);
        double y = Float.intBitsToFloat((int) b);
        return Float.floatToRawIntBits((float) (x * y)) & 0xffff_ffffL;
    }

    // ------------------------------------------------------------------ correlated operand tuples

    /** Operand pair for add/sub: cancellation, alignment near p, exact half-ulp ties, extremes. */
    long[] addPair(Random r) {
        if (r.nextInt(16) == 0) {
            return new long[] {tinySpecialSet(r), tinySpecialSet(r)};
        }
        long a = any(r);
        int ea = expOf(a);
        long b;
        switch (r.nextInt(8)) {
            case 0: case 1:
                b = any(r);
                break;
            case 2: // exponent difference in [-p-3, p+3]
                b = withExp(r, r.nextBoolean(), ea + r.nextInt(2 * p + 7) - p - 3);
                break;
            case 3: // near-cancellation
                b = nudge(r, neg(a));
                break;
            case 4: // tie / quarter-ulp / just-above-half addends
                b = make(r.nextBoolean(), Math.max(0, ea - p - r.nextInt(2)), r.nextInt(3) == 0 ? frac(r) : 0);
                if (expOf(b) == 0 && (b & fmt.fracMask()) == 0) {
                    b |= 1;
                }
                break;
            case 5: // both tiny
                a = withExp(r, r.nextBoolean(), r.nextInt(3));
                b = withExp(r, r.nextBoolean(), r.nextInt(3));
                break;
            case 6: // both huge
                a = withExp(r, r.nextBoolean(), maxE - 1 - r.nextInt(2));
                b = withExp(r, r.nextBoolean(), maxE - 1 - r.nextInt(3));
                break;
            default:
                b = nudge(r, a);
                break;
        }
        return r.nextBoolean() ? new long[] {a, b} : new long[] {b, a};
    }

    /** Target exponent field of a result: normal range, around underflow or around overflow. */
    int targetExp(Random r) {
        switch (r.nextInt(6)) {
            case 0: return 1 - r.nextInt(p + 3);                    // subnormal results and min normal
            case 1: return 1 + r.nextInt(3) - 1;                     // at the normal boundary
            case 2: return -p - r.nextInt(5);                        // underflow to zero / min subnormal
            case 3: return maxE - 1 + r.nextInt(3) - 1;              // around overflow
            default: return 1 + r.nextInt(maxE - 1);
        }
    }

    /** A value in the format from a Java double (rounded to nearest), as bits. */
    long fromDouble(double v) {
        if (fmt.p() == 53) {
            return Double.doubleToRawLongBits(v);
        }
        return Float.floatToRawIntBits((float) v) & 0xffff_ffffL;
    }

    double toDouble(long bits) {
        return fmt.p() == 53 ? Double.longBitsToDouble(bits) : Float.intBitsToFloat((int) bits);
    }

    /** A result value worth landing next to: the underflow and overflow thresholds and their kin. */
    double target(Random r) {
        double minNormal = fmt.p() == 53 ? Double.MIN_NORMAL : Float.MIN_NORMAL;
        double max = fmt.p() == 53 ? Double.MAX_VALUE : Float.MAX_VALUE;
        double minSub = fmt.p() == 53 ? Double.MIN_VALUE : Float.MIN_VALUE;
        switch (r.nextInt(6)) {
            case 0: case 1: return minNormal;
            case 2: return max;
            case 3: return minSub * (1 + 2 * r.nextInt(8)) / 2; // subnormal midpoints (rounded)
            case 4: return minNormal / 2;
            default: return 1.0;
        }
    }

    /** A significand with only about half the precision: products of two of them often tie. */
    long shortSignificand(Random r, boolean neg, int e) {
        int keep = p / 2 + r.nextInt(3) - 1;
        long f = randomFrac(r) & ~((1L << (p - 1 - keep)) - 1) & fmt.fracMask();
        f |= 1L << (p - 1 - keep);
        return make(neg, Math.max(1, Math.min(e, maxE - 1)), f);
    }

    long[] mulPair(Random r) {
        if (r.nextInt(16) == 0) {
            return new long[] {tinySpecialSet(r), tinySpecialSet(r)};
        }
        if (r.nextInt(5) == 0) {
            return new long[] {any(r), any(r)};
        }
        if (r.nextInt(4) == 0) {
            // a * b within a couple of ulps of a threshold: b = RN(target / a) nudged
            double t = target(r);
            int spread = r.nextInt(Math.min(100, bias / 2));
            long a = withExp(r, r.nextBoolean(), t >= 1 ? bias + spread : bias - spread);
            long b = fromDouble(t / toDouble(a));
            b = nudge(r, b);
            if (r.nextBoolean()) {
                b = neg(b);
            }
            return r.nextBoolean() ? new long[] {a, b} : new long[] {b, a};
        }
        if (r.nextInt(6) == 0) {
            int t = targetExp(r);
            long a = shortSignificand(r, r.nextBoolean(), bias + r.nextInt(9) - 4);
            long b = shortSignificand(r, r.nextBoolean(), t - expOf(a) + bias);
            return new long[] {a, b};
        }
        long a = finite(r);
        int ea = expOf(a);
        int t = targetExp(r);
        // E(a*b) ~ ea + eb - bias
        long b = withExp(r, r.nextBoolean(), t - ea + bias + r.nextInt(2));
        return r.nextBoolean() ? new long[] {a, b} : new long[] {b, a};
    }

    long[] divPair(Random r) {
        if (r.nextInt(16) == 0) {
            return new long[] {tinySpecialSet(r), tinySpecialSet(r)};
        }
        if (r.nextInt(5) == 0) {
            return new long[] {any(r), any(r)};
        }
        if (r.nextInt(4) == 0) {
            // a / b within a couple of ulps of a threshold: a = RN(target * b) nudged
            double t = target(r);
            int spread = r.nextInt(Math.min(100, bias / 2));
            long b = withExp(r, r.nextBoolean(), t >= 1 ? bias - spread : bias + spread);
            long a = nudge(r, fromDouble(t * toDouble(b)));
            return new long[] {r.nextBoolean() ? neg(a) : a, b};
        }
        if (r.nextInt(6) == 0) {
            // exact-ish quotients: a = b * short, so that a / b has few bits (ties at subnormal precision)
            // a = b * c exactly with c = short * 2^k in (or just below) the subnormal range.
            long b = shortSignificand(r, r.nextBoolean(), bias + p + 2 + r.nextInt(40));
            long cb = shortSignificand(r, r.nextBoolean(), bias);
            double c = toDouble(cb);
            int k = fmt.emin() - p - 1 + r.nextInt(p + 3);
            if (r.nextBoolean()) {
                // put c's lowest set bit exactly at half the subnormal quantum: a tie
                k = fmt.emin() - 1 - Long.numberOfTrailingZeros(cb & fmt.fracMask()) + (r.nextInt(3) == 0 ? 1 : 0);
            }
            long a = fromDouble(Math.scalb(toDouble(b) * c, k));
            if (r.nextInt(3) == 0) {
                a = nudge(r, a);
            }
            return new long[] {a, b};
        }
        long a = finite(r);
        int ea = expOf(a);
        int t = targetExp(r);
        // E(a/b) ~ ea - eb + bias
        long b;
        if (r.nextInt(6) == 0) {
            b = nudge(r, a); // quotients near 1
        } else {
            b = withExp(r, r.nextBoolean(), ea - t + bias + r.nextInt(2));
        }
        return new long[] {a, b};
    }

    long[] fmaTriple(Random r) {
        if (r.nextInt(8) == 0) {
            return new long[] {tinySpecialSet(r), tinySpecialSet(r), tinySpecialSet(r)};
        }
        if (r.nextInt(3) == 0) {
            return normalFmaTriple(r);
        }
        long[] ab = mulPair(r);
        long a = ab[0];
        long b = ab[1];
        long c;
        long prod = approxProduct(a, b);
        int ep = expOf(prod);
        switch (r.nextInt(7)) {
            case 0:
                c = any(r);
                break;
            case 1: // exact-ish cancellation of the rounded product
                c = (prod & ~fmt.signBit()) < fmt.inf(false) ? nudge(r, neg(prod)) : any(r);
                break;
            case 2:
                c = neg(prod) & fmt.mask();
                break;
            case 3: // addend within the product's span
                c = withExp(r, r.nextBoolean(), ep + r.nextInt(4 * p + 8) - 3 * p - 4);
                break;
            case 4: // addend much bigger than the product
                c = withExp(r, r.nextBoolean(), ep + p + r.nextInt(2 * p + 10));
                break;
            case 5: // tiny addend
                c = withExp(r, r.nextBoolean(), r.nextInt(3));
                break;
            default:
                c = special(r);
                break;
        }
        return new long[] {a, b, c};
    }

    /**
     * Normal-range triples (product exponent within about 2^+-120 for binary64) built to stress an
     * error-free fma fast path: near-cancellation of the rounded product, addends around the last
     * bits of the exact product (ties and near-ties), addends the product barely reaches, the high
     * part of the product cancelled, and random normal addends.
     */
    long[] normalFmaTriple(Random r) {
        int span = Math.min(60, bias / 4);
        long a = make(r.nextBoolean(), bias + r.nextInt(2 * span + 1) - span, frac(r));
        long b = make(r.nextBoolean(), bias + r.nextInt(2 * span + 1) - span, frac(r));
        long prod = approxProduct(a, b);
        long pmag = prod & ~fmt.signBit();
        int ep = expOf(prod);
        long c;
        switch (r.nextInt(6)) {
            case 0: { // near-cancellation, by up to 2^19 ulps
                int k = 1 << r.nextInt(20);
                long m = pmag + r.nextInt(2 * k + 1) - k;
                c = (prod ^ fmt.signBit()) & fmt.signBit() | (m > 0 ? m : pmag);
                break;
            }
            case 1: // addend around the low bits of the exact product; exact halves and quarters of ulp(prod)
                c = r.nextInt(3) == 0 ? make(r.nextBoolean(), Math.max(1, ep - p + r.nextInt(2)), 0)
                        : withExp(r, r.nextBoolean(), ep - 2 * p - 4 + r.nextInt(p + 10));
                break;
            case 2: // product around the low bits of the addend
                c = withExp(r, r.nextBoolean(), ep - 3 + r.nextInt(p + 12));
                break;
            case 3: // comparable magnitudes
                c = withExp(r, r.nextBoolean(), ep - 3 + r.nextInt(7));
                break;
            case 4: { // the high part of the product cancelled, the low part left
                int k = r.nextInt(p);
                long hi = pmag & ~((1L << k) - 1);
                c = nudge(r, (prod & fmt.signBit()) ^ fmt.signBit() | hi);
                break;
            }
            default:
                c = make(r.nextBoolean(), 1 + r.nextInt(maxE - 1), frac(r));
                break;
        }
        return new long[] {a, b, c & fmt.mask()};
    }

    /** Operands for float-to-integer conversions: around integer-range boundaries and half-integers. */
    long convOperand(Random r) {
        switch (r.nextInt(8)) {
            case 0:
                return any(r);
            case 1: { // near +-2^k for k in {31, 32, 63, 64}
                int[] ks = {31, 32, 63, 64, 0, 1, 52, 53, 23, 24};
                int k = ks[r.nextInt(ks.length)];
                long v = make(r.nextBoolean(), Math.min(bias + k, maxE - 1), 0);
                return nudge(r, v);
            }
            case 2: // |x| < 2
                return withExp(r, r.nextBoolean(), bias - r.nextInt(4));
            case 3: // tiny
                return withExp(r, r.nextBoolean(), r.nextInt(3));
            default:
                return withExp(r, r.nextBoolean(), bias - 2 + r.nextInt(Math.min(70, maxE - bias + 1)));
        }
    }

    /** Integers biased towards powers of two, runs of ones and the extremes. */
    static long intOperand(Random r) {
        int k = r.nextInt(64);
        switch (r.nextInt(10)) {
            case 0: return Long.MIN_VALUE + r.nextInt(3);
            case 1: return Long.MAX_VALUE - r.nextInt(3);
            case 2: return (1L << k) + r.nextInt(5) - 2;
            case 3: return -(1L << k) + r.nextInt(5) - 2;
            case 4: return (-1L >>> k) << r.nextInt(64 - k);          // a run of ones
            case 5: return r.nextInt(1 << 20) - (1 << 19);
            case 6: return r.nextLong() >> k;
            case 7: return (r.nextLong() >>> k) | (1L << 63 >>> k) | 1; // odd, top bit at 63-k
            default: return r.nextLong();
        }
    }

    // ------------------------------------------------------------------ jqwik wrappers

    Arbitrary<Long> anyArb() {
        return Arbitraries.randomValue(this::any);
    }

    Arbitrary<long[]> addPairs() {
        return Arbitraries.randomValue(this::addPair);
    }

    Arbitrary<long[]> mulPairs() {
        return Arbitraries.randomValue(this::mulPair);
    }

    Arbitrary<long[]> divPairs() {
        return Arbitraries.randomValue(this::divPair);
    }

    Arbitrary<long[]> fmaTriples() {
        return Arbitraries.randomValue(this::fmaTriple);
    }

    Arbitrary<long[]> normalFmaTriples() {
        return Arbitraries.randomValue(this::normalFmaTriple);
    }

    Arbitrary<long[]> anyPairs() {
        return Arbitraries.randomValue(r -> {
            long a = any(r);
            int c = r.nextInt(4);
            long b = c == 0 ? a : c == 1 ? nudge(r, a) : c == 2 ? neg(a) & fmt.mask() : any(r);
            return r.nextBoolean() ? new long[] {a, b} : new long[] {b, a};
        });
    }

    Arbitrary<Long> sqrtOperands() {
        return Arbitraries.randomValue(this::sqrtOperand);
    }

    /** Radicands: specials, structured positives, and neighbours of exact squares. */
    long sqrtOperand(Random r) {
        if (r.nextInt(4) == 0) {
            return any(r);
        }
        long x = finite(r) & ~fmt.signBit();
        if (r.nextInt(3) == 0) {
            // squares of short-fraction numbers, and their neighbours: exact roots and near-ties
            long root = make(false, expField(r) / 2 + bias / 2, frac(r) & ~((1L << (p / 2 + 1)) - 1));
            long sq = approxProduct(root, root);
            if ((sq & ~fmt.signBit()) < fmt.inf(false) && sq != 0) {
                x = nudge(r, sq);
            }
        }
        return x;
    }

    Arbitrary<Long> convOperands() {
        return Arbitraries.randomValue(this::convOperand);
    }

    static Arbitrary<Long> ints() {
        return Arbitraries.randomValue(FpGen::intOperand);
    }
}
