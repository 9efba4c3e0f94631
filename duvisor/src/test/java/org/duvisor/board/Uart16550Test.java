package org.duvisor.board;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Uart16550Test {
    private static final int RBR = 0, THR = 0, DLL = 0, IER = 1, DLM = 1, IIR = 2, FCR = 2, LCR = 3, MCR = 4, LSR = 5, MSR = 6, SCR = 7;

    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private boolean line;
    private final Uart16550 uart = new Uart16550(Uart16550.VIRT_BASE, 10, level -> line = level, console);

    private int read(int reg) {
        return (int) uart.read(reg, 1);
    }

    private void write(int reg, int value) {
        uart.write(reg, value, 1);
    }

    @Test
    void resetStateHasAnEmptyTransmitterAndNoInterrupt() {
        assertThat(read(LSR)).isEqualTo(0x60);
        assertThat(read(IIR)).isEqualTo(0x01);
        assertThat(read(IER)).isZero();
        assertThat(line).isFalse();
    }

    @Test
    void thrWritesGoToTheOutputAndLeaveTheTransmitterEmpty() {
        for (byte b : "hi\n".getBytes(StandardCharsets.US_ASCII)) write(THR, b);
        assertThat(console.toString(StandardCharsets.US_ASCII)).isEqualTo("hi\n");
        assertThat(read(LSR) & 0x60).isEqualTo(0x60);
    }

    @Test
    void receivedBytesSetDataReadyAndReadBackInOrder() {
        write(FCR, 0x01);
        uart.receive((byte) 'a');
        uart.receive((byte) 'b');
        assertThat(read(LSR) & 0x01).isEqualTo(1);
        assertThat(read(RBR)).isEqualTo('a');
        assertThat(read(RBR)).isEqualTo('b');
        assertThat(read(LSR) & 0x01).isZero();
    }

    @Test
    void dlabSwitchesOffsetsZeroAndOneToTheDivisorLatch() {
        write(IER, 0x05);
        write(LCR, 0x83);
        write(DLL, 0x0C);
        write(DLM, 0x01);
        assertThat(read(DLL)).isEqualTo(0x0C);
        assertThat(read(DLM)).isEqualTo(0x01);
        assertThat(console.size()).isZero();
        write(LCR, 0x03);
        assertThat(read(IER)).isEqualTo(0x05);
        assertThat(read(LCR)).isEqualTo(0x03);
    }

    @Test
    void scratchRegisterHoldsAByte() {
        write(SCR, 0xA5);
        assertThat(read(SCR)).isEqualTo(0xA5);
    }

    @Test
    void receivedDataInterruptIsRaisedAndClearedByReadingRbr() {
        write(IER, 0x01);
        uart.receive((byte) 'x');
        assertThat(line).isTrue();
        assertThat(read(IIR)).isEqualTo(0x04);
        assertThat(read(RBR)).isEqualTo('x');
        assertThat(line).isFalse();
        assertThat(read(IIR)).isEqualTo(0x01);
    }

    @Test
    void belowTheTriggerLevelTheFifoReportsCharacterTimeout() {
        write(FCR, 0x81); // FIFO on, trigger level 8
        write(IER, 0x01);
        for (int i = 0; i < 7; i++) uart.receive((byte) i);
        assertThat(read(IIR)).isEqualTo(0xCC);
        uart.receive((byte) 7);
        assertThat(read(IIR)).isEqualTo(0xC4);
    }

    @Test
    void thrEmptyInterruptOnEnableClearedByReadingIir() {
        write(IER, 0x02);
        assertThat(line).isTrue();
        assertThat(read(IIR)).isEqualTo(0x02);
        assertThat(line).isFalse();
        assertThat(read(IIR)).isEqualTo(0x01);
        write(THR, 'z'); // THR empties again
        assertThat(line).isTrue();
        assertThat(read(IIR)).isEqualTo(0x02);
    }

    @Test
    void receivedDataOutranksThrEmpty() {
        write(IER, 0x03);
        uart.receive((byte) 'q');
        assertThat(read(IIR)).isEqualTo(0x04);
        read(RBR);
        assertThat(read(IIR)).isEqualTo(0x02);
    }

    @Test
    void a17thByteOverrunsTheFifoAndRaisesLineStatus() {
        write(FCR, 0x01);
        write(IER, 0x05);
        for (int i = 0; i < 16; i++) assertThat(uart.receive((byte) i)).isTrue();
        assertThat(uart.receive((byte) 16)).isFalse();
        assertThat(read(IIR)).isEqualTo(0xC6);
        assertThat(read(LSR)).isEqualTo(0x63);
        assertThat(read(LSR)).isEqualTo(0x61); // reading LSR cleared OE
        assertThat(read(IIR)).isEqualTo(0xC4);
        for (int i = 0; i < 16; i++) assertThat(read(RBR)).isEqualTo(i);
    }

    @Test
    void withoutFifosTheReceiverHoldsOneByte() {
        uart.receive((byte) 1);
        assertThat(uart.receive((byte) 2)).isFalse();
        assertThat(read(RBR)).isEqualTo(1);
        assertThat(read(LSR) & 0x01).isZero();
    }

    @Test
    void fcrReportsFifosInIirAndClearsTheReceiver() {
        write(FCR, 0x01);
        assertThat(read(IIR)).isEqualTo(0xC1);
        uart.receive((byte) 1);
        write(FCR, 0x03);
        assertThat(read(LSR) & 0x01).isZero();
        write(FCR, 0x00);
        assertThat(read(IIR)).isEqualTo(0x01);
    }

    @Test
    void loopbackSendsThrToTheReceiverNotTheOutput() {
        write(MCR, 0x10);
        write(THR, 'L');
        assertThat(console.size()).isZero();
        assertThat(read(LSR) & 0x01).isEqualTo(1);
        assertThat(read(RBR)).isEqualTo('L');
        assertThat(uart.receive((byte) 'x')).isFalse(); // serial input disconnected
    }

    @Test
    void loopbackWiresModemControlToModemStatus() {
        assertThat(read(MSR)).isEqualTo(0xB0);
        write(MCR, 0x10 | 0x02 | 0x08); // what Linux's 8250 probe writes: LOOP | RTS | OUT2
        assertThat(read(MSR) & 0xF0).isEqualTo(0x90);
        write(MCR, 0x10 | 0x01 | 0x04); // DTR, OUT1
        assertThat(read(MSR)).isEqualTo(0x20 | 0x40 | 0x0B);
        write(MCR, 0x10);
        assertThat(read(MSR)).isEqualTo(0x02 | 0x04); // DSR dropped; RI trailing edge
    }

    @Test
    void modemStatusInterruptOnDelta() {
        write(IER, 0x08);
        write(MCR, 0x10 | 0x02);
        assertThat(line).isTrue();
        assertThat(read(IIR)).isEqualTo(0x00);
        read(MSR);
        assertThat(line).isFalse();
    }

    @Test
    void readerThreadFeedsTheReceiverWithoutOverrunning() throws InterruptedException {
        write(FCR, 0x01);
        byte[] input = new byte[40];
        for (int i = 0; i < input.length; i++) input[i] = (byte) ('A' + i);
        Thread reader = uart.startReader(new ByteArrayInputStream(input));
        assertThat(reader.isDaemon()).isTrue();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        while (got.size() < input.length) {
            if ((read(LSR) & 0x01) != 0) got.write(read(RBR));
            else Thread.onSpinWait();
        }
        reader.join();
        assertThat(got.toByteArray()).isEqualTo(input);
        assertThat(read(LSR) & 0x02).isZero();
    }

    @Test
    void describesItselfOnPlicSourceTen() {
        DeviceTree tree = new DeviceTree();
        uart.describe(tree, tree.root());
        DeviceTree.Node node = tree.root().child("serial@10000000");
        assertThat(node.value("interrupts")).isEqualTo(AclintTest.cells(10));
        assertThat(node.value("clock-frequency")).isEqualTo(AclintTest.cells(3_686_400));
        assertThat(node.value("interrupt-parent")).isEqualTo(AclintTest.cells(tree.phandle("plic")));
    }
}
