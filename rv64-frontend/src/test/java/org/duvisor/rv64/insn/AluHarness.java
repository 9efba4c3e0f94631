package org.duvisor.rv64.insn;

import java.util.Random;
import org.duvisor.dbt.memory.HostMemory;
import org.duvisor.dbt.memory.SoftTlb;
import org.duvisor.rv64.exec.Interpreter;
import org.duvisor.rv64.hart.Hart;
import org.duvisor.rv64.isa.Decoder;
import org.duvisor.rv64.isa.Insn;

/**
 * Runs one {@link AluTrials.Trial} the way the emulator would: encodes the word, decodes it with
 * {@link Decoder#decode}, executes it with {@link Interpreter#step} on a hart whose other registers
 * hold unrelated values, and requires rd to equal the {@link RefAlu} model, x0 to stay 0, every
 * other register to be unchanged, no trap and the next pc to be pc + 4.
 */
public final class AluHarness {
    private AluHarness() {
    }

    // No memory access happens; the TLB only has to exist. One per thread (jqwik runs sequentially).
    private static final ThreadLocal<Hart> HART = ThreadLocal.withInitial(() -> {
        HostMemory memory = HostMemory.reserve(1 << 20);
        return new Hart(0, new SoftTlb(64, memory.segment()));
    });

    /** Decodes {@code word}, checking that the decoder recovers the operation and its operands. */
    public static Insn decode(AluTrials.Trial t, int word) {
        Insn i = Decoder.decode(word);
        String what = String.format("decode(0x%08x) for %s", word, t);
        if (i == null) throw new AssertionError(what + ": decoded as illegal");
        check(i.op.mnemonic.equals(t.op().mnemonic), what, "op " + i.op.mnemonic);
        check(i.length == 4, what, "length " + i.length);
        check(i.rd == t.rd(), what, "rd " + i.rd);
        check(i.rs1 == t.rs1(), what, "rs1 " + i.rs1);
        if (t.op().readsRs2()) check(i.rs2 == t.rs2(), what, "rs2 " + i.rs2);
        if (t.op().hasImmediate()) check(i.imm == t.imm(), what, "imm " + i.imm);
        return i;
    }

    private static void check(boolean ok, String what, String got) {
        if (!ok) throw new AssertionError(what + ": got " + got);
    }

    /** Executes the trial on a fresh register file and checks every register against the model. */
    public static void run(AluTrials.Trial t) {
        Hart h = HART.get();
        h.clearTrap();
        Random background = new Random(t.backgroundSeed());
        h.x[0] = 0;
        for (int k = 1; k < 32; k++) h.x[k] = background.nextLong();
        if (t.rs1() != 0) h.x[t.rs1()] = t.a();
        if (t.rs2() != 0) h.x[t.rs2()] = t.b(); // if rs2 == rs1, both read b
        long a = t.rs1() == 0 ? 0 : h.x[t.rs1()];
        long b = t.rs2() == 0 ? 0 : h.x[t.rs2()];

        int word = t.op().encode(t.rd(), t.rs1(), t.rs2(), t.imm());
        Insn insn = decode(t, word);

        long[] expected = h.x.clone();
        long model = t.op().expected(a, b, t.imm());
        if (t.rd() != 0) expected[t.rd()] = model;

        long pc = 0x8000_0000L + 4L * (background.nextInt(1 << 20));
        long next = Interpreter.step(h, insn, pc);

        String what = String.format("%s (word 0x%08x; rs1 reads 0x%016x, rs2 reads 0x%016x)", t, word, a, b);
        if (h.trapPending) throw new AssertionError(what + ": raised trap cause " + h.trapCause);
        if (next != pc + 4) throw new AssertionError(what + ": next pc 0x" + Long.toHexString(next) + ", expected pc + 4");
        for (int k = 0; k < 32; k++) {
            if (h.x[k] != expected[k]) {
                String role = k == 0 ? "x0 (hard-wired zero)" : k == t.rd() ? "rd x" + k : "untouched x" + k;
                throw new AssertionError(String.format("%s: %s = 0x%016x, expected 0x%016x (model result 0x%016x)",
                        what, role, h.x[k], expected[k], model));
            }
        }
    }

    /**
     * Every operation against every pair of {@link AluTrials#EDGES} (or every edge value and every
     * legal shift amount / edge immediate), in four register arrangements: distinct, rd = x0,
     * rd == rs1 and rd == rs1 == rs2. Returns the number of instructions checked.
     */
    public static int sweep(java.util.List<AluCase> ops) {
        int n = 0;
        long seed = 1;
        int[][] arrangements = {{5, 6, 7}, {0, 6, 7}, {9, 9, 10}, {11, 11, 11}};
        for (AluCase op : ops) {
            long[] seconds = switch (op.kind) {
                case R -> AluTrials.EDGES;
                case I -> AluTrials.IMM12_EDGES;
                case SHIFT64 -> java.util.stream.LongStream.range(0, 64).toArray();
                case SHIFT32 -> java.util.stream.LongStream.range(0, 32).toArray();
                case UNARY -> new long[]{0};
            };
            long[] firsts = op.kind == AluCase.Kind.UNARY ? unaryOperands() : AluTrials.EDGES;
            for (long a : firsts) {
                for (long second : seconds) {
                    for (int[] r : arrangements) {
                        long b = op.readsRs2() ? second : 0x0BAD_0BAD_0BAD_0BADL;
                        long imm = op.hasImmediate() ? second : 0;
                        run(new AluTrials.Trial(op, r[0], r[1], r[2], a, b, imm, seed++));
                        n++;
                    }
                }
            }
        }
        return n;
    }

    /** The edge values, every single bit, every low mask and every high mask. */
    private static long[] unaryOperands() {
        java.util.List<Long> v = new java.util.ArrayList<>();
        for (long e : AluTrials.EDGES) v.add(e);
        for (int k = 0; k < 64; k++) {
            v.add(1L << k);
            v.add((1L << k) - 1);
            v.add(-(1L << k));
        }
        return v.stream().mapToLong(Long::longValue).toArray();
    }

    /**
     * A value written down from the specification's text: the model must give it, and so must the
     * emulator. {@code second} is rs2's value or the immediate, per the operation's format.
     */
    public static void expect(AluCase op, long a, long second, long expected) {
        long model = op.expected(a, second, second);
        if (model != expected) {
            throw new AssertionError(String.format("model %s(0x%x, 0x%x) = 0x%x, the specification says 0x%x",
                    op.mnemonic, a, second, model, expected));
        }
        run(new AluTrials.Trial(op, 12, 13, 14, a, op.readsRs2() ? second : 0, op.hasImmediate() ? second : 0, 42));
    }
}
