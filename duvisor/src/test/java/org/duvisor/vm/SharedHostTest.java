package org.duvisor.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.duvisor.machine.KernelImage;
import org.duvisor.rv64.dbt.DbtEngine;
import org.duvisor.rv64.exec.Interpreter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One host, two VMs at once on two harts: an HU-owned guest under DuVisor and an HS-owned guest
 * under the kernel plane (dv-ext.md §9, the ownership bit), each in its own pinned memory with its
 * own G-stage. Both finish with their own results, and DuVisor's VM still never enters the kernel.
 */
class SharedHostTest {
    @BeforeAll
    static void build() {
        DuvisorPlaneTest.build();
    }

    @Test
    void anHuOwnedAndAnHsOwnedGuestRunSideBySide() throws Exception {
        long guestBytes = 128L << 20;
        try (HostMachine host = new HostMachine(2, 2 * guestBytes + (64L << 20), h -> new DbtEngine(h, new Interpreter(h), 2))) {
            ControlPlane control = new ControlPlane(host, HostMachine.RAM_BASE + (16L << 20));
            ByteArrayOutputStream duvisorConsole = new ByteArrayOutputStream(), kvmConsole = new ByteArrayOutputStream();
            PrintStream log = new PrintStream(System.err, true);
            VirtualMachine duvisor = new VirtualMachine(host, control, VirtualMachine.Config.of(VirtualMachine.Plane.DUVISOR, guestBytes, 1), duvisorConsole, log);
            VirtualMachine kvm = new VirtualMachine(host, control, VirtualMachine.Config.of(VirtualMachine.Plane.KVM, guestBytes, 1).onHarts(1), kvmConsole, log);
            long e1 = duvisor.load(KernelImage.read(DuvisorPlaneTest.guests.resolve("mb-mmio.elf"), VirtualMachine.GUEST_RAM_BASE, guestBytes));
            long e2 = kvm.load(KernelImage.read(DuvisorPlaneTest.guests.resolve("mb-gstage.elf"), VirtualMachine.GUEST_RAM_BASE, guestBytes));
            int[] codes = new int[2];
            Thread t = Thread.ofPlatform().start(() -> {
                try {
                    codes[1] = kvm.run(e2);
                } catch (InterruptedException e) {
                    codes[1] = -1;
                }
            });
            codes[0] = duvisor.run(e1);
            t.join();
            assertThat(codes).containsExactly(0, 0);
            assertThat(duvisorConsole.toString(StandardCharsets.UTF_8)).contains("DV-MB mmio 1000000");
            assertThat(kvmConsole.toString(StandardCharsets.UTF_8)).contains("DV-MB gstage-fault 16384");
            assertThat(duvisor.vcpus().getFirst().ledger().hostKernelEntries).isZero();
            assertThat(kvm.vcpus().getFirst().ledger().hostKernelEntries).isGreaterThan(16384);
        }
    }
}
