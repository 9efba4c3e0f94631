package org.duvisor.rv64.fp;

import static org.duvisor.rv64.fp.FpCore.EMAX32;
import static org.duvisor.rv64.fp.FpCore.P32;
import static org.duvisor.rv64.fp.FpCore.SIGN_SHIFT32;
import static org.duvisor.rv64.fp.RoundingMode.RDN;
import static org.duvisor.rv64.fp.RoundingMode.RNE;

/**
 * IEEE 754-2008 binary32 arithmetic with RISC-V F-extension semantics, on raw bit patterns.
 *
 * <p>Every operation computes its result in binary64 either exactly or rounded to odd (using an
 * error-free transformation to learn the sign of the binary64 rounding error), then rounds that
 * binary64 value once to binary32 in the requested mode ({@link FpCore#roundToBinary32}); since
 * 53 >= 2*24 + 2 this equals a single rounding of the exact result, including the tininess and
 * inexact decisions. All NaN results are {@link #CANONICAL_NAN}.
 *
 * <p>In RNE, once NX has accrued in the accumulator, add/sub/mul/div/sqrt/fma first try the
 * hardware binary32 result ({@code stickyNxRne}); the exact paths are in the {@code *Exact}
 * methods and the special operands in the {@code *Special} methods, so that the common case of
 * each public method stays small enough for C2 to inline into translated code.
 */
public final class Binary32 {
    private Binary32() {
    }

    /** The RISC-V canonical quiet NaN. */
    public static final int CANONICAL_NAN = 0x7fc0_0000;
    static final int SIGN = 0x8000_0000;
    static final int EXP = 0x7f80_0000;
    static final int QUIET = 0x0040_0000;
    static final int POS_INF = 0x7f80_0000;
    static final int NEG_INF = 0xff80_0000;

    private static boolean isNaN(int a) {
        return (a & ~SIGN) > EXP;
    }

    private static boolean isSNaN(int a) {
        return (a & ~SIGN) > EXP && (a & QUIET) == 0;
    }

    private static boolean special(int a) {
        return (a & EXP) == EXP;
    }

    /** Exact value of a non-NaN binary32 as a double. */
    private static double d(int a) {
        return Float.intBitsToFloat(a);
    }

    private static int nan(int a, int b, FloatFlags f) {
        if (isSNaN(a) || isSNaN(b)) {
            f.bits |= FloatFlags.NV;
        }
        return CANONICAL_NAN;
    }

    private static int invalid(FloatFlags f) {
        f.bits |= FloatFlags.NV;
        return CANONICAL_NAN;
    }

    /**
     * Whether {@code rb}, the hardware round-to-nearest-even result of an operation, can be returned
     * as is in RNE once NX has accrued: exponent field in [2, 254], i.e. finite (so the operands were
     * finite and nothing overflowed or was invalid), nonzero and not tiny (|r| >= 2^-125 means the
     * exact result is at least 2^-126). The flags it could need are NX only, already set.
     */
    private static boolean stickyNxRne(int rm, FloatFlags f, int rb) {
        int e = (rb >>> 23) & 0xff;
        return rm == RNE && (f.bits & FloatFlags.NX) != 0 && ((e - 2) | (254 - e)) >= 0;
    }

    // ------------------------------------------------------------------ add / sub

    /** {@code fadd.s}. */
    public static int add(int a, int b, int rm, FloatFlags f) {
        int rb = Float.floatToRawIntBits(Float.intBitsToFloat(a) + Float.intBitsToFloat(b));
        if (stickyNxRne(rm, f, rb)) {
            return rb;
        }
        return addExact(a, b, rm, f);
    }

    /** {@code fsub.s}: {@code a - b}. */
    public static int sub(int a, int b, int rm, FloatFlags f) {
        return add(a, b ^ SIGN, rm, f);
    }

    private static int addExact(int a, int b, int rm, FloatFlags f) {
        if (special(a) || special(b)) {
            return addSpecial(a, b, f);
        }
        double x = d(a);
        double y = d(b);
        double s = x + y;
        double t = s - x;
        double err = (x - (s - t)) + (y - t); // TwoSum: exact
        if (s == 0) {
            if (rm == RDN) {
                return (a | b) == 0 ? 0 : SIGN;
            }
            return Float.floatToRawIntBits((float) s);
        }
        return FpCore.roundToBinary32(FpCore.toOdd(s, err), rm, f);
    }

