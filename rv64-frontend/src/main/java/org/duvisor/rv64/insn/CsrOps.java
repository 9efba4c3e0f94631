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

    /** Emits a {@link #translatedWhereFpIsDirty} instruction: the same reads and writes as {@link #execute}. */
    public static boolean emit(org.duvisor.rv64.dbt.RegionEmitter e, Insn i) {
        if (!translatedWhereFpIsDirty(i)) return false;
        boolean immediate = isImmediate(i.op);
        if (!writes(i)) {
            e.loadFlags();
            e.invokeStatic(CsrOps.class, "readFflags", "(Lorg/duvisor/rv64/fp/FloatFlags;)J");
        } else {
            e.loadFlags();
            if (immediate) e.pushLong(i.rs1);
            else e.loadX(i.rs1);
            String method = switch (i.op) {
                case CSRRW, CSRRWI -> "writeFflags";
                case CSRRS, CSRRSI -> "setFflags";
                default -> "clearFflags";
            };
            e.invokeStatic(CsrOps.class, method, "(Lorg/duvisor/rv64/fp/FloatFlags;J)J");
        }
        e.storeX(i.rd);
        return true;
    }

    // fflags for translated code (FpCsr in UserCsrs is the same register for the interpreter); each returns the old value.

    public static long readFflags(FloatFlags f) {
        return f.bits;
    }

    public static long writeFflags(FloatFlags f, long value) {
        int old = f.bits;
        f.bits = (int) value & 0x1F;
        return old;
    }

    public static long setFflags(FloatFlags f, long mask) {
        int old = f.bits;
        f.bits = (old | (int) mask) & 0x1F;
        return old;
    }

    public static long clearFflags(FloatFlags f, long mask) {
        int old = f.bits;
        f.bits = old & ~(int) mask & 0x1F;
        return old;
    }

    private static boolean isImmediate(Op op) {
        return switch (op) {
            case CSRRWI, CSRRSI, CSRRCI -> true;
            default -> false;
        };
    }

    /** CSRRW/CSRRWI always write; CSRRS/CSRRC and their immediate forms only with a non-zero rs1 / uimm. */
    private static boolean writes(Insn i) {
        return switch (i.op) {
            case CSRRW, CSRRWI -> true;
            default -> i.rs1 != 0;
        };
    }

    public static long execute(Hart h, Insn i, long pc) {
        int address = (int) i.imm;
        long operand = isImmediate(i.op) ? i.rs1 : h.x[i.rs1];
        boolean writes = writes(i);
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
