package org.duvisor.rv64.insn;

import org.duvisor.rv64.hart.Cause;
import org.duvisor.rv64.hart.Csr;
import org.duvisor.rv64.hart.Hart;
import org.duvisor.rv64.isa.Insn;

/**
 * Zicsr. CSRRW with rd = x0 does not read; CSRRS/CSRRC (and the immediate forms) with rs1 = x0 /
 * uimm = 0 do not write, so they may read read-only CSRs (Zicsr chapter, "CSR Instructions").
 */
public final class CsrOps {
    private CsrOps() {
    }

    public static long execute(Hart h, Insn i, long pc) {
        int address = (int) i.imm;
        boolean immediate = switch (i.op) {
            case CSRRWI, CSRRSI, CSRRCI -> true;
            default -> false;
        };
        long operand = immediate ? i.rs1 : h.x[i.rs1];
        boolean writes = switch (i.op) {
            case CSRRW, CSRRWI -> true;
            default -> i.rs1 != 0;
        };
        boolean reads = !((i.op == org.duvisor.rv64.isa.Op.CSRRW || i.op == org.duvisor.rv64.isa.Op.CSRRWI) && i.rd == 0);
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
