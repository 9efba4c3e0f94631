package org.duvisor.rv64.isa;

/**
 * Prints instructions the way GNU objdump 2.40 ({@code riscv64-linux-gnu-objdump -d}) prints them
 * in its mnemonic and operand columns: {@code mnemonic<TAB>operands}, with objdump's pseudo-instruction
 * aliases, ABI register names and CSR names. Branch and jump targets are printed as the absolute
 * address in hex without {@code 0x}; the {@code <symbol+off>} and {@code # comment} decorations objdump
 * appends are not produced.
 *
 * <p>The reference is objdump disassembling an object whose architecture attribute enables every
 * extension of {@link Op} (rv64gc_zba_zbb_zbs_zihintpause) with the default privileged spec (1.12).
 * The behaviour was established by experiment (see {@code DisassemblerObjdumpTest}), including
 * objdump's quirks: {@code addi} with a non-zero immediate prints as {@code add}, the other
 * immediate ALU operations drop their {@code i} ({@code and}, {@code sll}, {@code addw}, {@code ror},
 * {@code bclr}, ...), the CSR immediate forms print as {@code csrrw}/{@code csrrs}/{@code csrrc},
 * and compressed HINTs keep their {@code c.} mnemonic.
 *
 * <p>Where objdump and the decoder disagree about legality, this class follows objdump: words that
 * decode (the specification says their reserved fields are ignored) but that objdump does not know
 * print as {@code .4byte} (FENCE/FENCE.I with non-zero reserved fields, FCVT.D.W/FCVT.D.WU/FCVT.D.S
 * with a non-zero rounding mode); words that do not decode but that objdump prints anyway are printed
 * objdump's way (rounding modes 5 and 6 as {@code unknown}, the reserved {@code c.addi16sp sp,0}, and
 * {@code unimp} for the all-zero parcel).
 */
public final class Disassembler {
    private Disassembler() {
    }

    private static final String[] X = {
        "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3", "a4", "a5",
        "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6"};
    private static final String[] F = {
        "ft0", "ft1", "ft2", "ft3", "ft4", "ft5", "ft6", "ft7", "fs0", "fs1", "fa0", "fa1", "fa2", "fa3", "fa4", "fa5",
        "fa6", "fa7", "fs2", "fs3", "fs4", "fs5", "fs6", "fs7", "fs8", "fs9", "fs10", "fs11", "ft8", "ft9", "ft10", "ft11"};
    private static final String[] RM = {"rne", "rtz", "rdn", "rup", "rmm", "unknown", "unknown", "dyn"};
    private static final String[] CSR_1_12 = csrNames();
    private static final String[] CSR_1_11 = csrNames111(CSR_1_12);

    /**
     * The privileged-spec version whose CSR names objdump uses: the object's {@code Tag_RISCV_priv_spec}
     * attribute, or 1.12 when it has none. (GNU as 2.40 records 1.11 by default.)
     */
    public enum PrivSpec {
        V1_11, V1_12
    }

    /** The ABI name of integer register {@code r}. */
    public static String xreg(int r) {
        return X[r & 31];
    }

    /** The ABI name of floating-point register {@code r}. */
    public static String freg(int r) {
        return F[r & 31];
    }

    /** The name objdump prints for CSR {@code csr} under privileged spec 1.12, or {@code 0x...} if it knows none. */
    public static String csrName(int csr) {
        return csrName(csr, PrivSpec.V1_12);
    }

    /** The name objdump prints for CSR {@code csr}, or {@code 0x...} if it knows none. */
    public static String csrName(int csr, PrivSpec spec) {
        String n = (spec == PrivSpec.V1_11 ? CSR_1_11 : CSR_1_12)[csr & 0xFFF];
        return n != null ? n : "0x" + Integer.toHexString(csr & 0xFFF);
    }

    /** Disassembles the instruction whose encoding is {@code word} (low 16 bits only if compressed). */
    public static String format(int word, long pc) {
        return format(word, pc, PrivSpec.V1_12);
    }

    /** Disassembles a decoded instruction located at {@code pc}. */
    public static String format(Insn insn, long pc) {
        return format(insn, pc, PrivSpec.V1_12);
    }

