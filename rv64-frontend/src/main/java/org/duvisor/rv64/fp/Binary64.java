package org.duvisor.rv64.fp;

import static org.duvisor.rv64.fp.FpCore.EMAX64;
import static org.duvisor.rv64.fp.FpCore.EXP64;
import static org.duvisor.rv64.fp.FpCore.P64;
import static org.duvisor.rv64.fp.FpCore.SIGN64;
import static org.duvisor.rv64.fp.FpCore.SIGN_SHIFT64;
import static org.duvisor.rv64.fp.FpCore.isNaN64;
import static org.duvisor.rv64.fp.FpCore.isSNaN64;
import static org.duvisor.rv64.fp.RoundingMode.RDN;
import static org.duvisor.rv64.fp.RoundingMode.RMM;
import static org.duvisor.rv64.fp.RoundingMode.RNE;

/**
 * IEEE 754-2008 binary64 arithmetic with RISC-V D-extension semantics, on raw bit patterns.
 *
 * <p>All methods are static, thread-safe and allocation-free; exceptions are OR-ed into the given
 * {@link FloatFlags}. Rounding modes are the {@link RoundingMode} constants (DYN already resolved).
 * Every NaN result is {@link #CANONICAL_NAN}. See {@code package-info} for the technique.
 */
public final class Binary64 {
    private Binary64() {
    }

    /** The RISC-V canonical quiet NaN. */
    public static final long CANONICAL_NAN = 0x7ff8_0000_0000_0000L;
    static final long POS_INF = 0x7ff0_0000_0000_0000L;
    static final long NEG_INF = 0xfff0_0000_0000_0000L;

    /** Biased exponent field, pre-shifted: the smallest binade where mul/div fast paths are exact. */
    private static final long FAST_LO = 56L << 52;
    /** Top binade (biased exponent 2046): excluded from the fast paths so that nextUp stays finite. */
    private static final long TOP_BINADE = 2046L << 52;

    private static double d(long bits) {
        return Double.longBitsToDouble(bits);
    }

    private static long bits(double x) {
        return Double.doubleToRawLongBits(x);
    }

    /** Canonical NaN, with NV if any of the operands is a signalling NaN. */
    private static long nan(long a, long b, FloatFlags f) {
        if (isSNaN64(a) || isSNaN64(b)) {
            f.bits |= FloatFlags.NV;
        }
        return CANONICAL_NAN;
    }

    private static long invalid(FloatFlags f) {
        f.bits |= FloatFlags.NV;
        return CANONICAL_NAN;
    }

    // ------------------------------------------------------------------ add / sub

    /** {@code fadd.d}. */
    public static long add(long a, long b, int rm, FloatFlags f) {
        double x = d(a);
        double y = d(b);
        double s = x + y;
        long sb = bits(s);
        if ((sb & EXP64) < TOP_BINADE) { // hence x and y finite
            if (rm == RNE && (f.bits & FloatFlags.NX) != 0) {
                return sb; // the host sum is the RNE result; NX is sticky and already set
            }
            // TwoSum: s + err == x + y exactly (no overflow possible below the top binade).
            double t = s - x;
            double err = (x - (s - t)) + (y - t);
            if (err == 0) {
                return s != 0 || rm != RDN ? sb : addZeroRdn(a, b);
            }
            f.bits |= FloatFlags.NX;
            return rm == RNE ? sb : FpCore.round64(sb, err, rm);
        }
        return addSlow(a, b, rm, f);
    }

    /** {@code fsub.d}: {@code a - b}. */
    public static long sub(long a, long b, int rm, FloatFlags f) {
        return add(a, b ^ SIGN64, rm, f);
    }

    /** An exact zero sum when rounding down: -0 unless both addends are +0. */
    private static long addZeroRdn(long a, long b) {
        return (a | b) == 0 ? 0 : SIGN64;
    }

