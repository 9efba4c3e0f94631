package org.duvisor.rv64.insn;

import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/**
 * Edge-biased random trials for {@link AluCase}s: the operation, the register numbers (with rd = x0
 * and every kind of aliasing among rd, rs1 and rs2 frequent), the source values and the immediate.
 */
public final class AluTrials {
    private AluTrials() {
    }

    /** One instruction to try: what it is, which registers it names, what they hold, its immediate. */
    public record Trial(AluCase op, int rd, int rs1, int rs2, long a, long b, long imm, long backgroundSeed) {
        @Override
        public String toString() {
            return String.format("%s rd=x%d rs1=x%d rs2=x%d a=0x%016x b=0x%016x imm=%d", op.mnemonic, rd, rs1, rs2, a, b, imm);
        }
    }

    private static final long INT_MIN = Integer.MIN_VALUE, INT_MAX = Integer.MAX_VALUE;

    /** Values at which integer semantics change: zero, ±1, the ends of the 32- and 64-bit ranges, masks. */
    public static final long[] EDGES = {
            0, 1, -1, 2, -2, 3,
            Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE + 1, Long.MAX_VALUE - 1,
            INT_MIN, INT_MAX, INT_MIN + 1, INT_MAX - 1, -INT_MIN, // 32-bit ends, sign-extended, and 2^31
            0xFFFF_FFFFL, 0x8000_0000L, 0x7FFF_FFFFL, 0x1_0000_0000L, 0xFFFF_FFFF_0000_0000L, 0x8000_0000_FFFF_FFFFL,
            0xFFFF_FFFF_7FFF_FFFFL, 0x0000_0001_8000_0000L, 0x7FFF_FFFF_8000_0000L,
            31, 32, 33, 63, 64, 65, -31, -32, -63, -64,
            0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0x8000, 0xFFFF, 0x1_0000, -0x80, -0x8000,
            0x5555_5555_5555_5555L, 0xAAAA_AAAA_AAAA_AAAAL, 0x0101_0101_0101_0101L, 0x8080_8080_8080_8080L,
            0x0123_4567_89AB_CDEFL, 0xFF00_FF00_FF00_FF00L, 0x00FF_0000_0000_FF00L,
    };

    /** Shift amounts and bit indices where the masking rules matter. */
    static final int[] SHIFT_EDGES = {0, 1, 31, 32, 33, 63};

    static final long[] IMM12_EDGES = {0, 1, -1, 2, 2047, -2048, 2046, -2047, 31, 32, 63, 64, 0x7F, 0x80, 0xFF, -0x80, 0x555, -0x556};

    public static long operand(Random r) {
        long v = switch (r.nextInt(11)) {
            case 0, 1, 2 -> EDGES[r.nextInt(EDGES.length)];
            case 3 -> {
                long p = 1L << r.nextInt(64);
                yield switch (r.nextInt(4)) {
                    case 0 -> p;
                    case 1 -> p - 1;
                    case 2 -> -p;
                    default -> ~p;
                };
            }
            case 4 -> r.nextInt(); // sign-extended 32-bit
            case 5 -> r.nextInt() & 0xFFFF_FFFFL; // zero-extended 32-bit
            case 6 -> {
                // shift amounts: the low bits an edge, the high bits that must be ignored random
                long low = r.nextBoolean() ? SHIFT_EDGES[r.nextInt(SHIFT_EDGES.length)] : r.nextInt(64);
                yield r.nextBoolean() ? low : (r.nextLong() & ~63L) | low;
            }
            case 7 -> r.nextInt(129) - 64;
            case 8 -> {
                // byte patterns (orc.b, rev8, sext/zext)
                long x = 0;
                for (int k = 0; k < 8; k++) {
                    long byteValue = switch (r.nextInt(5)) {
                        case 0 -> 0x00;
                        case 1 -> 0xFF;
                        case 2 -> 0x80;
                        case 3 -> 0x01;
                        default -> r.nextInt(256);
                    };
                    x |= byteValue << (8 * k);
                }
                yield x;
            }
            default -> r.nextLong();
        };
        if (r.nextInt(6) == 0) v = (r.nextLong() & 0xFFFF_FFFF_0000_0000L) | (v & 0xFFFF_FFFFL); // W forms ignore these
        return v;
    }

