package org.duvisor.vm;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.duvisor.machine.BootException;
import org.duvisor.machine.KernelImage;
import org.duvisor.rv64.exec.ExecutionEngine;
import org.duvisor.rv64.hart.Hart;

/**
 * One run of a VM-plane guest on a fresh host, start to power-off, with what the benchmarks,
 * the demo and the tests need from it: exit code, console text, wall time, the VM (its ledgers)
 * and the control plane (its entry counts), and the operation count a microbenchmark guest
 * reports ("DV-MB name N").
 */
public record GuestRun(int exitCode, String console, long nanos, VirtualMachine vm, ControlPlane control) {
    private static final Pattern COUNT = Pattern.compile("DV-MB \\S+ (\\d+)");

    /** Runs {@code guest} with {@code vcpus} vCPUs and {@code guestBytes} of RAM on {@code plane}, vanilla interrupts. */
    public static GuestRun of(Path guest, VirtualMachine.Plane plane, int vcpus, long guestBytes,
                              Function<Hart, ExecutionEngine> engines, PrintStream log) throws BootException, InterruptedException {
        return of(guest, plane, VirtualMachine.InterruptConfig.VANILLA, vcpus, guestBytes, engines, log);
    }

    /** The same with the interrupt configuration chosen. */
    public static GuestRun of(Path guest, VirtualMachine.Plane plane, VirtualMachine.InterruptConfig interrupts, int vcpus, long guestBytes,
                              Function<Hart, ExecutionEngine> engines, PrintStream log) throws BootException, InterruptedException {
        try (Prepared p = prepare(guest, plane, interrupts, vcpus, guestBytes, engines, log)) {
            return p.run();
        }
    }

    /**
     * A fresh host with the guest loaded, not yet started: {@link Prepared#run} then runs only the
     * VM, so a benchmark can leave the host's construction out of what it times.
     */
    public static Prepared prepare(Path guest, VirtualMachine.Plane plane, VirtualMachine.InterruptConfig interrupts, int vcpus,
                                   long guestBytes, Function<Hart, ExecutionEngine> engines, PrintStream log) throws BootException {
        HostMachine host = new HostMachine(vcpus, guestBytes + (64L << 20), engines);
        try {
            ControlPlane control = new ControlPlane(host, HostMachine.RAM_BASE + (16L << 20));
            ByteArrayOutputStream console = new ByteArrayOutputStream();
            VirtualMachine vm = new VirtualMachine(plane, interrupts, host, control, guestBytes, vcpus, 0, console, log);
            long entry = vm.load(KernelImage.read(guest, VirtualMachine.GUEST_RAM_BASE, guestBytes));
            return new Prepared(host, control, vm, entry, console);
        } catch (BootException | RuntimeException e) {
            host.close();
            throw e;
        }
    }

    /** A loaded guest on its own host; closing releases the host's memory. */
    public static final class Prepared implements AutoCloseable {
        private final HostMachine host;
        private final ControlPlane control;
        private final VirtualMachine vm;
        private final long entry;
        private final ByteArrayOutputStream console;

        private Prepared(HostMachine host, ControlPlane control, VirtualMachine vm, long entry, ByteArrayOutputStream console) {
            this.host = host;
            this.control = control;
            this.vm = vm;
            this.entry = entry;
            this.console = console;
        }

        /** Runs the VM until the guest powers off (once). */
        public GuestRun run() throws InterruptedException {
            long t0 = System.nanoTime();
            int code = vm.run(entry);
            long nanos = System.nanoTime() - t0;
            String text;
            synchronized (console) {
                text = console.toString(StandardCharsets.UTF_8);
            }
            return new GuestRun(code, text, nanos, vm, control);
        }

        @Override
        public void close() {
            host.close();
        }
    }

    /** The count a microbenchmark guest printed, or -1. */
    public long operations() {
        Matcher m = COUNT.matcher(console);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    public ExitLedger ledger(int vcpu) {
        return vm.vcpus().get(vcpu).ledger();
    }

    /** The cycle-model estimate summed over every vCPU. */
    public long modelCycles() {
        long cycles = 0;
        for (VirtualCpu v : vm.vcpus()) cycles += CycleModel.cycles(v.ledger());
        return cycles;
    }
}
