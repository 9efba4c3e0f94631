package org.duvisor.rv64.fp;

import static org.duvisor.rv64.fp.RoundingMode.RDN;
import static org.duvisor.rv64.fp.RoundingMode.RMM;
import static org.duvisor.rv64.fp.RoundingMode.RNE;
import static org.duvisor.rv64.fp.RoundingMode.RTZ;
import static org.duvisor.rv64.fp.RoundingMode.RUP;

/**
 * Shared exact-arithmetic kernels of {@link Binary32} and {@link Binary64}.
 *
 * <p>The central routine is {@link #roundPack}: it takes an exact (or sticky-compressed) value
 * {@code (-1)^neg * sig * 2^(e-62)} whose significand {@code sig} has its leading one at bit 62 and
 * any discarded nonzero bits OR-ed into bit 0 ("sticky"), and delivers the encoding of that value
 * rounded to a binary format given by its precision {@code p} and maximum exponent {@code emax},
 * raising NX / UF (tininess after rounding) / OF as IEEE 754-2008 and RISC-V require.
 */
final class FpCore {
    private FpCore() {
    }

    static final int P64 = 53;
    static final int EMAX64 = 1023;
    static final int SIGN_SHIFT64 = 63;
    static final int P32 = 24;
    static final int EMAX32 = 127;
    static final int SIGN_SHIFT32 = 31;

    static final long SIGN64 = 0x8000_0000_0000_0000L;
    static final long EXP64 = 0x7ff0_0000_0000_0000L;
    static final long FRAC64 = 0x000f_ffff_ffff_ffffL;
    static final long HIDDEN64 = 0x0010_0000_0000_0000L;
    static final long QUIET64 = 0x0008_0000_0000_0000L;

    /**
     * {@code m >>> k} (with {@code k >= 1}, possibly {@code >= 64}) rounded to an integer in mode
     * {@code rm}; {@code neg} is the sign of the value {@code m} stands for. Requires
     * {@code 0 <= m < 2^63}.
     */
    static long roundShift(long m, int k, boolean neg, int rm) {
        long q;
        long rem;
        long half;
        if (k >= 64) {
            // Everything is shifted out and m < 2^63 <= 2^(k-1): below half, so only the directed
            // modes can round a nonzero m up to 1.
            if (m == 0) {
                return 0;
            }
            return switch (rm) {
                case RDN -> neg ? 1 : 0;
                case RUP -> neg ? 0 : 1;
                default -> 0;
            };
        } else {
            q = m >>> k;
            rem = m & ((1L << k) - 1);
            half = 1L << (k - 1);
        }
        if (rem == 0) {
            return q;
        }
        switch (rm) {
            case RTZ:
                return q;
            case RDN:
                return neg ? q + 1 : q;
            case RUP:
                return neg ? q : q + 1;
            case RMM:
                return rem >= half ? q + 1 : q;
            default: // RNE
                return (rem > half || (rem == half && (q & 1) != 0)) ? q + 1 : q;
        }
    }

    /** Whether {@code m >>> k} discards nonzero bits ({@code k >= 1}). */
    static boolean lostBits(long m, int k) {
        return k >= 64 ? m != 0 : (m & ((1L << k) - 1)) != 0;
    }

    /** {@code x >>> d} with the shifted-out bits OR-ed into bit 0 ({@code d >= 0}). */
    static long shiftRightJam(long x, int d) {
        if (d == 0) {
            return x;
        }
        if (d >= 64) {
            return x != 0 ? 1 : 0;
        }
        return (x >>> d) | ((x & ((1L << d) - 1)) != 0 ? 1 : 0);
    }

    /** High word of the 128-bit {@code (hi:lo) >>> d}. */
    static long shr128Hi(long hi, int d) {
        return d == 0 ? hi : d < 64 ? hi >>> d : 0;
    }

    /** Low word of the 128-bit {@code (hi:lo) >>> d}, with all shifted-out bits jammed into bit 0. */
    static long shr128LoJam(long hi, long lo, int d) {
        if (d == 0) {
            return lo;
        }
        if (d < 64) {
            return (lo >>> d) | (hi << (64 - d)) | ((lo & ((1L << d) - 1)) != 0 ? 1 : 0);
        }
        if (d == 64) {
            return hi | (lo != 0 ? 1 : 0);
        }
        if (d < 128) {
            return (hi >>> (d - 64)) | (((hi & ((1L << (d - 64)) - 1)) | lo) != 0 ? 1 : 0);
        }
        return (hi | lo) != 0 ? 1 : 0;
    }

