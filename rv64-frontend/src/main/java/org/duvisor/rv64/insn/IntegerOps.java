package org.duvisor.rv64.insn;

import static org.objectweb.asm.Opcodes.*;

import org.duvisor.dbt.memory.SoftTlb;
import org.duvisor.rv64.dbt.RegionEmitter;
import org.duvisor.rv64.hart.Hart;
import org.duvisor.rv64.isa.Insn;
import org.duvisor.rv64.isa.Op;
import org.objectweb.asm.MethodVisitor;

/** RV64I: upper immediates, jumps, branches, loads, stores and integer arithmetic (chapters 2 and 5). */
public final class IntegerOps {
    private IntegerOps() {
    }

    /** The interpreter's handler for an RV64I operation (see {@link Semantics}). */
    static Semantics handler(Op op) {
        return switch (op) {
            case LUI -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    return lui_(h, i, pc);
                }
            };
            case AUIPC -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    return auipc_(h, i, pc);
                }
            };
            case ADDI -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    return addi_(h, i, pc);
                }
            };
            case SLTI -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    return slti_(h, i, pc);
                }
            };
            case SLTIU -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    return sltiu_(h, i, pc);
                }
            };
            case XORI -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    return xori_(h, i, pc);
                }
            };
            case ORI -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    return ori_(h, i, pc);
                }
            };
            case ANDI -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    return andi_(h, i, pc);
                }
            };
            case SLLI -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    return slli_(h, i, pc);
                }
            };
            case SRLI -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    return srli_(h, i, pc);
                }
            };
            case SRAI -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    return srai_(h, i, pc);
                }
            };
            case ADDIW -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    return addiw_(h, i, pc);
                }
            };
            case SLLIW -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    return slliw_(h, i, pc);
                }
            };
            case SRLIW -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    return srliw_(h, i, pc);
                }
            };
            case SRAIW -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    return sraiw_(h, i, pc);
                }
            };
            case ADD -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    return add_(h, i, pc);
                }
            };
            case SUB -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    return sub_(h, i, pc);
                }
            };
            case SLL -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    return sll_(h, i, pc);
                }
            };
            case SLT -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    return slt_(h, i, pc);
                }
            };
            case SLTU -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    return sltu_(h, i, pc);
                }
            };
            case XOR -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    return xor_(h, i, pc);
                }
            };
            case SRL -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    return srl_(h, i, pc);
                }
            };
            case SRA -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    return sra_(h, i, pc);
                }
            };
            case OR -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    return or_(h, i, pc);
                }
            };
            case AND -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    return and_(h, i, pc);
                }
            };
            case ADDW -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    return addw_(h, i, pc);
                }
            };
            case SUBW -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    return subw_(h, i, pc);
                }
            };
            case SLLW -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    return sllw_(h, i, pc);
                }
            };
            case SRLW -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    return srlw_(h, i, pc);
                }
            };
            case SRAW -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    return sraw_(h, i, pc);
                }
            };
            case BEQ -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    return beq_(h, i, pc);
                }
            };
            case BNE -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    return bne_(h, i, pc);
                }
            };
            case BLT -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    return blt_(h, i, pc);
                }
            };
            case BGE -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    return bge_(h, i, pc);
                }
            };
            case BLTU -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    return bltu_(h, i, pc);
                }
            };
            case BGEU -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    return bgeu_(h, i, pc);
                }
            };
            case LB -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    return lb_(h, i, pc);
                }
            };
            case LBU -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    return lbu_(h, i, pc);
                }
            };
            case LH -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    return lh_(h, i, pc);
                }
            };
            case LHU -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    return lhu_(h, i, pc);
                }
            };
            case LW -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    return lw_(h, i, pc);
                }
            };
            case LWU -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    return lwu_(h, i, pc);
                }
            };
            case LD -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    return ld_(h, i, pc);
                }
            };
            case SB -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    return sb_(h, i, pc);
                }
            };
            case SH -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    return sh_(h, i, pc);
                }
            };
            case SW -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    return sw_(h, i, pc);
                }
            };
            case SD -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    return sd_(h, i, pc);
                }
            };
            case JAL -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    return jal_(h, i, pc);
                }
            };
            case JALR -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    return jalr_(h, i, pc);
                }
            };
            default -> throw new IllegalStateException("not an RV64I operation: " + op);
        };
    }

    /** Executes one RV64I instruction (the interpreter calls the per-operation handlers directly). */
    public static long execute(Hart h, Insn i, long pc) {
        return Semantics.of(i.op).execute(h, i, pc);
    }

    // Java masks shift counts to 6 bits for long and 5 bits for int, as RV64's shifts and W shifts require.
    public static long lui_(Hart h, Insn i, long pc) {
        long[] x = h.x;
        h.setX(i.rd, i.imm);
        return pc + i.length;
    }

    public static long auipc_(Hart h, Insn i, long pc) {
        long[] x = h.x;
        h.setX(i.rd, pc + i.imm);
        return pc + i.length;
    }

    public static long addi_(Hart h, Insn i, long pc) {
        long[] x = h.x;
        h.setX(i.rd, x[i.rs1] + i.imm);
        return pc + i.length;
    }

    public static long slti_(Hart h, Insn i, long pc) {
        long[] x = h.x;
        h.setX(i.rd, x[i.rs1] < i.imm ? 1 : 0);
        return pc + i.length;
    }

    public static long sltiu_(Hart h, Insn i, long pc) {
        long[] x = h.x;
        h.setX(i.rd, Long.compareUnsigned(x[i.rs1], i.imm) < 0 ? 1 : 0);
        return pc + i.length;
    }

    public static long xori_(Hart h, Insn i, long pc) {
        long[] x = h.x;
        h.setX(i.rd, x[i.rs1] ^ i.imm);
        return pc + i.length;
    }

    public static long ori_(Hart h, Insn i, long pc) {
        long[] x = h.x;
        h.setX(i.rd, x[i.rs1] | i.imm);
        return pc + i.length;
    }

    public static long andi_(Hart h, Insn i, long pc) {
        long[] x = h.x;
        h.setX(i.rd, x[i.rs1] & i.imm);
        return pc + i.length;
    }

    public static long slli_(Hart h, Insn i, long pc) {
        long[] x = h.x;
        h.setX(i.rd, x[i.rs1] << i.imm);
        return pc + i.length;
    }

    public static long srli_(Hart h, Insn i, long pc) {
        long[] x = h.x;
        h.setX(i.rd, x[i.rs1] >>> i.imm);
        return pc + i.length;
    }

    public static long srai_(Hart h, Insn i, long pc) {
        long[] x = h.x;
        h.setX(i.rd, x[i.rs1] >> i.imm);
        return pc + i.length;
    }

    public static long addiw_(Hart h, Insn i, long pc) {
        long[] x = h.x;
        h.setX(i.rd, (int) (x[i.rs1] + i.imm));
        return pc + i.length;
    }

    public static long slliw_(Hart h, Insn i, long pc) {
        long[] x = h.x;
        h.setX(i.rd, (int) x[i.rs1] << i.imm);
        return pc + i.length;
    }

    public static long srliw_(Hart h, Insn i, long pc) {
        long[] x = h.x;
        h.setX(i.rd, (int) x[i.rs1] >>> i.imm);
        return pc + i.length;
    }

    public static long sraiw_(Hart h, Insn i, long pc) {
        long[] x = h.x;
        h.setX(i.rd, (int) x[i.rs1] >> i.imm);
        return pc + i.length;
    }

    public static long add_(Hart h, Insn i, long pc) {
        long[] x = h.x;
        h.setX(i.rd, x[i.rs1] + x[i.rs2]);
        return pc + i.length;
    }

    public static long sub_(Hart h, Insn i, long pc) {
        long[] x = h.x;
        h.setX(i.rd, x[i.rs1] - x[i.rs2]);
        return pc + i.length;
    }

    public static long sll_(Hart h, Insn i, long pc) {
        long[] x = h.x;
        h.setX(i.rd, x[i.rs1] << x[i.rs2]);
        return pc + i.length;
    }

    public static long slt_(Hart h, Insn i, long pc) {
        long[] x = h.x;
        h.setX(i.rd, x[i.rs1] < x[i.rs2] ? 1 : 0);
        return pc + i.length;
    }

    public static long sltu_(Hart h, Insn i, long pc) {
        long[] x = h.x;
        h.setX(i.rd, Long.compareUnsigned(x[i.rs1], x[i.rs2]) < 0 ? 1 : 0);
        return pc + i.length;
    }

    public static long xor_(Hart h, Insn i, long pc) {
        long[] x = h.x;
        h.setX(i.rd, x[i.rs1] ^ x[i.rs2]);
        return pc + i.length;
    }

    public static long srl_(Hart h, Insn i, long pc) {
        long[] x = h.x;
        h.setX(i.rd, x[i.rs1] >>> x[i.rs2]);
        return pc + i.length;
    }

    public static long sra_(Hart h, Insn i, long pc) {
        long[] x = h.x;
        h.setX(i.rd, x[i.rs1] >> x[i.rs2]);
        return pc + i.length;
    }

    public static long or_(Hart h, Insn i, long pc) {
        long[] x = h.x;
        h.setX(i.rd, x[i.rs1] | x[i.rs2]);
        return pc + i.length;
    }

    public static long and_(Hart h, Insn i, long pc) {
        long[] x = h.x;
        h.setX(i.rd, x[i.rs1] & x[i.rs2]);
        return pc + i.length;
    }

    public static long addw_(Hart h, Insn i, long pc) {
        long[] x = h.x;
        h.setX(i.rd, (int) (x[i.rs1] + x[i.rs2]));
        return pc + i.length;
    }

    public static long subw_(Hart h, Insn i, long pc) {
        long[] x = h.x;
        h.setX(i.rd, (int) (x[i.rs1] - x[i.rs2]));
        return pc + i.length;
    }

    public static long sllw_(Hart h, Insn i, long pc) {
        long[] x = h.x;
        h.setX(i.rd, (int) x[i.rs1] << x[i.rs2]);
        return pc + i.length;
    }

    public static long srlw_(Hart h, Insn i, long pc) {
        long[] x = h.x;
        h.setX(i.rd, (int) x[i.rs1] >>> x[i.rs2]);
        return pc + i.length;
    }

    public static long sraw_(Hart h, Insn i, long pc) {
        long[] x = h.x;
        h.setX(i.rd, (int) x[i.rs1] >> x[i.rs2]);
        return pc + i.length;
    }

    public static long beq_(Hart h, Insn i, long pc) {
        long a = h.x[i.rs1], b = h.x[i.rs2];
        return a == b ? pc + i.imm : pc + i.length;
    }

    public static long bne_(Hart h, Insn i, long pc) {
        long a = h.x[i.rs1], b = h.x[i.rs2];
        return a != b ? pc + i.imm : pc + i.length;
    }

    public static long blt_(Hart h, Insn i, long pc) {
        long a = h.x[i.rs1], b = h.x[i.rs2];
        return a < b ? pc + i.imm : pc + i.length;
    }

    public static long bge_(Hart h, Insn i, long pc) {
        long a = h.x[i.rs1], b = h.x[i.rs2];
        return a >= b ? pc + i.imm : pc + i.length;
    }

    public static long bltu_(Hart h, Insn i, long pc) {
        long a = h.x[i.rs1], b = h.x[i.rs2];
        return Long.compareUnsigned(a, b) < 0 ? pc + i.imm : pc + i.length;
    }

    public static long bgeu_(Hart h, Insn i, long pc) {
        long a = h.x[i.rs1], b = h.x[i.rs2];
        return Long.compareUnsigned(a, b) >= 0 ? pc + i.imm : pc + i.length;
    }

    public static long lb_(Hart h, Insn i, long pc) {
        SoftTlb tlb = h.tlb;
        long address = h.x[i.rs1] + i.imm;
        long v = tlb.load8(address);
        if (h.trapPending) return pc;
        h.setX(i.rd, v);
        return pc + i.length;
    }

    public static long lbu_(Hart h, Insn i, long pc) {
        SoftTlb tlb = h.tlb;
        long address = h.x[i.rs1] + i.imm;
        long v = tlb.load8(address) & 0xFFL;
        if (h.trapPending) return pc;
        h.setX(i.rd, v);
        return pc + i.length;
    }

    public static long lh_(Hart h, Insn i, long pc) {
        SoftTlb tlb = h.tlb;
        long address = h.x[i.rs1] + i.imm;
        long v = tlb.load16(address);
        if (h.trapPending) return pc;
        h.setX(i.rd, v);
        return pc + i.length;
    }

    public static long lhu_(Hart h, Insn i, long pc) {
        SoftTlb tlb = h.tlb;
        long address = h.x[i.rs1] + i.imm;
        long v = tlb.load16(address) & 0xFFFFL;
        if (h.trapPending) return pc;
        h.setX(i.rd, v);
        return pc + i.length;
    }

    public static long lw_(Hart h, Insn i, long pc) {
        SoftTlb tlb = h.tlb;
        long address = h.x[i.rs1] + i.imm;
        long v = tlb.load32(address);
        if (h.trapPending) return pc;
        h.setX(i.rd, v);
        return pc + i.length;
    }

    public static long lwu_(Hart h, Insn i, long pc) {
        SoftTlb tlb = h.tlb;
        long address = h.x[i.rs1] + i.imm;
        long v = tlb.load32(address) & 0xFFFF_FFFFL;
        if (h.trapPending) return pc;
        h.setX(i.rd, v);
        return pc + i.length;
    }

    public static long ld_(Hart h, Insn i, long pc) {
        SoftTlb tlb = h.tlb;
        long address = h.x[i.rs1] + i.imm;
        long v = tlb.load64(address);
        if (h.trapPending) return pc;
        h.setX(i.rd, v);
        return pc + i.length;
    }

    public static long sb_(Hart h, Insn i, long pc) {
        long address = h.x[i.rs1] + i.imm, v = h.x[i.rs2];
        h.tlb.store8(address, (byte) v);
        return h.trapPending ? pc : pc + i.length;
    }

    public static long sh_(Hart h, Insn i, long pc) {
        long address = h.x[i.rs1] + i.imm, v = h.x[i.rs2];
        h.tlb.store16(address, (short) v);
        return h.trapPending ? pc : pc + i.length;
    }

    public static long sw_(Hart h, Insn i, long pc) {
        long address = h.x[i.rs1] + i.imm, v = h.x[i.rs2];
        h.tlb.store32(address, (int) v);
        return h.trapPending ? pc : pc + i.length;
    }

    public static long sd_(Hart h, Insn i, long pc) {
        long address = h.x[i.rs1] + i.imm, v = h.x[i.rs2];
        h.tlb.store64(address, v);
        return h.trapPending ? pc : pc + i.length;
    }

    public static long jal_(Hart h, Insn i, long pc) {
        h.setX(i.rd, pc + i.length);
        return pc + i.imm;
    }

    public static long jalr_(Hart h, Insn i, long pc) {
        long target = (h.x[i.rs1] + i.imm) & ~1L;
        h.setX(i.rd, pc + i.length);
        return target;
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

    // ---- translation: the same semantics as the handlers above, as inline bytecode ----

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
