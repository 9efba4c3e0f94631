package org.duvisor.hext;

import org.duvisor.rv64.hart.Cause;
import org.duvisor.rv64.hart.Hart;
import org.duvisor.rv64.hart.Privilege;
import org.duvisor.rv64.isa.Insn;
import org.duvisor.rv64.priv.HypervisorExtension;
import org.duvisor.rv64.priv.InterruptPins;
import org.duvisor.rv64.priv.PageTableWalker;
import org.duvisor.rv64.priv.PrivilegedArchitecture;
import org.duvisor.rv64.priv.Pmp;
import org.duvisor.rv64.priv.SystemMemory;

/**
 * The H extension of one hart: its state (hstatus, hedeleg, hideleg, hvip, hgatp, the VS CSRs,
 * mtval2/mtinst) and the rules that change with V — trap entry and delegation to VS, VS-level
 * interrupts, SRET/MRET into V, virtual-instruction exceptions, two-stage translation, and
 * HLV/HSV/HFENCE. Section numbers refer to the Hypervisor Extension chapter of the Privileged ISA.
 */
public final class HExtension implements HypervisorExtension {
    // hstatus fields (8.2.1)
    static final long VSBE = 1L << 5, GVA = 1L << 6, SPV = 1L << 7, SPVP = 1L << 8, HU = 1L << 9;
    static final long VTVM = 1L << 20, VTW = 1L << 21, VTSR = 1L << 22, VSXL = 2L << 32;
    static final long HSTATUS_WRITABLE = GVA | SPV | SPVP | HU | VTVM | VTW | VTSR;
    // mstatus additions (8.2.13)
    static final long MPV = 1L << 39, MGVA = 1L << 38;
    /** VS-level interrupts: VSSIP 2, VSTIP 6, VSEIP 10 (8.2.4). */
    static final int VSSIP = 2, VSTIP = 6, VSEIP = 10;
    static final long VS_INTERRUPTS = (1L << VSSIP) | (1L << VSTIP) | (1L << VSEIP);
    /** Exceptions hedeleg can delegate to VS: all but the ECALLs from HS/VS/M and 20-23 (8.2.2). */
    static final long HEDELEG_WRITABLE = 0xB1FF;
    /** Interrupt priority with the H extension (8.4.2 / 3.1.9). */
    private static final int[] PRIORITY = {11, 3, 7, 9, 1, 5, 12, 10, 2, 6};

    final PrivilegedArchitecture arch;
    final Hart hart;
    private final PageTableWalker vsWalker, gWalker;
    private SystemMemory memory;

    long hstatus = VSXL;
    long hedeleg, hideleg, hvip, hcounteren, htval, htinst, hgatp, htimedelta, henvcfg;
    /** Sstc's VS-level timer compare: with henvcfg.STCE, VSTIP is pending while the guest's time >= vstimecmp. */
    long vstimecmp = -1L;
    long vsstatus = PrivilegedArchitecture.UXL, vstvec, vsscratch, vsepc, vscause, vstval, vsatp;
    long mtval2, mtinst;
    /** While an HLV/HSV executes: loads and stores are guest accesses at hstatus.SPVP. */
    private boolean hypervisorAccess;
    /** The privilege of the HLV/HSV (or HULV/HUSV) in progress: hstatus.SPVP or hustatus.UPVP. */
    private boolean hypervisorAccessAsSupervisor;
    private int permissions;
    /** DV-Ext on this hart, or null. */
    DvExtension dv;

    public HExtension(PrivilegedArchitecture arch) {
        this.arch = arch;
        this.hart = arch.hart;
        hart.virtualFpState = Hart.FS_OFF; // vsstatus.FS resets to Off, like mstatus.FS
        this.vsWalker = new PageTableWalker(arch.bus, arch.pmp);
        this.gWalker = new PageTableWalker(arch.bus, arch.pmp);
    }

    /** Adds the H extension to a hart: misa.H, the CSRs, and this object as the privileged hook. */
    public static HExtension install(PrivilegedArchitecture arch, SystemMemory memory) {
        HExtension h = new HExtension(arch);
        h.memory = memory;
        arch.hypervisor = h;
        HypervisorCsrs.install(h);
        return h;
    }

    // ---- interrupts (8.4.2) ----

