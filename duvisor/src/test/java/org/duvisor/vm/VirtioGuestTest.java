package org.duvisor.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The board's virtio devices in a VM, driven by a bare-metal guest driver (workloads/guests/vio-blk.c)
 * on both planes: sectors read, written and read back, interrupts through the guest's PLIC, and wild
 * DMA addresses refused with DEVICE_NEEDS_RESET — the disk and the host memory outside the VM keep
 * what they had, and the guest goes on after a device reset.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS) // a hang guard, not a timing assertion
class VirtioGuestTest {
    private static final long GUEST = 128L << 20; // vio-blk.c's RAM_END
    private static final int SECTORS = 64, HOSTILE_READ = 30, HOSTILE_WRITE = 24;

    @TempDir
    Path dir;

    @BeforeAll
    static void build() {
        DuvisorPlaneTest.build();
    }

    /** Byte i of sector s, as vio-blk.c's pattern() expects. */
    static byte pattern(int s, int i) {
        return (byte) ((s * 13 + i) ^ 0x5A);
    }

    static byte[] sector(int s) {
        byte[] b = new byte[512];
        for (int i = 0; i < 512; i++) b[i] = pattern(s, i);
        return b;
    }

    /** The disk the guest expects: every sector in the pattern. */
    static byte[] image() {
        byte[] image = new byte[SECTORS * 512];
        for (int s = 0; s < SECTORS; s++) System.arraycopy(sector(s), 0, image, s * 512, 512);
        return image;
    }

    static Path disk(Path dir) throws IOException {
        return Files.write(dir.resolve("disk.img"), image());
    }

    /** One VM with the disk on a fresh host; the host memory outside the VM is checked afterwards. */
    private record Outcome(GuestRun run, String log, boolean hostileBytesOutsideVm) {
    }

    private static Outcome run(VirtualMachine.Plane plane, MachineConfig.Disk disk) throws Exception {
        return run(plane, disk, 1);
    }

