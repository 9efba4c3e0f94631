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
import org.duvisor.rv64.hart.Cause;
import org.duvisor.rv64.hart.Hart;
import org.duvisor.rv64.insn.AluCase;
import org.duvisor.rv64.insn.AluTrials;

/**
 * Random straight-line sequences of RV64I, M, Zba, Zbb and Zbs register operations, closed into a
 * counted loop so that the block becomes hot and is translated (hot threshold 3), run under the
 * {@link Interpreter} and under the {@link DbtEngine}: the final registers, pc and instret must be
 * equal, and equal to the independent model applied to the sequence.
 */
class TranslatedAluSequencePropertiesTest {
    static final long BASE = 0x1000;
    static final int COUNTER = 31; // loop counter: read by the sequence, never written

    record Step(AluCase op, int rd, int rs1, int rs2, long imm) {
        int encode() {
            return op.encode(rd, rs1, rs2, imm);
        }

        @Override
        public String toString() {
            return op.mnemonic + " x" + rd + ", x" + rs1 + (op.readsRs2() ? ", x" + rs2 : "") + (op.hasImmediate() ? ", " + imm : "");
        }
    }

    record Program(List<Step> steps, long[] initial, int iterations) {
        @Override
        public String toString() {
            StringBuilder b = new StringBuilder("iterations=" + iterations + "\n");
            for (int k = 1; k < 32; k++) b.append(String.format("  x%d=0x%016x%n", k, initial[k]));
            for (Step s : steps) b.append("  ").append(s).append('\n');
            return b.toString();
        }
    }

    private static final List<AluCase> INLINE = AluCase.of(AluCase.Group.RV64I, AluCase.Group.M);
    private static final List<AluCase> BITMANIP = AluCase.of(AluCase.Group.ZBA, AluCase.Group.ZBB, AluCase.Group.ZBS);
    /*
     * Zb* instructions are translated as calls to the interpreter, each spilling and reloading the
     * region's registers; a single block with too many of them exceeds the translator's bytecode
     * budget and (by design) stays interpreted. Keep below that so that every program is translated.
     */
    private static final int MAX_BITMANIP = 12;

    static Program program(Random r) {
        int n = 1 + r.nextInt(40);
        // A few registers make dependences between the steps likely; sometimes use all of them.
        int pool = r.nextBoolean() ? 4 + r.nextInt(5) : 31;
        int[] regs = new int[pool];
        for (int k = 0; k < pool; k++) regs[k] = r.nextInt(8) == 0 ? 0 : 1 + r.nextInt(30);
        List<Step> steps = new ArrayList<>();
        int bitmanip = 0;
        for (int k = 0; k < n; k++) {
            boolean zb = bitmanip < MAX_BITMANIP && r.nextInt(3) == 0;
            if (zb) bitmanip++;
            List<AluCase> from = zb ? BITMANIP : INLINE;
            AluCase op = from.get(r.nextInt(from.size()));
            AluTrials.Trial t = AluTrials.trial(r, op);
            int rd = regs[r.nextInt(pool)];
            int rs1 = r.nextInt(10) == 0 ? COUNTER : regs[r.nextInt(pool)];
            int rs2 = regs[r.nextInt(pool)];
            steps.add(new Step(op, rd, rs1, rs2, t.imm()));
        }
        long[] initial = new long[32];
        for (int k = 1; k < 31; k++) initial[k] = AluTrials.operand(r);
        int iterations = 4 + r.nextInt(9);
        initial[COUNTER] = iterations;
        return new Program(steps, initial, iterations);
    }

    @Provide
    Arbitrary<Program> programs() {
        return Arbitraries.randomValue(TranslatedAluSequencePropertiesTest::program);
    }

    // ---- encoding of the loop around the sequence

    static int addi(int rd, int rs1, int imm) {
        return ((imm & 0xFFF) << 20) | (rs1 << 15) | (rd << 7) | 0x13;
    }

    static int bne(int rs1, int rs2, int offset) {
        int o = offset & 0x1FFF;
        return ((o >>> 12) & 1) << 31 | ((o >>> 5) & 0x3F) << 25 | rs2 << 20 | rs1 << 15 | 1 << 12
                | ((o >>> 1) & 0xF) << 8 | ((o >>> 11) & 1) << 7 | 0x63;
    }

    static final int EBREAK = 0x0010_0073;

    static byte[] code(Program p) {
        List<Integer> words = new ArrayList<>();
        for (Step s : p.steps()) words.add(s.encode());
        words.add(addi(COUNTER, COUNTER, -1));
        words.add(bne(COUNTER, 0, -4 * (p.steps().size() + 1)));
        words.add(EBREAK);
        byte[] out = new byte[4 * words.size()];
        for (int k = 0; k < words.size(); k++) {
            int w = words.get(k);
            for (int j = 0; j < 4; j++) out[4 * k + j] = (byte) (w >>> (8 * j));
        }
        return out;
    }

    record Outcome(long[] x, long pc, long instret, boolean trap, long cause, long translated) {
    }

    static Outcome execute(Program p, boolean translate) {
        try (FlatMemory mem = new FlatMemory(1 << 16)) {
            FlatMemory.Run run = mem.run(BASE, code(p), p.initial(), translate);
            Hart h = run.hart();
            if (translate) assertThat(run.stats().regionsCompiled).as("regions compiled").isPositive();
            long translated = run.translated();
            return new Outcome(h.x.clone(), h.pc, h.instret, h.trapPending, h.trapCause, translated);
        }
    }

    /** The model: the sequence applied {@code iterations} times with {@link AluCase#expected}. */
    static long[] model(Program p) {
        long[] x = p.initial().clone();
        for (int it = 0; it < p.iterations(); it++) {
            for (Step s : p.steps()) {
                long v = s.op().expected(x[s.rs1()], x[s.rs2()], s.imm());
                if (s.rd() != 0) x[s.rd()] = v;
            }
            x[COUNTER]--;
        }
        return x;
    }

    @Property(tries = 4000, shrinking = ShrinkingMode.OFF)
    void translatedSequencesAgreeWithTheInterpreterAndTheModel(@ForAll("programs") Program p) {
        Outcome interp = execute(p, false);
        Outcome dbt = execute(p, true);
        long[] model = model(p);
        long ebreakPc = BASE + 4L * (p.steps().size() + 2);
        long instret = (long) p.iterations() * (p.steps().size() + 2);

        assertThat(interp.trap()).as("interpreter stops at the ebreak").isTrue();
        assertThat(interp.cause()).isEqualTo(Cause.BREAKPOINT);
        assertThat(interp.pc()).isEqualTo(ebreakPc);
        assertThat(interp.instret()).isEqualTo(instret);
        assertThat(interp.x()).as("interpreter registers vs model\n%s", p).containsExactly(model);

        assertThat(dbt.translated()).as("instructions run as translated code").isPositive();
        assertThat(dbt.trap()).isTrue();
        assertThat(dbt.cause()).isEqualTo(Cause.BREAKPOINT);
        assertThat(dbt.x()).as("translated registers vs interpreter\n%s", p).containsExactly(interp.x());
        assertThat(dbt.pc()).as("pc").isEqualTo(interp.pc());
        assertThat(dbt.instret()).as("instret").isEqualTo(interp.instret());
    }
}
