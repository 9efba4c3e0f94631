package org.duvisor.rv64.isa;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Writes GNU assembler source that exercises every {@link Op} with many operand combinations
 * (every register in every position, zero registers that trigger objdump's aliases, boundary and
 * random immediates, every rounding mode, every aq/rl combination, every fence set, every CSR
 * number) and every RVC instruction through its {@code c.} mnemonic. Registers are written as
 * {@code xN}/{@code fN} so the generator shares no tables with the {@link Disassembler}.
 */
final class AsmGenerator {
    private final Random rnd;
    private final List<String> out = new ArrayList<>();

    AsmGenerator(long seed) {
        rnd = new Random(seed);
    }

    private static final String[] RMS = {"rne", "rtz", "rdn", "rup", "rmm", "dyn"};
    private static final String[] AQRL = {"", ".aq", ".rl", ".aqrl"};

    static List<String> generate(long seed) {
        AsmGenerator g = new AsmGenerator(seed);
        g.emit(".text");
        g.emit(".option norelax");
        g.emit(".option norvc");
        // DV-Ext's custom encodings have no assembler syntax in binutils; DvextDisassemblyTest covers them.
        for (Op op : Op.values()) if (!op.extension.equals("Xdvext")) g.op(op);
        g.emit(".option rvc");
        g.compressed();
        return g.out;
    }

    private void emit(String s) {
        out.add(s);
    }

    private void emit(String mnemonic, Object... operands) {
        StringBuilder sb = new StringBuilder(mnemonic);
        for (int i = 0; i < operands.length; i++) sb.append(i == 0 ? " " : ", ").append(operands[i]);
        out.add(sb.toString());
    }

    private static int p(int k) {
        return (k * 7 + 3) & 31;
    }

    private static int q(int k) {
        return (k * 13 + 5) & 31;
    }

    private static String reg(Op op, int idx, int r) {
        return (op.isFloatOperand(idx) ? "f" : "x") + r;
    }

    /** Register triples: every register in every position, plus the zero/equal patterns that select aliases. */
    private static List<int[]> triples() {
        List<int[]> t = new ArrayList<>();
        for (int k = 0; k < 32; k++) {
            t.add(new int[] {k, p(k), q(k)});
            t.add(new int[] {k, 0, q(k)});
            t.add(new int[] {k, p(k), 0});
            t.add(new int[] {k, q(k), q(k)});
        }
        t.add(new int[] {0, 0, 0});
        return t;
    }

    private long randImm(int bits) {
        return (rnd.nextLong() << (64 - bits)) >> (64 - bits);
    }

