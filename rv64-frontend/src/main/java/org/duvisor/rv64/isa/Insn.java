package org.duvisor.rv64.isa;

/**
 * One decoded instruction: the operation and its operands, extracted once so that the interpreter
 * and the translator never look at encoding bits again.
 *
 * <p>Compressed instructions are expanded to the 32-bit operation they stand for (RVC spec, "each
 * RVC instruction expands into a single 32-bit instruction") and keep {@code length == 2}.
 */
public final class Insn {
    public final Op op;
    public final int rd;
    public final int rs1;
    public final int rs2;
    public final int rs3;
    /** Immediate, branch/jump offset, shift amount, CSR number or fence fields, per the format. */
    public final long imm;
    /** Rounding-mode field for FP operations; aq/rl bits (aq = 2, rl = 1) for atomics. */
    public final int rm;
    /** 2 or 4 bytes. */
    public final int length;
    /** The raw encoding (16 or 32 bits). */
    public final int bits;

    public Insn(Op op, int rd, int rs1, int rs2, int rs3, long imm, int rm, int length, int bits) {
        this.op = op;
        this.rd = rd;
        this.rs1 = rs1;
        this.rs2 = rs2;
        this.rs3 = rs3;
        this.imm = imm;
        this.rm = rm;
        this.length = length;
        this.bits = bits;
    }

    public boolean isCompressed() {
        return length == 2;
    }

    /** Whether this instruction may change the pc other than by falling through. */
    public boolean endsBlock() {
        return switch (op) {
            case JAL, JALR, BEQ, BNE, BLT, BGE, BLTU, BGEU, ECALL, EBREAK, FENCE_I, SRET, MRET, WFI,
                 SFENCE_VMA, HFENCE_VVMA, HFENCE_GVMA, HURET, HUFENCE_VVMA, HUFENCE_GVMA, CSRRW, CSRRS, CSRRC, CSRRWI, CSRRSI, CSRRCI -> true;
            default -> false;
        };
    }

    @Override
    public String toString() {
        return String.format("%s rd=%d rs1=%d rs2=%d rs3=%d imm=%d rm=%d (%0" + (length * 2) + "x)",
                op.mnemonic, rd, rs1, rs2, rs3, imm, rm, bits);
    }
}
