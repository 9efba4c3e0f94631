package org.duvisor.dbt.memory;

/**
 * What a {@link SoftTlb} calls when its fast path cannot serve an access: a TLB miss, a misaligned
 * access, a store to a page holding translated code, or MMIO. The frontend implements it (page-table
 * walk, permission checks, devices) and may refill the TLB.
 *
 * <p>A faulting access must not throw: the implementation records the architectural trap in its hart
 * and returns 0, and the caller checks the hart's trap flag afterwards.
 */
public interface MemorySlowPath {
    /** Loads {@code size} (1, 2, 4 or 8) bytes little-endian, zero-extended. */
    long load(long address, int size);

    /** Stores the low {@code size} bytes of {@code value}. */
    void store(long address, long value, int size);

    /** Reads 16 bits of instruction at {@code address} for execution (fetch permission). */
    int fetch16(long address);

    /**
     * Resolves a naturally aligned read-modify-write access (LR/SC/AMO) of {@code size} bytes to an
     * offset in the RAM segment, so it can be performed atomically there; returns -1 after recording
     * the fault (misaligned, no permission, not RAM).
     */
    long atomicOffset(long address, int size);

    /**
     * Like {@link #atomicOffset} for a load-reserved: the access is a load (read permission, no
     * dirty bit, load faults). By default the same as a read-modify-write.
     */
    default long reservationOffset(long address, int size) {
        return atomicOffset(address, size);
    }

    /**
     * A direct window around {@code address}: a range {@code [lo, hi)} of an identity-mapped
     * address space (see {@link SoftTlb#requireIdentityMapping}) in which every load (or, with
     * {@code store}, every store) of any size and alignment may go straight to RAM, without a TLB
     * lookup: no such access there can fault, and no store there can modify translated code.
     * Translated code may compile the bounds in as constants, so the implementation must report,
     * through whatever its frontend wires up, every later change that breaks the promise for a
     * range it handed out. Null: none.
     */
    default long[] directWindow(long address, boolean store) {
        return null;
    }
}
