package org.duvisor.rv64.dbt;

import org.duvisor.dbt.memory.SoftTlb;
import org.duvisor.rv64.hart.Hart;

/**
 * What translated code bakes in besides its pc, packed into the code cache's context key: the
 * privilege (bits 0-1), whether FP instructions are translated (bit 2: mstatus.FS, and vsstatus.FS
 * while V=1, are Dirty, so
 * they neither trap nor change FS), and under paging the physical page of the entry (bits 12+), so a
 * region is found again only while its pc still maps to the code it was made from. With FP
 * translated, bits 4-6 hold {@code frm}: instructions with the dynamic rounding mode use it as a
 * constant (frm changes only through CSR instructions, which end regions and return to the
 * dispatcher, so the next lookup sees the new value).
 */
final class TranslationContext {
    static final long FLOAT_ON = 1L << 2;
    /** V=1: the TLB holds guest translations, and CSR/trap behaviour differs. */
    static final long VIRTUAL = 1L << 3;
    private static final int FRM_SHIFT = 4;

    private TranslationContext() {
    }

    /** The context of the hart now, for code whose entry maps to RAM offset {@code entryRamOffset}. */
    static long of(Hart h, long entryRamOffset) {
        long ctx = h.privilege | (h.virtualMode ? VIRTUAL : 0);
        if (h.floatingPointDirty()) ctx |= FLOAT_ON | (long) (h.frm & 7) << FRM_SHIFT;
        if (h.privileged != null) ctx |= (entryRamOffset & SoftTlb.PAGE_MASK);
        return ctx;
    }

    static boolean floatTranslated(long context) {
        return (context & FLOAT_ON) != 0;
    }

    /** The frm the region was made for (only meaningful when FP is translated). */
    static int frm(long context) {
        return (int) (context >>> FRM_SHIFT) & 7;
    }
}
