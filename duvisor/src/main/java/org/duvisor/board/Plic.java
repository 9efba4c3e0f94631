package org.duvisor.board;

import java.util.List;
import org.duvisor.rv64.priv.InterruptPins;

/**
 * The platform-level interrupt controller (RISC-V PLIC Specification 1.0.0, register map of QEMU's
 * {@code virt}): 95 level-triggered sources, two contexts per hart (context 2i is hart i's M mode
 * and drives MEIP, 2i+1 its S mode and drives SEIP). With DV-Ext's virtual PLIC (dv-ext.md §7)
 * each hart has a third context driving VSEIP (contexts 3i, 3i+1, 3i+2), and the "vinterrupts"
 * register at +0x1F0_0000 raises sources 0x80+n from any thread: writing {@code 1 << n} sets bit
 * n, completing source 0x80+n clears it.
 *
 * <p>Gateways (spec chapter "Interrupt Gateways"): a level-triggered source is pending while its
 * line is high and it is not in flight; a claim takes it in flight (clearing pending) and the
 * completion releases it, so a line still high pends again. A line that drops before the claim
 * withdraws its request. An edge-triggered source ({@link #edgeSource}) turns each rising edge into
 * one request that stays pending until claimed; an edge while in flight is kept (one, not counted)
 * and pends after the completion. Every change recomputes all context outputs.
 *
 * <p>The outputs drive each hart's MEIP/SEIP (and VSEIP) pins, or, for a VMM's PLIC model, whatever
 * {@link Outputs} the owner supplies per hart.
 */
public final class Plic implements BoardDevice {
    public static final long VIRT_BASE = 0x0C00_0000, SIZE = 0x60_0000;
    /** The window with the vinterrupts register (dv-ext.md §7). */
    public static final long VIRTUAL_SIZE = 0x200_0000, VINTERRUPTS = 0x1F0_0000;
    /** vinterrupts bit n raises source VIRTUAL_SOURCE_BASE + n. */
    public static final int VIRTUAL_SOURCE_BASE = 0x80, VIRTUAL_SOURCES = 32;
    /** VSEIP's bit in mip (H extension 8.2.4). */
    public static final int VSEIP = 10;
    /** Sources 1..SOURCES; source 0 means "no interrupt". */
    public static final int SOURCES = 95;
    /** Priority and threshold are 3-bit WARL registers (0 = never interrupts), as on QEMU virt. */
    public static final int MAX_PRIORITY = 7;

    static final long PENDING = 0x1000, ENABLES = 0x2000, ENABLE_STRIDE = 0x80;
    static final long CONTEXTS = 0x20_0000, CONTEXT_STRIDE = 0x1000, CLAIM = 4;

    /** What the contexts of one hart drive: a mip bit (MEIP, SEIP or VSEIP) set to a level. */
    @FunctionalInterface
    public interface Outputs {
        void set(int mipBit, boolean level);
    }

    private final long base;
    private final List<Outputs> harts;
    private final int contexts, perHart, sources, words;
    private final boolean virtual;
    private final int[] priority;
    /** The vinterrupts register: its bits are the levels of sources 0x80..0x9F. */
    private int vinterrupts;
    /** Bitmaps of 32-bit words indexed like the pending registers (bit n of word n/32 = source n). */
    private final int[] level, inFlight;
    /** Which sources have edge-triggered gateways, and their latched requests. */
    private final int[] edge, edgeRequest;
    private final int[] enable;
    private final int[] threshold;
    private final boolean[] output;

    public Plic(long base, List<InterruptPins> harts) {
        this(base, harts, false);
    }

    /** With {@code virtualPlic}, the VS contexts and the vinterrupts register of DV-Ext are added. */
    public Plic(long base, List<InterruptPins> harts, boolean virtualPlic) {
        this(harts.stream().<Outputs>map(p -> p::set).toList(), base, virtualPlic);
    }

    /** A PLIC whose hart {@code i} contexts drive {@code outputs.get(i)} (a VMM's model of the guest's PLIC). */
    public static Plic withOutputs(long base, List<Outputs> outputs) {
        return new Plic(outputs, base, false);
    }

