package org.duvisor.rv64.insn;

import static org.objectweb.asm.Opcodes.*;

import org.duvisor.rv64.dbt.RegionEmitter;
import org.duvisor.rv64.hart.Hart;
import org.duvisor.rv64.isa.Family;
import org.duvisor.rv64.isa.Insn;
import org.duvisor.rv64.isa.Op;

/**
 * The M extension. Division by zero and signed overflow do not trap; they give the results of the
 * table in chapter 7 ("Division Operations"): quotient all ones / dividend, remainder dividend / 0.
 */
public final class Multiply {
    private Multiply() {
    }

    public static long mulhsu(long a, long b) {
        // a signed, b unsigned: the signed high product corrected for b's top bit.
        return Math.multiplyHigh(a, b) + ((b >> 63) & a);
    }

    public static long div(long a, long b) {
        if (b == 0) return -1;
        if (a == Long.MIN_VALUE && b == -1) return a;
        return a / b;
    }

    public static long divu(long a, long b) {
        return b == 0 ? -1 : Long.divideUnsigned(a, b);
    }

    public static long rem(long a, long b) {
        if (b == 0) return a;
        if (a == Long.MIN_VALUE && b == -1) return 0;
        return a % b;
    }

    public static long remu(long a, long b) {
        return b == 0 ? a : Long.remainderUnsigned(a, b);
    }

    public static long divw(long a, long b) {
        int x = (int) a, y = (int) b;
        if (y == 0) return -1;
        if (x == Integer.MIN_VALUE && y == -1) return x;
        return x / y;
    }

    public static long divuw(long a, long b) {
        int y = (int) b;
        return y == 0 ? -1 : Integer.divideUnsigned((int) a, y);
    }

    public static long remw(long a, long b) {
        int x = (int) a, y = (int) b;
        if (y == 0) return x;
        if (x == Integer.MIN_VALUE && y == -1) return 0;
        return x % y;
    }

    public static long remuw(long a, long b) {
        int y = (int) b;
        return y == 0 ? (int) a : Integer.remainderUnsigned((int) a, y);
    }

    public static long execute(Hart h, Insn i, long pc) {
        long a = h.x[i.rs1], b = h.x[i.rs2];
        long r = switch (i.op) {
            case MUL -> a * b;
            case MULH -> Math.multiplyHigh(a, b);
            case MULHSU -> mulhsu(a, b);
            case MULHU -> Math.unsignedMultiplyHigh(a, b);
            case DIV -> div(a, b);
            case DIVU -> divu(a, b);
            case REM -> rem(a, b);
            case REMU -> remu(a, b);
            case MULW -> (int) (a * b);
            case DIVW -> divw(a, b);
            case DIVUW -> divuw(a, b);
            case REMW -> remw(a, b);
            case REMUW -> remuw(a, b);
            default -> throw new IllegalStateException("not an M operation: " + i.op);
        };
        if (i.rd != 0) h.x[i.rd] = r; // not setX: see IntegerOps
        return pc + i.length;
    }

    /** Translation: MUL inline, the rest as calls to the functions above (small; C2 inlines them). */
    public static boolean emit(RegionEmitter e, Insn i) {
        if (i.rd == 0) return true; // no side effects, no traps
        Op quotient = quotientOf(i.op);
        if (quotient != null && (e.hasQuotient(quotient, i.rs1, i.rs2) || pairFollows(e, i))) return emitPair(e, i, quotient);
        loadOperands(e, i);
        switch (i.op) {
            case MUL -> e.mv.visitInsn(LMUL);
            case MULW -> {
                e.mv.visitInsn(IMUL);
                e.i2l();
            }
            case MULH -> e.invokeStatic(Math.class, "multiplyHigh", "(JJ)J");
            case MULHU -> e.invokeStatic(Math.class, "unsignedMultiplyHigh", "(JJ)J");
            case MULHSU -> e.invokeStatic(Multiply.class, "mulhsu", "(JJ)J");
            default -> invokeDivision(e, i.op);
        }
        e.storeX(i.rd);
        return true;
    }