    static long addSlow(long a, long b, int rm, FloatFlags f) {
        long ma = a & ~SIGN64;
        long mb = b & ~SIGN64;
        if (ma >= EXP64 || mb >= EXP64) {
            if (ma > EXP64 || mb > EXP64) {
                return nan(a, b, f);
            }
            if (ma == EXP64 && mb == EXP64 && (a ^ b) < 0) {
                return invalid(f); // inf - inf
            }
            return ma == EXP64 ? a : b;
        }
        if (mb == 0) {
            if (ma == 0) {
                return a == b ? a : (rm == RDN ? SIGN64 : 0);
            }
            return a;
        }
        if (ma == 0) {
            return b;
        }
        boolean na = a < 0;
        boolean nb = b < 0;
        int ea = FpCore.exp64(a);
        int eb = FpCore.exp64(b);
        long sa = FpCore.sig64(a) >>> 1; // leading one at bit 61: room for the carry
        long sb = FpCore.sig64(b) >>> 1;
        if (ea < eb || (ea == eb && sa < sb)) {
            int te = ea;
            ea = eb;
            eb = te;
            long ts = sa;
            sa = sb;
            sb = ts;
            boolean tn = na;
            na = nb;
            nb = tn;
        }
        sb = FpCore.shiftRightJam(sb, ea - eb);
        long s;
        if (na == nb) {
            s = sa + sb;
        } else {
            s = sa - sb;
            if (s == 0) {
                return rm == RDN ? SIGN64 : 0;
            }
        }
        int lz = Long.numberOfLeadingZeros(s);
        return FpCore.roundPack(na, ea + 2 - lz, s << (lz - 1), rm, f, P64, EMAX64, SIGN_SHIFT64);
    }

    // ------------------------------------------------------------------ mul

    /** {@code fmul.d}. */
    public static long mul(long a, long b, int rm, FloatFlags f) {
        double x = d(a);
        double y = d(b);
        double p = x * y;
        long pb = bits(p);
        long e = pb & EXP64;
        if (e >= FAST_LO && e < TOP_BINADE) {
            if (rm == RNE && (f.bits & FloatFlags.NX) != 0) {
                return pb; // as in add: the error would only decide NX, which is set
            }
            double err = Math.fma(x, y, -p); // exact: |p| >= 2^-967 keeps the error representable
            if (err == 0) {
                return pb;
            }
            f.bits |= FloatFlags.NX;
            return rm == RNE ? pb : FpCore.round64(pb, err, rm);
        }
        return mulSlow(a, b, rm, f);
    }

    static long mulSlow(long a, long b, int rm, FloatFlags f) {
        long ma = a & ~SIGN64;
        long mb = b & ~SIGN64;
        long sign = (a ^ b) & SIGN64;
        if (ma >= EXP64 || mb >= EXP64) {
            if (ma > EXP64 || mb > EXP64) {
                return nan(a, b, f);
            }
            if (ma == 0 || mb == 0) {
                return invalid(f); // inf * 0
            }
            return sign | POS_INF;
        }
        if (ma == 0 || mb == 0) {
            return sign;
        }
        return productRound(sign != 0, a, b, rm, f);
    }

    /** Rounds the exact product of two finite nonzero binary64 values. */
    private static long productRound(boolean neg, long a, long b, int rm, FloatFlags f) {
        long sa = FpCore.sig64(a) << 1; // leading one at bit 63 (unsigned)
        long sb = FpCore.sig64(b) << 1;
        long hi = Math.unsignedMultiplyHigh(sa, sb);
        long lo = sa * sb;
        int e = FpCore.exp64(a) + FpCore.exp64(b);
        long sig;
        if (hi < 0) {
            sig = (hi >>> 1) | (hi & 1) | (lo != 0 ? 1 : 0);
            e++;
        } else {
            sig = hi | (lo != 0 ? 1 : 0);
        }
        return FpCore.roundPack(neg, e, sig, rm, f, P64, EMAX64, SIGN_SHIFT64);
    }

    // ------------------------------------------------------------------ div

    /** {@code fdiv.d}. */
    public static long div(long a, long b, int rm, FloatFlags f) {
        double x = d(a);
        double y = d(b);
        double q = x / y;
        long qb = bits(q);
        long eq = (qb & EXP64) >>> 52;
        long eb = Math.max((b & EXP64) >>> 52, 1);
        if (eq >= 56 && eq < 2046 && eq + eb >= 1076) {
            if ((rm == RNE || rm == RMM) && (f.bits & FloatFlags.NX) != 0) {
                return qb;
            }
            double r = Math.fma(-q, y, x); // exact remainder x - q*y (ulp(q)*ulp(y) >= 2^-1074)
            if (r == 0) {
                return qb;
            }
            f.bits |= FloatFlags.NX;
            // A quotient is never exactly halfway in the normal range, so RMM is RNE.
            return rm == RNE || rm == RMM ? qb : FpCore.step64(qb, y > 0 ? r : -r, rm);
        }
        return divSlow(a, b, rm, f);
    }

