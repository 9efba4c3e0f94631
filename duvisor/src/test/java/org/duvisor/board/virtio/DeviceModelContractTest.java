package org.duvisor.board.virtio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.duvisor.board.virtio.TestDriver.Buf;
import static org.duvisor.board.virtio.VirtioMmio.*;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** What the transport guarantees a device model, and the driver, whatever the model does. */
class DeviceModelContractTest {
    /** A one-queue device whose queue processing is supplied by the test. */
    private static final class Probe implements VirtioDevice {
        final AtomicReference<Host> host = new AtomicReference<>();
        Runnable onProcess = () -> { };
        int resets;

        @Override public int deviceId() { return 42; }
        @Override public String name() { return "virtio-probe"; }
        @Override public long features() { return 1L << 3 | 1L << 40; }
        @Override public int queueCount() { return 1; }
        @Override public int queueMaxSize(int queue) { return 8; }
        @Override public int configSize() { return 4; }
        @Override public long readConfig(int offset, int size) { return VirtioDevice.readLittleEndian(new byte[] {1, 2, 3, 4}, offset, size); }
        @Override public void process(int queue, Virtqueue vq) { onProcess.run(); }
        @Override public void reset() { resets++; }
        @Override public void attach(Host h) { host.set(h); }
    }

    @Test
    void anExceptionInsideTheDeviceModelBecomesNeedsResetNotAHostException() {
        Probe p = new Probe();
        p.onProcess = () -> { throw new IllegalStateException("model bug"); };
        try (TestDriver d = new TestDriver(p)) {
            d.start();
            assertThatCode(() -> d.submit(0, Buf.out(d.alloc(4), 4))).doesNotThrowAnyException();
            assertThat(d.needsReset()).isTrue();
            assertThat(d.warnings()).contains("model bug");
        }
    }

    @Test
    void deviceFeaturesAreLimitedToTheDeviceSpecificRangePlusTransportBits() {
        try (TestDriver d = new TestDriver(new Probe())) {
            assertThat(d.deviceFeatures()).isEqualTo(1L << 3 | F_INDIRECT_DESC | F_VERSION_1);
        }
    }

    @Test
    void configurationSpaceIsReadAtOffset0x100AndZeroBeyondItsSize() {
        try (TestDriver d = new TestDriver(new Probe())) {
            assertThat(d.mmio.read(0x100, 4)).isEqualTo(0x04030201L);
            assertThat(d.mmio.read(0x102, 2)).isEqualTo(0x0403L);
            assertThat(d.mmio.read(0x103, 2)).as("crosses the end").isZero();
        }
    }

    @Test
    void configurationChangeBumpsTheGenerationAndRaisesBit1() {
        Probe p = new Probe();
        try (TestDriver d = new TestDriver(p)) {
            d.start();
            int before = d.reg(REG_CONFIG_GENERATION);
            p.host.get().configChanged();
            assertThat(d.reg(REG_CONFIG_GENERATION)).isEqualTo(before + 1);
            assertThat(d.reg(REG_INTERRUPT_STATUS)).isEqualTo(INTERRUPT_CONFIG_CHANGE);
            assertThat(d.irq.level).isTrue();
            d.reg(REG_INTERRUPT_ACK, INTERRUPT_CONFIG_CHANGE);
            assertThat(d.irq.level).isFalse();
        }
    }

    @Test
    void statusResetAlsoResetsTheDeviceModel() {
        Probe p = new Probe();
        try (TestDriver d = new TestDriver(p)) {
            d.start();
            int before = p.resets;
            d.reg(REG_STATUS, 0);
            assertThat(p.resets).isEqualTo(before + 1);
        }
    }

    @Test
    void requestServiceIsIgnoredBeforeDriverOk() {
        Probe p = new Probe();
        int[] calls = {0};
        p.onProcess = () -> calls[0]++;
        try (TestDriver d = new TestDriver(p)) {
            p.host.get().requestService(0);
            assertThat(calls[0]).isZero();
            d.start();
            p.host.get().requestService(0);
            assertThat(calls[0]).isPositive();
        }
    }
}
