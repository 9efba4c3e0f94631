package org.duvisor.board;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.duvisor.dbt.bus.PhysicalBus;
import org.junit.jupiter.api.Test;

class HtifTest {
    private static final long RAM = 0x8000_0000L, TOHOST = RAM + 0x1000, FROMHOST = RAM + 0x1040, MAGIC = RAM + 0x2000;
    private static final ValueLayout.OfLong LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final MemorySegment ram = Arena.ofAuto().allocate(0x10000);
    private final PhysicalBus bus = new PhysicalBus(ram, RAM);
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final TestFinisherTest.RecordingPower power = new TestFinisherTest.RecordingPower();
    private final Htif htif = new Htif(bus, TOHOST, FROMHOST, console, power);

    private void store(long pa, long value) {
        ram.set(LE, pa - RAM, value);
    }

    private long load(long pa) {
        return ram.get(LE, pa - RAM);
    }

    @Test
    void nothingHappensWhileTohostIsZero() {
        htif.poll();
        assertThat(power.events).isEmpty();
        assertThat(load(FROMHOST)).isZero();
    }

    @Test
    void payloadOneIsAPassingExit() {
        store(TOHOST, 1);
        htif.poll();
        assertThat(power.events).containsExactly("off 0");
        assertThat(load(TOHOST)).isZero();
    }

    @Test
    void riscvTestsFailureEncodesTheTestNumber() {
        store(TOHOST, (5 << 1) | 1); // TESTNUM 5 failed
        htif.poll();
        assertThat(power.events).containsExactly("off 5");
    }

    @Test
    void putcharWritesTheByteClearsTohostAndAnswersInFromhost() {
        store(TOHOST, 1L << 56 | 1L << 48 | 'A');
        htif.poll();
        assertThat(console.toString(StandardCharsets.US_ASCII)).isEqualTo("A");
        assertThat(load(TOHOST)).isZero();
        assertThat(load(FROMHOST)).isEqualTo(1L << 56 | 1L << 48 | 0x100 | 'A');
        assertThat(power.events).isEmpty();
    }

    @Test
    void anAnswerWaitsUntilTheGuestClearsFromhost() {
        store(TOHOST, 1L << 56 | 1L << 48 | 'x');
        htif.poll();
        store(TOHOST, 1L << 56 | 1L << 48 | 'y');
        htif.poll();
        assertThat(load(FROMHOST)).isEqualTo(1L << 56 | 1L << 48 | 0x100 | 'x');
        store(FROMHOST, 0);
        htif.poll();
        assertThat(load(FROMHOST)).isEqualTo(1L << 56 | 1L << 48 | 0x100 | 'y');
        assertThat(console.toString(StandardCharsets.US_ASCII)).isEqualTo("xy");
    }

    @Test
    void writeSystemCallCopiesTheBufferAndReturnsItsLength() {
        byte[] text = "hello\n".getBytes(StandardCharsets.US_ASCII);
        MemorySegment.copy(MemorySegment.ofArray(text), 0, ram, 0x3000, text.length);
        store(MAGIC, Htif.SYS_WRITE);
        store(MAGIC + 8, 1);
        store(MAGIC + 16, RAM + 0x3000);
        store(MAGIC + 24, text.length);
        store(TOHOST, MAGIC);
        htif.poll();
        assertThat(console.toString(StandardCharsets.US_ASCII)).isEqualTo("hello\n");
        assertThat(load(MAGIC)).isEqualTo(text.length);
        assertThat(load(FROMHOST)).isEqualTo(1);
    }

    @Test
    void exitSystemCallPowersOffWithItsArgument() {
        store(MAGIC, Htif.SYS_EXIT);
        store(MAGIC + 8, 3);
        store(TOHOST, MAGIC);
        htif.poll();
        assertThat(power.events).containsExactly("off 3");
    }

    @Test
    void unsupportedSystemCallIsAFaultNotACrash() {
        store(MAGIC, 56); // openat
        store(TOHOST, MAGIC);
        htif.poll();
        assertThat(power.events).singleElement().asString().startsWith("fault").contains("system call 56");
    }

    @Test
    void aSystemCallBlockOutsideRamIsAFault() {
        store(TOHOST, 0x1000); // even payload: a pointer, here below RAM
        htif.poll();
        assertThat(power.events).singleElement().asString().startsWith("fault").contains("0x1000");
    }

    @Test
    void aWriteBufferOutsideRamIsAFault() {
        store(MAGIC, Htif.SYS_WRITE);
        store(MAGIC + 8, 1);
        store(MAGIC + 16, RAM + 0xFFF0);
        store(MAGIC + 24, 0x100);
        store(TOHOST, MAGIC);
        htif.poll();
        assertThat(power.events).singleElement().asString().startsWith("fault");
        assertThat(console.size()).isZero();
    }

    @Test
    void unknownDeviceIsAFault() {
        store(TOHOST, 2L << 56 | 'x');
        htif.poll();
        assertThat(power.events).singleElement().asString().startsWith("fault").contains("device 2");
    }

    @Test
    void nothingIsServedAfterTheMachineStopped() {
        store(TOHOST, 1);
        htif.poll();
        store(TOHOST, 3);
        htif.poll();
        assertThat(power.events).containsExactly("off 0");
    }

    @Test
    void symbolsOutsideRamAreRejected() {
        assertThatThrownBy(() -> new Htif(bus, RAM + 0xFFFC, FROMHOST, console, power))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tohost");
    }
}
