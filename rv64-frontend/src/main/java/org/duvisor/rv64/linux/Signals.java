package org.duvisor.rv64.linux;

import org.duvisor.rv64.hart.Hart;

/**
 * Signal dispositions, the blocked and pending masks, the alternate stack, and delivery to guest
 * handlers with the RISC-V Linux frame (arch/riscv uapi: {@code struct rt_sigframe} = siginfo
 * (128 bytes) + {@code struct ucontext}, whose {@code uc_mcontext} holds pc, x1-x31 and the D
 * state). Handlers return through a trampoline page ({@code li a7, 139; ecall}), as the kernel's
 * vDSO provides, to {@code rt_sigreturn}.
 */
final class Signals {
    static final int SIGILL = 4, SIGTRAP = 5, SIGABRT = 6, SIGBUS = 7, SIGKILL = 9, SIGSEGV = 11, SIGPIPE = 13,
            SIGSTOP = 19;
    static final long SIG_DFL = 0, SIG_IGN = 1;
    static final long SA_SIGINFO = 4, SA_ONSTACK = 0x0800_0000L, SA_RESTART = 0x1000_0000L,
            SA_NODEFER = 0x4000_0000L, SA_RESETHAND = 0x8000_0000L;
    static final int SS_ONSTACK = 1, SS_DISABLE = 2;
    static final int SI_USER = 0, SI_TKILL = -6;

    /** Where the sigreturn trampoline page is mapped (above the mmap area). */
    static final long TRAMPOLINE = AddressSpace.MMAP_TOP;
    /** {@code addi a7, zero, 139} (rt_sigreturn), {@code ecall}. */
    static final int[] TRAMPOLINE_CODE = {0x08b0_0893, 0x0000_0073};

    // struct rt_sigframe layout
    static final int INFO = 0, UC = 128;
    static final int UC_FLAGS = UC, UC_LINK = UC + 8, UC_STACK = UC + 16, UC_SIGMASK = UC + 40,
            UC_MCONTEXT = UC + 176;
    static final int SC_REGS = UC_MCONTEXT, SC_FPREGS = UC_MCONTEXT + 256, SC_FCSR = SC_FPREGS + 256;
    static final int FRAME_SIZE = UC + 176 + 256 + 528;

    enum Action { IGNORE, TERMINATE, HANDLE }

    final long[] handler = new long[65];
    final long[] flags = new long[65];
    final long[] mask = new long[65];
    long blocked;
    long pending;
    private final int[] pendingCode = new int[65];
    private final long[] pendingValue = new long[65];
    long altSp, altSize;
    int altFlags = SS_DISABLE;

    static long bit(int sig) {
        return 1L << (sig - 1);
    }

    static long unblockable() {
        return bit(SIGKILL) | bit(SIGSTOP);
    }

    /** What delivering {@code sig} now would do. */
    Action action(int sig) {
        long h = sig == SIGKILL || sig == SIGSTOP ? SIG_DFL : handler[sig];
        if (h == SIG_IGN) return Action.IGNORE;
        if (h != SIG_DFL) return Action.HANDLE;
        return switch (sig) {
            case 17, 18, 23, 28 -> Action.IGNORE; // SIGCHLD, SIGCONT, SIGURG, SIGWINCH
            case 19, 20, 21, 22 -> Action.IGNORE; // stop signals: nothing could continue the process
            default -> Action.TERMINATE;
        };
    }

    /** Records an asynchronous signal (sent by the process to itself). */
    void post(int sig, int code, long value) {
        if (action(sig) == Action.IGNORE) return;
        pending |= bit(sig);
        pendingCode[sig] = code;
        pendingValue[sig] = value;
    }

    /** The lowest pending, unblocked signal (taking it off the pending set), or 0. */
    int take() {
        long ready = pending & (~blocked | unblockable());
        if (ready == 0) return 0;
        int sig = Long.numberOfTrailingZeros(ready) + 1;
        pending &= ~bit(sig);
        return sig;
    }

    int pendingCode(int sig) {
        return pendingCode[sig];
    }

    long pendingValue(int sig) {
        return pendingValue[sig];
    }

