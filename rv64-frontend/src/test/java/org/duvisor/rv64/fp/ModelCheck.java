package org.duvisor.rv64.fp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;

/** Comparison of a production result with the reference model, with readable failure messages. */
final class ModelCheck {
    private ModelCheck() {
    }

    static final int[] MODES = {RoundingMode.RNE, RoundingMode.RTZ, RoundingMode.RDN, RoundingMode.RUP, RoundingMode.RMM};

    static String show(RefModel.Fmt fmt, long bits) {
        if (fmt.p() == 53) {
            return String.format("0x%016x (%s)", bits, Double.longBitsToDouble(bits));
        }
        return String.format("0x%08x (%s)", bits & 0xffff_ffffL, Float.intBitsToFloat((int) bits));
    }

    static String describe(String op, RefModel.Fmt fmt, int rm, long... operands) {
        return op + "(" + Arrays.stream(operands).mapToObj(v -> show(fmt, v)).collect(Collectors.joining(", "))
                + ") " + RoundingMode.name(rm);
    }

    /** Renders a result for comparison: bits as the destination format, plus flags. */
    static String result(RefModel.Fmt dst, long bits, int flags) {
        String b = dst == null ? String.format("0x%x", bits) : show(dst, bits);
        return b + " flags=" + FloatFlags.format(flags);
    }

    static void same(String description, RefModel.Fmt dst, RefModel.Res expected, long actualBits, int actualFlags) {
        long mask = dst == null ? -1L : dst.mask();
        assertThat(result(dst, actualBits & mask, actualFlags))
                .as(description)
                .isEqualTo(result(dst, expected.bits(), expected.flags()));
    }

    /**
     * Checks an arithmetic operation twice: with a fresh accumulator, and with one in which NX has
     * already accrued (the steady state of a floating-point loop, where the RNE fast paths may skip
     * the exactness test); the expected flags of the second run are the model's plus NX.
     */
    static void sameInBothFlagStates(String description, RefModel.Fmt dst, RefModel.Res expected,
            ToLongFunction<FloatFlags> op) {
        FloatFlags f = new FloatFlags();
        long r = op.applyAsLong(f);
        same(description, dst, expected, r, f.bits);
        f = new FloatFlags(FloatFlags.NX);
        r = op.applyAsLong(f);
        same(description + " [NX accrued]", dst, new RefModel.Res(expected.bits(), expected.flags() | FloatFlags.NX),
                r, f.bits);
    }
}
