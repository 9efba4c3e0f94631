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
 * Zba, Zbb and Zbs (every operation, RV64 encodings) through the decoder and
 * {@code Interpreter.step} against the independent {@link RefAlu} model.
 */
class BitmanipPropertiesTest {
    private static final List<AluCase> ZBA = AluCase.of(AluCase.Group.ZBA);
    private static final List<AluCase> ZBB = AluCase.of(AluCase.Group.ZBB);
    private static final List<AluCase> ZBS = AluCase.of(AluCase.Group.ZBS);

    @Provide
    Arbitrary<AluTrials.Trial> zba() {
        return AluTrials.trials(ZBA);
    }

    @Provide
    Arbitrary<AluTrials.Trial> zbb() {
        return AluTrials.trials(ZBB);
    }

    @Provide
    Arbitrary<AluTrials.Trial> zbs() {
        return AluTrials.trials(ZBS);
    }

    @Property(tries = 10000, shrinking = ShrinkingMode.OFF)
    void zbaMatchesTheModel(@ForAll("zba") AluTrials.Trial t) {
        AluHarness.run(t);
    }

    @Property(tries = 20000, shrinking = ShrinkingMode.OFF)
    void zbbMatchesTheModel(@ForAll("zbb") AluTrials.Trial t) {
        AluHarness.run(t);
    }

    @Property(tries = 10000, shrinking = ShrinkingMode.OFF)
    void zbsMatchesTheModel(@ForAll("zbs") AluTrials.Trial t) {
        AluHarness.run(t);
    }

    @Example
    void everyOperationOnEveryPairOfEdgeValues() {
        assertThat(ZBA).hasSize(8);
        assertThat(ZBB).hasSize(24);
        assertThat(ZBS).hasSize(8);
        assertThat(AluHarness.sweep(ZBA)).isGreaterThan(10_000);
        assertThat(AluHarness.sweep(ZBB)).isGreaterThan(10_000);
        assertThat(AluHarness.sweep(ZBS)).isGreaterThan(10_000);
    }

    @Example
    void valuesFromTheSpecification() {
        long min = Long.MIN_VALUE;
        // Zba
        expect(AluCase.SH1ADD, 3, 1, 7);
        expect(AluCase.SH3ADD, -1, 0, -8);
        expect(AluCase.ADD_UW, 0xFFFF_FFFF_FFFF_FFFFL, 1, 0x1_0000_0000L); // "add.uw rd, rs1, zero" = zext.w
        expect(AluCase.SH2ADD_UW, 0xABCD_EF01_8000_0000L, 0, 0x2_0000_0000L);
        expect(AluCase.SH3ADD_UW, 0xFFFF_FFFFL, -1, 0x7_FFFF_FFF7L);
        expect(AluCase.SLLI_UW, 0xFFFF_FFFF_8000_0001L, 0, 0x8000_0001L);
        expect(AluCase.SLLI_UW, 0xFFFF_FFFF_8000_0001L, 32, 0x8000_0001_0000_0000L);
        expect(AluCase.SLLI_UW, 0xFFFF_FFFFL, 63, min);
        // Zbb
        expect(AluCase.ANDN, -1, 0xFF, ~0xFFL);
        expect(AluCase.ORN, 0, 0xFF, ~0xFFL);
        expect(AluCase.XNOR, 0x0F, 0x0F, -1);
        expect(AluCase.MAX, -1, 1, 1);
        expect(AluCase.MAXU, -1, 1, -1);
        expect(AluCase.MIN, min, Long.MAX_VALUE, min);
        expect(AluCase.MINU, min, Long.MAX_VALUE, Long.MAX_VALUE);
        expect(AluCase.ROL, min, 1, 1);
        expect(AluCase.ROL, 1, 64 + 63, min); // only the low 6 bits
        expect(AluCase.ROR, 1, 1, min);
        expect(AluCase.ROLW, 0x8000_0000L, 1, 1);
        expect(AluCase.ROLW, 0x4000_0000L, 33, 0xFFFF_FFFF_8000_0000L); // low 5 bits; result sign-extended
        expect(AluCase.RORW, 1, 1, 0xFFFF_FFFF_8000_0000L);
        expect(AluCase.RORW, 0xFFFF_FFFF_0000_0002L, 32, 2);
        expect(AluCase.RORI, 0xF, 4, 0xF000_0000_0000_0000L);
        expect(AluCase.RORIW, 0x1_0000_0001L, 1, 0xFFFF_FFFF_8000_0000L);
        expect(AluCase.CLZ, 0, 0, 64);
        expect(AluCase.CLZ, -1, 0, 0);
        expect(AluCase.CLZ, 1, 0, 63);
        expect(AluCase.CTZ, 0, 0, 64);
        expect(AluCase.CTZ, min, 0, 63);
        expect(AluCase.CPOP, -1, 0, 64);
        expect(AluCase.CLZW, 0xFFFF_FFFF_0000_0000L, 0, 32);
        expect(AluCase.CLZW, 0x8000_0000L, 0, 0);
        expect(AluCase.CTZW, 0xFFFF_FFFF_0000_0000L, 0, 32);
        expect(AluCase.CTZW, 0x10, 0, 4);
        expect(AluCase.CPOPW, -1, 0, 32);
        expect(AluCase.ORC_B, 0x0001_0080_0000_2000L, 0, 0x00FF_00FF_0000_FF00L);
        expect(AluCase.REV8, 0x0102_0304_0506_0708L, 0, 0x0807_0605_0403_0201L);
        expect(AluCase.SEXT_B, 0x1234_5680L, 0, 0xFFFF_FFFF_FFFF_FF80L);
        expect(AluCase.SEXT_B, 0x7F, 0, 0x7F);
        expect(AluCase.SEXT_H, 0x1234_8000L, 0, 0xFFFF_FFFF_FFFF_8000L);
        expect(AluCase.ZEXT_H, -1, 0, 0xFFFF);
        // Zbs: the index is the low 6 bits
        expect(AluCase.BSET, 0, 63, min);
        expect(AluCase.BSET, 0, 64, 1);
        expect(AluCase.BCLR, -1, 63 + 64, Long.MAX_VALUE);
        expect(AluCase.BINV, 0, 32, 0x1_0000_0000L);
        expect(AluCase.BEXT, min, 63, 1);
        expect(AluCase.BEXT, min, -1, 1);
        expect(AluCase.BEXT, 1, 64, 1);
        expect(AluCase.BSETI, 0, 63, min);
        expect(AluCase.BCLRI, -1, 0, -2);
        expect(AluCase.BINVI, -1, 31, ~0x8000_0000L);
        expect(AluCase.BEXTI, 0x8000_0000L, 31, 1);
    }
}
