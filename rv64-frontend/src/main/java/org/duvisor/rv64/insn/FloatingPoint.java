package org.duvisor.rv64.insn;

import static org.objectweb.asm.Opcodes.*;

import java.util.EnumMap;
import java.util.Map;
import org.duvisor.rv64.dbt.RegionEmitter;
import org.duvisor.rv64.fp.Binary32;
import org.duvisor.rv64.fp.Binary64;
import org.duvisor.rv64.fp.FloatFlags;
import org.duvisor.rv64.fp.RoundingMode;
import org.duvisor.rv64.hart.Cause;
import org.duvisor.rv64.hart.Hart;
import org.duvisor.rv64.isa.Insn;
import org.duvisor.rv64.isa.Op;

/**
 * The F and D extensions over the exact IEEE 754 arithmetic of package {@code fp}.
 *
 * <p>Singles live NaN-boxed in the 64-bit registers: a single operand whose upper 32 bits are not
 * all ones reads as the canonical NaN, and every single result is boxed ("NaN Boxing of Narrower
 * Values"). FMV.X.W, FSW and the loads/stores move bits without that check, as the spec says.
 */
public final class FloatingPoint {
    private static final long BOX = 0xFFFF_FFFF_0000_0000L;

    private FloatingPoint() {
    }

    /** The single held in a register: its low 32 bits if properly NaN-boxed, else the canonical NaN. */
    public static int unbox(long reg) {
        return (reg & BOX) == BOX ? (int) reg : Binary32.CANONICAL_NAN;
    }

    public static long box(int single) {
        return BOX | (single & 0xFFFF_FFFFL);
    }

    /** Executes an F/D instruction (mstatus.FS already checked, see {@link Semantics#floatingPoint}). */
    public static long execute(Hart h, Insn i, long pc) {
        switch (i.op) {
            case FLW -> flw_(h, i);
            case FLD -> fld_(h, i);
            case FSW -> fsw_(h, i);
            case FSD -> fsd_(h, i);
            case FADD_D -> faddD_(h, i);
            case FSUB_D -> fsubD_(h, i);
            case FMUL_D -> fmulD_(h, i);
            case FDIV_D -> fdivD_(h, i);
            case FMADD_D -> fmaddD_(h, i);
            case FMSUB_D -> fmsubD_(h, i);
            case FNMSUB_D -> fnmsubD_(h, i);
            case FNMADD_D -> fnmaddD_(h, i);
            case FSGNJ_D -> fsgnjD_(h, i);
            case FSGNJN_D -> fsgnjnD_(h, i);
            case FSGNJX_D -> fsgnjxD_(h, i);
            case FEQ_D -> feqD_(h, i);
            case FLT_D -> fltD_(h, i);
            case FLE_D -> fleD_(h, i);
            case FMV_X_D -> fmvXD_(h, i);
            case FMV_D_X -> fmvDX_(h, i);
            default -> {
                return others(h, i, pc);
            }
        }
        return h.trapPending ? pc : pc + i.length;
    }

    // The common operations, one method each (the interpreter calls them directly). A fault, or an
    // invalid rounding mode, leaves the trap pending and the destination unchanged.

    public static void flw_(Hart h, Insn i) {
        int v = h.tlb.load32(h.x[i.rs1] + i.imm);
        if (!h.trapPending) h.f[i.rd] = box(v);
    }

    public static void fld_(Hart h, Insn i) {
        long v = h.tlb.load64(h.x[i.rs1] + i.imm);
        if (!h.trapPending) h.f[i.rd] = v;
    }

    public static void fsw_(Hart h, Insn i) {
        h.tlb.store32(h.x[i.rs1] + i.imm, (int) h.f[i.rs2]);
    }

    public static void fsd_(Hart h, Insn i) {
        h.tlb.store64(h.x[i.rs1] + i.imm, h.f[i.rs2]);
    }

