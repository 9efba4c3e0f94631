package org.duvisor.rv64.insn;

import org.duvisor.rv64.hart.Hart;
import org.duvisor.rv64.isa.Insn;
import org.duvisor.rv64.isa.Op;

/**
 * The interpreter's semantics of one operation: applies a decoded instruction to a hart and
 * returns the next pc (or the instruction's own pc with a trap pending).
 *
 * <p>Each instruction of a decoded block carries its handler, chosen once at decode time, so the
 * interpreter dispatches with one virtual call instead of switching on the operation twice. The
 * handlers live with their families; {@link #of} only looks them up.
 *
 * <p>An abstract class rather than an interface: the interpreter's call site sees dozens of
 * handlers, and HotSpot dispatches such megamorphic calls through the vtable for classes but
 * through a slower itable search for interfaces.
 */
public abstract class Semantics {
    public abstract long execute(Hart hart, Insn insn, long pc);

    /** A handler that calls a family's {@code execute}. */
    interface Family {
        long execute(Hart hart, Insn insn, long pc);
    }

    private static Semantics family(Family f) {
        return new Semantics() {
            @Override
            public long execute(Hart hart, Insn insn, long pc) {
                return f.execute(hart, insn, pc);
            }
        };
    }

    /** The handler for {@code op}. */
    public static Semantics of(Op op) {
        return Table.HANDLERS[op.ordinal()];
    }

    /** Handlers by operation ordinal. */
    static final class Table {
        static final Semantics[] HANDLERS = build();

        private Table() {
        }

        private static Semantics[] build() {
            Semantics[] t = new Semantics[Op.values().length];
            for (Op op : Op.values()) {
                t[op.ordinal()] = switch (op.family) {
                    case INTEGER -> IntegerOps.handler(op);
                    case MULTIPLY -> family(Multiply::execute);
                    case ATOMIC -> family(Atomics::execute);
                    case FLOAT -> family(Semantics::floatingPoint);
                    case BITMANIP -> family(Bitmanip::execute);
                    case CSR -> family(CsrOps::execute);
                    case SYSTEM -> family(SystemOps::execute);
                    case PRIVILEGED -> family(Semantics::privileged);
                };
            }
            return t;
        }
    }

    /** An F/D instruction: illegal while the FP unit is off (see {@link #floatingPointOn}). */
    public static long floatingPoint(Hart h, Insn i, long pc) {
        return floatingPointOn(h, i) ? FloatingPoint.execute(h, i, pc) : pc;
    }

    /**
     * Every F/D instruction needs mstatus.FS on (and vsstatus.FS while V=1) and may change FP state:
     * it is then marked dirty, the conservative choice the spec allows (Privileged ISA 3.1.6.6, H 8.2.11).
     * False, with an illegal-instruction exception pending, when the FP unit is off. (The interpreter
     * checks this before the F/D operations it runs itself.)
     */
    public static boolean floatingPointOn(Hart h, Insn i) {
        if (!h.floatingPointDirty()) {
            if (!h.floatingPointOn()) {
                h.raise(org.duvisor.rv64.hart.Cause.ILLEGAL_INSTRUCTION, i.bits & 0xFFFF_FFFFL);
                return false;
            }
            h.markFloatingPointDirty();
        }
        return true;
    }

    /** SRET, MRET, WFI, SFENCE.VMA: the machine's privileged model, or illegal without one. */
    private static long privileged(Hart h, Insn i, long pc) {
        if (h.privileged == null) {
            h.raise(org.duvisor.rv64.hart.Cause.ILLEGAL_INSTRUCTION, i.bits & 0xFFFF_FFFFL);
            return pc;
        }
        return h.privileged.execute(h, i, pc);
    }
}