    /** As {@link #format(int, long)}, naming CSRs as privileged spec {@code spec} does. */
    public static String format(int word, long pc, PrivSpec spec) {
        Insn insn = Decoder.decode(word);
        if (insn != null) return format(insn, pc, spec);
        if ((word & 3) != 3) {
            int h = word & 0xFFFF;
            if (h == 0) return "unimp";
            // objdump accepts c.addi16sp with a zero immediate, which the RVC spec reserves.
            if (h == 0x6101) return "add\tsp,sp,0";
            return ".2byte\t0x" + Integer.toHexString(h);
        }
        int rm = (word >>> 12) & 7;
        if (rm == 5 || rm == 6) {
            // Reserved rounding mode: objdump still prints the operation, with rounding mode "unknown".
            Insn dyn = Decoder.decode32(word | 0x7000);
            if (dyn != null && printsRoundingMode(dyn.op)) {
                return format(new Insn(dyn.op, dyn.rd, dyn.rs1, dyn.rs2, dyn.rs3, dyn.imm, rm, 4, word), pc, spec);
            }
        }
        return word4(word);
    }

    /** As {@link #format(Insn, long)}, naming CSRs as privileged spec {@code spec} does. */
    public static String format(Insn insn, long pc, PrivSpec spec) {
        if (insn.isCompressed()) {
            String c = compressedHint(insn);
            if (c != null) return c;
        }
        Op op = insn.op;
        int rd = insn.rd, rs1 = insn.rs1, rs2 = insn.rs2;
        long imm = insn.imm;
        return switch (op) {
            case LUI, AUIPC -> op(op.mnemonic, X[rd], hex((imm >>> 12) & 0xFFFFF));
            case JAL -> rd == 0 ? op("j", target(pc, imm))
                    : rd == 1 ? op("jal", target(pc, imm))
                    : op("jal", X[rd], target(pc, imm));
            case JALR -> jalr(rd, rs1, imm);
            case BEQ, BNE, BLT, BGE, BLTU, BGEU -> branch(op, rs1, rs2, target(pc, imm));
            case LB, LH, LW, LD, LBU, LHU, LWU -> op(op.mnemonic, X[rd], imm + "(" + X[rs1] + ")");
            case FLW, FLD -> op(op.mnemonic, F[rd], imm + "(" + X[rs1] + ")");
            case SB, SH, SW, SD -> op(op.mnemonic, X[rs2], imm + "(" + X[rs1] + ")");
            case FSW, FSD -> op(op.mnemonic, F[rs2], imm + "(" + X[rs1] + ")");
            case ADDI -> rd == 0 && rs1 == 0 && imm == 0 ? "nop"
                    : rs1 == 0 ? op("li", X[rd], Long.toString(imm))
                    : imm == 0 ? op("mv", X[rd], X[rs1])
                    : op("add", X[rd], X[rs1], Long.toString(imm));
            case SLTI -> op("slti", X[rd], X[rs1], Long.toString(imm));
            case SLTIU -> imm == 1 ? op("seqz", X[rd], X[rs1]) : op("sltiu", X[rd], X[rs1], Long.toString(imm));
            case XORI -> imm == -1 ? op("not", X[rd], X[rs1]) : op("xor", X[rd], X[rs1], Long.toString(imm));
            case ORI -> op("or", X[rd], X[rs1], Long.toString(imm));
            case ANDI -> imm == 255 ? op("zext.b", X[rd], X[rs1]) : op("and", X[rd], X[rs1], Long.toString(imm));
            case ADDIW -> imm == 0 ? op("sext.w", X[rd], X[rs1]) : op("addw", X[rd], X[rs1], Long.toString(imm));
            // Immediate shifts and bit operations print under the register form's mnemonic.
            case SLLI, SRLI, SRAI, SLLIW, SRLIW, SRAIW, RORI, RORIW, BCLRI, BEXTI, BINVI, BSETI ->
                    op(dropI(op.mnemonic), X[rd], X[rs1], hex(imm));
            case SLLI_UW -> op("slli.uw", X[rd], X[rs1], hex(imm));
            case SUB -> rs1 == 0 ? op("neg", X[rd], X[rs2]) : r(op, insn);
            case SUBW -> rs1 == 0 ? op("negw", X[rd], X[rs2]) : r(op, insn);
            case SLT -> rs2 == 0 ? op("sltz", X[rd], X[rs1]) : rs1 == 0 ? op("sgtz", X[rd], X[rs2]) : r(op, insn);
            case SLTU -> rs1 == 0 ? op("snez", X[rd], X[rs2]) : r(op, insn);
            case ADD_UW -> rs2 == 0 ? op("zext.w", X[rd], X[rs1]) : r(op, insn);
            case FENCE -> fence(insn.bits);
            case FENCE_I -> insn.bits == 0x0000100F ? "fence.i" : word4(insn.bits);
            case FENCE_TSO, PAUSE, ECALL, EBREAK, SRET, MRET, WFI -> op.mnemonic;
            case SFENCE_VMA -> rs2 != 0 ? op("sfence.vma", X[rs1], X[rs2])
                    : rs1 != 0 ? op("sfence.vma", X[rs1]) : "sfence.vma";
            case HURET -> op.mnemonic;
            case HFENCE_VVMA, HFENCE_GVMA, HUFENCE_VVMA, HUFENCE_GVMA -> rs2 != 0 ? op(op.mnemonic, X[rs1], X[rs2])
                    : rs1 != 0 ? op(op.mnemonic, X[rs1]) : op.mnemonic;
            case HLV_B, HLV_BU, HLV_H, HLV_HU, HLVX_HU, HLV_W, HLV_WU, HLVX_WU, HLV_D, HULV_B, HULV_BU, HULV_H, HULV_HU,
                 HULVX_HU, HULV_W, HULV_WU, HULVX_WU, HULV_D -> op(op.mnemonic, X[rd], "(" + X[rs1] + ")");
            case HSV_B, HSV_H, HSV_W, HSV_D, HUSV_B, HUSV_H, HUSV_W, HUSV_D -> op(op.mnemonic, X[rs2], "(" + X[rs1] + ")");
            case LR_W, LR_D -> op(op.mnemonic + AQRL[insn.rm & 3], X[rd], "(" + X[rs1] + ")");
            case SC_W, SC_D, AMOSWAP_W, AMOADD_W, AMOXOR_W, AMOAND_W, AMOOR_W, AMOMIN_W, AMOMAX_W, AMOMINU_W,
                 AMOMAXU_W, AMOSWAP_D, AMOADD_D, AMOXOR_D, AMOAND_D, AMOOR_D, AMOMIN_D, AMOMAX_D, AMOMINU_D,
                 AMOMAXU_D -> op(op.mnemonic + AQRL[insn.rm & 3], X[rd], X[rs2], "(" + X[rs1] + ")");
            case CSRRW, CSRRS, CSRRC, CSRRWI, CSRRSI, CSRRCI -> csr(op, rd, rs1, (int) imm, spec);
            case FSGNJ_S, FSGNJN_S, FSGNJX_S, FSGNJ_D, FSGNJN_D, FSGNJX_D -> rs1 == rs2
                    ? op(SGNJ_ALIAS[(op.match >>> 12) & 3] + op.mnemonic.substring(op.mnemonic.length() - 2), F[rd], F[rs1])
                    : r(op, insn);
            case FCVT_D_W, FCVT_D_WU, FCVT_D_S -> insn.rm == 0 ? op(op.mnemonic, reg(op, 0, rd), reg(op, 1, rs1)) : word4(insn.bits);
            default -> switch (op.format) {
                case R -> r(op, insn);
                case UNARY -> op(op.mnemonic, reg(op, 0, rd), reg(op, 1, rs1));
                case FP_R -> rounded(insn, reg(op, 0, rd), reg(op, 1, rs1), reg(op, 2, rs2));
                case FP_R1 -> rounded(insn, reg(op, 0, rd), reg(op, 1, rs1));
                case FP_R4 -> rounded(insn, F[rd], F[rs1], F[rs2], F[insn.rs3]);
                default -> throw new IllegalStateException("no format for " + op);
            };
        };
    }