    public static void faddD_(Hart h, Insn i) {
        int rm = i.rm == RoundingMode.DYN ? h.frm : i.rm; // resolved here, not by a call: see IntegerOps
        if (rm > RoundingMode.RMM) {
            illegalRoundingMode(h, i);
            return;
        }
        long[] f = h.f;
        f[i.rd] = Binary64.add(f[i.rs1], f[i.rs2], rm, h.fflags);
    }

    public static void fsubD_(Hart h, Insn i) {
        int rm = i.rm == RoundingMode.DYN ? h.frm : i.rm;
        if (rm > RoundingMode.RMM) {
            illegalRoundingMode(h, i);
            return;
        }
        long[] f = h.f;
        f[i.rd] = Binary64.sub(f[i.rs1], f[i.rs2], rm, h.fflags);
    }

    public static void fmulD_(Hart h, Insn i) {
        int rm = i.rm == RoundingMode.DYN ? h.frm : i.rm;
        if (rm > RoundingMode.RMM) {
            illegalRoundingMode(h, i);
            return;
        }
        long[] f = h.f;
        f[i.rd] = Binary64.mul(f[i.rs1], f[i.rs2], rm, h.fflags);
    }

    public static void fdivD_(Hart h, Insn i) {
        int rm = i.rm == RoundingMode.DYN ? h.frm : i.rm;
        if (rm > RoundingMode.RMM) {
            illegalRoundingMode(h, i);
            return;
        }
        long[] f = h.f;
        f[i.rd] = Binary64.div(f[i.rs1], f[i.rs2], rm, h.fflags);
    }

    public static void fmaddD_(Hart h, Insn i) {
        int rm = i.rm == RoundingMode.DYN ? h.frm : i.rm;
        if (rm > RoundingMode.RMM) {
            illegalRoundingMode(h, i);
            return;
        }
        long[] f = h.f;
        f[i.rd] = Binary64.fma(f[i.rs1], f[i.rs2], f[i.rs3], rm, h.fflags);
    }

    public static void fmsubD_(Hart h, Insn i) {
        int rm = i.rm == RoundingMode.DYN ? h.frm : i.rm;
        if (rm > RoundingMode.RMM) {
            illegalRoundingMode(h, i);
            return;
        }
        long[] f = h.f;
        f[i.rd] = Binary64.fma(f[i.rs1], f[i.rs2], f[i.rs3] ^ Long.MIN_VALUE, rm, h.fflags);
    }

    public static void fnmsubD_(Hart h, Insn i) {
        int rm = i.rm == RoundingMode.DYN ? h.frm : i.rm;
        if (rm > RoundingMode.RMM) {
            illegalRoundingMode(h, i);
            return;
        }
        long[] f = h.f;
        f[i.rd] = Binary64.fma(f[i.rs1] ^ Long.MIN_VALUE, f[i.rs2], f[i.rs3], rm, h.fflags);
    }

    public static void fnmaddD_(Hart h, Insn i) {
        int rm = i.rm == RoundingMode.DYN ? h.frm : i.rm;
        if (rm > RoundingMode.RMM) {
            illegalRoundingMode(h, i);
            return;
        }
        long[] f = h.f;
        f[i.rd] = Binary64.fma(f[i.rs1] ^ Long.MIN_VALUE, f[i.rs2], f[i.rs3] ^ Long.MIN_VALUE, rm, h.fflags);
    }

    private static void illegalRoundingMode(Hart h, Insn i) {
        h.raise(Cause.ILLEGAL_INSTRUCTION, i.bits & 0xFFFF_FFFFL);
    }

    public static void fsgnjD_(Hart h, Insn i) {
        long[] f = h.f;
        f[i.rd] = (f[i.rs1] & Long.MAX_VALUE) | (f[i.rs2] & Long.MIN_VALUE);
    }

    public static void fsgnjnD_(Hart h, Insn i) {
        long[] f = h.f;
        f[i.rd] = (f[i.rs1] & Long.MAX_VALUE) | (~f[i.rs2] & Long.MIN_VALUE);
    }

