package org.duvisor.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * {@code dv run} refuses what it cannot run with one {@code dv: <path>: <reason>} line and an exit
 * code (127 for a missing file, 2 for anything that is not a runnable RV64 executable), never with
 * a stack trace; {@code --help} documents every option.
 */
class RunCommandBadInputTest {
    @TempDir
    Path tmp;

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = tmp.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    @Test
    void missingFileIsExit127() {
        Path missing = tmp.resolve("no-such-program");
        Cli.Result r = Cli.inProcess("run", missing.toString());
        assertThat(r.exit()).isEqualTo(127);
        assertThat(r.err()).isEqualTo("dv: " + missing + ": no such file\n");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void missingFileWithArgumentsAndOptionsIsExit127() {
        Path missing = tmp.resolve("missing");
        Cli.Result r = Cli.inProcess("run", "--mode", "interp", "--stats", missing.toString(), "a", "--b");
        assertThat(r.exit()).isEqualTo(127);
        assertThat(r.err()).isEqualTo("dv: " + missing + ": no such file\n");
    }

    @Test
    void emptyFileIsExit2() throws IOException {
        Path p = write("empty", new byte[0]);
        Cli.Result r = Cli.inProcess("run", p.toString()).oneErrorLine("dv: " + p + ": ");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("not an ELF file");
    }

    @Test
    void textFileIsExit2() throws IOException {
        Path p = write("script.sh", "#!/bin/sh\necho hello\n".getBytes());
        Cli.Result r = Cli.inProcess("run", p.toString()).oneErrorLine("dv: " + p + ": ");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("not an ELF file");
    }

    @Test
    void hostExecutableIsExit2() throws IOException {
        Path bin = Path.of("/bin/true").toRealPath();
        assumeTrue(Files.isRegularFile(bin), "/bin/true missing");
        byte[] head = Arrays.copyOf(Files.readAllBytes(bin), 20);
        assumeTrue(head[0] == 0x7f && head[1] == 'E' && head[18] == 62, "/bin/true is not an x86-64 ELF");
        Cli.Result r = Cli.inProcess("run", "/bin/true").oneErrorLine("dv: /bin/true: ");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("x86-64").contains("not RISC-V");
    }

    @Test
    void theTinyExecutableRunsAndItsStatusIsTheExitCode() throws IOException {
        Path p = write("tiny", Cli.tinyExitElf(7));
        for (String mode : new String[]{"interp", "dbt", "lockstep"}) {
            Cli.Result r = Cli.inProcess("run", "--mode", mode, p.toString());
            assertThat(r.exit()).as("exit code in mode " + mode).isEqualTo(7);
            assertThat(r.err()).as("stderr in mode " + mode).isEmpty();
        }
    }

    @Test
    void argumentsAfterTheProgramBelongToTheGuestEvenWhenTheyLookLikeOptions() throws IOException {
        Path p = write("tiny", Cli.tinyExitElf(5));
        for (String arg : new String[]{"--help", "--mode", "-V", "--bogus", "--"}) {
            Cli.Result r = Cli.inProcess("run", p.toString(), arg, "x");
            assertThat(r.exit()).as("dv run tiny " + arg + " x: " + r.err()).isEqualTo(5);
            assertThat(r.out()).isEmpty();
            assertThat(r.err()).isEmpty();
        }
    }

    /** Every prefix of a valid executable is refused with one line: bad magic, short header, headers or segment cut off. */
    @Test
    void everyTruncationOfAValidExecutableIsExit2() throws IOException {
        byte[] full = Cli.tinyExitElf(0);
        for (int len : IntStream.range(1, full.length).toArray()) {
            Path p = write("cut-" + len, Arrays.copyOf(full, len));
            Cli.Result r = Cli.inProcess("run", p.toString());
            assertThat(r.exit()).as("exit code at length " + len + ": " + r.err()).isEqualTo(2);
            r.oneErrorLine("dv: " + p + ": ");
            if (len >= 4) assertThat(r.err()).as("length " + len).contains("truncated");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"bogus", "", "DBT", "interp,dbt"})
    void unknownModeIsExit2WithOneLine(String mode) throws IOException {
        Path p = write("tiny", Cli.tinyExitElf(0));
        Cli.Result r = Cli.inProcess("run", "--mode", mode, p.toString()).oneErrorLine("dv: ");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--mode").contains("'" + mode + "'").contains("interp").contains("lockstep");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void unknownModeIsReportedEvenWhenTheProgramIsMissing() {
        Cli.Result r = Cli.inProcess("run", "--mode=bogus", tmp.resolve("missing").toString()).oneErrorLine("dv: ");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("unknown --mode 'bogus'");
    }

    @Test
    void missingProgramParameterIsAUsageError() {
        Cli.Result r = Cli.inProcess("run");
        assertThat(r.exit()).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(r.err()).contains("PROGRAM").doesNotContain("\tat ");
    }

    // ---- help

    /**
     * Every name of every option, every positional's label and every subcommand appear in the help
     * text, except a hidden subcommand (the launcher's own, see AotTrainingCommandTest).
     */
    private static void mentionsEverything(String help, CommandSpec spec) {
        for (OptionSpec o : spec.options()) {
            for (String name : o.names()) assertThat(help).as("help of " + spec.qualifiedName()).contains(name);
        }
        for (PositionalParamSpec p : spec.positionalParameters()) assertThat(help).contains(p.paramLabel());
        spec.subcommands().forEach((name, sub) -> {
            if (!sub.getCommandSpec().usageMessage().hidden()) assertThat(help).contains(name);
        });
    }

    @Test
    void topLevelHelpExitsZeroAndListsEveryOptionAndCommand() {
        Cli.Result r = Cli.inProcess("--help");
        assertThat(r.exit()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).contains("Usage: dv").contains("--help").contains("--version")
                .contains("run").contains("workloads").contains("demo");
        mentionsEverything(r.out(), new CommandLine(new Main()).getCommandSpec());
    }

    @Test
    void runHelpExitsZeroAndDocumentsEveryOption() {
        Cli.Result r = Cli.inProcess("run", "--help");
        assertThat(r.exit()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).contains("Usage: dv run").contains("--mode").contains("interp").contains("dbt")
                .contains("lockstep").contains("--stats").contains("--strace").contains("--help").contains("--version")
                .contains("PROGRAM").contains("ARGS");
        mentionsEverything(r.out(), new CommandLine(new Main()).getSubcommands().get("run").getCommandSpec());
    }

    @Test
    void helpSubcommandPrintsTheSameAsRunHelp() {
        Cli.Result viaOption = Cli.inProcess("run", "--help");
        Cli.Result viaCommand = Cli.inProcess("help", "run");
        assertThat(viaCommand.exit()).isZero();
        assertThat(viaCommand.out()).isEqualTo(viaOption.out());
    }

    @Test
    void noArgumentsPrintsTheUsageAndExitsZero() {
        Cli.Result r = Cli.inProcess();
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("Usage: dv");
    }
}
