package org.duvisor.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.duvisor.board.Plic;
import org.duvisor.rv64.exec.Interpreter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The control plane hands each host hart and each host vPLIC source to one VM, and programs only a VM's own. */
class ControlPlaneTest {
    private final HostMachine host = new HostMachine(2, 64L << 20, Interpreter::new);
    private final ControlPlane control = new ControlPlane(host, HostMachine.RAM_BASE + (16L << 20));
    private final ControlPlane.VmMemory a = control.createVm(8L << 20), b = control.createVm(8L << 20);

    @AfterEach
    void close() {
        host.close();
    }

    @Test
    void aHartHeldByOneVmIsRefusedToAnother() {
        control.assignHarts(a, List.of(0));
        assertThatThrownBy(() -> control.assignHarts(b, List.of(1, 0))).hasMessage("host hart 0 already runs a vCPU of VM 1");
        control.assignHarts(b, List.of(1));
        assertThatThrownBy(() -> control.assignHarts(b, List.of(2))).hasMessage("host hart 2 does not exist (the host has 2)");
    }

    @Test
    void aVcpuIsRegisteredOnlyOnItsVmsHarts() {
        control.assignHarts(a, List.of(0));
        assertThatThrownBy(() -> control.registerVcpu(a, 1, ControlPlane.ALLOWED_SEDELEG, ControlPlane.ALLOWED_SIDELEG))
                .hasMessage("host hart 1 was not given to VM 1");
    }

    @Test
    void everyVplicSourceGoesToOneVmUntilTheyRunOut() {
        Set<Integer> given = new HashSet<>();
        for (int i = 0; i < Plic.VIRTUAL_SOURCES; i++) given.add(control.allocateVirtualSource(i % 2 == 0 ? a : b));
        assertThat(given).hasSize(Plic.VIRTUAL_SOURCES);
        assertThatThrownBy(() -> control.allocateVirtualSource(a)).hasMessage("the host's 32 vPLIC sources are all taken");
    }

    @Test
    void aVmsSourcesAreRoutedToItsHartsVsContextOnly() {
        control.assignHarts(a, List.of(0));
        control.assignHarts(b, List.of(1));
        int mine = control.allocateVirtualSource(a), theirs = control.allocateVirtualSource(b);
        assertThatThrownBy(() -> control.routeVirtualSources(a, 0, 1 << theirs)).hasMessage("vPLIC source " + theirs + " is not VM 1's");
        assertThatThrownBy(() -> control.routeVirtualSources(a, 1, 1 << mine)).hasMessage("host hart 1 was not given to VM 1");
        control.routeVirtualSources(a, 0, 1 << mine);
        int source = Plic.VIRTUAL_SOURCE_BASE + mine;
        long enables = 0x2000 + 4L * (source / 32);
        for (int ctx = 0; ctx < 6; ctx++) {
            boolean enabled = (host.plic.read(enables + 0x80L * ctx, 4) >>> (source % 32) & 1) != 0;
            assertThat(enabled).as("context %d", ctx).isEqualTo(ctx == ControlPlane.vsContext(0));
        }
        assertThat(host.plic.read(4L * source, 4)).isEqualTo(1);
    }
}