    /** A second operand, often correlated with the first (equal, adjacent, negated, 0 or -1 in some width). */
    static long second(Random r, long a) {
        if (r.nextInt(3) != 0) return operand(r);
        long upper = r.nextBoolean() ? 0 : r.nextLong() & 0xFFFF_FFFF_0000_0000L;
        return switch (r.nextInt(10)) {
            case 0 -> a;
            case 1 -> a + 1;
            case 2 -> a - 1;
            case 3 -> -a;
            case 4 -> ~a;
            case 5 -> 0;
            case 6 -> -1;
            case 7 -> upper; // zero in the low 32 bits only
            case 8 -> upper | 0xFFFF_FFFFL; // -1 in the low 32 bits
            default -> (long) (int) a; // a's low word, sign-extended
        };
    }

    /** Division overflow and zero divisors, in both widths, are rare in random data: make them common. */
    static long[] divisionPair(Random r) {
        long upperA = r.nextBoolean() ? 0 : r.nextLong() << 32, upperB = r.nextBoolean() ? 0 : r.nextLong() << 32;
        return switch (r.nextInt(6)) {
            case 0 -> new long[]{Long.MIN_VALUE, -1};
            case 1 -> new long[]{upperA | 0x8000_0000L, upperB | 0xFFFF_FFFFL};
            case 2 -> new long[]{operand(r), 0};
            case 3 -> new long[]{operand(r), upperB}; // zero low word, maybe non-zero upper bits
            case 4 -> new long[]{INT_MIN, -1};
            default -> new long[]{operand(r), r.nextBoolean() ? 1 : -1};
        };
    }

    static long immediate(Random r, AluCase op) {
        return switch (op.kind) {
            case I -> r.nextInt(3) == 0 ? IMM12_EDGES[r.nextInt(IMM12_EDGES.length)] : r.nextInt(4096) - 2048;
            case SHIFT64 -> r.nextBoolean() ? SHIFT_EDGES[r.nextInt(SHIFT_EDGES.length)] : r.nextInt(64);
            case SHIFT32 -> r.nextBoolean() ? new int[]{0, 1, 15, 16, 30, 31}[r.nextInt(6)] : r.nextInt(32);
            default -> 0;
        };
    }

    /** rd, rs1, rs2 with x0 and aliasing frequent. */
    static int[] registers(Random r) {
        int rd = 1 + r.nextInt(31), rs1 = 1 + r.nextInt(31), rs2 = 1 + r.nextInt(31);
        return switch (r.nextInt(10)) {
            case 0 -> new int[]{0, rs1, rs2}; // rd = x0: the result is discarded
            case 1 -> new int[]{rd, rd, rs2}; // rd == rs1
            case 2 -> new int[]{rd, rs1, rd}; // rd == rs2
            case 3 -> new int[]{rd, rd, rd}; // rd == rs1 == rs2
            case 4 -> new int[]{rd, rs1, rs1}; // rs1 == rs2
            case 5 -> new int[]{rd, 0, rs2}; // reads x0
            case 6 -> new int[]{rd, rs1, 0};
            case 7 -> new int[]{0, 0, 0};
            default -> new int[]{rd, rs1, rs2}; // independent (may still collide)
        };
    }

    public static Trial trial(Random r, AluCase op) {
        int[] regs = registers(r);
        long a, b;
        if (op.group == AluCase.Group.M && r.nextInt(4) == 0) {
            long[] p = divisionPair(r);
            a = p[0];
            b = p[1];
        } else {
            a = operand(r);
            b = second(r, a);
        }
        return new Trial(op, regs[0], regs[1], regs[2], a, b, immediate(r, op), r.nextLong());
    }

    public static Arbitrary<Trial> trials(List<AluCase> ops) {
        return Arbitraries.randomValue(r -> trial(r, ops.get(r.nextInt(ops.size()))));
    }
}
