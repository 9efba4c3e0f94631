package org.duvisor.rv64.priv;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import org.duvisor.dbt.bus.PhysicalBus;
import org.duvisor.rv64.hart.Cause;
import org.duvisor.rv64.hart.Privilege;

/**
 * The Sv39 and Sv48 page-table walk (Privileged ISA 4.3.2 "Virtual Address Translation Process",
 * 4.4, 4.5). A and D are set by the walker with an atomic update of the PTE, as the spec permits
 * (and QEMU does). Results are left in fields so the hot refill path allocates nothing.
 */
public final class PageTableWalker {
    public static final int FETCH = 0, LOAD = 1, STORE = 2;
    public static final int SATP_BARE = 0, SATP_SV39 = 8, SATP_SV48 = 9;
    /** hgatp modes (H extension 8.2.10): the same encodings, Sv39x4 and Sv48x4. */
    public static final int HGATP_SV39X4 = 8, HGATP_SV48X4 = 9;

    static final long PTE_V = 1, PTE_R = 2, PTE_W = 4, PTE_X = 8, PTE_U = 16, PTE_G = 32, PTE_A = 64, PTE_D = 128;
    /** Bits 63:54 — N, PBMT and reserved — must be zero without Svnapot/Svpbmt (4.4.1). */
    private static final long PTE_HIGH_RESERVED = 0x3FFL << 54;
    private static final long PPN_MASK = (1L << 44) - 1;
    private static final VarHandle PTE = ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();

    private final PhysicalBus bus;
    private final MemorySegment ram;
    private final Pmp pmp;

    /** After a successful walk: the physical address, and which accesses the leaf allows this mode (Pmp.R/W/X bits). */
    public long physical;
    public int leafPermissions;
    /** After a successful walk: the bytes the leaf maps (4 KiB, or a superpage's 2 MiB, 1 GiB, ...). */
    public long leafSize;

    public PageTableWalker(PhysicalBus bus, Pmp pmp) {
        this.bus = bus;
        this.ram = bus.ram();
        this.pmp = pmp;
    }

    public static int pageFaultCause(int access) {
        return switch (access) {
            case FETCH -> Cause.INSTRUCTION_PAGE_FAULT;
            case LOAD -> Cause.LOAD_PAGE_FAULT;
            default -> Cause.STORE_PAGE_FAULT;
        };
    }

    public static int accessFaultCause(int access) {
        return switch (access) {
            case FETCH -> Cause.INSTRUCTION_ACCESS_FAULT;
            case LOAD -> Cause.LOAD_ACCESS_FAULT;
            default -> Cause.STORE_ACCESS_FAULT;
        };
    }

    /**
     * Maps the guest-physical address of a VS-stage page-table entry to a host physical address
     * (through the G-stage); returns -1 after recording the guest-page fault it met.
     */
    public interface TableMapper {
        long map(long guestPhysical, int access);

        /** The cause to report when {@link #map} returned -1. */
        int cause();
    }

    /** Set while a VS-stage walk runs: page-table addresses are then guest-physical. */
    private TableMapper tableMapper;

    /** The guest-physical address of the last page-table entry the walker read (for htval on implicit faults). */
    public long lastTableAddress;

    /**
     * Translates {@code va} for {@code access} in mode {@code privilege} under {@code satp}; returns
     * 0 on success (see {@link #physical}) or the exception cause to raise.
     */
    public int walk(long va, int access, int privilege, boolean sum, boolean mxr, long satp) {
        return walk(va, access, privilege, sum, mxr, satp, false);
    }

    /**
     * A VS-stage walk (H extension 8.5): like {@link #walk} under vsatp, but every page-table address
     * is guest-physical and goes through {@code mapper}.
     */
    public int walkVirtualSupervisor(long va, int access, int privilege, boolean sum, boolean mxr, long vsatp, TableMapper mapper) {
        tableMapper = mapper;
        try {
            return walk(va, access, privilege, sum, mxr, vsatp, false);
        } finally {
            tableMapper = null;
        }
    }