    /** mip with the VS-level bits (hvip; VSEIP also from the PLIC's VS context line). */
    long mip() {
        long v = arch.mip() | (hvip & VS_INTERRUPTS) | (dv != null ? dv.pending() : 0);
        if ((henvcfg & PrivilegedArchitecture.STCE) != 0
                && Long.compareUnsigned(arch.timebase.now() + guestTimeDelta(), vstimecmp) >= 0) v |= 1L << VSTIP;
        return v;
    }

    /** What the guest's time adds to the host's: htimedelta, or hutimedelta for an HU-owned guest (DV-Ext). */
    long guestTimeDelta() {
        return dv != null && dv.huOwned ? dv.timeDelta() : htimedelta;
    }

    @Override
    public int interruptToTake() {
        long pending = mip() & arch.mie;
        if (pending == 0) return -1;
        int p = hart.privilege;
        boolean v = hart.virtualMode;
        long mideleg = arch.mideleg | VS_INTERRUPTS; // VS-level interrupts are always delegated past M
        long m = pending & ~mideleg;
        if (m != 0 && (p < Privilege.MACHINE || (arch.mstatus & PrivilegedArchitecture.MIE) != 0)) return highest(m);
        // U-level interrupts that sideleg sends to HU are never taken by HS (dv-ext.md §4).
        long hs = pending & mideleg & ~hideleg & ~(dv != null ? dv.sideleg : 0);
        if (hs != 0 && (v || p < Privilege.SUPERVISOR || p == Privilege.SUPERVISOR && (arch.mstatus & PrivilegedArchitecture.SIE) != 0)) {
            return highest(hs);
        }
        if (dv != null) {
            int u = dv.userInterrupt(pending);
            if (u >= 0) return u;
        }
        long vs = pending & mideleg & hideleg;
        if (vs != 0 && v && (p < Privilege.SUPERVISOR || (vsstatus & PrivilegedArchitecture.SIE) != 0)) return highest(vs);
        return -1;
    }

    private static int highest(long set) {
        for (int bit : PRIORITY) if ((set >>> bit & 1) != 0) return bit;
        return Long.numberOfTrailingZeros(set);
    }

    @Override
    public boolean wakesFromWfi() {
        return (mip() & arch.mie) != 0;
    }

    // ---- trap entry (8.6) ----

    private static boolean tvalIsAddress(int cause) {
        return switch (cause) {
            case Cause.INSTRUCTION_MISALIGNED, Cause.INSTRUCTION_ACCESS_FAULT, Cause.BREAKPOINT, Cause.LOAD_MISALIGNED,
                 Cause.LOAD_ACCESS_FAULT, Cause.STORE_MISALIGNED, Cause.STORE_ACCESS_FAULT, Cause.INSTRUCTION_PAGE_FAULT,
                 Cause.LOAD_PAGE_FAULT, Cause.STORE_PAGE_FAULT, Cause.INSTRUCTION_GUEST_PAGE_FAULT,
                 Cause.LOAD_GUEST_PAGE_FAULT, Cause.STORE_GUEST_PAGE_FAULT -> true;
            default -> false;
        };
    }

