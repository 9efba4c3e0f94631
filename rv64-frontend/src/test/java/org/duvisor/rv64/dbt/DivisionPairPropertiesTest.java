package org.duvisor.rv64.dbt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.duvisor.rv64.dbt.WordComparisonPropertiesTest.bType;
import static org.duvisor.rv64.dbt.WordComparisonPropertiesTest.iType;
import static org.duvisor.rv64.dbt.WordComparisonPropertiesTest.rType;
import static org.duvisor.rv64.dbt.WordComparisonPropertiesTest.sd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import org.duvisor.rv64.exec.Interpreter;
import org.duvisor.rv64.hart.Hart;
import org.duvisor.rv64.insn.AluTrials;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * A division and the other half of it on the same registers (DIV then REM, REMU then DIVU, ...),
 * which the translator computes from one quotient ({@code RegionEmitter#rememberQuotient}): with
 * nothing, an unrelated instruction, a store, a write of either operand, or a block boundary
 * between them, and with the first one's destination an operand or not. Operands include the
 * ISA's special cases (division by zero, the most negative value divided by -1, in 64 and 32
 * bits). A counted loop runs the pair; the final registers must be what the M extension's table
 * defines, under the {@link Interpreter} and under the {@link DbtEngine}.
 */
class DivisionPairPropertiesTest {
    static final long BASE = 0x1000, DATA = 0x2000;
    static final int A = 5, B = 6, FIRST = 7, SECOND = 8, OTHER = 20, DATA_REG = 12, STEP_A = 13, STEP_B = 14, COUNTER = 31;
    static final int OP = 0x33, OP_32 = 0x3B, OP_IMM = 0x13, EBREAK = 0x0010_0073;

    enum Division {
        DIV(OP, 4), DIVU(OP, 5), REM(OP, 6), REMU(OP, 7), DIVW(OP_32, 4), DIVUW(OP_32, 5), REMW(OP_32, 6), REMUW(OP_32, 7);

        final int opcode, funct3;

        Division(int opcode, int funct3) {
            this.opcode = opcode;
            this.funct3 = funct3;
        }

        /** The other half: the remainder of a quotient, the quotient of a remainder. */
        Division partner() {
            return values()[ordinal() ^ 2];
        }

        int encode(int rd, int rs1, int rs2) {
            return rType(opcode, funct3, 1, rd, rs1, rs2);
        }

        /** The table of the M extension's "Division Operations", and the operation otherwise. */
        long result(long a, long b) {
            int x = (int) a, y = (int) b;
            return switch (this) {
                case DIV -> b == 0 ? -1 : a == Long.MIN_VALUE && b == -1 ? a : a / b;
                case DIVU -> b == 0 ? -1 : Long.divideUnsigned(a, b);
                case REM -> b == 0 ? a : a == Long.MIN_VALUE && b == -1 ? 0 : a % b;
                case REMU -> b == 0 ? a : Long.remainderUnsigned(a, b);
                case DIVW -> y == 0 ? -1 : x == Integer.MIN_VALUE && y == -1 ? x : x / y;
                case DIVUW -> y == 0 ? -1 : Integer.divideUnsigned(x, y);
                case REMW -> y == 0 ? x : x == Integer.MIN_VALUE && y == -1 ? 0 : x % y;
                case REMUW -> y == 0 ? x : Integer.remainderUnsigned(x, y);
            };
        }
    }

    /** What comes between the two halves. */
    enum Between { NOTHING, UNRELATED, STORE, WRITE_RS1, WRITE_RS2, NEW_BLOCK }

    /** firstRd: FIRST, or an operand register (A or B), so that the first half changes an input of the second. */
    record Program(Division first, Between between, int firstRd, long[] initial, int iterations) {
    }

    static long special(Random r, boolean dividend) {
        return switch (r.nextInt(6)) {
            case 0 -> 0;
            case 1 -> -1;
            case 2 -> dividend ? Long.MIN_VALUE : 1;
            case 3 -> dividend ? Integer.MIN_VALUE : 0xFFFF_FFFFL; // -1 in the low word only
            default -> AluTrials.operand(r);
        };
    }

    static Program program(Random r) {
        long[] initial = new long[32];
        initial[A] = special(r, true);
        initial[B] = special(r, false);
        // Often steps of 0, so that the special operands stay for every iteration.
        initial[STEP_A] = r.nextBoolean() ? 0 : AluTrials.operand(r);
        initial[STEP_B] = r.nextBoolean() ? 0 : r.nextInt(7) - 3;
        initial[DATA_REG] = DATA;
        int iterations = 8 + r.nextInt(16);
        initial[COUNTER] = iterations;
        int[] rds = {FIRST, FIRST, A, B};
        return new Program(Division.values()[r.nextInt(8)], Between.values()[r.nextInt(Between.values().length)], rds[r.nextInt(4)],
                initial, iterations);
    }

    @Provide
    Arbitrary<Program> programs() {
        return Arbitraries.randomValue(DivisionPairPropertiesTest::program);
    }

    static byte[] code(Program p) {
        List<Integer> code = new ArrayList<>();
        code.add(p.first().encode(p.firstRd(), A, B));
        switch (p.between()) {
            case NOTHING -> { }
            case UNRELATED -> code.add(iType(OP_IMM, 0, OTHER, OTHER, 1));
            case STORE -> code.add(sd(FIRST, DATA_REG, 0));
            case WRITE_RS1 -> code.add(iType(OP_IMM, 0, A, A, 1));
            case WRITE_RS2 -> code.add(iType(OP_IMM, 0, B, B, 1));
            case NEW_BLOCK -> code.add(bType(6, 0, 0, 4)); // bltu x0, x0, +4: never taken, ends the block
        }
        code.add(p.first().partner().encode(SECOND, A, B));
        code.add(rType(OP, 0, 0, A, A, STEP_A));
        code.add(rType(OP, 0, 0, B, B, STEP_B));
        code.add(iType(OP_IMM, 0, COUNTER, COUNTER, -1));
        code.add(bType(1, COUNTER, 0, -4 * code.size()));
        code.add(EBREAK);
        byte[] out = new byte[4 * code.size()];
        for (int k = 0; k < code.size(); k++) {
            for (int j = 0; j < 4; j++) out[4 * k + j] = (byte) (code.get(k) >>> (8 * j));
        }
        return out;
    }

    record Outcome(long a, long b, long first, long second, long other) {
    }

    static Outcome execute(Program p, boolean translate) {
        try (FlatMemory mem = new FlatMemory(1 << 16)) {
            FlatMemory.Run run = mem.run(BASE, code(p), p.initial(), translate);
            Hart h = run.hart();
            assertThat(h.trapPending).as("ends at the ebreak").isTrue();
            if (translate) assertThat(run.translated()).as("instructions run in translated code").isPositive();
            return new Outcome(h.x[A], h.x[B], h.x[FIRST], h.x[SECOND], h.x[OTHER]);
        }
    }

    /** The ISA's answer, computed directly. */
    static Outcome model(Program p) {
        long[] x = p.initial().clone();
        for (int it = 0; it < p.iterations(); it++) {
            x[p.firstRd()] = p.first().result(x[A], x[B]);
            switch (p.between()) {
                case UNRELATED -> x[OTHER]++;
                case WRITE_RS1 -> x[A]++;
                case WRITE_RS2 -> x[B]++;
                default -> { }
            }
            x[SECOND] = p.first().partner().result(x[A], x[B]);
            x[A] += x[STEP_A];
            x[B] += x[STEP_B];
        }
        return new Outcome(x[A], x[B], x[FIRST], x[SECOND], x[OTHER]);
    }

    @Property(tries = 1500, shrinking = ShrinkingMode.OFF)
    void divisionPairsAgreeWithTheIsa(@ForAll("programs") Program p) {
        Outcome expected = model(p);
        assertThat(execute(p, false)).as("interpreter, %s", p).isEqualTo(expected);
        assertThat(execute(p, true)).as("translator, %s", p).isEqualTo(expected);
    }

    /** The translated pair divides once where nothing between the halves changes an operand. */
    @Test
    void aPairInOneBlockDividesOnce(@TempDir Path dump) throws IOException {
        for (Division d : Division.values()) {
            for (Between between : List.of(Between.NOTHING, Between.UNRELATED, Between.STORE, Between.WRITE_RS1)) {
                long[] initial = new long[32];
                initial[A] = 1000;
                initial[B] = 7;
                initial[DATA_REG] = DATA;
                initial[COUNTER] = 20;
                Program p = new Program(d, between, FIRST, initial, 20);
                Path dir = dump.resolve(d + "-" + between);
                String before = System.getProperty("dv.dump");
                System.setProperty("dv.dump", dir.toString());
                try {
                    assertThat(execute(p, true)).isEqualTo(model(p));
                } finally {
                    if (before == null) System.clearProperty("dv.dump");
                    else System.setProperty("dv.dump", before);
                }
                int expected = between == Between.WRITE_RS1 ? 2 : 1;
                assertThat(divisionCalls(dir)).as("%s, %s between", d, between).isEqualTo(expected);
            }
        }
    }

    /** Calls of Multiply's division functions in the classes dumped to dir (one region here). */
    static int divisionCalls(Path dir) throws IOException {
        int[] calls = {0};
        List<Path> classes;
        try (Stream<Path> files = Files.list(dir)) {
            classes = files.toList();
        }
        assertThat(classes).as("dumped regions").hasSize(1);
        new ClassReader(Files.readAllBytes(classes.get(0))).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitMethodInsn(int opcode, String owner, String method, String desc, boolean itf) {
                        if (owner.endsWith("/Multiply") && (method.startsWith("div") || method.startsWith("rem"))) calls[0]++;
                    }
                };
            }
        }, 0);
        return calls[0];
    }
}
