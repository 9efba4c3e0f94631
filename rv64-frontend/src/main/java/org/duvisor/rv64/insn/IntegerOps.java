package org.duvisor.rv64.insn;

import static org.objectweb.asm.Opcodes.*;

import org.duvisor.dbt.memory.SoftTlb;
import org.duvisor.rv64.dbt.RegionEmitter;
import org.duvisor.rv64.hart.Hart;
import org.duvisor.rv64.isa.Insn;
import org.objectweb.asm.MethodVisitor;

/** RV64I: upper immediates, jumps, branches, loads, stores and integer arithmetic (chapters 2 and 5). */
public final class IntegerOps {
    private IntegerOps() {
    }

    public static long execute(Hart h, Insn i, long pc) {
        long[] x = h.x;
        long a = x[i.rs1];
        long b = x[i.rs2];
        long imm = i.imm;
        long next = pc + i.length;
        long r;
        switch (i.op) {
            case LUI -> r = imm;
            case AUIPC -> r = pc + imm;
            case JAL -> {
                h.setX(i.rd, next);
                return pc + imm;
            }
            case JALR -> {
                long target = (a + imm) & ~1L;
                h.setX(i.rd, next);
                return target;
            }
            case BEQ -> { return a == b ? pc + imm : next; }
            case BNE -> { return a != b ? pc + imm : next; }
            case BLT -> { return a < b ? pc + imm : next; }
            case BGE -> { return a >= b ? pc + imm : next; }
            case BLTU -> { return Long.compareUnsigned(a, b) < 0 ? pc + imm : next; }
            case BGEU -> { return Long.compareUnsigned(a, b) >= 0 ? pc + imm : next; }
            case LB, LH, LW, LD, LBU, LHU, LWU -> {
                long v = load(h.tlb, i, a + imm);
                if (h.trapPending) return pc;
                r = v;
            }
            case SB -> { h.tlb.store8(a + imm, (byte) b); return h.trapPending ? pc : next; }
            case SH -> { h.tlb.store16(a + imm, (short) b); return h.trapPending ? pc : next; }
            case SW -> { h.tlb.store32(a + imm, (int) b); return h.trapPending ? pc : next; }
            case SD -> { h.tlb.store64(a + imm, b); return h.trapPending ? pc : next; }
            case ADDI -> r = a + imm;
            case SLTI -> r = a < imm ? 1 : 0;
            case SLTIU -> r = Long.compareUnsigned(a, imm) < 0 ? 1 : 0;
            case XORI -> r = a ^ imm;
            case ORI -> r = a | imm;
            case ANDI -> r = a & imm;
            case SLLI -> r = a << imm;
            case SRLI -> r = a >>> imm;
            case SRAI -> r = a >> imm;
            case ADDIW -> r = (int) (a + imm);
            case SLLIW -> r = (int) a << imm;
            case SRLIW -> r = (int) a >>> imm;
            case SRAIW -> r = (int) a >> imm;
            case ADD -> r = a + b;
            case SUB -> r = a - b;
            case SLL -> r = a << b;
            case SLT -> r = a < b ? 1 : 0;
            case SLTU -> r = Long.compareUnsigned(a, b) < 0 ? 1 : 0;
            case XOR -> r = a ^ b;
            case SRL -> r = a >>> b;
            case SRA -> r = a >> b;
            case OR -> r = a | b;
            case AND -> r = a & b;
            case ADDW -> r = (int) (a + b);
            case SUBW -> r = (int) (a - b);
            // Java masks int shift counts to 5 bits, as the W shifts require.
            case SLLW -> r = (int) a << b;
            case SRLW -> r = (int) a >>> b;
            case SRAW -> r = (int) a >> b;
            default -> throw new IllegalStateException("not an RV64I operation: " + i.op);
        }
        h.setX(i.rd, r);
        return next;
    }

