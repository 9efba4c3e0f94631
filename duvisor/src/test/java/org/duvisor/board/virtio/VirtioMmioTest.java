package org.duvisor.board.virtio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.duvisor.board.virtio.TestDriver.Buf;
import static org.duvisor.board.virtio.VirtioMmio.*;

import java.nio.ByteBuffer;
import org.duvisor.board.DeviceTree;
import org.duvisor.board.IrqLine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The virtio-mmio register interface and device status protocol (VIRTIO 1.2 §4.2.2, §3.1), on an entropy device. */
class VirtioMmioTest {
    private final TestDriver d = new TestDriver(new VirtioRng(new ConstantRandom()));

    @AfterEach
    void close() {
        d.close();
    }

    @Test
    void identificationRegistersHoldTheSpecifiedValues() {
        assertThat(d.reg(REG_MAGIC)).isEqualTo(0x74726976);
        assertThat(d.reg(REG_VERSION)).isEqualTo(2);
        assertThat(d.reg(REG_DEVICE_ID)).isEqualTo(4);
        assertThat(d.reg(REG_VENDOR_ID)).isEqualTo(0x44560000);
    }

    @Test
    void queueNumMaxIsZeroForAQueueTheDeviceDoesNotHave() {
        d.reg(REG_QUEUE_SEL, 0);
        assertThat(d.reg(REG_QUEUE_NUM_MAX)).isEqualTo(VirtioRng.QUEUE_SIZE);
        d.reg(REG_QUEUE_SEL, 1);
        assertThat(d.reg(REG_QUEUE_NUM_MAX)).isZero();
    }

    @Test
    void offersVersion1AndIndirectDescriptorsButNotEventIdx() {
        long f = d.deviceFeatures();
        assertThat(f & (1L << 32)).as("VIRTIO_F_VERSION_1 (bit 32)").isNotZero();
        assertThat(f & (1L << 28)).as("VIRTIO_RING_F_INDIRECT_DESC (bit 28)").isNotZero();
        assertThat(f & (1L << 29)).as("VIRTIO_RING_F_EVENT_IDX (bit 29)").isZero();
    }

    @Test
    void featuresOkIsRefusedWithoutVersion1() {
        int status = d.negotiate(0);
        assertThat(status & STATUS_FEATURES_OK).isZero();
        assertThat(status & (STATUS_ACKNOWLEDGE | STATUS_DRIVER)).isEqualTo(STATUS_ACKNOWLEDGE | STATUS_DRIVER);
    }

    @Test
    void featuresOkIsRefusedForAFeatureThatWasNotOffered() {
        assertThat(d.negotiate(F_VERSION_1 | F_EVENT_IDX) & STATUS_FEATURES_OK).isZero();
    }

    @Test
    void featuresOkIsAcceptedWithVersion1() {
        assertThat(d.negotiate(F_VERSION_1)).isEqualTo(STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_FEATURES_OK);
        assertThat(d.mmio.driverFeatures()).isEqualTo(F_VERSION_1);
    }

    @Test
    void driverFeaturesAreFrozenOnceFeaturesOkIsSet() {
        d.negotiate(F_VERSION_1);
        d.reg(REG_DRIVER_FEATURES_SEL, 0);
        d.reg(REG_DRIVER_FEATURES, (int) F_INDIRECT_DESC);
        assertThat(d.mmio.driverFeatures()).isEqualTo(F_VERSION_1);
    }

    @Test
    void controlRegistersIgnoreAccessesThatAreNot32BitsWide() {
        assertThat(d.mmio.read(REG_MAGIC, 1)).isZero();
        assertThat(d.mmio.read(REG_MAGIC, 8)).isZero();
        d.mmio.write(REG_STATUS, STATUS_ACKNOWLEDGE, 1);
        assertThat(d.status()).isZero();
    }

    @Test
    void sharedMemoryRegionsReadAsAbsent() {
        d.reg(REG_SHM_SEL, 0);
        assertThat(d.reg(REG_SHM_LEN_LOW)).isEqualTo(-1);
        assertThat(d.reg(REG_SHM_LEN_HIGH)).isEqualTo(-1);
    }

    @Test
    void usedBufferRaisesInterruptStatusBit0AndTheLineUntilAcknowledged() {
        d.start();
        long buf = d.alloc(32);
        d.submit(0, Buf.out(buf, 32));
        assertThat(d.usedIdx(0)).isEqualTo(1);
        assertThat(d.reg(REG_INTERRUPT_STATUS)).isEqualTo(INTERRUPT_USED_BUFFER);
        assertThat(d.irq.level).isTrue();
        d.reg(REG_INTERRUPT_ACK, INTERRUPT_USED_BUFFER);
        assertThat(d.reg(REG_INTERRUPT_STATUS)).isZero();
        assertThat(d.irq.level).isFalse();
    }

