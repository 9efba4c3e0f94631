package org.duvisor.rv64.fp;

import java.math.BigInteger;

/**
 * Independent reference model of RISC-V F/D arithmetic: operands are decoded into exact rationals
 * ({@link BigInteger} numerator / denominator), the operation is carried out exactly, and a
 * separate rounding routine rounds the exact rational to the destination format in each mode,
 * deciding the flags from first principles (IEEE 754-2008 section 7, RISC-V unprivileged spec
 * chapter "F" for NaN and conversion rules). It deliberately shares no code with the production
 * package: everything here works on {@code BigInteger}s and is written without reference to it.
 *
 * <p>Bit patterns of both formats are carried in {@code long}s (binary32 in the low 32 bits).
 * Rounding-mode and flag numbers are the RISC-V encodings, spelled out locally.
 */
final class RefModel {
    private RefModel() {
    }

    // Local copies of the architectural constants (RISC-V encodings).
    static final int RNE = 0;
    static final int RTZ = 1;
    static final int RDN = 2;
    static final int RUP = 3;
    static final int RMM = 4;
    static final int NX = 1;
    static final int UF = 2;
    static final int OF = 4;
    static final int DZ = 8;
    static final int NV = 16;

    /** A binary interchange format: precision p (with the hidden bit) and exponent width. */
    record Fmt(int p, int ebits) {
        int width() {
            return p + ebits;
        }

        int bias() {
            return (1 << (ebits - 1)) - 1;
        }

        int emax() {
            return bias();
        }

        int emin() {
            return 1 - bias();
        }

        int maxExpField() {
            return (1 << ebits) - 1;
        }

        long signBit() {
            return 1L << (width() - 1);
        }

        long mask() {
            return width() == 64 ? -1L : (1L << width()) - 1;
        }

        long fracMask() {
            return (1L << (p - 1)) - 1;
        }

        long canonicalNaN() {
            return ((long) maxExpField() << (p - 1)) | (1L << (p - 2));
        }

        long inf(boolean neg) {
            return (neg ? signBit() : 0) | ((long) maxExpField() << (p - 1));
        }

        long maxFinite(boolean neg) {
            return inf(neg) - 1;
        }

        long zero(boolean neg) {
            return neg ? signBit() : 0;
        }
    }

    static final Fmt F32 = new Fmt(24, 8);
    static final Fmt F64 = new Fmt(53, 11);

    enum Kind { ZERO, FINITE, INF, QNAN, SNAN }

    /** Exact rational num/den, den > 0 (not necessarily reduced). */
    record Q(BigInteger num, BigInteger den) {
        static final Q ZERO = new Q(BigInteger.ZERO, BigInteger.ONE);

        static Q pow2(int k) {
            return k >= 0 ? new Q(BigInteger.ONE.shiftLeft(k), BigInteger.ONE)
                    : new Q(BigInteger.ONE, BigInteger.ONE.shiftLeft(-k));
        }

        int signum() {
            return num.signum();
        }

        Q negate() {
            return new Q(num.negate(), den);
        }

        Q abs() {
            return new Q(num.abs(), den);
        }

        Q add(Q o) {
            if (den.equals(o.den)) {
                return new Q(num.add(o.num), den);
            }
            return new Q(num.multiply(o.den).add(o.num.multiply(den)), den.multiply(o.den));
        }

        Q mul(Q o) {
            return new Q(num.multiply(o.num), den.multiply(o.den));
        }

        Q div(Q o) {
            BigInteger n = num.multiply(o.den);
            BigInteger d = den.multiply(o.num);
            return d.signum() < 0 ? new Q(n.negate(), d.negate()) : new Q(n, d);
        }

        Q scale(int k) { // this * 2^k
            return k >= 0 ? new Q(num.shiftLeft(k), den) : new Q(num, den.shiftLeft(-k));
        }

        int compareTo(Q o) {
            return num.multiply(o.den).compareTo(o.num.multiply(den));
        }
    }

    /** A decoded operand. */
    record Val(Kind kind, boolean neg, Q q) {
        boolean isNaN() {
            return kind == Kind.QNAN || kind == Kind.SNAN;
        }

        /** The value as an exact rational (zero for zeros; undefined for inf/NaN). */
        Q value() {
            return q;
        }
    }

    /** A model result: bit pattern plus flags. */
    record Res(long bits, int flags) {
    }

