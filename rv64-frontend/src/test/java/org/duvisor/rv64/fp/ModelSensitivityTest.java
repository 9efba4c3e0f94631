package org.duvisor.rv64.fp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.duvisor.rv64.fp.RefModel.F32;
import static org.duvisor.rv64.fp.RefModel.F64;

import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The property tests can fail: deliberately wrong implementations, fed with the same operand
 * generators, must disagree with the reference model, while the production code must not.
 */
class ModelSensitivityTest {
    private static final int SAMPLES = 3000;

    /** An implementation under test: operands and rounding mode to (bits, flags). */
    interface Impl {
        RefModel.Res apply(long[] ops, int rm);
    }

    private static int disagreements(Function<Random, long[]> gen, Impl model, Impl impl) {
        Random r = new Random(20260601L);
        int bad = 0;
        for (int i = 0; i < SAMPLES; i++) {
            long[] ops = gen.apply(r);
            for (int rm : ModelCheck.MODES) {
                RefModel.Res want = model.apply(ops, rm);
                RefModel.Res got = impl.apply(ops, rm);
                if (want.bits() != got.bits() || want.flags() != got.flags()) {
                    bad++;
                }
            }
        }
        return bad;
    }

    private static RefModel.Res res64(long bits, FloatFlags f) {
        return new RefModel.Res(bits, f.bits);
    }

    private static RefModel.Res res32(int bits, FloatFlags f) {
        return new RefModel.Res(bits & 0xffff_ffffL, f.bits);
    }

    private static final Impl MODEL_FMA64 = (o, rm) -> RefModel.fma(F64, o[0], o[1], o[2], rm);
    private static final Impl MODEL_ADD64 = (o, rm) -> RefModel.add(F64, o[0], o[1], rm);
    private static final Impl MODEL_MUL64 = (o, rm) -> RefModel.mul(F64, o[0], o[1], rm);
    private static final Impl MODEL_FMA32 = (o, rm) -> RefModel.fma(F32, o[0], o[1], o[2], rm);
    private static final Impl MODEL_SQRT64 = (o, rm) -> RefModel.sqrt(F64, o[0], rm);

    @Test
    void productionAgreesWithTheModelOnTheSameSamples() {
        Impl fma = (o, rm) -> {
            FloatFlags f = new FloatFlags();
            return res64(Binary64.fma(o[0], o[1], o[2], rm, f), f);
        };
        Impl fma32 = (o, rm) -> {
            FloatFlags f = new FloatFlags();
            return res32(Binary32.fma((int) o[0], (int) o[1], (int) o[2], rm, f), f);
        };
        assertThat(disagreements(FpGen.G64::fmaTriple, MODEL_FMA64, fma)).isZero();
        assertThat(disagreements(FpGen.G32::fmaTriple, MODEL_FMA32, fma32)).isZero();
    }

    @Test
    void fmaWithTwoRoundingsIsCaught() {
        Impl twoRoundings = (o, rm) -> {
            FloatFlags f = new FloatFlags();
            long p = Binary64.mul(o[0], o[1], rm, f);
            return res64(Binary64.add(p, o[2], rm, f), f);
        };
        assertThat(disagreements(FpGen.G64::fmaTriple, MODEL_FMA64, twoRoundings)).isPositive();
    }

    @Test
    void addIgnoringTheRoundingModeIsCaught() {
        Impl alwaysRne = (o, rm) -> {
            FloatFlags f = new FloatFlags();
            return res64(Binary64.add(o[0], o[1], RoundingMode.RNE, f), f);
        };
        assertThat(disagreements(FpGen.G64::addPair, MODEL_ADD64, alwaysRne)).isPositive();
    }

    @Test
    void missingUnderflowFlagIsCaught() {
        Impl noUf = (o, rm) -> {
            FloatFlags f = new FloatFlags();
            long r = Binary64.mul(o[0], o[1], rm, f);
            f.bits &= ~FloatFlags.UF;
            return res64(r, f);
        };
        assertThat(disagreements(FpGen.G64::mulPair, MODEL_MUL64, noUf)).isPositive();
    }

    @Test
    void tininessBeforeRoundingIsCaught() {
        Impl before = (o, rm) -> {
            FloatFlags f = new FloatFlags();
            long r = Binary64.mul(o[0], o[1], rm, f);
            if ((r & ~FpCore.SIGN64) == FpCore.HIDDEN64 && (f.bits & FloatFlags.NX) != 0) {
                f.bits |= FloatFlags.UF; // min-normal results rounded up from below would count as tiny
            }
            return res64(r, f);
        };
        assertThat(disagreements(FpGen.G64::mulPair, MODEL_MUL64, before)).isPositive();
    }

    @Test
    void binary32FmaDoubleRoundedThroughBinary64IsCaught() {
        Impl doubleRounded = (o, rm) -> {
            FloatFlags f = new FloatFlags();
            long d = Binary64.fma(Binary32.toBinary64((int) o[0], f), Binary32.toBinary64((int) o[1], f),
                    Binary32.toBinary64((int) o[2], f), rm, f);
            return res32(Binary64.toBinary32(d, rm, f), f);
        };
        assertThat(disagreements(FpGen.G32::fmaTriple, MODEL_FMA32, doubleRounded)).isPositive();
    }

    @Test
    void sqrtOneUlpOffInOneModeIsCaught() {
        Impl offByOne = (o, rm) -> {
            FloatFlags f = new FloatFlags();
            long r = Binary64.sqrt(o[0], rm, f);
            if (rm == RoundingMode.RUP && (f.bits & FloatFlags.NX) != 0) {
                r++;
            }
            return res64(r, f);
        };
        assertThat(disagreements(r -> new long[] {FpGen.G64.sqrtOperand(r)}, MODEL_SQRT64, offByOne)).isPositive();
    }

    @Test
    void checkerReportsAWrongBitAndAWrongFlag() {
        RefModel.Res want = new RefModel.Res(0x3ff0_0000_0000_0000L, FloatFlags.NX);
        assertThatThrownBy(() -> ModelCheck.same("wrong bit", F64, want, 0x3ff0_0000_0000_0001L, FloatFlags.NX))
                .isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> ModelCheck.same("wrong flag", F64, want, 0x3ff0_0000_0000_0000L, 0))
                .isInstanceOf(AssertionError.class);
        ModelCheck.same("right", F64, want, 0x3ff0_0000_0000_0000L, FloatFlags.NX);
    }
}