    @Override
    public boolean enterTrap(int cause, boolean interrupt, long trapValue) {
        int from = hart.privilege;
        boolean fromV = hart.virtualMode;
        long deleg = interrupt ? arch.mideleg | VS_INTERRUPTS : arch.medeleg;
        boolean toHs = from <= Privilege.SUPERVISOR && (deleg >>> cause & 1) != 0;
        boolean toVs = toHs && fromV && ((interrupt ? hideleg : hedeleg) >>> cause & 1) != 0;
        boolean gva = fromV && !interrupt && trapValue != 0 && tvalIsAddress(cause) || hart.trapGuestVirtual && !interrupt;
        long gpa = interrupt ? 0 : hart.trapGuestPhysical, tinst = interrupt ? 0 : hart.trapInstruction;
        if (!interrupt && tinst == 0 && fromV && (cause == Cause.LOAD_GUEST_PAGE_FAULT || cause == Cause.STORE_GUEST_PAGE_FAULT)) {
            tinst = TransformedInstruction.of(trappingInstruction()); // explicit access: the transformed load/store (8.6.3)
        }
        hart.trapGuestPhysical = 0;
        hart.trapInstruction = 0;
        hart.trapGuestVirtual = false;
        if (dv != null && dv.routeToUser(cause, interrupt, trapValue, gpa, tinst, gva)) return true;
        if (toVs) {
            // VS-level interrupts arrive in VS as the corresponding S-level ones (8.6.2).
            int vsCause = interrupt && (VS_INTERRUPTS >>> cause & 1) != 0 ? cause - 1 : cause;
            vscause = interrupt ? (1L << 63) | vsCause : vsCause;
            vsepc = hart.pc;
            vstval = trapValue;
            vsstatus = stackSupervisor(vsstatus, from);
            arch.setMode(Privilege.SUPERVISOR, true);
            hart.pc = PrivilegedArchitecture.vector(vstvec, vsCause, interrupt);
            return true;
        }
        if (toHs) {
            arch.scause = interrupt ? (1L << 63) | cause : cause;
            arch.sepc = hart.pc;
            arch.stval = trapValue;
            htval = gpa;
            htinst = tinst;
            long hs = hstatus & ~(SPV | GVA);
            if (fromV) hs = (hs & ~SPVP) | SPV | (from == Privilege.SUPERVISOR ? SPVP : 0);
            if (gva) hs |= GVA;
            hstatus = hs;
            arch.mstatus = stackSupervisor(arch.mstatus, from);
            arch.setMode(Privilege.SUPERVISOR, false);
            hart.pc = PrivilegedArchitecture.vector(arch.stvec, cause, interrupt);
            return true;
        }
        if (arch.firmware != null && !fromV && arch.firmware.handle(arch, cause, interrupt, trapValue)) return true;
        arch.mcause = interrupt ? (1L << 63) | cause : cause;
        arch.mepc = hart.pc;
        arch.mtval = trapValue;
        mtval2 = gpa;
        mtinst = tinst;
        long m = arch.mstatus & ~(PrivilegedArchitecture.MPIE | PrivilegedArchitecture.MPP | PrivilegedArchitecture.MIE | MPV | MGVA);
        if ((arch.mstatus & PrivilegedArchitecture.MIE) != 0) m |= PrivilegedArchitecture.MPIE;
        m |= (long) from << PrivilegedArchitecture.MPP_SHIFT;
        if (fromV) m |= MPV;
        if (gva) m |= MGVA;
        arch.mstatus = m;
        arch.setMode(Privilege.MACHINE, false);
        if ((m & PrivilegedArchitecture.MPRV) != 0) arch.flushTranslations();
        hart.pc = PrivilegedArchitecture.vector(arch.mtvec, cause, interrupt);
        return true;
    }

    /** The bits of the instruction at pc, fetched as the guest fetches (0 if that faults). */
    private int trappingInstruction() {
        long pc = hart.pc;
        int low = hart.tlb.fetch16(pc);
        if (hart.trapPending) {
            hart.clearTrap();
            return 0;
        }
        if ((low & 3) != 3) return low;
        int high = hart.tlb.fetch16(pc + 2);
        if (hart.trapPending) {
            hart.clearTrap();
            return 0;
        }
        return low | (high << 16);
    }

    /** SPIE ← SIE, SIE ← 0, SPP ← the privilege the trap came from (S=1, U=0). */
    private static long stackSupervisor(long status, int from) {
        long s = status & ~(PrivilegedArchitecture.SPIE | PrivilegedArchitecture.SPP | PrivilegedArchitecture.SIE);
        if ((status & PrivilegedArchitecture.SIE) != 0) s |= PrivilegedArchitecture.SPIE;
        if (from == Privilege.SUPERVISOR) s |= PrivilegedArchitecture.SPP;
        return s;
    }

    // ---- instructions (8.3, 8.6.4) ----

    long virtualInstructionAt(Insn insn, long pc) {
        return virtualInstruction(insn, pc);
    }

    long illegalAt(Insn insn, long pc) {
        return illegal(insn, pc);
    }

    private long virtualInstruction(Insn insn, long pc) {
        hart.raise(Cause.VIRTUAL_INSTRUCTION, insn.bits & 0xFFFF_FFFFL);
        return pc;
    }

    private long illegal(Insn insn, long pc) {
        hart.raise(Cause.ILLEGAL_INSTRUCTION, insn.bits & 0xFFFF_FFFFL);
        return pc;
    }

