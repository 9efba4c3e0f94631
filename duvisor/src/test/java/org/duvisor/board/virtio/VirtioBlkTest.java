package org.duvisor.board.virtio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.duvisor.board.virtio.TestDriver.Buf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Block device (VIRTIO 1.2 §5.2) against a raw image file. */
class VirtioBlkTest {
    static final int SECTORS = 64;
    static final int T_IN = 0, T_OUT = 1, T_FLUSH = 4, T_GET_ID = 8, T_DISCARD = 11;
    static final int S_OK = 0, S_IOERR = 1, S_UNSUPP = 2;

    @TempDir
    Path dir;
    private TestDriver d;

    @AfterEach
    void close() {
        if (d != null) d.close();
    }

    /** Sector s holds bytes (s*7 + i) & 0xFF. */
    private Path image(String name, int sectors) throws IOException {
        byte[] data = new byte[sectors * 512];
        for (int i = 0; i < data.length; i++) data[i] = (byte) ((i / 512) * 7 + i);
        Path p = dir.resolve(name);
        Files.write(p, data);
        return p;
    }

    private Path started(boolean readOnly) throws IOException {
        Path p = image("disk.img", SECTORS);
        d = new TestDriver(VirtioBlk.open(p, readOnly));
        d.start();
        return p;
    }

    private long header(int type, long sector) {
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt(type).putInt(0).putLong(sector);
        return d.alloc(b.array());
    }

    /** Submits a request with a separate header, data and status buffer; returns the status address. */
    private long request(int type, long sector, long data, int dataLen, boolean dataWritable) {
        long status = d.alloc(1);
        d.put(status, new byte[] {(byte) 0xFF});
        if (dataLen == 0) {
            d.submit(0, Buf.in(header(type, sector), 16), Buf.out(status, 1));
        } else {
            d.submit(0, Buf.in(header(type, sector), 16), new Buf(data, dataLen, dataWritable), Buf.out(status, 1));
        }
        return status;
    }

    private static byte[] slice(byte[] b, int from, int len) {
        return Arrays.copyOfRange(b, from, from + len);
    }

    @Test
    void configurationHoldsCapacityInSectorsAndBlockSize() throws IOException {
        started(false);
        assertThat(d.mmio.read(0x100, 8)).isEqualTo(SECTORS);
        assertThat(d.mmio.read(0x100, 4)).isEqualTo(SECTORS);
        assertThat(d.mmio.read(0x104, 4)).isZero();
        assertThat(d.mmio.read(0x100 + 20, 4)).as("blk_size").isEqualTo(512);
        assertThat(d.mmio.read(0x100 + 12, 4)).as("seg_max").isEqualTo(VirtioBlk.SEG_MAX);
        assertThat(d.reg(VirtioMmio.REG_DEVICE_ID)).isEqualTo(2);
    }

    @Test
    void readOnlyIsOfferedOnlyForAReadOnlyImage() throws IOException {
        Path p = image("a.img", 8);
        try (TestDriver rw = new TestDriver(VirtioBlk.open(p, false)); TestDriver ro = new TestDriver(VirtioBlk.open(p, true))) {
            assertThat(rw.deviceFeatures() & (1 << 5)).isZero();
            assertThat(ro.deviceFeatures() & (1 << 5)).isNotZero();
            assertThat(rw.deviceFeatures() & (1 << 9)).as("VIRTIO_BLK_F_FLUSH").isNotZero();
        }
    }

    @Test
    void readReturnsTheImageContents() throws IOException {
        Path p = started(false);
        long data = d.alloc(1024);
        long status = request(T_IN, 5, data, 1024, true);
        assertThat(d.byteAt(status)).isEqualTo((byte) S_OK);
        assertThat(d.bytes(data, 1024)).isEqualTo(slice(Files.readAllBytes(p), 5 * 512, 1024));
        assertThat(d.usedLen(0, 0)).as("data plus status byte").isEqualTo(1025);
    }

    @Test
    void readScattersOverSeveralBuffersAndAHeaderSplitInTwo() throws IOException {
        Path p = started(false);
        long h = header(T_IN, 2);
        long a = d.alloc(512);
        long b = d.alloc(1024);
        long status = d.alloc(1);
        d.submit(0, Buf.in(h, 8), Buf.in(h + 8, 8), Buf.out(a, 512), Buf.out(b, 1024), Buf.out(status, 1));
        byte[] file = Files.readAllBytes(p);
        assertThat(d.byteAt(status)).isEqualTo((byte) S_OK);
        assertThat(d.bytes(a, 512)).isEqualTo(slice(file, 2 * 512, 512));
        assertThat(d.bytes(b, 1024)).isEqualTo(slice(file, 3 * 512, 1024));
    }

