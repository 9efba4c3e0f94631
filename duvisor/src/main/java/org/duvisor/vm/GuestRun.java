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

    /** Runs {@code guest} with {@code vcpus} vCPUs and {@code guestBytes} of RAM on {@code plane}. */
    public static GuestRun of(Path guest, VirtualMachine.Plane plane, int vcpus, long guestBytes,
                              Function<Hart, ExecutionEngine> engines, PrintStream log) throws BootException, InterruptedException {
        return of(guest, VirtualMachine.Config.of(plane, guestBytes, vcpus), engines, log);
    }

    /** Runs {@code guest} in a VM made as {@code config} says, alone on a fresh host. */
    public static GuestRun of(Path guest, VirtualMachine.Config config, Function<Hart, ExecutionEngine> engines, PrintStream log)
            throws BootException, InterruptedException {
        try (Prepared p = prepare(guest, config, engines, log)) {
            return p.run();
        }
    }

    /**
     * A fresh host with the VM made and the guest loaded, not yet started: {@link Prepared#run} then
     * runs only the VM, so a benchmark can leave the host's construction out of what it times.
     */
    public static Prepared prepare(Path guest, VirtualMachine.Config config, Function<Hart, ExecutionEngine> engines, PrintStream log)
            throws BootException {
        long guestBytes = config.guestBytes();
        int harts = java.util.Collections.max(config.hostHarts()) + 1;
        HostMachine host = new HostMachine(harts, guestBytes + (64L << 20), engines);
        VirtualMachine vm = null;
        try {
            ByteArrayOutputStream console = new ByteArrayOutputStream();
            vm = new VirtualMachine(host, new ControlPlane(host, HostMachine.RAM_BASE + (16L << 20)), config, console, log);
            long entry = vm.load(KernelImage.read(guest, VirtualMachine.GUEST_RAM_BASE, guestBytes));
            return new Prepared(host, vm, entry, console);
        } catch (BootException | RuntimeException e) {
            if (vm != null) vm.close();
            host.close();
            throw e;
        }
    }

    /** A loaded guest in its VM on its own host; closing releases the VM's disks and the host's memory. */
    public static final class Prepared implements AutoCloseable {
        private final HostMachine host;
        private final VirtualMachine vm;
        private final long entry;
        private final ByteArrayOutputStream console;

        private Prepared(HostMachine host, VirtualMachine vm, long entry, ByteArrayOutputStream console) {
            this.host = host;
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
            return new GuestRun(code, text, nanos, vm, vm.control);
        }

        @Override
        public void close() {
            try {
                vm.close();
            } finally {
                host.close();
            }
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
