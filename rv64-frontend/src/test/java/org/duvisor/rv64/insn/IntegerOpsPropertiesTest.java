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
 * RV64I register and immediate arithmetic (ADD..SRAW, ADDI..SRAIW) through the decoder and
 * {@code Interpreter.step} against the independent {@link RefAlu} model.
 */
class IntegerOpsPropertiesTest {
    private static final List<AluCase> OPS = AluCase.of(AluCase.Group.RV64I);

    @Provide
    Arbitrary<AluTrials.Trial> rv64i() {
        return AluTrials.trials(OPS);
    }

    @Property(tries = 20000, shrinking = ShrinkingMode.OFF)
    void rv64iOperationsMatchTheModel(@ForAll("rv64i") AluTrials.Trial t) {
        AluHarness.run(t);
    }

    @Example
    void everyOperationOnEveryPairOfEdgeValues() {
        assertThat(OPS).hasSize(28);
        assertThat(AluHarness.sweep(OPS)).isGreaterThan(10_000);
    }

    @Example
    void valuesFromTheSpecification() {
        long min = Long.MIN_VALUE;
        expect(AluCase.ADD, Long.MAX_VALUE, 1, min); // overflow is ignored
        expect(AluCase.SUB, 0, 1, -1);
        expect(AluCase.ADDW, 0x7FFF_FFFFL, 1, 0xFFFF_FFFF_8000_0000L); // 32-bit result, sign-extended
        expect(AluCase.ADDW, 0x1234_5678_0000_0001L, 0, 1); // upper bits ignored
        expect(AluCase.SUBW, 0x8000_0000L, 1, 0x7FFF_FFFFL);
        expect(AluCase.ADDIW, 0x8000_0000L, 0, 0xFFFF_FFFF_8000_0000L); // "addiw rd, rs1, 0" = sext.w
        expect(AluCase.ADDIW, 0x7FFF_FFFFL, 1, 0xFFFF_FFFF_8000_0000L);
        expect(AluCase.ADDI, 0, -2048, -2048);
        expect(AluCase.SLT, -1, 0, 1);
        expect(AluCase.SLTU, -1, 0, 0);
        expect(AluCase.SLTU, 0, -1, 1);
        expect(AluCase.SLTIU, 5, -1, 1); // the immediate is sign-extended, then compared as unsigned: 5 < 2^64-1
        expect(AluCase.SLTIU, 0, 1, 1); // "sltiu rd, rs1, 1" = seqz
        expect(AluCase.SLTIU, -1, -1, 0);
        expect(AluCase.SLTI, -1, 0, 1);
        expect(AluCase.XORI, 0x0F0F, -1, ~0x0F0FL); // "xori rd, rs1, -1" = not
        expect(AluCase.ANDI, -1, -2048, -2048);
        expect(AluCase.SLL, 1, 64, 1); // only the low 6 bits of rs2
        expect(AluCase.SLL, 1, 63 | 0xFFC0, min);
        expect(AluCase.SRL, min, 63, 1);
        expect(AluCase.SRA, min, 63, -1);
        expect(AluCase.SRA, min, 0x40, min);
        expect(AluCase.SLLW, 1, 31, 0xFFFF_FFFF_8000_0000L);
        expect(AluCase.SLLW, 1, 32, 1); // only the low 5 bits
        expect(AluCase.SRLW, 0xFFFF_FFFF_8000_0000L, 31, 1);
        expect(AluCase.SRLW, 0x8000_0000L, 0, 0xFFFF_FFFF_8000_0000L); // the 32-bit result is sign-extended
        expect(AluCase.SRAW, 0x0000_0000_8000_0000L, 31, -1);
        expect(AluCase.SRAW, 0xFFFF_FFFF_7FFF_FFFFL, 30, 1);
        expect(AluCase.SLLI, 3, 63, min);
        expect(AluCase.SRLI, -1, 32, 0xFFFF_FFFFL);
        expect(AluCase.SRAI, 0x8000_0000_0000_0000L, 32, 0xFFFF_FFFF_8000_0000L);
        expect(AluCase.SLLIW, 0xFFFF_FFFF_0000_0001L, 31, 0xFFFF_FFFF_8000_0000L);
        expect(AluCase.SRLIW, 0x8000_0000L, 31, 1);
        expect(AluCase.SRLIW, 0x8000_0000L, 0, 0xFFFF_FFFF_8000_0000L);
        expect(AluCase.SRAIW, 0x8000_0000L, 31, -1);
    }
}