    private static void loadOperands(RegionEmitter e, Insn i) {
        e.loadX(i.rs1);
        if (isWord(i)) e.l2i();
        e.loadX(i.rs2);
        if (isWord(i)) e.l2i();
    }

    private static void invokeDivision(RegionEmitter e, Op op) {
        switch (op) {
            case DIV -> e.invokeStatic(Multiply.class, "div", "(JJ)J");
            case DIVU -> e.invokeStatic(Multiply.class, "divu", "(JJ)J");
            case REM -> e.invokeStatic(Multiply.class, "rem", "(JJ)J");
            case REMU -> e.invokeStatic(Multiply.class, "remu", "(JJ)J");
            case DIVW -> e.invokeStatic(Multiply.class, "divw32", "(II)J");
            case DIVUW -> e.invokeStatic(Multiply.class, "divuw32", "(II)J");
            case REMW -> e.invokeStatic(Multiply.class, "remw32", "(II)J");
            case REMUW -> e.invokeStatic(Multiply.class, "remuw32", "(II)J");
            default -> throw new IllegalStateException(op.toString());
        }
    }

    /** The division whose quotient gives {@code op}'s result: DIV for DIV and REM, and so on; null for the multiplications. */
    static Op quotientOf(Op op) {
        return switch (op) {
            case DIV, REM -> Op.DIV;
            case DIVU, REMU -> Op.DIVU;
            case DIVW, REMW -> Op.DIVW;
            case DIVUW, REMUW -> Op.DIVUW;
            default -> null;
        };
    }

    /**
     * Whether the block goes on to the other half of {@code i}'s division (REM after DIV, DIVU
     * after REMU, ...) of the same registers, unchanged in between, so that one quotient serves
     * both (see {@link RegionEmitter#rememberQuotient}).
     */
    static boolean pairFollows(RegionEmitter e, Insn i) {
        if (i.rd == i.rs1 || i.rd == i.rs2) return false; // i itself changes an operand
        Op quotient = quotientOf(i.op);
        for (Insn later : e.restOfBlock()) {
            if (later.op != i.op && quotientOf(later.op) == quotient && later.rs1 == i.rs1 && later.rs2 == i.rs2) return true;
            // Conservative: rd may name an f register, or an instruction may not write it at all.
            if (later.rd == i.rs1 || later.rd == i.rs2 || later.op.family == Family.SYSTEM) return false;
        }
        return false;
    }

    /**
     * A division with the quotient kept or computed for its pair: the quotient itself, or the
     * remainder {@code rs1 - quotient * rs2} in the operation's width.
     */
    private static boolean emitPair(RegionEmitter e, Insn i, Op quotient) {
        boolean word = isWord(i), remainder = i.op != quotient;
        if (remainder) {
            e.loadX(i.rs1);
            if (word) e.l2i();
        }
        if (e.hasQuotient(quotient, i.rs1, i.rs2)) {
            e.loadQuotient();
        } else {
            loadOperands(e, i);
            invokeDivision(e, quotient);
            e.rememberQuotient(quotient, i.rs1, i.rs2);
        }
        if (remainder) {
            if (word) {
                e.l2i();
                e.loadX(i.rs2);
                e.l2i();
                e.mv.visitInsn(IMUL);
                e.mv.visitInsn(ISUB);
                e.i2l();
            } else {
                e.loadX(i.rs2);
                e.mv.visitInsn(LMUL);
                e.mv.visitInsn(LSUB);
            }
        }
        e.storeX(i.rd);
        return true;
    }

    private static boolean isWord(Insn i) {
        return switch (i.op) {
            case MULW, DIVW, DIVUW, REMW, REMUW -> true;
            default -> false;
        };
    }

    public static long divw32(int a, int b) {
        return divw(a, b);
    }

    public static long divuw32(int a, int b) {
        return divuw(a, b);
    }

    public static long remw32(int a, int b) {
        return remw(a, b);
    }

    public static long remuw32(int a, int b) {
        return remuw(a, b);
    }
}
