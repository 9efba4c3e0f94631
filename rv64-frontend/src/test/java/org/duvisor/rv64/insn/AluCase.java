package org.duvisor.rv64.insn;

import java.util.Arrays;
import java.util.List;

/**
 * Every register-to-register and register-immediate integer operation of RV64I, M, Zba, Zbb and
 * Zbs: its encoding, built here from the base instruction formats and the fields the
 * specifications give (not from the emulator's opcode table), and its {@link RefAlu} result.
 */
public enum AluCase {
    // ---- RV64I, OP (0x33) and OP-32 (0x3B)
    ADD("add", Group.RV64I, Kind.R, 0x33, 0, 0x00, RefAlu::add),
    SUB("sub", Group.RV64I, Kind.R, 0x33, 0, 0x20, RefAlu::sub),
    SLL("sll", Group.RV64I, Kind.R, 0x33, 1, 0x00, RefAlu::sll),
    SLT("slt", Group.RV64I, Kind.R, 0x33, 2, 0x00, RefAlu::slt),
    SLTU("sltu", Group.RV64I, Kind.R, 0x33, 3, 0x00, RefAlu::sltu),
    XOR("xor", Group.RV64I, Kind.R, 0x33, 4, 0x00, RefAlu::xor),
    SRL("srl", Group.RV64I, Kind.R, 0x33, 5, 0x00, RefAlu::srl),
    SRA("sra", Group.RV64I, Kind.R, 0x33, 5, 0x20, RefAlu::sra),
    OR("or", Group.RV64I, Kind.R, 0x33, 6, 0x00, RefAlu::or),
    AND("and", Group.RV64I, Kind.R, 0x33, 7, 0x00, RefAlu::and),
    ADDW("addw", Group.RV64I, Kind.R, 0x3B, 0, 0x00, RefAlu::addw),
    SUBW("subw", Group.RV64I, Kind.R, 0x3B, 0, 0x20, RefAlu::subw),
    SLLW("sllw", Group.RV64I, Kind.R, 0x3B, 1, 0x00, RefAlu::sllw),
    SRLW("srlw", Group.RV64I, Kind.R, 0x3B, 5, 0x00, RefAlu::srlw),
    SRAW("sraw", Group.RV64I, Kind.R, 0x3B, 5, 0x20, RefAlu::sraw),
    // ---- RV64I, OP-IMM (0x13) and OP-IMM-32 (0x1B)
    ADDI("addi", Group.RV64I, Kind.I, 0x13, 0, 0, RefAlu::add),
    SLTI("slti", Group.RV64I, Kind.I, 0x13, 2, 0, RefAlu::slt),
    SLTIU("sltiu", Group.RV64I, Kind.I, 0x13, 3, 0, RefAlu::sltu), // the immediate is sign-extended, then compared unsigned
    XORI("xori", Group.RV64I, Kind.I, 0x13, 4, 0, RefAlu::xor),
    ORI("ori", Group.RV64I, Kind.I, 0x13, 6, 0, RefAlu::or),
    ANDI("andi", Group.RV64I, Kind.I, 0x13, 7, 0, RefAlu::and),
    ADDIW("addiw", Group.RV64I, Kind.I, 0x1B, 0, 0, RefAlu::addw),
    SLLI("slli", Group.RV64I, Kind.SHIFT64, 0x13, 1, 0x00, RefAlu::sll),
    SRLI("srli", Group.RV64I, Kind.SHIFT64, 0x13, 5, 0x00, RefAlu::srl),
    SRAI("srai", Group.RV64I, Kind.SHIFT64, 0x13, 5, 0x10, RefAlu::sra),
    SLLIW("slliw", Group.RV64I, Kind.SHIFT32, 0x1B, 1, 0x00, RefAlu::sllw),
    SRLIW("srliw", Group.RV64I, Kind.SHIFT32, 0x1B, 5, 0x00, RefAlu::srlw),
    SRAIW("sraiw", Group.RV64I, Kind.SHIFT32, 0x1B, 5, 0x20, RefAlu::sraw),
    // ---- M: funct7 = 0000001
    MUL("mul", Group.M, Kind.R, 0x33, 0, 0x01, RefAlu::mul),
    MULH("mulh", Group.M, Kind.R, 0x33, 1, 0x01, RefAlu::mulh),
    MULHSU("mulhsu", Group.M, Kind.R, 0x33, 2, 0x01, RefAlu::mulhsu),
    MULHU("mulhu", Group.M, Kind.R, 0x33, 3, 0x01, RefAlu::mulhu),
    DIV("div", Group.M, Kind.R, 0x33, 4, 0x01, RefAlu::div),
    DIVU("divu", Group.M, Kind.R, 0x33, 5, 0x01, RefAlu::divu),
    REM("rem", Group.M, Kind.R, 0x33, 6, 0x01, RefAlu::rem),
    REMU("remu", Group.M, Kind.R, 0x33, 7, 0x01, RefAlu::remu),
    MULW("mulw", Group.M, Kind.R, 0x3B, 0, 0x01, RefAlu::mulw),
    DIVW("divw", Group.M, Kind.R, 0x3B, 4, 0x01, RefAlu::divw),
    DIVUW("divuw", Group.M, Kind.R, 0x3B, 5, 0x01, RefAlu::divuw),
    REMW("remw", Group.M, Kind.R, 0x3B, 6, 0x01, RefAlu::remw),
    REMUW("remuw", Group.M, Kind.R, 0x3B, 7, 0x01, RefAlu::remuw),
    // ---- Zba
    SH1ADD("sh1add", Group.ZBA, Kind.R, 0x33, 2, 0x10, (a, b) -> RefAlu.shNadd(1, a, b)),
    SH2ADD("sh2add", Group.ZBA, Kind.R, 0x33, 4, 0x10, (a, b) -> RefAlu.shNadd(2, a, b)),
    SH3ADD("sh3add", Group.ZBA, Kind.R, 0x33, 6, 0x10, (a, b) -> RefAlu.shNadd(3, a, b)),
    ADD_UW("add.uw", Group.ZBA, Kind.R, 0x3B, 0, 0x04, (a, b) -> RefAlu.shNaddUw(0, a, b)),
    SH1ADD_UW("sh1add.uw", Group.ZBA, Kind.R, 0x3B, 2, 0x10, (a, b) -> RefAlu.shNaddUw(1, a, b)),
    SH2ADD_UW("sh2add.uw", Group.ZBA, Kind.R, 0x3B, 4, 0x10, (a, b) -> RefAlu.shNaddUw(2, a, b)),
    SH3ADD_UW("sh3add.uw", Group.ZBA, Kind.R, 0x3B, 6, 0x10, (a, b) -> RefAlu.shNaddUw(3, a, b)),
    SLLI_UW("slli.uw", Group.ZBA, Kind.SHIFT64, 0x1B, 1, 0x02, RefAlu::slliUw),
    // ---- Zbb
    ANDN("andn", Group.ZBB, Kind.R, 0x33, 7, 0x20, RefAlu::andn),
    ORN("orn", Group.ZBB, Kind.R, 0x33, 6, 0x20, RefAlu::orn),
    XNOR("xnor", Group.ZBB, Kind.R, 0x33, 4, 0x20, RefAlu::xnor),
    MAX("max", Group.ZBB, Kind.R, 0x33, 6, 0x05, RefAlu::max),
    MAXU("maxu", Group.ZBB, Kind.R, 0x33, 7, 0x05, RefAlu::maxu),
    MIN("min", Group.ZBB, Kind.R, 0x33, 4, 0x05, RefAlu::min),
    MINU("minu", Group.ZBB, Kind.R, 0x33, 5, 0x05, RefAlu::minu),
    ROL("rol", Group.ZBB, Kind.R, 0x33, 1, 0x30, RefAlu::rol),
    ROR("ror", Group.ZBB, Kind.R, 0x33, 5, 0x30, RefAlu::ror),
    ROLW("rolw", Group.ZBB, Kind.R, 0x3B, 1, 0x30, RefAlu::rolw),
    RORW("rorw", Group.ZBB, Kind.R, 0x3B, 5, 0x30, RefAlu::rorw),
    RORI("rori", Group.ZBB, Kind.SHIFT64, 0x13, 5, 0x18, RefAlu::ror),
    RORIW("roriw", Group.ZBB, Kind.SHIFT32, 0x1B, 5, 0x30, RefAlu::rorw),
    CLZ("clz", Group.ZBB, Kind.UNARY, 0x13, 1, 0x600, (a, b) -> RefAlu.clz(a)),
    CTZ("ctz", Group.ZBB, Kind.UNARY, 0x13, 1, 0x601, (a, b) -> RefAlu.ctz(a)),
    CPOP("cpop", Group.ZBB, Kind.UNARY, 0x13, 1, 0x602, (a, b) -> RefAlu.cpop(a)),
    SEXT_B("sext.b", Group.ZBB, Kind.UNARY, 0x13, 1, 0x604, (a, b) -> RefAlu.sextB(a)),
    SEXT_H("sext.h", Group.ZBB, Kind.UNARY, 0x13, 1, 0x605, (a, b) -> RefAlu.sextH(a)),
    CLZW("clzw", Group.ZBB, Kind.UNARY, 0x1B, 1, 0x600, (a, b) -> RefAlu.clzw(a)),
    CTZW("ctzw", Group.ZBB, Kind.UNARY, 0x1B, 1, 0x601, (a, b) -> RefAlu.ctzw(a)),
    CPOPW("cpopw", Group.ZBB, Kind.UNARY, 0x1B, 1, 0x602, (a, b) -> RefAlu.cpopw(a)),
    ORC_B("orc.b", Group.ZBB, Kind.UNARY, 0x13, 5, 0x287, (a, b) -> RefAlu.orcB(a)),
    REV8("rev8", Group.ZBB, Kind.UNARY, 0x13, 5, 0x6B8, (a, b) -> RefAlu.rev8(a)), // the RV64 encoding
    ZEXT_H("zext.h", Group.ZBB, Kind.UNARY, 0x3B, 4, 0x080, (a, b) -> RefAlu.zextH(a)), // RV64: OP-32, funct7 0000100, rs2 0
    // ---- Zbs
    BCLR("bclr", Group.ZBS, Kind.R, 0x33, 1, 0x24, RefAlu::bclr),
    BEXT("bext", Group.ZBS, Kind.R, 0x33, 5, 0x24, RefAlu::bext),
    BINV("binv", Group.ZBS, Kind.R, 0x33, 1, 0x34, RefAlu::binv),
    BSET("bset", Group.ZBS, Kind.R, 0x33, 1, 0x14, RefAlu::bset),
    BCLRI("bclri", Group.ZBS, Kind.SHIFT64, 0x13, 1, 0x12, RefAlu::bclr),
    BEXTI("bexti", Group.ZBS, Kind.SHIFT64, 0x13, 5, 0x12, RefAlu::bext),
    BINVI("binvi", Group.ZBS, Kind.SHIFT64, 0x13, 1, 0x1A, RefAlu::binv),
    BSETI("bseti", Group.ZBS, Kind.SHIFT64, 0x13, 1, 0x0A, RefAlu::bset);

