package org.duvisor.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code dv run} of a real static glibc program, as a child JVM started like the {@code dv}
 * launcher starts it: the guest's stdout and stderr are the process's, its arguments arrive, and
 * its exit status is the command's exit code. Refusals from a real process are one line too.
 */
class RunCommandGuestTest {
    static final String GCC = "/usr/bin/riscv64-linux-gnu-gcc";

    @TempDir
    static Path tmp;
    static Path hello;

    @BeforeAll
    static void compile() throws Exception {
        assumeTrue(Files.isExecutable(Path.of(GCC)), "riscv64-linux-gnu-gcc not installed");
        Path src = tmp.resolve("hello.c");
        Files.writeString(src, """
                #include <stdio.h>
                #include <stdlib.h>
                int main(int argc, char **argv) {
                    printf("hello, world\\n");
                    for (int i = 1; i < argc; i++) printf("arg %d: %s\\n", i, argv[i]);
                    fflush(stdout);
                    fprintf(stderr, "to stderr\\n");
                    exit(argc > 1 && argv[1][0] == 'q' ? 0 : 7);
                }
                """);
        hello = tmp.resolve("hello");
        Process p = new ProcessBuilder(GCC, "-static", "-O1", "-o", hello.toString(), src.toString())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as("gcc: " + log).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"interp", "dbt", "lockstep"})
    void guestOutputPassesThroughAndItsExitStatusIsTheExitCode(String mode) throws Exception {
        Cli.Result r = Cli.childJvm("run", "--mode", mode, hello.toString(), "one", "two words", "--three");
        assertThat(r.out()).isEqualTo("hello, world\narg 1: one\narg 2: two words\narg 3: --three\n");
        assertThat(r.err()).isEqualTo("to stderr\n");
        assertThat(r.exit()).isEqualTo(7);
    }

    @Test
    void exitStatusZero() throws Exception {
        Cli.Result r = Cli.childJvm("run", hello.toString(), "quiet");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo("hello, world\narg 1: quiet\n");
    }

    @Test
    void statsGoToStderrAfterTheGuestsOutput() throws Exception {
        Cli.Result r = Cli.childJvm("run", "--stats", hello.toString());
        assertThat(r.exit()).isEqualTo(7);
        assertThat(r.out()).isEqualTo("hello, world\n");
        assertThat(r.errLines().getFirst()).isEqualTo("to stderr");
        assertThat(r.err()).contains("dv-stats: instructions=");
    }

    @Test
    void truncatedRealExecutableIsOneLineAndExit2() throws Exception {
        byte[] full = Files.readAllBytes(hello);
        for (int len : new int[]{full.length / 2, 100, 63}) {
            Path cut = tmp.resolve("hello-cut-" + len);
            Files.write(cut, Arrays.copyOf(full, len));
            Cli.Result inJvm = Cli.inProcess("run", cut.toString());
            assertThat(inJvm.exit()).as("length " + len + ": " + inJvm.err()).isEqualTo(2);
            inJvm.oneErrorLine("dv: " + cut + ": ");
            assertThat(inJvm.err()).contains("truncated");
        }
    }

    @Test
    void refusalsFromTheRealEntryPointAreOneLine() throws Exception {
        Path missing = tmp.resolve("missing");
        Cli.Result r = Cli.childJvm("run", missing.toString());
        assertThat(r.exit()).isEqualTo(127);
        assertThat(r.err()).isEqualTo("dv: " + missing + ": no such file\n");
        assertThat(r.out()).isEmpty();

        Path text = tmp.resolve("text.txt");
        Files.writeString(text, "just text\n");
        r = Cli.childJvm("run", text.toString());
        assertThat(r.exit()).isEqualTo(2);
        r.oneErrorLine("dv: " + text + ": ");

        r = Cli.childJvm("run", "--mode", "bogus", hello.toString());
        assertThat(r.exit()).isEqualTo(2);
        r.oneErrorLine("dv: unknown --mode 'bogus'");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void helpFromTheRealEntryPoint() throws IOException, InterruptedException {
        Cli.Result r = Cli.childJvm("run", "--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("--mode").contains("--stats").contains("--strace");
        assertThat(r.err()).isEmpty();
    }
}