    public static void fsgnjxD_(Hart h, Insn i) {
        long[] f = h.f;
        f[i.rd] = f[i.rs1] ^ (f[i.rs2] & Long.MIN_VALUE);
    }

    public static void feqD_(Hart h, Insn i) {
        boolean r = Binary64.eq(h.f[i.rs1], h.f[i.rs2], h.fflags);
        if (i.rd != 0) h.x[i.rd] = r ? 1 : 0;
    }

    public static void fltD_(Hart h, Insn i) {
        boolean r = Binary64.lt(h.f[i.rs1], h.f[i.rs2], h.fflags);
        if (i.rd != 0) h.x[i.rd] = r ? 1 : 0;
    }

    public static void fleD_(Hart h, Insn i) {
        boolean r = Binary64.le(h.f[i.rs1], h.f[i.rs2], h.fflags);
        if (i.rd != 0) h.x[i.rd] = r ? 1 : 0;
    }

    public static void fmvXD_(Hart h, Insn i) {
        if (i.rd != 0) h.x[i.rd] = h.f[i.rs1];
    }

    public static void fmvDX_(Hart h, Insn i) {
        h.f[i.rd] = h.x[i.rs1];
    }

    /** The other F/D operations. */
    private static long others(Hart h, Insn i, long pc) {
        long[] f = h.f;
        long[] x = h.x;
        FloatFlags fl = h.fflags;
        int rm = i.rm == RoundingMode.DYN ? h.frm : i.rm;
        if (!RoundingMode.isValid(rm) && usesRoundingMode(i)) {
            h.raise(Cause.ILLEGAL_INSTRUCTION, i.bits & 0xFFFF_FFFFL);
            return pc;
        }
        long a = f[i.rs1], b = f[i.rs2], c = f[i.rs3];
        int sa = unbox(a), sb = unbox(b), sc = unbox(c);
        switch (i.op) {
            case FADD_S -> f[i.rd] = box(Binary32.add(sa, sb, rm, fl));
            case FSUB_S -> f[i.rd] = box(Binary32.sub(sa, sb, rm, fl));
            case FMUL_S -> f[i.rd] = box(Binary32.mul(sa, sb, rm, fl));
            case FDIV_S -> f[i.rd] = box(Binary32.div(sa, sb, rm, fl));
            case FSQRT_S -> f[i.rd] = box(Binary32.sqrt(sa, rm, fl));
            case FMADD_S -> f[i.rd] = box(Binary32.fma(sa, sb, sc, rm, fl));
            case FMSUB_S -> f[i.rd] = box(Binary32.fma(sa, sb, sc ^ Integer.MIN_VALUE, rm, fl));
            case FNMSUB_S -> f[i.rd] = box(Binary32.fma(sa ^ Integer.MIN_VALUE, sb, sc, rm, fl));
            case FNMADD_S -> f[i.rd] = box(Binary32.fma(sa ^ Integer.MIN_VALUE, sb, sc ^ Integer.MIN_VALUE, rm, fl));
            case FSGNJ_S -> f[i.rd] = box((sa & 0x7FFF_FFFF) | (sb & Integer.MIN_VALUE));
            case FSGNJN_S -> f[i.rd] = box((sa & 0x7FFF_FFFF) | (~sb & Integer.MIN_VALUE));
            case FSGNJX_S -> f[i.rd] = box(sa ^ (sb & Integer.MIN_VALUE));
            case FMIN_S -> f[i.rd] = box(Binary32.min(sa, sb, fl));
            case FMAX_S -> f[i.rd] = box(Binary32.max(sa, sb, fl));
            case FEQ_S -> h.setX(i.rd, Binary32.eq(sa, sb, fl) ? 1 : 0);
            case FLT_S -> h.setX(i.rd, Binary32.lt(sa, sb, fl) ? 1 : 0);
            case FLE_S -> h.setX(i.rd, Binary32.le(sa, sb, fl) ? 1 : 0);
            case FCLASS_S -> h.setX(i.rd, Binary32.classify(sa));
            case FCVT_W_S -> h.setX(i.rd, Binary32.toInt32(sa, rm, fl));
            case FCVT_WU_S -> h.setX(i.rd, Binary32.toUInt32(sa, rm, fl));
            case FCVT_L_S -> h.setX(i.rd, Binary32.toInt64(sa, rm, fl));
            case FCVT_LU_S -> h.setX(i.rd, Binary32.toUInt64(sa, rm, fl));
            case FCVT_S_W -> f[i.rd] = box(Binary32.fromInt32((int) x[i.rs1], rm, fl));
            case FCVT_S_WU -> f[i.rd] = box(Binary32.fromUInt32((int) x[i.rs1], rm, fl));
            case FCVT_S_L -> f[i.rd] = box(Binary32.fromInt64(x[i.rs1], rm, fl));
            case FCVT_S_LU -> f[i.rd] = box(Binary32.fromUInt64(x[i.rs1], rm, fl));
            case FMV_X_W -> h.setX(i.rd, (int) a);
            case FMV_W_X -> f[i.rd] = box((int) x[i.rs1]);
            case FSQRT_D -> f[i.rd] = Binary64.sqrt(a, rm, fl);
            case FMIN_D -> f[i.rd] = Binary64.min(a, b, fl);
            case FMAX_D -> f[i.rd] = Binary64.max(a, b, fl);
            case FCLASS_D -> h.setX(i.rd, Binary64.classify(a));
            case FCVT_W_D -> h.setX(i.rd, Binary64.toInt32(a, rm, fl));
            case FCVT_WU_D -> h.setX(i.rd, Binary64.toUInt32(a, rm, fl));
            case FCVT_L_D -> h.setX(i.rd, Binary64.toInt64(a, rm, fl));
            case FCVT_LU_D -> h.setX(i.rd, Binary64.toUInt64(a, rm, fl));
            case FCVT_D_W -> f[i.rd] = Binary64.fromInt32((int) x[i.rs1], rm, fl);
            case FCVT_D_WU -> f[i.rd] = Binary64.fromUInt32((int) x[i.rs1], rm, fl);
            case FCVT_D_L -> f[i.rd] = Binary64.fromInt64(x[i.rs1], rm, fl);
            case FCVT_D_LU -> f[i.rd] = Binary64.fromUInt64(x[i.rs1], rm, fl);
            case FCVT_S_D -> f[i.rd] = box(Binary64.toBinary32(a, rm, fl));
            case FCVT_D_S -> f[i.rd] = Binary32.toBinary64(sa, fl);
            default -> throw new IllegalStateException("not an F/D operation: " + i.op);
        }
        return pc + i.length;
    }

