package org.duvisor.bench.exits;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import org.duvisor.dbt.bus.PhysicalBus;
import org.duvisor.dbt.cache.DbtStatistics;
import org.duvisor.dbt.memory.HostMemory;
import org.duvisor.dbt.memory.SoftTlb;
import org.duvisor.hext.DvExtension;
import org.duvisor.hext.HExtension;
import org.duvisor.rv64.dbt.DbtEngine;
import org.duvisor.rv64.exec.ExecutionEngine;
import org.duvisor.rv64.exec.Interpreter;
import org.duvisor.rv64.hart.Cause;
import org.duvisor.rv64.hart.Csr;
import org.duvisor.rv64.hart.Hart;
import org.duvisor.rv64.hart.Privilege;
import org.duvisor.rv64.priv.PrivilegedArchitecture;
import org.duvisor.rv64.priv.SystemMemory;
import org.duvisor.rv64.priv.Timebase;

/**
 * One full-system hart (M, HS, HU, VS; the H extension and DV-Ext) with a VS-mode guest that
 * does nothing but {@code 1: ecall; j 1b}, set up for one of two exit paths of the same ECALL from
 * VS (cause 10):
 *
 * <ul>
 *   <li>{@link Path#DUVISOR}: medeleg and sedeleg route cause 10 to HU (dv-ext.md §4 rule 1), and the
 *       HU "hypervisor" is Java ({@link DvExtension#userLevelInJava}): a round trip is
 *       {@link DvExtension#enterGuest} (huret), the engine runs the guest to its ecall, the exit
 *       stops the hart with the HU trap state in ucause/uepc, Java reads ucause and advances uepc.
 *   <li>{@link Path#HS_VECTOR}: the conventional kernel path: medeleg routes cause 10 to HS, hedeleg
 *       cannot (8.2.2), so it lands at stvec in a guest-code HS handler
 *       ({@code csrr t0,sepc; addi t0,t0,4; csrw sepc,t0; sret}) that returns to the guest, which
 *       ecalls again. A round trip is one trap taken.
 * </ul>
 *
 * Both run the guest with G-stage Bare and vsatp Bare (GPA = VA = host physical address). Every
 * trap the engine stops at is checked (cause 10 from V=1, taken to the intended place); anything
 * else throws rather than being measured.
 */
final class ExitMachine implements AutoCloseable {
    enum Path { DUVISOR, HS_VECTOR }

    enum Tier { DBT, INTERPRETER }

    static final long RAM_BASE = 0x8000_0000L, RAM_SIZE = 1L << 20;
    /** The guest loop {@code 1: ecall; j 1b} (a guest-physical address; G-stage Bare maps it 1:1). */
    static final long GUEST_ENTRY = RAM_BASE + 0x1_0000;
    /** stvec: the HS handler; its sret is at {@link #HS_SRET}. */
    static final long HS_HANDLER = RAM_BASE + 0x2_0000, HS_SRET = HS_HANDLER + 12;
    /** HU code address the hart sits at between exits (never executed: the HU side is Java). */
    static final long HU_PC = RAM_BASE + 0x3_0000;
    /** Retired instructions per round trip: the trapping ecall does not retire; j does; the HS handler is 4. */
    static final long DUVISOR_INSTRET_PER_TRIP = 1, HS_INSTRET_PER_TRIP = 5;
    /** Engine budget per call; a round trip needs a handful of instructions, so the budget never ends a run. */
    private static final long SLICE = 50_000;
    /** Translate a block on its second execution, so that set-up has translated everything. */
    private static final int HOT_THRESHOLD = 2;

    // CSR addresses (Privileged ISA tables; dv-ext.md §2)
    static final int MEDELEG = 0x302, PMPCFG0 = 0x3A0, PMPADDR0 = 0x3B0, SSTATUS = 0x100, STVEC = 0x105, SEPC = 0x141,
            SCAUSE = 0x142, HSTATUS = 0x600, HEDELEG = 0x602, HGATP = 0x680, VSATP = 0x280, SEDELEG = 0x102,
            UEPC = 0x041, UCAUSE = 0x042, HUSTATUS = 0x800, HUGATP = 0x880, HUVSATP = 0x480;
    static final long HSTATUS_SPV = 1L << 7, HSTATUS_SPVP = 1L << 8, HSTATUS_HU = 1L << 9;
    static final long HUSTATUS_UPIE = 1L << 4, HUSTATUS_UPV = 1L << 7, HUSTATUS_UPVP = 1L << 8;
    static final long SSTATUS_SPP = 1L << 8;

