package org.duvisor.rv64.insn;

import java.math.BigInteger;

/**
 * An independent model of the RV64I, M, Zba, Zbb and Zbs register results, written from the
 * specifications' prose rather than from the emulator: arithmetic on exact {@link BigInteger}s that
 * are then reduced to XLEN (or 32 bits and sign-extended, for the W forms), and bit-by-bit loops
 * over a 64-entry bit vector for the logical, rotate, count and byte operations.
 *
 * <p>It deliberately avoids Java's own fixed-width shift, rotate, multiply-high, divide and
 * bit-count operations, which the emulator uses, so that a shared misunderstanding of a Java
 * operator cannot hide a bug in both.
 */
public final class RefAlu {
    private RefAlu() {
    }

    private static final BigInteger ONE = BigInteger.ONE;
    private static final BigInteger TWO64 = ONE.shiftLeft(64);
    private static final BigInteger MASK64 = TWO64.subtract(ONE);
    private static final BigInteger TWO32 = ONE.shiftLeft(32);
    private static final BigInteger MASK32 = TWO32.subtract(ONE);

    // ------------------------------------------------------------------ views of a register

    /** The register as a signed (two's complement) integer. */
    static BigInteger s(long v) {
        return BigInteger.valueOf(v);
    }

    /** The register as an unsigned integer in [0, 2^64). */
    static BigInteger u(long v) {
        return BigInteger.valueOf(v).and(MASK64);
    }

    /** The low 32 bits as an unsigned integer in [0, 2^32). */
    static BigInteger u32(long v) {
        return BigInteger.valueOf(v).and(MASK32);
    }

    /** The low 32 bits as a signed integer in [-2^31, 2^31). */
    static BigInteger s32(long v) {
        BigInteger lo = u32(v);
        return lo.testBit(31) ? lo.subtract(TWO32) : lo;
    }

    /** x reduced modulo 2^64, as the register bit pattern. */
    static long reg(BigInteger x) {
        BigInteger lo = x.mod(TWO64); // mod is always non-negative
        return lo.testBit(63) ? lo.subtract(TWO64).longValueExact() : lo.longValueExact();
    }

    /** The low 32 bits of x, sign-extended to 64 (how every RV64 W operation writes rd). */
    static long word(BigInteger x) {
        BigInteger lo = x.mod(TWO32);
        return (lo.testBit(31) ? lo.subtract(TWO32) : lo).longValueExact();
    }

    // ------------------------------------------------------------------ bit vectors

    static boolean[] bits(long v) {
        BigInteger b = u(v);
        boolean[] out = new boolean[64];
        for (int k = 0; k < 64; k++) out[k] = b.testBit(k);
        return out;
    }

    static long fromBits(boolean[] bits) {
        BigInteger r = BigInteger.ZERO;
        for (int k = 0; k < bits.length; k++) if (bits[k]) r = r.setBit(k);
        return reg(r);
    }

    /** Bits [0, n) of v, bit n-1 copied into every bit above. */
    static long signExtendFrom(long v, int n) {
        boolean[] in = bits(v), out = new boolean[64];
        for (int k = 0; k < 64; k++) out[k] = k < n ? in[k] : in[n - 1];
        return fromBits(out);
    }

    /** Bits [0, n) of v, zeros above. */
    static long zeroExtendFrom(long v, int n) {
        boolean[] in = bits(v), out = new boolean[64];
        for (int k = 0; k < n; k++) out[k] = in[k];
        return fromBits(out);
    }

    /** The value of the low {@code n} bits of v, as a shift amount or bit index. */
    static int low(long v, int n) {
        return u(v).mod(ONE.shiftLeft(n)).intValueExact();
    }

    private interface BitOp {
        boolean apply(boolean x, boolean y);
    }

    private static long bitwise(long a, long b, BitOp f) {
        boolean[] x = bits(a), y = bits(b), r = new boolean[64];
        for (int k = 0; k < 64; k++) r[k] = f.apply(x[k], y[k]);
        return fromBits(r);
    }

    // ------------------------------------------------------------------ RV64I

    public static long add(long a, long b) {
        return reg(s(a).add(s(b)));
    }

    public static long sub(long a, long b) {
        return reg(s(a).subtract(s(b)));
    }

    public static long addw(long a, long b) {
        return word(s(a).add(s(b)));
    }

    public static long subw(long a, long b) {
        return word(s(a).subtract(s(b)));
    }

    public static long slt(long a, long b) {
        return s(a).compareTo(s(b)) < 0 ? 1 : 0;
    }

