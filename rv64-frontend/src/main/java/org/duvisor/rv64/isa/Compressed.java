package org.duvisor.rv64.isa;

/**
 * The RV64C compressed instructions, decoded straight into the 32-bit operation each one expands
 * to ("C" Standard Extension, chapter 16 of the Unprivileged ISA 20191213). Reserved encodings and
 * the all-zero parcel are illegal ({@code null}); HINT encodings decode to their no-op expansions.
 */
public final class Compressed {
    private Compressed() {
    }

    private static int bit(int b, int i) {
        return (b >>> i) & 1;
    }

    private static int bits(int b, int hi, int lo) {
        return (b >>> lo) & ((1 << (hi - lo + 1)) - 1);
    }

    /** Sign-extends the low {@code width} bits of {@code v}. */
    private static long sext(int v, int width) {
        return ((long) v << (64 - width)) >> (64 - width);
    }

    private static Insn make(Op op, int rd, int rs1, int rs2, long imm, int b) {
        return new Insn(op, rd, rs1, rs2, 0, imm, 0, 2, b);
    }

    public static Insn decode(int b) {
        int funct3 = bits(b, 15, 13);
        int rdP = bits(b, 4, 2) + 8, rs1P = bits(b, 9, 7) + 8;
        int rd = bits(b, 11, 7), rs2 = bits(b, 6, 2);
        int imm6 = (bit(b, 12) << 5) | bits(b, 6, 2);
        return switch (b & 3) {
            case 0 -> switch (funct3) {
                case 0 -> {
                    int nzuimm = (bits(b, 12, 11) << 4) | (bits(b, 10, 7) << 6) | (bit(b, 6) << 2) | (bit(b, 5) << 3);
                    yield nzuimm == 0 ? null : make(Op.ADDI, rdP, 2, 0, nzuimm, b);
                }
                case 1 -> make(Op.FLD, rdP, rs1P, 0, ldOffset(b), b);
                case 2 -> make(Op.LW, rdP, rs1P, 0, lwOffset(b), b);
                case 3 -> make(Op.LD, rdP, rs1P, 0, ldOffset(b), b);
                case 5 -> make(Op.FSD, 0, rs1P, rdP, ldOffset(b), b);
                case 6 -> make(Op.SW, 0, rs1P, rdP, lwOffset(b), b);
                case 7 -> make(Op.SD, 0, rs1P, rdP, ldOffset(b), b);
                default -> null;
            };
            case 1 -> switch (funct3) {
                case 0 -> make(Op.ADDI, rd, rd, 0, sext(imm6, 6), b);
                case 1 -> rd == 0 ? null : make(Op.ADDIW, rd, rd, 0, sext(imm6, 6), b);
                case 2 -> make(Op.ADDI, rd, 0, 0, sext(imm6, 6), b);
                case 3 -> {
                    if (rd == 2) {
                        int nz = (bit(b, 12) << 9) | (bit(b, 6) << 4) | (bit(b, 5) << 6) | (bits(b, 4, 3) << 7) | (bit(b, 2) << 5);
                        yield nz == 0 ? null : make(Op.ADDI, 2, 2, 0, sext(nz, 10), b);
                    }
                    yield imm6 == 0 ? null : make(Op.LUI, rd, 0, 0, sext(imm6, 6) << 12, b);
                }
                case 4 -> arithmetic(b, rs1P, rdP, imm6);
                case 5 -> make(Op.JAL, 0, 0, 0, jOffset(b), b);
                case 6 -> make(Op.BEQ, 0, rs1P, 0, bOffset(b), b);
                case 7 -> make(Op.BNE, 0, rs1P, 0, bOffset(b), b);
                default -> null;
            };
            case 2 -> switch (funct3) {
                case 0 -> make(Op.SLLI, rd, rd, 0, imm6, b);
                case 1 -> make(Op.FLD, rd, 2, 0, ldspOffset(b), b);
                case 2 -> rd == 0 ? null : make(Op.LW, rd, 2, 0, lwspOffset(b), b);
                case 3 -> rd == 0 ? null : make(Op.LD, rd, 2, 0, ldspOffset(b), b);
                case 4 -> {
                    if (bit(b, 12) == 0) {
                        if (rs2 == 0) yield rd == 0 ? null : make(Op.JALR, 0, rd, 0, 0, b);
                        yield make(Op.ADD, rd, 0, rs2, 0, b);
                    }
                    if (rs2 == 0) {
                        yield rd == 0 ? make(Op.EBREAK, 0, 0, 0, 0, b) : make(Op.JALR, 1, rd, 0, 0, b);
                    }
                    yield make(Op.ADD, rd, rd, rs2, 0, b);
                }
                case 5 -> make(Op.FSD, 0, 2, rs2, sdspOffset(b), b);
                case 6 -> make(Op.SW, 0, 2, rs2, (bits(b, 12, 9) << 2) | (bits(b, 8, 7) << 6), b);
                case 7 -> make(Op.SD, 0, 2, rs2, sdspOffset(b), b);
                default -> null;
            };
            default -> null;
        };
    }

    private static Insn arithmetic(int b, int rdP, int rs2P, int imm6) {
        return switch (bits(b, 11, 10)) {
            case 0 -> make(Op.SRLI, rdP, rdP, 0, imm6, b);
            case 1 -> make(Op.SRAI, rdP, rdP, 0, imm6, b);
            case 2 -> make(Op.ANDI, rdP, rdP, 0, sext(imm6, 6), b);
            default -> {
                int f2 = bits(b, 6, 5);
                if (bit(b, 12) == 0) {
                    Op op = switch (f2) { case 0 -> Op.SUB; case 1 -> Op.XOR; case 2 -> Op.OR; default -> Op.AND; };
                    yield make(op, rdP, rdP, rs2P, 0, b);
                }
                yield switch (f2) {
                    case 0 -> make(Op.SUBW, rdP, rdP, rs2P, 0, b);
                    case 1 -> make(Op.ADDW, rdP, rdP, rs2P, 0, b);
                    default -> null;
                };
            }
        };
    }

    private static long lwOffset(int b) {
        return (bits(b, 12, 10) << 3) | (bit(b, 6) << 2) | (bit(b, 5) << 6);
    }

    private static long ldOffset(int b) {
        return (bits(b, 12, 10) << 3) | (bits(b, 6, 5) << 6);
    }

    private static long lwspOffset(int b) {
        return (bit(b, 12) << 5) | (bits(b, 6, 4) << 2) | (bits(b, 3, 2) << 6);
    }

    private static long ldspOffset(int b) {
        return (bit(b, 12) << 5) | (bits(b, 6, 5) << 3) | (bits(b, 4, 2) << 6);
    }

    private static long sdspOffset(int b) {
        return (bits(b, 12, 10) << 3) | (bits(b, 9, 7) << 6);
    }

    private static long jOffset(int b) {
        int v = (bit(b, 12) << 11) | (bit(b, 11) << 4) | (bits(b, 10, 9) << 8) | (bit(b, 8) << 10)
                | (bit(b, 7) << 6) | (bit(b, 6) << 7) | (bits(b, 5, 3) << 1) | (bit(b, 2) << 5);
        return sext(v, 12);
    }

    private static long bOffset(int b) {
        int v = (bit(b, 12) << 8) | (bits(b, 11, 10) << 3) | (bits(b, 6, 5) << 6) | (bits(b, 4, 3) << 1) | (bit(b, 2) << 5);
        return sext(v, 9);
    }
}
