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

    /** The interpreter's handler for an RV64I operation (see {@link Semantics}): one of the methods below. */
    static Semantics handler(Op op) {
        return switch (op) {
            case LUI -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    lui_(h, i);
                    h.x[0] = 0;
                    return pc + i.length;
                }
            };
            case ADDI -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    addi_(h, i);
                    h.x[0] = 0;
                    return pc + i.length;
                }
            };
            case SLTI -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    slti_(h, i);
                    h.x[0] = 0;
                    return pc + i.length;
                }
            };
            case SLTIU -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    sltiu_(h, i);
                    h.x[0] = 0;
                    return pc + i.length;
                }
            };
            case XORI -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    xori_(h, i);
                    h.x[0] = 0;
                    return pc + i.length;
                }
            };
            case ORI -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    ori_(h, i);
                    h.x[0] = 0;
                    return pc + i.length;
                }
            };
            case ANDI -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    andi_(h, i);
                    h.x[0] = 0;
                    return pc + i.length;
                }
            };
            case SLLI -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    slli_(h, i);
                    h.x[0] = 0;
                    return pc + i.length;
                }
            };
            case SRLI -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    srli_(h, i);
                    h.x[0] = 0;
                    return pc + i.length;
                }
            };
            case SRAI -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    srai_(h, i);
                    h.x[0] = 0;
                    return pc + i.length;
                }
            };
            case ADDIW -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    addiw_(h, i);
                    h.x[0] = 0;
                    return pc + i.length;
                }
            };
            case SLLIW -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    slliw_(h, i);
                    h.x[0] = 0;
                    return pc + i.length;
                }
            };
            case SRLIW -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    srliw_(h, i);
                    h.x[0] = 0;
                    return pc + i.length;
                }
            };
            case SRAIW -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    sraiw_(h, i);
                    h.x[0] = 0;
                    return pc + i.length;
                }
            };
            case ADD -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    add_(h, i);
                    h.x[0] = 0;
                    return pc + i.length;
                }
            };
            case SUB -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    sub_(h, i);
                    h.x[0] = 0;
                    return pc + i.length;
                }
            };
            case SLL -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    sll_(h, i);
                    h.x[0] = 0;
                    return pc + i.length;
                }
            };
            case SLT -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    slt_(h, i);
                    h.x[0] = 0;
                    return pc + i.length;
                }
            };
            case SLTU -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    sltu_(h, i);
                    h.x[0] = 0;
                    return pc + i.length;
                }
            };
            case XOR -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    xor_(h, i);
                    h.x[0] = 0;
                    return pc + i.length;
                }
            };
            case SRL -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    srl_(h, i);
                    h.x[0] = 0;
                    return pc + i.length;
                }
            };
            case SRA -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    sra_(h, i);
                    h.x[0] = 0;
                    return pc + i.length;
                }
            };
            case OR -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    or_(h, i);
                    h.x[0] = 0;
                    return pc + i.length;
                }
            };
            case AND -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    and_(h, i);
                    h.x[0] = 0;
                    return pc + i.length;
                }
            };
            case ADDW -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    addw_(h, i);
                    h.x[0] = 0;
                    return pc + i.length;
                }
            };
            case SUBW -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    subw_(h, i);
                    h.x[0] = 0;
                    return pc + i.length;
                }
            };
            case SLLW -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    sllw_(h, i);
                    h.x[0] = 0;
                    return pc + i.length;
                }
            };
            case SRLW -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    srlw_(h, i);
                    h.x[0] = 0;
                    return pc + i.length;
                }
            };
            case SRAW -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    sraw_(h, i);
                    h.x[0] = 0;
                    return pc + i.length;
                }
            };
            case AUIPC -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    auipc_(h, i, pc);
                    return pc + i.length;
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
            case LB -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    lb_(h, i);
                    return h.trapPending ? pc : pc + i.length;
                }
            };
            case LBU -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    lbu_(h, i);
                    return h.trapPending ? pc : pc + i.length;
                }
            };
            case LH -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    lh_(h, i);
                    return h.trapPending ? pc : pc + i.length;
                }
            };
            case LHU -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    lhu_(h, i);
                    return h.trapPending ? pc : pc + i.length;
                }
            };
            case LW -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    lw_(h, i);
                    return h.trapPending ? pc : pc + i.length;
                }
            };
            case LWU -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    lwu_(h, i);
                    return h.trapPending ? pc : pc + i.length;
                }
            };
            case LD -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    ld_(h, i);
                    return h.trapPending ? pc : pc + i.length;
                }
            };
            case SB -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    sb_(h, i);
                    return h.trapPending ? pc : pc + i.length;
                }
            };
            case SH -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    sh_(h, i);
                    return h.trapPending ? pc : pc + i.length;
                }
            };
            case SW -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    sw_(h, i);
                    return h.trapPending ? pc : pc + i.length;
                }
            };
            case SD -> new Semantics() {
                @Override
                public long execute(Hart h, Insn i, long pc) {
                    sd_(h, i);
                    return h.trapPending ? pc : pc + i.length;
                }
            };
            default -> throw new IllegalStateException("not an RV64I operation: " + op);
        };
    }

    /** Executes one RV64I instruction (the interpreter calls the per-operation methods directly). */
    public static long execute(Hart h, Insn i, long pc) {
        return Semantics.of(i.op).execute(h, i, pc);
    }

    // The interpreter's semantics, one method per operation. Computations and loads write rd and
    // leave the pc to the caller (pc + length); AUIPC takes its pc; jumps and branches return the
    // next pc. A load or store that faults leaves the trap pending and rd unchanged.
    //
    // The computations (LUI to SRAW) write x[rd] even when rd is x0, saving the interpreter's loop
    // a test per instruction: their callers keep x0 zero (the interpreter decodes a computation
    // into x0 as a no-op; the Semantics handlers above clear x[0] again). The others test rd
    // themselves, without calling Hart.setX: the interpreter's loop inlines these methods, and a
    // call nested in them is inlined or not by C2 from a profile that may predate the hot phase
    // (seen: a third of the calls to setX left out of line).
    //
    // Java masks shift counts to 6 bits for long and 5 bits for int, as RV64's shifts and W shifts require.

    public static void lui_(Hart h, Insn i) {
        long[] x = h.x;
        x[i.rd] = i.imm;
    }

    public static void addi_(Hart h, Insn i) {
        long[] x = h.x;
        x[i.rd] = x[i.rs1] + i.imm;
    }

    public static void slti_(Hart h, Insn i) {
        long[] x = h.x;
        x[i.rd] = x[i.rs1] < i.imm ? 1 : 0;
    }

    public static void sltiu_(Hart h, Insn i) {
        long[] x = h.x;
        x[i.rd] = Long.compareUnsigned(x[i.rs1], i.imm) < 0 ? 1 : 0;
    }

    public static void xori_(Hart h, Insn i) {
        long[] x = h.x;
        x[i.rd] = x[i.rs1] ^ i.imm;
    }

    public static void ori_(Hart h, Insn i) {
        long[] x = h.x;
        x[i.rd] = x[i.rs1] | i.imm;
    }

    public static void andi_(Hart h, Insn i) {
        long[] x = h.x;
        x[i.rd] = x[i.rs1] & i.imm;
    }

    public static void slli_(Hart h, Insn i) {
        long[] x = h.x;
        x[i.rd] = x[i.rs1] << i.imm;
    }

    public static void srli_(Hart h, Insn i) {
        long[] x = h.x;
        x[i.rd] = x[i.rs1] >>> i.imm;
    }

    public static void srai_(Hart h, Insn i) {
        long[] x = h.x;
        x[i.rd] = x[i.rs1] >> i.imm;
    }

    public static void addiw_(Hart h, Insn i) {
        long[] x = h.x;
        x[i.rd] = (int) (x[i.rs1] + i.imm);
    }

    public static void slliw_(Hart h, Insn i) {
        long[] x = h.x;
        x[i.rd] = (int) x[i.rs1] << i.imm;
    }

    public static void srliw_(Hart h, Insn i) {
        long[] x = h.x;
        x[i.rd] = (int) x[i.rs1] >>> i.imm;
    }

    public static void sraiw_(Hart h, Insn i) {
        long[] x = h.x;
        x[i.rd] = (int) x[i.rs1] >> i.imm;
    }

    public static void add_(Hart h, Insn i) {
        long[] x = h.x;
        x[i.rd] = x[i.rs1] + x[i.rs2];
    }

    public static void sub_(Hart h, Insn i) {
        long[] x = h.x;
        x[i.rd] = x[i.rs1] - x[i.rs2];
    }

    public static void sll_(Hart h, Insn i) {
        long[] x = h.x;
        x[i.rd] = x[i.rs1] << x[i.rs2];
    }

    public static void slt_(Hart h, Insn i) {
        long[] x = h.x;
        x[i.rd] = x[i.rs1] < x[i.rs2] ? 1 : 0;
    }

    public static void sltu_(Hart h, Insn i) {
        long[] x = h.x;
        x[i.rd] = Long.compareUnsigned(x[i.rs1], x[i.rs2]) < 0 ? 1 : 0;
    }

    public static void xor_(Hart h, Insn i) {
        long[] x = h.x;
        x[i.rd] = x[i.rs1] ^ x[i.rs2];
    }

    public static void srl_(Hart h, Insn i) {
        long[] x = h.x;
        x[i.rd] = x[i.rs1] >>> x[i.rs2];
    }

    public static void sra_(Hart h, Insn i) {
        long[] x = h.x;
        x[i.rd] = x[i.rs1] >> x[i.rs2];
    }

    public static void or_(Hart h, Insn i) {
        long[] x = h.x;
        x[i.rd] = x[i.rs1] | x[i.rs2];
    }

    public static void and_(Hart h, Insn i) {
        long[] x = h.x;
        x[i.rd] = x[i.rs1] & x[i.rs2];
    }

    public static void addw_(Hart h, Insn i) {
        long[] x = h.x;
        x[i.rd] = (int) (x[i.rs1] + x[i.rs2]);
    }

    public static void subw_(Hart h, Insn i) {
        long[] x = h.x;
        x[i.rd] = (int) (x[i.rs1] - x[i.rs2]);
    }

    public static void sllw_(Hart h, Insn i) {
        long[] x = h.x;
        x[i.rd] = (int) x[i.rs1] << x[i.rs2];
    }

    public static void srlw_(Hart h, Insn i) {
        long[] x = h.x;
        x[i.rd] = (int) x[i.rs1] >>> x[i.rs2];
    }

    public static void sraw_(Hart h, Insn i) {
        long[] x = h.x;
        x[i.rd] = (int) x[i.rs1] >> x[i.rs2];
    }

    public static void auipc_(Hart h, Insn i, long pc) {
        if (i.rd != 0) h.x[i.rd] = pc + i.imm;
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

    public static long jal_(Hart h, Insn i, long pc) {
        if (i.rd != 0) h.x[i.rd] = pc + i.length;
        return pc + i.imm;
    }

    public static long jalr_(Hart h, Insn i, long pc) {
        long target = (h.x[i.rs1] + i.imm) & ~1L;
        if (i.rd != 0) h.x[i.rd] = pc + i.length;
        return target;
    }

    public static void lb_(Hart h, Insn i) {
        SoftTlb tlb = h.tlb;
        long address = h.x[i.rs1] + i.imm;
        long v = tlb.load8(address);
        if (!h.trapPending && i.rd != 0) h.x[i.rd] = v;
    }

    public static void lbu_(Hart h, Insn i) {
        SoftTlb tlb = h.tlb;
        long address = h.x[i.rs1] + i.imm;
        long v = tlb.load8(address) & 0xFFL;
        if (!h.trapPending && i.rd != 0) h.x[i.rd] = v;
    }

    public static void lh_(Hart h, Insn i) {
        SoftTlb tlb = h.tlb;
        long address = h.x[i.rs1] + i.imm;
        long v = tlb.load16(address);
        if (!h.trapPending && i.rd != 0) h.x[i.rd] = v;
    }

    public static void lhu_(Hart h, Insn i) {
        SoftTlb tlb = h.tlb;
        long address = h.x[i.rs1] + i.imm;
        long v = tlb.load16(address) & 0xFFFFL;
        if (!h.trapPending && i.rd != 0) h.x[i.rd] = v;
    }

    public static void lw_(Hart h, Insn i) {
        SoftTlb tlb = h.tlb;
        long address = h.x[i.rs1] + i.imm;
        long v = tlb.load32(address);
        if (!h.trapPending && i.rd != 0) h.x[i.rd] = v;
    }

    public static void lwu_(Hart h, Insn i) {
        SoftTlb tlb = h.tlb;
        long address = h.x[i.rs1] + i.imm;
        long v = tlb.load32(address) & 0xFFFF_FFFFL;
        if (!h.trapPending && i.rd != 0) h.x[i.rd] = v;
    }

    public static void ld_(Hart h, Insn i) {
        SoftTlb tlb = h.tlb;
        long address = h.x[i.rs1] + i.imm;
        long v = tlb.load64(address);
        if (!h.trapPending && i.rd != 0) h.x[i.rd] = v;
    }

    public static void sb_(Hart h, Insn i) {
        h.tlb.store8(h.x[i.rs1] + i.imm, (byte) h.x[i.rs2]);
    }

    public static void sh_(Hart h, Insn i) {
        h.tlb.store16(h.x[i.rs1] + i.imm, (short) h.x[i.rs2]);
    }

    public static void sw_(Hart h, Insn i) {
        h.tlb.store32(h.x[i.rs1] + i.imm, (int) h.x[i.rs2]);
    }

    public static void sd_(Hart h, Insn i) {
        h.tlb.store64(h.x[i.rs1] + i.imm, h.x[i.rs2]);
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
                e.indirectExit(isReturn(i));
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
            case XORI -> logicImmediate(e, i, LXOR, IXOR);
            case ORI -> logicImmediate(e, i, LOR, IOR);
            case ANDI -> logicImmediate(e, i, LAND, IAND);
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
            case XOR -> logic(e, i, LXOR, IXOR);
            case OR -> logic(e, i, LOR, IOR);
            case AND -> logic(e, i, LAND, IAND);
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

    /**
     * The guest registers that hold sign-extended 32-bit values after {@code i} (bit r for x[r],
     * see {@link RegionEmitter#holdsWord}), given those that did before: its rd does if it is the
     * result of a *W operation (M's included), a load of at most 4 bytes other than LWU, LUI, a
     * 0/1 comparison, li, a mv (ADDI +0, or ADD with x0: C.MV) of a word, or AND, OR, XOR (or
     * their immediate forms, whose immediates are sign-extended 12-bit values) of words. Any other
     * instruction is taken to write a value of any width to its rd.
     */
    public static int wordsAfter(Insn i, int words) {
        if (i.rd == 0) return words;
        boolean word = switch (i.op) {
            case LUI, ADDIW, SLLIW, SRLIW, SRAIW, ADDW, SUBW, SLLW, SRLW, SRAW, SLT, SLTU, SLTI, SLTIU,
                 LB, LH, LW, LBU, LHU, MULW, DIVW, DIVUW, REMW, REMUW -> true;
            case ADDI -> i.rs1 == 0 || i.imm == 0 && RegionEmitter.holdsWord(words, i.rs1);
            case ADD -> i.rs1 == 0 && RegionEmitter.holdsWord(words, i.rs2)
                    || i.rs2 == 0 && RegionEmitter.holdsWord(words, i.rs1); // c.mv is add rd, x0, rs2
            case AND, OR, XOR -> RegionEmitter.holdsWord(words, i.rs1) && RegionEmitter.holdsWord(words, i.rs2);
            case ANDI, ORI, XORI -> RegionEmitter.holdsWord(words, i.rs1);
            default -> false;
        };
        return word ? words | 1 << i.rd : words & ~(1 << i.rd);
    }

    /** A return: {@code jalr x0, 0(ra)} or through t0, the alternate link register. */
    public static boolean isReturn(Insn i) {
        return i.op == Op.JALR && i.rd == 0 && i.imm == 0 && (i.rs1 == 1 || i.rs1 == 5);
    }

    private static void constant(RegionEmitter e, int rd, long value) {
        if (rd == 0) return;
        e.pushLong(value);
        e.storeX(rd);
    }

    private static void branch(RegionEmitter e, Insn i, boolean unsigned, int ifOpcode) {
        if (e.holdsWord(i.rs1) && e.holdsWord(i.rs2)) {
            // Sign extension keeps both the signed and the unsigned order of 32-bit values.
            e.loadWord(i.rs1);
            e.loadWord(i.rs2);
            if (unsigned) {
                e.invokeStatic(Integer.class, "compareUnsigned", "(II)I");
                e.branchIf(ifOpcode, e.pc() + i.imm);
            } else {
                e.branchIf(ifOpcode - IFEQ + IF_ICMPEQ, e.pc() + i.imm);
            }
            return;
        }
        e.loadX(i.rs1);
        e.loadX(i.rs2);
        compare(e, unsigned);
        e.branchIf(ifOpcode, e.pc() + i.imm);
    }

    /**
     * Compares the two longs on the stack to -1/0/1. The unsigned order goes through
     * {@link Long#compareUnsigned}, which C2 compiles, followed by a test against zero, to one
     * unsigned compare (flipping both sign bits and comparing signed costs two more instructions).
     */
    private static void compare(RegionEmitter e, boolean unsigned) {
        if (unsigned) e.invokeStatic(Long.class, "compareUnsigned", "(JJ)I");
        else e.mv.visitInsn(LCMP);
    }

    /** (a < b) as 0/1 from two longs on the stack, without a branch: the comparison is -1 exactly when a < b. */
    private static void setLessThan(RegionEmitter e, boolean unsigned) {
        compare(e, unsigned);
        e.pushInt(31);
        e.mv.visitInsn(IUSHR);
        e.mv.visitInsn(I2L);
    }

    private static void load(RegionEmitter e, Insn i, int size, boolean signed) {
        if (size == 8 && e.knownMemory(i.rs1, i.imm)) {
            e.storeX(i.rd);
            return;
        }
        e.loadX(i.rs1);
        e.pushLong(i.imm);
        e.mv.visitInsn(LADD);
        e.load(size, signed, i.rs1);
        if (size == 8) e.rememberLoad(i.rs1, i.imm);
        e.storeX(i.rd);
    }

    private static void store(RegionEmitter e, Insn i, int size) {
        e.loadX(i.rs1);
        e.pushLong(i.imm);
        e.mv.visitInsn(LADD);
        e.loadX(i.rs2);
        e.store(size, i.rs1);
        if (size == 8) e.rememberStore(i.rs1, i.imm, i.rs2, false);
        else e.forgetMemory();
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

    /** AND, OR or XOR: on two words, as the int operation (see {@link RegionEmitter#holdsWord}). */
    private static void logic(RegionEmitter e, Insn i, int longOpcode, int intOpcode) {
        if (i.rd == 0) return;
        if (!e.holdsWord(i.rs1) || !e.holdsWord(i.rs2)) {
            register(e, i, longOpcode);
            return;
        }
        e.loadWord(i.rs1);
        e.loadWord(i.rs2);
        e.mv.visitInsn(intOpcode);
        e.i2l();
        e.storeX(i.rd);
    }

    /** ANDI, ORI or XORI: the immediate is a sign-extended 12-bit value, so a word with a word gives a word. */
    private static void logicImmediate(RegionEmitter e, Insn i, int longOpcode, int intOpcode) {
        if (i.rd == 0) return;
        if (!e.holdsWord(i.rs1)) {
            immediate(e, i, longOpcode);
            return;
        }
        e.loadWord(i.rs1);
        e.pushInt((int) i.imm);
        e.mv.visitInsn(intOpcode);
        e.i2l();
        e.storeX(i.rd);
    }
}