    static long divSlow(long a, long b, int rm, FloatFlags f) {
        long ma = a & ~SIGN64;
        long mb = b & ~SIGN64;
        long sign = (a ^ b) & SIGN64;
        if (ma >= EXP64 || mb >= EXP64) {
            if (ma > EXP64 || mb > EXP64) {
                return nan(a, b, f);
            }
            if (ma == EXP64) {
                return mb == EXP64 ? invalid(f) : sign | POS_INF;
            }
            return sign; // finite / inf
        }
        if (mb == 0) {
            if (ma == 0) {
                return invalid(f); // 0 / 0
            }
            f.bits |= FloatFlags.DZ;
            return sign | POS_INF;
        }
        if (ma == 0) {
            return sign;
        }
        long sa = FpCore.sig64(a) >>> 10; // 53-bit significands, leading one at bit 52
        long sb = FpCore.sig64(b) >>> 10;
        int e = FpCore.exp64(a) - FpCore.exp64(b);
        if (sa < sb) {
            sa <<= 1;
            e--;
        }
        // Restoring division: 63 quotient bits, the first one is 1; remainder becomes the sticky bit.
        long q = 0;
        long rem = sa;
        for (int i = 0; i < 63; i++) {
            q <<= 1;
            if (rem >= sb) {
                rem -= sb;
                q |= 1;
            }
            rem <<= 1;
        }
        if (rem != 0) {
            q |= 1;
        }
        return FpCore.roundPack(sign != 0, e, q, rm, f, P64, EMAX64, SIGN_SHIFT64);
    }

    // ------------------------------------------------------------------ sqrt

    /** Radicands from 2^-959 up: the residual below is exact without scaling. */
    private static final long SQRT_FAST_LO = 64L << 52;

    /** {@code fsqrt.d}. */
    public static long sqrt(long a, int rm, FloatFlags f) {
        if (a >= SQRT_FAST_LO && a < EXP64) { // positive, finite, not tiny (signed compare)
            double x = d(a);
            double q = Math.sqrt(x);
            long qb = bits(q);
            if ((rm == RNE || rm == RMM) && (f.bits & FloatFlags.NX) != 0) {
                return qb;
            }
            double r = Math.fma(-q, q, x); // exact residual x - q*q
            if (r == 0) {
                return qb;
            }
            f.bits |= FloatFlags.NX;
            // A square root is never exactly halfway, so RMM is RNE.
            return rm == RNE || rm == RMM ? qb : FpCore.step64(qb, r, rm);
        }
        return sqrtSlow(a, rm, f);
    }

    static long sqrtSlow(long a, int rm, FloatFlags f) {
        if (a < 0) {
            if (a == SIGN64) {
                return a; // sqrt(-0) = -0
            }
            return isNaN64(a) ? nan(a, a, f) : invalid(f);
        }
        if (a >= EXP64) {
            return a == EXP64 ? a : nan(a, a, f);
        }
        if (a == 0) {
            return 0;
        }
        // 0 < a < 2^-959: scale by 2^256 (exact), which keeps the residual representable; the root
        // is scaled back by 2^-128, also exact since square roots are never subnormal.
        double x = d(a) * 0x1p256;
        double q = Math.sqrt(x);
        double r = Math.fma(-q, q, x);
        if (r != 0) {
            f.bits |= FloatFlags.NX;
            if (rm != RNE && rm != RMM) {
                q = d(FpCore.step64(bits(q), r, rm));
            }
        }
        return bits(q * 0x1p-128);
    }

    // ------------------------------------------------------------------ fma