    /** Whether the operation reads its rm field (only those are illegal under an invalid frm). */
    static boolean usesRoundingMode(Insn i) {
        return i.op.format == org.duvisor.rv64.isa.Format.FP_R || i.op.format == org.duvisor.rv64.isa.Format.FP_R1
                || i.op.format == org.duvisor.rv64.isa.Format.FP_R4;
    }

    // ---- translation ----

    /**
     * How an arithmetic operation maps onto a function of package {@code fp}: operand kinds
     * ({@code D} double register, {@code S} unboxed single register, {@code L}/{@code W} integer
     * register as long/int), result kind ({@code D}, {@code S} boxed, {@code X} long, {@code I} int,
     * {@code Z} boolean into x[rd]), and whether it takes a rounding mode and the flags.
     */
    private record Call(Class<?> owner, String method, String operands, char result, boolean rm, boolean flags,
                        boolean negateFirst, boolean negateLast) {
    }

    private static final Map<Op, Call> CALLS = new EnumMap<>(Op.class);

    private static void call(Op op, Class<?> owner, String method, String operands, char result, boolean rm, boolean flags) {
        CALLS.put(op, new Call(owner, method, operands, result, rm, flags, false, false));
    }

    static {
        for (String t : new String[]{"S", "D"}) {
            Class<?> c = t.equals("S") ? Binary32.class : Binary64.class;
            String two = t + t;
            call(Op.valueOf("FADD_" + t), c, "add", two, t.charAt(0), true, true);
            call(Op.valueOf("FSUB_" + t), c, "sub", two, t.charAt(0), true, true);
            call(Op.valueOf("FMUL_" + t), c, "mul", two, t.charAt(0), true, true);
            call(Op.valueOf("FDIV_" + t), c, "div", two, t.charAt(0), true, true);
            call(Op.valueOf("FSQRT_" + t), c, "sqrt", t, t.charAt(0), true, true);
            String three = two + t;
            CALLS.put(Op.valueOf("FMADD_" + t), new Call(c, "fma", three, t.charAt(0), true, true, false, false));
            CALLS.put(Op.valueOf("FMSUB_" + t), new Call(c, "fma", three, t.charAt(0), true, true, false, true));
            CALLS.put(Op.valueOf("FNMSUB_" + t), new Call(c, "fma", three, t.charAt(0), true, true, true, false));
            CALLS.put(Op.valueOf("FNMADD_" + t), new Call(c, "fma", three, t.charAt(0), true, true, true, true));
            call(Op.valueOf("FMIN_" + t), c, "min", two, t.charAt(0), false, true);
            call(Op.valueOf("FMAX_" + t), c, "max", two, t.charAt(0), false, true);
            call(Op.valueOf("FEQ_" + t), c, "eq", two, 'Z', false, true);
            call(Op.valueOf("FLT_" + t), c, "lt", two, 'Z', false, true);
            call(Op.valueOf("FLE_" + t), c, "le", two, 'Z', false, true);
            call(Op.valueOf("FCLASS_" + t), c, "classify", t, 'I', false, false);
            call(Op.valueOf("FCVT_W_" + t), c, "toInt32", t, 'I', true, true);
            call(Op.valueOf("FCVT_WU_" + t), c, "toUInt32", t, 'X', true, true);
            call(Op.valueOf("FCVT_L_" + t), c, "toInt64", t, 'X', true, true);
            call(Op.valueOf("FCVT_LU_" + t), c, "toUInt64", t, 'X', true, true);
            call(Op.valueOf("FCVT_" + t + "_W"), c, "fromInt32", "W", t.charAt(0), true, true);
            call(Op.valueOf("FCVT_" + t + "_WU"), c, "fromUInt32", "W", t.charAt(0), true, true);
            call(Op.valueOf("FCVT_" + t + "_L"), c, "fromInt64", "L", t.charAt(0), true, true);
            call(Op.valueOf("FCVT_" + t + "_LU"), c, "fromUInt64", "L", t.charAt(0), true, true);
        }
        call(Op.FCVT_S_D, Binary64.class, "toBinary32", "D", 'S', true, true);
        call(Op.FCVT_D_S, Binary32.class, "toBinary64", "S", 'D', false, true);
    }

