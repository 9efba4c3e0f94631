package org.duvisor.board.virtio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.duvisor.board.virtio.TestDriver.Buf;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Entropy device (VIRTIO 1.2 §5.4). */
class VirtioRngTest {
    private final TestDriver d = new TestDriver(new VirtioRng(new ConstantRandom()));

    @AfterEach
    void close() {
        d.close();
    }

    @Test
    void fillsEveryWritableBufferOfAChainAndReportsTheLengthInTheUsedRing() {
        d.start();
        long a = d.alloc(100);
        long b = d.alloc(5000);
        long after = d.alloc(16);
        int head = d.submit(0, Buf.out(a, 100), Buf.out(b, 5000));
        assertThat(d.usedIdx(0)).isEqualTo(1);
        assertThat(d.usedId(0, 0)).isEqualTo(head);
        assertThat(d.usedLen(0, 0)).isEqualTo(5100);
        assertThat(d.bytes(a, 100)).containsOnly(ConstantRandom.FILL);
        assertThat(d.bytes(b, 5000)).containsOnly(ConstantRandom.FILL);
        assertThat(d.bytes(after, 16)).containsOnly((byte) 0);
    }

    @Test
    void servesSeveralAvailableBuffersInOrder() {
        d.start();
        int h1 = d.post(0, Buf.out(d.alloc(8), 8));
        int h2 = d.post(0, Buf.out(d.alloc(16), 16));
        d.notify(0);
        assertThat(d.usedIdx(0)).isEqualTo(2);
        assertThat(d.usedId(0, 0)).isEqualTo(h1);
        assertThat(d.usedLen(0, 0)).isEqualTo(8);
        assertThat(d.usedId(0, 1)).isEqualTo(h2);
        assertThat(d.usedLen(0, 1)).isEqualTo(16);
    }

    @Test
    void secureRandomBytesAreNotAllZero() {
        try (TestDriver real = new TestDriver(new VirtioRng())) {
            real.start();
            long buf = real.alloc(64);
            real.submit(0, Buf.out(buf, 64));
            assertThat(real.usedLen(0, 0)).isEqualTo(64);
            assertThat(real.bytes(buf, 64)).isNotEqualTo(new byte[64]); // fails with probability 2^-512
        }
    }

    @Test
    void hasNoConfigurationSpace() {
        d.start();
        assertThat(d.mmio.read(0x100, 4)).isZero();
        assertThat(d.deviceFeatures() & 0xFF_FFFFL).isZero();
    }
}
