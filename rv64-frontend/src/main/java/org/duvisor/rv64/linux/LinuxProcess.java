package org.duvisor.rv64.linux;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.duvisor.dbt.cache.WarmupMeter;
import org.duvisor.rv64.exec.ExecutionEngine;
import org.duvisor.rv64.exec.Interpreter;
import org.duvisor.rv64.hart.Cause;
import org.duvisor.rv64.hart.Hart;
import org.duvisor.rv64.hart.Privilege;
import org.duvisor.rv64.isa.Decoder;
import org.duvisor.rv64.isa.Disassembler;

/**
 * Runs a static RISC-V Linux executable as a user-mode process: loads it into a fresh
 * {@link AddressSpace}, builds the initial stack (argc, argv, envp, auxv), and runs the hart,
 * performing system calls on ECALL. Another trap ends the process the way the matching signal
 * would (exit status 128 + signal number) after a message on stderr naming the fault.
 *
 * <p>A process reserves 64 GiB of (uncommitted) host address space; {@link #close} returns it.
 */
public final class LinuxProcess implements AutoCloseable {
    /** Instructions per engine call between checks for interruption. */
    private static final long BUDGET = 1L << 22;
    private static final int TLB_ENTRIES = 1 << 16;

    /** Where the guest's descriptors 0-2 go; a null stream means the host's own descriptor. */
    public record Stdio(InputStream in, OutputStream out, OutputStream err) {
        public static final Stdio HOST = new Stdio(null, null, null);
    }

    private final Path executable;
    private final Stdio stdio;
    private final AddressSpace as;
    private final Hart hart;
    private final ExecutionEngine engine;
    private final Syscalls syscalls;
    private final Signals signals = new Signals();
    private PrintStream trace;
    private boolean finished;
    private int exitStatus;
    private long wallNanos;
    private long syscallCount;
    private WarmupMeter warmup = new WarmupMeter(System.nanoTime(), 0);
    private volatile boolean stopRequested;

    private LinuxProcess(Path executable, Stdio stdio, ElfLoader.Image image, List<String> argv,
                         Map<String, String> env, Function<Hart, ExecutionEngine> engines) {
        this.executable = executable;
        this.stdio = stdio;
        this.as = new AddressSpace(TLB_ENTRIES);
        boolean ok = false;
        try {
            hart = new Hart(0, as.tlb());
            hart.privilege = Privilege.USER;
            as.attach(hart);
            engine = engines.apply(hart);
            as.onCodeChange(engine::flushCode);
            as.onWindowRevoked(engine::discardTranslations);
            image.loadInto(as);
            hart.pc = image.entry();
            hart.x[2] = buildStack(image, argv, env);
            as.map(Signals.TRAMPOLINE, AddressSpace.PAGE, AddressSpace.R | AddressSpace.X);
            for (int k = 0; k < Signals.TRAMPOLINE_CODE.length; k++) {
                as.putInt(Signals.TRAMPOLINE + 4L * k, Signals.TRAMPOLINE_CODE[k]);
            }
            syscalls = new Syscalls(this, as, signals);
            syscalls.fds.add(stdio.in() == null ? new GuestFile.Host(0) : new GuestFile.Stream(stdio.in(), null), 0, false);
            syscalls.fds.add(stdio.out() == null ? new GuestFile.Host(1) : new GuestFile.Stream(null, stdio.out()), 1, false);
            syscalls.fds.add(stdio.err() == null ? new GuestFile.Host(2) : new GuestFile.Stream(null, stdio.err()), 2, false);
            ok = true;
        } finally {
            if (!ok) as.close();
        }
    }

    /** Loads {@code elf} with the host's stdin/stdout/stderr, run by the interpreter. */
    public static LinuxProcess load(Path elf, List<String> argv, Map<String, String> env)
            throws IOException, BadElfException {
        return load(elf, argv, env, Stdio.HOST, Interpreter::new);
    }

    /**
     * Loads {@code elf}; {@code argv} includes argv[0] (the path if empty); {@code env} in the
     * order the guest should see it.
     */
    public static LinuxProcess load(Path elf, List<String> argv, Map<String, String> env, Stdio stdio,
                                    Function<Hart, ExecutionEngine> engines) throws IOException, BadElfException {
        ElfLoader.Image image = ElfLoader.read(elf);
        List<String> args = argv.isEmpty() ? List.of(elf.toString()) : argv;
        return new LinuxProcess(elf.toAbsolutePath(), stdio, image, args, env, engines);
    }

    /** Prints every system call and its result to {@code out} (null: off). */
    public void trace(PrintStream out) {
        this.trace = out;
    }

    public Hart hart() {
        return hart;
    }

    /** The execution engine (for its statistics). */
    public ExecutionEngine engine() {
        return engine;
    }

    public AddressSpace addressSpace() {
        return as;
    }

