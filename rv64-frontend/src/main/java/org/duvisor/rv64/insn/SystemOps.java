package org.duvisor.rv64.insn;

import java.lang.invoke.VarHandle;
import org.duvisor.rv64.hart.Cause;
import org.duvisor.rv64.hart.Hart;
import org.duvisor.rv64.hart.Privilege;
import org.duvisor.rv64.isa.Insn;

/** ECALL, EBREAK, the memory fences and FENCE.I (chapters 2, 3 and 6), and the PAUSE hint. */
public final class SystemOps {
    private SystemOps() {
    }

    public static long execute(Hart h, Insn i, long pc) {
        switch (i.op) {
            case ECALL -> {
                h.raise(switch (h.privilege) {
                    case Privilege.USER -> Cause.ECALL_FROM_U;
                    case Privilege.SUPERVISOR -> h.virtualMode ? Cause.ECALL_FROM_VS : Cause.ECALL_FROM_S;
                    default -> Cause.ECALL_FROM_M;
                }, 0);
                return pc;
            }
            case EBREAK -> {
                h.raise(Cause.BREAKPOINT, pc);
                return pc;
            }
            // Harts on other threads see memory through the JVM memory model: a full fence orders
            // all earlier accesses before all later ones, which covers every pred/succ set.
            case FENCE, FENCE_TSO -> VarHandle.fullFence();
            case PAUSE -> Thread.onSpinWait();
            case FENCE_I -> {
                VarHandle.fullFence();
                h.codeFlushRequested = true;
            }
            default -> throw new IllegalStateException("not a system operation: " + i.op);
        }
        return pc + i.length;
    }

    /** Translation: fences inline; ECALL, EBREAK and FENCE.I never reach here (they end regions). */
    public static boolean emit(org.duvisor.rv64.dbt.RegionEmitter e, Insn i) {
        switch (i.op) {
            case FENCE, FENCE_TSO -> e.invokeStatic(VarHandle.class, "fullFence", "()V");
            case PAUSE -> e.invokeStatic(Thread.class, "onSpinWait", "()V");
            default -> {
                return false;
            }
        }
        return true;
    }
}
