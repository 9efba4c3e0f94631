package org.duvisor.vm;

import org.duvisor.rv64.hart.Hart;

/**
 * One vCPU of a plane: set up by its control path, then run on its own thread (on its own host
 * hart) until the VM stops. What every plane's vCPU has in common lives here: its ledger, the exit
 * emulation, its SBI HSM state, and CSR accesses counted for the cycle model.
 */
public abstract class VirtualCpu {
    private static final ThreadLocal<VirtualCpu> ON_THREAD = new ThreadLocal<>();

    final VirtualMachine vm;
    final int id;
    final HostMachine.HostHart hh;
    final ExitLedger ledger = new ExitLedger();
    final ExitEmulation emulation;
    final VcpuStart hsm;

    VirtualCpu(VirtualMachine vm, int id, HostMachine.HostHart hh) {
        this.vm = vm;
        this.id = id;
        this.hh = hh;
        this.emulation = new ExitEmulation(vm);
        this.hsm = new VcpuStart(id == 0);
    }

    /** Prepares the vCPU to enter the guest at {@code entry} (vCPU 0) or where HSM starts it. */
    public abstract void prepare(long entry);

    public abstract void run();

    /** Makes a sleeping vCPU look at the VM's state again (it is stopping). */
    public abstract void wake();

    /** Marks the calling thread as this vCPU's: host-kernel entries it makes are counted in this ledger. */
    final void bindToThread() {
        ON_THREAD.set(this);
    }

    /** The vCPU whose thread is calling, or null (a thread of no vCPU). */
    static VirtualCpu onThisThread() {
        return ON_THREAD.get();
    }

    public final ExitLedger ledger() {
        return ledger;
    }

    /** HSM hart_start: a stopped vCPU begins at {@code pc} with a0 = its id and a1 = {@code opaque}. */
    public final void start(long pc, long opaque) {
        hsm.start(pc, opaque);
    }

    public final boolean isStarted() {
        return hsm.isStarted();
    }

    /** A CSR access of the plane's exit path, counted for the cycle model. */
    final long read(Hart h, int address) {
        ledger.csrAccesses++;
        return Csrs.read(h, address);
    }

    final void write(Hart h, int address, long value) {
        ledger.csrAccesses++;
        Csrs.write(h, address, value);
    }
}