    Path executable() {
        return executable;
    }

    /** Instructions the guest retired so far. */
    public long instructionsRetired() {
        return hart.instret;
    }

    /** Wall-clock nanoseconds spent in {@link #run}. */
    public long wallNanos() {
        return wallNanos;
    }

    /** Peak rate and time to 50 % / 90 % of it during the last {@link #run}; null for very short runs. */
    public WarmupMeter.Report warmup() {
        return warmup.report();
    }

    public long syscallCount() {
        return syscallCount;
    }

    /** A one-line summary for {@code --stats}. */
    public String stats() {
        double s = wallNanos / 1e9;
        return String.format("dv: %d instructions, %d syscalls in %.3f s (%.1f MIPS)", hart.instret, syscallCount,
                s, s > 0 ? hart.instret / s / 1e6 : 0.0);
    }

    /** Runs the guest to its end; returns its exit status (128 + signal if a signal ended it). */
    public int run() {
        long t0 = System.nanoTime();
        warmup = new WarmupMeter(t0, hart.instret);
        try {
            while (!finished) {
                engine.run(BUDGET);
                warmup.sample(System.nanoTime(), hart.instret);
                if (stopRequested || Thread.currentThread().isInterrupted()) {
                    diagnostic((stopRequested ? "stopped" : "interrupted") + " at pc 0x" + Long.toHexString(hart.pc));
                    finish(128 + 9);
                    break;
                }
                if (!hart.trapPending) continue;
                if (hart.trapCause == Cause.ECALL_FROM_U) {
                    hart.clearTrap();
                    syscallCount++;
                    long nr = hart.x[17];
                    long r = syscalls.dispatch(hart);
                    if (trace != null) traceCall(nr, r);
                    if (finished) break;
                    if (!syscalls.takeContextRestored()) {
                        hart.x[10] = r;
                        hart.pc += 4;
                        hart.instret++;
                    }
                    if (signals.pending != 0) deliverPending();
                } else {
                    fault();
                }
            }
        } finally {
            wallNanos += System.nanoTime() - t0;
            flushStdio();
        }
        return exitStatus;
    }

    /**
     * Asks the running guest to stop, from any thread: {@link #run} returns 128 + SIGKILL once the
     * guest reaches a back-edge of translated code, a block end or a system call. (An interrupt of
     * the running thread is seen only between engine calls, which translated code looping in one
     * region does not make: a user-mode process has no periodic exit, because the first exit a
     * back-edge takes in C2-compiled code costs a deoptimisation.)
     */
    public void stop() {
        stopRequested = true;
        hart.exitRequest = 1;
    }

    public boolean finished() {
        return finished;
    }

    public int exitStatus() {
        return exitStatus;
    }

    @Override
    public void close() {
        if (syscalls != null) syscalls.close();
        as.close();
    }

    // ---- used by the system calls ----

    void exit(int status) {
        finish(status);
    }

    /** The guest dies of signal {@code sig}. */
    void killedBy(int sig) {
        if (sig != Syscalls.SIGPIPE && sig != Syscalls.SIGKILL) {
            diagnostic("guest terminated by signal " + sig + " (" + signalName(sig) + ")");
        }
        finish(128 + sig);
    }

    void flushCode() {
        engine.flushCode();
    }

    /** A message from the emulator on stderr ("dv: ..."), ordered after the guest's own output. */
    void diagnostic(String message) {
        String line = "dv: " + message;
        if (stdio.err() == null) {
            System.out.flush();
            System.err.println(line);
            System.err.flush();
        } else {
            try {
                stdio.err().write((line + "\n").getBytes(StandardCharsets.UTF_8));
                stdio.err().flush();
            } catch (IOException ignored) {
                // nowhere left to report to
            }
        }
    }

    private void finish(int status) {
        finished = true;
        exitStatus = status;
    }

    private void flushStdio() {
        try {
            if (stdio.out() != null) stdio.out().flush();
            if (stdio.err() != null) stdio.err().flush();
        } catch (IOException ignored) {
            // the guest's output is gone either way
        }
    }

    private void traceCall(long nr, long r) {
        String name = SyscallNames.name(nr);
        long[] x = hart.x;
        trace.printf("[dv] %s(0x%x, 0x%x, 0x%x, 0x%x, 0x%x, 0x%x) = %s%n", name != null ? name : "syscall_" + nr,
                x[10], x[11], x[12], x[13], x[14], x[15], r < 0 && r > -4096 ? "-errno " + -r : "0x" + Long.toHexString(r));
    }

    // ---- signals and faults ----