    private static int addSpecial(int a, int b, FloatFlags f) {
        int ma = a & ~SIGN;
        int mb = b & ~SIGN;
        if (ma > EXP || mb > EXP) {
            return nan(a, b, f);
        }
        if (ma == EXP && mb == EXP && (a ^ b) < 0) {
            return invalid(f);
        }
        return ma == EXP ? a : b;
    }

    // ------------------------------------------------------------------ mul

    /** {@code fmul.s}. */
    public static int mul(int a, int b, int rm, FloatFlags f) {
        int rb = Float.floatToRawIntBits(Float.intBitsToFloat(a) * Float.intBitsToFloat(b));
        if (stickyNxRne(rm, f, rb)) {
            return rb;
        }
        return mulExact(a, b, rm, f);
    }

    private static int mulExact(int a, int b, int rm, FloatFlags f) {
        if (special(a) || special(b)) {
            return mulSpecial(a, b, f);
        }
        double p = d(a) * d(b); // exact: 48-bit product, far inside the binary64 range
        if (p == 0) {
            return (a ^ b) & SIGN;
        }
        return FpCore.roundToBinary32(p, rm, f);
    }

    private static int mulSpecial(int a, int b, FloatFlags f) {
        int ma = a & ~SIGN;
        int mb = b & ~SIGN;
        if (ma > EXP || mb > EXP) {
            return nan(a, b, f);
        }
        if (ma == 0 || mb == 0) {
            return invalid(f);
        }
        return ((a ^ b) & SIGN) | POS_INF;
    }

    // ------------------------------------------------------------------ div

    /** {@code fdiv.s}. */
    public static int div(int a, int b, int rm, FloatFlags f) {
        int rb = Float.floatToRawIntBits(Float.intBitsToFloat(a) / Float.intBitsToFloat(b));
        if (stickyNxRne(rm, f, rb)) {
            return rb;
        }
        return divExact(a, b, rm, f);
    }

    private static int divExact(int a, int b, int rm, FloatFlags f) {
        int ma = a & ~SIGN;
        int mb = b & ~SIGN;
        if (special(a) || special(b) || ma == 0 || mb == 0) {
            return divSpecial(a, b, f);
        }
        double x = d(a);
        double y = d(b);
        double q = x / y;
        double r = Math.fma(-q, y, x); // exact remainder
        return FpCore.roundToBinary32(FpCore.toOdd(q, y > 0 ? r : -r), rm, f);
    }

    private static int divSpecial(int a, int b, FloatFlags f) {
        int ma = a & ~SIGN;
        int mb = b & ~SIGN;
        int sign = (a ^ b) & SIGN;
        if (special(a) || special(b)) {
            if (ma > EXP || mb > EXP) {
                return nan(a, b, f);
            }
            if (ma == EXP) {
                return mb == EXP ? invalid(f) : sign | POS_INF;
            }
            return sign;
        }
        if (mb == 0) {
            if (ma == 0) {
                return invalid(f);
            }
            f.bits |= FloatFlags.DZ;
            return sign | POS_INF;
        }
        return sign; // 0 / finite
    }

    // ------------------------------------------------------------------ sqrt

    /** {@code fsqrt.s}. */
    public static int sqrt(int a, int rm, FloatFlags f) {
        // (float) of the correctly rounded binary64 root is the correctly rounded binary32 root
        // (53 >= 2*24 + 2); a negative operand gives NaN, which stickyNxRne rejects.
        int rb = Float.floatToRawIntBits((float) Math.sqrt(Float.intBitsToFloat(a)));
        if (stickyNxRne(rm, f, rb)) {
            return rb;
        }
        return sqrtExact(a, rm, f);
    }

    private static int sqrtExact(int a, int rm, FloatFlags f) {
        if (a > 0 && a < POS_INF) {
            double x = d(a);
            double q = Math.sqrt(x);
            double r = Math.fma(-q, q, x); // exact residual
            return FpCore.roundToBinary32(FpCore.toOdd(q, r), rm, f);
        }
        return sqrtSpecial(a, f);
    }

    private static int sqrtSpecial(int a, FloatFlags f) {
        if (a == 0 || a == SIGN || a == POS_INF) {
            return a; // sqrt(+-0) = +-0, sqrt(+inf) = +inf
        }
        return isNaN(a) ? nan(a, a, f) : invalid(f);
    }

    // ------------------------------------------------------------------ fma

