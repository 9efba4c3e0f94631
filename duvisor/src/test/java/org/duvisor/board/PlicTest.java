package org.duvisor.board;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.duvisor.rv64.priv.InterruptPins;
import org.junit.jupiter.api.Test;

class PlicTest {
    private static final int M0 = 0, S0 = 1, M1 = 2, S1 = 3;

    private final List<InterruptPins> pins = Harts.pins(2);
    private final Plic plic = new Plic(Plic.VIRT_BASE, pins);

    private void priority(int source, int value) {
        plic.write(4L * source, value, 4);
    }

    private void enable(int ctx, int source) {
        long reg = 0x2000 + 0x80L * ctx + 4L * (source / 32);
        plic.write(reg, plic.read(reg, 4) | 1L << (source % 32), 4);
    }

    private void threshold(int ctx, int value) {
        plic.write(0x20_0000 + 0x1000L * ctx, value, 4);
    }

    private long claim(int ctx) {
        return plic.read(0x20_0004 + 0x1000L * ctx, 4);
    }

    private void complete(int ctx, int source) {
        plic.write(0x20_0004 + 0x1000L * ctx, source, 4);
    }

    private boolean pendingBit(int source) {
        return (plic.read(0x1000 + 4L * (source / 32), 4) >>> (source % 32) & 1) != 0;
    }

    @Test
    void aRaisedEnabledSourceAboveThresholdDrivesTheContextsPin() {
        priority(10, 1);
        enable(S0, 10);
        plic.source(10).set(true);
        assertThat(Harts.pending(pins.get(0), InterruptPins.SEIP)).isTrue();
        assertThat(Harts.pending(pins.get(0), InterruptPins.MEIP)).isFalse();
        assertThat(Harts.pending(pins.get(1), InterruptPins.SEIP)).isFalse();
    }

    @Test
    void mModeContextOfHartOneDrivesItsMeip() {
        priority(33, 2);
        enable(M1, 33);
        plic.source(33).set(true);
        assertThat(Harts.pending(pins.get(1), InterruptPins.MEIP)).isTrue();
        assertThat(claim(M1)).isEqualTo(33);
        assertThat(Harts.pending(pins.get(1), InterruptPins.MEIP)).isFalse();
    }

    @Test
    void priorityZeroNeverInterrupts() {
        enable(S0, 5);
        plic.source(5).set(true);
        assertThat(pendingBit(5)).isTrue();
        assertThat(Harts.pending(pins.get(0), InterruptPins.SEIP)).isFalse();
        assertThat(claim(S0)).isZero();
    }

    @Test
    void thresholdMasksPrioritiesAtOrBelowIt() {
        priority(7, 3);
        enable(S0, 7);
        threshold(S0, 3);
        plic.source(7).set(true);
        assertThat(Harts.pending(pins.get(0), InterruptPins.SEIP)).isFalse();
        assertThat(claim(S0)).isZero();
        threshold(S0, 2);
        assertThat(Harts.pending(pins.get(0), InterruptPins.SEIP)).isTrue();
        assertThat(claim(S0)).isEqualTo(7);
    }

    @Test
    void claimReturnsTheHighestPriorityThenTheLowestId() {
        priority(3, 1);
        priority(4, 5);
        priority(9, 5);
        for (int s : new int[] {3, 4, 9}) {
            enable(S0, s);
            plic.source(s).set(true);
        }
        assertThat(claim(S0)).isEqualTo(4);
        assertThat(claim(S0)).isEqualTo(9);
        assertThat(claim(S0)).isEqualTo(3);
        assertThat(claim(S0)).isZero();
    }

    @Test
    void claimClearsPendingAndOnlyEnabledSourcesAreClaimed() {
        priority(10, 1);
        priority(11, 7);
        enable(S0, 10);
        plic.source(10).set(true);
        plic.source(11).set(true);
        assertThat(claim(S0)).isEqualTo(10);
        assertThat(pendingBit(10)).isFalse();
        assertThat(pendingBit(11)).isTrue();
    }

    @Test
    void aLineStillHighRePendsAfterCompletion() {
        priority(10, 1);
        enable(S0, 10);
        IrqLine line = plic.source(10);
        line.set(true);
        assertThat(claim(S0)).isEqualTo(10);
        assertThat(Harts.pending(pins.get(0), InterruptPins.SEIP)).isFalse();
        // In flight: the gateway forwards nothing new until completion.
        line.set(false);
        line.set(true);
        assertThat(pendingBit(10)).isFalse();
        complete(S0, 10);
        assertThat(pendingBit(10)).isTrue();
        assertThat(Harts.pending(pins.get(0), InterruptPins.SEIP)).isTrue();
        assertThat(claim(S0)).isEqualTo(10);
    }

    @Test
    void aLineLoweredBeforeCompletionDoesNotRePend() {
        priority(10, 1);
        enable(S0, 10);
        IrqLine line = plic.source(10);
        line.set(true);
        assertThat(claim(S0)).isEqualTo(10);
        line.set(false);
        complete(S0, 10);
        assertThat(pendingBit(10)).isFalse();
        assertThat(Harts.pending(pins.get(0), InterruptPins.SEIP)).isFalse();
    }

