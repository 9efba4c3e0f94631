package org.duvisor.board.virtio;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;

/**
 * Console device (VIRTIO 1.2 §5.3, device ID 3) with a single port and no features: receiveq 0
 * carries host input to the guest, transmitq 1 guest output to the host.
 *
 * <p>Input is read by a daemon thread into a bounded buffer (the thread blocks while it is full)
 * and delivered into receive buffers as soon as the driver has posted some; the transport raises
 * the interrupt. Output is written and flushed synchronously on the notifying hart's thread.
 */
public final class VirtioConsole implements VirtioDevice {
    static final int DEVICE_ID = 3;
    static final int RECEIVEQ = 0;
    static final int TRANSMITQ = 1;
    static final int QUEUE_SIZE = 64;
    /** cols (le16), rows (le16), max_nr_ports (le32), emerg_wr (le32): §5.3.4. */
    static final int CONFIG_SIZE = 12;
    static final int INPUT_BUFFER = 4096;

    private final InputStream in;
    private final OutputStream out;
    private final byte[] scratch = new byte[4096];

    // Pending input, guarded by itself (the reader thread fills it, process(RECEIVEQ) drains it).
    private final byte[] pending = new byte[INPUT_BUFFER];
    private int pendingStart;
    private int pendingCount;

    private Host host;
    private Thread reader;
    private volatile boolean outputFailed;

    /** @param in host input, or null for none; @param out where guest output goes */
    public VirtioConsole(InputStream in, OutputStream out) {
        this.in = in;
        this.out = Objects.requireNonNull(out, "out");
    }

    @Override
    public int deviceId() {
        return DEVICE_ID;
    }

    @Override
    public String name() {
        return "virtio-console";
    }

    @Override
    public long features() {
        return 0;
    }

    @Override
    public int queueCount() {
        return 2;
    }

    @Override
    public int queueMaxSize(int queue) {
        return QUEUE_SIZE;
    }

    @Override
    public int configSize() {
        return CONFIG_SIZE;
    }

    @Override
    public long readConfig(int offset, int size) {
        return 0; // no VIRTIO_CONSOLE_F_SIZE, MULTIPORT or EMERG_WRITE: the fields are unused
    }

    @Override
    public void attach(Host transport) {
        this.host = transport;
        if (in != null && reader == null) {
            reader = Thread.ofPlatform().daemon().name("virtio-console-input").start(this::readInput);
        }
    }

    private void readInput() {
        byte[] buf = new byte[256];
        try {
            for (int n; (n = in.read(buf)) > 0; ) {
                receive(buf, 0, n);
            }
        } catch (IOException | InterruptedException e) {
            // End of input: the guest simply sees no more characters.
        }
    }

    /**
     * Queues host input for the guest, blocking while the input buffer is full, and asks the
     * transport to deliver it.
     */
    public void receive(byte[] data, int offset, int length) throws InterruptedException {
        while (length > 0) {
            int n;
            synchronized (pending) {
                while (pendingCount == pending.length) pending.wait();
                n = Math.min(length, pending.length - pendingCount);
                for (int i = 0; i < n; i++) {
                    pending[(pendingStart + pendingCount + i) % pending.length] = data[offset + i];
                }
                pendingCount += n;
            }
            offset += n;
            length -= n;
            // Outside the buffer's lock: the transport lock is always taken first.
            Host h = host;
            if (h != null) h.requestService(RECEIVEQ);
        }
    }

    @Override
    public void process(int queue, Virtqueue vq) {
        if (queue == RECEIVEQ) deliverInput(vq);
        else transmit(vq);
    }

    private void deliverInput(Virtqueue vq) {
        synchronized (pending) {
            while (pendingCount > 0 && vq.hasAvailable()) {
                DescriptorChain c = vq.pop();
                if (c.readableCount() != 0) throw new DriverError("receiveq buffer " + c.head() + " has device-readable descriptors");
                int n = (int) Math.min(pendingCount, c.writableBytes());
                int first = Math.min(n, pending.length - pendingStart);
                c.write(0, pending, pendingStart, first);
                c.write(first, pending, 0, n - first);
                pendingStart = (pendingStart + n) % pending.length;
                pendingCount -= n;
                vq.pushUsed(c, n);
            }
            pending.notifyAll();
        }
    }

    private void transmit(Virtqueue vq) {
        boolean wrote = false;
        for (DescriptorChain c; (c = vq.pop()) != null; ) {
            if (c.writableCount() != 0) throw new DriverError("transmitq buffer " + c.head() + " has device-writable descriptors");
            for (long pos = 0; pos < c.readableBytes(); ) {
                int n = c.read(pos, scratch, 0, scratch.length);
                emit(scratch, n);
                pos += n;
            }
            wrote = true;
            vq.pushUsed(c, 0);
        }
        if (wrote && !outputFailed) {
            try {
                out.flush();
            } catch (IOException e) {
                outputFailed = true;
            }
        }
    }

    private void emit(byte[] b, int n) {
        if (outputFailed) return; // a closed host terminal loses output, it does not stop the guest
        try {
            out.write(b, 0, n);
        } catch (IOException e) {
            outputFailed = true;
        }
    }

    @Override
    public void close() {
        Thread t = reader;
        if (t != null) t.interrupt();
    }
}