    /**
     * {@code fmadd.d}: {@code a*b + c} with a single rounding.
     *
     * <p>Three tiers, each in its own method so that C2 inlines only the tiers a program uses:
     * <ol>
     * <li>here: RNE with NX already accrued (the steady state of a floating-point loop, whose
     * {@code fflags} is the accumulator): the hardware FMA result is the RNE result, and the only
     * flags it could need are NX (already set), UF (impossible: |r| >= 2^-1021 means the exact value
     * is not tiny) and OF/NV (impossible: r finite means finite operands and no overflow);
     * <li>{@code fmaExact}: the ErrFma error-free transformation for operands in a safe exponent
     * range, any rounding mode;
     * <li>{@link #fmaSlow}: exact 128-bit integer arithmetic for everything else.
     * </ol>
     */
    public static long fma(long a, long b, long c, int rm, FloatFlags f) {
        double r = Math.fma(d(a), d(b), d(c));
        long rb = bits(r);
        int er = (int) (rb >>> 52) & 0x7ff;
        // Result exponent field in [2, 2046]: |r| >= 2^-1021 (never tiny) and finite.
        if (rm == RNE && (f.bits & FloatFlags.NX) != 0 && ((er - 2) | (2046 - er)) >= 0) {
            return rb;
        }
        return fmaExact(a, b, c, r, rm, f);
    }

    /**
     * fma for any rounding mode given {@code r = RNE(a*b + c)} (the hardware FMA result): exact
     * error by ErrFma when the operands are in range, {@link #fmaSlow} otherwise.
     *
     * <p><b>ErrFma</b> (Boldo &amp; Muller, "Exact and approximated error of the FMA", IEEE Trans.
     * Computers 60(2), 2011; proved in Coq): in radix 2 with round-to-nearest, a precision such as
     * binary64's and neither underflow nor overflow,
     * <pre>
     *   u1 = RN(ab), u2 = ab - u1               (2MultFMA: u2 = fma(a, b, -u1) is exact)
     *   (al1, al2) = TwoSum(c, u2)               (al1 + al2 == c + u2)
     *   (be1, be2) = TwoSum(u1, al1)             (be1 + be2 == u1 + al1)
     *   g = RN(RN(be1 - r) + be2)                (both roundings are exact)
     * </pre>
     * give {@code ab + c - r == g + al2} exactly. So {@code e = RN(g + al2)} is zero iff the result
     * is exact and otherwise has the sign of the error (RN of a sum of two doubles is zero only if
     * the sum is, see below); an RMM tie is {@code |g + al2| == ulp(r)/2}, which is checked exactly
     * in {@link #fmaRmm}.
     *
     * <p><b>When the bounded exponent range is harmless.</b> The theorem is stated for an unbounded
     * exponent range. Let q(v) be the weight of the last significand bit of a double v. If
     * {@code q(a) + q(b) >= -1074}, the exact product, the exact results of every operation above
     * and {@code ab + c} are all integer multiples of 2^-1074 (sums and differences of doubles, and
     * {@code ab - u1}). A multiple of 2^-1074 below 2^-1022 in magnitude has at most 52 significant
     * bits, so it is exact both in binary64 and with an unbounded exponent; at or above 2^-1022 both
     * systems round the same way. Hence every operation computes what it would compute with an
     * unbounded exponent, and the theorem applies. The same argument shows that an inexact
     * {@code ab + c} has magnitude at least 2^-1022 (so no UF, and the result in every mode is
     * normal) and that a zero {@code e} or {@code r} is an exact zero. With normal
     * {@code a, b}, {@code q(a) + q(b) = E(a) + E(b) - 2150} (biased fields), i.e. the condition is
     * {@code E(a) + E(b) >= 1076}; a zero or subnormal {@code a} has {@code q(a) >= -1074}, so the
     * same test on the raw fields is still sufficient. No overflow: {@code E(a) + E(b) <= 3065} and
     * {@code E(c) <= 2043} give {@code |ab|, |c| < 2^1021}, so every intermediate stays below
     * 2^1023 and the result and its neighbours are finite without OF.
     *
     * <p>Besides the spec and property tests, this path was compared with {@link #fmaSlow} on 10^8
     * adversarial normal-range triples (cancellations, ties, range edges) in all modes, without a
     * difference; {@code Binary64FmaFastPathTest} keeps a smaller version of that comparison.
     */
    private static long fmaExact(long a, long b, long c, double r, int rm, FloatFlags f) {
        if (!errFmaRange(a, b, c)) {
            return fmaSlow(a, b, c, rm, f);
        }
        double x = d(a);
        double y = d(b);
        double z = d(c);
        double u1 = x * y;
        double u2 = Math.fma(x, y, -u1);
        double al1 = z + u2;
        double t = al1 - z;
        double al2 = (z - (al1 - t)) + (u2 - t);
        double be1 = u1 + al1;
        double v = be1 - u1;
        double be2 = (u1 - (be1 - v)) + (al1 - v);
        double g = (be1 - r) + be2;
        double e = g + al2;
        long rb = bits(r);
        if (e == 0) {
            // Exact. An exact zero has the sign IEEE 754 gives it in RNE; RDN differs.
            return r != 0 || rm != RDN ? rb : fmaSlow(a, b, c, rm, f);
        }
        f.bits |= FloatFlags.NX;
        if (rm == RNE) {
            return rb;
        }
        return rm == RMM ? fmaRmm(rb, g, al2, e) : FpCore.step64(rb, e, rm);
    }

