package org.duvisor.rv64.dbt;

import java.util.ArrayList;
import java.util.List;
import org.agrona.collections.Long2LongHashMap;
import org.duvisor.dbt.cache.Region;
import org.duvisor.dbt.memory.MemorySlowPath;
import org.duvisor.dbt.memory.SoftTlb;
import org.duvisor.rv64.exec.Interpreter;
import org.duvisor.rv64.hart.Cause;
import org.duvisor.rv64.hart.Hart;

/**
 * Lockstep checking of translated code against the interpreter, one region execution at a time.
 *
 * <p>The region runs first with every store forced through a logging slow path (old bytes are
 * kept). Then memory is rolled back, a shadow hart starts from the same registers and the
 * interpreter executes exactly as many instructions as the region retired (plus the trapping one,
 * if the region trapped). Registers, pc, fcsr, the pending trap and every byte either side wrote
 * must agree; the first difference stops the run with both states printed.
 */
public final class Lockstep {
    /** Thrown (on this cold, debugging path only) at the first divergence. */
    public static final class Divergence extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Divergence(String message) {
            super(message);
        }
    }

    private final Hart hart;
    private final Hart shadow;
    private final Interpreter shadowInterpreter;
    private final StoreLog log;
    private long regionsChecked;

    public Lockstep(Hart hart) {
        this.hart = hart;
        MemorySlowPath memory = hart.tlb.slowPath();
        this.log = new StoreLog(memory, hart);
        hart.tlb.setSlowPath(log);
        hart.tlb.setStoresAlwaysSlow(true);
        SoftTlb shadowTlb = new SoftTlb(hart.tlb.entries, hart.tlb.ram);
        shadowTlb.setSlowPath(log);
        shadowTlb.setStoresAlwaysSlow(true);
        this.shadow = new Hart(hart.hartId, shadowTlb);
        this.shadowInterpreter = new Interpreter(shadow);
    }

    /** Code memory changed: the shadow's decoded instructions are stale. */
    void flushCode() {
        shadowInterpreter.flushCode();
    }

    public long regionsChecked() {
        return regionsChecked;
    }

    /** Runs {@code r} on the hart and checks it against the interpreter. */
    int run(Region<RegionCode> r) {
        Hart h = hart;
        copy(h, shadow);
        log.begin();
        int slot = r.code.run(h);
        log.recording = false;
        long retired = h.instret - shadow.instret;
        Long2LongHashMap translatedBytes = log.currentBytes();
        log.rollBack();

        // The memory model records faults in the hart it serves: park the hart's own trap and let
        // the log hand faults raised during the replay to the shadow.
        boolean trapped = h.trapPending;
        long cause = h.trapCause, value = h.trapValue;
        h.clearTrap();
        log.redirectTo = shadow;
        log.recording = true;
        for (long k = 0; k < retired && !shadow.trapPending; k++) shadowInterpreter.executeOne();
        if (trapped && !shadow.trapPending) shadowInterpreter.executeOne();
        log.recording = false;
        log.redirectTo = null;
        h.trapPending = trapped;
        h.trapCause = cause;
        h.trapValue = value;
        Long2LongHashMap interpretedBytes = log.currentBytes();
        regionsChecked++;
        compare(r, translatedBytes, interpretedBytes);
        shadow.clearTrap();
        return slot;
    }

    private static void copy(Hart from, Hart to) {
        System.arraycopy(from.x, 0, to.x, 0, 32);
        System.arraycopy(from.f, 0, to.f, 0, 32);
        to.pc = from.pc;
        to.fflags.bits = from.fflags.bits;
        to.frm = from.frm;
        to.privilege = from.privilege;
        to.instret = from.instret;
        to.reservationAddress = from.reservationAddress;
        to.reservationValue = from.reservationValue;
        to.trapPending = false;
    }

    private void compare(Region<RegionCode> r, Long2LongHashMap translated, Long2LongHashMap interpreted) {
        List<String> diffs = new ArrayList<>();
        Hart a = hart, b = shadow;
        for (int i = 1; i < 32; i++) {
            if (a.x[i] != b.x[i]) diffs.add(String.format("x%d: translated 0x%x, interpreted 0x%x", i, a.x[i], b.x[i]));
        }
        for (int i = 0; i < 32; i++) {
            if (a.f[i] != b.f[i]) diffs.add(String.format("f%d: translated 0x%x, interpreted 0x%x", i, a.f[i], b.f[i]));
        }
        if (a.pc != b.pc) diffs.add(String.format("pc: translated 0x%x, interpreted 0x%x", a.pc, b.pc));
        if (a.instret != b.instret) diffs.add("instret: translated " + a.instret + ", interpreted " + b.instret);
        if (a.fflags.bits != b.fflags.bits) diffs.add("fflags: translated " + a.fflags.bits + ", interpreted " + b.fflags.bits);
        if (a.trapPending != b.trapPending || (a.trapPending && (a.trapCause != b.trapCause || a.trapValue != b.trapValue))) {
            diffs.add("trap: translated " + trap(a) + ", interpreted " + trap(b));
        }
        for (Long2LongHashMap.KeyIterator it = translated.keySet().iterator(); it.hasNext(); ) {
            long address = it.nextValue();
            if (!interpreted.containsKey(address) || interpreted.get(address) != translated.get(address)) {
                diffs.add(String.format("memory 0x%x: translated %02x, interpreted %s", address, translated.get(address),
                        interpreted.containsKey(address) ? String.format("%02x", interpreted.get(address)) : "not written"));
            }
        }
        for (Long2LongHashMap.KeyIterator it = interpreted.keySet().iterator(); it.hasNext(); ) {
            long address = it.nextValue();
            if (!translated.containsKey(address)) {
                diffs.add(String.format("memory 0x%x: translated not written, interpreted %02x", address, interpreted.get(address)));
            }
        }
        if (!diffs.isEmpty()) {
            StringBuilder sb = new StringBuilder(String.format(
                    "lockstep divergence after region 0x%x (%d guest instructions, check #%d):%n",
                    r.key, r.guestInstructions, regionsChecked));
            diffs.stream().limit(40).forEach(d -> sb.append("  ").append(d).append('\n'));
            throw new Divergence(sb.toString());
        }
    }

    private static String trap(Hart h) {
        return h.trapPending ? Cause.name(h.trapCause) + " tval=0x" + Long.toHexString(h.trapValue) : "none";
    }

    /**
     * Wraps the memory slow path, logging the bytes each store overwrites while recording. The log
     * is two growable arrays, so that starting a new check costs nothing however big the last was.
     */
    static final class StoreLog implements MemorySlowPath {
        private final MemorySlowPath memory;
        private final Hart served;
        /** While set, a trap the memory model raises in the served hart is moved to this one. */
        Hart redirectTo;
        boolean recording;
        /** (address, old byte) in store order, for roll-back; the addresses also say what was written. */
        private long[] undoAddress = new long[256];
        private byte[] undoOld = new byte[256];
        private int undoCount;

        StoreLog(MemorySlowPath memory, Hart served) {
            this.memory = memory;
            this.served = served;
        }

        private void moveTrap() {
            if (redirectTo != null && served.trapPending) {
                redirectTo.raise((int) served.trapCause, served.trapValue);
                served.clearTrap();
            }
        }

        void begin() {
            undoCount = 0;
            recording = true;
        }

        @Override
        public long load(long address, int size) {
            long v = memory.load(address, size);
            moveTrap();
            return v;
        }

        @Override
        public void store(long address, long value, int size) {
            if (recording) logOldBytes(address, size);
            memory.store(address, value, size);
            moveTrap();
        }

        /** Logs the bytes a store is about to overwrite; nothing if they cannot be read (the store faults). */
        private void logOldBytes(long address, int size) {
            boolean trapped = served.trapPending;
            long cause = served.trapCause, value = served.trapValue;
            long bytes = memory.load(address, size);
            boolean readable = !served.trapPending || trapped;
            served.trapPending = trapped;
            served.trapCause = cause;
            served.trapValue = value;
            if (!readable) return;
            if (undoCount + size > undoAddress.length) {
                undoAddress = java.util.Arrays.copyOf(undoAddress, undoAddress.length * 2 + size);
                undoOld = java.util.Arrays.copyOf(undoOld, undoAddress.length);
            }
            for (int k = 0; k < size; k++) {
                undoAddress[undoCount] = address + k;
                undoOld[undoCount++] = (byte) (bytes >>> (8 * k));
            }
        }

        @Override
        public int fetch16(long address) {
            int v = memory.fetch16(address);
            moveTrap();
            return v;
        }

        @Override
        public long atomicOffset(long address, int size) {
            // Atomics bypass the slow path's store: log the whole word as written.
            if (recording) logOldBytes(address, size);
            long offset = memory.atomicOffset(address, size);
            moveTrap();
            return offset;
        }

        /** The current value of every byte written since {@link #begin}. */
        Long2LongHashMap currentBytes() {
            Long2LongHashMap out = new Long2LongHashMap(Math.max(8, undoCount * 2), 0.65f, -1);
            for (int k = 0; k < undoCount; k++) {
                long a = undoAddress[k];
                if (!out.containsKey(a)) out.put(a, memory.load(a, 1) & 0xFF);
            }
            return out;
        }

        void rollBack() {
            boolean was = recording;
            recording = false;
            for (int k = undoCount - 1; k >= 0; k--) memory.store(undoAddress[k], undoOld[k] & 0xFF, 1);
            recording = was;
            undoCount = 0;
        }
    }
}