    private static final String[] AQRL = {"", ".rl", ".aq", ".aqrl"};
    private static final String[] SGNJ_ALIAS = {"fmv", "fneg", "fabs"};

    /**
     * Compressed encodings whose objdump spelling differs from their 32-bit expansion's (mostly HINTs).
     * Each case applies only when the operands have the shape of that expansion, so that a decoder
     * mistake in an operand objdump leaves implicit still shows up in the printed text.
     */
    private static String compressedHint(Insn insn) {
        int b = insn.bits, quadrant = b & 3, funct3 = (b >>> 13) & 7;
        int rd = insn.rd, rs1 = insn.rs1, rs2 = insn.rs2;
        long imm = insn.imm;
        switch (insn.op) {
            case ADDI:
                if (quadrant == 1 && funct3 == 0 && rs1 == rd) { // c.addi, c.nop
                    if (rd == 0) return imm == 0 ? "nop" : "c.nop\t" + imm;
                    return op("add", X[rd], X[rs1], Long.toString(imm));
                }
                if (quadrant == 1 && funct3 == 2 && rd == 0 && rs1 == 0) return "c.li\tzero," + imm;
                return null;
            case SLLI:
                if (rs1 != rd) return null;
                if (imm == 0) return "c.slli64\t" + X[rd];
                return rd == 0 ? "c.slli\tzero," + hex(imm) : null;
            case SRLI:
                return imm == 0 && rs1 == rd ? "c.srli64\t" + X[rd] : null;
            case SRAI:
                return imm == 0 && rs1 == rd ? "c.srai64\t" + X[rd] : null;
            case LUI:
                return rd == 0 ? "c.lui\tzero," + hex((imm >>> 12) & 0xFFFFF) : null;
            case ADD:
                if (((b >>> 12) & 1) == 0 && rs1 == 0) return rd == 0 ? "c.mv\tzero," + X[rs2] : op("mv", X[rd], X[rs2]);
                if (((b >>> 12) & 1) == 1 && rd == 0 && rs1 == 0) return "c.add\tzero," + X[rs2];
                return null;
            default:
                return null;
        }
    }