    /**
     * Whether {@link #fmaExact} may use ErrFma: {@code a, b} finite with {@code E(a) + E(b)} in
     * [1076, 3065] and {@code E(c) <= 2043} (raw biased exponent fields; zeros and subnormals
     * included). Package-private for the tests' coverage checks.
     */
    static boolean errFmaRange(long a, long b, long c) {
        int ea = (int) (a >>> 52) & 0x7ff;
        int eb = (int) (b >>> 52) & 0x7ff;
        int ec = (int) (c >>> 52) & 0x7ff;
        int es = ea + eb;
        // One sign test: every term is >= 0 iff its bound holds.
        return ((2046 - ea) | (2046 - eb) | (es - 1076) | (3065 - es) | (2043 - ec)) >= 0;
    }

    /** RMM for {@link #fmaExact}: {@code e = RN(g + al2)}, and the exact error is {@code g + al2}. */
    private static long fmaRmm(long rb, double g, double al2, double e) {
        if ((bits(e) ^ rb) >= 0 && Math.abs(e) * 2 == Math.ulp(d(rb))) {
            // A tie only if g + al2 == e exactly: TwoSum error of (g, al2).
            double t = e - g;
            if ((g - (e - t)) + (al2 - t) == 0) {
                return rb + 1;
            }
        }
        return rb;
    }

