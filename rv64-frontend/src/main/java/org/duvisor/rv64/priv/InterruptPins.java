package org.duvisor.rv64.priv;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;
import org.duvisor.rv64.hart.Hart;

/**
 * The interrupt inputs of one hart as platform devices drive them: the ACLINT's software interrupt
 * (MSIP) and timer comparator (mtimecmp), and the PLIC's external interrupt outputs for the M and S
 * contexts (MEIP, SEIP). Devices call these from any thread; a change that may make an interrupt
 * pending kicks the hart out of translated code and out of WFI.
 *
 * <p>Bit positions are those of {@code mip} (Privileged ISA, "Machine Interrupt Registers").
 */
public final class InterruptPins {
    public static final int SSIP = 1, MSIP = 3, STIP = 5, MTIP = 7, SEIP = 9, MEIP = 11;

    private static final VarHandle LINES;

    static {
        try {
            LINES = MethodHandles.lookup().findVarHandle(InterruptPins.class, "lines", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Hart hart;
    /** Levels of MSIP, SEIP and MEIP driven by devices, as mip bits. */
    private volatile long lines;
    /** The ACLINT comparator for this hart; MTIP is pending while time ≥ mtimecmp. */
    private volatile long mtimecmp = -1L;
    /** The thread running the hart, unparked on kicks (set by the machine when it starts the hart). */
    private volatile Thread thread;

    public InterruptPins(Hart hart) {
        this.hart = hart;
    }

    /** Drives one of MSIP, SEIP, MEIP or (DV-Ext's virtual PLIC) VSEIP, by mip bit number, to {@code level}. */
    public void set(int bit, boolean level) {
        long mask = 1L << bit;
        long old;
        do {
            old = lines;
        } while (!LINES.compareAndSet(this, old, level ? old | mask : old & ~mask));
        if (level && (old & mask) == 0) kick();
    }

    public long lines() {
        return lines;
    }

    public long mtimecmp() {
        return mtimecmp;
    }

    public void setMtimecmp(long value) {
        mtimecmp = value;
        kick();
    }

    public void attach(Thread runner) {
        this.thread = runner;
    }

    /** Makes the hart re-evaluate its interrupts soon: leave translated code, wake from WFI. */
    public void kick() {
        hart.exitRequest = 1;
        Thread t = thread;
        if (t != null && t != Thread.currentThread()) LockSupport.unpark(t);
    }
}
