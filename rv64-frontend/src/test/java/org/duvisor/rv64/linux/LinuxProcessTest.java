package org.duvisor.rv64.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Static glibc programs end to end, with qemu-riscv64 as the oracle: stdout, stderr and the exit
 * status must be identical (for programs that die of a signal, the status and stdout).
 */
@Timeout(120)
class LinuxProcessTest {
    @TempDir
    Path tmp;

    private static final byte[] NO_INPUT = new byte[0];

    private static void assertSame(Toolchain.Result qemu, Toolchain.Result dv) {
        assertThat(dv.stdout()).as("stdout").isEqualTo(qemu.stdout());
        assertThat(dv.stderr()).as("stderr").isEqualTo(qemu.stderr());
        assertThat(dv.exit()).as("exit status").isEqualTo(qemu.exit());
    }

    private static Toolchain.Result compare(Path exe, List<String> args, Map<String, String> env, byte[] stdin)
            throws Exception {
        Toolchain.Result q = Toolchain.qemu(exe, args, env, stdin);
        Toolchain.Result d = Toolchain.dv(exe, args, env, stdin);
        assertSame(q, d);
        return d;
    }

    @Test
    void helloWorld() throws Exception {
        Toolchain.Result r = compare(Toolchain.compile("hello"), List.of(), Map.of(), NO_INPUT);
        assertThat(r.stdout()).startsWith("hello, world\n");
        assertThat(r.stderr()).isEqualTo("to stderr\n");
    }

    @Test
    void countsInstructionsAndTime() throws Exception {
        Path exe = Toolchain.compile("hello");
        var out = new java.io.ByteArrayOutputStream();
        var stdio = new LinuxProcess.Stdio(java.io.InputStream.nullInputStream(), out, out);
        try (LinuxProcess p = LinuxProcess.load(exe, List.of("hello"), Map.of(), stdio,
                org.duvisor.rv64.exec.Interpreter::new)) {
            assertThat(p.run()).isZero();
            assertThat(p.finished()).isTrue();
            assertThat(p.instructionsRetired()).isGreaterThan(1000);
            assertThat(p.syscallCount()).isGreaterThan(3);
            assertThat(p.wallNanos()).isPositive();
            assertThat(p.stats()).startsWith("dv: " + p.instructionsRetired() + " instructions");
        }
    }

    /**
     * A guest looping inside one translated region never reaches a budget check or a system call;
     * {@link LinuxProcess#stop} still ends it, as if killed (128 + SIGKILL).
     */
    @Test
    void aGuestSpinningInTranslatedCodeStopsWhenAsked() throws Exception {
        Path exe = Toolchain.compile("spin");
        var stdio = new LinuxProcess.Stdio(java.io.InputStream.nullInputStream(), java.io.OutputStream.nullOutputStream(),
                java.io.OutputStream.nullOutputStream());
        try (LinuxProcess p = LinuxProcess.load(exe, List.of("spin"), Map.of(), stdio,
                h -> new org.duvisor.rv64.dbt.DbtEngine(h, new org.duvisor.rv64.exec.Interpreter(h)))) {
            var dbt = (org.duvisor.rv64.dbt.DbtEngine) p.engine();
            int[] status = {-1};
            Thread guest = Thread.ofPlatform().daemon().start(() -> status[0] = p.run());
            // Into translated code: the loop's region is entered once compiled (a racy read is enough here).
            for (int k = 0; k < 1000 && dbt.statistics().regionEntries == 0 && guest.isAlive(); k++) Thread.sleep(10);
            Thread.sleep(50);
            p.stop();
            guest.join(60_000);
            assertThat(guest.isAlive()).as("still spinning a minute after stop()").isFalse();
            assertThat(status[0]).isEqualTo(128 + 9);
        }
    }

