package org.duvisor.rv64.insn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.duvisor.rv64.insn.AluHarness.expect;

import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;

/**
 * The M extension (MUL..REMUW) through the decoder and {@code Interpreter.step} against the
 * independent {@link RefAlu} model, with division by zero and signed overflow frequent.
 */
class MultiplyPropertiesTest {
    private static final List<AluCase> OPS = AluCase.of(AluCase.Group.M);

    @Provide
    Arbitrary<AluTrials.Trial> m() {
        return AluTrials.trials(OPS);
    }

    @Property(tries = 20000, shrinking = ShrinkingMode.OFF)
    void multiplyAndDivideMatchTheModel(@ForAll("m") AluTrials.Trial t) {
        AluHarness.run(t);
    }

    @Example
    void everyOperationOnEveryPairOfEdgeValues() {
        assertThat(OPS).hasSize(13);
        assertThat(AluHarness.sweep(OPS)).isGreaterThan(10_000);
    }

    @Example
    void theDivisionTableOfTheSpecification() {
        long x = 0x1234_5678_9ABC_DEF0L, min = Long.MIN_VALUE;
        // division by zero: quotient all ones, remainder the dividend
        expect(AluCase.DIV, x, 0, -1);
        expect(AluCase.DIVU, x, 0, -1);
        expect(AluCase.REM, x, 0, x);
        expect(AluCase.REMU, x, 0, x);
        expect(AluCase.DIVW, x, 0xFFFF_FFFF_0000_0000L, -1); // only the low word of the divisor counts
        expect(AluCase.DIVUW, x, 0, -1); // 2^32 - 1, sign-extended
        expect(AluCase.REMW, x, 0, 0xFFFF_FFFF_9ABC_DEF0L); // the dividend's low word, sign-extended
        expect(AluCase.REMUW, x, 0, 0xFFFF_FFFF_9ABC_DEF0L);
        expect(AluCase.REMUW, 0x7000_0000L, 0x1_0000_0000L, 0x7000_0000L);
        // signed overflow: quotient the dividend, remainder 0
        expect(AluCase.DIV, min, -1, min);
        expect(AluCase.REM, min, -1, 0);
        expect(AluCase.DIVW, 0x8000_0000L, 0xFFFF_FFFFL, 0xFFFF_FFFF_8000_0000L);
        expect(AluCase.REMW, 0xABCD_0000_8000_0000L, -1, 0);
        expect(AluCase.DIVU, min, -1, 0); // unsigned: no overflow
        expect(AluCase.REMU, min, -1, min);
        // rounding towards zero; the remainder has the dividend's sign
        expect(AluCase.DIV, -7, 2, -3);
        expect(AluCase.REM, -7, 2, -1);
        expect(AluCase.DIV, 7, -2, -3);
        expect(AluCase.REM, 7, -2, 1);
        expect(AluCase.DIVW, -7, 2, -3);
        expect(AluCase.REMW, 7, -2, 1);
        expect(AluCase.DIVUW, -1, 2, 0x7FFF_FFFFL);
        expect(AluCase.DIVUW, -2, 1, -2); // 0xFFFFFFFE, sign-extended
        expect(AluCase.DIVU, -1, 2, Long.MAX_VALUE);
        // products
        expect(AluCase.MUL, min, -1, min);
        expect(AluCase.MULH, min, min, 0x4000_0000_0000_0000L);
        expect(AluCase.MULH, -1, -1, 0);
        expect(AluCase.MULH, -1, 1, -1);
        expect(AluCase.MULHU, -1, -1, -2);
        expect(AluCase.MULHSU, -1, -1, -1); // -1 * (2^64 - 1) = -2^64 + 1
        expect(AluCase.MULHSU, 1, -1, 0);
        expect(AluCase.MULHSU, min, -1, min); // -2^63 * (2^64 - 1) = -2^127 + 2^63
        expect(AluCase.MULHSU, -1, min, -1); // rs2 unsigned: -1 * 2^63, high word all ones
        expect(AluCase.MULH, -1, min, 0); // rs2 signed: -1 * -2^63 = 2^63
        expect(AluCase.MULW, 0x1_0000_0001L, 0x8000_0000L, 0xFFFF_FFFF_8000_0000L);
        expect(AluCase.MULW, 0x10000, 0x10000, 0);
    }
}
