package org.duvisor.rv64.dbt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.duvisor.rv64.dbt.TranslatedAluSequencePropertiesTest.addi;
import static org.duvisor.rv64.dbt.TranslatedAluSequencePropertiesTest.bne;
import static org.duvisor.rv64.dbt.WordComparisonPropertiesTest.iType;
import static org.duvisor.rv64.dbt.WordComparisonPropertiesTest.littleEndian;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import org.duvisor.rv64.exec.Block;
import org.duvisor.rv64.exec.Interpreter;
import org.duvisor.rv64.hart.Cause;
import org.duvisor.rv64.hart.Hart;
import org.duvisor.rv64.insn.AluCase;
import org.duvisor.rv64.insn.AluTrials;
import org.junit.jupiter.api.Test;

/**
 * Registers stored as they are written ({@link WriteThrough}) instead of at the region's exits.
 * A loop writes a temporary first thing in each iteration (so it is one of them), then runs random
 * register operations (some run through the interpreter, which reads the hart's registers) and a
 * load whose address walks off the end of RAM: the load's access fault leaves the region in the
 * middle of an iteration, and every register there, the temporary's new value included, must be
 * what the ISA gives at that instruction: the model's, the interpreter's.
 */
class WriteThroughPropertiesTest {
    static final long BASE = 0x1000, RAM = 1 << 16;
    static final int TEMP = 9, POINTER = 30, COUNTER = 31, LD = 3;

    record Step(AluCase op, int rd, int rs1, int rs2, long imm) {
        @Override
        public String toString() {
            return op.mnemonic + " x" + rd + ", x" + rs1 + ", x" + rs2 + ", " + imm;
        }
    }

    /** steps, then the load into loadRd at position loadAt among them; the pointer steps by 8 and faults in iteration faultAt. */
    record Program(List<Step> steps, int loadAt, int loadRd, long[] initial, int faultAt) {
    }

    private static final List<AluCase> INLINE = AluCase.of(AluCase.Group.RV64I, AluCase.Group.M);
    private static final List<AluCase> CALLED = AluCase.of(AluCase.Group.ZBB);

    static Program program(Random r) {
        int pool = 3 + r.nextInt(6);
        int[] regs = new int[pool];
        regs[0] = TEMP;
        for (int k = 1; k < pool; k++) regs[k] = 1 + r.nextInt(29); // not the pointer or the counter
        List<Step> steps = new ArrayList<>();
        int n = 1 + r.nextInt(20);
        for (int k = 0; k < n; k++) {
            List<AluCase> from = r.nextInt(6) == 0 ? CALLED : INLINE;
            AluCase op = from.get(r.nextInt(from.size()));
            int rs1 = r.nextInt(5) == 0 ? TEMP : regs[r.nextInt(pool)];
            steps.add(new Step(op, regs[r.nextInt(pool)], rs1, regs[r.nextInt(pool)], AluTrials.trial(r, op).imm()));
        }
        long[] initial = new long[32];
        for (int k = 1; k < 30; k++) initial[k] = AluTrials.operand(r);
        int faultAt = 5 + r.nextInt(12);
        initial[POINTER] = RAM - 8L * faultAt;
        initial[COUNTER] = 100;
        return new Program(steps, r.nextInt(n + 1), regs[r.nextInt(pool)], initial, faultAt);
    }

    @Provide
    Arbitrary<Program> programs() {
        return Arbitraries.randomValue(WriteThroughPropertiesTest::program);
    }

    /** What RAM holds at address a (below RAM), so that loads are checked too. */
    static long ramWord(long a) {
        return a * 0x9E37_79B9_7F4A_7C15L;
    }

    static byte[] code(Program p) {
        List<Integer> code = new ArrayList<>();
        code.add(addi(TEMP, COUNTER, 3)); // the temporary: written before any read in the iteration
        for (int k = 0; k <= p.steps().size(); k++) {
            if (k == p.loadAt()) code.add(iType(0x03, LD, p.loadRd(), POINTER, 0));
            if (k < p.steps().size()) {
                Step s = p.steps().get(k);
                code.add(s.op().encode(s.rd(), s.rs1(), s.rs2(), s.imm()));
            }
        }
        code.add(addi(POINTER, POINTER, 8));
        code.add(addi(COUNTER, COUNTER, -1));
        code.add(bne(COUNTER, 0, -4 * code.size()));
        byte[] out = new byte[4 * code.size()];
        for (int k = 0; k < code.size(); k++) {
            for (int j = 0; j < 4; j++) out[4 * k + j] = (byte) (code.get(k) >>> (8 * j));
        }
        return out;
    }

    record Outcome(long[] x, long pc, long instret, long cause, long tval) {
    }

