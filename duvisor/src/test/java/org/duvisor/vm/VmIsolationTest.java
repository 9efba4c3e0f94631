package org.duvisor.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.duvisor.machine.KernelImage;
import org.duvisor.machine.MachineConfig;
import org.duvisor.rv64.dbt.DbtEngine;
import org.duvisor.rv64.exec.Interpreter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two DuVisor VMs at once on one host, each on its own hart with its own memory, G-stage, vPMP
 * window, vPLIC context and sources: a hostile guest (workloads/guests/isolation-probe.c) tries to
 * reach the other VM — its memory through guest-physical addresses outside its own RAM and through
 * DMA descriptors, its interrupts through the vPLIC and the vIPI bitmap — and every attempt fails
 * architecturally (an access fault, an illegal instruction, an SBI error, a device needing reset),
 * until the prober stops itself cleanly with an access DuVisor does not emulate. The other VM,
 * started once the prober is attacking and running while it goes on, finishes with its own results.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS) // a hang guard, not a timing assertion
class VmIsolationTest {
    private static final long PROBER_RAM = 64L << 20, VICTIM_RAM = 128L << 20;
    /** Where isolation-probe.c reads the other VM's host address and its stop flag. */
    private static final long HINT = 0x200_0000, STOP = HINT + 8;
    private static final long BAD = 0x0BADBADBADBADBADL;

    @TempDir
    Path dir;

    @BeforeAll
    static void build() {
        DuvisorPlaneTest.build();
    }

    private record Guest(VirtualMachine vm, ByteArrayOutputStream console, ByteArrayOutputStream log, long entry) {
        String text() {
            return console.toString(StandardCharsets.UTF_8);
        }

        String messages() {
            return log.toString(StandardCharsets.UTF_8);
        }
    }