    /** Delivers pending, unblocked signals: runs into a handler, or ends the process. */
    private void deliverPending() {
        int sig;
        while (!finished && (sig = signals.take()) != 0) {
            switch (signals.action(sig)) {
                case IGNORE -> { }
                case TERMINATE -> killedBy(sig);
                case HANDLE -> {
                    if (!signals.deliver(hart, as, sig, signals.pendingCode(sig), signals.pendingValue(sig), HostOs.id(0))) {
                        diagnostic("cannot write the frame for signal " + sig + " at sp 0x" + Long.toHexString(hart.x[2]));
                        killedBy(Signals.SIGSEGV);
                    }
                    return;
                }
            }
        }
    }

    private void fault() {
        long cause = hart.trapCause;
        long pc = hart.pc;
        int sig = switch ((int) cause) {
            case Cause.ILLEGAL_INSTRUCTION -> Signals.SIGILL;
            case Cause.BREAKPOINT -> Signals.SIGTRAP;
            case Cause.INSTRUCTION_MISALIGNED, Cause.LOAD_MISALIGNED, Cause.STORE_MISALIGNED -> Signals.SIGBUS;
            default -> Signals.SIGSEGV;
        };
        // A handler that is installed and not blocked runs; otherwise the fault is fatal, as force_sig_fault makes it.
        if (signals.action(sig) == Signals.Action.HANDLE && (signals.blocked & Signals.bit(sig)) == 0) {
            long value = sig == Signals.SIGILL || sig == Signals.SIGTRAP ? pc : hart.trapValue;
            int code = sig == Signals.SIGSEGV && (as.perm(hart.trapValue) & AddressSpace.MAPPED) != 0 ? 2 : 1;
            hart.clearTrap();
            if (signals.deliver(hart, as, sig, code, value, 0)) return;
            hart.raise((int) cause, value);
        }
        StringBuilder sb = new StringBuilder("guest fault: ").append(Cause.name(cause))
                .append(" at pc 0x").append(Long.toHexString(pc));
        boolean memory = switch ((int) cause) {
            case Cause.ILLEGAL_INSTRUCTION, Cause.BREAKPOINT -> false;
            default -> true;
        };
        if (memory) sb.append(", address 0x").append(Long.toHexString(hart.trapValue));
        String insn = describeInstruction(pc);
        if (insn != null) sb.append(" (").append(insn).append(')');
        diagnostic(sb.toString());
        hart.clearTrap();
        finish(128 + sig);
    }

    /** "insn 0x00a53423: sd a0,8(a0)" for the instruction at {@code pc}, or null if pc is not executable. */
    private String describeInstruction(long pc) {
        if ((as.perm(pc) & AddressSpace.X) == 0 || (pc & 1) != 0) return null;
        int low = (as.getByte(pc) & 0xFF) | (as.getByte(pc + 1) & 0xFF) << 8;
        int word = low;
        if (Decoder.length(low) == 4) {
            if ((as.perm(pc + 2) & AddressSpace.X) == 0) return String.format("insn 0x%04x...", low);
            word |= ((as.getByte(pc + 2) & 0xFF) | (as.getByte(pc + 3) & 0xFF) << 8) << 16;
        }
        String hex = Decoder.length(low) == 4 ? String.format("insn 0x%08x", word) : String.format("insn 0x%04x", low);
        return hex + ": " + Disassembler.format(word, pc).replace('\t', ' ');
    }

    static String signalName(int sig) {
        String[] names = {"0", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE",
                "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD",
                "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM",
                "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS"};
        return sig > 0 && sig < names.length ? names[sig] : sig >= 32 && sig <= 64 ? "SIGRT" + (sig - 32) : "?";
    }

    // ---- initial stack (System V ABI, "Process Initialization"; RISC-V Linux uses the same layout) ----

    static final int AT_NULL = 0, AT_PHDR = 3, AT_PHENT = 4, AT_PHNUM = 5, AT_PAGESZ = 6, AT_BASE = 7,
            AT_FLAGS = 8, AT_ENTRY = 9, AT_UID = 11, AT_EUID = 12, AT_GID = 13, AT_EGID = 14,
            AT_PLATFORM = 15, AT_HWCAP = 16, AT_CLKTCK = 17, AT_SECURE = 23, AT_RANDOM = 25, AT_EXECFN = 31;
    /** AT_HWCAP: one bit per single-letter extension, bit ('X' - 'A'): RV64IMAFDC. */
    static final long HWCAP = hwcap("IMAFDC");

    static long hwcap(String letters) {
        long v = 0;
        for (char c : letters.toCharArray()) v |= 1L << (c - 'A');
        return v;
    }