    private Plic(List<Outputs> harts, long base, boolean virtualPlic) {
        this.virtual = virtualPlic;
        this.perHart = virtualPlic ? 3 : 2;
        if (harts.isEmpty() || (long) perHart * harts.size() * CONTEXT_STRIDE > SIZE - CONTEXTS) {
            throw new IllegalArgumentException("unsupported hart count " + harts.size());
        }
        this.base = base;
        this.harts = List.copyOf(harts);
        this.contexts = perHart * harts.size();
        this.sources = virtualPlic ? VIRTUAL_SOURCE_BASE + VIRTUAL_SOURCES - 1 : SOURCES;
        this.words = (sources + 1 + 31) / 32;
        this.priority = new int[sources + 1];
        this.level = new int[words];
        this.inFlight = new int[words];
        this.edge = new int[words];
        this.edgeRequest = new int[words];
        this.enable = new int[contexts * words];
        this.threshold = new int[contexts];
        this.output = new boolean[contexts];
    }

    @Override
    public String name() {
        return "plic";
    }

    @Override
    public long base() {
        return base;
    }

    @Override
    public long size() {
        return virtual ? VIRTUAL_SIZE : SIZE;
    }

    /** The wire of source {@code n} (1..95), for the device that drives it. */
    public IrqLine source(int n) {
        if (n < 1 || n > SOURCES) throw new IllegalArgumentException("PLIC source " + n + " out of range 1.." + SOURCES);
        return high -> setLevel(n, high);
    }

    /**
     * The wire of source {@code n} (1..95) behind an edge-triggered gateway: each rising edge is one
     * request, for devices that signal events rather than hold a level (a doorbell).
     */
    public synchronized IrqLine edgeSource(int n) {
        IrqLine line = source(n);
        edge[n >>> 5] |= 1 << (n & 31);
        return line;
    }

    private synchronized void setLevel(int source, boolean high) {
        int w = source >>> 5, bit = 1 << (source & 31);
        int old = level[w];
        level[w] = high ? old | bit : old & ~bit;
        if ((edge[w] & bit) != 0) {
            if ((old & bit) != 0 || !high) return;
            edgeRequest[w] |= bit;
            update();
        } else if (old != level[w]) {
            update();
        }
    }

    private int pendingWord(int w) {
        return ((level[w] & ~edge[w]) | edgeRequest[w]) & ~inFlight[w];
    }

    /** Registers are 32 bits wide; other widths read as zero and are ignored, as on QEMU. */
    @Override
    public synchronized long read(long offset, int size) {
        if (size != 4 || (offset & 3) != 0) return 0;
        if (virtual && offset == VINTERRUPTS) return vinterrupts & 0xFFFF_FFFFL;
        if (offset < PENDING) {
            int src = (int) (offset / 4);
            return src >= 1 && src <= sources ? priority[src] : 0;
        }
        if (offset < ENABLES) {
            int w = (int) ((offset - PENDING) / 4);
            return w < words ? pendingWord(w) & 0xFFFF_FFFFL : 0;
        }
        if (offset < CONTEXTS) {
            int ctx = (int) ((offset - ENABLES) / ENABLE_STRIDE);
            int w = (int) ((offset - ENABLES) % ENABLE_STRIDE / 4);
            return ctx < contexts && w < words ? enable[ctx * words + w] & 0xFFFF_FFFFL : 0;
        }
        int ctx = (int) ((offset - CONTEXTS) / CONTEXT_STRIDE);
        long reg = (offset - CONTEXTS) % CONTEXT_STRIDE;
        if (ctx >= contexts) return 0;
        if (reg == 0) return threshold[ctx];
        if (reg == CLAIM) return claim(ctx);
        return 0;
    }

