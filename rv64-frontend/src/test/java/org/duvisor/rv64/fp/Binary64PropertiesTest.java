package org.duvisor.rv64.fp;

import static org.duvisor.rv64.fp.ModelCheck.MODES;
import static org.duvisor.rv64.fp.ModelCheck.describe;
import static org.duvisor.rv64.fp.ModelCheck.same;
import static org.duvisor.rv64.fp.ModelCheck.sameInBothFlagStates;
import static org.duvisor.rv64.fp.RefModel.F32;
import static org.duvisor.rv64.fp.RefModel.F64;

import java.math.BigInteger;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;

/**
 * Binary64 operations against the independent {@link RefModel}: same bits and same flags, in
 * every rounding mode, for edge-biased operands.
 */
class Binary64PropertiesTest {
    private static final FpGen G = FpGen.G64;
    private static final int ARITH = 6000;
    private static final int LIGHT = 2500;

    @Provide
    Arbitrary<long[]> addPairs() {
        return G.addPairs();
    }

    @Provide
    Arbitrary<long[]> mulPairs() {
        return G.mulPairs();
    }

    @Provide
    Arbitrary<long[]> divPairs() {
        return G.divPairs();
    }

    @Provide
    Arbitrary<long[]> fmaTriples() {
        return G.fmaTriples();
    }

    @Provide
    Arbitrary<long[]> anyPairs() {
        return G.anyPairs();
    }

    @Provide
    Arbitrary<Long> sqrtOperands() {
        return G.sqrtOperands();
    }

    @Provide
    Arbitrary<Long> convOperands() {
        return G.convOperands();
    }

    @Provide
    Arbitrary<Long> anyOperand() {
        return G.anyArb();
    }

    @Provide
    Arbitrary<Long> ints() {
        return FpGen.ints();
    }

    @Property(tries = ARITH, shrinking = ShrinkingMode.OFF)
    void addMatchesModel(@ForAll("addPairs") long[] ab) {
        for (int rm : MODES) {
            sameInBothFlagStates(describe("fadd.d", F64, rm, ab), F64, RefModel.add(F64, ab[0], ab[1], rm),
                    fl -> Binary64.add(ab[0], ab[1], rm, fl));
        }
    }

    @Property(tries = ARITH, shrinking = ShrinkingMode.OFF)
    void subMatchesModel(@ForAll("addPairs") long[] ab) {
        for (int rm : MODES) {
            sameInBothFlagStates(describe("fsub.d", F64, rm, ab), F64, RefModel.sub(F64, ab[0], ab[1], rm),
                    fl -> Binary64.sub(ab[0], ab[1], rm, fl));
        }
    }

    @Property(tries = ARITH, shrinking = ShrinkingMode.OFF)
    void mulMatchesModel(@ForAll("mulPairs") long[] ab) {
        for (int rm : MODES) {
            sameInBothFlagStates(describe("fmul.d", F64, rm, ab), F64, RefModel.mul(F64, ab[0], ab[1], rm),
                    fl -> Binary64.mul(ab[0], ab[1], rm, fl));
        }
    }

    @Property(tries = ARITH, shrinking = ShrinkingMode.OFF)
    void divMatchesModel(@ForAll("divPairs") long[] ab) {
        for (int rm : MODES) {
            sameInBothFlagStates(describe("fdiv.d", F64, rm, ab), F64, RefModel.div(F64, ab[0], ab[1], rm),
                    fl -> Binary64.div(ab[0], ab[1], rm, fl));
        }
    }

    @Property(tries = ARITH, shrinking = ShrinkingMode.OFF)
    void sqrtMatchesModel(@ForAll("sqrtOperands") long a) {
        for (int rm : MODES) {
            sameInBothFlagStates(describe("fsqrt.d", F64, rm, a), F64, RefModel.sqrt(F64, a, rm),
                    fl -> Binary64.sqrt(a, rm, fl));
        }
    }

    @Property(tries = 2 * ARITH, shrinking = ShrinkingMode.OFF)
    void fmaMatchesModel(@ForAll("fmaTriples") long[] abc) {
        for (int rm : MODES) {
            sameInBothFlagStates(describe("fmadd.d", F64, rm, abc), F64, RefModel.fma(F64, abc[0], abc[1], abc[2], rm),
                    fl -> Binary64.fma(abc[0], abc[1], abc[2], rm, fl));
        }
    }

    @Property(tries = LIGHT, shrinking = ShrinkingMode.OFF)
    void minMaxMatchModel(@ForAll("anyPairs") long[] ab) {
        FloatFlags f = new FloatFlags();
        long r = Binary64.min(ab[0], ab[1], f);
        same(describe("fmin.d", F64, 0, ab), F64, RefModel.min(F64, ab[0], ab[1]), r, f.bits);
        f = new FloatFlags();
        r = Binary64.max(ab[0], ab[1], f);
        same(describe("fmax.d", F64, 0, ab), F64, RefModel.max(F64, ab[0], ab[1]), r, f.bits);
    }

