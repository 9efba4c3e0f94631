package org.duvisor.bench.dbt;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongUnaryOperator;

/**
 * A tiny RV64I assembler for the benchmark programs: hand-encoded instruction words (formats from
 * the RISC-V unprivileged spec, chapter "RV32I Base Integer Instruction Set"), placed at absolute
 * addresses, with labels resolved once at {@link #link}. No toolchain is needed at run time;
 * {@link DumpPrograms} writes the images so that the encodings can be checked with objdump.
 */
final class GuestAsm {
    static final int ZERO = 0, RA = 1, T0 = 5, T1 = 6, T2 = 7, S1 = 9, A0 = 10, S2 = 18;

    private final TreeMap<Long, Integer> words = new TreeMap<>();
    private final Map<String, Long> labels = new HashMap<>();
    private final List<Runnable> fixups = new ArrayList<>();
    private long at;
    private boolean linked;

    GuestAsm org(long address) {
        if ((address & 3) != 0) throw new IllegalArgumentException("unaligned org");
        at = address;
        return this;
    }

    GuestAsm label(String name) {
        if (labels.putIfAbsent(name, at) != null) throw new IllegalArgumentException("duplicate label " + name);
        return this;
    }

    long address(String name) {
        Long a = labels.get(name);
        if (a == null) throw new IllegalArgumentException("undefined label " + name);
        return a;
    }

    private void emit(int word) {
        if (words.put(at, word) != null) throw new IllegalStateException("overlapping code at 0x" + Long.toHexString(at));
        at += 4;
    }

    /** Emits a placeholder resolved at link time from (target - pc). */
    private void emitRelative(String target, LongUnaryOperator encode) {
        long pc = at;
        emit(0);
        fixups.add(() -> words.put(pc, (int) encode.applyAsLong(address(target) - pc)));
    }

    // ---- formats ----

    static int rType(int funct7, int rs2, int rs1, int funct3, int rd, int opcode) {
        return funct7 << 25 | reg(rs2) << 20 | reg(rs1) << 15 | funct3 << 12 | reg(rd) << 7 | opcode;
    }

    static int iType(int imm, int rs1, int funct3, int rd, int opcode) {
        if (imm < -2048 || imm > 2047) throw new IllegalArgumentException("imm12 out of range: " + imm);
        return (imm & 0xFFF) << 20 | reg(rs1) << 15 | funct3 << 12 | reg(rd) << 7 | opcode;
    }

    static int sType(int imm, int rs2, int rs1, int funct3, int opcode) {
        if (imm < -2048 || imm > 2047) throw new IllegalArgumentException("imm12 out of range: " + imm);
        return ((imm >> 5) & 0x7F) << 25 | reg(rs2) << 20 | reg(rs1) << 15 | funct3 << 12 | (imm & 0x1F) << 7 | opcode;
    }

    static int bType(long offset, int rs2, int rs1, int funct3) {
        if ((offset & 1) != 0 || offset < -4096 || offset > 4094) throw new IllegalArgumentException("branch offset " + offset);
        int o = (int) offset;
        return ((o >> 12) & 1) << 31 | ((o >> 5) & 0x3F) << 25 | reg(rs2) << 20 | reg(rs1) << 15 | funct3 << 12
                | ((o >> 1) & 0xF) << 8 | ((o >> 11) & 1) << 7 | 0x63;
    }

    static int jType(long offset, int rd) {
        if ((offset & 1) != 0 || offset < -(1 << 20) || offset >= (1 << 20)) throw new IllegalArgumentException("jal offset " + offset);
        int o = (int) offset;
        return ((o >> 20) & 1) << 31 | ((o >> 1) & 0x3FF) << 21 | ((o >> 11) & 1) << 20 | ((o >> 12) & 0xFF) << 12
                | reg(rd) << 7 | 0x6F;
    }

    private static int reg(int r) {
        if (r < 0 || r > 31) throw new IllegalArgumentException("register " + r);
        return r;
    }

    // ---- instructions ----

    GuestAsm addi(int rd, int rs1, int imm) { emit(iType(imm, rs1, 0, rd, 0x13)); return this; }

    GuestAsm andi(int rd, int rs1, int imm) { emit(iType(imm, rs1, 7, rd, 0x13)); return this; }

    GuestAsm slli(int rd, int rs1, int shamt) {
        if (shamt < 0 || shamt > 63) throw new IllegalArgumentException("shamt " + shamt);
        emit(iType(shamt, rs1, 1, rd, 0x13));
        return this;
    }

    GuestAsm add(int rd, int rs1, int rs2) { emit(rType(0, rs2, rs1, 0, rd, 0x33)); return this; }

    GuestAsm ld(int rd, int offset, int rs1) { emit(iType(offset, rs1, 3, rd, 0x03)); return this; }

    GuestAsm sd(int rs2, int offset, int rs1) { emit(sType(offset, rs2, rs1, 3, 0x23)); return this; }

    GuestAsm jalr(int rd, int offset, int rs1) { emit(iType(offset, rs1, 0, rd, 0x67)); return this; }

    GuestAsm ebreak() { emit(0x0010_0073); return this; }

    GuestAsm beq(int rs1, int rs2, String target) { emitRelative(target, off -> bType(off, rs2, rs1, 0)); return this; }

    GuestAsm bne(int rs1, int rs2, String target) { emitRelative(target, off -> bType(off, rs2, rs1, 1)); return this; }

    GuestAsm jal(int rd, String target) { emitRelative(target, off -> jType(off, rd)); return this; }

    /** A 64-bit data word holding the absolute address of {@code target} (a jump table entry). */
    GuestAsm dwordAddress(String target) {
        long lo = at;
        emit(0);
        emit(0);
        fixups.add(() -> {
            long a = address(target);
            words.put(lo, (int) a);
            words.put(lo + 4, (int) (a >>> 32));
        });
        return this;
    }

    GuestAsm link() {
        if (!linked) {
            fixups.forEach(Runnable::run);
            linked = true;
        }
        return this;
    }

    /** Address → word, after {@link #link}. */
    TreeMap<Long, Integer> words() {
        link();
        return words;
    }

    void writeTo(MemorySegment ram) {
        ValueLayout.OfInt le = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        words().forEach((a, w) -> ram.set(le, a, w));
    }
}
