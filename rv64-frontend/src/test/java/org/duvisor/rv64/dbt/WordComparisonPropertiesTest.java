package org.duvisor.rv64.dbt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import org.duvisor.rv64.exec.Interpreter;
import org.duvisor.rv64.hart.Hart;
import org.duvisor.rv64.insn.AluTrials;

/**
 * Conditional branches on registers that the translator knows to hold sign-extended 32-bit values
 * (it compares those as ints, see {@code RegionEmitter#holdsWord}), and on registers it does not:
 * each operand comes from one of the instructions that produce such a value (ADDIW, SRLIW, LW,
 * LH, LB, LHU, LBU, SLTU, LUI, XORI or ADD x0 of a word) or from one that does not (LWU, MV or
 * ADD x0 of a 64-bit value), and x0, in the branch's block or (split) in the block before it. A
 * counted loop runs the branch with operands that move by random 64-bit steps; the number of
 * times it fell through, and the operands, must be what the ISA defines, under the
 * {@link Interpreter} and under the {@link DbtEngine}.
 */
class WordComparisonPropertiesTest {
    static final long BASE = 0x1000, DATA = 0x2000;
    static final int A = 5, B = 6, FELL = 7, SRC_A = 10, SRC_B = 11, DATA_REG = 12, STEP_A = 13, STEP_B = 14, COUNTER = 31;

    /** How an operand is made from its source register (or from the memory word the loop stores it to). */
    enum Producer {
        SEXT_W, SRLIW, LW, LH, LB, LHU, LBU, SLTU, LUI, XORI_OF_WORD, ADD_X0_OF_WORD, LWU, MV_64, ADD_X0_64, ZERO;

        long value(long source, long imm) {
            return switch (this) {
                case SEXT_W -> (int) source;
                case SRLIW -> (int) ((int) source >>> (imm & 31));
                case LW -> (int) source;
                case LH -> (short) source;
                case LB -> (byte) source;
                case LHU -> source & 0xFFFF;
                case LBU -> source & 0xFF;
                case SLTU -> Long.compareUnsigned(source, signed12(imm)) < 0 ? 1 : 0;
                case LUI -> (int) (imm << 12);
                case XORI_OF_WORD -> (int) source ^ signed12(imm);
                case ADD_X0_OF_WORD -> (int) source;
                case LWU -> source & 0xFFFF_FFFFL;
                case MV_64, ADD_X0_64 -> source;
                case ZERO -> 0;
            };
        }
    }

    enum Branch {
        BEQ(0), BNE(1), BLT(4), BGE(5), BLTU(6), BGEU(7);

        final int funct3;

        Branch(int funct3) {
            this.funct3 = funct3;
        }

        boolean taken(long a, long b) {
            return switch (this) {
                case BEQ -> a == b;
                case BNE -> a != b;
                case BLT -> a < b;
                case BGE -> a >= b;
                case BLTU -> Long.compareUnsigned(a, b) < 0;
                case BGEU -> Long.compareUnsigned(a, b) >= 0;
            };
        }
    }

    /** imm: 20 random bits; LUI takes them all, the I-type immediates the low 12, SRLIW the low 5. */
    record Program(Producer makeA, long immA, Producer makeB, long immB, boolean split, Branch branch, long[] initial, int iterations) {
    }

    /** The low 12 bits of imm, sign-extended: an I-type immediate. */
    static long signed12(long imm) {
        return (imm << 52) >> 52;
    }

