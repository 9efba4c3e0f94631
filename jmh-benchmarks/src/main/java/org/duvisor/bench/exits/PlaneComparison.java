package org.duvisor.bench.exits;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.duvisor.rv64.dbt.DbtEngine;
import org.duvisor.rv64.exec.Interpreter;
import org.duvisor.vm.GuestRun;
import org.duvisor.vm.VirtualMachine;
import org.duvisor.workloads.WorkloadCatalogue;

/**
 * The paper's exit microbenchmarks on both planes, side by side in one run: each VM-plane guest
 * (workloads/guests/mb-*: 10^6 hypercalls, 16384 page faults, 10^6 MMIO reads, 10^5 IPIs, 10^5 device interrupts) is run on DuVisor and on the KVM baseline, alternating, for N rounds;
 * per microbenchmark it prints the median nanoseconds per operation on each plane, their ratio,
 * the cycle-model estimate per operation (from the ledger, {@link CycleModel}) and the paper's
 * cycle figures (kvm-plane.md). Usage: {@code PlaneComparison [--rounds N] [--interp]}.
 */
public final class PlaneComparison {
    private record Micro(String guest, String name, int vcpus, long paperKvm, long paperDuvisor) {
    }

    private static final List<Micro> MICROS = List.of(
            new Micro("mb-hypercall", "null hypercall", 1, 618, 214),
            new Micro("mb-gstage", "G-stage page fault", 1, 6344, 694),
            new Micro("mb-mmio", "MMIO (user-space device)", 1, 4758, 494),
            new Micro("mb-vipi", "virtual IPI", 2, 4692, 147),
            new Micro("mb-vext", "virtual external interrupt", 1, 4084, 184));

    private record Result(double nanosPerOp, double cyclesPerOp) {
    }

    public static void main(String[] args) throws Exception {
        int rounds = 5;
        boolean interp = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--interp" -> interp = true;
                case "--help", "-h" -> {
                    System.out.println("usage: PlaneComparison [--rounds N] [--interp]\n"
                            + "Runs workloads/guests/mb-* on the DuVisor and KVM planes alternately; prints median ns/op, ratios,\n"
                            + "cycle-model estimates and the paper's cycle figures. --interp: interpreter only (default: translator).");
                    return;
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (try --help)");
            }
        }
        WorkloadCatalogue c = WorkloadCatalogue.load(WorkloadCatalogue.findProjectRoot());
        Path guests = c.workloadsDir().resolve("guests");
        c.build("guests"); // make rebuilds what changed: a guest older than its source could hang a plane
        System.out.printf("%-26s %12s %12s %9s %13s %13s %9s %11s %11s%n", "microbenchmark", "duvisor ns", "kvm ns", "kvm/duv",
                "duvisor cyc*", "kvm cyc*", "kvm/duv", "paper duv", "paper kvm");
        for (Micro m : MICROS) {
            double[] dNs = new double[rounds], kNs = new double[rounds];
            double dCyc = 0, kCyc = 0;
            for (int r = 0; r < rounds; r++) {
                Result d = run(guests.resolve(m.guest() + ".elf"), VirtualMachine.Plane.DUVISOR, m.vcpus(), interp);
                Result k = run(guests.resolve(m.guest() + ".elf"), VirtualMachine.Plane.KVM, m.vcpus(), interp);
                dNs[r] = d.nanosPerOp();
                kNs[r] = k.nanosPerOp();
                dCyc = d.cyclesPerOp();
                kCyc = k.cyclesPerOp();
            }
            double dn = median(dNs), kn = median(kNs);
            System.out.printf("%-26s %12.1f %12.1f %9.2f %13.0f %13.0f %9.2f %11d %11d%n", m.name(), dn, kn, kn / dn, dCyc, kCyc, kCyc / dCyc,
                    m.paperDuvisor(), m.paperKvm());
        }
        System.out.println("* cycle model: org.duvisor.vm.CycleModel (instruction counts of each exit-path step; not fitted).");
        System.out.println("  ns/op: wall time of the whole guest run divided by its operation count (guest loop included, equal on both planes).");
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static Result run(Path guest, VirtualMachine.Plane plane, int vcpus, boolean interp) throws Exception {
        GuestRun r = GuestRun.of(guest, plane, vcpus, 128L << 20,
                interp ? Interpreter::new : h -> new DbtEngine(h, new Interpreter(h)), new PrintStream(System.err, true));
        long ops = r.operations();
        if (r.exitCode() != 0 || ops <= 0) throw new IllegalStateException(guest + " on " + plane + " failed (exit " + r.exitCode() + "): " + r.console());
        return new Result((double) r.nanos() / ops, (double) r.modelCycles() / ops);
    }

    private PlaneComparison() {
    }

    static List<String> names() {
        List<String> out = new ArrayList<>();
        for (Micro m : MICROS) out.add(m.guest());
        return out;
    }
}