    /** {@code fmadd.s}: {@code a*b + c} with a single rounding. */
    public static int fma(int a, int b, int c, int rm, FloatFlags f) {
        int rb = Float.floatToRawIntBits(Math.fma(Float.intBitsToFloat(a), Float.intBitsToFloat(b), Float.intBitsToFloat(c)));
        if (stickyNxRne(rm, f, rb)) {
            return rb;
        }
        return fmaExact(a, b, c, rm, f);
    }

    /**
     * fma in any mode: the product of two binary32 values is exact in binary64, so
     * {@code a*b + c = p + z} with doubles p and z; TwoSum gives its RNE approximation and the exact
     * error (TwoSum is exact at any exponent, and |p|, |z| < 2^257 cannot overflow), and rounding the
     * round-to-odd value to binary32 is a single correct rounding.
     */
    private static int fmaExact(int a, int b, int c, int rm, FloatFlags f) {
        if (special(a) || special(b) || special(c)) {
            return fmaSpecial(a, b, c, f);
        }
        double p = d(a) * d(b); // exact
        double y = d(c);
        double s = p + y;
        double t = s - p;
        double err = (p - (s - t)) + (y - t); // TwoSum: a*b + c == s + err exactly
        if (s == 0) {
            return fmaZero(p, s, c, rm);
        }
        return FpCore.roundToBinary32(FpCore.toOdd(s, err), rm, f);
    }

    /**
     * An exact zero {@code p + c} ({@code s = RNE(p + c) == 0}, which is exact): Java's sum has the
     * IEEE 754 sign for every mode but RDN, where it is -0 unless both terms are +0.
     */
    private static int fmaZero(double p, double s, int c, int rm) {
        if (rm == RDN) {
            return Double.doubleToRawLongBits(p) == 0 && c == 0 ? 0 : SIGN;
        }
        return Float.floatToRawIntBits((float) s);
    }

    private static int fmaSpecial(int a, int b, int c, FloatFlags f) {
        boolean np = (a ^ b) < 0;
        int ma = a & ~SIGN;
        int mb = b & ~SIGN;
        int mc = c & ~SIGN;
        boolean infTimesZero = (ma == EXP && mb == 0) || (ma == 0 && mb == EXP);
        if (ma > EXP || mb > EXP || mc > EXP) {
            if (infTimesZero || isSNaN(a) || isSNaN(b) || isSNaN(c)) {
                f.bits |= FloatFlags.NV;
            }
            return CANONICAL_NAN;
        }
        if (infTimesZero) {
            return invalid(f);
        }
        if (ma == EXP || mb == EXP) {
            if (mc == EXP && (c < 0) != np) {
                return invalid(f);
            }
            return np ? NEG_INF : POS_INF;
        }
        return c;
    }

    // ------------------------------------------------------------------ min / max / compare / classify

    /** {@code fmin.s}. */
    public static int min(int a, int b, FloatFlags f) {
        boolean an = isNaN(a);
        boolean bn = isNaN(b);
        if (an || bn) {
            if (isSNaN(a) || isSNaN(b)) {
                f.bits |= FloatFlags.NV;
            }
            return an ? (bn ? CANONICAL_NAN : b) : a;
        }
        float x = Float.intBitsToFloat(a);
        float y = Float.intBitsToFloat(b);
        if (x < y) {
            return a;
        }
        if (y < x) {
            return b;
        }
        return a | b;
    }

    /** {@code fmax.s}. */
    public static int max(int a, int b, FloatFlags f) {
        boolean an = isNaN(a);
        boolean bn = isNaN(b);
        if (an || bn) {
            if (isSNaN(a) || isSNaN(b)) {
                f.bits |= FloatFlags.NV;
            }
            return an ? (bn ? CANONICAL_NAN : b) : a;
        }
        float x = Float.intBitsToFloat(a);
        float y = Float.intBitsToFloat(b);
        if (x > y) {
            return a;
        }
        if (y > x) {
            return b;
        }
        return a & b;
    }

    /** {@code feq.s}: quiet comparison. */
    public static boolean eq(int a, int b, FloatFlags f) {
        if (isNaN(a) || isNaN(b)) {
            if (isSNaN(a) || isSNaN(b)) {
                f.bits |= FloatFlags.NV;
            }
            return false;
        }
        return Float.intBitsToFloat(a) == Float.intBitsToFloat(b);
    }

    /** {@code flt.s}: signalling comparison. */
    public static boolean lt(int a, int b, FloatFlags f) {
        if (isNaN(a) || isNaN(b)) {
            f.bits |= FloatFlags.NV;
            return false;
        }
        return Float.intBitsToFloat(a) < Float.intBitsToFloat(b);
    }