    static Program program(Random r) {
        Producer[] all = Producer.values();
        long[] initial = new long[32];
        initial[SRC_A] = AluTrials.operand(r);
        // Often near the other operand, so that equal and adjacent values are compared too.
        initial[SRC_B] = r.nextBoolean() ? initial[SRC_A] + r.nextInt(5) - 2 : AluTrials.operand(r);
        initial[STEP_A] = r.nextInt(4) == 0 ? AluTrials.operand(r) : r.nextInt(1 << 20) - (1 << 19) + (r.nextBoolean() ? 1L << 31 : 0);
        initial[STEP_B] = r.nextBoolean() ? initial[STEP_A] : AluTrials.operand(r);
        initial[DATA_REG] = DATA;
        int iterations = 8 + r.nextInt(24);
        initial[COUNTER] = iterations;
        // A is never x0 (ZERO is last): the branch always reads a produced register first.
        return new Program(all[r.nextInt(all.length - 1)], r.nextLong() & 0xFFFFF, all[r.nextInt(all.length)], r.nextLong() & 0xFFFFF,
                r.nextBoolean(), Branch.values()[r.nextInt(Branch.values().length)], initial, iterations);
    }

    @Provide
    Arbitrary<Program> programs() {
        return Arbitraries.randomValue(WordComparisonPropertiesTest::program);
    }

    // ---- encoding

    static int iType(int opcode, int funct3, int rd, int rs1, long imm) {
        return (int) ((imm & 0xFFF) << 20) | rs1 << 15 | funct3 << 12 | rd << 7 | opcode;
    }

    static int rType(int opcode, int funct3, int funct7, int rd, int rs1, int rs2) {
        return funct7 << 25 | rs2 << 20 | rs1 << 15 | funct3 << 12 | rd << 7 | opcode;
    }

    static int sd(int rs2, int rs1, int offset) {
        return (offset >> 5 & 0x7F) << 25 | rs2 << 20 | rs1 << 15 | 3 << 12 | (offset & 0x1F) << 7 | 0x23;
    }

    static int bType(int funct3, int rs1, int rs2, int offset) {
        int o = offset & 0x1FFF;
        return ((o >>> 12) & 1) << 31 | ((o >>> 5) & 0x3F) << 25 | rs2 << 20 | rs1 << 15 | funct3 << 12
                | ((o >>> 1) & 0xF) << 8 | ((o >>> 11) & 1) << 7 | 0x63;
    }

    static final int LOAD = 0x03, OP_IMM = 0x13, OP_IMM_32 = 0x1B, OP = 0x33, EBREAK = 0x0010_0073;

    /** The instructions that make operand rd from source register src, whose value the loop also keeps at DATA + offset. */
    static void produce(List<Integer> code, Producer p, long imm, int rd, int src, int offset) {
        switch (p) {
            case SEXT_W -> code.add(iType(OP_IMM_32, 0, rd, src, 0));
            case SRLIW -> code.add(iType(OP_IMM_32, 5, rd, src, imm & 31));
            case LW -> code.add(iType(LOAD, 2, rd, DATA_REG, offset));
            case LH -> code.add(iType(LOAD, 1, rd, DATA_REG, offset));
            case LB -> code.add(iType(LOAD, 0, rd, DATA_REG, offset));
            case LHU -> code.add(iType(LOAD, 5, rd, DATA_REG, offset));
            case LBU -> code.add(iType(LOAD, 4, rd, DATA_REG, offset));
            case SLTU -> {
                code.add(iType(OP_IMM, 0, rd, 0, signed12(imm))); // li rd, imm: the bound
                code.add(rType(OP, 3, 0, rd, src, rd));
            }
            case LUI -> code.add((int) (imm << 12) | rd << 7 | 0x37);
            case XORI_OF_WORD -> {
                code.add(iType(OP_IMM_32, 0, rd, src, 0));
                code.add(iType(OP_IMM, 4, rd, rd, imm));
            }
            case LWU -> code.add(iType(LOAD, 6, rd, DATA_REG, offset));
            case ADD_X0_OF_WORD -> {
                code.add(iType(OP_IMM_32, 0, rd, src, 0));
                code.add(rType(OP, 0, 0, rd, 0, rd)); // add rd, x0, rd: C.MV's expansion
            }
            case MV_64 -> code.add(iType(OP_IMM, 0, rd, src, 0));
            case ADD_X0_64 -> code.add(rType(OP, 0, 0, rd, 0, src));
            case ZERO -> { }
        }
    }

