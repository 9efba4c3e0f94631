package org.duvisor.rv64.insn;

import org.duvisor.rv64.hart.Hart;
import org.duvisor.rv64.isa.Insn;

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

    public static long execute(Hart h, Insn i, long pc) {
        long a = h.x[i.rs1], b = h.x[i.rs2];
        long sh = i.imm;
        long r = switch (i.op) {
            case SH1ADD -> (a << 1) + b;
            case SH2ADD -> (a << 2) + b;
            case SH3ADD -> (a << 3) + b;
            case ADD_UW -> (a & 0xFFFF_FFFFL) + b;
            case SH1ADD_UW -> ((a & 0xFFFF_FFFFL) << 1) + b;
            case SH2ADD_UW -> ((a & 0xFFFF_FFFFL) << 2) + b;
            case SH3ADD_UW -> ((a & 0xFFFF_FFFFL) << 3) + b;
            case SLLI_UW -> (a & 0xFFFF_FFFFL) << sh;
            case ANDN -> a & ~b;
            case ORN -> a | ~b;
            case XNOR -> ~(a ^ b);
            case MAX -> Math.max(a, b);
            case MAXU -> Long.compareUnsigned(a, b) >= 0 ? a : b;
            case MIN -> Math.min(a, b);
            case MINU -> Long.compareUnsigned(a, b) <= 0 ? a : b;
            case ROL -> Long.rotateLeft(a, (int) b);
            case ROR -> Long.rotateRight(a, (int) b);
            case ROLW -> Integer.rotateLeft((int) a, (int) b);
            case RORW -> Integer.rotateRight((int) a, (int) b);
            case RORI -> Long.rotateRight(a, (int) sh);
            case RORIW -> Integer.rotateRight((int) a, (int) sh);
            case ZEXT_H -> a & 0xFFFF;
            case SEXT_B -> (byte) a;
            case SEXT_H -> (short) a;
            case CLZ -> Long.numberOfLeadingZeros(a);
            case CTZ -> Long.numberOfTrailingZeros(a);
            case CPOP -> Long.bitCount(a);
            case CLZW -> Integer.numberOfLeadingZeros((int) a);
            case CTZW -> Integer.numberOfTrailingZeros((int) a);
            case CPOPW -> Integer.bitCount((int) a);
            case ORC_B -> orcB(a);
            case REV8 -> Long.reverseBytes(a);
            case BCLR -> a & ~(1L << b);
            case BEXT -> (a >>> b) & 1;
            case BINV -> a ^ (1L << b);
            case BSET -> a | (1L << b);
            case BCLRI -> a & ~(1L << sh);
            case BEXTI -> (a >>> sh) & 1;
            case BINVI -> a ^ (1L << sh);
            case BSETI -> a | (1L << sh);
            default -> throw new IllegalStateException("not a bit-manipulation operation: " + i.op);
        };
        h.setX(i.rd, r);
        return pc + i.length;
    }

    /** Translation: these run through {@link #execute} from translated code (see RegionEmitter#callInterpreter). */
    public static boolean emit(org.duvisor.rv64.dbt.RegionEmitter e, Insn i) {
        return false;
    }
}