    @Override
    public synchronized void write(long offset, long value, int size) {
        if (size != 4 || (offset & 3) != 0) return;
        int v = (int) value;
        if (virtual && offset == VINTERRUPTS) {
            raiseVirtual(v);
            return;
        }
        if (offset < PENDING) {
            int src = (int) (offset / 4);
            if (src >= 1 && src <= sources) priority[src] = v & MAX_PRIORITY;
        } else if (offset < ENABLES) {
            return; // pending bits are read-only
        } else if (offset < CONTEXTS) {
            int ctx = (int) ((offset - ENABLES) / ENABLE_STRIDE);
            int w = (int) ((offset - ENABLES) % ENABLE_STRIDE / 4);
            if (ctx >= contexts || w >= words) return;
            if (w == 0) v &= ~1; // source 0 does not exist
            if (w == words - 1) v &= (int) ((1L << (sources + 1 - 32 * w)) - 1);
            enable[ctx * words + w] = v;
        } else {
            int ctx = (int) ((offset - CONTEXTS) / CONTEXT_STRIDE);
            long reg = (offset - CONTEXTS) % CONTEXT_STRIDE;
            if (ctx >= contexts) return;
            if (reg == 0) threshold[ctx] = v & MAX_PRIORITY;
            else if (reg == CLAIM) complete(ctx, v);
            else return;
        }
        update();
    }

    /** The best interrupt for {@code ctx}: highest priority above threshold, ties to the lowest id; 0 if none. */
    private int best(int ctx) {
        int bestSource = 0, bestPriority = threshold[ctx];
        for (int w = 0; w < words; w++) {
            int bits = pendingWord(w) & enable[ctx * words + w];
            while (bits != 0) {
                int src = 32 * w + Integer.numberOfTrailingZeros(bits);
                bits &= bits - 1;
                if (priority[src] > bestPriority) {
                    bestPriority = priority[src];
                    bestSource = src;
                }
            }
        }
        return bestSource;
    }

    private int claim(int ctx) {
        int src = best(ctx);
        if (src != 0) {
            inFlight[src >>> 5] |= 1 << (src & 31);
            edgeRequest[src >>> 5] &= ~(1 << (src & 31)); // the gateway's request is taken
            update();
        }
        return src;
    }

    /** A completion for a source not enabled in this context is ignored (spec, "Interrupt Completion"). */
    private void complete(int ctx, int src) {
        if (src < 1 || src > sources) return;
        int bit = 1 << (src & 31);
        if ((enable[ctx * words + (src >>> 5)] & bit) == 0) return;
        inFlight[src >>> 5] &= ~bit;
        if (virtual && src >= VIRTUAL_SOURCE_BASE) {
            // Completing a virtual source consumes its vinterrupts bit (dv-ext.md §7).
            vinterrupts &= ~(1 << (src - VIRTUAL_SOURCE_BASE));
            level[src >>> 5] &= ~bit;
        }
    }

    /** A write to vinterrupts: each set bit n raises source 0x80+n (any thread may post). */
    public synchronized void raiseVirtual(int bits) {
        vinterrupts |= bits;
        for (int n = 0; n < VIRTUAL_SOURCES; n++) {
            if ((bits >>> n & 1) == 0) continue;
            int src = VIRTUAL_SOURCE_BASE + n;
            level[src >>> 5] |= 1 << (src & 31);
        }
        update();
    }

    private void update() {
        for (int ctx = 0; ctx < contexts; ctx++) {
            boolean out = best(ctx) != 0;
            if (out != output[ctx]) {
                output[ctx] = out;
                int mode = ctx % perHart;
                harts.get(ctx / perHart).set(mode == 0 ? InterruptPins.MEIP : mode == 1 ? InterruptPins.SEIP : VSEIP, out);
            }
        }
    }

    @Override
    public void describe(DeviceTree tree, DeviceTree.Node soc) {
        long[] interrupts = new long[2 * contexts];
        int k = 0;
        for (int i = 0; i < harts.size(); i++) {
            int intc = tree.phandle("cpu" + i + "-intc");
            interrupts[k++] = intc;
            interrupts[k++] = InterruptPins.MEIP;
            interrupts[k++] = intc;
            interrupts[k++] = InterruptPins.SEIP;
            if (virtual) {
                interrupts[k++] = intc;
                interrupts[k++] = VSEIP;
            }
        }
        soc.child("plic@" + Long.toHexString(base))
                .property("compatible", "sifive,plic-1.0.0", "riscv,plic0")
                .u64("reg", base, size())
                .cells("#interrupt-cells", 1)
                .property("interrupt-controller")
                .cells("#address-cells", 0)
                .cells("riscv,ndev", SOURCES)
                .cells("interrupts-extended", interrupts)
                .cells("phandle", tree.phandle("plic"));
    }
}