    @Override
    public long execute(Hart h, Insn insn, long pc) {
        if (dv != null) {
            long next = dv.execute(insn, pc);
            if (next != NOT_HANDLED) return next;
        }
        int p = h.privilege;
        boolean v = h.virtualMode;
        switch (insn.op) {
            case MRET -> {
                if (p < Privilege.MACHINE) return illegal(insn, pc); // not valid in HS either, so never virtual (8.6.1)
                int target = (int) ((arch.mstatus & PrivilegedArchitecture.MPP) >>> PrivilegedArchitecture.MPP_SHIFT);
                boolean toV = target != Privilege.MACHINE && (arch.mstatus & MPV) != 0;
                if (toV && dv != null) dv.huOwned = false;
                long m = arch.mstatus & ~(PrivilegedArchitecture.MIE | PrivilegedArchitecture.MPP | MPV);
                if ((arch.mstatus & PrivilegedArchitecture.MPIE) != 0) m |= PrivilegedArchitecture.MIE;
                m |= PrivilegedArchitecture.MPIE;
                boolean mprvCleared = target != Privilege.MACHINE && (m & PrivilegedArchitecture.MPRV) != 0;
                if (target != Privilege.MACHINE) m &= ~PrivilegedArchitecture.MPRV;
                arch.mstatus = m;
                arch.setMode(target, toV);
                if (mprvCleared) arch.flushTranslations();
                if (toV) enteringGuest();
                return arch.mepc;
            }
            case SRET -> {
                if (v) {
                    if (p == Privilege.USER || (guestTrapControls() & VTSR) != 0) return virtualInstruction(insn, pc);
                    int target = (vsstatus & PrivilegedArchitecture.SPP) != 0 ? Privilege.SUPERVISOR : Privilege.USER;
                    vsstatus = unstackSupervisor(vsstatus);
                    arch.setMode(target, true);
                    return vsepc;
                }
                if (p < Privilege.SUPERVISOR || p == Privilege.SUPERVISOR && (arch.mstatus & PrivilegedArchitecture.TSR) != 0) {
                    return illegal(insn, pc);
                }
                int target = (arch.mstatus & PrivilegedArchitecture.SPP) != 0 ? Privilege.SUPERVISOR : Privilege.USER;
                boolean toV = (hstatus & SPV) != 0;
                hstatus &= ~SPV;
                if (toV && dv != null) dv.huOwned = false; // entered by sret: HS-owned (dv-ext §9)
                arch.mstatus = unstackSupervisor(arch.mstatus) & ~PrivilegedArchitecture.MPRV;
                arch.setMode(target, toV);
                if (toV) enteringGuest();
                return arch.sepc;
            }
            case WFI -> {
                if ((arch.mstatus & PrivilegedArchitecture.TW) != 0 && p < Privilege.MACHINE) return illegal(insn, pc);
                if (v && (p == Privilege.USER || (guestTrapControls() & VTW) != 0)) return virtualInstruction(insn, pc);
                return NOT_HANDLED;
            }
            case SFENCE_VMA -> {
                if (v) {
                    if (p == Privilege.USER || (guestTrapControls() & VTVM) != 0) return virtualInstruction(insn, pc);
                    arch.flushTranslations(); // VS-stage translations of this guest
                    return pc + insn.length;
                }
                return NOT_HANDLED;
            }
            case HFENCE_VVMA, HFENCE_GVMA -> {
                if (v) return virtualInstruction(insn, pc);
                if (p == Privilege.USER) return illegal(insn, pc);
                if (insn.op == org.duvisor.rv64.isa.Op.HFENCE_GVMA && p == Privilege.SUPERVISOR
                        && (arch.mstatus & PrivilegedArchitecture.TVM) != 0) {
                    return illegal(insn, pc);
                }
                arch.flushTranslations();
                return pc + insn.length;
            }
            case HLV_B, HLV_BU, HLV_H, HLV_HU, HLVX_HU, HLV_W, HLV_WU, HLVX_WU, HLV_D, HSV_B, HSV_H, HSV_W, HSV_D -> {
                if (v) return virtualInstruction(insn, pc);
                if (p == Privilege.USER && (hstatus & HU) == 0) return illegal(insn, pc);
                return hypervisorLoadStore(h, insn, pc, (hstatus & SPVP) != 0);
            }
            default -> {
                return NOT_HANDLED;
            }
        }
    }

    /** The G-stage root and ownership the V-mode TLB entries were filled under. */
    private long guestRegimeKey = -1;

    /**
     * Called on every entry into V from HS, M or HU: the V-mode TLB sets hold combined translations
     * of one guest, so entering a different one (another G-stage root, or the other owner) flushes.
     */
    void enteringGuest() {
        long key = guestStageRoot() ^ (dv != null && dv.huOwned ? Long.MIN_VALUE : 0);
        if (key != guestRegimeKey) {
            arch.flushTranslations();
            guestRegimeKey = key;
        }
    }