    public static boolean emit(RegionEmitter e, Insn i) {
        switch (i.op) {
            case FLD, FLW -> {
                if (i.op == Op.FLD && e.knownMemory(i.rs1, i.imm)) {
                    e.storeF(i.rd);
                    return true;
                }
                e.loadX(i.rs1);
                e.pushLong(i.imm);
                e.mv.visitInsn(LADD);
                e.load(i.op == Op.FLD ? 8 : 4, true, i.rs1);
                if (i.op == Op.FLD) e.rememberLoad(i.rs1, i.imm);
                if (i.op == Op.FLW) {
                    e.l2i();
                    e.invokeStatic(FloatingPoint.class, "box", "(I)J");
                }
                e.storeF(i.rd);
                return true;
            }
            case FSD, FSW -> {
                e.loadX(i.rs1);
                e.pushLong(i.imm);
                e.mv.visitInsn(LADD);
                e.loadF(i.rs2);
                e.store(i.op == Op.FSD ? 8 : 4, i.rs1);
                if (i.op == Op.FSD) e.rememberStore(i.rs1, i.imm, i.rs2, true);
                else e.forgetMemory();
                return true;
            }
            case FSGNJ_D, FSGNJN_D, FSGNJX_D -> {
                e.loadF(i.rs1);
                if (i.op != Op.FSGNJX_D) {
                    e.pushLong(Long.MAX_VALUE);
                    e.mv.visitInsn(LAND);
                }
                e.loadF(i.rs2);
                if (i.op == Op.FSGNJN_D) {
                    e.pushLong(-1L);
                    e.mv.visitInsn(LXOR);
                }
                e.pushLong(Long.MIN_VALUE);
                e.mv.visitInsn(LAND);
                e.mv.visitInsn(i.op == Op.FSGNJX_D ? LXOR : LOR);
                e.storeF(i.rd);
                return true;
            }
            case FMV_X_D -> {
                e.loadF(i.rs1);
                e.storeX(i.rd);
                return true;
            }
            case FMV_D_X -> {
                e.loadX(i.rs1);
                e.storeF(i.rd);
                return true;
            }
            case FMV_X_W -> {
                e.loadF(i.rs1);
                e.l2i();
                e.i2l();
                e.storeX(i.rd);
                return true;
            }
            case FMV_W_X -> {
                e.loadX(i.rs1);
                e.l2i();
                e.invokeStatic(FloatingPoint.class, "box", "(I)J");
                e.storeF(i.rd);
                return true;
            }
            default -> {
            }
        }
        Call c = CALLS.get(i.op);
        if (c == null) return false;
        // DYN: the region is made for one frm (see TranslationContext), so the mode is a constant.
        // An invalid mode (reserved static rm, or frm 5-7) is left to the interpreter, which raises
        // the illegal-instruction exception with precise state.
        int rm = i.rm == RoundingMode.DYN ? e.dynamicRoundingMode() : i.rm;
        if (c.rm() && !RoundingMode.isValid(rm)) return false;
        StringBuilder desc = new StringBuilder("(");
        int[] regs = {i.rs1, i.rs2, i.rs3};
        for (int k = 0; k < c.operands().length(); k++) {
            char kind = c.operands().charAt(k);
            int r = regs[k];
            boolean negate = (k == 0 && c.negateFirst()) || (k == 2 && c.negateLast());
            switch (kind) {
                case 'D' -> {
                    e.loadF(r);
                    if (negate) {
                        e.pushLong(Long.MIN_VALUE);
                        e.mv.visitInsn(LXOR);
                    }
                    desc.append('J');
                }
                case 'S' -> {
                    e.loadF(r);
                    e.invokeStatic(FloatingPoint.class, "unbox", "(J)I");
                    if (negate) {
                        e.pushInt(Integer.MIN_VALUE);
                        e.mv.visitInsn(IXOR);
                    }
                    desc.append('I');
                }
                case 'L' -> {
                    e.loadX(r);
                    desc.append('J');
                }
                default -> {
                    e.loadX(r);
                    e.l2i();
                    desc.append('I');
                }
            }
        }
        if (c.rm()) {
            e.pushInt(rm);
            desc.append('I');
        }
        if (c.flags()) {
            e.loadFlags();
            desc.append("Lorg/duvisor/rv64/fp/FloatFlags;");
        }
        desc.append(')').append(switch (c.result()) {
            case 'D', 'X' -> 'J';
            case 'S', 'I' -> 'I';
            default -> 'Z';
        });
        e.invokeStatic(c.owner(), c.method(), desc.toString());
        switch (c.result()) {
            case 'D' -> e.storeF(i.rd);
            case 'S' -> {
                e.invokeStatic(FloatingPoint.class, "box", "(I)J");
                e.storeF(i.rd);
            }
            case 'X' -> e.storeX(i.rd);
            default -> {
                e.i2l();
                e.storeX(i.rd);
            }
        }
        return true;
    }
}
