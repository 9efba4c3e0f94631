package org.duvisor.rv64.insn;

import org.duvisor.dbt.memory.SoftTlb;
import org.duvisor.rv64.hart.Hart;
import org.duvisor.rv64.isa.Insn;

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
}