    @Test
    void argvAndEnvironment() throws Exception {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("DVTEST_B", "second value");
        env.put("DVTEST_A", "first=value");
        env.put("PATH", "/usr/bin:/bin");
        env.put("DVTEST_UNICODE", "h\u00e9llo");
        Toolchain.Result r = compare(Toolchain.compile("args"), List.of("one", "two words", "", "th\u00efrd"), env,
                NO_INPUT);
        assertThat(r.stdout()).contains("argc=5\n", "argv[2]=two words\n", "envc=4", "env DVTEST_A=first=value\n",
                "getenv(DVTEST_B)=second value\n");
    }

    @Test
    void exitCodes() throws Exception {
        Path exe = Toolchain.compile("exitcode");
        assertThat(compare(exe, List.of("exit", "3"), Map.of(), NO_INPUT).exit()).isEqualTo(3);
        assertThat(compare(exe, List.of("return", "42"), Map.of(), NO_INPUT).exit()).isEqualTo(42);
        assertThat(compare(exe, List.of("_exit", "7"), Map.of(), NO_INPUT).exit()).isEqualTo(7);
        assertThat(compare(exe, List.of("exit", "300"), Map.of(), NO_INPUT).exit()).isEqualTo(300 & 0xFF);
        assertThat(compare(exe, List.of(), Map.of(), NO_INPUT).exit()).isEqualTo(99);
    }

    @Test
    void abortDiesOfSigabrt() throws Exception {
        Path exe = Toolchain.compile("exitcode");
        Toolchain.Result q = Toolchain.qemu(exe, List.of("abort", "0"), Map.of(), NO_INPUT);
        Toolchain.Result d = Toolchain.dv(exe, List.of("abort", "0"), Map.of(), NO_INPUT);
        assertThat(d.exit()).isEqualTo(128 + 6).isEqualTo(q.exit());
        assertThat(d.stdout()).isEqualTo(q.stdout());
        assertThat(d.stderr()).isEqualTo("dv: guest terminated by signal 6 (SIGABRT)\n");
    }

