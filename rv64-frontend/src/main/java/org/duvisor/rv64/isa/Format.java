package org.duvisor.rv64.isa;

/**
 * How a 32-bit encoding lays out its operands (Unprivileged ISA, "Base Instruction Formats").
 * The format fixes which fields the decoder extracts and which bits the mask must not cover.
 */
public enum Format {
    /** rd, rs1, rs2. */
    R(0xFE00707F),
    /** rd, rs1, 12-bit signed immediate. */
    I(0x0000707F),
    /** rd, rs1, 6-bit shift amount (RV64 OP-IMM shifts; imm[11:6] is part of the opcode). */
    SHIFT64(0xFC00707F),
    /** rd, rs1, 5-bit shift amount (OP-IMM-32 shifts). */
    SHIFT32(0xFE00707F),
    /** rd, rs1; the rs2 field (or imm[11:0]) is part of the opcode. */
    UNARY(0xFFF0707F),
    /** rd, offset(rs1). */
    LOAD(0x0000707F),
    /** rs2, offset(rs1). */
    STORE(0x0000707F),
    /** rs1, rs2, pc-relative offset. */
    BRANCH(0x0000707F),
    /** rd, 20-bit upper immediate. */
    U(0x0000007F),
    /** rd, pc-relative 21-bit offset. */
    J(0x0000007F),
    /** rd, csr, rs1. */
    CSR(0x0000707F),
    /** rd, csr, 5-bit unsigned immediate in the rs1 field. */
    CSRI(0x0000707F),
    /** rd, rs2, (rs1), with aq/rl. */
    AMO(0xF800707F),
    /** rd, (rs1), with aq/rl; rs2 must be 0. */
    LR(0xF9F0707F),
    /** pred, succ (and fm); rd and rs1 are reserved and ignored. */
    FENCE(0x0000707F),
    /** No operands: every bit is fixed. */
    NONE(0xFFFFFFFF),
    /** rs1, rs2; rd must be 0 (sfence.vma, hfence.*). */
    FENCE_VMA(0xFE007FFF),
    /** rd, rs1, rs2, rounding mode. */
    FP_R(0xFE00007F),
    /** rd, rs1, rounding mode; rs2 field is part of the opcode. */
    FP_R1(0xFFF0007F),
    /** rd, rs1, rs2, rs3, rounding mode (fused multiply-add). */
    FP_R4(0x0600007F);

    /** The bits of an encoding this format leaves to the opcode (the rest are operands). */
    public final int opcodeMask;

    Format(int opcodeMask) {
        this.opcodeMask = opcodeMask;
    }
}