    @Test
    void noInterruptFlagSuppressesTheNotificationButNotTheUsedEntry() {
        d.start();
        d.setAvailFlags(0, Virtqueue.AVAIL_F_NO_INTERRUPT);
        d.submit(0, Buf.out(d.alloc(8), 8));
        assertThat(d.usedIdx(0)).isEqualTo(1);
        assertThat(d.reg(REG_INTERRUPT_STATUS)).isZero();
        assertThat(d.irq.raised).isZero();
    }

    @Test
    void buffersAreNotConsumedBeforeDriverOkAndAreConsumedWhenItIsSet() {
        assertThat(d.negotiate(F_VERSION_1) & STATUS_FEATURES_OK).isNotZero();
        d.setUpQueue(0, 16);
        d.submit(0, Buf.out(d.alloc(8), 8));
        assertThat(d.usedIdx(0)).isZero();
        assertThat(d.irq.level).isFalse();
        d.reg(REG_STATUS, d.status() | STATUS_DRIVER_OK);
        assertThat(d.usedIdx(0)).isEqualTo(1);
        assertThat(d.irq.level).isTrue();
    }

    @Test
    void usedIndexWrapsAt65536() {
        d.start(F_VERSION_1, 4);
        // avail->idx and used->idx are free-running 16-bit counters (§2.7.6, §2.7.8).
        long buf = d.alloc(4);
        for (int i = 0; i < 65540; i++) {
            d.submit(0, Buf.out(buf, 4));
            d.reg(REG_INTERRUPT_ACK, INTERRUPT_USED_BUFFER);
        }
        assertThat(d.usedIdx(0)).isEqualTo(65540 & 0xFFFF);
        assertThat(d.needsReset()).isFalse();
    }

    @Test
    void writingZeroToStatusResetsDeviceQueuesAndInterrupts() {
        d.start();
        d.submit(0, Buf.out(d.alloc(8), 8));
        assertThat(d.irq.level).isTrue();
        d.reg(REG_STATUS, 0);
        assertThat(d.status()).isZero();
        assertThat(d.reg(REG_INTERRUPT_STATUS)).isZero();
        assertThat(d.irq.level).isFalse();
        d.reg(REG_QUEUE_SEL, 0);
        assertThat(d.reg(REG_QUEUE_READY)).isZero();
        assertThat(d.reg(REG_QUEUE_DESC_LOW)).isZero();
        // A new driver starts from index 0 again.
        d.start();
        d.submit(0, Buf.out(d.alloc(8), 8));
        assertThat(d.usedIdx(0)).isEqualTo(1);
        assertThat(d.usedId(0, 0)).isZero();
    }

    @Test
    void aQueueSizeThatIsNotAPowerOfTwoIsADriverError() {
        d.negotiate(F_VERSION_1);
        d.reg(REG_STATUS, d.status() | STATUS_DRIVER_OK);
        d.reg(REG_QUEUE_SEL, 0);
        d.reg(REG_QUEUE_NUM, 12);
        d.setQueueAddresses(0, TestDriver.descAddr(0), TestDriver.availAddr(0), TestDriver.usedAddr(0));
        d.reg(REG_QUEUE_READY, 1);
        assertThat(d.reg(REG_QUEUE_READY)).isZero();
        assertThat(d.needsReset()).isTrue();
        assertThat(d.warnings()).contains("size 12");
    }

    @Test
    void slotsFollowTheQemuVirtBoard() {
        assertThat(VirtioMmio.slotBase(0)).isEqualTo(0x1000_1000L);
        assertThat(VirtioMmio.slotBase(7)).isEqualTo(0x1000_8000L);
        assertThat(VirtioMmio.plicSource(0)).isEqualTo(1);
        assertThat(VirtioMmio.plicSource(7)).isEqualTo(8);
        assertThat(d.mmio.base()).isEqualTo(0x1000_1000L);
        assertThat(d.mmio.size()).isEqualTo(0x1000);
        assertThat(d.mmio.name()).isEqualTo("virtio-rng@10001000");
        assertThatThrownBy(() -> new VirtioMmio(8, new VirtioRng(), DmaMemory.of(d.bus), IrqLine.NONE))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void describesItselfAsAVirtioMmioNodeWiredToThePlic() {
        try (TestDriver slot2 = new TestDriver(2, new VirtioRng())) {
            DeviceTree tree = new DeviceTree();
            DeviceTree.Node soc = tree.root().child("soc");
            slot2.mmio.describe(tree, soc);
            DeviceTree.Node n = soc.child("virtio_mmio@10003000");
            assertThat(soc.children()).hasSize(1);
            assertThat(n.value("compatible")).isEqualTo("virtio,mmio\0".getBytes());
            assertThat(n.value("reg")).isEqualTo(cells(0, 0x1000_3000L, 0, 0x1000));
            assertThat(n.value("interrupts")).isEqualTo(cells(3));
            assertThat(n.value("interrupt-parent")).isEqualTo(cells(tree.phandle("plic")));
        }
    }

    private static byte[] cells(long... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length);
        for (long c : v) b.putInt((int) c);
        return b.array();
    }
}