    /**
     * A G-stage walk (H extension 8.5.1, Sv39x4/Sv48x4) of guest-physical address {@code gpa}: the
     * address is zero-extended, the root table is 16 KiB with two more index bits, every access is
     * checked as a U-mode access, and page faults become guest-page faults.
     */
    public int walkGuestStage(long gpa, int access, boolean mxr, long hgatp) {
        int cause = walk(gpa, access, Privilege.USER, false, mxr, hgatp, true);
        return switch (cause) {
            case Cause.INSTRUCTION_PAGE_FAULT -> Cause.INSTRUCTION_GUEST_PAGE_FAULT;
            case Cause.LOAD_PAGE_FAULT -> Cause.LOAD_GUEST_PAGE_FAULT;
            case Cause.STORE_PAGE_FAULT -> Cause.STORE_GUEST_PAGE_FAULT;
            default -> cause;
        };
    }

    private int walk(long va, int access, int privilege, boolean sum, boolean mxr, long satp, boolean guestStage) {
        int mode = (int) (satp >>> 60);
        int levels = mode == SATP_SV48 ? 4 : 3;
        int vaBits = 12 + 9 * levels;
        if (guestStage) {
            if (va >>> (vaBits + 2) != 0) return pageFaultCause(access); // GPA bits above the x4 width must be 0
        } else if ((va << (64 - vaBits) >> (64 - vaBits)) != va) {
            return pageFaultCause(access); // bits above the VA width must all equal its top bit (4.4.1)
        }
        long table = (satp & PPN_MASK) << 12;
        if (guestStage) table &= ~0x3FFFL; // the x4 root is 16 KiB aligned
        for (int level = levels - 1; level >= 0; level--) {
            long indexMask = guestStage && level == levels - 1 ? 0x7FF : 0x1FF;
            long pteAddress = table + ((va >>> (12 + 9 * level)) & indexMask) * 8;
            lastTableAddress = pteAddress;
            if (tableMapper != null) {
                pteAddress = tableMapper.map(pteAddress, access);
                if (pteAddress < 0) return tableMapper.cause();
            }
            // Implicit page-table reads are checked by PMP as S-mode accesses (3.7.1).
            long offset = bus.ramOffset(pteAddress, 8);
            if (offset < 0 || !pmp.allows(pteAddress, 8, Pmp.R, Privilege.SUPERVISOR)) return accessFaultCause(access);
            long pte = (long) PTE.getVolatile(ram, offset);
            if ((pte & PTE_V) == 0 || (pte & (PTE_R | PTE_W)) == PTE_W || (pte & PTE_HIGH_RESERVED) != 0) {
                return pageFaultCause(access);
            }
            long ppn = (pte >>> 10) & PPN_MASK;
            if ((pte & (PTE_R | PTE_X)) == 0) {
                if ((pte & (PTE_A | PTE_D | PTE_U)) != 0) return pageFaultCause(access); // reserved in non-leaf PTEs
                table = ppn << 12;
                continue;
            }
            // A leaf: privilege, permission, superpage alignment, then A/D.
            boolean user = (pte & PTE_U) != 0;
            int allowed = 0;
            if (privilege == Privilege.USER ? user : !user || sum) {
                if ((pte & PTE_R) != 0 || mxr && (pte & PTE_X) != 0) allowed |= Pmp.R;
                if ((pte & PTE_W) != 0) allowed |= Pmp.W;
            }
            if ((privilege == Privilege.USER) == user && (pte & PTE_X) != 0) allowed |= Pmp.X;
            int need = access == FETCH ? Pmp.X : access == LOAD ? Pmp.R : Pmp.W;
            if ((allowed & need) == 0) return pageFaultCause(access);
            long superMask = (1L << (9 * level)) - 1;
            if ((ppn & superMask) != 0) return pageFaultCause(access);
            long wantFlags = PTE_A | (access == STORE ? PTE_D : 0);
            while ((pte & wantFlags) != wantFlags) {
                if (!pmp.allows(pteAddress, 8, Pmp.W, Privilege.SUPERVISOR)) return accessFaultCause(access);
                long updated = pte | wantFlags;
                long witness = (long) PTE.compareAndExchange(ram, offset, pte, updated);
                if (witness == pte) {
                    pte = updated;
                } else {
                    // Another hart changed the PTE meanwhile: walk again from the top.
                    return walk(va, access, privilege, sum, mxr, satp, guestStage);
                }
            }
            // Without D, a store must come back here to set it: do not grant cached write permission.
            if ((pte & PTE_D) == 0) allowed &= ~Pmp.W;
            leafPermissions = allowed;
            leafSize = 1L << (12 + 9 * level);
            physical = ((ppn & ~superMask) << 12) | (va & ((superMask << 12) | 0xFFF));
            return 0;
        }
        return pageFaultCause(access);
    }
}
