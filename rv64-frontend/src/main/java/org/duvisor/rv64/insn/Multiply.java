package org.duvisor.rv64.insn;

import static org.objectweb.asm.Opcodes.*;

import org.duvisor.rv64.dbt.RegionEmitter;
import org.duvisor.rv64.hart.Hart;
import org.duvisor.rv64.isa.Insn;

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
        e.loadX(i.rs1);
        if (isWord(i)) e.l2i();
        e.loadX(i.rs2);
        if (isWord(i)) e.l2i();
        switch (i.op) {
            case MUL -> e.mv.visitInsn(LMUL);
            case MULW -> {
                e.mv.visitInsn(IMUL);
                e.i2l();
            }
            case MULH -> e.invokeStatic(Math.class, "multiplyHigh", "(JJ)J");
            case MULHU -> e.invokeStatic(Math.class, "unsignedMultiplyHigh", "(JJ)J");
            case MULHSU -> e.invokeStatic(Multiply.class, "mulhsu", "(JJ)J");
            case DIV -> e.invokeStatic(Multiply.class, "div", "(JJ)J");
            case DIVU -> e.invokeStatic(Multiply.class, "divu", "(JJ)J");
            case REM -> e.invokeStatic(Multiply.class, "rem", "(JJ)J");
            case REMU -> e.invokeStatic(Multiply.class, "remu", "(JJ)J");
            case DIVW -> e.invokeStatic(Multiply.class, "divw32", "(II)J");
            case DIVUW -> e.invokeStatic(Multiply.class, "divuw32", "(II)J");
            case REMW -> e.invokeStatic(Multiply.class, "remw32", "(II)J");
            case REMUW -> e.invokeStatic(Multiply.class, "remuw32", "(II)J");
            default -> throw new IllegalStateException(i.op.toString());
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