    private void op(Op op) {
        String m = op.mnemonic;
        if (op.extension.equals("H") && op != Op.HFENCE_VVMA && op != Op.HFENCE_GVMA) {
            // Hypervisor loads and stores take their address in parentheses: hlv.w rd,(rs1); hsv.w rs2,(rs1).
            for (int k = 0; k < 32; k++) emit(m, "x" + k, "(x" + p(k) + ")");
            return;
        }
        switch (op.format) {
            case R -> {
                for (int[] t : triples()) emit(m, reg(op, 0, t[0]), reg(op, 1, t[1]), reg(op, 2, t[2]));
            }
            case I -> {
                long[] imms = {-2048, -1, 0, 1, 2, 255, 2047, randImm(12), randImm(12)};
                for (int k = 0; k < 32; k++) {
                    for (long imm : imms) {
                        if (op == Op.JALR) emit(m, "x" + k, imm + "(x" + p(k) + ")");
                        else emit(m, "x" + k, "x" + p(k), imm);
                    }
                    long imm = imms[k % imms.length];
                    if (op == Op.JALR) {
                        emit(m, "x" + k, imm + "(x0)");
                        emit(m, "x0", (k % 2 == 0 ? 0 : imm) + "(x" + k + ")");
                        emit(m, "x1", (k % 2 == 0 ? 0 : imm) + "(x" + k + ")");
                    } else {
                        emit(m, "x" + k, "x0", imm);
                        emit(m, "x0", "x" + k, imm);
                    }
                }
                if (op != Op.JALR) emit(m, "x0", "x0", 0);
            }
            case SHIFT64, SHIFT32 -> {
                int max = op.format == Format.SHIFT64 ? 63 : 31;
                int[] sh = {0, 1, max / 2, max / 2 + 1, max, rnd.nextInt(max + 1)};
                for (int k = 0; k < 32; k++) {
                    for (int s : sh) emit(m, "x" + k, "x" + p(k), s);
                    emit(m, "x" + k, "x0", sh[k % sh.length]);
                }
            }
            case UNARY -> {
                for (int k = 0; k < 32; k++) {
                    emit(m, reg(op, 0, k), reg(op, 1, p(k)));
                    emit(m, reg(op, 0, k), reg(op, 1, 0));
                    emit(m, reg(op, 0, 0), reg(op, 1, k));
                }
            }
            case LOAD, STORE -> {
                long[] offs = {-2048, -1, 0, 1, 8, 2047, randImm(12)};
                int dataIdx = op.format == Format.LOAD ? 0 : 2;
                for (int k = 0; k < 32; k++) {
                    for (long off : offs) emit(m, reg(op, dataIdx, k), off + "(x" + p(k) + ")");
                    emit(m, reg(op, dataIdx, k), offs[k % offs.length] + "(x0)");
                }
            }
            case BRANCH -> {
                long[] offs = {-4096, -2, 0, 2, 4094, randImm(13) & ~1L};
                for (int[] t : triples()) {
                    for (long off : offs) emit(m, "x" + t[1], "x" + t[2], rel(off));
                }
            }
            case U -> {
                long[] imms = {0, 1, 0x7FFFF, 0x80000, 0xFFFFF, rnd.nextInt(1 << 20)};
                for (int k = 0; k < 32; k++) for (long imm : imms) emit(m, "x" + k, "0x" + Long.toHexString(imm));
            }
            case J -> {
                long[] offs = {-1048576, -2, 0, 2, 1048574, randImm(21) & ~1L};
                for (int k = 0; k < 32; k++) for (long off : offs) emit(m, "x" + k, rel(off));
            }
            case CSR, CSRI -> csr(op);
            case AMO -> {
                for (String s : AQRL) for (int[] t : triples()) emit(m + s, "x" + t[0], "x" + t[2], "(x" + t[1] + ")");
            }
            case LR -> {
                for (String s : AQRL) for (int k = 0; k < 32; k++) emit(m + s, "x" + k, "(x" + p(k) + ")");
            }
            case FENCE -> {
                if (op == Op.FENCE) {
                    emit("fence");
                    for (int pred = 1; pred < 16; pred++)
                        for (int succ = 1; succ < 16; succ++) emit("fence", fenceSet(pred), fenceSet(succ));
                } else {
                    emit(m);
                }
            }
            case NONE -> emit(m);
            case FENCE_VMA -> {
                for (int[] t : triples()) emit(m, "x" + t[1], "x" + t[2]);
            }
            case FP_R, FP_R1, FP_R4 -> {
                boolean noRm = op == Op.FCVT_D_W || op == Op.FCVT_D_WU || op == Op.FCVT_D_S;
                int n = op.format == Format.FP_R1 ? 2 : op.format == Format.FP_R ? 3 : 4;
                for (int k = 0; k < 32; k++) {
                    int[] regs = {k, p(k), q(k), (k * 5 + 1) & 31};
                    if (k % 8 == 7) regs[2] = regs[1];
                    List<Object> ops = new ArrayList<>();
                    for (int i = 0; i < n; i++) ops.add(reg(op, i, regs[i]));
                    emit(m, ops.toArray());
                    if (!noRm) {
                        ops.add(RMS[k % RMS.length]);
                        emit(m, ops.toArray());
                    }
                }
            }
        }
    }

    private static String rel(long off) {
        return off < 0 ? ".-" + (-off) : ".+" + off;
    }

    private static String fenceSet(int s) {
        StringBuilder sb = new StringBuilder();
        if ((s & 8) != 0) sb.append('i');
        if ((s & 4) != 0) sb.append('o');
        if ((s & 2) != 0) sb.append('r');
        if ((s & 1) != 0) sb.append('w');
        return sb.toString();
    }

    private void csr(Op op) {
        boolean imm = op.format == Format.CSRI;
        String m = op.mnemonic;
        // Every CSR number once, with both source/destination registers in use.
        for (int csr = 0; csr < 4096; csr += (op == Op.CSRRS ? 1 : 7)) {
            emit(m, "x" + (csr % 31 + 1), "0x" + Integer.toHexString(csr), imm ? (csr % 31) + 1 : "x" + ((csr * 3) % 31 + 1));
        }
        // The CSRs with dedicated aliases, with each of rd and rs1/uimm zero or not.
        int[] special = {0x001, 0x002, 0x003, 0xC00, 0xC01, 0xC02, 0xC80, 0xC81, 0xC82, 0xC03, 0x300, 0x180, 0xB00};
        for (int csr : special) {
            for (int rd : new int[] {0, 10}) {
                for (int rs : new int[] {0, 11, 31}) {
                    emit(m, "x" + rd, "0x" + Integer.toHexString(csr), imm ? rs : "x" + rs);
                }
            }
        }
    }

