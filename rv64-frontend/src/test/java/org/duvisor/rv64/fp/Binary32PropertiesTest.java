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
 * Binary32 operations against the independent {@link RefModel}: same bits and same flags, in
 * every rounding mode, for edge-biased operands.
 */
class Binary32PropertiesTest {
    private static final FpGen G = FpGen.G32;
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
            sameInBothFlagStates(describe("fadd.s", F32, rm, ab), F32, RefModel.add(F32, ab[0], ab[1], rm),
                    fl -> Binary32.add((int) ab[0], (int) ab[1], rm, fl));
        }
    }

    @Property(tries = ARITH, shrinking = ShrinkingMode.OFF)
    void subMatchesModel(@ForAll("addPairs") long[] ab) {
        for (int rm : MODES) {
            sameInBothFlagStates(describe("fsub.s", F32, rm, ab), F32, RefModel.sub(F32, ab[0], ab[1], rm),
                    fl -> Binary32.sub((int) ab[0], (int) ab[1], rm, fl));
        }
    }

    @Property(tries = ARITH, shrinking = ShrinkingMode.OFF)
    void mulMatchesModel(@ForAll("mulPairs") long[] ab) {
        for (int rm : MODES) {
            sameInBothFlagStates(describe("fmul.s", F32, rm, ab), F32, RefModel.mul(F32, ab[0], ab[1], rm),
                    fl -> Binary32.mul((int) ab[0], (int) ab[1], rm, fl));
        }
    }

    @Property(tries = ARITH, shrinking = ShrinkingMode.OFF)
    void divMatchesModel(@ForAll("divPairs") long[] ab) {
        for (int rm : MODES) {
            sameInBothFlagStates(describe("fdiv.s", F32, rm, ab), F32, RefModel.div(F32, ab[0], ab[1], rm),
                    fl -> Binary32.div((int) ab[0], (int) ab[1], rm, fl));
        }
    }

    @Property(tries = ARITH, shrinking = ShrinkingMode.OFF)
    void sqrtMatchesModel(@ForAll("sqrtOperands") long a) {
        for (int rm : MODES) {
            sameInBothFlagStates(describe("fsqrt.s", F32, rm, a), F32, RefModel.sqrt(F32, a, rm),
                    fl -> Binary32.sqrt((int) a, rm, fl));
        }
    }

    @Property(tries = 2 * ARITH, shrinking = ShrinkingMode.OFF)
    void fmaMatchesModel(@ForAll("fmaTriples") long[] abc) {
        for (int rm : MODES) {
            sameInBothFlagStates(describe("fmadd.s", F32, rm, abc), F32, RefModel.fma(F32, abc[0], abc[1], abc[2], rm),
                    fl -> Binary32.fma((int) abc[0], (int) abc[1], (int) abc[2], rm, fl));
        }
    }

    @Property(tries = LIGHT, shrinking = ShrinkingMode.OFF)
    void minMaxMatchModel(@ForAll("anyPairs") long[] ab) {
        FloatFlags f = new FloatFlags();
        long r = Binary32.min((int) ab[0], (int) ab[1], f);
        same(describe("fmin.s", F32, 0, ab), F32, RefModel.min(F32, ab[0], ab[1]), r, f.bits);
        f = new FloatFlags();
        r = Binary32.max((int) ab[0], (int) ab[1], f);
        same(describe("fmax.s", F32, 0, ab), F32, RefModel.max(F32, ab[0], ab[1]), r, f.bits);
    }

    @Property(tries = LIGHT, shrinking = ShrinkingMode.OFF)
    void comparisonsMatchModel(@ForAll("anyPairs") long[] ab) {
        FloatFlags f = new FloatFlags();
        boolean r = Binary32.eq((int) ab[0], (int) ab[1], f);
        same(describe("feq.s", F32, 0, ab), null, RefModel.feq(F32, ab[0], ab[1]), r ? 1 : 0, f.bits);
        f = new FloatFlags();
        r = Binary32.lt((int) ab[0], (int) ab[1], f);
        same(describe("flt.s", F32, 0, ab), null, RefModel.flt(F32, ab[0], ab[1]), r ? 1 : 0, f.bits);
        f = new FloatFlags();
        r = Binary32.le((int) ab[0], (int) ab[1], f);
        same(describe("fle.s", F32, 0, ab), null, RefModel.fle(F32, ab[0], ab[1]), r ? 1 : 0, f.bits);
    }

    @Property(tries = LIGHT, shrinking = ShrinkingMode.OFF)
    void classifyMatchesModel(@ForAll("anyOperand") long a) {
        same(describe("fclass.s", F32, 0, a), null, new RefModel.Res(RefModel.fclass(F32, a), 0),
                Binary32.classify((int) a), 0);
    }

    @Property(tries = ARITH, shrinking = ShrinkingMode.OFF)
    void toIntegerConversionsMatchModel(@ForAll("convOperands") long a) {
        for (int rm : MODES) {
            FloatFlags f = new FloatFlags();
            long r = Binary32.toInt32((int) a, rm, f);
            same(describe("fcvt.w.s", F32, rm, a), null, RefModel.toInt(F32, a, RefModel.IntType.W, rm), r, f.bits);
            f = new FloatFlags();
            r = Binary32.toUInt32((int) a, rm, f);
            same(describe("fcvt.wu.s", F32, rm, a), null, RefModel.toInt(F32, a, RefModel.IntType.WU, rm), r, f.bits);
            f = new FloatFlags();
            r = Binary32.toInt64((int) a, rm, f);
            same(describe("fcvt.l.s", F32, rm, a), null, RefModel.toInt(F32, a, RefModel.IntType.L, rm), r, f.bits);
            f = new FloatFlags();
            r = Binary32.toUInt64((int) a, rm, f);
            same(describe("fcvt.lu.s", F32, rm, a), null, RefModel.toInt(F32, a, RefModel.IntType.LU, rm), r, f.bits);
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
            same("fcvt.s.l " + what, F32, RefModel.fromInt(F32, s64, rm), Binary32.fromInt64(v, rm, f), f.bits);
            f = new FloatFlags();
            same("fcvt.s.lu " + what, F32, RefModel.fromInt(F32, u64, rm), Binary32.fromUInt64(v, rm, f), f.bits);
            f = new FloatFlags();
            same("fcvt.s.w " + what, F32, RefModel.fromInt(F32, s32, rm), Binary32.fromInt32((int) v, rm, f), f.bits);
            f = new FloatFlags();
            same("fcvt.s.wu " + what, F32, RefModel.fromInt(F32, u32, rm), Binary32.fromUInt32((int) v, rm, f), f.bits);
        }
    }

    @Property(tries = LIGHT, shrinking = ShrinkingMode.OFF)
    void toBinary64MatchesModel(@ForAll("anyOperand") long a) {
        FloatFlags f = new FloatFlags();
        long r = Binary32.toBinary64((int) a, f);
        same(describe("fcvt.d.s", F32, 0, a), F64, RefModel.convert(F32, F64, a, RoundingMode.RNE), r, f.bits);
    }
}
