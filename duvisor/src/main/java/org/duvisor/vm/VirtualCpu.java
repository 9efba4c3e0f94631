package org.duvisor.vm;

/** One vCPU of a plane: set up by its control path, then run on its own thread until the VM stops. */
public interface VirtualCpu {
    void prepare(long entry);

    void run();

    /** Makes a sleeping vCPU look at the VM's state again (it is stopping). */
    void wake();

    ExitLedger ledger();

    /** HSM hart_start: a stopped vCPU begins at {@code pc} with a0 = its id and a1 = {@code opaque}. */
    void start(long pc, long opaque);

    boolean isStarted();
}
