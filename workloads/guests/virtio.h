/* A minimal virtio-mmio (version 2, VIRTIO 1.2 §4.2.2) driver for VM-plane guests: finding a
   device in the virt board's slots, the status and feature handshake (§3.1.1), one split virtqueue
   of QN descriptors (§2.7), and the guest PLIC's S-mode context of vCPU 0, through which the
   devices' interrupts arrive. A claimed interrupt id is only completed, never interpreted: the
   handler asks each device's InterruptStatus instead, so the driver works whatever numbering the
   plane gives its sources (on DuVisor the host vPLIC's, 0x80 + n). */
#ifndef VIRTIO_H
#define VIRTIO_H
#include <stdint.h>
#include "guest.h"

#define VIRTIO_BASE       0x10001000ul
#define VIRTIO_SLOT_SIZE  0x1000ul
#define VIRTIO_SLOTS      7
#define PLIC_BASE         0x0C000000ul
#define PLIC_CONTEXT      1                 /* vCPU 0, S-mode */

/* Registers (§4.2.2) */
#define R_MAGIC 0x000
#define R_VERSION 0x004
#define R_DEVICE_ID 0x008
#define R_DEVICE_FEATURES 0x010
#define R_DEVICE_FEATURES_SEL 0x014
#define R_DRIVER_FEATURES 0x020
#define R_DRIVER_FEATURES_SEL 0x024
#define R_QUEUE_SEL 0x030
#define R_QUEUE_NUM_MAX 0x034
#define R_QUEUE_NUM 0x038
#define R_QUEUE_READY 0x044
#define R_QUEUE_NOTIFY 0x050
#define R_INTERRUPT_STATUS 0x060
#define R_INTERRUPT_ACK 0x064
#define R_STATUS 0x070
#define R_QUEUE_DESC_LOW 0x080
#define R_QUEUE_DESC_HIGH 0x084
#define R_QUEUE_DRIVER_LOW 0x090
#define R_QUEUE_DRIVER_HIGH 0x094
#define R_QUEUE_DEVICE_LOW 0x0A0
#define R_QUEUE_DEVICE_HIGH 0x0A4
#define R_CONFIG 0x100

#define S_ACKNOWLEDGE 1
#define S_DRIVER 2
#define S_DRIVER_OK 4
#define S_FEATURES_OK 8
#define S_NEEDS_RESET 0x40

#define ISR_USED 1
#define ISR_CONFIG 2

#define DESC_F_NEXT 1
#define DESC_F_WRITE 2

#define QN 8

struct virtq_desc { uint64_t addr; uint32_t len; uint16_t flags; uint16_t next; };
struct virtq_avail { uint16_t flags; uint16_t idx; uint16_t ring[QN]; };
struct virtq_used_elem { uint32_t id; uint32_t len; };
struct virtq_used { uint16_t flags; uint16_t idx; struct virtq_used_elem ring[QN]; };

/* One device with its queue 0; the rings live in the structure, on its own page. */
struct virtio_dev {
    struct virtq_desc desc[QN] __attribute__((aligned(16)));
    struct virtq_avail avail __attribute__((aligned(4)));
    struct virtq_used used __attribute__((aligned(4)));
    uintptr_t base;
    uint64_t features;              /* offered by the device */
    uint16_t last_used;
    volatile uint32_t isr_seen;     /* InterruptStatus bits the handler acknowledged */
} __attribute__((aligned(4096)));

static inline uint32_t vreg(const struct virtio_dev *d, uint32_t off) {
    return *(volatile uint32_t *)(d->base + off);
}

static inline void vreg_set(const struct virtio_dev *d, uint32_t off, uint32_t v) {
    *(volatile uint32_t *)(d->base + off) = v;
}

static inline void fence(void) {
    __asm__ volatile("fence rw, rw" ::: "memory");
}

/* The base of the first slot holding a device of type id (VIRTIO 1.2 §5), or 0. */
static inline uintptr_t virtio_find(uint32_t id, int skip) {
    for (int slot = 0; slot < VIRTIO_SLOTS; slot++) {
        uintptr_t b = VIRTIO_BASE + VIRTIO_SLOT_SIZE * slot;
        volatile uint32_t *r = (volatile uint32_t *)b;
        if (r[R_MAGIC / 4] != 0x74726976 || r[R_VERSION / 4] != 2 || r[R_DEVICE_ID / 4] != id) continue;
        if (skip-- == 0) return b;
    }
    return 0;
}

/* The PLIC source of a slot on the virt board (the kernel plane's numbering; DuVisor routes its own). */
static inline uint32_t virtio_source(const struct virtio_dev *d) {
    return 1 + (uint32_t)((d->base - VIRTIO_BASE) / VIRTIO_SLOT_SIZE);
}

static inline volatile uint32_t *plic_reg(uint64_t off) {
    return (volatile uint32_t *)(PLIC_BASE + off);
}

/* Priority 1 and enabled in vCPU 0's S context (PLIC 1.0.0 register map). */
static inline void plic_enable(uint32_t source) {
    *plic_reg(4ul * source) = 1;
    volatile uint32_t *en = plic_reg(0x2000 + 0x80ul * PLIC_CONTEXT + 4ul * (source / 32));
    *en = *en | (1u << (source % 32));
    *plic_reg(0x200000 + 0x1000ul * PLIC_CONTEXT) = 0; /* threshold */
}

static inline uint32_t plic_claim(void) {
    return *plic_reg(0x200004 + 0x1000ul * PLIC_CONTEXT);
}

