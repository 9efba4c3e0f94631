package org.duvisor.vm;

/**
 * Turns an {@link ExitLedger} into estimated cycles (kvm-plane.md "Accounting"). Every parameter is
 * an instruction count of a step, plus a pipeline refill for the privileged transitions of an
 * in-order five-stage core; none is fitted to the paper's figures.
 */
public final class CycleModel {
    /** A trap or an xRET: the instruction itself plus refilling a five-stage pipeline. */
    public static final int TRANSITION = 1 + 5;
    /** One CSR instruction. */
    public static final int CSR_ACCESS = 1;
    /** One register copied: one load or one store. */
    public static final int REGISTER_COPY = 1;
    /**
     * A user↔kernel round trip of the VMM (return from KVM_RUN, ioctl back in): two transitions and
     * the 31 user registers the syscall path saves and restores.
     */
    public static final int USER_KERNEL_ROUND_TRIP = 2 * TRANSITION + 2 * 31;
    /** The emulation itself, the same on both planes: decode and answer an SBI call, map a page, decode and do an MMIO access. */
    public static final int SBI_WORK = 12, MAP_WORK = 40, MMIO_WORK = 30;

    private CycleModel() {
    }

    /** Estimated cycles for everything the ledger recorded. */
    public static long cycles(ExitLedger l) {
        long exits = l.exits();
        return exits * 2 * TRANSITION // out of the guest and back in
                + l.csrAccesses * CSR_ACCESS
                + l.registerCopies * REGISTER_COPY
                + l.kernelToUser * USER_KERNEL_ROUND_TRIP
                + l.sbiCalls * SBI_WORK + l.gstageMappings * MAP_WORK + l.mmioAccesses * MMIO_WORK;
    }
}
