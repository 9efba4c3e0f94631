package org.duvisor.rv64.priv;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import org.duvisor.dbt.bus.PhysicalBus;
import org.duvisor.dbt.memory.SoftTlb;
import org.duvisor.rv64.hart.Hart;
import org.duvisor.rv64.isa.Decoder;
import org.duvisor.rv64.isa.Insn;

/**
 * One hart with 4 MiB of RAM at 0x8000_0000, its privileged architecture and memory system, and
 * helpers to write Sv39/Sv48 page tables straight into RAM (PTE layout from Privileged ISA 4.4.1).
 */
final class TestMachine implements AutoCloseable {
    static final long RAM_BASE = 0x8000_0000L;
    static final long RAM_SIZE = 4L << 20;
    /** Page tables are allocated from here upwards; data pages live below. */
    static final long TABLES = RAM_BASE + 0x30_0000;

    // PTE bits (4.4.1)
    static final long V = 1, R = 2, W = 4, X = 8, U = 16, G = 32, A = 64, D = 128;
    // satp.MODE encodings (4.1.11)
    static final long BARE = 0, SV39 = 8, SV48 = 9;
    // Instruction words (Privileged ISA chapter 3.3 / 4.2 encodings)
    static final int MRET = 0x30200073, SRET = 0x10200073, WFI = 0x10500073, SFENCE_VMA = 0x12000073;

    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    final Arena arena = Arena.ofConfined();
    final MemorySegment ram = arena.allocate(RAM_SIZE, 4096);
    final PhysicalBus bus = new PhysicalBus(ram, RAM_BASE);
    final Hart hart;
    final Timebase timebase = new Timebase();
    final PrivilegedArchitecture arch;
    final SystemMemory memory;
    final SoftTlb tlb;
    private long nextTable = TABLES;
    private long root;
    private int levels;

    TestMachine() {
        this(256);
    }

    /** With a soft TLB of {@code tlbEntries} entries (a power of two). */
    TestMachine(int tlbEntries) {
        hart = new Hart(0, new SoftTlb(tlbEntries, ram));
        arch = new PrivilegedArchitecture(hart, bus, timebase);
        memory = new SystemMemory(arch);
        tlb = hart.tlb;
        tlb.setSlowPath(memory);
    }

    @Override
    public void close() {
        arena.close();
    }

    // ---- CSRs ----

    long csr(int address) {
        return hart.csrs.get(address).read(hart);
    }

    void writeCsr(int address, long value) {
        hart.csrs.get(address).write(hart, value);
    }

    boolean accessible(int address, boolean write) {
        return hart.csrs.get(address).accessible(hart, write);
    }

    long execute(int instructionWord, long pc) {
        Insn insn = Decoder.decode(instructionWord);
        return arch.execute(hart, insn, pc);
    }

    // ---- physical memory ----

    long readPhysical(long pa) {
        return ram.get(LONG, pa - RAM_BASE);
    }

    void writePhysical(long pa, long value) {
        ram.set(LONG, pa - RAM_BASE, value);
    }

    byte readPhysicalByte(long pa) {
        return ram.get(ValueLayout.JAVA_BYTE, pa - RAM_BASE);
    }

    // ---- page tables ----

    static long pte(long pa, long flags) {
        return ((pa >>> 12) << 10) | flags;
    }

    /** Starts an empty Sv39 (3 levels) or Sv48 (4 levels) page table; returns the satp value that selects it. */
    long newPageTable(long mode) {
        levels = mode == SV48 ? 4 : 3;
        root = allocateTable();
        return satpFor(mode, root);
    }

    static long satpFor(long mode, long rootPa) {
        return (mode << 60) | (rootPa >>> 12);
    }

    long root() {
        return root;
    }

    private long allocateTable() {
        long t = nextTable;
        nextTable += 4096;
        for (int i = 0; i < 512; i++) writePhysical(t + 8L * i, 0);
        return t;
    }

    /** Physical address of the PTE for {@code va} at {@code level}, creating pointer PTEs (V only) above it. */
    long pteAddress(long va, int level) {
        long table = root;
        for (int l = levels - 1; l > level; l--) {
            long slot = table + ((va >>> (12 + 9 * l)) & 0x1FF) * 8;
            long e = readPhysical(slot);
            if ((e & V) == 0 || (e & (R | W | X)) != 0) {
                long next = allocateTable();
                writePhysical(slot, pte(next, V));
                table = next;
            } else {
                table = ((e >>> 10) & ((1L << 44) - 1)) << 12;
            }
        }
        return table + ((va >>> (12 + 9 * level)) & 0x1FF) * 8;
    }

    /** Maps the page of {@code va} at {@code level} (0: 4 KiB, 1: 2 MiB, 2: 1 GiB…) to {@code pa}; returns the PTE address. */
    long map(long va, long pa, long flags, int level) {
        long at = pteAddress(va, level);
        writePhysical(at, pte(pa, flags));
        return at;
    }

    long map(long va, long pa, long flags) {
        return map(va, pa, flags, 0);
    }

    /** Puts the hart in S-mode translating through {@code satp}. */
    void enterSupervisorWith(long satp) {
        writeCsr(0x180, satp);
        arch.setPrivilege(org.duvisor.rv64.hart.Privilege.SUPERVISOR);
    }

    // ---- instruction encoders for test programs (Unprivileged ISA, 2.2-2.5) ----

    static int addi(int rd, int rs1, int imm) {
        return iType(0x13, 0, rd, rs1, imm);
    }

    static int ld(int rd, int rs1, int imm) {
        return iType(0x03, 3, rd, rs1, imm);
    }

    static int sd(int rs2, int rs1, int imm) {
        return (imm >> 5 & 0x7F) << 25 | rs2 << 20 | rs1 << 15 | 3 << 12 | (imm & 0x1F) << 7 | 0x23;
    }

    static int add(int rd, int rs1, int rs2) {
        return rs2 << 20 | rs1 << 15 | rd << 7 | 0x33;
    }

    static int blt(int rs1, int rs2, int offset) {
        int o = offset & 0x1FFF;
        return ((o >>> 12) & 1) << 31 | ((o >>> 5) & 0x3F) << 25 | rs2 << 20 | rs1 << 15 | 0b100 << 12
                | ((o >>> 1) & 0xF) << 8 | ((o >>> 11) & 1) << 7 | 0x63;
    }

    private static int iType(int opcode, int funct3, int rd, int rs1, int imm) {
        return (imm & 0xFFF) << 20 | rs1 << 15 | funct3 << 12 | rd << 7 | opcode;
    }

    /** One PMP entry, NAPOT over all of physical memory with R/W/X, so S and U may access anything (3.7.1). */
    void openPmp() {
        arch.pmp.writeAddress(15, -1L);
        arch.pmp.writeConfig(2, (0x18L | 7) << 56);
    }
}
