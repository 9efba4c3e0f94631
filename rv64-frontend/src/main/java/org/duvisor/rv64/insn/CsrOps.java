package org.duvisor.rv64.insn;

import org.duvisor.rv64.fp.FloatFlags;
import org.duvisor.rv64.hart.Cause;
import org.duvisor.rv64.hart.Csr;
import org.duvisor.rv64.hart.Hart;
import org.duvisor.rv64.isa.Family;
import org.duvisor.rv64.isa.Insn;
import org.duvisor.rv64.isa.Op;

/**
 * Zicsr. CSRRW with rd = x0 does not read; CSRRS/CSRRC (and the immediate forms) with rs1 = x0 /
 * uimm = 0 do not write, so they may read read-only CSRs (Zicsr chapter, "CSR Instructions").
 */
public final class CsrOps {
    private CsrOps() {
    }

    /** The address of fflags (F extension), the one CSR that translated code accesses itself. */
    public static final int FFLAGS = 0x001;

    /**
     * Whether translated code does {@code i} itself instead of leaving for the interpreter: an
     * access to fflags where the FP state is Dirty, as in every region that translates FP
     * instructions. There fflags is always accessible and a write leaves FS alone, so the
     * access is just the flags' read-modify-write; compilers put {@code frflags}/{@code fsflags}
     * around quiet comparisons (an inlined sqrt's domain test), inside hot FP loops.
     */
    public static boolean translatedWhereFpIsDirty(Insn i) {
        return i.op.family == Family.CSR && (int) i.imm == FFLAGS;
    }

    /**
     * Emits a {@link #translatedWhereFpIsDirty} instruction: the same reads and writes as
     * {@link #execute}, a write being {@link org.duvisor.rv64.hart.Csr#update}'s set and clear
     * (CSRRW clears every bit and sets the operand).
     */
    public static boolean emit(org.duvisor.rv64.dbt.RegionEmitter e, Insn i) {
        if (!translatedWhereFpIsDirty(i)) return false;
        // A zero operand (rs1 = x0, uimm = 0) sets or clears nothing, which for fflags is not writing.
        e.loadFlags();
        switch (i.op) {
            case CSRRW, CSRRWI -> {
                pushOperand(e, i);
                e.pushLong(-1);
            }
            case CSRRS, CSRRSI -> {
                pushOperand(e, i);
                e.pushLong(0);
            }
            default -> {
                e.pushLong(0);
                pushOperand(e, i);
            }
        }
        e.invokeStatic(CsrOps.class, "updateFflags", "(Lorg/duvisor/rv64/fp/FloatFlags;JJ)J");
        e.storeX(i.rd);
        return true;
    }

    private static void pushOperand(org.duvisor.rv64.dbt.RegionEmitter e, Insn i) {
        if (isImmediate(i.op)) e.pushLong(i.rs1);
        else e.loadX(i.rs1);
    }

    /**
     * fflags for translated code, as the CSR file's fflags (UserCsrs) updates it for the
     * interpreter: clears the bits of {@code clear}, sets those of {@code set}, returns the old value.
     */
    public static long updateFflags(FloatFlags f, long set, long clear) {
        int old = f.bits;
        f.bits = (int) ((old & ~clear) | set) & 0x1F;
        return old;
    }

    private static boolean isImmediate(Op op) {
        return switch (op) {
            case CSRRWI, CSRRSI, CSRRCI -> true;
            default -> false;
        };
    }

    public static long execute(Hart h, Insn i, long pc) {
        int address = (int) i.imm;
        long operand = isImmediate(i.op) ? i.rs1 : h.x[i.rs1];
        boolean writes = switch (i.op) {
            case CSRRW, CSRRWI -> true;
            default -> i.rs1 != 0;
        };
        boolean reads = !((i.op == Op.CSRRW || i.op == Op.CSRRWI) && i.rd == 0);
        Csr csr = h.csrs.get(address);
        if (h.virtualMode && h.csrs.virtualAccessRule != null) {
            int cause = h.csrs.virtualAccessRule.check(h, address, writes);
            if (cause != 0) {
                h.raise(cause, i.bits & 0xFFFF_FFFFL);
                return pc;
            }
        }
        if (csr == null || !csr.accessible(h, writes) || (writes && csr.isReadOnly())) {
            h.raise(Cause.ILLEGAL_INSTRUCTION, i.bits & 0xFFFF_FFFFL);
            return pc;
        }
        long old = reads ? csr.read(h) : 0;
        if (h.trapPending) return pc;
        if (writes) {
            switch (i.op) {
                case CSRRW, CSRRWI -> csr.write(h, operand);
                case CSRRS, CSRRSI -> csr.update(h, operand, 0);
                default -> csr.update(h, 0, operand);
            }
            if (h.trapPending) return pc;
        }
        h.setX(i.rd, old);
        return pc + i.length;
    }
}