    /** fma by exact integer arithmetic: specials, zeros, and operands outside the ErrFma range. */
    static long fmaSlow(long a, long b, long c, int rm, FloatFlags f) {
        long ma = a & ~SIGN64;
        long mb = b & ~SIGN64;
        long mc = c & ~SIGN64;
        boolean np = (a ^ b) < 0;
        if (ma >= EXP64 || mb >= EXP64 || mc >= EXP64) {
            boolean infTimesZero = (ma == EXP64 && mb == 0) || (ma == 0 && mb == EXP64);
            if (ma > EXP64 || mb > EXP64 || mc > EXP64) {
                if (infTimesZero || isSNaN64(a) || isSNaN64(b) || isSNaN64(c)) {
                    f.bits |= FloatFlags.NV;
                }
                return CANONICAL_NAN;
            }
            if (infTimesZero) {
                return invalid(f);
            }
            if (ma == EXP64 || mb == EXP64) {
                if (mc == EXP64 && (c < 0) != np) {
                    return invalid(f); // inf - inf
                }
                return np ? NEG_INF : POS_INF;
            }
            return c; // finite + inf
        }
        if (ma == 0 || mb == 0) {
            if (mc == 0) {
                return (c < 0) == np ? c : (rm == RDN ? SIGN64 : 0);
            }
            return c;
        }
        if (mc == 0) {
            return productRound(np, a, b, rm, f);
        }
        // Exact 128-bit product with its leading one at bit 125.
        long sa = FpCore.sig64(a) << 1;
        long sb = FpCore.sig64(b) << 1;
        long phi = Math.unsignedMultiplyHigh(sa, sb);
        long plo = sa * sb; // the low 22 bits are zero, so the normalising shift below is exact
        int ep = FpCore.exp64(a) + FpCore.exp64(b);
        if (phi < 0) {
            plo = (plo >>> 2) | (phi << 62);
            phi >>>= 2;
            ep++;
        } else {
            plo = (plo >>> 1) | (phi << 63);
            phi >>>= 1;
        }
        // Addend aligned the same way: leading one at bit 125.
        int ec = FpCore.exp64(c);
        long chi = FpCore.sig64(c) >>> 1;
        long clo = 0;
        boolean nc = c < 0;

        long bhi;
        long blo;
        long shi;
        long slo;
        int e;
        boolean neg;
        int dexp = ep - ec;
        if (dexp >= 0) {
            bhi = phi;
            blo = plo;
            shi = FpCore.shr128Hi(chi, dexp);
            slo = FpCore.shr128LoJam(chi, clo, dexp);
            e = ep;
            neg = np;
        } else {
            bhi = chi;
            blo = clo;
            shi = FpCore.shr128Hi(phi, -dexp);
            slo = FpCore.shr128LoJam(phi, plo, -dexp);
            e = ec;
            neg = nc;
        }
        long rhi;
        long rlo;
        if (np == nc) {
            rlo = blo + slo;
            rhi = bhi + shi + (Long.compareUnsigned(rlo, blo) < 0 ? 1 : 0);
        } else {
            int cmp = bhi != shi ? Long.compare(bhi, shi) : Long.compareUnsigned(blo, slo);
            if (cmp == 0) {
                return rm == RDN ? SIGN64 : 0; // exact cancellation
            }
            if (cmp < 0) {
                long t = bhi;
                bhi = shi;
                shi = t;
                t = blo;
                blo = slo;
                slo = t;
                neg = !neg;
            }
            rlo = blo - slo;
            rhi = bhi - shi - (Long.compareUnsigned(blo, slo) < 0 ? 1 : 0);
        }
        int lead = rhi != 0 ? 127 - Long.numberOfLeadingZeros(rhi) : 63 - Long.numberOfLeadingZeros(rlo);
        long sig = lead >= 62 ? FpCore.shr128LoJam(rhi, rlo, lead - 62) : rlo << (62 - lead);
        return FpCore.roundPack(neg, e - 125 + lead, sig, rm, f, P64, EMAX64, SIGN_SHIFT64);
    }

    // ------------------------------------------------------------------ min / max / compare / classify

    /** {@code fmin.d} (RISC-V F/D 2.2: -0 &lt; +0, NaN operands ignored unless both are NaN). */
    public static long min(long a, long b, FloatFlags f) {
        boolean an = isNaN64(a);
        boolean bn = isNaN64(b);
        if (an || bn) {
            if (isSNaN64(a) || isSNaN64(b)) {
                f.bits |= FloatFlags.NV;
            }
            return an ? (bn ? CANONICAL_NAN : b) : a;
        }
        double x = d(a);
        double y = d(b);
        if (x < y) {
            return a;
        }
        if (y < x) {
            return b;
        }
        return a | b; // equal: identical, or +-0 where the sign bit decides
    }

    /** {@code fmax.d}. */
    public static long max(long a, long b, FloatFlags f) {
        boolean an = isNaN64(a);
        boolean bn = isNaN64(b);
        if (an || bn) {
            if (isSNaN64(a) || isSNaN64(b)) {
                f.bits |= FloatFlags.NV;
            }
            return an ? (bn ? CANONICAL_NAN : b) : a;
        }
        double x = d(a);
        double y = d(b);
        if (x > y) {
            return a;
        }
        if (y > x) {
            return b;
        }
        return a & b;
    }

    /** {@code feq.d}: quiet comparison, NV only for signalling NaNs. */
    public static boolean eq(long a, long b, FloatFlags f) {
        if (isNaN64(a) || isNaN64(b)) {
            if (isSNaN64(a) || isSNaN64(b)) {
                f.bits |= FloatFlags.NV;
            }
            return false;
        }
        return d(a) == d(b);
    }

    /** {@code flt.d}: signalling comparison, NV for any NaN. */
    public static boolean lt(long a, long b, FloatFlags f) {
        if (isNaN64(a) || isNaN64(b)) {
            f.bits |= FloatFlags.NV;
            return false;
        }
        return d(a) < d(b);
    }