    /** Every RVC instruction through its c. mnemonic, registers and immediates across their ranges. */
    private void compressed() {
        for (int imm = 4; imm <= 1020; imm += 4) {
            if (imm % 32 == 4 || imm >= 1000 || rnd.nextInt(8) == 0) emit("c.addi4spn", "x" + (8 + imm % 8), "x2", imm);
        }
        for (int r = 8; r < 16; r++) {
            for (int s = 8; s < 16; s++) {
                int off8 = ((r * 8 + s) * 8) & 0xF8, off4 = ((r * 8 + s) * 4) & 0x7C;
                emit("c.fld", "f" + r, off8 + "(x" + s + ")");
                emit("c.ld", "x" + r, off8 + "(x" + s + ")");
                emit("c.lw", "x" + r, off4 + "(x" + s + ")");
                emit("c.fsd", "f" + r, off8 + "(x" + s + ")");
                emit("c.sd", "x" + r, off8 + "(x" + s + ")");
                emit("c.sw", "x" + r, off4 + "(x" + s + ")");
                emit("c.sub", "x" + r, "x" + s);
                emit("c.xor", "x" + r, "x" + s);
                emit("c.or", "x" + r, "x" + s);
                emit("c.and", "x" + r, "x" + s);
                emit("c.subw", "x" + r, "x" + s);
                emit("c.addw", "x" + r, "x" + s);
            }
            for (int sh = 1; sh < 64; sh++) {
                emit("c.srli", "x" + r, sh);
                emit("c.srai", "x" + r, sh);
            }
            for (int imm = -32; imm < 32; imm++) emit("c.andi", "x" + r, imm);
            emit("c.beqz", "x" + r, rel(-256));
            emit("c.bnez", "x" + r, rel(254));
            emit("c.beqz", "x" + r, rel((r - 12) * 2L));
            emit("c.bnez", "x" + r, rel((r - 12) * 18L));
        }
        emit("c.nop");
        emit("c.ebreak");
        for (int r = 1; r < 32; r++) {
            for (int imm : new int[] {-32, -1, 1, 31, r - 16 == 0 ? 5 : r - 16}) emit("c.addi", "x" + r, imm);
            for (int imm : new int[] {-32, -1, 0, 1, 31}) emit("c.addiw", "x" + r, imm);
            for (int imm : new int[] {-32, -1, 0, 1, 31}) emit("c.li", "x" + r, imm);
            if (r != 2) for (String imm : new String[] {"1", "0x1f", "0xfffe0", "0xfffff"}) emit("c.lui", "x" + r, imm);
            for (int sh : new int[] {1, 2, 31, 32, 63, r}) emit("c.slli", "x" + r, sh);
            emit("c.fldsp", "f" + r, ((r * 8) & 0x1F8) + "(x2)");
            emit("c.fldsp", "f" + (32 - r), "504(x2)");
            emit("c.lwsp", "x" + r, ((r * 4) & 0xFC) + "(x2)");
            emit("c.lwsp", "x" + r, "252(x2)");
            emit("c.ldsp", "x" + r, ((r * 8) & 0x1F8) + "(x2)");
            emit("c.ldsp", "x" + r, "504(x2)");
            emit("c.fsdsp", "f" + r, ((r * 8) & 0x1F8) + "(x2)");
            emit("c.swsp", "x" + r, ((r * 4) & 0xFC) + "(x2)");
            emit("c.sdsp", "x" + r, ((r * 8) & 0x1F8) + "(x2)");
            emit("c.swsp", "x0", "252(x2)");
            emit("c.jr", "x" + r);
            emit("c.jalr", "x" + r);
            for (int s = 1; s < 32; s += 5) {
                emit("c.mv", "x" + r, "x" + ((r + s) & 31 | 1));
                emit("c.add", "x" + r, "x" + ((r + s) & 31 | 1));
            }
        }
        for (int imm = -512; imm < 512; imm += 16) if (imm != 0) emit("c.addi16sp", "x2", imm);
        for (long off : new long[] {-2048, -2, 0, 2, 2046, 1000, -1000, 64, -64}) emit("c.j", rel(off));
    }
}