    static Val decode(Fmt fmt, long bits) {
        bits &= fmt.mask();
        boolean neg = (bits & fmt.signBit()) != 0;
        int e = (int) ((bits >>> (fmt.p() - 1)) & fmt.maxExpField());
        long frac = bits & fmt.fracMask();
        if (e == fmt.maxExpField()) {
            if (frac == 0) {
                return new Val(Kind.INF, neg, null);
            }
            boolean quiet = (frac & (1L << (fmt.p() - 2))) != 0;
            return new Val(quiet ? Kind.QNAN : Kind.SNAN, neg, null);
        }
        if (e == 0 && frac == 0) {
            return new Val(Kind.ZERO, neg, Q.ZERO);
        }
        BigInteger mant;
        int exp;
        if (e == 0) {
            mant = BigInteger.valueOf(frac);
            exp = fmt.emin() - (fmt.p() - 1);
        } else {
            mant = BigInteger.valueOf(frac).setBit(fmt.p() - 1);
            exp = e - fmt.bias() - (fmt.p() - 1);
        }
        Q q = new Q(neg ? mant.negate() : mant, BigInteger.ONE).scale(exp);
        return new Val(Kind.FINITE, neg, q);
    }

    // ------------------------------------------------------------------ rounding

    /** Rounds y >= 0 to an integer in mode rm; neg is the sign of the number y is the magnitude of. */
    static BigInteger roundToInteger(Q y, int rm, boolean neg) {
        BigInteger[] qr = y.num().divideAndRemainder(y.den());
        BigInteger fl = qr[0];
        BigInteger rem = qr[1];
        if (rem.signum() == 0) {
            return fl;
        }
        int c = rem.shiftLeft(1).compareTo(y.den()); // compare fraction with 1/2
        boolean up = switch (rm) {
            case RNE -> c > 0 || (c == 0 && fl.testBit(0));
            case RMM -> c >= 0;
            case RTZ -> false;
            case RDN -> neg;
            case RUP -> !neg;
            default -> throw new IllegalArgumentException("rm " + rm);
        };
        return up ? fl.add(BigInteger.ONE) : fl;
    }

    /** floor(log2(x)) for x > 0. */
    static int floorLog2(Q x) {
        int e = x.num().bitLength() - x.den().bitLength();
        // x in [2^(e-1), 2^(e+1))
        if (x.compareTo(Q.pow2(e)) < 0) {
            e--;
        }
        return e;
    }

    /** Rounds a nonzero exact rational to fmt in mode rm. */
    static Res round(Fmt fmt, Q x, int rm) {
        boolean neg = x.signum() < 0;
        Q ax = x.abs();
        int p = fmt.p();
        int e = floorLog2(ax);
        // 1. Round with an unbounded exponent range: decides tininess and overflow.
        BigInteger qu = roundToInteger(ax.scale(p - 1 - e), rm, neg);
        Q unbounded = new Q(qu, BigInteger.ONE).scale(e - p + 1);
        Q maxFinite = new Q(BigInteger.ONE.shiftLeft(p).subtract(BigInteger.ONE), BigInteger.ONE)
                .scale(fmt.emax() - p + 1);
        if (unbounded.compareTo(maxFinite) > 0) {
            boolean toInf = switch (rm) {
                case RNE, RMM -> true;
                case RTZ -> false;
                case RDN -> neg;
                case RUP -> !neg;
                default -> throw new IllegalArgumentException();
            };
            return new Res(toInf ? fmt.inf(neg) : fmt.maxFinite(neg), OF | NX);
        }
        boolean tiny = unbounded.compareTo(Q.pow2(fmt.emin())) < 0;
        // 2. Round to the format's actual quantum at this magnitude.
        int quantumExp = Math.max(e, fmt.emin()) - p + 1;
        BigInteger q = roundToInteger(ax.scale(-quantumExp), rm, neg);
        boolean inexact = new Q(q, BigInteger.ONE).scale(quantumExp).compareTo(ax) != 0;
        int flags = 0;
        if (inexact) {
            flags |= NX;
            if (tiny) {
                flags |= UF;
            }
        }
        return new Res(encode(fmt, neg, q, quantumExp), flags);
    }

