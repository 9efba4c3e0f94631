package org.duvisor.board.virtio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.duvisor.board.virtio.TestDriver.Buf;
import static org.duvisor.board.virtio.TestDriver.RAM_BASE;
import static org.duvisor.board.virtio.TestDriver.RAM_SIZE;
import static org.duvisor.board.virtio.VirtioMmio.*;
import static org.duvisor.board.virtio.Virtqueue.*;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A driver that breaks the split-virtqueue rules (VIRTIO 1.2 §2.7) must not make the device throw
 * or touch memory outside RAM: the device enters DEVICE_NEEDS_RESET, notifies a configuration
 * change, warns once and leaves its queues alone until reset (§2.1.2).
 */
class VirtqueueHostileDriverTest {
    private final TestDriver d = new TestDriver(new VirtioRng(new ConstantRandom()));

    @AfterEach
    void close() {
        d.close();
    }

    private void assertNeedsReset(String warningFragment) {
        assertThat(d.needsReset()).as("DEVICE_NEEDS_RESET").isTrue();
        assertThat(d.reg(REG_INTERRUPT_STATUS) & INTERRUPT_CONFIG_CHANGE).as("config-change interrupt").isNotZero();
        assertThat(d.irq.level).isTrue();
        assertThat(d.warnings()).contains(warningFragment).contains("needs reset");
        assertThat(d.warnings().lines()).hasSize(1);
        assertThat(d.guardsIntact()).as("memory around RAM untouched").isTrue();
    }

    @Test
    void descriptorBelowRamIsADriverError() {
        d.start();
        assertThatCode(() -> d.submit(0, Buf.out(RAM_BASE - 0x1000, 64))).doesNotThrowAnyException();
        assertNeedsReset("outside RAM");
        assertThat(d.usedIdx(0)).isZero();
    }

    @Test
    void descriptorStraddlingTheEndOfRamIsRefusedWithoutWritingPastIt() {
        d.start();
        d.submit(0, Buf.out(RAM_BASE + RAM_SIZE - 16, 64));
        assertNeedsReset("outside RAM");
        assertThat(d.byteAt(RAM_BASE + RAM_SIZE - 16)).as("not even the in-RAM part is filled").isZero();
    }

    @Test
    void descriptorWhoseLengthWrapsTheAddressSpaceIsRefused() {
        d.start();
        d.submit(0, Buf.out(RAM_BASE + 0x30000, -1)); // len 0xFFFF_FFFF
        assertNeedsReset("outside RAM");
    }

    @Test
    void descriptorLoopIsADriverError() {
        d.start();
        long buf = d.alloc(16);
        d.descriptor(0, 0, buf, 8, DESC_F_WRITE | DESC_F_NEXT, 1);
        d.descriptor(0, 1, buf + 8, 8, DESC_F_WRITE | DESC_F_NEXT, 0);
        d.publish(0, 0);
        assertThatCode(() -> d.notify(0)).doesNotThrowAnyException();
        assertNeedsReset("longer than the queue size");
    }

    @Test
    void chainLongerThanTheQueueIsADriverErrorEvenWithoutALoop() {
        d.start(F_VERSION_1 | F_INDIRECT_DESC, 4);
        long table = d.alloc(16 * 8);
        long buf = d.alloc(8);
        // An indirect table of 8 entries in a queue of 4: the chain would exceed the queue size.
        for (int i = 0; i < 8; i++) {
            long e = table - RAM_BASE + 16L * i;
            d.ram.set(TestDriver.U64, e, buf);
            d.ram.set(TestDriver.U32, e + 8, 8);
            d.ram.set(TestDriver.U16, e + 12, (short) (DESC_F_WRITE | (i < 7 ? DESC_F_NEXT : 0)));
            d.ram.set(TestDriver.U16, e + 14, (short) (i + 1));
        }
        d.descriptor(0, 0, table, 16 * 8, DESC_F_INDIRECT, 0);
        d.publish(0, 0);
        d.notify(0);
        assertNeedsReset("indirect table");
    }

    @Test
    void availableIndexJumpingPastTheQueueSizeIsADriverError() {
        d.start(F_VERSION_1, 16);
        d.setAvailIdx(0, 17);
        d.notify(0);
        assertNeedsReset("available index jumped");
        assertThat(d.usedIdx(0)).isZero();
    }

    @Test
    void headIndexBeyondTheQueueIsADriverError() {
        d.start(F_VERSION_1, 16);
        d.publish(0, 16);
        d.notify(0);
        assertNeedsReset("beyond the queue size");
    }

