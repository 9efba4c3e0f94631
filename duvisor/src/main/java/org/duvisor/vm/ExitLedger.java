package org.duvisor.vm;

import java.io.PrintStream;
import org.duvisor.rv64.hart.Cause;

/**
 * What one vCPU's exits cost, counted the same way on every plane (kvm-plane.md "Accounting"):
 * exits by cause, privilege crossings, host-kernel entries, guest registers saved and restored.
 */
public final class ExitLedger {
    public final long[] exceptions = new long[64];
    public final long[] interrupts = new long[64];
    /** Crossings between guest and hypervisor: VS/VU → HU and HU → VS/VU on DuVisor. */
    public long guestToHypervisor, hypervisorToGuest;
    /** Entries into the host kernel (HS) while the VM runs: DuVisor's design makes this 0. */
    public long hostKernelEntries;
    /** CSR accesses and general-purpose registers copied by the plane's software on exit paths. */
    public long csrAccesses, registerCopies;
    /** Kernel-to-user returns to the VMM (each followed by a KVM_RUN entry). */
    public long kernelToUser;
    /** Lazily mapped G-stage pages, emulated MMIO accesses, SBI calls answered. */
    public long gstageMappings, mmioAccesses, sbiCalls;

    void exit(long ucause) {
        guestToHypervisor++;
        if (ucause < 0) interrupts[(int) (ucause & 63)]++;
        else exceptions[(int) (ucause & 63)]++;
    }

    public long exits() {
        long n = 0;
        for (long e : exceptions) n += e;
        for (long e : interrupts) n += e;
        return n;
    }

    public void print(PrintStream out, String prefix) {
        StringBuilder b = new StringBuilder();
        for (int c = 0; c < 64; c++) if (exceptions[c] != 0) b.append(' ').append(Cause.name(c).replace(' ', '-')).append('=').append(exceptions[c]);
        for (int c = 0; c < 64; c++) if (interrupts[c] != 0) b.append(" interrupt-").append(c).append('=').append(interrupts[c]);
        out.printf("%sexits=%d%s%n", prefix, exits(), b);
        out.printf("%scrossings guest->hypervisor=%d hypervisor->guest=%d host-kernel-entries=%d%n", prefix, guestToHypervisor,
                hypervisorToGuest, hostKernelEntries);
        out.printf("%sgstage-mappings=%d mmio=%d sbi=%d csr-accesses=%d registers-copied=%d kernel-to-user=%d%n", prefix, gstageMappings,
                mmioAccesses, sbiCalls, csrAccesses, registerCopies, kernelToUser);
    }
}
