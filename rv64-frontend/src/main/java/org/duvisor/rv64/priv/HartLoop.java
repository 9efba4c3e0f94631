package org.duvisor.rv64.priv;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.duvisor.rv64.exec.ExecutionEngine;
import org.duvisor.rv64.hart.Hart;

/**
 * The run loop of one full-system hart on its own thread: take an interrupt if one is pending and
 * enabled, run the engine for a slice, take the exception it stopped at, sleep in WFI until an
 * interrupt is pending, and serve requests other harts post (remote fences, start/stop).
 */
public final class HartLoop {
    /** Instructions per engine call; interrupts are looked at between slices and on kicks. */
    static final long SLICE = 50_000;
    /** Longest sleep in WFI without a timer: the loop still notices being stopped. */
    private static final long MAX_SLEEP_NANOS = 20_000_000;

    public static final int FLUSH_TLB = 1, FENCE_I = 2;

    private final PrivilegedArchitecture arch;
    private final ExecutionEngine engine;
    private final BooleanSupplier running;
    private Runnable poll = () -> { };

    /** Requests from other harts (FLUSH_TLB, FENCE_I bits), each acknowledged by bumping {@link #served}. */
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger posted = new AtomicInteger();
    private final AtomicInteger served = new AtomicInteger();

    /** HSM: a hart that is not started waits here (the built-in firmware starts secondary harts this way). */
    private volatile boolean started = true;
    private volatile long startPc, startArgument;
    private volatile boolean startPending;

    public HartLoop(PrivilegedArchitecture arch, ExecutionEngine engine, BooleanSupplier running) {
        this.arch = arch;
        this.engine = engine;
        this.running = running;
    }

    public ExecutionEngine engine() {
        return engine;
    }

    /** Something to run between slices on this hart's thread (HTIF polling). */
    public void setPoll(Runnable poll) {
        this.poll = poll;
    }

    public void setStarted(boolean started) {
        this.started = started;
    }

    public boolean isStarted() {
        return started;
    }

    /** Starts a stopped hart in S-mode at {@code pc} with a0 = hartid, a1 = {@code argument} (SBI HSM hart_start). */
    public void start(long pc, long argument) {
        startPc = pc;
        startArgument = argument;
        startPending = true;
        arch.pins.kick();
    }

    /**
     * Posts a request to this hart and waits until it has been served; meanwhile serves requests
     * posted to {@code self}, so two harts fencing each other cannot deadlock.
     */
    public void request(int what, HartLoop self) {
        int ticket = posted.incrementAndGet();
        requests.getAndUpdate(v -> v | what);
        arch.pins.kick();
        while (served.get() < ticket && running.getAsBoolean()) {
            if (self != null && self != this) self.serveRequests();
            if (!started) {
                serveRequests();
            }
            Thread.onSpinWait();
        }
    }

    void serveRequests() {
        int what = requests.getAndSet(0);
        int upTo = posted.get();
        if ((what & FLUSH_TLB) != 0) arch.flushTranslations();
        if ((what & FENCE_I) != 0) engine.flushCode();
        served.accumulateAndGet(upTo, Math::max);
    }

    public void run() {
        Hart h = arch.hart;
        arch.pins.attach(Thread.currentThread());
        while (running.getAsBoolean()) {
            if (posted.get() != served.get()) serveRequests();
            if (!started) {
                if (startPending) {
                    startPending = false;
                    started = true;
                    h.pc = startPc;
                    h.x[10] = h.hartId;
                    h.x[11] = startArgument;
                    arch.setPrivilege(org.duvisor.rv64.hart.Privilege.SUPERVISOR);
                } else {
                    LockSupport.parkNanos(MAX_SLEEP_NANOS);
                }
                continue;
            }
            if (arch.waitingForInterrupt) {
                if (!arch.wakesFromWfi()) {
                    h.exitRequest = 0;
                    long nanos = Math.min(arch.nanosToNextTimer(), MAX_SLEEP_NANOS);
                    if (nanos > 0 && !arch.wakesFromWfi()) LockSupport.parkNanos(nanos);
                    continue;
                }
                arch.waitingForInterrupt = false;
            }
            int interrupt = arch.interruptToTake();
            if (interrupt >= 0) arch.enterTrap(interrupt, true, 0);
            h.exitRequest = 0;
            engine.run(SLICE);
            if (h.trapPending) {
                h.clearTrap();
                arch.enterTrap((int) h.trapCause, false, h.trapValue);
            }
            poll.run();
        }
    }

    public PrivilegedArchitecture architecture() {
        return arch;
    }
}