    private static Outcome run(VirtualMachine.Plane plane, MachineConfig.Disk disk, int vcpus) throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream(), log = new ByteArrayOutputStream();
        VirtualMachine.Config config = VirtualMachine.Config.of(plane, GUEST, vcpus).withDisks(List.of(disk));
        try (HostMachine host = new HostMachine(vcpus, GUEST + (64L << 20), h -> new DbtEngine(h, new Interpreter(h), 2));
             VirtualMachine vm = new VirtualMachine(host, new ControlPlane(host, HostMachine.RAM_BASE + (16L << 20)), config, console,
                     new PrintStream(log, true, StandardCharsets.UTF_8))) {
            long entry = vm.load(KernelImage.read(DuvisorPlaneTest.guests.resolve("vio-blk.elf"), VirtualMachine.GUEST_RAM_BASE, GUEST));
            int code = vm.run(entry);
            MemorySegment ram = host.bus.ram();
            long vmStart = vm.memory.base() - HostMachine.RAM_BASE, vmEnd = vmStart + vm.memory.size();
            boolean leaked = contains(ram.asSlice(0, vmStart), sector(HOSTILE_READ))
                    || contains(ram.asSlice(vmEnd, ram.byteSize() - vmEnd), sector(HOSTILE_READ));
            return new Outcome(new GuestRun(code, console.toString(StandardCharsets.UTF_8), 0, vm, vm.control()),
                    log.toString(StandardCharsets.UTF_8), leaked);
        }
    }

    private static boolean contains(MemorySegment memory, byte[] needle) {
        byte[] head = Arrays.copyOf(needle, 64);
        for (long off = 0; off + needle.length <= memory.byteSize(); off += 8) {
            if (memory.get(ValueLayout.JAVA_LONG_UNALIGNED, off) != MemorySegment.ofArray(head).get(ValueLayout.JAVA_LONG_UNALIGNED, 0)) continue;
            if (Arrays.equals(memory.asSlice(off, needle.length).toArray(ValueLayout.JAVA_BYTE), needle)) return true;
        }
        return false;
    }

    @ParameterizedTest
    @EnumSource(VirtualMachine.Plane.class)
    void theGuestDriverReadsWritesAndReadsBackItsDisk(VirtualMachine.Plane plane) throws Exception {
        Path image = disk(dir);
        Outcome o = run(plane, new MachineConfig.Disk(image, false));
        assertThat(o.run().console()).as(o.log()).contains("vio-blk: capacity 64 sectors\n").contains("vio-blk: all checks passed");
        assertThat(o.run().exitCode()).isZero();
        byte[] expected = image();
        for (int s = 16; s < 18; s++) {
            for (int i = 0; i < 512; i++) expected[s * 512 + i] = (byte) ((s * 7 + i * 3) ^ 0xA5);
        }
        assertThat(Files.readAllBytes(image)).as("the disk: sectors 16-17 written, the rest as it was").isEqualTo(expected);
    }

    @ParameterizedTest
    @EnumSource(VirtualMachine.Plane.class)
    void wildDmaAddressesLeaveTheDeviceNeedingResetAndTouchNothingOutsideTheVm(VirtualMachine.Plane plane) throws Exception {
        Path image = disk(dir);
        Outcome o = run(plane, new MachineConfig.Disk(image, false));
        assertThat(o.run().console()).as(o.log())
                .contains("vio-blk: refused: a buffer just past the end of RAM")
                .contains("vio-blk: refused: a buffer straddling the end of RAM")
                .contains("vio-blk: refused: a buffer in a device window")
                .contains("vio-blk: refused: a buffer wrapping around the address space")
                .contains("vio-blk: refused: a write from outside RAM")
                .contains("vio-blk: refused: a status byte past the end of RAM")
                .contains("vio-blk: refused: a descriptor table straddling the end of RAM")
                .contains("vio-blk: all checks passed");
        // Each refusal is one warning naming the address, never a host exception.
        assertThat(o.log()).contains("is outside RAM; device needs reset").doesNotContain("Exception").doesNotContain("failed");
        assertThat(o.log().lines().filter(l -> l.contains("device needs reset")).count()).isEqualTo(7);
        assertThat(o.hostileBytesOutsideVm()).as("the hostile sector's bytes in host memory outside the VM").isFalse();
        assertThat(Arrays.copyOfRange(Files.readAllBytes(image), HOSTILE_WRITE * 512, HOSTILE_WRITE * 512 + 512)).isEqualTo(sector(HOSTILE_WRITE));
    }

    @ParameterizedTest
    @EnumSource(VirtualMachine.Plane.class)
    void aReadOnlyDiskIsOfferedWithF_RoAndRefusesWrites(VirtualMachine.Plane plane) throws Exception {
        Path image = disk(dir);
        byte[] before = Files.readAllBytes(image);
        Outcome o = run(plane, new MachineConfig.Disk(image, true));
        assertThat(o.run().console()).as(o.log()).contains("64 sectors, read-only").contains("vio-blk: all checks passed");
        assertThat(Files.readAllBytes(image)).isEqualTo(before);
    }

    @ParameterizedTest
    @EnumSource(VirtualMachine.Plane.class)
    void anInterruptRaisedOnAnotherVcpusThreadWakesVcpu0FromWfi(VirtualMachine.Plane plane) throws Exception {
        Outcome o = run(plane, new MachineConfig.Disk(disk(dir), false), 2);
        assertThat(o.run().console()).as(o.log()).contains("vio-blk: vCPU 1 notifies virtio-rng")
                .contains("vio-blk: virtio-rng gave 64 bytes").contains("vio-blk: all checks passed");
        assertThat(o.run().exitCode()).isZero();
    }

    @Test
    void onDuvisorDeviceInterruptsArriveWithoutExitsOrHostKernelEntries() throws Exception {
        Outcome o = run(VirtualMachine.Plane.DUVISOR, new MachineConfig.Disk(disk(dir), false));
        assertThat(o.run().console()).as(o.log()).contains("vio-blk: all checks passed").containsPattern("vio-blk: interrupts [1-9]");
        ExitLedger l = o.run().ledger(0);
        assertThat(Arrays.stream(l.interrupts).sum()).as("interrupt exits").isZero();
        assertThat(o.run().control().runtimeEntries.get()).isZero();
        assertThat(l.hostKernelEntries).isZero();
    }

    @Test
    void onTheKernelPlaneDeviceInterruptsComeFromTheVmmsPlicModel() throws Exception {
        Outcome o = run(VirtualMachine.Plane.KVM, new MachineConfig.Disk(disk(dir), false));
        String console = o.run().console();
        assertThat(console).as(o.log()).contains("vio-blk: all checks passed");
        long interrupts = Long.parseLong(console.replaceAll("(?s).*vio-blk: interrupts (\\d+).*", "$1"));
        assertThat(interrupts).isPositive();
        // KVM_INTERRUPT set when the model raises the line, unset when the claim drops it.
        ExitLedger l = o.run().ledger(0);
        assertThat(l.hostKernelEntries).isGreaterThanOrEqualTo(l.exits() + l.mmioAccesses + 2 * interrupts);
    }
}
