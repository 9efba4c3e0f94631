package org.duvisor.hext;

import org.duvisor.rv64.isa.Decoder;
import org.duvisor.rv64.isa.Insn;

/**
 * The "transformed instruction" written to htinst/mtinst (and DV-Ext's hutinst) for a guest-page
 * fault of an explicit load or store (Privileged ISA 8.6.3): the trapping instruction with its
 * address fields (rs1 and the offset) zeroed; a compressed instruction becomes its 32-bit form with
 * bit 1 cleared, so a hypervisor can tell the length. Anything else transforms to 0.
 */
final class TransformedInstruction {
    private TransformedInstruction() {
    }

    static long of(int bits) {
        if (bits == 0) return 0;
        Insn i = Decoder.decode(bits);
        if (i == null) return 0;
        boolean compressed = (bits & 3) != 3;
        long t = switch (i.op.format) {
            case LOAD -> i.op.match | (i.rd << 7);
            case STORE -> i.op.match | (i.rs2 << 20);
            case AMO, LR -> i.op.match | (i.rd << 7) | (i.rs2 << 20) | (bits & (3 << 25));
            default -> -1;
        };
        if (t == -1) return 0;
        if (compressed) t &= ~2L;
        return t & 0xFFFF_FFFFL;
    }
}