    static Outcome execute(Program p, boolean translate) {
        try (FlatMemory mem = new FlatMemory(RAM)) {
            for (long a = RAM / 2; a < RAM; a += 8) mem.write(a, littleEndian(ramWord(a)));
            FlatMemory.Run run = mem.run(BASE, code(p), p.initial(), translate);
            Hart h = run.hart();
            if (translate) assertThat(run.translated()).as("instructions run in translated code").isPositive();
            assertThat(h.trapPending).as("stopped by a trap").isTrue();
            return new Outcome(h.x.clone(), h.pc, h.instret, h.trapCause, h.trapValue);
        }
    }

    /** The ISA: iterations up to the faulting load, which writes nothing. */
    static Outcome model(Program p) {
        long[] x = p.initial().clone();
        long instret = 0;
        int perIteration = p.steps().size() + 5;
        for (int it = 0; ; it++) {
            x[TEMP] = x[COUNTER] + 3;
            instret++;
            for (int k = 0; k <= p.steps().size(); k++) {
                if (k == p.loadAt()) {
                    if (x[POINTER] >= RAM) {
                        long pc = BASE + 4L * (1 + p.loadAt());
                        return new Outcome(x, pc, instret, Cause.LOAD_ACCESS_FAULT, x[POINTER]);
                    }
                    if (p.loadRd() != 0) x[p.loadRd()] = ramWord(x[POINTER]);
                    instret++;
                }
                if (k < p.steps().size()) {
                    Step s = p.steps().get(k);
                    long v = s.op().expected(x[s.rs1()], x[s.rs2()], s.imm());
                    if (s.rd() != 0) x[s.rd()] = v;
                    instret++;
                }
            }
            x[POINTER] += 8;
            x[COUNTER]--;
            instret += 3;
            assertThat(instret).isEqualTo((long) (it + 1) * perIteration);
        }
    }

    @Property(tries = 1500, shrinking = ShrinkingMode.OFF)
    void stateAtAFaultInsideTheLoopIsPrecise(@ForAll("programs") Program p) {
        Outcome expected = model(p);
        for (boolean translate : new boolean[]{false, true}) {
            Outcome got = execute(p, translate);
            String who = translate ? "translator" : "interpreter";
            assertThat(got.x()).as("%s registers, %s", who, p).containsExactly(expected.x());
            assertThat(got.pc()).as("%s pc", who).isEqualTo(expected.pc());
            assertThat(got.instret()).as("%s instret", who).isEqualTo(expected.instret());
            assertThat(got.cause()).as("%s cause", who).isEqualTo(expected.cause());
            assertThat(got.tval()).as("%s tval", who).isEqualTo(expected.tval());
        }
    }

    /**
     * The choice on a loop of two blocks: x5 is carried around the loop, x6 is read in the second
     * block after the first wrote it (live across the edge), x7 and x8 are written and read within
     * one block, x10 only written; only the block-local ones and x10 are chosen.
     */
    @Test
    void choosesTheRegistersNoEdgeCarries() {
        int[] code = {
            addi(7, 5, 1),      // loop: x7 = x5 + 1      (x7 block-local)
            addi(6, 7, 2),      //       x6 = x7 + 2
            addi(10, 0, 4),     //       x10 = 4          (never read)
            bne(0, 0, 4),       //       (not taken) ends the block
            addi(8, 6, 1),      //       x8 = x6 + 1      (x6 read across the edge)
            addi(5, 8, 1),      //       x5 = x8 + 1      (x8 block-local; x5 carried)
            bne(5, 11, -24),    //       back to loop while x5 != x11
            0x0010_0073,        // ebreak
        };
        byte[] bytes = new byte[4 * code.length];
        for (int k = 0; k < code.length; k++) for (int j = 0; j < 4; j++) bytes[4 * k + j] = (byte) (code[k] >>> (8 * j));
        try (FlatMemory mem = new FlatMemory(RAM)) {
            mem.write(BASE, bytes);
            Interpreter interpreter = new Interpreter(mem.newHart());
            Block first = interpreter.blockAt(BASE), second = interpreter.blockAt(BASE + 16);
            assertThat(first.endPc).isEqualTo(BASE + 16);
            BitSet written = new BitSet();
            for (int r : new int[]{5, 6, 7, 8, 10}) written.set(r);
            BitSet chosen = WriteThrough.choose(List.of(first, second), written, (b, to) -> {
                to.accept(b.endPc);
                if (b == second) to.accept(BASE);
            }, i -> false);
            BitSet expected = new BitSet();
            for (int r : new int[]{7, 8, 10}) expected.set(r);
            assertThat(chosen).isEqualTo(expected);
        }
    }
}