    public static long sltu(long a, long b) {
        return u(a).compareTo(u(b)) < 0 ? 1 : 0;
    }

    public static long and(long a, long b) {
        return bitwise(a, b, (x, y) -> x && y);
    }

    public static long or(long a, long b) {
        return bitwise(a, b, (x, y) -> x || y);
    }

    public static long xor(long a, long b) {
        return bitwise(a, b, (x, y) -> x != y);
    }

    /** RV64 shifts use the low 6 bits of the amount; the W forms the low 5. */
    public static long sll(long a, long sh) {
        return reg(u(a).shiftLeft(low(sh, 6)));
    }

    public static long srl(long a, long sh) {
        return reg(u(a).shiftRight(low(sh, 6)));
    }

    public static long sra(long a, long sh) {
        return reg(s(a).shiftRight(low(sh, 6))); // BigInteger.shiftRight is arithmetic (floor)
    }

    public static long sllw(long a, long sh) {
        return word(u32(a).shiftLeft(low(sh, 5)));
    }

    public static long srlw(long a, long sh) {
        return word(u32(a).shiftRight(low(sh, 5)));
    }

    public static long sraw(long a, long sh) {
        return word(s32(a).shiftRight(low(sh, 5)));
    }

    // ------------------------------------------------------------------ M

    public static long mul(long a, long b) {
        return reg(s(a).multiply(s(b)));
    }

    public static long mulh(long a, long b) {
        return reg(s(a).multiply(s(b)).shiftRight(64));
    }

    public static long mulhsu(long a, long b) {
        return reg(s(a).multiply(u(b)).shiftRight(64));
    }

    public static long mulhu(long a, long b) {
        return reg(u(a).multiply(u(b)).shiftRight(64));
    }

    public static long mulw(long a, long b) {
        return word(s(a).multiply(s(b)));
    }

    /*
     * The table of chapter "M" (Division Operations):
     *   division by zero:  quotient = 2^L - 1 (all ones), remainder = dividend
     *   overflow (signed only, -2^(L-1) / -1): quotient = dividend, remainder = 0
     * Otherwise quotients round towards zero and remainders take the dividend's sign.
     */

    private static final BigInteger MIN64 = ONE.shiftLeft(63).negate();
    private static final BigInteger MIN32 = ONE.shiftLeft(31).negate();
    private static final BigInteger MINUS_ONE = ONE.negate();

    public static long div(long a, long b) {
        BigInteger x = s(a), y = s(b);
        if (y.signum() == 0) return reg(MASK64);
        if (x.equals(MIN64) && y.equals(MINUS_ONE)) return reg(x);
        return reg(x.divide(y)); // BigInteger.divide truncates towards zero
    }

    public static long divu(long a, long b) {
        BigInteger x = u(a), y = u(b);
        if (y.signum() == 0) return reg(MASK64);
        return reg(x.divide(y));
    }

    public static long rem(long a, long b) {
        BigInteger x = s(a), y = s(b);
        if (y.signum() == 0) return reg(x);
        if (x.equals(MIN64) && y.equals(MINUS_ONE)) return 0;
        return reg(x.remainder(y)); // sign of the dividend
    }

    public static long remu(long a, long b) {
        BigInteger x = u(a), y = u(b);
        if (y.signum() == 0) return reg(x);
        return reg(x.remainder(y));
    }

    public static long divw(long a, long b) {
        BigInteger x = s32(a), y = s32(b);
        if (y.signum() == 0) return word(MASK32);
        if (x.equals(MIN32) && y.equals(MINUS_ONE)) return word(x);
        return word(x.divide(y));
    }

    public static long divuw(long a, long b) {
        BigInteger x = u32(a), y = u32(b);
        if (y.signum() == 0) return word(MASK32);
        return word(x.divide(y));
    }

    public static long remw(long a, long b) {
        BigInteger x = s32(a), y = s32(b);
        if (y.signum() == 0) return word(x);
        if (x.equals(MIN32) && y.equals(MINUS_ONE)) return 0;
        return word(x.remainder(y));
    }

    public static long remuw(long a, long b) {
        BigInteger x = u32(a), y = u32(b);
        if (y.signum() == 0) return word(x);
        return word(x.remainder(y));
    }

    // ------------------------------------------------------------------ Zba

    public static long shNadd(int n, long a, long b) {
        return reg(s(a).shiftLeft(n).add(s(b)));
    }

