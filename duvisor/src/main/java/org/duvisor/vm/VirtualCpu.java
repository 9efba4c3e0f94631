package org.duvisor.vm;

/** One vCPU of a plane: set up by its control path, then run on its own thread until the VM stops. */
public interface VirtualCpu {
    void prepare(long entry);

    void run();

    /** Makes a sleeping vCPU look at the VM's state again (it is stopping). */
    void wake();

    ExitLedger ledger();
}