    private static String jalr(int rd, int rs1, long imm) {
        if (rd == 0) {
            if (rs1 == 1 && imm == 0) return "ret";
            return imm == 0 ? op("jr", X[rs1]) : op("jr", imm + "(" + X[rs1] + ")");
        }
        if (rd == 1) return imm == 0 ? op("jalr", X[rs1]) : op("jalr", imm + "(" + X[rs1] + ")");
        return imm == 0 ? op("jalr", X[rd], X[rs1]) : op("jalr", X[rd], imm + "(" + X[rs1] + ")");
    }

    private static String branch(Op op, int rs1, int rs2, String target) {
        switch (op) {
            case BEQ, BNE:
                if (rs2 == 0) return op(op == Op.BEQ ? "beqz" : "bnez", X[rs1], target);
                break;
            case BLT:
                if (rs2 == 0) return op("bltz", X[rs1], target);
                if (rs1 == 0) return op("bgtz", X[rs2], target);
                break;
            case BGE:
                if (rs1 == 0) return op("blez", X[rs2], target);
                if (rs2 == 0) return op("bgez", X[rs1], target);
                break;
            default:
                break;
        }
        return op(op.mnemonic, X[rs1], X[rs2], target);
    }

    private static String fence(int bits) {
        // objdump knows only fm = 0 with rd = rs1 = 0; the spec's reserved configurations print as data.
        if ((bits & 0xF00F8F80) != 0) return word4(bits);
        int pred = (bits >>> 24) & 15, succ = (bits >>> 20) & 15;
        if (pred == 15 && succ == 15) return "fence";
        return op("fence", fenceSet(pred), fenceSet(succ));
    }

    private static String fenceSet(int s) {
        if (s == 0) return "unknown";
        StringBuilder sb = new StringBuilder(4);
        if ((s & 8) != 0) sb.append('i');
        if ((s & 4) != 0) sb.append('o');
        if ((s & 2) != 0) sb.append('r');
        if ((s & 1) != 0) sb.append('w');
        return sb.toString();
    }

    private static String csr(Op op, int rd, int rs1, int csr, PrivSpec spec) {
        boolean imm = op == Op.CSRRWI || op == Op.CSRRSI || op == Op.CSRRCI;
        String src = imm ? Integer.toString(rs1) : X[rs1];
        String name = csrName(csr, spec);
        switch (op) {
            case CSRRW:
                if (csr == 0xC00 && rd == 0 && rs1 == 0) return "unimp";
                if (csr >= 1 && csr <= 3) {
                    String a = csr == 1 ? "fsflags" : csr == 2 ? "fsrm" : "fscsr";
                    return rd == 0 ? op(a, src) : op(a, X[rd], src);
                }
                break;
            case CSRRS:
                if (rs1 == 0) {
                    String a = switch (csr) {
                        case 1 -> "frflags";
                        case 2 -> "frrm";
                        case 3 -> "frcsr";
                        case 0xC00 -> "rdcycle";
                        case 0xC01 -> "rdtime";
                        case 0xC02 -> "rdinstret";
                        default -> null;
                    };
                    return a != null ? op(a, X[rd]) : op("csrr", X[rd], name);
                }
                break;
            case CSRRWI:
                if (csr == 1) return op("fsflagsi", X[rd], src);
                if (csr == 2) return op("fsrmi", X[rd], src);
                break;
            default:
                break;
        }
        String base = op.mnemonic.substring(0, 5); // csrrw, csrrs, csrrc (the immediate forms print the same)
        if (rd == 0) return op("csr" + base.charAt(4), name, src);
        return op(base, X[rd], name, src);
    }