    /** VTW/VTSR/VTVM of the running guest: hustatus for an HU-owned guest (dv-ext.md §3), else hstatus. */
    long guestTrapControls() {
        return dv != null && dv.huOwned ? dv.hustatus : hstatus;
    }

    private static long unstackSupervisor(long status) {
        long s = status & ~(PrivilegedArchitecture.SIE | PrivilegedArchitecture.SPP);
        if ((status & PrivilegedArchitecture.SPIE) != 0) s |= PrivilegedArchitecture.SIE;
        return s | PrivilegedArchitecture.SPIE;
    }

    /** HLV, HLVX and HSV (8.3.1): guest accesses at hstatus.SPVP, never through the soft TLB. */
    long hypervisorLoadStore(Hart h, Insn insn, long pc, boolean asSupervisor) {
        long address = h.x[insn.rs1];
        hypervisorAccess = true;
        hypervisorAccessAsSupervisor = asSupervisor;
        hlvx = switch (insn.op) {
            case HLVX_HU, HLVX_WU, HULVX_HU, HULVX_WU -> true;
            default -> false;
        };
        try {
            switch (insn.op) {
                case HSV_B, HUSV_B -> memory.store(address, h.x[insn.rs2], 1);
                case HSV_H, HUSV_H -> memory.store(address, h.x[insn.rs2], 2);
                case HSV_W, HUSV_W -> memory.store(address, h.x[insn.rs2], 4);
                case HSV_D, HUSV_D -> memory.store(address, h.x[insn.rs2], 8);
                default -> {
                    long v = switch (insn.op) {
                        case HLV_B, HULV_B -> (byte) memory.load(address, 1);
                        case HLV_BU, HULV_BU -> memory.load(address, 1);
                        case HLV_H, HULV_H -> (short) memory.load(address, 2);
                        case HLV_HU, HLVX_HU, HULV_HU, HULVX_HU -> memory.load(address, 2);
                        case HLV_W, HULV_W -> (int) memory.load(address, 4);
                        case HLV_WU, HLVX_WU, HULV_WU, HULVX_WU -> memory.load(address, 4);
                        default -> memory.load(address, 8);
                    };
                    if (!h.trapPending) h.setX(insn.rd, v);
                }
            }
        } finally {
            hypervisorAccess = false;
            hlvx = false;
        }
        return h.trapPending ? pc : pc + insn.length;
    }

    private boolean hlvx;

    // ---- two-stage translation (8.5) ----

    @Override
    public boolean guestData() {
        if (hypervisorAccess) return true;
        if (hart.virtualMode) return true;
        return hart.privilege == Privilege.MACHINE && (arch.mstatus & PrivilegedArchitecture.MPRV) != 0 && (arch.mstatus & MPV) != 0
                && (arch.mstatus & PrivilegedArchitecture.MPP) != (3L << PrivilegedArchitecture.MPP_SHIFT);
    }

    /** The privilege guest loads and stores run at: SPVP for HLV/HSV, MPP under MPRV, else the current one. */
    private int guestPrivilege(int access) {
        if (access != PageTableWalker.FETCH && hypervisorAccess) return hypervisorAccessAsSupervisor ? Privilege.SUPERVISOR : Privilege.USER;
        if (access != PageTableWalker.FETCH && !hart.virtualMode) {
            return (int) ((arch.mstatus & PrivilegedArchitecture.MPP) >>> PrivilegedArchitecture.MPP_SHIFT);
        }
        return hart.privilege;
    }

    private int implicitCause;
    private final PageTableWalker.TableMapper tableMapper = new PageTableWalker.TableMapper() {
        @Override
        public long map(long guestPhysical, int access) {
            long pa = guestStage(guestPhysical, PageTableWalker.LOAD);
            if (pa >= 0) return pa;
            // A fault of the implicit page-table read is reported for the original access (8.6.3).
            implicitCause = implicitFault(access, gStageCause);
            implicitAddress = guestPhysical;
            return -1;
        }

        @Override
        public int cause() {
            return implicitCause;
        }
    };
    private long implicitAddress;
    private int gStageCause;

