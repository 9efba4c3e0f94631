package org.duvisor.hext;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicBoolean;
import org.duvisor.dbt.bus.PhysicalBus;
import org.duvisor.dbt.memory.HostMemory;
import org.duvisor.dbt.memory.SoftTlb;
import org.duvisor.rv64.hart.Cause;
import org.duvisor.rv64.hart.Hart;
import org.duvisor.rv64.hart.Privilege;
import org.duvisor.rv64.insn.CsrOps;
import org.duvisor.rv64.isa.Decoder;
import org.duvisor.rv64.priv.PrivilegedArchitecture;
import org.duvisor.rv64.priv.SystemMemory;
import org.duvisor.rv64.priv.Timebase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * dv-ext.md §6 "Exit-less variant" and §9 "Strict predicates" as {@link DvExtension#VCPUID_EXITLESS}
 * defines them: two harts sharing one vIPI bitmap, CSR instructions executed as each mode would.
 */
class ExitlessVirtualIpiTest {
    private static final int VCPUID = 0x482, VIPI0 = 0x483, SIP = 0x144, VSIP = 0x244, HIDELEG = 0x603, MIP = 0x344,
            HIE = 0x604, VSSTATUS = 0x200;
    private static final long USIP = 1, VSSIP = 1L << 2, EL = DvExtension.VCPUID_EXITLESS;
    private static final int T0 = 5, T1 = 6;

    private HostMemory ram;
    private final Hart[] hart = new Hart[2];
    private final PrivilegedArchitecture[] arch = new PrivilegedArchitecture[2];

    @BeforeEach
    void twoHarts() {
        ram = HostMemory.reserve(1L << 20);
        PhysicalBus bus = new PhysicalBus(ram.segment(), 0x8000_0000L);
        Timebase time = new Timebase();
        DvExtension.VirtualIpis ipis = new DvExtension.VirtualIpis(2);
        for (int i = 0; i < 2; i++) {
            hart[i] = new Hart(i, new SoftTlb(64, ram.segment()));
            arch[i] = new PrivilegedArchitecture(hart[i], bus, time);
            SystemMemory sm = new SystemMemory(arch[i]);
            hart[i].tlb.setSlowPath(sm);
            DvExtension.install(HExtension.install(arch[i], sm), ipis);
            // The hypervisor delegates the VS interrupts to the guest and lets it enable VSSIP.
            write(i, HIDELEG, HExtension.VS_INTERRUPTS);
            write(i, HIE, VSSIP);
        }
    }

    @AfterEach
    void close() {
        ram.close();
    }

    // ---- helpers: CSR instructions as a mode executes them ----

    private static int csr(int funct3, int rd, int address, int rs1) {
        return address << 20 | rs1 << 15 | funct3 << 12 | rd << 7 | 0x73;
    }

    /** Executes one CSR instruction on hart i in the given mode; returns the trap cause or 0. */
    private long exec(int i, int privilege, boolean virtual, int bits) {
        Hart h = hart[i];
        arch[i].setMode(privilege, virtual);
        h.clearTrap();
        CsrOps.execute(h, Decoder.decode(bits), 0x8000_0000L);
        long cause = h.trapPending ? h.trapCause : 0;
        h.clearTrap();
        arch[i].setMode(Privilege.MACHINE, false);
        return cause;
    }

    /** csrw from M (the hypervisor's and firmware's side; HS and HU have the same rights here). */
    private void write(int i, int address, long value) {
        hart[i].x[T0] = value;
        assertThat(exec(i, Privilege.MACHINE, false, csr(1, 0, address, T0))).isZero();
    }

    private long read(int i, int address) {
        assertThat(exec(i, Privilege.MACHINE, false, csr(2, T1, address, 0))).isZero();
        return hart[i].x[T1];
    }

    /** csrrs x0, csr, t0 from VS on hart i with t0 = bits: the guest posting vIPIs. */
    private long guestSets(int i, int address, long bits) {
        hart[i].x[T0] = bits;
        return exec(i, Privilege.SUPERVISOR, true, csr(2, 0, address, T0));
    }

    // ---- the mode switch ----

    @Test
    void withoutExitlessModeTheBitmapDrivesUsip() {
        write(0, VCPUID, 9);
        write(0, VIPI0, 1L << 9);
        assertThat(read(0, MIP) & (USIP | VSSIP)).isEqualTo(USIP);
    }

    @Test
    void exitlessModeIsVcpuidBit63AndLeavesTheIdItsEightBits() {
        write(0, VCPUID, EL | 0x1_09);
        assertThat(read(0, VCPUID)).isEqualTo(EL | 0x09);
    }

    @Test
    void inExitlessModeTheBitmapDrivesVssipInsteadOfUsip() {
        write(0, VCPUID, EL | 9);
        write(0, VIPI0, 1L << 9);
        assertThat(read(0, MIP) & (USIP | VSSIP)).isEqualTo(VSSIP);
        assertThat(read(0, 0x645) & VSSIP).as("hvip holds only what the hypervisor injected").isZero();
    }

    @Test
    void aGuestRunningInExitlessModeTakesTheVipiAsItsOwnSoftwareInterrupt() {
        write(0, VCPUID, EL | 9);
        write(0, VSSTATUS, PrivilegedArchitecture.SIE);
        write(0, VIPI0, 1L << 9);
        arch[0].setMode(Privilege.SUPERVISOR, true);
        assertThat(arch[0].interruptToTake()).isEqualTo(HExtension.VSSIP);
        arch[0].enterTrap(HExtension.VSSIP, true, 0);
        assertThat(hart[0].virtualMode).as("no exit: the guest's VS handler runs").isTrue();
        assertThat(read(0, 0x242)).as("vscause").isEqualTo(1L << 63 | 1);
    }

    // ---- who may write the bitmap ----

    @Test
    void vsWritesToTheBitmapAreVirtualInstructionsOutsideExitlessMode() {
        write(0, VCPUID, 9);
        assertThat(guestSets(0, VIPI0, 1L << 10)).isEqualTo(Cause.VIRTUAL_INSTRUCTION);
        assertThat(read(0, VIPI0)).isZero();
    }

    @Test
    void vsMayPostToAVcpuOfItsVmInExitlessMode() {
        write(0, VCPUID, EL | 9);
        write(1, VCPUID, EL | 10);
        hart[1].exitRequest = 0;
        assertThat(guestSets(0, VIPI0, 1L << 10)).isZero();
        assertThat(read(1, MIP) & VSSIP).as("hart 1 (vCPU id 10) sees VSSIP").isEqualTo(VSSIP);
        assertThat(hart[1].exitRequest).as("hart 1 is told to look at its interrupts").isEqualTo(1);
    }

    @Test
    void vsPostsReachOnlyTheSendersVm() {
        write(0, VCPUID, EL | 9); // VM 1: ids 9..16
        assertThat(guestSets(0, VIPI0, 1L << 8 | 1L << 16 | 1L << 17 | 1L << 40)).isZero();
        assertThat(read(0, VIPI0)).isEqualTo(1L << 16);
    }

    @Test
    void aVmWhoseIdsCrossAWordBoundaryPostsIntoBothWords() {
        write(0, VCPUID, EL | 60); // ids 57..64
        assertThat(guestSets(0, VIPI0, -1L)).isZero();
        assertThat(guestSets(0, VIPI0 + 1, -1L)).isZero();
        assertThat(read(0, VIPI0)).isEqualTo(0xFFL << 57);
        assertThat(read(0, VIPI0 + 1)).isEqualTo(1L);
    }

    @Test
    void vsWritesNeitherReadNorClearTheBitmap() {
        write(0, VCPUID, EL | 9);
        write(0, VIPI0, 1L << 12);
        hart[0].x[T0] = 1L << 11;
        assertThat(exec(0, Privilege.SUPERVISOR, true, csr(1, T1, VIPI0, T0))).as("csrrw t1, vipi0, t0").isZero();
        assertThat(hart[0].x[T1]).as("the old value reads as 0 from VS").isZero();
        hart[0].x[T0] = 1L << 12 | 1L << 11;
        assertThat(exec(0, Privilege.SUPERVISOR, true, csr(3, 0, VIPI0, T0))).as("csrrc x0, vipi0, t0").isZero();
        assertThat(read(0, VIPI0)).isEqualTo(1L << 12 | 1L << 11);
    }

    @Test
    void plainReadsFromVsAndEveryAccessFromVuStayVirtualInstructions() {
        write(0, VCPUID, EL | 9);
        assertThat(exec(0, Privilege.SUPERVISOR, true, csr(2, T1, VIPI0, 0))).as("csrr from VS").isEqualTo(Cause.VIRTUAL_INSTRUCTION);
        hart[0].x[T0] = 1L << 10;
        assertThat(exec(0, Privilege.USER, true, csr(2, 0, VIPI0, T0))).as("csrs from VU").isEqualTo(Cause.VIRTUAL_INSTRUCTION);
        assertThat(exec(0, Privilege.SUPERVISOR, true, csr(2, T1, VCPUID, 0))).as("vcpuid from VS").isEqualTo(Cause.VIRTUAL_INSTRUCTION);
        assertThat(read(0, VIPI0)).isZero();
    }

    // ---- acknowledging ----

    @Test
    void theGuestClearingSipSsipConsumesItsVipi() {
        write(0, VCPUID, EL | 9);
        write(0, VIPI0, 1L << 9 | 1L << 10);
        hart[0].x[T0] = 2;
        assertThat(exec(0, Privilege.SUPERVISOR, true, csr(3, 0, SIP, T0))).as("csrc sip, 2 in VS").isZero();
        assertThat(read(0, VIPI0)).as("only its own bit").isEqualTo(1L << 10);
        assertThat(read(0, MIP) & VSSIP).isZero();
    }

    @Test
    void hypervisorWritesOfVsipChangeOnlyHvip() {
        write(0, VCPUID, EL | 9);
        write(0, VIPI0, 1L << 9);
        write(0, VSIP, 0);
        assertThat(read(0, VIPI0)).as("a save/restore of vsip keeps the vIPI").isEqualTo(1L << 9);
        assertThat(read(0, MIP) & VSSIP).isEqualTo(VSSIP);
    }

    @Test
    void settingSipSsipFromVsLeavesTheBitmapAlone() {
        write(0, VCPUID, EL | 9);
        hart[0].x[T0] = 2;
        assertThat(exec(0, Privilege.SUPERVISOR, true, csr(2, 0, SIP, T0))).isZero();
        assertThat(read(0, VIPI0)).isZero();
        assertThat(read(0, MIP) & VSSIP).isEqualTo(VSSIP);
    }

    // ---- sharing ----

    @Test
    void csrrsAndCsrrcOnTheSharedBitmapNeverLoseAnotherHartsBits() throws Exception {
        AtomicBoolean lost = new AtomicBoolean();
        CyclicBarrier start = new CyclicBarrier(2);
        Thread[] threads = new Thread[2];
        for (int i = 0; i < 2; i++) {
            int me = i;
            threads[i] = new Thread(() -> {
                Hart h = hart[me];
                long bit = 1L << (20 + me);
                try {
                    start.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                for (int k = 0; k < 200_000 && !lost.get(); k++) {
                    h.x[T0] = bit;
                    CsrOps.execute(h, Decoder.decode(csr(2, 0, VIPI0, T0)), 0);
                    CsrOps.execute(h, Decoder.decode(csr(2, T1, VIPI0, 0)), 0);
                    if ((h.x[T1] & bit) == 0) lost.set(true);
                    CsrOps.execute(h, Decoder.decode(csr(3, 0, VIPI0, T0)), 0);
                }
            });
        }
        for (Thread t : threads) t.start();
        for (Thread t : threads) t.join();
        assertThat(lost).as("a bit set by csrrs was undone by the other hart's csrrc").isFalse();
    }
}