    @Test
    void readsAndWritesFiles() throws Exception {
        Path data = tmp.resolve("data.txt");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 300; i++) sb.append("line ").append(i).append(" of the test file\n");
        sb.append("the end\n");
        Files.writeString(data, sb);
        Path exe = Toolchain.compile("files");
        Toolchain.Result q = Toolchain.qemu(exe, List.of(data.toString(), tmp.resolve("q.out").toString()), Map.of(),
                NO_INPUT);
        Toolchain.Result d = Toolchain.dv(exe, List.of(data.toString(), tmp.resolve("d.out").toString()), Map.of(),
                NO_INPUT);
        assertSame(q, d);
        assertThat(d.stdout()).contains("size=" + Files.size(data), "missing: No such file or directory");
        assertThat(Files.readString(tmp.resolve("d.out"))).isEqualTo("written 12345\n");
    }

    @Test
    void listsDirectories() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("listing"));
        for (int i = 0; i < 150; i++) Files.writeString(dir.resolve("file-" + i + ".txt"), "x");
        Files.createDirectory(dir.resolve("subdir"));
        Toolchain.Result r = compare(Toolchain.compile("dirs"), List.of(dir.toString()), Map.of(), NO_INPUT);
        assertThat(r.stdout()).startsWith("153 entries\n.\n..\n");
    }

    /**
     * Translated loads and stores test a direct window into RAM before the TLB
     * ({@link AddressSpace#directWindow}): a loop translated before its buffer was mapped misses
     * its window and is translated again, and unmapping a windowed mapping discards all translated
     * code. Either way the program computes what it does under qemu.
     */
    @Test
    void translatedCodeFollowsTheAddressSpaceItsDirectWindowsCameFrom() throws Exception {
        Path exe = Toolchain.compile("late-buffer");
        Toolchain.Result q = Toolchain.qemu(exe, List.of(), Map.of(), NO_INPUT);
        var out = new java.io.ByteArrayOutputStream();
        var stdio = new LinuxProcess.Stdio(java.io.InputStream.nullInputStream(), out, java.io.OutputStream.nullOutputStream());
        try (LinuxProcess p = LinuxProcess.load(exe, List.of("late-buffer"), Map.of(), stdio,
                h -> new org.duvisor.rv64.dbt.DbtEngine(h, new org.duvisor.rv64.exec.Interpreter(h)))) {
            assertThat(p.run()).isEqualTo(q.exit()).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(q.stdout());
            var s = ((org.duvisor.rv64.dbt.DbtEngine) p.engine()).statistics();
            assertThat(s.directAccesses).isPositive();
            assertThat(s.retranslations).as("the loop translated before b was mapped").isPositive();
            // Each rounds() call runs as one region invocation (4 M loads of b); the region must
            // leave to be translated again once it has missed enough, not at the end of the call.
            assertThat(s.windowMisses).as("misses of the stale window")
                    .isLessThan(2 * org.duvisor.rv64.dbt.DbtEngine.WINDOW_MISS_LIMIT);
            assertThat(s.discards).as("munmap of a windowed mapping").isPositive();
        }
    }

    @Test
    void mallocBrkMmapAndMremap() throws Exception {
        Toolchain.Result r = compare(Toolchain.compile("malloc"), List.of(), Map.of(), NO_INPUT);
        assertThat(r.stdout()).contains("heap grew=1", "realloc kept=1 tail=7", "fixed same=1 zeroed=1 kept=1",
                "noreplace kept the old mapping=1", "mprotect=0", "munmap=0", "bad munmap=-1");
    }

    @Test
    void clocksAreSane() throws Exception {
        Toolchain.Result r = compare(Toolchain.compile("clock"), List.of(), Map.of(), NO_INPUT);
        assertThat(r.stdout()).contains("slept enough: 1", "time sane: 1", "gettimeofday sane: 1", "realtime sane: 1",
                "getres: 0 1", "clock_nanosleep enough: 1", "gmtime: 2023-11-14 22:13:20");
    }

    @Test
    void randomness() throws Exception {
        Toolchain.Result r = compare(Toolchain.compile("random"), List.of(), Map.of(), NO_INPUT);
        assertThat(r.stdout()).contains("getrandom 32 32 differ=1 nonzero=1", "AT_RANDOM present=1", "AT_PAGESZ=4096");
    }

    @Test
    void stdinPassesThrough() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 2000; i++) sb.append("input line ").append(i).append('\n');
        byte[] input = sb.toString().getBytes(StandardCharsets.UTF_8);
        Toolchain.Result r = compare(Toolchain.compile("stdin"), List.of(), Map.of(), input);
        assertThat(r.stdout()).endsWith("2000 lines, " + input.length + " bytes\n").startsWith("INPUT LINE 0\n");
    }

    @Test
    void nullPointerWriteIsSigsegv() throws Exception {
        Path exe = Toolchain.compile("segv");
        Toolchain.Result q = Toolchain.qemu(exe, List.of(), Map.of(), NO_INPUT);
        Toolchain.Result d = Toolchain.dv(exe, List.of(), Map.of(), NO_INPUT);
        assertThat(d.exit()).isEqualTo(139).isEqualTo(q.exit());
        assertThat(d.stdout()).isEqualTo(q.stdout()).isEqualTo("about to crash\n");
        assertThat(d.stderr()).matches(
                "dv: guest fault: store/AMO page fault at pc 0x[0-9a-f]+, address 0x8 \\(insn 0x[0-9a-f]{4,8}: s[dw] .*\\)\n");
    }

    @Test
    void illegalInstructionIsSigill() throws Exception {
        Path exe = Toolchain.compile("illegal");
        Toolchain.Result q = Toolchain.qemu(exe, List.of(), Map.of(), NO_INPUT);
        Toolchain.Result d = Toolchain.dv(exe, List.of(), Map.of(), NO_INPUT);
        assertThat(d.exit()).isEqualTo(132).isEqualTo(q.exit());
        assertThat(d.stdout()).isEqualTo(q.stdout());
        assertThat(d.stderr()).matches("dv: guest fault: illegal instruction at pc 0x[0-9a-f]+ \\(insn 0x0000: unimp\\)\n");
    }

    @Test
    void staticPieRelocatesItself() throws Exception {
        // The cross toolchain's glibc lacks static-pie support (no rcrt1.o), so this PIE is freestanding.
        Path exe = Toolchain.compile("pie", "-O2", "-ffreestanding", "-nostdlib", "-fPIE", "-static-pie",
                "-Wl,--no-dynamic-linker");
        ElfLoader.Image image = ElfLoader.read(exe);
        assertThat(image.type()).isEqualTo(ElfLoader.ET_DYN);
        assertThat(image.bias()).isEqualTo(AddressSpace.PIE_BASE);
        Toolchain.Result r = compare(exe, List.of("arg"), Map.of(), NO_INPUT);
        assertThat(r.stdout()).startsWith("static-pie: relocated pointer one\nstatic-pie: relocated pointer two\n");
        assertThat(r.exit()).isEqualTo(5);
    }

    @Test
    void signalHandlersFaultsAndMasks() throws Exception {
        Path exe = Toolchain.compile("signals");
        Toolchain.Result q = Toolchain.qemu(exe, List.of(), Map.of(), NO_INPUT);
        Toolchain.Result d = Toolchain.dv(exe, List.of(), Map.of(), NO_INPUT);
        assertThat(d.stdout()).isEqualTo(q.stdout());
        assertThat(d.exit()).isEqualTo(q.exit()).isEqualTo(128 + 15);
        assertThat(d.stdout()).contains("SIGSEGV caught: 1 at 0x1238", "SIGILL handled and resumed: 1 on altstack: 1 kept: 1234",
                "raise(SIGUSR1) ran the handler: 1", "unblocked: delivered: 1", "ignored SIGUSR2 survived");
        assertThat(d.stderr()).isEqualTo("dv: guest terminated by signal 15 (SIGTERM)\n");
    }

    @Test
    void descriptorsDirectoriesAndSystemInformation() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("work dir"));
        Toolchain.Result r = compare(Toolchain.compile("misc"), List.of(dir.toString()), Map.of(), NO_INPUT);
        assertThat(r.stdout()).contains("sysname=Linux machine=riscv64", "isatty: 0 0 0", "cwd now " + dir.toRealPath(),
                "pipe read=14 through a pipe", "EFAULT write: -1 Bad address");
        assertThat(dir.resolve("inside.txt")).doesNotExist();
    }

    @Test
    void unimplementedSyscallsAreReportedOnce() throws Exception {
        Path exe = Toolchain.compile("misc");
        Toolchain.Result d = Toolchain.dv(exe, List.of("unimplemented"), Map.of(), NO_INPUT);
        assertThat(d.stdout()).startsWith("-1 38 -1 -1 Function not implemented\n").contains("exe: " + exe.toAbsolutePath());
        assertThat(d.stderr()).isEqualTo("dv: unimplemented syscall 500\ndv: unimplemented syscall 0 (io_setup)\n");
        assertThat(d.exit()).isZero();
    }

    /** The real host descriptors: a child JVM with pipes as stdin/stdout/stderr, as a user would run it. */
    @Test
    void hostDescriptorsInAChildJvm() throws Exception {
        Path exe = Toolchain.compile("stdin");
        Toolchain.assumeQemu();
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), LinuxProcess.class.getName(), exe.toString()));
        byte[] input = "piped\ninto the guest\n".getBytes(StandardCharsets.UTF_8);
        Toolchain.Result d = Toolchain.exec(cmd, Map.of(), input, null);
        Toolchain.Result q = Toolchain.qemu(exe, List.of(), Map.of(), input);
        assertThat(d.stdout()).isEqualTo(q.stdout()).isEqualTo("PIPED\nINTO THE GUEST\n2 lines, 21 bytes\n");
        assertThat(d.exit()).isZero();
    }
}
