package org.duvisor.vm;

import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The SBI HSM state of one vCPU (SBI 2.0 chapter 9): vCPU 0 starts at the guest's entry, the
 * others stay stopped until hart_start, waiting on their own thread without spinning.
 */
final class VcpuStart {
    private volatile boolean started;
    private volatile long pc, opaque;
    private volatile Thread waiter;

    VcpuStart(boolean startedAtBoot) {
        this.started = startedAtBoot;
    }

    boolean isStarted() {
        return started;
    }

    void start(long pc, long opaque) {
        this.pc = pc;
        this.opaque = opaque;
        started = true;
        Thread t = waiter;
        if (t != null) LockSupport.unpark(t);
    }

    /** Waits until started (true) or until {@code running} turns false. */
    boolean await(BooleanSupplier running) {
        waiter = Thread.currentThread();
        while (!started && running.getAsBoolean()) LockSupport.parkNanos(1_000_000);
        return started;
    }

    long pc() {
        return pc;
    }

    long opaque() {
        return opaque;
    }
}
