package org.duvisor.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Console-line parsing and the tables, on made-up times (no timing assertions). */
class SystemSideBySideTest {
    @TempDir
    Path dir;

    private static ConsoleLog console(Object... timeThenText) {
        List<ConsoleLog.Line> lines = new java.util.ArrayList<>();
        for (int i = 0; i < timeThenText.length; i += 2) {
            lines.add(new ConsoleLog.Line((Double) timeThenText[i], (String) timeThenText[i + 1]));
        }
        return new ConsoleLog(lines, 9.0, 0, "");
    }

    @AfterEach
    void forgetCache() {
        System.clearProperty("dv.cache"); // set by --cache
    }

    @Test
    void refusesToRunWithoutTheLinuxImage() throws Exception {
        Path cat = dir.resolve("root/workloads/catalogue.tsv");
        Files.createDirectories(cat.getParent());
        Files.writeString(cat, "spec-a\tspec\triscv64/spec-a\ttest\tref\ta\n");
        var o = SystemSideBySide.parse(new String[] {"--root", dir.resolve("root").toString(), "--cache", dir.resolve("cache").toString()});
        PrintStream sink = new PrintStream(new ByteArrayOutputStream());
        assertThatThrownBy(() -> SystemSideBySide.run(o, sink, sink))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("guest Linux image missing").hasMessageContaining("./dv workloads build linux");
    }

    @Test
    void findsTheGuestMarkersAmongKernelMessages() {
        ConsoleLog c = console(
                0.5, "[    0.000000] Linux version 6.1",
                1.0, "[    0.9] Run /init as init process",
                1.25, "DV-INIT",
                2.0, "DV-RUN spec-a test",
                2.5, "spec-a: OK",
                3.0, "DV-RESULT spec-a 0",
                3.0, "DV-RUN spec-b",
                3.1, "[    3.1] random: crng init done DV-RESULT spec-b 3",
                3.2, "DV-RUN spec-c",
                8.0, "DV-DONE 1");
        assertThat(c.firstTime("DV-INIT")).hasValue(1.25);
        assertThat(c.firstTime("DV-HELLO")).isEmpty();
        List<ConsoleLog.Span> spans = c.spans();
        assertThat(spans).extracting(ConsoleLog.Span::name).containsExactly("spec-a", "spec-b"); // spec-c never finished
        assertThat(spans.get(0).seconds()).isCloseTo(1.0, within(1e-12));
        assertThat(spans.get(1).status()).isEqualTo(3);
        assertThat(c.done()).hasValue(1);
        assertThat(c.tail(1)).isEqualTo("DV-DONE 1\n");
    }

    @Test
    void timestampsConsoleLinesOfARealProcess() throws Exception {
        ConsoleLog c = ConsoleLog.run(List.of("sh", "-c", "echo DV-INIT; printf 'DV-DONE 0\\r\\n'; echo oops >&2; exit 3"),
                dir.resolve("err"), 60);
        assertThat(c.exit()).isEqualTo(3);
        assertThat(c.lines()).extracting(ConsoleLog.Line::text).containsExactly("DV-INIT", "DV-DONE 0");
        assertThat(c.firstTime("DV-INIT")).isPresent();
        assertThat(c.done()).hasValue(0);
        assertThat(c.stderr()).contains("oops");
    }

    @Test
    void guestCommandsFillEveryPlaceholder() {
        CommandTemplate qemu = CommandTemplate.parse(SystemSideBySide.DEFAULT_RUNNERS.get(3));
        var vars = Map.of("kernel", "/l/Image", "initrd", "/l/i.cpio", "smp", "2", "mem", "256");
        assertThat(SystemSideBySide.guestCommand(qemu, vars, List.of("java", "-cp", "x"), "console=ttyS0 dv.run=hello"))
                .containsExactly("qemu-system-riscv64", "-machine", "virt", "-cpu", "rv64", "-smp", "2", "-m", "256", "-nographic",
                        "-device", "virtio-rng-device", "-device", "virtio-serial-device", "-device", "virtconsole",
                        "-kernel", "/l/Image", "-initrd", "/l/i.cpio", "-append", "console=ttyS0 dv.run=hello");
        CommandTemplate dbt = CommandTemplate.parse(SystemSideBySide.DEFAULT_RUNNERS.get(0));
        assertThat(SystemSideBySide.guestCommand(dbt, vars, List.of("java", "-cp", "x"), "a b"))
                .startsWith("java", "-cp", "x", "boot", "--mode", "dbt").endsWith("--append", "a b");
        CommandTemplate user = CommandTemplate.parse(SystemSideBySide.DEFAULT_USER_RUNNERS.get(0));
        assertThat(user.expand(Map.of("bin", "/c/spec-a"), Map.of("dv", List.of("./dv")), List.of("test")))
                .containsExactly("./dv", "run", "--mode", "dbt", "--stats", "/c/spec-a", "test");
    }

    @Test
    void overheadTableIsGuestOverUserModeWithAGeomean() {
        var guest = new SystemSideBySide.Measures(1);
        var user = new SystemSideBySide.Measures(1);
        guest.put("p1", "dv", 0, 2.0);
        user.put("p1", "dv", 0, 1.0);
        guest.put("p2", "dv", 0, 4.0);
        user.put("p2", "dv", 0, 8.0);
        assertThat(SystemSideBySide.renderOverhead(guest, user, List.of("dv"))).startsWith("""
                program  dv guest s  dv user s  dv guest/user
                -------  ----------  ---------  -------------
                p1            2.000      1.000          2.000
                p2            4.000      8.000         0.5000
                -------  ----------  ---------  -------------
                geomean       2.828      2.828          1.000
                """);
    }

    @Test
    void goalsTableComparesWithTheBaselineAndTheOverheadTarget() {
        var boot = new SystemSideBySide.Measures(1);
        var suite = new SystemSideBySide.Measures(1);
        var user = new SystemSideBySide.Measures(1);
        boot.put(SystemSideBySide.TO_INIT, "dv", 0, 1.0);
        boot.put(SystemSideBySide.TO_INIT, "qemu", 0, 2.0);
        boot.put(SystemSideBySide.TO_EXIT, "dv", 0, 4.0);
        boot.put(SystemSideBySide.TO_EXIT, "qemu", 0, 2.0);
        boot.put(SystemSideBySide.TO_EXIT, "other", 0, Double.NaN); // a failed round: left out
        suite.put("p", "dv", 0, 1.0);
        suite.put("p", "qemu", 0, 1.0);
        user.put("p", "dv", 0, 0.5);
        String out = SystemSideBySide.renderGoals(boot, suite, user, List.of("dv", "other", "qemu"), List.of("dv"), "qemu");
        assertThat(out).isEqualTo("""
                goal                                           dv  other  target
                ------------------------------------  -----------  -----  ------
                boot to DV-INIT, speed vs qemu        2.000 (met)      -  >= 1.0
                boot to exit, speed vs qemu           0.5000 (no)      -  >= 1.0
                spec in guest, geomean speed vs qemu  1.000 (met)      -  >= 1.0
                guest/user mode, geomean               2.000 (no)      -  <= 1.3
                # speed vs qemu = median over rounds of t(qemu)/t(X): above 1 means X is faster
                """);
    }
}