    private static String r(Op op, Insn insn) {
        return op(op.mnemonic, reg(op, 0, insn.rd), reg(op, 1, insn.rs1), reg(op, 2, insn.rs2));
    }

    private static String rounded(Insn insn, String... operands) {
        if (insn.rm == 7) return op(insn.op.mnemonic, operands);
        String[] withRm = java.util.Arrays.copyOf(operands, operands.length + 1);
        withRm[operands.length] = RM[insn.rm & 7];
        return op(insn.op.mnemonic, withRm);
    }

    /** Whether objdump prints a rounding-mode operand for {@code op} (it requires rm = 0 for the exact widening conversions). */
    private static boolean printsRoundingMode(Op op) {
        return switch (op.format) {
            case FP_R, FP_R1, FP_R4 -> op != Op.FCVT_D_W && op != Op.FCVT_D_WU && op != Op.FCVT_D_S;
            default -> false;
        };
    }

    private static String reg(Op op, int k, int r) {
        return op.isFloatOperand(k) ? F[r] : X[r];
    }

    private static String dropI(String mnemonic) {
        int dot = mnemonic.indexOf('.');
        String base = dot < 0 ? mnemonic : mnemonic.substring(0, dot);
        String rest = dot < 0 ? "" : mnemonic.substring(dot);
        if (base.endsWith("iw")) return base.substring(0, base.length() - 2) + "w" + rest;
        if (base.endsWith("i")) return base.substring(0, base.length() - 1) + rest;
        return mnemonic;
    }