    final Path path;
    final Tier tier;
    private final HostMemory host;
    final Hart hart;
    final PrivilegedArchitecture arch;
    final DvExtension dv;
    final ExecutionEngine engine;
    /** The same engine when it is the translator, else null. */
    final DbtEngine dbt;
    private final Csr ucause, uepc;
    /** Round trips completed: exits to Java (DUVISOR) or traps into the HS handler (HS_VECTOR). */
    long roundTrips;

    ExitMachine(Path path, Tier tier) {
        this.path = path;
        this.tier = tier;
        host = HostMemory.reserve(RAM_SIZE);
        MemorySegment ram = host.segment();
        PhysicalBus bus = new PhysicalBus(ram, RAM_BASE);
        hart = new Hart(0, new SoftTlb(256, ram));
        arch = new PrivilegedArchitecture(hart, bus, new Timebase());
        SystemMemory memory = new SystemMemory(arch);
        hart.tlb.setSlowPath(memory);
        HExtension hx = HExtension.install(arch, memory);
        dv = DvExtension.install(hx, new DvExtension.VirtualIpis(1));
        Interpreter interpreter = new Interpreter(hart);
        dbt = tier == Tier.DBT ? new DbtEngine(hart, interpreter, HOT_THRESHOLD) : null;
        engine = dbt != null ? dbt : interpreter;
        ucause = hart.csrs.get(UCAUSE);
        uepc = hart.csrs.get(UEPC);
        writeCode(ram);

        // Firmware (M): open all memory to S/U (NAPOT over everything, RWX) and delegate cause 10 past M.
        write(Privilege.MACHINE, PMPADDR0, -1L, 0);
        write(Privilege.MACHINE, PMPCFG0, 0x1F, 0xFF);
        write(Privilege.MACHINE, MEDELEG, 1L << Cause.ECALL_FROM_VS, -1L);
        // Host kernel (HS): no delegation of cause 10 to the guest (hedeleg cannot hold it anyway), G-stage Bare.
        write(Privilege.SUPERVISOR, HEDELEG, 0, -1L);
        write(Privilege.SUPERVISOR, HGATP, 0, -1L);
        write(Privilege.SUPERVISOR, VSATP, 0, -1L);
        if (path == Path.DUVISOR) {
            // The control plane hands the vCPU thread to HU: sedeleg routes cause 10 there (§4), hstatus.HU=1 (§1).
            write(Privilege.SUPERVISOR, SEDELEG, 1L << Cause.ECALL_FROM_VS, -1L);
            write(Privilege.SUPERVISOR, HSTATUS, HSTATUS_HU, HSTATUS_HU | HSTATUS_SPV);
            // The user-level hypervisor (HU): a vCPU that huret enters in VS at the guest entry (§3, §4).
            write(Privilege.USER, HUGATP, 0, -1L);
            write(Privilege.USER, HUVSATP, 0, -1L);
            write(Privilege.USER, HUSTATUS, HUSTATUS_UPV | HUSTATUS_UPVP | HUSTATUS_UPIE, HUSTATUS_UPV | HUSTATUS_UPVP);
            write(Privilege.USER, UEPC, GUEST_ENTRY, -1L);
            dv.userLevelInJava = true;
            arch.setMode(Privilege.USER, false);
            hart.pc = HU_PC;
        } else {
            // The kernel's VM entry: sret with hstatus.SPV=1 and sstatus.SPP=1 enters VS at sepc.
            write(Privilege.SUPERVISOR, SEDELEG, 0, -1L);
            write(Privilege.SUPERVISOR, HSTATUS, HSTATUS_SPV | HSTATUS_SPVP, HSTATUS_SPV | HSTATUS_HU);
            write(Privilege.SUPERVISOR, STVEC, HS_HANDLER, -1L);
            write(Privilege.SUPERVISOR, SEPC, GUEST_ENTRY, -1L);
            write(Privilege.SUPERVISOR, SSTATUS, SSTATUS_SPP, SSTATUS_SPP);
            arch.setMode(Privilege.SUPERVISOR, false);
            hart.pc = HS_SRET; // the handler's sret enters the guest for the first time
        }
        arch.flushTranslations();
    }