    /** Loads with the width and extension the load's opcode names. */
    static long load(SoftTlb tlb, Insn i, long address) {
        return switch (i.op) {
            case LB -> tlb.load8(address);
            case LBU -> tlb.load8(address) & 0xFFL;
            case LH -> tlb.load16(address);
            case LHU -> tlb.load16(address) & 0xFFFFL;
            case LW -> tlb.load32(address);
            case LWU -> tlb.load32(address) & 0xFFFF_FFFFL;
            case LD -> tlb.load64(address);
            default -> throw new IllegalStateException(i.op.toString());
        };
    }

    // ---- translation: the same semantics as execute(), as inline bytecode ----

    public static boolean emit(RegionEmitter e, Insn i) {
        MethodVisitor mv = e.mv;
        long pc = e.pc();
        long next = pc + i.length;
        switch (i.op) {
            case LUI -> constant(e, i.rd, i.imm);
            case AUIPC -> constant(e, i.rd, pc + i.imm);
            case JAL -> {
                if (i.rd != 0) constant(e, i.rd, next);
                e.jumpTo(pc + i.imm);
            }
            case JALR -> {
                e.loadX(i.rs1);
                e.pushLong(i.imm);
                mv.visitInsn(LADD);
                e.pushLong(~1L);
                mv.visitInsn(LAND);
                if (i.rd != 0) constant(e, i.rd, next); // after reading rs1, which rd may name
                // A return (jalr x0, 0(ra|t0)) may come back to a call site of this region.
                e.indirectExit(i.rd == 0 && i.imm == 0 && (i.rs1 == 1 || i.rs1 == 5));
            }
            case BEQ -> branch(e, i, false, IFEQ);
            case BNE -> branch(e, i, false, IFNE);
            case BLT -> branch(e, i, false, IFLT);
            case BGE -> branch(e, i, false, IFGE);
            case BLTU -> branch(e, i, true, IFLT);
            case BGEU -> branch(e, i, true, IFGE);
            case LB -> load(e, i, 1, true);
            case LH -> load(e, i, 2, true);
            case LW -> load(e, i, 4, true);
            case LD -> load(e, i, 8, true);
            case LBU -> load(e, i, 1, false);
            case LHU -> load(e, i, 2, false);
            case LWU -> load(e, i, 4, false);
            case SB -> store(e, i, 1);
            case SH -> store(e, i, 2);
            case SW -> store(e, i, 4);
            case SD -> store(e, i, 8);
            case ADDI -> immediate(e, i, LADD);
            case XORI -> immediate(e, i, LXOR);
            case ORI -> immediate(e, i, LOR);
            case ANDI -> immediate(e, i, LAND);
            case SLTI, SLTIU -> {
                if (i.rd == 0) return true;
                e.loadX(i.rs1);
                e.pushLong(i.imm);
                setLessThan(e, i.op == org.duvisor.rv64.isa.Op.SLTIU);
                e.storeX(i.rd);
            }
            case SLLI -> shiftImmediate(e, i, LSHL);
            case SRLI -> shiftImmediate(e, i, LUSHR);
            case SRAI -> shiftImmediate(e, i, LSHR);
            case ADDIW -> {
                if (i.rd == 0) return true;
                e.loadX(i.rs1);
                e.l2i();
                e.pushInt((int) i.imm);
                mv.visitInsn(IADD);
                e.i2l();
                e.storeX(i.rd);
            }
            case SLLIW -> wordShiftImmediate(e, i, ISHL);
            case SRLIW -> wordShiftImmediate(e, i, IUSHR);
            case SRAIW -> wordShiftImmediate(e, i, ISHR);
            case ADD -> register(e, i, LADD);
            case SUB -> register(e, i, LSUB);
            case XOR -> register(e, i, LXOR);
            case OR -> register(e, i, LOR);
            case AND -> register(e, i, LAND);
            case SLT, SLTU -> {
                if (i.rd == 0) return true;
                e.loadX(i.rs1);
                e.loadX(i.rs2);
                setLessThan(e, i.op == org.duvisor.rv64.isa.Op.SLTU);
                e.storeX(i.rd);
            }
            case SLL -> shiftRegister(e, i, LSHL);
            case SRL -> shiftRegister(e, i, LUSHR);
            case SRA -> shiftRegister(e, i, LSHR);
            case ADDW -> wordRegister(e, i, IADD);
            case SUBW -> wordRegister(e, i, ISUB);
            case SLLW -> wordRegister(e, i, ISHL);
            case SRLW -> wordRegister(e, i, IUSHR);
            case SRAW -> wordRegister(e, i, ISHR);
            default -> {
                return false;
            }
        }
        return true;
    }

