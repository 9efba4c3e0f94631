package org.duvisor.rv64.priv;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.duvisor.dbt.bus.PhysicalBus;
import org.duvisor.dbt.memory.MemorySlowPath;
import org.duvisor.dbt.memory.SoftTlb;
import org.duvisor.rv64.hart.Cause;
import org.duvisor.rv64.hart.Hart;
import org.duvisor.rv64.hart.Privilege;

/**
 * The memory system of a full-system hart behind its soft TLB: address translation (bare, Sv39,
 * Sv48, with MPRV), PMP, then RAM or a device window on the physical bus. Successful RAM accesses
 * refill the TLB with exactly the permissions that hold for the whole page; device accesses and
 * pages whose PMP permissions vary are never cached, so they always come back here.
 *
 * <p>Misaligned loads and stores are performed (the spec allows either that or a trap; QEMU also
 * performs them); one that crosses a page is split so each page is translated and checked.
 */
public final class SystemMemory implements MemorySlowPath {
    private static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;

    private final Hart hart;
    private final PrivilegedArchitecture arch;
    private final PhysicalBus bus;
    private final MemorySegment ram;
    private final SoftTlb tlb;

    /** Results of {@link #translate}. */
    private long pa;
    private int cacheable;
    /** The bytes the translation's leaf maps; unknown (two-stage) counts as everything. */
    private long leafSize;

    public SystemMemory(PrivilegedArchitecture arch) {
        this.arch = arch;
        this.hart = arch.hart;
        this.bus = arch.bus;
        this.ram = bus.ram();
        this.tlb = hart.tlb;
    }

    /** Translates and checks {@code [va, va+size)} (within one page); records the fault and returns false if denied. */
    private boolean translate(long va, int access, int size) {
        int privilege = access == PageTableWalker.FETCH ? hart.privilege : arch.dataPrivilege();
        long physical;
        int permissions;
        boolean guest = access == PageTableWalker.FETCH ? hart.virtualMode : arch.guestData();
        if (guest) {
            physical = arch.hypervisor.translate(va, access, size);
            if (physical < 0) return false;
            permissions = arch.hypervisor.permissions();
            leafSize = Long.MAX_VALUE;
            privilege = Privilege.SUPERVISOR; // PMP checks guest accesses as S/U-mode ones; never M
        } else if (privilege == Privilege.MACHINE || arch.satp == 0) {
            physical = va;
            permissions = Pmp.R | Pmp.W | Pmp.X;
            leafSize = SoftTlb.PAGE_SIZE;
        } else {
            int cause = arch.walker.walk(va, access, privilege, arch.sum(), arch.mxr(), arch.satp);
            if (cause != 0) {
                hart.raise(cause, va);
                return false;
            }
            physical = arch.walker.physical;
            permissions = arch.walker.leafPermissions;
            leafSize = arch.walker.leafSize;
        }
        int need = access == PageTableWalker.FETCH ? Pmp.X : access == PageTableWalker.LOAD ? Pmp.R : Pmp.W;
        if (!arch.pmp.allows(physical, size, need, privilege)) {
            hart.raise(PageTableWalker.accessFaultCause(access), va);
            return false;
        }
        int page = arch.pmp.pagePermissions(physical & SoftTlb.PAGE_MASK, privilege);
        pa = physical;
        cacheable = page < 0 ? 0 : permissions & page;
        // Loads and stores run at the data privilege, fetches at the current one: share an entry only if they agree.
        if (access != PageTableWalker.FETCH && privilege != hart.privilege) cacheable &= ~Pmp.X;
        if (access == PageTableWalker.FETCH && (privilege != arch.dataPrivilege() || arch.guestData() != hart.virtualMode)) cacheable &= Pmp.X;
        if (access != PageTableWalker.FETCH && guest != hart.virtualMode) cacheable = 0; // HLV/HSV, MPRV+MPV: never cached
        return true;
    }

    private static boolean crossesPage(long va, int size) {
        return ((va ^ (va + size - 1)) & SoftTlb.PAGE_MASK) != 0;
    }

    private void refill(long va, long ramOffset) {
        if (cacheable != 0) {
            tlb.grant(va, ramOffset & SoftTlb.PAGE_MASK, (cacheable & Pmp.R) != 0, (cacheable & Pmp.W) != 0, (cacheable & Pmp.X) != 0,
                    leafSize);
        }
    }

