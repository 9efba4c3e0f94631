package org.duvisor.rv64.isa;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Turns encodings into {@link Insn}s using the {@link Op} table. Encodings that match no operation
 * exactly, or that use a reserved field value (rounding modes 5 and 6), decode to {@code null}:
 * the caller raises an illegal-instruction exception.
 */
public final class Decoder {
    private static final Op[][] BY_MAJOR_OPCODE = buildTable();

    private Decoder() {
    }

    private static Op[][] buildTable() {
        List<List<Op>> lists = new ArrayList<>();
        for (int i = 0; i < 128; i++) lists.add(new ArrayList<>());
        for (Op op : Op.values()) lists.get(op.match & 0x7F).add(op);
        Op[][] table = new Op[128][];
        for (int i = 0; i < 128; i++) {
            List<Op> l = lists.get(i);
            // Most specific encodings first, so e.g. PAUSE and FENCE.TSO win over FENCE.
            l.sort(Comparator.comparingInt((Op o) -> Integer.bitCount(o.mask)).reversed());
            table[i] = l.toArray(new Op[0]);
        }
        return table;
    }

    /** Decodes an instruction whose low 16 bits are {@code low} and, if 32-bit, whose full word is {@code word}. */
    public static Insn decode(int word) {
        return (word & 3) == 3 ? decode32(word) : Compressed.decode(word & 0xFFFF);
    }

    /** The byte length of the instruction whose first parcel is {@code low16}. */
    public static int length(int low16) {
        return (low16 & 3) == 3 ? 4 : 2;
    }

    public static Insn decode32(int bits) {
        for (Op op : BY_MAJOR_OPCODE[bits & 0x7F]) {
            if ((bits & op.mask) == op.match) return operands(op, bits);
        }
        return null;
    }

    private static Insn operands(Op op, int b) {
        int rd = (b >>> 7) & 31, rs1 = (b >>> 15) & 31, rs2 = (b >>> 20) & 31;
        int rm = (b >>> 12) & 7;
        return switch (op.format) {
            case R, UNARY -> new Insn(op, rd, rs1, rs2, 0, 0, 0, 4, b);
            case I, LOAD -> new Insn(op, rd, rs1, 0, 0, b >> 20, 0, 4, b);
            case SHIFT64 -> new Insn(op, rd, rs1, 0, 0, (b >>> 20) & 0x3F, 0, 4, b);
            case SHIFT32 -> new Insn(op, rd, rs1, 0, 0, (b >>> 20) & 0x1F, 0, 4, b);
            case STORE -> new Insn(op, 0, rs1, rs2, 0, ((b >> 25) << 5) | ((b >>> 7) & 0x1F), 0, 4, b);
            case BRANCH -> new Insn(op, 0, rs1, rs2, 0, branchOffset(b), 0, 4, b);
            case U -> new Insn(op, rd, 0, 0, 0, b & 0xFFFFF000, 0, 4, b);
            case J -> new Insn(op, rd, 0, 0, 0, jumpOffset(b), 0, 4, b);
            case CSR, CSRI -> new Insn(op, rd, rs1, 0, 0, (b >>> 20) & 0xFFF, 0, 4, b);
            case AMO, LR -> new Insn(op, rd, rs1, rs2, 0, 0, (b >>> 25) & 3, 4, b);
            case FENCE -> new Insn(op, rd, rs1, 0, 0, (b >>> 20) & 0xFFF, 0, 4, b);
            case NONE -> new Insn(op, 0, 0, 0, 0, 0, 0, 4, b);
            case FENCE_VMA -> new Insn(op, 0, rs1, rs2, 0, 0, 0, 4, b);
            case FP_R, FP_R1 -> validRm(rm) ? new Insn(op, rd, rs1, rs2, 0, 0, rm, 4, b) : null;
            case FP_R4 -> validRm(rm) ? new Insn(op, rd, rs1, rs2, b >>> 27, 0, rm, 4, b) : null;
        };
    }

    /** Rounding modes 5 and 6 are reserved (F extension, "Floating-Point Control and Status Register"). */
    private static boolean validRm(int rm) {
        return rm != 5 && rm != 6;
    }

    static long branchOffset(int b) {
        return ((b >> 31) << 12) | (((b >>> 7) & 1) << 11) | (((b >>> 25) & 0x3F) << 5) | (((b >>> 8) & 0xF) << 1);
    }

    static long jumpOffset(int b) {
        return ((b >> 31) << 20) | (((b >>> 12) & 0xFF) << 12) | (((b >>> 20) & 1) << 11) | (((b >>> 21) & 0x3FF) << 1);
    }
}
