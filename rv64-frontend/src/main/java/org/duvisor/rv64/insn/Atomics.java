package org.duvisor.rv64.insn;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import org.duvisor.rv64.hart.Cause;
import org.duvisor.rv64.hart.Hart;
import org.duvisor.rv64.isa.Insn;

/**
 * The A extension. Every read-modify-write is one atomic operation on the shared RAM segment, so it
 * stays correct when several harts run on several threads. SC succeeds when the reserved word still
 * holds the value LR read (a compare-and-set), which the spec's reservation rules permit; each
 * operation is sequentially consistent, which is at least as strong as any aq/rl combination.
 */
public final class Atomics {
    private static final VarHandle WORD = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();
    private static final VarHandle DWORD = ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();

    private Atomics() {
    }

    public static long execute(Hart h, Insn i, long pc) {
        long r = amo(h, i, h.x[i.rs1], h.x[i.rs2]);
        if (h.trapPending) return pc;
        h.setX(i.rd, r);
        return pc + i.length;
    }

    /**
     * Performs LR, SC or an AMO on {@code address} with {@code src} (rs2's value) and returns the
     * value for rd; on a fault the trap is pending in the hart and the result is meaningless. The
     * translator calls this directly with operands from its locals.
     */
    public static long amo(Hart h, Insn i, long address, long src) {
        boolean word = switch (i.op) {
            case LR_W, SC_W, AMOSWAP_W, AMOADD_W, AMOXOR_W, AMOAND_W, AMOOR_W, AMOMIN_W, AMOMAX_W,
                 AMOMINU_W, AMOMAXU_W -> true;
            default -> false;
        };
        int size = word ? 4 : 8;
        if ((address & (size - 1)) != 0) {
            h.raise(i.op == org.duvisor.rv64.isa.Op.LR_W || i.op == org.duvisor.rv64.isa.Op.LR_D
                    ? Cause.LOAD_MISALIGNED : Cause.STORE_MISALIGNED, address);
            return 0;
        }
        boolean loadReserved = i.op == org.duvisor.rv64.isa.Op.LR_W || i.op == org.duvisor.rv64.isa.Op.LR_D;
        long offset = loadReserved ? h.tlb.reservationOffset(address, size) : h.tlb.atomicOffset(address, size);
        if (offset < 0) return 0;
        MemorySegment ram = h.tlb.ram;
        long r;
        switch (i.op) {
            case LR_W, LR_D -> {
                r = word ? (long) (int) WORD.getVolatile(ram, offset) : (long) DWORD.getVolatile(ram, offset);
                h.reservationAddress = address;
                h.reservationValue = r;
            }
            case SC_W, SC_D -> {
                boolean ok = false;
                if (h.reservationAddress == address) {
                    ok = word
                            ? WORD.compareAndSet(ram, offset, (int) h.reservationValue, (int) src)
                            : DWORD.compareAndSet(ram, offset, h.reservationValue, src);
                }
                h.reservationAddress = -1;
                r = ok ? 0 : 1;
            }
            default -> r = word ? amoWord(i, ram, offset, (int) src) : amoDouble(i, ram, offset, src);
        }
        return r;
    }

    private static long amoWord(Insn i, MemorySegment ram, long offset, int v) {
        return switch (i.op) {
            case AMOSWAP_W -> (int) WORD.getAndSet(ram, offset, v);
            case AMOADD_W -> (int) WORD.getAndAdd(ram, offset, v);
            case AMOXOR_W -> (int) WORD.getAndBitwiseXor(ram, offset, v);
            case AMOAND_W -> (int) WORD.getAndBitwiseAnd(ram, offset, v);
            case AMOOR_W -> (int) WORD.getAndBitwiseOr(ram, offset, v);
            default -> {
                int old;
                do {
                    old = (int) WORD.getVolatile(ram, offset);
                } while (!WORD.compareAndSet(ram, offset, old, (int) minMax(i, old, v)));
                yield old;
            }
        };
    }

    private static long amoDouble(Insn i, MemorySegment ram, long offset, long v) {
        return switch (i.op) {
            case AMOSWAP_D -> (long) DWORD.getAndSet(ram, offset, v);
            case AMOADD_D -> (long) DWORD.getAndAdd(ram, offset, v);
            case AMOXOR_D -> (long) DWORD.getAndBitwiseXor(ram, offset, v);
            case AMOAND_D -> (long) DWORD.getAndBitwiseAnd(ram, offset, v);
            case AMOOR_D -> (long) DWORD.getAndBitwiseOr(ram, offset, v);
            default -> {
                long old;
                do {
                    old = (long) DWORD.getVolatile(ram, offset);
                } while (!DWORD.compareAndSet(ram, offset, old, minMax(i, old, v)));
                yield old;
            }
        };
    }

    /** The value AMOMIN/MAX[U] stores; word forms compare the sign-extended (or zero-extended) words. */
    private static long minMax(Insn i, long old, long v) {
        return switch (i.op) {
            case AMOMIN_W, AMOMIN_D -> Math.min(old, v);
            case AMOMAX_W, AMOMAX_D -> Math.max(old, v);
            case AMOMINU_W -> Integer.compareUnsigned((int) old, (int) v) <= 0 ? old : v;
            case AMOMAXU_W -> Integer.compareUnsigned((int) old, (int) v) >= 0 ? old : v;
            case AMOMINU_D -> Long.compareUnsigned(old, v) <= 0 ? old : v;
            case AMOMAXU_D -> Long.compareUnsigned(old, v) >= 0 ? old : v;
            default -> throw new IllegalStateException(i.op.toString());
        };
    }

    /** Translation: a direct call of {@link #amo} on operands in locals, then a trap check. */
    public static boolean emit(org.duvisor.rv64.dbt.RegionEmitter e, Insn i) {
        e.loadHart();
        e.loadCurrentInsn();
        e.loadX(i.rs1);
        e.loadX(i.rs2);
        e.invokeStatic(Atomics.class, "amo",
                "(Lorg/duvisor/rv64/hart/Hart;Lorg/duvisor/rv64/isa/Insn;JJ)J");
        e.stashLong();
        e.trapCheck();
        e.unstashLong();
        e.storeX(i.rd);
        return true;
    }
}
