package org.duvisor.vm;

import org.duvisor.board.IrqLine;
import org.duvisor.board.Plic;

/**
 * DuVisor's device interrupts (dv-ext.md §7): each of a VM's interrupt sources gets its own bit of
 * the host PLIC's vinterrupts register from the control plane, at VM creation; afterwards a rising
 * line posts that bit from whichever thread the device runs on, with no exit and no host-kernel
 * entry. The guest claims and completes through its mapped VS-context page, and the completion
 * consumes the bit. The register is written, not wired: a line still high after the completion is
 * posted again only when it falls and rises, so a guest acknowledges the device before it
 * completes, as virtio drivers do.
 */
final class VirtualPlicLines implements GuestDevices.Interrupts {
    private final ControlPlane control;
    private final ControlPlane.VmMemory vm;
    private final Plic hostPlic;
    /** The vinterrupts bits handed to this VM, as a mask. */
    private int bits;

    VirtualPlicLines(ControlPlane control, ControlPlane.VmMemory vm, Plic hostPlic) {
        this.control = control;
        this.vm = vm;
        this.hostPlic = hostPlic;
    }

    @Override
    public IrqLine line(int source, boolean edgeTriggered) {
        int n = control.allocateVirtualSource(vm);
        bits |= 1 << n;
        return new Line(1 << n);
    }

    /** The vinterrupts bits of this VM's sources (source 0x80 + n for bit n). */
    int bits() {
        return bits;
    }

    private final class Line implements IrqLine {
        private final int bit;
        private boolean level;

        Line(int bit) {
            this.bit = bit;
        }

        @Override
        public synchronized void set(boolean high) {
            if (high && !level) hostPlic.raiseVirtual(bit);
            level = high;
        }
    }
}