    @Test
    void completionForASourceNotEnabledInTheContextIsIgnored() {
        priority(10, 1);
        enable(S0, 10);
        plic.source(10).set(true);
        assertThat(claim(S0)).isEqualTo(10);
        complete(M0, 10);
        assertThat(pendingBit(10)).isFalse();
        complete(S0, 10);
        assertThat(pendingBit(10)).isTrue();
    }

    @Test
    void aSourceEnabledInTwoContextsIsClaimedOnce() {
        priority(10, 1);
        enable(S0, 10);
        enable(S1, 10);
        plic.source(10).set(true);
        assertThat(Harts.pending(pins.get(1), InterruptPins.SEIP)).isTrue();
        assertThat(claim(S1)).isEqualTo(10);
        assertThat(Harts.pending(pins.get(0), InterruptPins.SEIP)).isFalse();
        assertThat(claim(S0)).isZero();
    }

    @Test
    void registersAreWarlAndSourceZeroIsHardwiredToZero() {
        priority(1, 0xFF);
        assertThat(plic.read(4, 4)).isEqualTo(7);
        priority(0, 5);
        assertThat(plic.read(0, 4)).isZero();
        plic.write(0x2000, 0xFFFF_FFFFL, 4);
        assertThat(plic.read(0x2000, 4)).isEqualTo(0xFFFF_FFFEL);
        threshold(S0, 9);
        assertThat(plic.read(0x20_1000, 4)).isEqualTo(1);
        plic.write(0x1000, 0xFFFF_FFFFL, 4);
        assertThat(plic.read(0x1000, 4)).isZero();
    }

    @Test
    void source95IsTheLast() {
        priority(95, 1);
        enable(S0, 95);
        plic.source(95).set(true);
        assertThat(plic.read(0x1008, 4)).isEqualTo(1L << 31);
        assertThat(claim(S0)).isEqualTo(95);
        assertThatThrownBy(() -> plic.source(96)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> plic.source(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anEdgeTriggeredSourceTurnsEachRisingEdgeIntoOneRequestKeptUntilClaimed() {
        IrqLine doorbell = plic.edgeSource(8);
        priority(8, 1);
        enable(S0, 8);
        doorbell.set(true);
        doorbell.set(false); // the pulse is over, the request stays
        assertThat(Harts.pending(pins.get(0), InterruptPins.SEIP)).isTrue();
        assertThat(claim(S0)).isEqualTo(8);
        complete(S0, 8);
        assertThat(pendingBit(8)).isFalse();
        assertThat(claim(S0)).isZero();
    }

    @Test
    void anEdgeWhileInFlightPendsOnceAfterTheCompletion() {
        IrqLine doorbell = plic.edgeSource(8);
        priority(8, 1);
        enable(S0, 8);
        doorbell.set(true);
        doorbell.set(false);
        assertThat(claim(S0)).isEqualTo(8);
        for (int i = 0; i < 3; i++) {
            doorbell.set(true);
            doorbell.set(false);
        }
        assertThat(Harts.pending(pins.get(0), InterruptPins.SEIP)).isFalse();
        complete(S0, 8);
        assertThat(claim(S0)).isEqualTo(8);
        complete(S0, 8);
        assertThat(claim(S0)).isZero();
    }

    @Test
    void aLevelHeldHighOnAnEdgeSourceIsOneRequest() {
        IrqLine line = plic.edgeSource(8);
        priority(8, 1);
        enable(S0, 8);
        line.set(true);
        line.set(true);
        assertThat(claim(S0)).isEqualTo(8);
        complete(S0, 8);
        assertThat(claim(S0)).isZero();
    }

    @Test
    void aModelWithItsOwnOutputsDrivesThemInsteadOfHartPins() {
        boolean[] seip = new boolean[2];
        Plic model = Plic.withOutputs(Plic.VIRT_BASE, List.of((bit, level) -> {
            if (bit == InterruptPins.SEIP) seip[0] = level;
        }, (bit, level) -> {
            if (bit == InterruptPins.SEIP) seip[1] = level;
        }));
        model.write(4L * 3, 1, 4);
        model.write(0x2000 + 0x80L * S1, 1L << 3, 4);
        model.source(3).set(true);
        assertThat(seip).containsExactly(false, true);
        assertThat(model.read(0x20_0004 + 0x1000L * S1, 4)).isEqualTo(3);
        assertThat(seip).containsExactly(false, false);
    }

    @Test
    void describesItselfAsTheInterruptParentWithMAndSContexts() {
        DeviceTree tree = new DeviceTree();
        plic.describe(tree, tree.root());
        DeviceTree.Node node = tree.root().child("plic@c000000");
        int cpu0 = tree.phandle("cpu0-intc"), cpu1 = tree.phandle("cpu1-intc");
        assertThat(node.value("interrupts-extended")).isEqualTo(AclintTest.cells(cpu0, 11, cpu0, 9, cpu1, 11, cpu1, 9));
        assertThat(node.value("phandle")).isEqualTo(AclintTest.cells(tree.phandle("plic")));
        assertThat(node.value("riscv,ndev")).isEqualTo(AclintTest.cells(95));
    }
}
