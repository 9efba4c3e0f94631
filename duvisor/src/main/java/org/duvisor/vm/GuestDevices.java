package org.duvisor.vm;

import org.duvisor.dbt.bus.MmioDevice;

/**
 * The emulated devices a VM-plane guest sees besides the UART: a doorbell (any write asks the
 * device to raise its interrupt) and the guest's PLIC at the virt board's address as a VMM emulates
 * it — one source (the doorbell's), claim returning it while pending, completion and the
 * priority/enable/threshold registers accepted. DuVisor maps the guest's claim page onto the host
 * PLIC's VS context instead (dv-ext.md §7), so only the set-up registers reach this emulation there.
 */
final class GuestDevices {
    static final long PLIC_BASE = 0x0C00_0000L, PLIC_SIZE = 0x60_0000;
    static final long DOORBELL_BASE = 0x1000_8000L, DOORBELL_SIZE = 0x1000;
    /** The doorbell's interrupt source in the guest's PLIC numbering. */
    static final int DOORBELL_SOURCE = 1;
    static final long CONTEXTS = 0x20_0000, CONTEXT_STRIDE = 0x1000;

    private GuestDevices() {
    }

    /** The guest-physical claim/complete page of the guest's context for vCPU {@code vcpu} in S-mode (context 2i+1). */
    static long claimPage(int vcpu) {
        return PLIC_BASE + CONTEXTS + CONTEXT_STRIDE * (2L * vcpu + 1);
    }

    /** The VMM's PLIC model. */
    static final class Plic implements MmioDevice {
        volatile boolean pending;

        @Override
        public long read(long offset, int size) {
            if (offset >= CONTEXTS && (offset - CONTEXTS) % CONTEXT_STRIDE == 4 && pending) {
                pending = false;
                return DOORBELL_SOURCE;
            }
            return 0;
        }

        @Override
        public void write(long offset, long value, int size) {
            // priority, enables, threshold and completion: accepted; the one source needs no state
        }
    }

    /** A write rings: {@code ring} raises the device's interrupt the plane's way. */
    static final class Doorbell implements MmioDevice {
        volatile Runnable ring = () -> { };

        @Override
        public long read(long offset, int size) {
            return 0;
        }

        @Override
        public void write(long offset, long value, int size) {
            ring.run();
        }
    }
}