    private static Guest guest(HostMachine host, ControlPlane control, VirtualMachine.Config config, String elf) throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream(), log = new ByteArrayOutputStream();
        VirtualMachine vm = new VirtualMachine(host, control, config, console, new PrintStream(log, true, StandardCharsets.UTF_8));
        long entry = vm.load(KernelImage.read(DuvisorPlaneTest.guests.resolve(elf + ".elf"), VirtualMachine.GUEST_RAM_BASE, config.guestBytes()));
        return new Guest(vm, console, log, entry);
    }

    /** What the two VMs ended with, and whether the prober's stores show up anywhere outside its own RAM. */
    private record Outcome(int proberExit, Guest prober, int victimExit, Guest victim, boolean badOutsideProber, long runtimeEntries) {
    }

    /**
     * Starts the prober on hart 0, waits until it is attacking, runs {@code victimElf} on hart 1 to
     * its end, then lets the prober stop.
     */
    private Outcome attackWhile(String victimElf, List<MachineConfig.Disk> victimDisks) throws Exception {
        Path proberDisk = Files.write(dir.resolve("prober.img"), VirtioGuestTest.image());
        try (HostMachine host = new HostMachine(2, PROBER_RAM + VICTIM_RAM + (64L << 20), h -> new DbtEngine(h, new Interpreter(h), 2))) {
            ControlPlane control = new ControlPlane(host, HostMachine.RAM_BASE + (16L << 20));
            Guest prober = guest(host, control, VirtualMachine.Config.of(VirtualMachine.Plane.DUVISOR, PROBER_RAM, 1).onHarts(0)
                    .withDisks(List.of(new MachineConfig.Disk(proberDisk, false))), "isolation-probe");
            Guest victim = guest(host, control, VirtualMachine.Config.of(VirtualMachine.Plane.DUVISOR, VICTIM_RAM, 1).onHarts(1)
                    .withDisks(victimDisks), victimElf);
            try (VirtualMachine p = prober.vm(); VirtualMachine v = victim.vm()) {
                MemorySegment proberRam = prober.vm().guestPhysical.ram();
                proberRam.set(ValueLayout.JAVA_LONG_UNALIGNED, HINT, victim.vm().memory.base());
                int[] proberExit = {-1};
                Thread t = Thread.ofPlatform().name("prober").start(() -> {
                    try {
                        proberExit[0] = prober.vm().run(prober.entry());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                while (!prober.text().contains("repeating until stopped")) {
                    if (!t.isAlive()) throw new AssertionError("the prober ended early:\n" + prober.text() + prober.messages());
                    Thread.sleep(1);
                }
                int victimExit = victim.vm().run(victim.entry());
                proberRam.set(ValueLayout.JAVA_LONG_UNALIGNED, STOP, 1);
                t.join();
                MemorySegment ram = host.bus.ram();
                long start = prober.vm().memory.base() - HostMachine.RAM_BASE, end = start + prober.vm().memory.size();
                boolean bad = contains(ram.asSlice(0, start), BAD) || contains(ram.asSlice(end, ram.byteSize() - end), BAD);
                return new Outcome(proberExit[0], prober, victimExit, victim, bad, control.runtimeEntries.get());
            }
        }
    }

    private static boolean contains(MemorySegment memory, long value) {
        for (long off = 0; off + 8 <= memory.byteSize(); off += 8) {
            if (memory.get(ValueLayout.JAVA_LONG_UNALIGNED, off) == value) return true;
        }
        return false;
    }

    private static void assertProberBlockedAndStoppedCleanly(Outcome o) {
        assertThat(o.prober().text()).as(o.prober().messages())
                .containsPattern("isolation-probe: \\d+ attempts, all blocked")
                .containsPattern("isolation-probe: [1-9]\\d* rounds, every attempt blocked")
                .doesNotContain("NOT BLOCKED");
        String stops = o.prober().messages().lines().filter(l -> !l.startsWith("warning: ")).collect(java.util.stream.Collectors.joining("\n"));
        assertThat(stops).as(o.prober().text()).contains("MMIO by an instruction DuVisor does not emulate").doesNotContain("Exception");
        assertThat(o.proberExit()).as("the prober's VM stops cleanly").isEqualTo(72);
        assertThat(o.badOutsideProber()).as("the prober's stores in host memory outside its VM").isFalse();
        assertThat(o.runtimeEntries()).as("host-kernel entries while the VMs ran").isZero();
    }

    @Test
    void aGuestReachesNeitherTheMemoryNorTheDisksOfAnotherVm() throws Exception {
        Path victimDisk = Files.write(dir.resolve("victim.img"), VirtioGuestTest.image());
        Outcome o = attackWhile("vio-blk", List.of(new MachineConfig.Disk(victimDisk, false)));
        assertProberBlockedAndStoppedCleanly(o);
        assertThat(o.victim().text()).as(o.victim().messages()).contains("vio-blk: all checks passed");
        assertThat(o.victimExit()).isZero();
        assertThat(Files.readAllBytes(dir.resolve("prober.img"))).as("the prober's disk after only refused requests").isEqualTo(VirtioGuestTest.image());
    }

    @Test
    void aGuestCanNeitherRaiseNorCompleteAnotherVmsInterrupts() throws Exception {
        Outcome o = attackWhile("mb-vext", List.of());
        assertProberBlockedAndStoppedCleanly(o);
        // Every doorbell is one interrupt for the victim: none lost, none added by the prober.
        assertThat(o.victim().text()).as(o.victim().messages()).contains("DV-MB vext 100000\n");
        assertThat(o.victimExit()).isZero();
    }

    @Test
    void aHostHartRunsTheVcpusOfOneVmOnly() throws Exception {
        try (HostMachine host = new HostMachine(2, PROBER_RAM + VICTIM_RAM + (64L << 20), Interpreter::new)) {
            ControlPlane control = new ControlPlane(host, HostMachine.RAM_BASE + (16L << 20));
            try (VirtualMachine first = new VirtualMachine(host, control, VirtualMachine.Config.of(VirtualMachine.Plane.DUVISOR, PROBER_RAM, 1),
                    new ByteArrayOutputStream(), System.err)) {
                VirtualMachine.Config second = VirtualMachine.Config.of(VirtualMachine.Plane.DUVISOR, PROBER_RAM, 2);
                assertThatThrownBy(() -> new VirtualMachine(host, control, second, new ByteArrayOutputStream(), System.err))
                        .isInstanceOf(IllegalArgumentException.class).hasMessage("host hart 0 already runs a vCPU of VM 1");
                assertThat(first.hostHart(0)).isZero();
            }
        }
    }
}