    private static void constant(RegionEmitter e, int rd, long value) {
        if (rd == 0) return;
        e.pushLong(value);
        e.storeX(rd);
    }

    private static void branch(RegionEmitter e, Insn i, boolean unsigned, int ifOpcode) {
        e.loadX(i.rs1);
        if (unsigned) flipSign(e);
        e.loadX(i.rs2);
        if (unsigned) flipSign(e);
        e.mv.visitInsn(LCMP);
        e.branchIf(ifOpcode, e.pc() + i.imm);
    }

    /** Unsigned order is signed order with both sign bits flipped. */
    private static void flipSign(RegionEmitter e) {
        e.pushLong(Long.MIN_VALUE);
        e.mv.visitInsn(LXOR);
    }

    /** (a < b) as 0/1 from two longs on the stack, without a branch: lcmp is -1 exactly when a < b. */
    private static void setLessThan(RegionEmitter e, boolean unsigned) {
        MethodVisitor mv = e.mv;
        if (unsigned) {
            // stack: a b → flip both: store b, flip a, reload b, flip
            e.stashLong();
            flipSign(e);
            e.unstashLong();
            flipSign(e);
        }
        mv.visitInsn(LCMP);
        e.pushInt(31);
        mv.visitInsn(IUSHR);
        mv.visitInsn(I2L);
    }

    private static void load(RegionEmitter e, Insn i, int size, boolean signed) {
        e.loadX(i.rs1);
        e.pushLong(i.imm);
        e.mv.visitInsn(LADD);
        e.load(size, signed);
        e.storeX(i.rd);
    }

    private static void store(RegionEmitter e, Insn i, int size) {
        e.loadX(i.rs1);
        e.pushLong(i.imm);
        e.mv.visitInsn(LADD);
        e.loadX(i.rs2);
        e.store(size);
    }

    private static void immediate(RegionEmitter e, Insn i, int opcode) {
        if (i.rd == 0) return;
        e.loadX(i.rs1);
        e.pushLong(i.imm);
        e.mv.visitInsn(opcode);
        e.storeX(i.rd);
    }

    private static void register(RegionEmitter e, Insn i, int opcode) {
        if (i.rd == 0) return;
        e.loadX(i.rs1);
        e.loadX(i.rs2);
        e.mv.visitInsn(opcode);
        e.storeX(i.rd);
    }

    private static void shiftImmediate(RegionEmitter e, Insn i, int opcode) {
        if (i.rd == 0) return;
        e.loadX(i.rs1);
        e.pushInt((int) i.imm);
        e.mv.visitInsn(opcode);
        e.storeX(i.rd);
    }

    private static void shiftRegister(RegionEmitter e, Insn i, int opcode) {
        if (i.rd == 0) return;
        e.loadX(i.rs1);
        e.loadX(i.rs2);
        e.l2i(); // the JVM masks long shift counts to 6 bits, as RV64 does
        e.mv.visitInsn(opcode);
        e.storeX(i.rd);
    }

    private static void wordShiftImmediate(RegionEmitter e, Insn i, int opcode) {
        if (i.rd == 0) return;
        e.loadX(i.rs1);
        e.l2i();
        e.pushInt((int) i.imm);
        e.mv.visitInsn(opcode);
        e.i2l();
        e.storeX(i.rd);
    }

    private static void wordRegister(RegionEmitter e, Insn i, int opcode) {
        if (i.rd == 0) return;
        e.loadX(i.rs1);
        e.l2i();
        e.loadX(i.rs2);
        e.l2i();
        e.mv.visitInsn(opcode);
        e.i2l();
        e.storeX(i.rd);
    }
}