    /** Encodes (-1)^neg * q * 2^qe (q < 2^(p+1), representable). */
    static long encode(Fmt fmt, boolean neg, BigInteger q, int qe) {
        int p = fmt.p();
        if (q.signum() == 0) {
            return fmt.zero(neg);
        }
        while (q.bitLength() > p) {
            if (q.testBit(0)) {
                throw new AssertionError("not representable");
            }
            q = q.shiftRight(1);
            qe++;
        }
        // normalise upwards if possible
        while (q.bitLength() < p && qe > fmt.emin() - p + 1) {
            q = q.shiftLeft(1);
            qe--;
        }
        long field;
        long frac;
        if (q.bitLength() == p) {
            field = qe + p - 1 + fmt.bias();
            frac = q.clearBit(p - 1).longValueExact();
        } else {
            if (qe != fmt.emin() - p + 1) {
                throw new AssertionError("bad subnormal");
            }
            field = 0;
            frac = q.longValueExact();
        }
        if (field >= fmt.maxExpField()) {
            throw new AssertionError("overflow not caught");
        }
        return (neg ? fmt.signBit() : 0) | (field << (p - 1)) | frac;
    }

    private static Res nanResult(Fmt fmt, boolean invalid) {
        return new Res(fmt.canonicalNaN(), invalid ? NV : 0);
    }

    private static Res exact(long bits) {
        return new Res(bits, 0);
    }

    /** Result of an exactly zero sum x + y (x, y not both nonzero-with-same-sign). */
    private static long zeroSum(Fmt fmt, boolean xZero, boolean xNeg, boolean yZero, boolean yNeg, int rm) {
        if (xZero && yZero && xNeg == yNeg) {
            return fmt.zero(xNeg);
        }
        return fmt.zero(rm == RDN);
    }

    // ------------------------------------------------------------------ operations

    static Res add(Fmt fmt, long a, long b, int rm) {
        return addVals(fmt, decode(fmt, a), decode(fmt, b), rm);
    }

    static Res sub(Fmt fmt, long a, long b, int rm) {
        Val vb = decode(fmt, b);
        Val nb = new Val(vb.kind(), !vb.neg(), vb.q() == null ? null : vb.q().negate());
        return addVals(fmt, decode(fmt, a), nb, rm);
    }

    private static Res addVals(Fmt fmt, Val x, Val y, int rm) {
        if (x.isNaN() || y.isNaN()) {
            return nanResult(fmt, x.kind() == Kind.SNAN || y.kind() == Kind.SNAN);
        }
        if (x.kind() == Kind.INF && y.kind() == Kind.INF) {
            return x.neg() == y.neg() ? exact(fmt.inf(x.neg())) : nanResult(fmt, true);
        }
        if (x.kind() == Kind.INF || y.kind() == Kind.INF) {
            return exact(fmt.inf(x.kind() == Kind.INF ? x.neg() : y.neg()));
        }
        Q s = x.value().add(y.value());
        if (s.signum() == 0) {
            return exact(zeroSum(fmt, x.kind() == Kind.ZERO, x.neg(), y.kind() == Kind.ZERO, y.neg(), rm));
        }
        return round(fmt, s, rm);
    }

    static Res mul(Fmt fmt, long a, long b, int rm) {
        Val x = decode(fmt, a);
        Val y = decode(fmt, b);
        boolean neg = x.neg() ^ y.neg();
        if (x.isNaN() || y.isNaN()) {
            return nanResult(fmt, x.kind() == Kind.SNAN || y.kind() == Kind.SNAN);
        }
        if (x.kind() == Kind.INF || y.kind() == Kind.INF) {
            if (x.kind() == Kind.ZERO || y.kind() == Kind.ZERO) {
                return nanResult(fmt, true);
            }
            return exact(fmt.inf(neg));
        }
        if (x.kind() == Kind.ZERO || y.kind() == Kind.ZERO) {
            return exact(fmt.zero(neg));
        }
        return round(fmt, x.value().mul(y.value()), rm);
    }

    static Res div(Fmt fmt, long a, long b, int rm) {
        Val x = decode(fmt, a);
        Val y = decode(fmt, b);
        boolean neg = x.neg() ^ y.neg();
        if (x.isNaN() || y.isNaN()) {
            return nanResult(fmt, x.kind() == Kind.SNAN || y.kind() == Kind.SNAN);
        }
        if (x.kind() == Kind.INF) {
            return y.kind() == Kind.INF ? nanResult(fmt, true) : exact(fmt.inf(neg));
        }
        if (y.kind() == Kind.INF) {
            return exact(fmt.zero(neg));
        }
        if (y.kind() == Kind.ZERO) {
            if (x.kind() == Kind.ZERO) {
                return nanResult(fmt, true);
            }
            return new Res(fmt.inf(neg), DZ);
        }
        if (x.kind() == Kind.ZERO) {
            return exact(fmt.zero(neg));
        }
        return round(fmt, x.value().div(y.value()), rm);
    }