    public enum Group { RV64I, M, ZBA, ZBB, ZBS }

    /**
     * Operand layout. R: rd, rs1, rs2 with funct7. I: rd, rs1, imm[11:0]. SHIFT64: imm[11:6] =
     * funct6 and a 6-bit shamt. SHIFT32: funct7 and a 5-bit shamt. UNARY: imm[11:0] = funct12.
     */
    public enum Kind { R, I, SHIFT64, SHIFT32, UNARY }

    @FunctionalInterface
    interface Model {
        long apply(long rs1, long second);
    }

    public final String mnemonic;
    public final Group group;
    public final Kind kind;
    final int opcode, funct3, high;
    private final Model model;

    AluCase(String mnemonic, Group group, Kind kind, int opcode, int funct3, int high, Model model) {
        this.mnemonic = mnemonic;
        this.group = group;
        this.kind = kind;
        this.opcode = opcode;
        this.funct3 = funct3;
        this.high = high;
        this.model = model;
    }

    public static List<AluCase> of(Group... groups) {
        List<Group> g = Arrays.asList(groups);
        return Arrays.stream(values()).filter(c -> g.contains(c.group)).toList();
    }

    public boolean readsRs2() {
        return kind == Kind.R;
    }

    public boolean hasImmediate() {
        return kind == Kind.I || kind == Kind.SHIFT64 || kind == Kind.SHIFT32;
    }

