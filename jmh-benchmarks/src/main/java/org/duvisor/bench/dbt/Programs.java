package org.duvisor.bench.dbt;

import static org.duvisor.bench.dbt.GuestAsm.*;

/**
 * The guest programs of the benchmarks. Code starts at {@link #CODE}; "far" code is placed
 * {@link #FAR} apart, twice the translator's region span (16 KiB), so that it always lands in a
 * region of its own and control reaches it through a dispatcher exit; "near" code is within the
 * span, so the translator puts it in the same region and the jumps are JVM branches.
 */
final class Programs {
    static final long CODE = 0x1000;
    static final long FAR = 0x8000;
    static final long TABLE = 0x30_0000;
    static final long DATA = 0x20_0000;

    /** Region transitions (or would-be transitions) per run of a dispatch program. */
    static final int TRANSITIONS = 1 << 16;
    /** Functions in the ring of {@link #ring}: enough region classes that the dispatcher's call site is megamorphic. */
    static final int RING = 8;
    /** Jump-table targets of {@link #indirect}: each exit goes elsewhere than the previous one. */
    static final int TARGETS = 16;

    /** Memory accesses per run of a memory program (8 per loop iteration). */
    static final int ACCESSES = 1 << 15;
    static final int MEM_ITERATIONS = ACCESSES / 8;

    private Programs() {
    }

    private static long[] regs() {
        return new long[32];
    }

    /**
     * A ring of {@link #RING} functions, each jumping (jal) to the next; the first counts the laps.
     * Far: every jal is a direct exit followed through the chained successor; near: one region.
     */
    static Program ring(boolean far) {
        int laps = TRANSITIONS / RING;
        GuestAsm a = new GuestAsm().org(CODE)
                .label("f0").addi(T0, T0, -1).beq(T0, ZERO, "done").jal(ZERO, "f1")
                .label("done").ebreak();
        for (int i = 1; i < RING; i++) {
            a.org(far ? CODE + i * FAR : CODE + 0x100 + 0x10L * i).label("f" + i).jal(ZERO, "f" + ((i + 1) % RING));
        }
        long[] r = regs();
        r[T0] = laps + 1; // laps full laps, then f0 leaves
        long chained = far ? (long) laps * RING : 0;
        return new Program(far ? "ring-chained" : "ring-one-region", a.link(), CODE, r, new long[]{chained, 0, 0, 0});
    }

    /**
     * A loop that jumps through a table (jalr) to one of {@link #TARGETS} stubs, each jumping back
     * (jal). {@code kind}: "missed" - far stubs, a different one each time (a code-cache lookup per
     * jalr exit); "predicted" - every entry the same far stub (the exit site's cached successor);
     * "one-region" - every entry the same near stub (an in-region guess, no exit).
     */
    static Program indirect(String kind) {
        boolean far = !kind.equals("one-region");
        boolean all = kind.equals("missed");
        int iterations = TRANSITIONS / 2;
        GuestAsm a = new GuestAsm().org(CODE)
                .label("top").addi(T0, T0, -1).beq(T0, ZERO, "done")
                .andi(T1, T0, TARGETS - 1).slli(T1, T1, 3).add(T1, T1, S1).ld(T1, 0, T1).jalr(ZERO, 0, T1)
                .label("done").ebreak();
        a.org(far ? CODE + FAR : CODE + 0x100);
        for (int k = 0; k < TARGETS; k++) a.label("stub" + k).jal(ZERO, "top");
        a.org(TABLE);
        for (int k = 0; k < TARGETS; k++) a.dwordAddress(all ? "stub" + k : "stub0");
        long[] r = regs();
        r[T0] = iterations + 1;
        r[S1] = TABLE;
        long[] expected = switch (kind) {
            case "missed" -> new long[]{iterations, 0, 0, iterations};
            case "predicted" -> new long[]{iterations, 0, iterations, 0};
            case "one-region" -> new long[]{0, 0, 0, 0};
            default -> throw new IllegalArgumentException(kind);
        };
        return new Program("indirect-" + kind, a.link(), CODE, r, expected);
    }

    /**
     * A loop of 8 (access; add) pairs on consecutive doublewords, 64 bytes further each iteration,
     * over 256 KiB (64 pages, all in the TLB after the first run). {@code kind}: "none" - the
     * access is an addi (same instruction count, no memory), "load" - ld, "store" - sd.
     * {@code misaligned}: the base is odd, so every access takes the slow path.
     */
    static Program memory(String kind, boolean misaligned) {
        GuestAsm a = new GuestAsm().org(CODE).label("loop");
        for (int k = 0; k < 8; k++) {
            switch (kind) {
                case "none" -> a.addi(T1, A0, 8 * k).add(S2, S2, T1);
                case "load" -> a.ld(T1, 8 * k, A0).add(S2, S2, T1);
                case "store" -> a.sd(T0, 8 * k, A0).add(S2, S2, T0);
                default -> throw new IllegalArgumentException(kind);
            }
        }
        a.addi(A0, A0, 64).addi(T0, T0, -1).bne(T0, ZERO, "loop").ebreak();
        long[] r = regs();
        r[T0] = MEM_ITERATIONS;
        r[A0] = DATA + (misaligned ? 1 : 0);
        return new Program("memory-" + kind + (misaligned ? "-misaligned" : ""), a.link(), CODE, r, new long[]{0, 0, 0, 0});
    }
}