    /**
     * Rounds {@code (-1)^neg * sig * 2^(e-62)} to the format {@code (p, emax)} and returns its
     * encoding (sign bit at {@code signShift}). {@code sig} must have bit 62 set and bit 63 clear;
     * bits below the format precision act as round/sticky bits.
     */
    static long roundPack(boolean neg, int e, long sig, int rm, FloatFlags f, int p, int emax, int signShift) {
        final int emin = 1 - emax;
        final int drop = 63 - p;
        final long signBit = neg ? 1L << signShift : 0;
        if (e >= emin) {
            long q = roundShift(sig, drop, neg, rm);
            if (q == 1L << p) {
                q >>>= 1;
                e++;
            }
            if (e > emax) {
                return overflow(neg, rm, f, p, emax, signShift);
            }
            if ((sig & ((1L << drop) - 1)) != 0) {
                f.bits |= FloatFlags.NX;
            }
            return signBit | ((long) (e + emax) << (p - 1)) | (q & ((1L << (p - 1)) - 1));
        }
        // Below the normal range: the quantum is fixed at 2^(emin-p+1).
        final int shift = drop + (emin - e);
        final long q = roundShift(sig, shift, neg, rm); // in [0, 2^(p-1)]; 2^(p-1) encodes the min normal
        if (lostBits(sig, shift)) {
            // Tiny unless rounding to p bits with an unbounded exponent reaches 2^emin.
            boolean tiny = e < emin - 1 || roundShift(sig, drop, neg, rm) != 1L << p;
            f.bits |= tiny ? (FloatFlags.NX | FloatFlags.UF) : FloatFlags.NX;
        }
        return signBit | q;
    }

    /** Encoding of an overflowed result: +-inf or +-max-finite depending on mode and sign; OF|NX. */
    static long overflow(boolean neg, int rm, FloatFlags f, int p, int emax, int signShift) {
        f.bits |= FloatFlags.OF | FloatFlags.NX;
        final long signBit = neg ? 1L << signShift : 0;
        final long inf = (long) (2 * emax + 1) << (p - 1);
        final boolean toInf = switch (rm) {
            case RTZ -> false;
            case RDN -> neg;
            case RUP -> !neg;
            default -> true;
        };
        return signBit | (toInf ? inf : inf - 1);
    }

    /** Encodes the nonzero unsigned integer {@code mag} with sign {@code neg} in format {@code (p, emax)}. */
    static long fromMagnitude(boolean neg, long mag, int rm, FloatFlags f, int p, int emax, int signShift) {
        int lz = Long.numberOfLeadingZeros(mag);
        long sig = lz == 0 ? (mag >>> 1) | (mag & 1) : mag << (lz - 1);
        return roundPack(neg, 63 - lz, sig, rm, f, p, emax, signShift);
    }

    // ---- binary64 unpacking (finite, nonzero operands) ----

    /** Unbiased exponent of the leading one of a finite nonzero binary64. */
    static int exp64(long a) {
        int E = (int) (a >>> 52) & 0x7ff;
        if (E != 0) {
            return E - 1023;
        }
        return (63 - Long.numberOfLeadingZeros(a & FRAC64)) - 1074;
    }

    /** Significand of a finite nonzero binary64, normalised so that its leading one is at bit 62. */
    static long sig64(long a) {
        long m = a & FRAC64;
        if ((a & EXP64) != 0) {
            return (m | HIDDEN64) << 10;
        }
        return m << (Long.numberOfLeadingZeros(m) - 1);
    }

    static boolean isNaN64(long a) {
        return (a & ~SIGN64) > EXP64;
    }

    static boolean isSNaN64(long a) {
        return (a & ~SIGN64) > EXP64 && (a & QUIET64) == 0;
    }

    // ---- fast-path helpers: adjust a round-to-nearest-even result for the other modes ----
    //
    // Every fast path first obtains the round-to-nearest-even result p of the exact value x from
    // the JVM's double/float arithmetic and the sign of x - p from an error-free transformation. For
    // a finite nonzero p whose neighbours are finite, the neighbour of p on the side of x is the
    // encoding of p plus one (moving away from zero) or minus one (towards zero), sign bit untouched.

    /**
     * The rounding of {@code x} in RTZ, RDN or RUP (any other {@code rm} is taken as RDN), given the
     * encoding {@code pb} of {@code p = RNE(x)} (finite, nonzero, with finite neighbours) and any
     * {@code err} with the sign of {@code x - p} (nonzero). Small enough to inline everywhere.
     */
    static long step64(long pb, double err, int rm) {
        boolean up = err > 0;
        boolean away = up == (pb >= 0); // x is farther from zero than p
        if (rm == RTZ ? away : rm == RUP ? !up : up) {
            return pb;
        }
        return away ? pb + 1 : pb - 1;
    }

    /** {@link #step64} for binary32 encodings. */
    static int step32(int pb, double err, int rm) {
        boolean up = err > 0;
        boolean away = up == (pb >= 0);
        if (rm == RTZ ? away : rm == RUP ? !up : up) {
            return pb;
        }
        return away ? pb + 1 : pb - 1;
    }