    static Res sqrt(Fmt fmt, long a, int rm) {
        Val x = decode(fmt, a);
        if (x.isNaN()) {
            return nanResult(fmt, x.kind() == Kind.SNAN);
        }
        if (x.kind() == Kind.ZERO) {
            return exact(fmt.zero(x.neg()));
        }
        if (x.neg()) {
            return nanResult(fmt, true);
        }
        if (x.kind() == Kind.INF) {
            return exact(fmt.inf(false));
        }
        // x = n / 2^k with n integer (den is a power of two for decoded operands).
        BigInteger n = x.value().num();
        int k = x.value().den().bitLength() - 1;
        // Scale by 4^j so that N = n * 2^(2j - k) is an integer with at least 2p + 8 bits.
        int j = 0;
        while (2 * j - k < 0 || n.bitLength() + 2 * j - k < 2 * fmt.p() + 8) {
            j++;
        }
        BigInteger big = n.shiftLeft(2 * j - k);
        BigInteger s = big.sqrt();
        Q root;
        if (s.multiply(s).equals(big)) {
            root = new Q(s, BigInteger.ONE).scale(-j);
        } else {
            // strictly inside (s, s+1) * 2^-j, where no rounding boundary lies
            root = new Q(s.shiftLeft(1).add(BigInteger.ONE), BigInteger.ONE).scale(-j - 1);
        }
        return round(fmt, root, rm);
    }

    static Res fma(Fmt fmt, long a, long b, long c, int rm) {
        Val x = decode(fmt, a);
        Val y = decode(fmt, b);
        Val z = decode(fmt, c);
        boolean pneg = x.neg() ^ y.neg();
        boolean infTimesZero = (x.kind() == Kind.INF && y.kind() == Kind.ZERO)
                || (x.kind() == Kind.ZERO && y.kind() == Kind.INF);
        if (x.isNaN() || y.isNaN() || z.isNaN()) {
            boolean snan = x.kind() == Kind.SNAN || y.kind() == Kind.SNAN || z.kind() == Kind.SNAN;
            return nanResult(fmt, snan || infTimesZero);
        }
        if (infTimesZero) {
            return nanResult(fmt, true);
        }
        if (x.kind() == Kind.INF || y.kind() == Kind.INF) {
            if (z.kind() == Kind.INF && z.neg() != pneg) {
                return nanResult(fmt, true);
            }
            return exact(fmt.inf(pneg));
        }
        if (z.kind() == Kind.INF) {
            return exact(fmt.inf(z.neg()));
        }
        Q prod = x.value().mul(y.value());
        Q s = prod.add(z.value());
        if (s.signum() == 0) {
            boolean prodZero = x.kind() == Kind.ZERO || y.kind() == Kind.ZERO;
            return exact(zeroSum(fmt, prodZero, pneg, z.kind() == Kind.ZERO, z.neg(), rm));
        }
        return round(fmt, s, rm);
    }

    static Res min(Fmt fmt, long a, long b) {
        return minMax(fmt, a, b, true);
    }

    static Res max(Fmt fmt, long a, long b) {
        return minMax(fmt, a, b, false);
    }

    private static Res minMax(Fmt fmt, long a, long b, boolean isMin) {
        Val x = decode(fmt, a);
        Val y = decode(fmt, b);
        int flags = (x.kind() == Kind.SNAN || y.kind() == Kind.SNAN) ? NV : 0;
        a &= fmt.mask();
        b &= fmt.mask();
        if (x.isNaN() && y.isNaN()) {
            return new Res(fmt.canonicalNaN(), flags);
        }
        if (x.isNaN()) {
            return new Res(b, flags);
        }
        if (y.isNaN()) {
            return new Res(a, flags);
        }
        int c = compareTotal(x, y);
        boolean pickA = isMin ? c <= 0 : c >= 0;
        return new Res(pickA ? a : b, flags);
    }

    /** Ordering of non-NaN values in which -0 < +0. */
    private static int compareTotal(Val x, Val y) {
        int c = compareValues(x, y);
        if (c != 0) {
            return c;
        }
        if (x.kind() == Kind.ZERO && y.kind() == Kind.ZERO && x.neg() != y.neg()) {
            return x.neg() ? -1 : 1;
        }
        return 0;
    }

    /** IEEE numeric ordering of non-NaN values (-0 == +0). */
    private static int compareValues(Val x, Val y) {
        int rx = rank(x);
        int ry = rank(y);
        if (rx != ry) {
            return Integer.compare(rx, ry);
        }
        if (rx == 0) {
            return x.value().compareTo(y.value());
        }
        return 0;
    }