    @Override
    public long load(long va, int size) {
        if (crossesPage(va, size)) {
            long v = 0;
            for (int k = 0; k < size; k++) {
                long b = load(va + k, 1);
                if (hart.trapPending) return 0;
                v |= (b & 0xFF) << (8 * k);
            }
            return v;
        }
        if (!translate(va, PageTableWalker.LOAD, size)) return 0;
        long off = bus.ramOffset(pa, size);
        if (off >= 0) {
            refill(va, off);
            return readRam(off, size);
        }
        PhysicalBus.Window w = bus.window(pa, size);
        if (w != null) return w.device().read(pa - w.base(), size) & mask(size);
        hart.raise(Cause.LOAD_ACCESS_FAULT, va);
        return 0;
    }

    @Override
    public void store(long va, long value, int size) {
        if (crossesPage(va, size)) {
            // Check both pages before writing either, so a fault leaves memory unchanged.
            long last = va + size - 1;
            if (!translate(va, PageTableWalker.STORE, 1) || !translate(last, PageTableWalker.STORE, 1)) return;
            for (int k = 0; k < size; k++) {
                store(va + k, value >>> (8 * k), 1);
                if (hart.trapPending) return;
            }
            return;
        }
        if (!translate(va, PageTableWalker.STORE, size)) return;
        long off = bus.ramOffset(pa, size);
        if (off >= 0) {
            tlb.noteStore(off, size);
            refill(va, off);
            writeRam(off, value, size);
            return;
        }
        PhysicalBus.Window w = bus.window(pa, size);
        if (w != null) {
            w.device().write(pa - w.base(), value & mask(size), size);
            return;
        }
        hart.raise(Cause.STORE_ACCESS_FAULT, va);
    }

    @Override
    public int fetch16(long va) {
        if (!translate(va, PageTableWalker.FETCH, 2)) return 0;
        long off = bus.ramOffset(pa, 2);
        if (off < 0) {
            hart.raise(Cause.INSTRUCTION_ACCESS_FAULT, va);
            return 0;
        }
        refill(va, off);
        return (int) readRam(off, 2);
    }

    @Override
    public long atomicOffset(long va, int size) {
        if ((va & (size - 1)) != 0) {
            hart.raise(Cause.STORE_MISALIGNED, va);
            return -1;
        }
        if (!translate(va, PageTableWalker.STORE, size)) return -1;
        long off = bus.ramOffset(pa, size);
        if (off < 0) {
            hart.raise(Cause.STORE_ACCESS_FAULT, va);
            return -1;
        }
        tlb.noteStore(off, size);
        refill(va, off);
        return off;
    }

    @Override
    public long reservationOffset(long va, int size) {
        if (!translate(va, PageTableWalker.LOAD, size)) return -1;
        long off = bus.ramOffset(pa, size);
        if (off < 0) {
            hart.raise(Cause.LOAD_ACCESS_FAULT, va);
            return -1;
        }
        refill(va, off);
        return off;
    }

    /**
     * Reads guest memory as the hart's current data accesses would (firmware reading SBI arguments
     * that are virtual addresses); returns false with no trap left pending if it faults.
     */
    public boolean readBytes(long va, byte[] into) {
        for (int k = 0; k < into.length; k++) {
            into[k] = (byte) load(va + k, 1);
            if (hart.trapPending) {
                hart.clearTrap();
                return false;
            }
        }
        return true;
    }

    private long readRam(long off, int size) {
        return switch (size) {
            case 1 -> ram.get(BYTE, off) & 0xFFL;
            case 2 -> ram.get(SoftTlb.SHORT, off) & 0xFFFFL;
            case 4 -> ram.get(SoftTlb.INT, off) & 0xFFFF_FFFFL;
            default -> ram.get(SoftTlb.LONG, off);
        };
    }

    private void writeRam(long off, long value, int size) {
        switch (size) {
            case 1 -> ram.set(BYTE, off, (byte) value);
            case 2 -> ram.set(SoftTlb.SHORT, off, (short) value);
            case 4 -> ram.set(SoftTlb.INT, off, (int) value);
            default -> ram.set(SoftTlb.LONG, off, value);
        }
    }

    private static long mask(int size) {
        return size == 8 ? -1L : (1L << (8 * size)) - 1;
    }
}