    /** {@code fle.d}: signalling comparison, NV for any NaN. */
    public static boolean le(long a, long b, FloatFlags f) {
        if (isNaN64(a) || isNaN64(b)) {
            f.bits |= FloatFlags.NV;
            return false;
        }
        return d(a) <= d(b);
    }

    /**
     * {@code fclass.d}: bit 0 -inf, 1 negative normal, 2 negative subnormal, 3 -0, 4 +0,
     * 5 positive subnormal, 6 positive normal, 7 +inf, 8 signalling NaN, 9 quiet NaN.
     */
    public static int classify(long a) {
        boolean neg = a < 0;
        long m = a & ~SIGN64;
        if (m >= EXP64) {
            if (m == EXP64) {
                return neg ? 1 : 1 << 7;
            }
            return (a & FpCore.QUIET64) != 0 ? 1 << 9 : 1 << 8;
        }
        if (m == 0) {
            return neg ? 1 << 3 : 1 << 4;
        }
        if (m < FpCore.HIDDEN64) {
            return neg ? 1 << 2 : 1 << 5;
        }
        return neg ? 1 << 1 : 1 << 6;
    }

    // ------------------------------------------------------------------ conversions

    /** {@code fcvt.w.d}. */
    public static int toInt32(long a, int rm, FloatFlags f) {
        return (int) FpCore.toInteger(a, rm, f, 0x7fff_ffffL, 0x8000_0000L, Integer.MAX_VALUE, Integer.MIN_VALUE);
    }

    /** {@code fcvt.wu.d}: the 32-bit result sign-extended to 64 bits. */
    public static long toUInt32(long a, int rm, FloatFlags f) {
        return (int) FpCore.toInteger(a, rm, f, 0xffff_ffffL, 0, 0xffff_ffffL, 0);
    }

    /** {@code fcvt.l.d}. */
    public static long toInt64(long a, int rm, FloatFlags f) {
        return FpCore.toInteger(a, rm, f, Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE);
    }

    /** {@code fcvt.lu.d}. */
    public static long toUInt64(long a, int rm, FloatFlags f) {
        return FpCore.toInteger(a, rm, f, -1L, 0, -1L, 0);
    }

    /** {@code fcvt.d.w} (always exact). */
    public static long fromInt32(int v, int rm, FloatFlags f) {
        return bits(v);
    }

    /** {@code fcvt.d.wu} (always exact). */
    public static long fromUInt32(int v, int rm, FloatFlags f) {
        return bits(v & 0xffff_ffffL);
    }

    /** {@code fcvt.d.l}. */
    public static long fromInt64(long v, int rm, FloatFlags f) {
        if (v == (v << 11) >> 11) {
            return bits(v); // |v| < 2^52: exact
        }
        return v < 0 ? FpCore.fromMagnitude(true, -v, rm, f, P64, EMAX64, SIGN_SHIFT64)
                : FpCore.fromMagnitude(false, v, rm, f, P64, EMAX64, SIGN_SHIFT64);
    }

    /** {@code fcvt.d.lu}. */
    public static long fromUInt64(long v, int rm, FloatFlags f) {
        if (v >>> 53 == 0) {
            return bits(v);
        }
        return FpCore.fromMagnitude(false, v, rm, f, P64, EMAX64, SIGN_SHIFT64);
    }

    /** {@code fcvt.s.d}. */
    public static int toBinary32(long a, int rm, FloatFlags f) {
        long m = a & ~SIGN64;
        int sign = (int) (a >>> 32) & 0x8000_0000;
        if (m >= EXP64) {
            if (m == EXP64) {
                return sign | 0x7f80_0000;
            }
            if (isSNaN64(a)) {
                f.bits |= FloatFlags.NV;
            }
            return Binary32.CANONICAL_NAN;
        }
        if (m == 0) {
            return sign;
        }
        return FpCore.roundToBinary32(d(a), rm, f);
    }

    /** {@code fsgnj.d}-style helper: {@code a} with its sign bit flipped (used for fnmadd/fmsub etc.). */
    public static long negate(long a) {
        return a ^ SIGN64;
    }
}
