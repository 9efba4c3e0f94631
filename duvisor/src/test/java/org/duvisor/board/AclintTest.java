package org.duvisor.board;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.duvisor.rv64.priv.InterruptPins;
import org.duvisor.rv64.priv.Timebase;
import org.junit.jupiter.api.Test;

class AclintTest {
    private final List<InterruptPins> pins = Harts.pins(2);
    private final Timebase timebase = new Timebase();
    private final Aclint clint = new Aclint(Aclint.VIRT_BASE, pins, timebase);

    @Test
    void msipBitZeroDrivesTheHartsSoftwareInterrupt() {
        clint.write(4, 1, 4);
        assertThat(Harts.pending(pins.get(1), InterruptPins.MSIP)).isTrue();
        assertThat(Harts.pending(pins.get(0), InterruptPins.MSIP)).isFalse();
        assertThat(clint.read(4, 4)).isEqualTo(1);
        assertThat(clint.read(0, 4)).isZero();

        clint.write(4, 0, 4);
        assertThat(Harts.pending(pins.get(1), InterruptPins.MSIP)).isFalse();
        assertThat(clint.read(4, 4)).isZero();
    }

    @Test
    void msipUpperBitsReadAsZero() {
        clint.write(0, 0xFFFF_FFFFL, 4);
        assertThat(clint.read(0, 4)).isEqualTo(1);
    }

    @Test
    void msipOfAMissingHartIsIgnored() {
        clint.write(8, 1, 4);
        assertThat(clint.read(8, 4)).isZero();
        assertThat(pins).noneMatch(p -> Harts.pending(p, InterruptPins.MSIP));
    }

    @Test
    void a64BitMsipWriteSetsBothHarts() {
        clint.write(0, 1L | 1L << 32, 8);
        assertThat(pins).allMatch(p -> Harts.pending(p, InterruptPins.MSIP));
    }

    @Test
    void mtimecmpIsAPlain64BitRegisterPerHart() {
        clint.write(0x4008, 0x1234_5678_9ABC_DEF0L, 8);
        assertThat(pins.get(1).mtimecmp()).isEqualTo(0x1234_5678_9ABC_DEF0L);
        assertThat(clint.read(0x4008, 8)).isEqualTo(0x1234_5678_9ABC_DEF0L);
        assertThat(pins.get(0).mtimecmp()).isEqualTo(-1L);
    }

    @Test
    void mtimecmpHalvesAreWrittenIndependently() {
        clint.write(0x4000, 0x1111_2222_3333_4444L, 8);
        clint.write(0x4000, 0xAAAA_BBBBL, 4);
        assertThat(pins.get(0).mtimecmp()).isEqualTo(0x1111_2222_AAAA_BBBBL);
        clint.write(0x4004, 0xCCCC_DDDDL, 4);
        assertThat(pins.get(0).mtimecmp()).isEqualTo(0xCCCC_DDDD_AAAA_BBBBL);
        assertThat(clint.read(0x4000, 4)).isEqualTo(0xAAAA_BBBBL);
        assertThat(clint.read(0x4004, 4)).isEqualTo(0xCCCC_DDDDL);
    }

    @Test
    void mtimeReadsTheTimebaseAndWritesSetIt() {
        clint.write(0xBFF8, 1L << 40, 8);
        long now = clint.read(0xBFF8, 8);
        assertThat(now).isGreaterThanOrEqualTo(1L << 40).isLessThanOrEqualTo(timebase.now());
        assertThat(clint.read(0xBFFC, 4)).isEqualTo(1L << 8);
    }

    @Test
    void mtimeHighHalfWriteKeepsTheLowHalfRunning() {
        clint.write(0xBFFC, 5, 4);
        assertThat(timebase.now() >>> 32).isEqualTo(5);
    }

    @Test
    void describesItselfWithSoftwareAndTimerInterruptsPerHart() {
        DeviceTree tree = new DeviceTree();
        clint.describe(tree, tree.root());
        DeviceTree.Node node = tree.root().child("clint@2000000");
        int cpu0 = tree.phandle("cpu0-intc"), cpu1 = tree.phandle("cpu1-intc");
        assertThat(node.value("interrupts-extended")).isEqualTo(cells(cpu0, 3, cpu0, 7, cpu1, 3, cpu1, 7));
        assertThat(node.value("reg")).isEqualTo(cells(0, 0x0200_0000, 0, 0x1_0000));
    }

    static byte[] cells(int... values) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 * values.length);
        for (int v : values) b.putInt(v);
        return b.array();
    }
}