    public static long shNaddUw(int n, long a, long b) {
        return reg(u32(a).shiftLeft(n).add(s(b)));
    }

    public static long slliUw(long a, long sh) {
        return reg(u32(a).shiftLeft(low(sh, 6)));
    }

    // ------------------------------------------------------------------ Zbb

    public static long andn(long a, long b) {
        return bitwise(a, b, (x, y) -> x && !y);
    }

    public static long orn(long a, long b) {
        return bitwise(a, b, (x, y) -> x || !y);
    }

    public static long xnor(long a, long b) {
        return bitwise(a, b, (x, y) -> x == y);
    }

    public static long max(long a, long b) {
        return s(a).compareTo(s(b)) >= 0 ? a : b;
    }

    public static long maxu(long a, long b) {
        return u(a).compareTo(u(b)) >= 0 ? a : b;
    }

    public static long min(long a, long b) {
        return s(a).compareTo(s(b)) <= 0 ? a : b;
    }

    public static long minu(long a, long b) {
        return u(a).compareTo(u(b)) <= 0 ? a : b;
    }

    /** Rotation of the low {@code width} bits of a right by n; for width 32 the result is sign-extended. */
    private static long rotateRight(long a, int n, int width) {
        boolean[] in = bits(a), out = new boolean[64];
        for (int k = 0; k < width; k++) out[k] = in[(k + n) % width];
        return width == 64 ? fromBits(out) : signExtendFrom(fromBits(out), 32);
    }

    public static long rol(long a, long b) {
        return rotateRight(a, (64 - low(b, 6)) % 64, 64);
    }

    public static long ror(long a, long b) {
        return rotateRight(a, low(b, 6), 64);
    }

    public static long rolw(long a, long b) {
        return rotateRight(a, (32 - low(b, 5)) % 32, 32);
    }

    public static long rorw(long a, long b) {
        return rotateRight(a, low(b, 5), 32);
    }

    public static long clz(long a) {
        boolean[] x = bits(a);
        int n = 0;
        for (int k = 63; k >= 0 && !x[k]; k--) n++;
        return n;
    }

    public static long ctz(long a) {
        boolean[] x = bits(a);
        int n = 0;
        for (int k = 0; k < 64 && !x[k]; k++) n++;
        return n;
    }

    public static long cpop(long a) {
        int n = 0;
        for (boolean bit : bits(a)) if (bit) n++;
        return n;
    }

    public static long clzw(long a) {
        boolean[] x = bits(a);
        int n = 0;
        for (int k = 31; k >= 0 && !x[k]; k--) n++;
        return n;
    }

    public static long ctzw(long a) {
        boolean[] x = bits(a);
        int n = 0;
        for (int k = 0; k < 32 && !x[k]; k++) n++;
        return n;
    }

    public static long cpopw(long a) {
        boolean[] x = bits(a);
        int n = 0;
        for (int k = 0; k < 32; k++) if (x[k]) n++;
        return n;
    }

    public static long orcB(long a) {
        boolean[] x = bits(a), r = new boolean[64];
        for (int byteIndex = 0; byteIndex < 8; byteIndex++) {
            boolean any = false;
            for (int k = 0; k < 8; k++) any |= x[8 * byteIndex + k];
            for (int k = 0; k < 8; k++) r[8 * byteIndex + k] = any;
        }
        return fromBits(r);
    }

    public static long rev8(long a) {
        boolean[] x = bits(a), r = new boolean[64];
        for (int byteIndex = 0; byteIndex < 8; byteIndex++) {
            for (int k = 0; k < 8; k++) r[8 * (7 - byteIndex) + k] = x[8 * byteIndex + k];
        }
        return fromBits(r);
    }

    public static long sextB(long a) {
        return signExtendFrom(a, 8);
    }

    public static long sextH(long a) {
        return signExtendFrom(a, 16);
    }

    public static long zextH(long a) {
        return zeroExtendFrom(a, 16);
    }

    // ------------------------------------------------------------------ Zbs

    private static long withBit(long a, int index, Boolean value) {
        boolean[] x = bits(a);
        x[index] = value == null ? !x[index] : value;
        return fromBits(x);
    }

    public static long bclr(long a, long b) {
        return withBit(a, low(b, 6), false);
    }

    public static long bset(long a, long b) {
        return withBit(a, low(b, 6), true);
    }

    public static long binv(long a, long b) {
        return withBit(a, low(b, 6), null);
    }

    public static long bext(long a, long b) {
        return bits(a)[low(b, 6)] ? 1 : 0;
    }
}
