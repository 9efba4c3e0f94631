package org.duvisor.rv64.dbt;

import org.duvisor.dbt.memory.MemorySlowPath;
import org.duvisor.rv64.hart.Hart;

/**
 * The slow path of a translated user-mode load or store that leaves the region by throwing when
 * the access faults, so that the region's code has no trap test after each slow access. Faults are
 * fatal to a user-mode process (it ends with a message), so the throw is never on a hot path. The
 * region catches {@link Fault} once, for all its accesses, and exits with the trap pending.
 */
public final class FaultingAccess {
    private FaultingAccess() {
    }

    /** Thrown when a slow access left a trap pending; the hart knows where ({@link Hart#faultPc}). */
    public static final class Fault extends RuntimeException {
        static final Fault INSTANCE = new Fault();

        private Fault() {
            super(null, null, false, false);
        }
    }

    public static long load(MemorySlowPath slow, long va, int size, Hart h, long pc, int left) {
        long v = slow.load(va, size);
        if (h.trapPending) fault(h, pc, left);
        return v;
    }

    public static void store(MemorySlowPath slow, long va, long value, int size, Hart h, long pc, int left) {
        slow.store(va, value, size);
        if (h.trapPending) fault(h, pc, left);
    }

    private static void fault(Hart h, long pc, int left) {
        h.faultPc = pc;
        h.faultLeft = left;
        throw Fault.INSTANCE;
    }
}