    private void writeCode(MemorySegment ram) {
        ValueLayout.OfInt le = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        int[] guest = {Rv.ECALL, Rv.jal(0, -4)};
        int[] handler = {Rv.csrrs(Rv.T0, SEPC, 0), Rv.addi(Rv.T0, Rv.T0, 4), Rv.csrrw(0, SEPC, Rv.T0), Rv.SRET};
        for (int k = 0; k < guest.length; k++) ram.set(le, GUEST_ENTRY - RAM_BASE + 4L * k, guest[k]);
        for (int k = 0; k < handler.length; k++) ram.set(le, HS_HANDLER - RAM_BASE + 4L * k, handler[k]);
    }

    /**
     * Writes a CSR through the hart's CSR table as {@code privilege} (V=0) would, after its access
     * predicate; the bits in {@code mustStick} must read back as written (a WARL field silently
     * dropping a delegation bit would otherwise measure a different path).
     */
    void write(int privilege, int address, long value, long mustStick) {
        int savedPrivilege = hart.privilege;
        boolean savedV = hart.virtualMode;
        hart.privilege = privilege;
        hart.virtualMode = false;
        try {
            Csr c = hart.csrs.get(address);
            if (c == null) throw new IllegalStateException("CSR 0x" + Integer.toHexString(address) + " is not implemented");
            if (!c.accessible(hart, true)) {
                throw new IllegalStateException(c.name + " is not writable from privilege " + privilege);
            }
            c.write(hart, value);
            long back = c.read(hart);
            if ((back & mustStick) != (value & mustStick)) {
                throw new IllegalStateException(c.name + ": wrote 0x" + Long.toHexString(value) + ", reads 0x" + Long.toHexString(back));
            }
        } finally {
            hart.privilege = savedPrivilege;
            hart.virtualMode = savedV;
        }
    }

    /** Reads a CSR as {@code privilege} (V=0) would, outside the measured code. */
    long read(int privilege, int address) {
        int savedPrivilege = hart.privilege;
        boolean savedV = hart.virtualMode;
        hart.privilege = privilege;
        hart.virtualMode = false;
        try {
            Csr c = hart.csrs.get(address);
            if (c == null || !c.accessible(hart, false)) throw new IllegalStateException("CSR 0x" + Integer.toHexString(address));
            return c.read(hart);
        } finally {
            hart.privilege = savedPrivilege;
            hart.virtualMode = savedV;
        }
    }

    /** Runs {@code n} round trips of this machine's path. */
    void roundTrips(int n) {
        if (path == Path.DUVISOR) duvisorRoundTrips(n);
        else hsRoundTrips(n);
    }

    /**
     * DuVisor fast path: n times huret from Java, run the guest until its ecall exits to HU,
     * read ucause and step uepc past the ecall (the whole "Java handler" of this exit).
     */
    void duvisorRoundTrips(int n) {
        Hart h = hart;
        DvExtension d = dv;
        for (int k = 0; k < n; k++) {
            d.enterGuest();
            do {
                h.exitRequest = 0; // huret's mode change asks the engine to look again
                engine.run(SLICE);
                if (h.trapPending) takeTrap(h);
            } while (!d.exitedToUser);
            if (ucause.read(h) != Cause.ECALL_FROM_VS) throw wrong("ucause=" + ucause.read(h));
            uepc.write(h, uepc.read(h) + 4);
            roundTrips++;
        }
    }

    /** HS trap vector: run until n more ECALLs from VS were taken into the HS handler. */
    void hsRoundTrips(int n) {
        Hart h = hart;
        for (int taken = 0; taken < n; ) {
            h.exitRequest = 0; // sret's mode change asks the engine to look again
            engine.run(SLICE);
            if (h.trapPending) {
                takeTrap(h);
                if (h.privilege != Privilege.SUPERVISOR || h.virtualMode || h.pc != HS_HANDLER) {
                    throw wrong("the trap did not enter the HS handler");
                }
                taken++;
            }
        }
        roundTrips += n;
    }