    private static int rank(Val v) {
        if (v.kind() == Kind.INF) {
            return v.neg() ? -1 : 1;
        }
        return 0;
    }

    /** 1 = true, 0 = false in bits. */
    static Res feq(Fmt fmt, long a, long b) {
        Val x = decode(fmt, a);
        Val y = decode(fmt, b);
        if (x.isNaN() || y.isNaN()) {
            return new Res(0, (x.kind() == Kind.SNAN || y.kind() == Kind.SNAN) ? NV : 0);
        }
        return new Res(compareValues(x, y) == 0 ? 1 : 0, 0);
    }

    static Res flt(Fmt fmt, long a, long b) {
        Val x = decode(fmt, a);
        Val y = decode(fmt, b);
        if (x.isNaN() || y.isNaN()) {
            return new Res(0, NV);
        }
        return new Res(compareValues(x, y) < 0 ? 1 : 0, 0);
    }

    static Res fle(Fmt fmt, long a, long b) {
        Val x = decode(fmt, a);
        Val y = decode(fmt, b);
        if (x.isNaN() || y.isNaN()) {
            return new Res(0, NV);
        }
        return new Res(compareValues(x, y) <= 0 ? 1 : 0, 0);
    }

    static int fclass(Fmt fmt, long a) {
        Val x = decode(fmt, a);
        long bits = a & fmt.mask();
        boolean subnormal = x.kind() == Kind.FINITE && ((bits >>> (fmt.p() - 1)) & fmt.maxExpField()) == 0;
        return switch (x.kind()) {
            case INF -> x.neg() ? 1 : 1 << 7;
            case ZERO -> x.neg() ? 1 << 3 : 1 << 4;
            case SNAN -> 1 << 8;
            case QNAN -> 1 << 9;
            case FINITE -> subnormal ? (x.neg() ? 1 << 2 : 1 << 5) : (x.neg() ? 1 << 1 : 1 << 6);
        };
    }

    /** Integer destination types of fcvt.{w,wu,l,lu}.*. */
    enum IntType {
        W(BigInteger.ONE.shiftLeft(31).negate(), BigInteger.ONE.shiftLeft(31).subtract(BigInteger.ONE)),
        WU(BigInteger.ZERO, BigInteger.ONE.shiftLeft(32).subtract(BigInteger.ONE)),
        L(BigInteger.ONE.shiftLeft(63).negate(), BigInteger.ONE.shiftLeft(63).subtract(BigInteger.ONE)),
        LU(BigInteger.ZERO, BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE));

        final BigInteger lo;
        final BigInteger hi;

        IntType(BigInteger lo, BigInteger hi) {
            this.lo = lo;
            this.hi = hi;
        }

        /** The value as the x register holds it (32-bit results sign-extended). */
        long register(BigInteger v) {
            long bits = v.longValue();
            return (this == W || this == WU) ? (long) (int) bits : bits;
        }
    }

    static Res toInt(Fmt fmt, long a, IntType t, int rm) {
        Val x = decode(fmt, a);
        if (x.isNaN()) {
            return new Res(t.register(t.hi), NV);
        }
        if (x.kind() == Kind.INF) {
            return new Res(t.register(x.neg() ? t.lo : t.hi), NV);
        }
        if (x.kind() == Kind.ZERO) {
            return new Res(0, 0);
        }
        Q v = x.value();
        BigInteger mag = roundToInteger(v.abs(), rm, x.neg());
        BigInteger r = x.neg() ? mag.negate() : mag;
        if (r.compareTo(t.lo) < 0) {
            return new Res(t.register(t.lo), NV);
        }
        if (r.compareTo(t.hi) > 0) {
            return new Res(t.register(t.hi), NV);
        }
        boolean inexact = new Q(r, BigInteger.ONE).compareTo(v) != 0;
        return new Res(t.register(r), inexact ? NX : 0);
    }

    static Res fromInt(Fmt fmt, BigInteger v, int rm) {
        if (v.signum() == 0) {
            return exact(0);
        }
        return round(fmt, new Q(v, BigInteger.ONE), rm);
    }

    /** fcvt between formats. */
    static Res convert(Fmt from, Fmt to, long a, int rm) {
        Val x = decode(from, a);
        if (x.isNaN()) {
            return nanResult(to, x.kind() == Kind.SNAN);
        }
        if (x.kind() == Kind.INF) {
            return exact(to.inf(x.neg()));
        }
        if (x.kind() == Kind.ZERO) {
            return exact(to.zero(x.neg()));
        }
        return round(to, x.value(), rm);
    }
}