    /** The largest immediate this encoding can hold (shift amounts); I-type immediates are signed 12-bit. */
    public int immediateBits() {
        return switch (kind) {
            case I -> 12;
            case SHIFT64 -> 6;
            case SHIFT32 -> 5;
            default -> 0;
        };
    }

    /**
     * The 32-bit word. {@code imm} is the immediate's value: signed 12-bit for I, the shift amount
     * (0..63 or 0..31) for the shifts; ignored otherwise. {@code rs2} is ignored unless {@link Kind#R}.
     */
    public int encode(int rd, int rs1, int rs2, long imm) {
        int base = (rs1 << 15) | (funct3 << 12) | (rd << 7) | opcode;
        return switch (kind) {
            case R -> (high << 25) | (rs2 << 20) | base;
            case I -> {
                if (imm < -2048 || imm > 2047) throw new IllegalArgumentException("imm12 " + imm);
                yield ((int) imm & 0xFFF) << 20 | base;
            }
            case SHIFT64 -> {
                if (imm < 0 || imm > 63) throw new IllegalArgumentException("shamt6 " + imm);
                yield (high << 26) | ((int) imm << 20) | base;
            }
            case SHIFT32 -> {
                if (imm < 0 || imm > 31) throw new IllegalArgumentException("shamt5 " + imm);
                yield (high << 25) | ((int) imm << 20) | base;
            }
            case UNARY -> (high << 20) | base;
        };
    }

    /** The model's rd value for source values {@code rs1} and {@code rs2} (as read) and immediate {@code imm}. */
    public long expected(long rs1, long rs2, long imm) {
        return model.apply(rs1, hasImmediate() ? imm : rs2);
    }
}
