package org.duvisor.rv64.insn;

import org.duvisor.rv64.dbt.RegionEmitter;
import org.duvisor.rv64.hart.Hart;
import org.duvisor.rv64.isa.Insn;
import org.duvisor.rv64.isa.Op;

/** Zba, Zbb and Zbs (RISC-V Bit-Manipulation ISA-extensions 1.0.0). */
public final class Bitmanip {
    private Bitmanip() {
    }

    /** orc.b: each byte becomes 0xFF if any of its bits is set, else 0x00. */
    public static long orcB(long a) {
        long r = 0;
        for (int k = 0; k < 64; k += 8) {
            if (((a >>> k) & 0xFF) != 0) r |= 0xFFL << k;
        }
        return r;
    }

    /** The operation's value from rs1 (a) and rs2 or the immediate (b); unary operations ignore b. */
    public static long apply(Op op, long a, long b) {
        return switch (op) {
            case SH1ADD -> sh1add(a, b);
            case SH2ADD -> sh2add(a, b);
            case SH3ADD -> sh3add(a, b);
            case ADD_UW -> addUw(a, b);
            case SH1ADD_UW -> sh1addUw(a, b);
            case SH2ADD_UW -> sh2addUw(a, b);
            case SH3ADD_UW -> sh3addUw(a, b);
            case SLLI_UW -> slliUw(a, b);
            case ANDN -> andn(a, b);
            case ORN -> orn(a, b);
            case XNOR -> xnor(a, b);
            case MAX -> max(a, b);
            case MAXU -> maxu(a, b);
            case MIN -> min(a, b);
            case MINU -> minu(a, b);
            case ROL -> rol(a, b);
            case ROR -> ror(a, b);
            case ROLW -> rolw(a, b);
            case RORW -> rorw(a, b);
            case RORI -> rori(a, b);
            case RORIW -> roriw(a, b);
            case ZEXT_H -> zextH(a, b);
            case SEXT_B -> sextB(a, b);
            case SEXT_H -> sextH(a, b);
            case CLZ -> clz(a, b);
            case CTZ -> ctz(a, b);
            case CPOP -> cpop(a, b);
            case CLZW -> clzw(a, b);
            case CTZW -> ctzw(a, b);
            case CPOPW -> cpopw(a, b);
            case ORC_B -> orcB(a, b);
            case REV8 -> rev8(a, b);
            case BCLR -> bclr(a, b);
            case BEXT -> bext(a, b);
            case BINV -> binv(a, b);
            case BSET -> bset(a, b);
            case BCLRI -> bclri(a, b);
            case BEXTI -> bexti(a, b);
            case BINVI -> binvi(a, b);
            case BSETI -> bseti(a, b);
            default -> throw new IllegalStateException("not a bit-manipulation operation: " + op);
        };
    }

    public static long execute(Hart h, Insn i, long pc) {
        long b = switch (i.op.format) {
            case R -> h.x[i.rs2];
            case SHIFT64, SHIFT32 -> i.imm;
            default -> 0;
        };
        h.setX(i.rd, apply(i.op, h.x[i.rs1], b));
        return pc + i.length;
    }

    // One function per operation: the interpreter's semantics and the translator's call target.
    public static long sh1add(long a, long b) {
        return (a << 1) + b;
    }

    public static long sh2add(long a, long b) {
        return (a << 2) + b;
    }

    public static long sh3add(long a, long b) {
        return (a << 3) + b;
    }

    public static long addUw(long a, long b) {
        return (a & 0xFFFF_FFFFL) + b;
    }

    public static long sh1addUw(long a, long b) {
        return ((a & 0xFFFF_FFFFL) << 1) + b;
    }

    public static long sh2addUw(long a, long b) {
        return ((a & 0xFFFF_FFFFL) << 2) + b;
    }

    public static long sh3addUw(long a, long b) {
        return ((a & 0xFFFF_FFFFL) << 3) + b;
    }

    public static long slliUw(long a, long b) {
        return (a & 0xFFFF_FFFFL) << b;
    }

    public static long andn(long a, long b) {
        return a & ~b;
    }

    public static long orn(long a, long b) {
        return a | ~b;
    }

    public static long xnor(long a, long b) {
        return ~(a ^ b);
    }

    public static long max(long a, long b) {
        return Math.max(a, b);
    }

    public static long maxu(long a, long b) {
        return Long.compareUnsigned(a, b) >= 0 ? a : b;
    }

    public static long min(long a, long b) {
        return Math.min(a, b);
    }

    public static long minu(long a, long b) {
        return Long.compareUnsigned(a, b) <= 0 ? a : b;
    }

    public static long rol(long a, long b) {
        return Long.rotateLeft(a, (int) b);
    }

    public static long ror(long a, long b) {
        return Long.rotateRight(a, (int) b);
    }

    public static long rolw(long a, long b) {
        return Integer.rotateLeft((int) a, (int) b);
    }

    public static long rorw(long a, long b) {
        return Integer.rotateRight((int) a, (int) b);
    }

    public static long rori(long a, long b) {
        return Long.rotateRight(a, (int) b);
    }

    public static long roriw(long a, long b) {
        return Integer.rotateRight((int) a, (int) b);
    }

    public static long zextH(long a, long b) {
        return a & 0xFFFF;
    }

    public static long sextB(long a, long b) {
        return (byte) a;
    }

    public static long sextH(long a, long b) {
        return (short) a;
    }

    public static long clz(long a, long b) {
        return Long.numberOfLeadingZeros(a);
    }

    public static long ctz(long a, long b) {
        return Long.numberOfTrailingZeros(a);
    }

    public static long cpop(long a, long b) {
        return Long.bitCount(a);
    }

    public static long clzw(long a, long b) {
        return Integer.numberOfLeadingZeros((int) a);
    }

    public static long ctzw(long a, long b) {
        return Integer.numberOfTrailingZeros((int) a);
    }

    public static long cpopw(long a, long b) {
        return Integer.bitCount((int) a);
    }

    public static long orcB(long a, long b) {
        return orcB(a);
    }

    public static long rev8(long a, long b) {
        return Long.reverseBytes(a);
    }

    public static long bclr(long a, long b) {
        return a & ~(1L << b);
    }

    public static long bext(long a, long b) {
        return (a >>> b) & 1;
    }

    public static long binv(long a, long b) {
        return a ^ (1L << b);
    }

    public static long bset(long a, long b) {
        return a | (1L << b);
    }

    public static long bclri(long a, long b) {
        return a & ~(1L << b);
    }

    public static long bexti(long a, long b) {
        return (a >>> b) & 1;
    }

    public static long binvi(long a, long b) {
        return a ^ (1L << b);
    }

    public static long bseti(long a, long b) {
        return a | (1L << b);
    }

    /** Translation: rs1 and rs2 (or the immediate) from locals, then a call C2 inlines. */
    public static boolean emit(RegionEmitter e, Insn i) {
        if (i.rd == 0) return true; // pure, cannot trap
        e.loadX(i.rs1);
        switch (i.op.format) {
            case R -> e.loadX(i.rs2);
            case SHIFT64, SHIFT32 -> e.pushLong(i.imm);
            default -> e.pushLong(0);
        }
        String name = i.op.name().toLowerCase();
        StringBuilder camel = new StringBuilder();
        boolean up = false;
        for (char c : name.toCharArray()) {
            if (c == '_') {
                up = true;
            } else {
                camel.append(up ? Character.toUpperCase(c) : c);
                up = false;
            }
        }
        e.invokeStatic(Bitmanip.class, camel.toString(), "(JJ)J");
        e.storeX(i.rd);
        return true;
    }
}