    /** {@code fle.s}: signalling comparison. */
    public static boolean le(int a, int b, FloatFlags f) {
        if (isNaN(a) || isNaN(b)) {
            f.bits |= FloatFlags.NV;
            return false;
        }
        return Float.intBitsToFloat(a) <= Float.intBitsToFloat(b);
    }

    /** {@code fclass.s}: same bit assignment as {@link Binary64#classify(long)}. */
    public static int classify(int a) {
        boolean neg = a < 0;
        int m = a & ~SIGN;
        if (m >= EXP) {
            if (m == EXP) {
                return neg ? 1 : 1 << 7;
            }
            return (a & QUIET) != 0 ? 1 << 9 : 1 << 8;
        }
        if (m == 0) {
            return neg ? 1 << 3 : 1 << 4;
        }
        if (m < 0x0080_0000) {
            return neg ? 1 << 2 : 1 << 5;
        }
        return neg ? 1 << 1 : 1 << 6;
    }

    // ------------------------------------------------------------------ conversions

    /** The binary64 encoding of a binary32; NaNs become the binary64 canonical NaN. No flags. */
    private static long widen(int a) {
        if (isNaN(a)) {
            return Binary64.CANONICAL_NAN;
        }
        return Double.doubleToRawLongBits(Float.intBitsToFloat(a));
    }

    /** {@code fcvt.w.s}. */
    public static int toInt32(int a, int rm, FloatFlags f) {
        return Binary64.toInt32(widen(a), rm, f);
    }

    /** {@code fcvt.wu.s}: the 32-bit result sign-extended to 64 bits. */
    public static long toUInt32(int a, int rm, FloatFlags f) {
        return Binary64.toUInt32(widen(a), rm, f);
    }

    /** {@code fcvt.l.s}. */
    public static long toInt64(int a, int rm, FloatFlags f) {
        return Binary64.toInt64(widen(a), rm, f);
    }

    /** {@code fcvt.lu.s}. */
    public static long toUInt64(int a, int rm, FloatFlags f) {
        return Binary64.toUInt64(widen(a), rm, f);
    }

    /** {@code fcvt.s.w}. */
    public static int fromInt32(int v, int rm, FloatFlags f) {
        if (v == (v << 7) >> 7) {
            return Float.floatToRawIntBits(v); // |v| <= 2^24: exact
        }
        return v < 0 ? (int) FpCore.fromMagnitude(true, -(long) v, rm, f, P32, EMAX32, SIGN_SHIFT32)
                : (int) FpCore.fromMagnitude(false, v, rm, f, P32, EMAX32, SIGN_SHIFT32);
    }

    /** {@code fcvt.s.wu}. */
    public static int fromUInt32(int v, int rm, FloatFlags f) {
        if (v >>> 24 == 0) {
            return Float.floatToRawIntBits(v);
        }
        return (int) FpCore.fromMagnitude(false, v & 0xffff_ffffL, rm, f, P32, EMAX32, SIGN_SHIFT32);
    }

    /** {@code fcvt.s.l}. */
    public static int fromInt64(long v, int rm, FloatFlags f) {
        if (v == (v << 40) >> 40) {
            return Float.floatToRawIntBits(v);
        }
        return v < 0 ? (int) FpCore.fromMagnitude(true, -v, rm, f, P32, EMAX32, SIGN_SHIFT32)
                : (int) FpCore.fromMagnitude(false, v, rm, f, P32, EMAX32, SIGN_SHIFT32);
    }

    /** {@code fcvt.s.lu}. */
    public static int fromUInt64(long v, int rm, FloatFlags f) {
        if (v >>> 24 == 0) {
            return Float.floatToRawIntBits(v);
        }
        return (int) FpCore.fromMagnitude(false, v, rm, f, P32, EMAX32, SIGN_SHIFT32);
    }

    /** {@code fcvt.d.s}: exact; NaNs become the canonical NaN, NV for a signalling NaN. */
    public static long toBinary64(int a, FloatFlags f) {
        if (isNaN(a)) {
            if (isSNaN(a)) {
                f.bits |= FloatFlags.NV;
            }
            return Binary64.CANONICAL_NAN;
        }
        return Double.doubleToRawLongBits(Float.intBitsToFloat(a));
    }

    /** {@code a} with its sign bit flipped (for fmsub/fnmadd/fnmsub operand negation). */
    public static int negate(int a) {
        return a ^ SIGN;
    }
}