    @Property(tries = LIGHT, shrinking = ShrinkingMode.OFF)
    void comparisonsMatchModel(@ForAll("anyPairs") long[] ab) {
        FloatFlags f = new FloatFlags();
        boolean r = Binary64.eq(ab[0], ab[1], f);
        same(describe("feq.d", F64, 0, ab), null, RefModel.feq(F64, ab[0], ab[1]), r ? 1 : 0, f.bits);
        f = new FloatFlags();
        r = Binary64.lt(ab[0], ab[1], f);
        same(describe("flt.d", F64, 0, ab), null, RefModel.flt(F64, ab[0], ab[1]), r ? 1 : 0, f.bits);
        f = new FloatFlags();
        r = Binary64.le(ab[0], ab[1], f);
        same(describe("fle.d", F64, 0, ab), null, RefModel.fle(F64, ab[0], ab[1]), r ? 1 : 0, f.bits);
    }

    @Property(tries = LIGHT, shrinking = ShrinkingMode.OFF)
    void classifyMatchesModel(@ForAll("anyOperand") long a) {
        same(describe("fclass.d", F64, 0, a), null, new RefModel.Res(RefModel.fclass(F64, a), 0),
                Binary64.classify(a), 0);
    }

    @Property(tries = ARITH, shrinking = ShrinkingMode.OFF)
    void toIntegerConversionsMatchModel(@ForAll("convOperands") long a) {
        for (int rm : MODES) {
            FloatFlags f = new FloatFlags();
            long r = Binary64.toInt32(a, rm, f);
            same(describe("fcvt.w.d", F64, rm, a), null, RefModel.toInt(F64, a, RefModel.IntType.W, rm), r, f.bits);
            f = new FloatFlags();
            r = Binary64.toUInt32(a, rm, f);
            same(describe("fcvt.wu.d", F64, rm, a), null, RefModel.toInt(F64, a, RefModel.IntType.WU, rm), r, f.bits);
            f = new FloatFlags();
            r = Binary64.toInt64(a, rm, f);
            same(describe("fcvt.l.d", F64, rm, a), null, RefModel.toInt(F64, a, RefModel.IntType.L, rm), r, f.bits);
            f = new FloatFlags();
            r = Binary64.toUInt64(a, rm, f);
            same(describe("fcvt.lu.d", F64, rm, a), null, RefModel.toInt(F64, a, RefModel.IntType.LU, rm), r, f.bits);
        }
    }

    @Property(tries = ARITH, shrinking = ShrinkingMode.OFF)
    void fromIntegerConversionsMatchModel(@ForAll("ints") long v) {
        BigInteger s64 = BigInteger.valueOf(v);
        BigInteger u64 = new BigInteger(Long.toUnsignedString(v));
        BigInteger s32 = BigInteger.valueOf((int) v);
        BigInteger u32 = BigInteger.valueOf(v & 0xffff_ffffL);
        for (int rm : MODES) {
            String what = "0x" + Long.toHexString(v) + " " + RoundingMode.name(rm);
            FloatFlags f = new FloatFlags();
            same("fcvt.d.l " + what, F64, RefModel.fromInt(F64, s64, rm), Binary64.fromInt64(v, rm, f), f.bits);
            f = new FloatFlags();
            same("fcvt.d.lu " + what, F64, RefModel.fromInt(F64, u64, rm), Binary64.fromUInt64(v, rm, f), f.bits);
            f = new FloatFlags();
            same("fcvt.d.w " + what, F64, RefModel.fromInt(F64, s32, rm), Binary64.fromInt32((int) v, rm, f), f.bits);
            f = new FloatFlags();
            same("fcvt.d.wu " + what, F64, RefModel.fromInt(F64, u32, rm), Binary64.fromUInt32((int) v, rm, f), f.bits);
        }
    }

    @Provide
    Arbitrary<Long> narrowingOperands() {
        // binary64 values around the binary32 range: overflow, subnormal and underflow thresholds.
        return net.jqwik.api.Arbitraries.randomValue(r -> {
            int c = r.nextInt(6);
            if (c == 0) {
                return G.any(r);
            }
            int e;
            if (c == 1) {
                e = 1023 + 127 - 1 + r.nextInt(4);          // near binary32 overflow
            } else if (c == 2) {
                e = 1023 - 126 - r.nextInt(28);             // binary32 subnormal range
            } else if (c == 3) {
                e = 1023 - 126 + r.nextInt(3) - 1;          // binary32 normal boundary
            } else {
                e = 1023 - 130 + r.nextInt(260);            // within range
            }
            return G.withExp(r, r.nextBoolean(), e);
        });
    }

    @Property(tries = ARITH, shrinking = ShrinkingMode.OFF)
    void toBinary32MatchesModel(@ForAll("narrowingOperands") long a) {
        for (int rm : MODES) {
            FloatFlags f = new FloatFlags();
            int r = Binary64.toBinary32(a, rm, f);
            same(describe("fcvt.s.d", F64, rm, a), F32, RefModel.convert(F64, F32, a, rm), r, f.bits);
        }
    }
}
