package org.duvisor.board;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.util.List;
import org.duvisor.dbt.memory.SoftTlb;
import org.duvisor.rv64.hart.Hart;
import org.duvisor.rv64.priv.InterruptPins;
import org.junit.jupiter.api.Test;

/**
 * DV-Ext's virtual PLIC (dv-ext.md §7): a third context per hart drives VSEIP (contexts 3h, 3h+1,
 * 3h+2), and writing {@code 1 << n} to vinterrupts at +0x1F0_0000 raises source 0x80+n, whose
 * completion clears the bit again.
 */
class VirtualPlicTest {
    private static final long CONTEXTS = 0x20_0000, STRIDE = 0x1000, ENABLES = 0x2000;
    private final List<InterruptPins> pins = List.of(new InterruptPins(new Hart(0, new SoftTlb(16, Arena.ofAuto().allocate(4096)))),
            new InterruptPins(new Hart(1, new SoftTlb(16, Arena.ofAuto().allocate(4096)))));
    private final Plic plic = new Plic(Plic.VIRT_BASE, pins, true);

    private void enable(int ctx, int source) {
        long reg = ENABLES + 0x80L * ctx + 4L * (source / 32);
        plic.write(reg, plic.read(reg, 4) | (1L << (source % 32)), 4);
    }

    @Test
    void aVinterruptsBitRaisesSource0x80PlusNOnTheVsContext() {
        int src = Plic.VIRTUAL_SOURCE_BASE + 3;
        plic.write(4L * src, 1, 4); // priority 1
        int vsContextOfHart1 = 3 * 1 + 2;
        enable(vsContextOfHart1, src);
        plic.write(Plic.VINTERRUPTS, 1 << 3, 4);
        assertThat(pins.get(1).lines() >>> Plic.VSEIP & 1).isEqualTo(1);
        assertThat(pins.get(1).lines() >>> InterruptPins.SEIP & 1).isZero();
        assertThat(pins.get(0).lines() >>> Plic.VSEIP & 1).isZero();
        assertThat(plic.read(CONTEXTS + STRIDE * vsContextOfHart1 + 4, 4)).isEqualTo(src); // claim
        assertThat(pins.get(1).lines() >>> Plic.VSEIP & 1).isZero();
        assertThat(plic.read(Plic.VINTERRUPTS, 4)).isEqualTo(1 << 3);
        plic.write(CONTEXTS + STRIDE * vsContextOfHart1 + 4, src, 4); // complete
        assertThat(plic.read(Plic.VINTERRUPTS, 4)).isZero();
        assertThat(plic.read(CONTEXTS + STRIDE * vsContextOfHart1 + 4, 4)).isZero(); // nothing pends again
    }

    @Test
    void machineAndSupervisorContextsMoveToThreePerHart() {
        plic.write(4L * 10, 1, 4);
        enable(3 * 1 + 1, 10); // hart 1's S context
        plic.source(10).set(true);
        assertThat(pins.get(1).lines() >>> InterruptPins.SEIP & 1).isEqualTo(1);
        assertThat(pins.get(0).lines() >>> InterruptPins.SEIP & 1).isZero();
    }

    @Test
    void theDeviceTreeListsTheVsContextAfterMAndS() {
        DeviceTree tree = new DeviceTree();
        DeviceTree.Node soc = tree.root().child("soc");
        plic.describe(tree, soc);
        byte[] cells = soc.children().getFirst().value("interrupts-extended");
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(cells);
        int[] hwirqs = new int[cells.length / 8];
        for (int k = 0; k < hwirqs.length; k++) {
            b.getInt();
            hwirqs[k] = b.getInt();
        }
        assertThat(hwirqs).containsExactly(11, 9, 10, 11, 9, 10);
        assertThat(plic.size()).isEqualTo(Plic.VIRTUAL_SIZE);
    }
}
