package org.duvisor.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.duvisor.machine.BootException;
import org.duvisor.machine.KernelImage;
import org.duvisor.machine.MachineConfig;
import org.duvisor.vm.ControlPlane;
import org.duvisor.vm.VirtualCpu;
import org.duvisor.vm.VirtualMachine;
import org.duvisor.vm.HostMachine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dv vm}: a guest run by a hypervisor plane on an emulated host with H and DV-Ext. */
@Command(name = "vm", mixinStandardHelpOptions = true,
        description = {
                "Runs a bare-metal guest (an ELF linked at guest-physical 0x80000000,",
                "entered in VS-mode; see workloads/guests) under a hypervisor plane on an",
                "emulated RV64 host with the H extension and DV-Ext.",
                "  duvisor  the user-level hypervisor in HU-mode handles every exit in Java",
                "           (SBI, lazy G-stage mapping, MMIO, WFI); device interrupts are",
                "           posted through the host's vPLIC; the host kernel is never",
                "           entered while the VM runs.",
                "  kvm      the KVM-structured baseline: traps to HS, world switch, SBI,",
                "           G-stage and WFI in the kernel, MMIO through a user-space VMM.",
                "Devices as on QEMU's virt board: a 16550 UART at 0x10000000, the PLIC at",
                "0xc000000, virtio-mmio at 0x10001000 + 0x1000*i (the disks, then an",
                "entropy source).",
                "Interrupts on the kvm plane (--kvm-irq): vanilla = host timer and host",
                "IPIs that exit, the VMM's PLIC with MMIO exits for claim and complete;",
                "opt = the exit-less virtual timer, vIPI and vPLIC hardware DuVisor uses.",
                "The exit code is the guest's."})
public final class VmCommand implements Callable<Integer> {
    @Option(names = "--plane", defaultValue = "duvisor", paramLabel = "PLANE", description = "duvisor (default) or kvm.")
    String plane;

    @Option(names = "--kernel", required = true, paramLabel = "FILE", description = "The guest ELF.")
    Path kernel;

    @Option(names = "--smp", defaultValue = "1", paramLabel = "N", description = "vCPUs, 1-8 (default: ${DEFAULT-VALUE}).")
    int smp;

    @Option(names = "--mem", defaultValue = "128", paramLabel = "MiB", description = "Guest RAM in MiB (default: ${DEFAULT-VALUE}).")
    long mem;

    @Option(names = "--mode", defaultValue = "dbt", description = "interp or dbt (default).")
    String mode;

    @Option(names = "--disk", paramLabel = "FILE[,ro]", description = "Raw disk image as virtio-blk (repeatable, up to 6; ',ro' for read-only).")
    List<String> disks = new ArrayList<>();

    @Option(names = "--kvm-irq", paramLabel = "CONFIG",
            description = "vanilla (default) or opt: the kvm plane's interrupt configuration.")
    String kvmIrq;

    @Option(names = "--exitless-vipi",
            description = "duvisor plane: take virtual IPIs exit-less (vcpuid.EL: VSSIP in the target, no USI exit; guests may post them themselves).")
    boolean exitlessVipi;

    @Option(names = "--stats", description = "Print exits by cause, crossings, host-kernel entries and the cycle-model estimate per vCPU at the end.")
    boolean stats;

    @Override
    public Integer call() throws Exception {
        EngineMode engine = RunCommand.parseMode(mode);
        if (engine == EngineMode.LOCKSTEP) throw new UserError("--mode lockstep is not available for VM planes", 2);
        VirtualMachine.Plane p = switch (plane) {
            case "duvisor" -> VirtualMachine.Plane.DUVISOR;
            case "kvm" -> VirtualMachine.Plane.KVM;
            default -> throw new UserError("unknown --plane '" + plane + "' (duvisor or kvm)", 2);
        };
        VirtualMachine.InterruptConfig interrupts = interrupts(p);
        if (smp < 1 || smp > 8) throw new UserError("--smp must be 1 to 8", 2);
        if (mem < 1 || mem > 4096) throw new UserError("--mem must be 1 to 4096 MiB", 2);
        long guestBytes = mem << 20;
        KernelImage image;
        try {
            image = KernelImage.read(kernel, VirtualMachine.GUEST_RAM_BASE, guestBytes);
        } catch (BootException e) {
            throw new UserError(e.getMessage(), 2);
        }
        List<MachineConfig.Disk> diskList = new ArrayList<>();
        for (String d : disks) diskList.add(MachineConfig.Disk.parse(d));
        VirtualMachine.Config config = VirtualMachine.Config.of(p, guestBytes, smp).withDisks(diskList).withInterrupts(interrupts);
        OutputStream console = new FileOutputStream(FileDescriptor.out);
        // Host RAM: the guest's pinned memory plus 64 MiB for the host kernel and DuVisor's tables.
        try (HostMachine host = new HostMachine(smp, guestBytes + (64L << 20), engine.factory());
             VirtualMachine vm = newVm(host, config, console)) {
            ControlPlane control = vm.control();
            long entry;
            try {
                entry = vm.load(image);
            } catch (BootException e) {
                throw new UserError(e.getMessage(), 2);
            }
            long t0 = System.nanoTime();
            int code = vm.run(entry);
            double seconds = (System.nanoTime() - t0) / 1e9;
            console.flush();
            if (stats) {
                System.err.printf("dv-stats: plane=" + plane + " interrupts=" + interrupts.name().toLowerCase() + " seconds=%.6f control-plane-setup-entries=%d host-kernel-entries-at-runtime=%d%n", seconds,
                        control.setupEntries.get(), control.runtimeEntries.get());
                for (VirtualCpu v : vm.vcpus()) {
                    String prefix = "dv-stats: vcpu " + vm.vcpus().indexOf(v) + ": ";
                    v.ledger().print(System.err, prefix);
                    System.err.printf("%scycle-model-estimate=%d%n", prefix, org.duvisor.vm.CycleModel.cycles(v.ledger()));
                }
            }
            return code;
        }
    }

    private static VirtualMachine newVm(HostMachine host, VirtualMachine.Config config, OutputStream console) {
        try {
            return new VirtualMachine(host, new ControlPlane(host, HostMachine.RAM_BASE + (16L << 20)), config, console, System.err);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage(), 2);
        }
    }

    /**
     * The interrupt configuration: --kvm-irq on the kvm plane, --exitless-vipi on duvisor (whose
     * timer and device interrupts are exit-less by design, so its vIPI is the only choice). Each
     * option is refused on the other plane rather than silently ignored.
     */
    private VirtualMachine.InterruptConfig interrupts(VirtualMachine.Plane p) {
        if (p == VirtualMachine.Plane.DUVISOR) {
            if (kvmIrq != null) {
                throw new UserError("--kvm-irq applies to --plane kvm; DuVisor's timer and device interrupts are always exit-less,"
                        + " and --exitless-vipi makes its virtual IPIs exit-less too", 2);
            }
            return exitlessVipi ? VirtualMachine.InterruptConfig.OPT : VirtualMachine.InterruptConfig.VANILLA;
        }
        if (exitlessVipi) throw new UserError("--exitless-vipi applies to --plane duvisor; on the kvm plane use --kvm-irq opt", 2);
        return switch (kvmIrq == null ? "vanilla" : kvmIrq) {
            case "vanilla" -> VirtualMachine.InterruptConfig.VANILLA;
            case "opt" -> VirtualMachine.InterruptConfig.OPT;
            default -> throw new UserError("unknown --kvm-irq '" + kvmIrq + "' (vanilla or opt)", 2);
        };
    }
}