    private static String target(long pc, long offset) {
        return Long.toHexString(pc + offset);
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    private static String word4(int bits) {
        return ".4byte\t0x" + Integer.toHexString(bits);
    }

    private static String op(String mnemonic, String... operands) {
        if (operands.length == 0) return mnemonic;
        return mnemonic + "\t" + String.join(",", operands);
    }

    /** CSR names as objdump 2.40 prints them with the default privileged spec (1.12). */
    private static String[] csrNames() {
        String[] n = new String[4096];
        Object[] table = {
            0x001, "fflags", 0x002, "frm", 0x003, "fcsr",
            0x008, "vstart", 0x009, "vxsat", 0x00A, "vxrm", 0x00F, "vcsr", 0x015, "seed",
            0xC20, "vl", 0xC21, "vtype", 0xC22, "vlenb",
            0xC00, "cycle", 0xC01, "time", 0xC02, "instret",
            0xC80, "cycleh", 0xC81, "timeh", 0xC82, "instreth",
            // Supervisor.
            0x100, "sstatus", 0x104, "sie", 0x105, "stvec", 0x106, "scounteren", 0x10A, "senvcfg",
            0x114, "sieh", 0x140, "sscratch", 0x141, "sepc", 0x142, "scause", 0x143, "stval", 0x144, "sip",
            0x14D, "stimecmp", 0x150, "siselect", 0x151, "sireg", 0x154, "siph", 0x15C, "stopei",
            0x15D, "stimecmph", 0x180, "satp", 0x5A8, "scontext", 0xDA0, "scountovf", 0xDB0, "stopi",
            // Virtual supervisor.
            0x200, "vsstatus", 0x204, "vsie", 0x205, "vstvec", 0x214, "vsieh", 0x240, "vsscratch",
            0x241, "vsepc", 0x242, "vscause", 0x243, "vstval", 0x244, "vsip", 0x24D, "vstimecmp",
            0x250, "vsiselect", 0x251, "vsireg", 0x254, "vsiph", 0x25C, "vstopei", 0x25D, "vstimecmph",
            0x280, "vsatp", 0xEB0, "vstopi",
            // Machine.
            0x300, "mstatus", 0x301, "misa", 0x302, "medeleg", 0x303, "mideleg", 0x304, "mie", 0x305, "mtvec",
            0x306, "mcounteren", 0x308, "mvien", 0x309, "mvip", 0x30A, "menvcfg", 0x310, "mstatush",
            0x313, "midelegh", 0x314, "mieh", 0x318, "mvienh", 0x319, "mviph", 0x31A, "menvcfgh",
            0x320, "mcountinhibit", 0x340, "mscratch", 0x341, "mepc", 0x342, "mcause", 0x343, "mtval",
            0x344, "mip", 0x34A, "mtinst", 0x34B, "mtval2", 0x350, "miselect", 0x351, "mireg", 0x354, "miph",
            0x35C, "mtopei", 0x747, "mseccfg", 0x757, "mseccfgh", 0xB00, "mcycle", 0xB02, "minstret",
            0xB80, "mcycleh", 0xB82, "minstreth", 0xF11, "mvendorid", 0xF12, "marchid", 0xF13, "mimpid",
            0xF14, "mhartid", 0xF15, "mconfigptr", 0xFB0, "mtopi",
            // Hypervisor.
            0x600, "hstatus", 0x602, "hedeleg", 0x603, "hideleg", 0x604, "hie", 0x605, "htimedelta",
            0x606, "hcounteren", 0x607, "hgeie", 0x608, "hvien", 0x609, "hvictl", 0x60A, "henvcfg",
            0x613, "hidelegh", 0x615, "htimedeltah", 0x618, "hvienh", 0x61A, "henvcfgh", 0x643, "htval",
            0x644, "hip", 0x645, "hvip", 0x646, "hviprio1", 0x647, "hviprio2", 0x64A, "htinst", 0x655, "hviph",
            0x656, "hviprio1h", 0x657, "hviprio2h", 0x680, "hgatp", 0x6A8, "hcontext", 0xE12, "hgeip",
            // Debug and trigger.
            0x7A0, "tselect", 0x7A1, "tdata1", 0x7A2, "tdata2", 0x7A3, "tdata3", 0x7A4, "tinfo",
            0x7A5, "tcontrol", 0x7A8, "mcontext", 0x7AA, "mscontext", 0x7B0, "dcsr", 0x7B1, "dpc",
            0x7B2, "dscratch0", 0x7B3, "dscratch1",
        };
        for (int i = 0; i < table.length; i += 2) n[(Integer) table[i]] = (String) table[i + 1];
        for (int i = 0; i < 4; i++) {
            n[0x10C + i] = "sstateen" + i;
            n[0x30C + i] = "mstateen" + i;
            n[0x31C + i] = "mstateen" + i + "h";
            n[0x60C + i] = "hstateen" + i;
            n[0x61C + i] = "hstateen" + i + "h";
        }
        for (int i = 3; i <= 31; i++) {
            n[0x320 + i] = "mhpmevent" + i;
            n[0x720 + i] = "mhpmevent" + i + "h";
            n[0xB00 + i] = "mhpmcounter" + i;
            n[0xB80 + i] = "mhpmcounter" + i + "h";
            n[0xC00 + i] = "hpmcounter" + i;
            n[0xC80 + i] = "hpmcounter" + i + "h";
        }
        for (int i = 0; i < 16; i++) n[0x3A0 + i] = "pmpcfg" + i;
        for (int i = 0; i < 64; i++) n[0x3B0 + i] = "pmpaddr" + i;
        return n;
    }

    /** Privileged spec 1.11 still has the N-extension user trap CSRs and lacks those added by 1.12. */
    private static String[] csrNames111(String[] v112) {
        String[] n = v112.clone();
        for (int csr : new int[] {0x10A, 0x30A, 0x310, 0x31A, 0x34A, 0x34B, 0x747, 0x757, 0xF15}) n[csr] = null;
        for (int i = 4; i < 16; i++) n[0x3A0 + i] = null;
        for (int i = 16; i < 64; i++) n[0x3B0 + i] = null;
        Object[] table = {
            0x000, "ustatus", 0x004, "uie", 0x005, "utvec", 0x040, "uscratch", 0x041, "uepc", 0x042, "ucause",
            0x043, "utval", 0x044, "uip", 0x102, "sedeleg", 0x103, "sideleg",
        };
        for (int i = 0; i < table.length; i += 2) n[(Integer) table[i]] = (String) table[i + 1];
        return n;
    }
}
