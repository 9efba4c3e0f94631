package org.duvisor.board.virtio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.duvisor.board.virtio.TestDriver.Buf;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Console device (VIRTIO 1.2 §5.3), single port: receiveq 0, transmitq 1. */
class VirtioConsoleTest {
    static final int RX = 0, TX = 1;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private VirtioConsole console = new VirtioConsole(null, out);
    private TestDriver d = new TestDriver(console);

    @AfterEach
    void close() {
        d.close();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void isDeviceThreeWithTwoQueues() {
        assertThat(d.reg(VirtioMmio.REG_DEVICE_ID)).isEqualTo(3);
        d.reg(VirtioMmio.REG_QUEUE_SEL, 1);
        assertThat(d.reg(VirtioMmio.REG_QUEUE_NUM_MAX)).isPositive();
        d.reg(VirtioMmio.REG_QUEUE_SEL, 2);
        assertThat(d.reg(VirtioMmio.REG_QUEUE_NUM_MAX)).isZero();
    }

    @Test
    void transmittedBytesReachTheOutputStream() {
        d.start();
        long a = d.alloc(ascii("hello, "));
        long b = d.alloc(ascii("world\n"));
        d.submit(TX, Buf.in(a, 7), Buf.in(b, 6));
        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("hello, world\n");
        assertThat(d.usedIdx(TX)).isEqualTo(1);
        assertThat(d.usedLen(TX, 0)).isZero();
        assertThat(d.irq.level).isTrue();
    }

    @Test
    void inputIsDeliveredIntoAPostedBufferWithItsLength() throws InterruptedException {
        d.start();
        long buf = d.alloc(16);
        d.submit(RX, Buf.out(buf, 16));
        assertThat(d.usedIdx(RX)).as("nothing to deliver yet").isZero();
        console.receive(ascii("ls\n"), 0, 3);
        assertThat(d.usedIdx(RX)).isEqualTo(1);
        assertThat(d.usedLen(RX, 0)).isEqualTo(3);
        assertThat(d.bytes(buf, 3)).isEqualTo(ascii("ls\n"));
        assertThat(d.reg(VirtioMmio.REG_INTERRUPT_STATUS) & VirtioMmio.INTERRUPT_USED_BUFFER).isNotZero();
        assertThat(d.irq.level).isTrue();
    }

    @Test
    void inputArrivingBeforeAnyBufferWaitsForOne() throws InterruptedException {
        console.receive(ascii("early"), 0, 5); // before the driver even exists
        d.start();
        assertThat(d.usedIdx(RX)).isZero();
        long buf = d.alloc(8);
        d.submit(RX, Buf.out(buf, 8));
        assertThat(d.usedIdx(RX)).isEqualTo(1);
        assertThat(d.bytes(buf, 5)).isEqualTo(ascii("early"));
    }

    @Test
    void inputLongerThanABufferContinuesInTheNext() throws InterruptedException {
        d.start();
        long a = d.alloc(3);
        long b = d.alloc(3);
        d.post(RX, Buf.out(a, 3));
        d.post(RX, Buf.out(b, 3));
        d.notify(RX);
        console.receive(ascii("hello"), 0, 5);
        assertThat(d.usedIdx(RX)).isEqualTo(2);
        assertThat(d.bytes(a, 3)).isEqualTo(ascii("hel"));
        assertThat(d.usedLen(RX, 1)).isEqualTo(2);
        assertThat(d.bytes(b, 2)).isEqualTo(ascii("lo"));
    }

    @Test
    void inputStreamIsReadOnItsOwnThread() throws IOException, InterruptedException {
        d.close();
        PipedOutputStream keyboard = new PipedOutputStream();
        console = new VirtioConsole(new PipedInputStream(keyboard), out);
        d = new TestDriver(console);
        d.start();
        long buf = d.alloc(16);
        d.submit(RX, Buf.out(buf, 16));
        keyboard.write(ascii("x"));
        keyboard.flush();
        // Delivery happens on the reader thread; wait for it (bounded, so a broken device fails).
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (d.usedIdx(RX) == 0 && System.nanoTime() < deadline) Thread.sleep(5);
        assertThat(d.usedIdx(RX)).isEqualTo(1);
        assertThat(d.bytes(buf, 1)).isEqualTo(ascii("x"));
        keyboard.close();
    }

    @Test
    void transmitBufferThatIsDeviceWritableIsADriverError() {
        d.start();
        d.submit(TX, Buf.out(d.alloc(4), 4));
        assertThat(d.needsReset()).isTrue();
        assertThat(out.size()).isZero();
    }

    @Test
    void receiveBufferThatIsDeviceReadableIsADriverError() throws InterruptedException {
        d.start();
        d.submit(RX, Buf.in(d.alloc(4), 4));
        console.receive(ascii("a"), 0, 1);
        assertThat(d.needsReset()).isTrue();
        assertThat(d.warnings()).contains("receiveq");
    }
}