    @Test
    void writeChangesTheImageAndReadsBack() throws IOException {
        Path p = started(false);
        byte[] payload = new byte[512];
        Arrays.fill(payload, (byte) 0xEE);
        long status = request(T_OUT, 9, d.alloc(payload), 512, false);
        assertThat(d.byteAt(status)).isEqualTo((byte) S_OK);
        assertThat(d.usedLen(0, 0)).isEqualTo(1);
        byte[] file = Files.readAllBytes(p);
        assertThat(slice(file, 9 * 512, 512)).isEqualTo(payload);
        assertThat(file[8 * 512 + 511]).as("neighbour untouched").isEqualTo((byte) (8 * 7 + 8 * 512 + 511));

        long back = d.alloc(512);
        request(T_IN, 9, back, 512, true);
        assertThat(d.bytes(back, 512)).isEqualTo(payload);
    }

    @Test
    void writeToAReadOnlyDeviceFailsWithIoErrAndLeavesTheImageAlone() throws IOException {
        Path p = started(true);
        byte[] before = Files.readAllBytes(p);
        long status = request(T_OUT, 0, d.alloc(new byte[512]), 512, false);
        assertThat(d.byteAt(status)).isEqualTo((byte) S_IOERR);
        assertThat(Files.readAllBytes(p)).isEqualTo(before);
        assertThat(d.needsReset()).isFalse();
    }

    @Test
    void sectorsBeyondTheCapacityFailWithIoErr() throws IOException {
        started(false);
        long data = d.alloc(1024);
        assertThat(d.byteAt(request(T_IN, SECTORS - 1, data, 1024, true))).isEqualTo((byte) S_IOERR);
        assertThat(d.byteAt(request(T_OUT, SECTORS, data, 512, false))).isEqualTo((byte) S_IOERR);
        assertThat(d.byteAt(request(T_IN, -1L, data, 512, true))).isEqualTo((byte) S_IOERR);
        assertThat(d.byteAt(request(T_IN, SECTORS - 2, data, 1024, true))).as("the last two sectors").isEqualTo((byte) S_OK);
    }

    @Test
    void dataThatIsNotAWholeNumberOfSectorsFailsWithIoErr() throws IOException {
        started(false);
        assertThat(d.byteAt(request(T_IN, 0, d.alloc(100), 100, true))).isEqualTo((byte) S_IOERR);
    }

    @Test
    void getIdReturnsTwentyBytesNamingTheImage() throws IOException {
        started(false);
        long id = d.alloc(20);
        long status = request(T_GET_ID, 0, id, 20, true);
        assertThat(d.byteAt(status)).isEqualTo((byte) S_OK);
        byte[] expected = Arrays.copyOf("disk.img".getBytes(StandardCharsets.US_ASCII), 20);
        assertThat(d.bytes(id, 20)).isEqualTo(expected);
        assertThat(d.usedLen(0, 0)).isEqualTo(21);
    }

    @Test
    void flushSucceeds() throws IOException {
        started(false);
        assertThat(d.byteAt(request(T_FLUSH, 0, 0, 0, false))).isEqualTo((byte) S_OK);
    }

    @Test
    void unsupportedRequestTypeIsAnsweredUnsupp() throws IOException {
        started(false);
        assertThat(d.byteAt(request(T_DISCARD, 0, d.alloc(16), 16, false))).isEqualTo((byte) S_UNSUPP);
        assertThat(d.needsReset()).isFalse();
    }

    @Test
    void requestWithoutAStatusByteIsADriverError() throws IOException {
        started(false);
        d.submit(0, Buf.in(header(T_FLUSH, 0), 16));
        assertThat(d.needsReset()).isTrue();
        assertThat(d.warnings()).contains("status byte");
    }

    @Test
    void headerShorterThanSixteenBytesIsADriverError() throws IOException {
        started(false);
        d.submit(0, Buf.in(header(T_IN, 0), 8), Buf.out(d.alloc(1), 1));
        assertThat(d.needsReset()).isTrue();
        assertThat(d.warnings()).contains("16-byte header");
    }

    @Test
    void refusesAMissingImage() {
        assertThatThrownBy(() -> VirtioBlk.open(dir.resolve("nope.img"), false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nope.img").hasMessageContaining("no such file");
    }

    @Test
    void refusesADirectory() {
        assertThatThrownBy(() -> VirtioBlk.open(dir, true)).hasMessageContaining("not a regular file");
    }

    @Test
    void refusesAnEmptyImage() throws IOException {
        Path p = Files.createFile(dir.resolve("empty.img"));
        assertThatThrownBy(() -> VirtioBlk.open(p, false)).hasMessageContaining("empty");
    }

    @Test
    void refusesAnImageThatIsNotAWholeNumberOfSectors() throws IOException {
        Path p = Files.write(dir.resolve("odd.img"), new byte[1000]);
        assertThatThrownBy(() -> VirtioBlk.open(p, false)).hasMessageContaining("1000").hasMessageContaining("multiple of 512");
    }
}
