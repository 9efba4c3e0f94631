package org.duvisor.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End to end over shell scripts standing in for the guest binaries. */
class SideBySideRunTest {
    @TempDir
    Path dir;

    private int run(String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rc = SideBySide.run(SideBySide.parse(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        lastOutput = out.toString(StandardCharsets.UTF_8);
        return rc;
    }

    private String lastOutput;

    @AfterEach
    void forgetCache() {
        System.clearProperty("dv.cache"); // set by --cache
    }

    private void script(String rel, String body) throws Exception {
        Path p = dir.resolve("cache/workloads").resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
    }

    @Test
    void comparesTwoRunnersAndChecksOutputs() throws Exception {
        script("riscv64/spec-a", "echo \"a: $1 OK\"; echo 'dv-stats: instructions=2000000 seconds=0.01 mips=200' >&2");
        script("native/spec-a", "echo \"a: $1 OK\"");
        script("riscv64/spec-bad", "echo one");
        script("native/spec-bad", "echo two");
        Path cat = dir.resolve("root/workloads/catalogue.tsv");
        Files.createDirectories(cat.getParent());
        Files.writeString(cat, "# name kind binary test_args ref_args description\n"
                + "spec-a\tspec\triscv64/spec-a\ttest\tref\ta\nspec-bad\tspec\triscv64/spec-bad\ttest\tref\tb\n");
        String[] common = {"--root", dir.resolve("root").toString(), "--cache", dir.resolve("cache").toString(), "--rounds", "3",
                "--runner", "emu=sh {bin}", "--runner", "native=sh {native}"};

        assertThat(run(concat(common, "--only", "spec-a"))).isZero();
        assertThat(lastOutput).contains("emu s", "native s", "emu MIPS", "emu/native", "geomean").doesNotContain("FAIL");

        assertThat(run(concat(common, "--size", "test"))).isEqualTo(1);
        assertThat(lastOutput).contains("FAIL spec-bad: stdout of native round 1 differs from emu round 1");
    }

    private static String[] concat(String[] a, String... b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