    private long buildStack(ElfLoader.Image image, List<String> argv, Map<String, String> env) {
        long bottom = AddressSpace.STACK_TOP - AddressSpace.STACK_SIZE;
        as.map(bottom, AddressSpace.STACK_SIZE,
                AddressSpace.R | AddressSpace.W | (image.executableStack() ? AddressSpace.X : 0));
        long limit = bottom + AddressSpace.STACK_SIZE / 4 * 3; // arguments may use a quarter of the stack
        long p = AddressSpace.STACK_TOP;
        p = pushString(p, executable.toString());
        long execfn = p;
        long[] envp = new long[env.size()];
        int k = 0;
        List<String> envStrings = new ArrayList<>();
        env.forEach((name, value) -> envStrings.add(name + "=" + value));
        for (int e = envStrings.size() - 1; e >= 0; e--) {
            p = pushString(p, envStrings.get(e));
            envp[e] = p;
            if (p < limit) throw new IllegalArgumentException("argument list too long");
        }
        long[] args = new long[argv.size()];
        for (int a = argv.size() - 1; a >= 0; a--) {
            p = pushString(p, argv.get(a));
            args[a] = p;
            if (p < limit) throw new IllegalArgumentException("argument list too long");
        }
        p = pushString(p, "riscv64");
        long platform = p;
        p = (p - 16) & ~15L;
        long random = p;
        byte[] seed = new byte[16];
        new SecureRandom().nextBytes(seed);
        as.putBytes(random, seed, 0, 16);
        long phdr = image.phdr();
        if (phdr == 0) { // no segment loads the program headers: give the guest a copy
            byte[] ph = image.programHeaders();
            p = (p - ph.length) & ~15L;
            as.putBytes(p, ph, 0, ph.length);
            phdr = p;
        }
        Map<Integer, Long> aux = new LinkedHashMap<>();
        aux.put(AT_PHDR, phdr);
        aux.put(AT_PHENT, (long) ElfLoader.PHDR_SIZE);
        aux.put(AT_PHNUM, (long) image.phnum());
        aux.put(AT_PAGESZ, AddressSpace.PAGE);
        aux.put(AT_BASE, 0L);
        aux.put(AT_FLAGS, 0L);
        aux.put(AT_ENTRY, image.entry());
        aux.put(AT_UID, HostOs.id(0));
        aux.put(AT_EUID, HostOs.id(1));
        aux.put(AT_GID, HostOs.id(2));
        aux.put(AT_EGID, HostOs.id(3));
        aux.put(AT_SECURE, 0L);
        aux.put(AT_RANDOM, random);
        aux.put(AT_HWCAP, HWCAP);
        aux.put(AT_CLKTCK, 100L);
        aux.put(AT_PLATFORM, platform);
        aux.put(AT_EXECFN, execfn);
        long words = 1 + args.length + 1 + envp.length + 1 + 2L * (aux.size() + 1);
        long sp = (p - words * 8) & ~15L;
        long w = sp;
        as.putLong(w, args.length);
        w += 8;
        for (long a : args) {
            as.putLong(w, a);
            w += 8;
        }
        as.putLong(w, 0);
        w += 8;
        for (long e : envp) {
            as.putLong(w, e);
            w += 8;
        }
        as.putLong(w, 0);
        w += 8;
        for (Map.Entry<Integer, Long> e : aux.entrySet()) {
            as.putLong(w, e.getKey());
            as.putLong(w + 8, e.getValue());
            w += 16;
        }
        as.putLong(w, AT_NULL);
        as.putLong(w + 8, 0);
        return sp;
    }

    private long pushString(long top, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        long at = top - b.length - 1;
        as.putBytes(at, b, 0, b.length);
        as.putByte(at + b.length, (byte) 0);
        return at;
    }

    // ---- command line (for tests and quick use; the dv CLI has its own) ----

    /** {@code [--stats] [--strace] program [args...]}: runs program with the host environment. */
    public static void main(String[] args) {
        int i = 0;
        boolean stats = false, strace = false;
        for (; i < args.length && args[i].startsWith("--"); i++) {
            switch (args[i]) {
                case "--stats" -> stats = true;
                case "--strace" -> strace = true;
                default -> {
                    System.err.println("dv: unknown option " + args[i]);
                    System.exit(2);
                }
            }
        }
        if (i >= args.length) {
            System.err.println("usage: LinuxProcess [--stats] [--strace] program [args...]");
            System.exit(2);
        }
        Path program = Path.of(args[i]);
        if (!Files.isRegularFile(program)) {
            System.err.println("dv: " + program + ": no such file");
            System.exit(127);
        }
        List<String> argv = List.of(args).subList(i, args.length);
        int status;
        try (LinuxProcess p = load(program, argv, new LinkedHashMap<>(System.getenv()))) {
            if (strace) p.trace(System.err);
            status = p.run();
            if (stats) {
                System.out.flush();
                System.err.println(p.stats());
            }
        } catch (BadElfException e) {
            System.err.println("dv: " + program + ": " + e.getMessage());
            status = 126;
        } catch (IOException e) {
            System.err.println("dv: " + program + ": " + e.getMessage());
            status = 126;
        }
        System.exit(status);
    }
}
