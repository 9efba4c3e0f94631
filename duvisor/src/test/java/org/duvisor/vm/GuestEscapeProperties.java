package org.duvisor.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.duvisor.rv64.dbt.DbtEngine;
import org.duvisor.rv64.exec.Interpreter;
import org.duvisor.rv64.isa.Op;

/**
 * Hardening (issue 5): random instruction streams run in VS or VU under DuVisor never escape the
 * guest. Half the words are valid encodings with random operands (CSR accesses, H and DV-Ext
 * instructions, loads and stores to random addresses included), half are random words. Whatever
 * they do, the host sees no exception, no byte of host memory outside the guest's frames and
 * DuVisor's own tables changes, and the host kernel is never entered; wild guest-physical
 * accesses come back to the guest as access faults, so the streams run on (millions of
 * instructions per try) until the test stops the VM.
 */
class GuestEscapeProperties {
    private static final long GUEST = 64L << 20;
    private static final ValueLayout.OfInt WORD = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final Op[] OPS = Op.values();

    @Property(tries = 40, seed = "20261201")
    void randomGuestCodeStaysInsideTheGuest(@ForAll long seed, @ForAll @IntRange(min = 0, max = 1) int user) throws Exception {
        Random rnd = new Random(seed);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (HostMachine host = new HostMachine(1, GUEST + (64L << 20), h -> new DbtEngine(h, new Interpreter(h), 2))) {
            MemorySegment ram = host.bus.ram();
            ControlPlane control = new ControlPlane(host, HostMachine.RAM_BASE + (16L << 20));
            // Host memory the guest must never touch: below the control plane's frames, and above the VM.
            ram.asSlice(0, 16L << 20).fill((byte) 0x5A);
            VirtualMachine vm = new VirtualMachine(VirtualMachine.Plane.DUVISOR, host, control, GUEST, 1, new ByteArrayOutputStream(),
                    new PrintStream(log, true, StandardCharsets.UTF_8));
            // Everything above the last frame handed out so far (the VM's memory and DuVisor's tables) is free.
            long vmEnd = control.allocateFrames(1, 4096) + 4096 - HostMachine.RAM_BASE;
            ram.asSlice(vmEnd, ram.byteSize() - vmEnd).fill((byte) 0xA5);
            long code = vm.memory.base() - HostMachine.RAM_BASE;
            // A VS handler that skips the trapping instruction, then 4 KiB of random code after it.
            int[] handler = {0x141022F3, 0x00428293, 0x14129073, 0x10200073}; // csrr t0,sepc; addi t0,t0,4; csrw sepc,t0; sret
            for (int k = 0; k < handler.length; k++) ram.set(WORD, code + 4L * k, handler[k]);
            for (int k = 16; k < 1024 + 16; k++) {
                int w;
                if (rnd.nextBoolean()) {
                    Op op = OPS[rnd.nextInt(OPS.length)];
                    w = op.match | (rnd.nextInt() & ~op.mask);
                } else {
                    w = rnd.nextInt();
                }
                ram.set(WORD, code + 4L * k, w);
            }
            var hh = host.hart(0);
            Thread stopper = Thread.ofPlatform().daemon().start(() -> {
                try {
                    Thread.sleep(150);
                } catch (InterruptedException ignored) {
                    return;
                }
                vm.stop(0);
            });
            vm.vcpus().getFirst().prepare(VirtualMachine.GUEST_RAM_BASE + 64);
            Csrs.write(hh.hart(), Csrs.HUVSTVEC, VirtualMachine.GUEST_RAM_BASE);
            if (user == 1) Csrs.write(hh.hart(), Csrs.HUSTATUS, Csrs.read(hh.hart(), Csrs.HUSTATUS) & ~(1L << 8)); // UPVP=0: VU
            for (int r = 1; r < 32; r++) hh.hart().x[r] = rnd.nextBoolean() ? rnd.nextLong() : VirtualMachine.GUEST_RAM_BASE + rnd.nextInt(1 << 20);
            Throwable[] failure = new Throwable[1];
            Thread t = Thread.ofPlatform().start(() -> {
                try {
                    vm.vcpus().getFirst().run();
                } catch (Throwable e) {
                    failure[0] = e;
                }
            });
            t.join(5000);
            vm.stop(0);
            t.join();
            stopper.interrupt();
            if (failure[0] != null) throw new AssertionError("host exception on the vCPU thread", failure[0]);
            String messages = log.toString(StandardCharsets.UTF_8);
            assertThat(messages).as("host-side failure").doesNotContain("failed").doesNotContain("Exception");
            assertThat(vm.exitCode).as(messages).isNotEqualTo(70);
            assertThat(control.runtimeEntries.get()).as(messages).isZero();
            assertThat(vm.vcpus().getFirst().ledger().hostKernelEntries).isZero();
            for (long off = 0; off < 16L << 20; off += 8) {
                if (ram.get(ValueLayout.JAVA_LONG_UNALIGNED, off) != 0x5A5A5A5A5A5A5A5AL) {
                    throw new AssertionError("guest wrote host memory at 0x" + Long.toHexString(HostMachine.RAM_BASE + off));
                }
            }
            for (long off = vmEnd; off + 8 <= ram.byteSize(); off += 8) {
                if (ram.get(ValueLayout.JAVA_LONG_UNALIGNED, off) != 0xA5A5A5A5A5A5A5A5L) {
                    throw new AssertionError("guest wrote host memory at 0x" + Long.toHexString(HostMachine.RAM_BASE + off));
                }
            }
        }
    }
}