    @Test
    void nextIndexBeyondTheQueueIsADriverError() {
        d.start(F_VERSION_1, 16);
        d.descriptor(0, 0, d.alloc(8), 8, DESC_F_WRITE | DESC_F_NEXT, 40000);
        d.publish(0, 0);
        d.notify(0);
        assertNeedsReset("links to 40000");
    }

    @Test
    void readableBufferAfterAWritableOneIsADriverError() {
        d.start();
        d.submit(0, Buf.out(d.alloc(8), 8), Buf.in(d.alloc(8), 8));
        assertNeedsReset("device-readable descriptor after a device-writable one");
    }

    @Test
    void bufferInTheWrongDirectionForTheDeviceIsADriverError() {
        d.start();
        d.submit(0, Buf.in(d.alloc(8), 8));
        assertNeedsReset("device-readable");
    }

    @Test
    void usedRingOutsideRamIsRefusedWhenTheQueueIsEnabled() {
        d.negotiate(F_VERSION_1);
        d.reg(REG_STATUS, d.status() | STATUS_DRIVER_OK);
        d.reg(REG_QUEUE_SEL, 0);
        d.reg(REG_QUEUE_NUM, 16);
        d.setQueueAddresses(0, TestDriver.descAddr(0), TestDriver.availAddr(0), RAM_BASE + RAM_SIZE - 64);
        d.reg(REG_QUEUE_READY, 1);
        assertNeedsReset("used ring");
        assertThat(d.reg(REG_QUEUE_READY)).isZero();
    }

    @Test
    void indirectDescriptorWithoutTheFeatureIsADriverError() {
        d.start(F_VERSION_1, 16);
        long table = d.alloc(16);
        d.descriptor(0, 0, table, 16, DESC_F_INDIRECT, 0);
        d.publish(0, 0);
        d.notify(0);
        assertNeedsReset("VIRTIO_RING_F_INDIRECT_DESC");
    }

    @Test
    void nestedIndirectTableIsADriverError() {
        d.start(F_VERSION_1 | F_INDIRECT_DESC, 16);
        long table = d.alloc(16);
        d.ram.set(TestDriver.U64, table - RAM_BASE, table);
        d.ram.set(TestDriver.U32, table - RAM_BASE + 8, 16);
        d.ram.set(TestDriver.U16, table - RAM_BASE + 12, (short) DESC_F_INDIRECT);
        d.descriptor(0, 0, table, 16, DESC_F_INDIRECT, 0);
        d.publish(0, 0);
        d.notify(0);
        assertNeedsReset("inside an indirect table");
    }

    @Test
    void afterAnErrorTheQueueIsIgnoredUntilResetAndWarnedAboutOnce() {
        d.start();
        d.submit(0, Buf.out(RAM_BASE - 0x1000, 64));
        d.submit(0, Buf.out(d.alloc(8), 8));
        d.submit(0, Buf.out(RAM_BASE - 0x1000, 64));
        assertNeedsReset("outside RAM");
        assertThat(d.usedIdx(0)).isZero();

        d.start(); // reset and a fresh handshake
        assertThat(d.needsReset()).isFalse();
        long buf = d.alloc(8);
        d.submit(0, Buf.out(buf, 8));
        assertThat(d.usedIdx(0)).isEqualTo(1);
        assertThat(d.bytes(buf, 8)).containsOnly(ConstantRandom.FILL);
    }

    @Test
    void indirectTableChainIsServedWhenNegotiated() {
        d.start(F_VERSION_1 | F_INDIRECT_DESC, 16);
        long a = d.alloc(8);
        long b = d.alloc(24);
        long table = d.alloc(32);
        long t = table - RAM_BASE;
        d.ram.set(TestDriver.U64, t, a);
        d.ram.set(TestDriver.U32, t + 8, 8);
        d.ram.set(TestDriver.U16, t + 12, (short) (DESC_F_WRITE | DESC_F_NEXT));
        d.ram.set(TestDriver.U16, t + 14, (short) 1);
        d.ram.set(TestDriver.U64, t + 16, b);
        d.ram.set(TestDriver.U32, t + 24, 24);
        d.ram.set(TestDriver.U16, t + 28, (short) DESC_F_WRITE);
        d.descriptor(0, 3, table, 32, DESC_F_INDIRECT, 0);
        d.publish(0, 3);
        d.notify(0);
        assertThat(d.needsReset()).isFalse();
        assertThat(d.usedIdx(0)).isEqualTo(1);
        assertThat(d.usedId(0, 0)).isEqualTo(3);
        assertThat(d.usedLen(0, 0)).isEqualTo(32);
        assertThat(d.bytes(a, 8)).containsOnly(ConstantRandom.FILL);
        assertThat(d.bytes(b, 24)).containsOnly(ConstantRandom.FILL);
    }
}