    /** Takes the pending trap as HartLoop does; only the guest's ECALL from VS is expected. */
    private void takeTrap(Hart h) {
        long cause = h.trapCause;
        if (cause != Cause.ECALL_FROM_VS || !h.virtualMode || h.privilege != Privilege.SUPERVISOR) {
            throw wrong("unexpected trap cause=" + cause + " tval=0x" + Long.toHexString(h.trapValue));
        }
        h.clearTrap();
        arch.enterTrap((int) cause, false, h.trapValue);
    }

    private IllegalStateException wrong(String what) {
        return new IllegalStateException(path + "/" + tier + ": " + what + " at pc=0x" + Long.toHexString(hart.pc) + " privilege="
                + hart.privilege + " V=" + hart.virtualMode + " after " + roundTrips + " round trips");
    }

    /**
     * Checks the architectural state between round trips: the exit registers say "ECALL from VS at the
     * guest's ecall" and the hart is where the path leaves it (HU for DuVisor, the HS handler for HS).
     */
    void checkExitState() {
        if (path == Path.DUVISOR) {
            long cause = read(Privilege.USER, UCAUSE), epc = read(Privilege.USER, UEPC), st = read(Privilege.USER, HUSTATUS);
            // uepc was stepped past the ecall by the Java handler; huret will enter at the j.
            if (cause != Cause.ECALL_FROM_VS || epc != GUEST_ENTRY + 4 || (st & (HUSTATUS_UPV | HUSTATUS_UPVP)) != (HUSTATUS_UPV | HUSTATUS_UPVP)
                    || !dv.exitedToUser || hart.privilege != Privilege.USER || hart.virtualMode) {
                throw wrong("exit state ucause=" + cause + " uepc=0x" + Long.toHexString(epc) + " hustatus=0x" + Long.toHexString(st));
            }
            if (arch.scause != 0) throw wrong("a trap reached HS: scause=" + arch.scause);
        } else {
            long cause = read(Privilege.SUPERVISOR, SCAUSE), epc = read(Privilege.SUPERVISOR, SEPC),
                    hs = read(Privilege.SUPERVISOR, HSTATUS);
            if (cause != Cause.ECALL_FROM_VS || epc != GUEST_ENTRY || (hs & HSTATUS_SPV) == 0 || (hs & HSTATUS_HU) != 0
                    || hart.privilege != Privilege.SUPERVISOR || hart.virtualMode || hart.pc != HS_HANDLER) {
                throw wrong("exit state scause=" + cause + " sepc=0x" + Long.toHexString(epc) + " hstatus=0x" + Long.toHexString(hs));
            }
            if (dv.exitedToUser || read(Privilege.SUPERVISOR, UCAUSE) != 0) throw wrong("a trap reached HU");
        }
        if (arch.mcause != 0) throw wrong("a trap reached M: mcause=" + arch.mcause);
    }

    long expectedInstretPerTrip() {
        return path == Path.DUVISOR ? DUVISOR_INSTRET_PER_TRIP : HS_INSTRET_PER_TRIP;
    }

    DbtStatistics statistics() {
        return dbt != null ? dbt.statistics() : null;
    }

    @Override
    public void close() {
        host.close();
    }

    /** The handful of RV64 encodings the two programs need (unprivileged spec ch. 2, Zicsr, privileged 3.3). */
    static final class Rv {
        static final int T0 = 5;
        static final int ECALL = 0x0000_0073, SRET = 0x1020_0073;

        private Rv() {
        }

        static int addi(int rd, int rs1, int imm) {
            return (imm & 0xFFF) << 20 | rs1 << 15 | rd << 7 | 0x13;
        }

        static int csrrw(int rd, int csr, int rs1) {
            return csr << 20 | rs1 << 15 | 1 << 12 | rd << 7 | 0x73;
        }

        static int csrrs(int rd, int csr, int rs1) {
            return csr << 20 | rs1 << 15 | 2 << 12 | rd << 7 | 0x73;
        }

        static int jal(int rd, int offset) {
            return ((offset >> 20) & 1) << 31 | ((offset >> 1) & 0x3FF) << 21 | ((offset >> 11) & 1) << 20
                    | ((offset >> 12) & 0xFF) << 12 | rd << 7 | 0x6F;
        }
    }
}