    private static int implicitFault(int access, int gCause) {
        boolean guestPage = gCause == Cause.LOAD_GUEST_PAGE_FAULT || gCause == Cause.INSTRUCTION_GUEST_PAGE_FAULT
                || gCause == Cause.STORE_GUEST_PAGE_FAULT;
        return switch (access) {
            case PageTableWalker.FETCH -> guestPage ? Cause.INSTRUCTION_GUEST_PAGE_FAULT : Cause.INSTRUCTION_ACCESS_FAULT;
            case PageTableWalker.LOAD -> guestPage ? Cause.LOAD_GUEST_PAGE_FAULT : Cause.LOAD_ACCESS_FAULT;
            default -> guestPage ? Cause.STORE_GUEST_PAGE_FAULT : Cause.STORE_ACCESS_FAULT;
        };
    }

    /** hgatp (HS-owned guests); DV-Ext's HU-owned guests use hugatp instead. */
    long guestStageRoot() {
        if (dv != null && (dv.userHypervisorAccess || hart.virtualMode && dv.huOwned)) return dv.guestStageRoot();
        return hgatp;
    }

    /** The G-stage translation of {@code gpa}, or -1 with {@link #gStageCause} set. */
    private long guestStage(long gpa, int access) {
        long root = guestStageRoot();
        if (root >>> 60 == 0) {
            // Bare: the GPA is the physical address (8.2.10); the width still bounds it.
            return gpa;
        }
        int cause = gWalker.walkGuestStage(gpa, access, (arch.mstatus & PrivilegedArchitecture.MXR) != 0, root);
        if (cause != 0) {
            gStageCause = cause;
            return -1;
        }
        gPermissions = gWalker.leafPermissions;
        return gWalker.physical;
    }

    private int gPermissions;

    @Override
    public long translate(long va, int access, int size) {
        int walkAccess = hlvx ? PageTableWalker.FETCH : access;
        int privilege = guestPrivilege(access);
        boolean mxr = (vsstatus & PrivilegedArchitecture.MXR) != 0 || (arch.mstatus & PrivilegedArchitecture.MXR) != 0;
        boolean sum = (vsstatus & PrivilegedArchitecture.SUM) != 0;
        long gpa;
        int vsPermissions = Pmp.R | Pmp.W | Pmp.X;
        if (vsatp >>> 60 == 0) {
            gpa = va;
        } else {
            int cause = vsWalker.walkVirtualSupervisor(va, walkAccess, privilege, sum, mxr, vsatp, tableMapper);
            if (cause != 0) {
                cause = loadCauseForHlvx(cause);
                boolean implicit = cause == Cause.LOAD_GUEST_PAGE_FAULT || cause == Cause.STORE_GUEST_PAGE_FAULT
                        || cause == Cause.INSTRUCTION_GUEST_PAGE_FAULT;
                // Pseudo-instructions for implicit VS-stage page-table reads (8.6.3, table "Special values for htinst").
                hart.raise(cause, va, implicit ? implicitAddress >>> 2 : 0, implicit ? 0x3000 : 0, true);
                return -1;
            }
            gpa = vsWalker.physical;
            vsPermissions = vsWalker.leafPermissions;
        }
        gPermissions = Pmp.R | Pmp.W | Pmp.X;
        long pa = guestStage(gpa, walkAccess);
        if (pa < 0) {
            hart.raise(loadCauseForHlvx(gStageCause), va, gpa >>> 2, 0, true);
            return -1;
        }
        if (dv != null && dv.confined() && !dv.insideWindow(pa, size)) {
            // vPMP (dv-ext §8): an HU-owned guest reaches only the frames its control plane gave.
            hart.raise(loadCauseForHlvx(org.duvisor.rv64.priv.PageTableWalker.accessFaultCause(walkAccess)), va, 0, 0, true);
            return -1;
        }
        permissions = vsPermissions & gPermissions;
        return pa;
    }

    /** HLVX checks execute permission but faults as a load (8.3.1). */
    private int loadCauseForHlvx(int cause) {
        if (!hlvx) return cause;
        return switch (cause) {
            case Cause.INSTRUCTION_PAGE_FAULT -> Cause.LOAD_PAGE_FAULT;
            case Cause.INSTRUCTION_GUEST_PAGE_FAULT -> Cause.LOAD_GUEST_PAGE_FAULT;
            case Cause.INSTRUCTION_ACCESS_FAULT -> Cause.LOAD_ACCESS_FAULT;
            default -> cause;
        };
    }

    @Override
    public int permissions() {
        return permissions;
    }

    /** The soft TLB caches combined translations; any change of the guest's regime drops them. */
    void flushGuestTranslations() {
        arch.flushTranslations();
    }

    InterruptPins pins() {
        return arch.pins;
    }
}