    /**
     * RMM from RNE: {@code pb} encodes {@code p = RNE(x)} (normal, nonzero, finite neighbours) and
     * {@code err == x - p} exactly (nonzero). RNE and RMM differ only on a tie that RNE broke
     * towards zero, i.e. {@code |err| == ulp(p)/2} with err of the sign of p.
     */
    static long rmm64(long pb, double err) {
        if ((Double.doubleToRawLongBits(err) ^ pb) >= 0 && Math.abs(err) * 2 == Math.ulp(Double.longBitsToDouble(pb))) {
            return pb + 1;
        }
        return pb;
    }

    /** {@link #rmm64} for a binary32 result; {@code err == x - p} exactly, in binary64. */
    static int rmm32(int pb, double err) {
        if (((int) (Double.doubleToRawLongBits(err) >>> 32) ^ pb) >= 0
                && Math.abs(err) * 2 == Math.ulp(Float.intBitsToFloat(pb))) {
            return pb + 1;
        }
        return pb;
    }

    /** Rounding of x in any mode but RNE: {@code err == x - p} exactly (only RMM needs exactness). */
    static long round64(long pb, double err, int rm) {
        return rm == RMM ? rmm64(pb, err) : step64(pb, err, rm);
    }

    /**
     * Round-to-odd in binary64: {@code s} is {@code RNE(x)} (finite, nonzero) and {@code err} has the
     * sign of {@code x - s} (zero iff {@code x == s}). Returns {@code x} if exact, otherwise whichever
     * of the two binary64 neighbours of {@code x} has an odd significand. Rounding the result to
     * binary32 (in any mode) equals rounding {@code x} itself, since 53 >= 24 + 2.
     */
    static double toOdd(double s, double err) {
        long sb = Double.doubleToRawLongBits(s);
        if (err == 0 || (sb & 1) != 0) {
            return s;
        }
        // sb is even, so +1 never carries out of the fraction; -1 from a power of two borrows into
        // the exponent, which is the correct neighbour below.
        return Double.longBitsToDouble((Double.doubleToRawLongBits(err) ^ sb) >= 0 ? sb + 1 : sb - 1);
    }

    /**
     * Rounds the finite nonzero binary64 {@code d} to binary32 in mode {@code rm} with flags. Used
     * by {@code fcvt.s.d} and by every binary32 operation, which first computes its result exactly or
     * rounded-to-odd in binary64. The normal-range case is inline-sized; the rest is
     * {@link #roundToBinary32Slow}.
     */
    static int roundToBinary32(double d, int rm, FloatFlags f) {
        long bits = Double.doubleToRawLongBits(d);
        int E = (int) (bits >>> 52) & 0x7ff;
        if (E >= 1023 - 126 && E <= 1023 + 126) {
            // |d| in [2^-126, 2^127): the binary32 result and its neighbours are normal and finite.
            float r = (float) d;
            double back = r;
            int rb = Float.floatToRawIntBits(r);
            if (back == d) {
                return rb;
            }
            f.bits |= FloatFlags.NX;
            if (rm == RNE) {
                return rb;
            }
            double err = d - back; // exact (Sterbenz)
            return rm == RMM ? rmm32(rb, err) : step32(rb, err, rm);
        }
        return roundToBinary32Slow(bits, rm, f);
    }

    /** {@link #roundToBinary32} outside the binary32 normal range (subnormal, overflow). */
    static int roundToBinary32Slow(long bits, int rm, FloatFlags f) {
        return (int) roundPack(bits < 0, exp64(bits), sig64(bits), rm, f, P32, EMAX32, SIGN_SHIFT32);
    }

    /**
     * Conversion of a binary64 to an integer with RISC-V saturation. {@code posLimit}/{@code negLimit}
     * are the largest representable magnitudes (unsigned) for positive / negative results; out of range
     * (after rounding), infinities and NaN raise NV only and return the saturated values.
     */
    static long toInteger(long a, int rm, FloatFlags f, long posLimit, long negLimit, long posSat, long negSat) {
        long ma = a & ~SIGN64;
        boolean neg = a < 0;
        if (ma > EXP64) {
            f.bits |= FloatFlags.NV;
            return posSat;
        }
        if (ma == 0) {
            return 0;
        }
        int E = (int) (ma >>> 52);
        long mag;
        boolean inexact = false;
        int sh = (E != 0 ? E : 1) - 1075; // value = sig * 2^sh
        if (sh >= 0) {
            if (sh > 11) { // |value| >= 2^64, includes infinities
                f.bits |= FloatFlags.NV;
                return neg ? negSat : posSat;
            }
            mag = ((ma & FRAC64) | HIDDEN64) << sh;
        } else {
            long sig = (ma & FRAC64) | (E != 0 ? HIDDEN64 : 0);
            mag = roundShift(sig, -sh, neg, rm);
            inexact = lostBits(sig, -sh);
        }
        if (Long.compareUnsigned(mag, neg ? negLimit : posLimit) > 0) {
            f.bits |= FloatFlags.NV;
            return neg ? negSat : posSat;
        }
        if (inexact) {
            f.bits |= FloatFlags.NX;
        }
        return neg ? -mag : mag;
    }
}
