package org.duvisor.board;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.duvisor.dbt.bus.PhysicalBus;
import org.duvisor.rv64.priv.InterruptPins;
import org.duvisor.rv64.priv.Timebase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BoardTest {
    private static final String ISA = "rv64imafdch_zicsr_zifencei_zba_zbb_zbs_sstc";
    private static final Path DTC = Path.of("/usr/bin/dtc");

    private final List<InterruptPins> pins = Harts.pins(2);
    private final PhysicalBus bus = new PhysicalBus(Arena.ofAuto().allocate(1 << 20), 0x8000_0000L);
    private final Board board = new Board(bus, new Board.Config(2, ISA, "riscv,sv48", "riscv-virtio,duvisor"));
    private final Plic plic;
    private final Uart16550 uart;

    BoardTest() {
        PowerControl power = new TestFinisherTest.RecordingPower();
        board.add(new TestFinisher(TestFinisher.VIRT_BASE, power));
        board.add(new Aclint(Aclint.VIRT_BASE, pins, new Timebase()));
        plic = board.add(new Plic(Plic.VIRT_BASE, pins));
        uart = board.add(Uart16550.virt(plic, new ByteArrayOutputStream()));
    }

    @Test
    void addMapsEachDeviceAtItsVirtAddress() {
        assertThat(bus.window(0x1000_0005L, 1).device()).isInstanceOf(Uart16550.class);
        assertThat(bus.window(0x0200_BFF8L, 8).device()).isInstanceOf(Aclint.class);
        assertThat(bus.window(0x0C20_1004L, 4).device()).isSameAs(plic);
        assertThat(bus.window(0x0010_0000L, 4).device()).isInstanceOf(TestFinisher.class);
        assertThat(bus.window(0x0300_0000L, 4)).isNull();
    }

    @Test
    void overlappingDevicesAreRejected() {
        assertThatThrownBy(() -> board.add(new TestFinisher(0x1000_0000L, new TestFinisherTest.RecordingPower())))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void uartInterruptsReachThePlicAndTheHart() {
        plic.write(4L * 10, 1, 4); // priority of source 10
        plic.write(0x2000 + 0x80 + 4 * 0, 1 << 10, 4); // enable in hart 0's S context
        uart.write(1, 0x02, 1); // UART IER.ETBEI: THR empty interrupt
        assertThat(Harts.pending(pins.get(0), InterruptPins.SEIP)).isTrue();
        assertThat(plic.read(0x20_1004, 4)).isEqualTo(10);
    }

    @Test
    void dtcDecompilesTheBlobCleanly(@TempDir Path dir) throws IOException, InterruptedException {
        assumeThat(Files.isExecutable(DTC)).as("Debian's device-tree-compiler (dtc) is not installed").isTrue();
        Path blob = dir.resolve("board.dtb");
        Files.write(blob, board.deviceTreeBlob(Board.Chosen.bootargs("console=ttyS0 earlycon").withInitrd(0x8400_0000L, 0x1_0000_0000L)));
        String dts = run(DTC.toString(), "-I", "dtb", "-O", "dts", "-o", "-", blob.toString());

        assertThat(dts).contains(
                "compatible = \"riscv-virtio\";",
                "#address-cells = <0x02>;",
                "bootargs = \"console=ttyS0 earlycon\";",
                "stdout-path = \"/soc/serial@10000000\";",
                "linux,initrd-start = <0x00 0x84000000>;",
                "linux,initrd-end = <0x01 0x00>;",
                "memory@80000000 {",
                "reg = <0x00 0x80000000 0x00 0x100000>;",
                "timebase-frequency = <0x989680>;",
                "cpu@0 {", "cpu@1 {",
                "riscv,isa = \"" + ISA + "\";",
                "mmu-type = \"riscv,sv48\";",
                "compatible = \"riscv,cpu-intc\";",
                "serial@10000000 {",
                "compatible = \"ns16550a\";",
                "interrupts = <0x0a>;",
                "clint@2000000 {",
                "compatible = \"sifive,clint0\\0riscv,clint0\";",
                "plic@c000000 {",
                "compatible = \"sifive,plic-1.0.0\\0riscv,plic0\";",
                "riscv,ndev = <0x5f>;",
                "reg = <0x00 0xc000000 0x00 0x600000>;",
                "test@100000 {",
                "compatible = \"sifive,test1\\0sifive,test0\\0syscon\";",
                "compatible = \"syscon-poweroff\";",
                "value = <0x5555>;",
                "compatible = \"syscon-reboot\";",
                "value = <0x7777>;");
        // dtc guesses 0x00384000 is a string when printing; fdtget reads it as the number it is.
        Path fdtget = DTC.resolveSibling("fdtget");
        if (Files.isExecutable(fdtget)) {
            assertThat(run(fdtget.toString(), "-t", "u", blob.toString(), "/soc/serial@10000000", "clock-frequency").strip()).isEqualTo("3686400");
            assertThat(run(fdtget.toString(), "-t", "x", blob.toString(), "/soc/clint@2000000", "interrupts-extended").strip())
                    .isEqualTo(intc(dts, 0) + " 3 " + intc(dts, 0) + " 7 " + intc(dts, 1) + " 3 " + intc(dts, 1) + " 7");
            assertThat(run(fdtget.toString(), "-t", "x", blob.toString(), "/soc/plic@c000000", "interrupts-extended").strip())
                    .isEqualTo(intc(dts, 0) + " b " + intc(dts, 0) + " 9 " + intc(dts, 1) + " b " + intc(dts, 1) + " 9");
        }
        assertThat(dts).containsPattern("poweroff \\{[^}]*regmap = <0x0?" + Integer.toHexString(phandleOfTest(dts)) + ">;");
    }

    /** Runs a tool, requiring it to succeed without a word on stderr; returns its stdout. */
    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String diagnostics = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(diagnostics).isZero();
        assertThat(diagnostics).as(String.join(" ", command)).isEmpty();
        return out;
    }

    /** The phandle (hex, as fdtget prints it) of hart {@code i}'s interrupt controller in the decompiled tree. */
    private static String intc(String dts, int i) {
        int at = dts.indexOf("cpu@" + i + " {");
        int ic = dts.indexOf("interrupt-controller {", at);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("phandle = <0x([0-9a-f]+)>;").matcher(dts.substring(ic, dts.indexOf("};", ic)));
        assertThat(m.find()).as("cpu@%d's interrupt controller has a phandle", i).isTrue();
        return Integer.toHexString(Integer.parseInt(m.group(1), 16));
    }

    /** The phandle dtc printed for the test finisher node. */
    private static int phandleOfTest(String dts) {
        int at = dts.indexOf("test@100000 {");
        String node = dts.substring(at, dts.indexOf("};", at));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("phandle = <0x([0-9a-f]+)>;").matcher(node);
        assertThat(m.find()).as("test@100000 has a phandle").isTrue();
        return Integer.parseInt(m.group(1), 16);
    }
}