    static byte[] code(Program p) {
        List<Integer> code = new ArrayList<>();
        produce(code, p.makeA(), p.immA(), A, SRC_A, 8);
        produce(code, p.makeB(), p.immB(), B, SRC_B, 0);
        // A branch that is never taken ends the block, so that the compare below starts the next
        // one: what holds of its operands then comes from the translator's analysis across blocks.
        if (p.split()) code.add(bType(6, 0, 0, 4)); // bltu x0, x0, +4
        int loopLength = code.size();
        code.add(bType(p.branch().funct3, A, p.makeB() == Producer.ZERO ? 0 : B, 8));
        code.add(iType(OP_IMM, 0, FELL, FELL, 1));
        code.add(rType(OP, 0, 0, SRC_A, SRC_A, STEP_A));
        code.add(rType(OP, 0, 0, SRC_B, SRC_B, STEP_B));
        code.add(sd(SRC_B, DATA_REG, 0));
        code.add(sd(SRC_A, DATA_REG, 8));
        code.add(iType(OP_IMM, 0, COUNTER, COUNTER, -1));
        loopLength += 7;
        code.add(bType(1, COUNTER, 0, -4 * loopLength));
        code.add(EBREAK);
        byte[] out = new byte[4 * code.size()];
        for (int k = 0; k < code.size(); k++) {
            for (int j = 0; j < 4; j++) out[4 * k + j] = (byte) (code.get(k) >>> (8 * j));
        }
        return out;
    }

    record Outcome(long a, long b, long fell, long srcA, long srcB, long translated) {
    }

    static Outcome execute(Program p, boolean translate) {
        try (FlatMemory mem = new FlatMemory(1 << 16)) {
            mem.write(DATA, littleEndian(p.initial()[SRC_B], p.initial()[SRC_A]));
            FlatMemory.Run run = mem.run(BASE, code(p), p.initial(), translate);
            Hart h = run.hart();
            assertThat(h.trapPending).as("ends at the ebreak").isTrue();
            return new Outcome(h.x[A], h.x[B], h.x[FELL], h.x[SRC_A], h.x[SRC_B], run.translated());
        }
    }

    static byte[] littleEndian(long... values) {
        byte[] out = new byte[8 * values.length];
        for (int k = 0; k < out.length; k++) out[k] = (byte) (values[k / 8] >>> (8 * (k % 8)));
        return out;
    }

    /** The ISA's answer, computed directly. */
    static Outcome model(Program p) {
        long srcA = p.initial()[SRC_A], srcB = p.initial()[SRC_B], a = 0, b = 0, fell = 0;
        for (int it = 0; it < p.iterations(); it++) {
            a = p.makeA().value(srcA, p.immA());
            b = p.makeB().value(srcB, p.immB());
            if (!p.branch().taken(a, b)) fell++;
            srcA += p.initial()[STEP_A];
            srcB += p.initial()[STEP_B];
        }
        return new Outcome(a, p.makeB() == Producer.ZERO ? 0 : b, fell, srcA, srcB, 0);
    }

    @Property(tries = 2000, shrinking = ShrinkingMode.OFF)
    void branchesOnWordsAgreeWithTheIsa(@ForAll("programs") Program p) {
        Outcome expected = model(p);
        Outcome interpreted = execute(p, false);
        Outcome translated = execute(p, true);
        assertThat(interpreted).as("interpreter, %s", p).usingRecursiveComparison().ignoringFields("translated").isEqualTo(expected);
        assertThat(translated).as("translator, %s", p).usingRecursiveComparison().ignoringFields("translated").isEqualTo(expected);
        assertThat(translated.translated()).as("instructions run in translated code").isPositive();
    }
}