    boolean onAltStack(long sp) {
        return (altFlags & SS_DISABLE) == 0 && sp - altSp >= 0 && sp - altSp < altSize;
    }

    /**
     * Enters the handler of {@code sig}: pushes the frame (siginfo with {@code code} and
     * {@code value} as si_addr, or si_pid/si_uid for SI_USER/SI_TKILL), sets pc, ra, sp, a0-a2 and
     * the blocked mask. Returns false if the frame cannot be written (the caller kills the process).
     */
    boolean deliver(Hart h, AddressSpace as, int sig, int code, long value, long uid) {
        long sp = h.x[2];
        boolean wasOnAlt = onAltStack(sp);
        if ((flags[sig] & SA_ONSTACK) != 0 && (altFlags & SS_DISABLE) == 0 && !wasOnAlt) sp = altSp + altSize;
        long frame = (sp - FRAME_SIZE) & ~15L;
        if (!as.accessible(frame, FRAME_SIZE, AddressSpace.W)) return false;
        as.noteWrite(frame, FRAME_SIZE);
        for (int k = 0; k < FRAME_SIZE; k += 8) as.putLong(frame + k, 0);
        as.putInt(frame + INFO, sig);
        as.putInt(frame + INFO + 8, code);
        if (code == SI_USER || code == SI_TKILL) {
            as.putInt(frame + INFO + 16, (int) value);
            as.putInt(frame + INFO + 20, (int) uid);
        } else {
            as.putLong(frame + INFO + 16, value);
        }
        as.putLong(frame + UC_FLAGS, 0);
        as.putLong(frame + UC_LINK, 0);
        as.putLong(frame + UC_STACK, altSp);
        as.putInt(frame + UC_STACK + 8, (altFlags & SS_DISABLE) != 0 ? SS_DISABLE : wasOnAlt ? SS_ONSTACK : 0);
        as.putLong(frame + UC_STACK + 16, altSize);
        as.putLong(frame + UC_SIGMASK, blocked);
        as.putLong(frame + SC_REGS, h.pc);
        for (int r = 1; r < 32; r++) as.putLong(frame + SC_REGS + 8L * r, h.x[r]);
        for (int r = 0; r < 32; r++) as.putLong(frame + SC_FPREGS + 8L * r, h.f[r]);
        as.putInt(frame + SC_FCSR, h.fcsr());

        long entry = handler[sig];
        blocked |= mask[sig];
        if ((flags[sig] & SA_NODEFER) == 0) blocked |= bit(sig);
        blocked &= ~unblockable();
        if ((flags[sig] & SA_RESETHAND) != 0) {
            handler[sig] = SIG_DFL;
            flags[sig] = 0;
        }
        h.pc = entry & ~1L;
        h.x[1] = TRAMPOLINE;
        h.x[2] = frame;
        h.x[10] = sig;
        h.x[11] = frame + INFO;
        h.x[12] = frame + UC;
        h.reservationAddress = -1;
        return true;
    }

    /** rt_sigreturn: restores the context the frame at sp holds. False if it cannot be read. */
    boolean sigreturn(Hart h, AddressSpace as) {
        long frame = h.x[2];
        if (!as.accessible(frame, FRAME_SIZE, AddressSpace.R)) return false;
        h.pc = as.getLong(frame + SC_REGS);
        for (int r = 1; r < 32; r++) h.x[r] = as.getLong(frame + SC_REGS + 8L * r);
        for (int r = 0; r < 32; r++) h.f[r] = as.getLong(frame + SC_FPREGS + 8L * r);
        int fcsr = as.getInt(frame + SC_FCSR);
        h.fflags.bits = fcsr & 0x1F;
        h.frm = (fcsr >>> 5) & 7;
        blocked = as.getLong(frame + UC_SIGMASK) & ~unblockable();
        long ss = as.getLong(frame + UC_STACK), size = as.getLong(frame + UC_STACK + 16);
        int ssFlags = as.getInt(frame + UC_STACK + 8);
        if (!onAltStack(h.x[2])) { // restore_altstack, which fails silently while on the stack
            altSp = ss;
            altSize = size;
            altFlags = ssFlags & SS_DISABLE;
        }
        h.reservationAddress = -1;
        return true;
    }
}
