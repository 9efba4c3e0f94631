package org.duvisor.vm;

import org.duvisor.hext.DvExtension;
import org.duvisor.rv64.hart.Cause;
import org.duvisor.rv64.hart.Hart;

/**
 * One vCPU of a plane: set up by its control path, then run on its own thread (on its own host
 * hart) until the VM stops. What every plane's vCPU has in common lives here: its ledger, the exit
 * emulation, its SBI HSM state, and CSR accesses counted for the cycle model.
 */
public abstract class VirtualCpu implements ExitEmulation.Delivery {
    private static final ThreadLocal<VirtualCpu> ON_THREAD = new ThreadLocal<>();

    final VirtualMachine vm;
    final int id;
    final HostMachine.HostHart hh;
    final ExitLedger ledger = new ExitLedger();
    final ExitEmulation emulation;
    final VcpuStart hsm;
    /** This vCPU's hart's PLIC VS context page, where its guest claims and completes with no exit, or 0. */
    long vsContextPage;

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

    /**
     * The guest's timer as the exit-less hardware gives it: the hart's virtual timer raising VSTIP
     * straight into the guest (dv-ext.md §5). DuVisor always uses it; the kernel plane in its "opt"
     * configuration. Writing vtimecmp drops a pending VSTIP and compares again.
     */
    @Override
    public void setTimer(Hart h, long deadline) {
        write(h, Csrs.VTIMECMP, deadline);
        write(h, Csrs.VTIMECTL, 1 | (6 << 1));
    }

    /** The vcpuid this vCPU's hart carries (dv-ext.md §6), with EL when the VM takes vIPIs exit-less. */
    final long vcpuidValue() {
        return vm.vipiId(id) | (vm.exitlessVipi() ? DvExtension.VCPUID_EXITLESS : 0);
    }

    /** Sets the bitmap bits of the targets' vIPI ids (a CSRRS on vipiK, atomic against other harts). */
    final void postVirtualIpis(Hart h, int[] targets) {
        for (int t : targets) {
            long vid = vm.vipiId(t);
            set(h, Csrs.VIPI0 + (int) (vid >>> 6), 1L << (vid & 63));
        }
    }

    /**
     * Virtual PLIC (dv-ext.md §7): the VM's device sources (host vinterrupts bits, posted by the
     * devices from whichever thread they run on, {@link VirtualPlicLines}) are routed to vCPU 0's VS
     * context, and each vCPU's claim/complete page is mapped onto its own hart's VS-context page when
     * the guest first touches it ({@link #mapsClaimPage}): interrupt, claim and completion need no exit.
     */
    final void connectVirtualPlic(Hart h) {
        if (id == 0) vm.control.routeVirtualSources(vm.memory, h.hartId, vm.virtualLines.bits());
        vsContextPage = ControlPlane.vsContextPage(h.hartId);
    }

    /** A guest-page fault on this vCPU's claim page with the virtual PLIC connected: map it (true), the guest retries. */
    final boolean mapsClaimPage(long gpa, int cause) {
        if (vsContextPage == 0 || (gpa & ~0xFFFL) != GuestDevices.claimPage(id) || cause == Cause.INSTRUCTION_GUEST_PAGE_FAULT) {
            return false;
        }
        vm.gstage.map(gpa, vsContextPage); // claim/complete from now on without exits
        ledger.gstageMappings++;
        return true;
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

    /** A CSRRS: sets {@code bits}. */
    final void set(Hart h, int address, long bits) {
        ledger.csrAccesses++;
        Csrs.update(h, address, bits, 0);
    }

    /** A CSRRC: clears {@code bits}. */
    final void clear(Hart h, int address, long bits) {
        ledger.csrAccesses++;
        Csrs.update(h, address, 0, bits);
    }
}