static inline void plic_complete(uint32_t id) {
    *plic_reg(0x200004 + 0x1000ul * PLIC_CONTEXT) = id;
}

/* Acknowledges whatever the device signals; called from the external interrupt handler. */
static inline void virtio_acknowledge(struct virtio_dev *d) {
    if (!d->base) return;
    uint32_t isr = vreg(d, R_INTERRUPT_STATUS);
    if (isr) {
        vreg_set(d, R_INTERRUPT_ACK, isr);
        d->isr_seen |= isr;
    }
}

/* Writing 0 to Status resets the device and its queues (§4.2.2.1); the driver starts its rings
   afresh (both indices at 0). */
static inline void virtio_reset(struct virtio_dev *d) {
    vreg_set(d, R_STATUS, 0);
    d->avail.flags = 0;
    d->avail.idx = 0;
    *(volatile uint16_t *)&d->used.idx = 0;
    d->last_used = 0;
    d->isr_seen = 0;
}

/* Programs queue 0 with descriptor table, driver and device areas at the given addresses. */
static inline void virtio_queue(struct virtio_dev *d, uint64_t desc, uint64_t avail, uint64_t used) {
    vreg_set(d, R_QUEUE_SEL, 0);
    vreg_set(d, R_QUEUE_NUM, QN);
    vreg_set(d, R_QUEUE_DESC_LOW, (uint32_t)desc);
    vreg_set(d, R_QUEUE_DESC_HIGH, (uint32_t)(desc >> 32));
    vreg_set(d, R_QUEUE_DRIVER_LOW, (uint32_t)avail);
    vreg_set(d, R_QUEUE_DRIVER_HIGH, (uint32_t)(avail >> 32));
    vreg_set(d, R_QUEUE_DEVICE_LOW, (uint32_t)used);
    vreg_set(d, R_QUEUE_DEVICE_HIGH, (uint32_t)(used >> 32));
    vreg_set(d, R_QUEUE_READY, 1);
}

/* Reset, handshake with VERSION_1 plus the wanted device features the device offers, queue 0 on
   the device's own rings, DRIVER_OK. Returns 0, or -1 if the device refuses. */
static inline int virtio_init(struct virtio_dev *d, uint32_t wanted) {
    virtio_reset(d);
    vreg_set(d, R_STATUS, S_ACKNOWLEDGE);
    vreg_set(d, R_STATUS, S_ACKNOWLEDGE | S_DRIVER);
    vreg_set(d, R_DEVICE_FEATURES_SEL, 0);
    uint32_t low = vreg(d, R_DEVICE_FEATURES);
    vreg_set(d, R_DEVICE_FEATURES_SEL, 1);
    uint32_t high = vreg(d, R_DEVICE_FEATURES);
    d->features = (uint64_t)high << 32 | low;
    if (!(high & 1)) return -1; /* VIRTIO_F_VERSION_1 */
    vreg_set(d, R_DRIVER_FEATURES_SEL, 0);
    vreg_set(d, R_DRIVER_FEATURES, low & wanted);
    vreg_set(d, R_DRIVER_FEATURES_SEL, 1);
    vreg_set(d, R_DRIVER_FEATURES, 1);
    vreg_set(d, R_STATUS, S_ACKNOWLEDGE | S_DRIVER | S_FEATURES_OK);
    if (!(vreg(d, R_STATUS) & S_FEATURES_OK)) return -1;
    if (vreg(d, R_QUEUE_NUM_MAX) < QN) return -1;
    virtio_queue(d, (uintptr_t)d->desc, (uintptr_t)&d->avail, (uintptr_t)&d->used);
    vreg_set(d, R_STATUS, S_ACKNOWLEDGE | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK);
    return 0;
}

/* Makes the chain at descriptor head available and notifies the device. */
static inline void virtio_submit(struct virtio_dev *d, uint16_t head) {
    d->avail.ring[d->avail.idx % QN] = head;
    fence();
    *(volatile uint16_t *)&d->avail.idx = d->avail.idx + 1;
    fence();
    vreg_set(d, R_QUEUE_NOTIFY, 0);
}

/* Waits until the device used a chain or signalled a configuration change (it needs a reset):
   returns the used length, or -1 in the second case. The condition is checked with interrupts
   masked and WFI wakes on a pending one, so an interrupt between the check and the WFI is not
   slept through; it is taken when they are unmasked. */
static inline long virtio_wait(struct virtio_dev *d) {
    for (;;) {
        __asm__ volatile("csrc sstatus, %0" :: "r"(2ul) : "memory");
        long len = -2;
        if (*(volatile uint16_t *)&d->used.idx != d->last_used) {
            fence();
            len = *(volatile uint32_t *)&d->used.ring[d->last_used % QN].len;
            d->last_used++;
        } else if (d->isr_seen & ISR_CONFIG) {
            len = -1;
        } else {
            __asm__ volatile("wfi");
        }
        __asm__ volatile("csrs sstatus, %0" :: "r"(2ul) : "memory");
        if (len != -2) return len;
    }
}

static inline void desc(struct virtio_dev *d, int i, uint64_t addr, uint32_t len, uint16_t flags, uint16_t next) {
    d->desc[i].addr = addr;
    d->desc[i].len = len;
    d->desc[i].flags = flags;
    d->desc[i].next = next;
}

static inline void guest_put_hex(uint64_t v) {
    guest_puts("0x");
    for (int s = 60; s >= 0; s -= 4) guest_putchar("0123456789abcdef"[(v >> s) & 15]);
}
#endif
