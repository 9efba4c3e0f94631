/* virtio-blk and virtio-rng from a VM-plane guest, interrupt-driven through the guest's PLIC.
   Expects a disk of at least 64 sectors whose byte i of sector s is pattern(s, i) (the tests make
   one) and 128 MiB of guest RAM. Reads and checks sectors, writes and reads back others (unless the
   disk is read-only, when a write must fail with IOERR), then hands the device wild DMA addresses —
   past the end of RAM, straddling it, a device window, a wrapping one, a descriptor table outside
   RAM — and checks that each request fails cleanly with DEVICE_NEEDS_RESET, that nothing is used,
   and that a reset brings the device back. With two vCPUs, vCPU 1 notifies virtio-rng and the
   interrupt must still wake vCPU 0. Ends with "vio-blk: all checks passed" and exit code 0,
   or a "FAILED" line and exit code 1. */
#include "guest.h"
#include "trap.h"
#include "virtio.h"

#define RAM_END 0x88000000ul
#define T_IN 0
#define T_OUT 1
#define T_FLUSH 4
#define T_GET_ID 8
#define F_RO (1u << 5)
#define HOSTILE_READ_SECTOR 30   /* the tests look for its bytes outside the VM's memory */
#define HOSTILE_WRITE_SECTOR 24  /* must keep its contents */

static struct virtio_dev blk, rng;
static struct { uint32_t type, reserved; uint64_t sector; } hdr;
static volatile uint8_t status;
static uint8_t buf[4096] __attribute__((aligned(4096)));
static uint8_t buf2[4096] __attribute__((aligned(4096)));
static volatile uint64_t interrupts;
static int failures;

static uint8_t pattern(uint64_t s, uint64_t i) { return (uint8_t)((s * 13 + i) ^ 0x5A); }
static uint8_t written(uint64_t s, uint64_t i) { return (uint8_t)((s * 7 + i * 3) ^ 0xA5); }

void s_trap(void) {
    uint64_t cause = csr_scause();
    if (cause != CAUSE_EXTERNAL) {
        guest_puts("vio-blk: FAILED: unexpected trap, scause ");
        guest_put_hex(cause);
        guest_puts(" sepc ");
        guest_put_hex(csr_sepc());
        guest_puts(" stval ");
        guest_put_hex(csr_stval());
        guest_putchar('\n');
        guest_fail();
    }
    uint32_t id = plic_claim();
    if (!id) return;
    virtio_acknowledge(&blk);
    virtio_acknowledge(&rng);
    interrupts++;
    plic_complete(id);
}

static void check(int ok, const char *what) {
    if (ok) return;
    failures++;
    guest_puts("vio-blk: FAILED: ");
    guest_puts(what);
    guest_putchar('\n');
}

/* One request: header, an optional data buffer (device-writable for reads), the status byte.
   Returns the status, or -1 if the device needed a reset instead of answering. */
static long request(uint32_t type, uint64_t sector, uint64_t data, uint32_t len, uint64_t status_at) {
    hdr.type = type;
    hdr.reserved = 0;
    hdr.sector = sector;
    status = 0xFF;
    desc(&blk, 0, (uintptr_t)&hdr, sizeof hdr, DESC_F_NEXT, len ? 1 : 2);
    if (len) desc(&blk, 1, data, len, DESC_F_NEXT | (type == T_OUT ? 0 : DESC_F_WRITE), 2);
    desc(&blk, 2, status_at, 1, DESC_F_WRITE, 0);
    virtio_submit(&blk, 0);
    if (virtio_wait(&blk) < 0) return -1;
    return status;
}

static long read_sectors(uint64_t sector, void *to, uint32_t len) {
    return request(T_IN, sector, (uintptr_t)to, len, (uintptr_t)&status);
}

static int matches(const uint8_t *b, uint64_t sector, uint32_t len, uint8_t (*f)(uint64_t, uint64_t)) {
    for (uint32_t i = 0; i < len; i++) if (b[i] != f(sector + i / 512, i % 512)) return 0;
    return 1;
}

/* A read split over two data descriptors (the device sees one stream, §2.6.4). */
static void split_read(void) {
    hdr.type = T_IN;
    hdr.reserved = 0;
    hdr.sector = 5;
    status = 0xFF;
    desc(&blk, 0, (uintptr_t)&hdr, sizeof hdr, DESC_F_NEXT, 1);
    desc(&blk, 1, (uintptr_t)buf2, 300, DESC_F_NEXT | DESC_F_WRITE, 2);
    desc(&blk, 2, (uintptr_t)buf2 + 1024, 212, DESC_F_NEXT | DESC_F_WRITE, 3);
    desc(&blk, 3, (uintptr_t)&status, 1, DESC_F_WRITE, 0);
    virtio_submit(&blk, 0);
    long used = virtio_wait(&blk);
    int ok = used == 513 && status == 0;
    for (uint32_t i = 0; i < 512 && ok; i++) ok = buf2[i < 300 ? i : 1024 + i - 300] == pattern(5, i);
    check(ok, "a read split over two descriptors");
}

/* A request with a wild address must leave the device needing a reset, with nothing used. */
static void hostile(const char *what, uint32_t type, uint64_t sector, uint64_t data, uint32_t len, uint64_t status_at) {
    uint16_t used = *(volatile uint16_t *)&blk.used.idx;
    long r = request(type, sector, data, len, status_at);
    int ok = r == -1 && (vreg(&blk, R_STATUS) & S_NEEDS_RESET) && *(volatile uint16_t *)&blk.used.idx == used;
    check(ok, what);
    if (ok) {
        guest_puts("vio-blk: refused: ");
        guest_puts(what);
        guest_putchar('\n');
    }
    check(virtio_init(&blk, F_RO) == 0, "re-initialisation after a reset");
}

static void hostile_rings(void) {
    virtio_reset(&blk);
    vreg_set(&blk, R_STATUS, S_ACKNOWLEDGE | S_DRIVER);
    vreg_set(&blk, R_DRIVER_FEATURES_SEL, 1);
    vreg_set(&blk, R_DRIVER_FEATURES, 1);
    vreg_set(&blk, R_STATUS, S_ACKNOWLEDGE | S_DRIVER | S_FEATURES_OK);
    virtio_queue(&blk, RAM_END - 64, (uintptr_t)&blk.avail, (uintptr_t)&blk.used);
    int ok = (vreg(&blk, R_STATUS) & S_NEEDS_RESET) && vreg(&blk, R_QUEUE_READY) == 0;
    check(ok, "a descriptor table straddling the end of RAM");
    if (ok) guest_puts("vio-blk: refused: a descriptor table straddling the end of RAM\n");
    check(virtio_init(&blk, F_RO) == 0, "re-initialisation after a reset");
}

/* With a second vCPU, the entropy request is notified from there: its interrupt still comes to
   vCPU 0, raised on another host thread, and must wake vCPU 0 from WFI. */
void secondary(long id) {
    (void)id;
    virtio_submit(&rng, 0);
    for (;;) __asm__ volatile("wfi");
}

extern void _start(void);

/* Waits (as virtio_wait does) until vCPU 0's handler has acknowledged a used-buffer interrupt. */
static void wait_for_used_interrupt(struct virtio_dev *d) {
    for (;;) {
        __asm__ volatile("csrc sstatus, %0" :: "r"(2ul) : "memory");
        int seen = (d->isr_seen & ISR_USED) != 0;
        if (!seen) __asm__ volatile("wfi");
        __asm__ volatile("csrs sstatus, %0" :: "r"(2ul) : "memory");
        if (seen) return;
    }
}

static void entropy(void) {
    rng.base = virtio_find(4, 0);
    check(rng.base != 0, "a virtio-rng device");
    if (!rng.base) return;
    check(virtio_init(&rng, 0) == 0, "virtio-rng initialisation");
    plic_enable(virtio_source(&rng));
    for (int i = 0; i < 64; i++) buf2[i] = 0;
    desc(&rng, 0, (uintptr_t)buf2, 64, DESC_F_WRITE, 0);
    fence();
    if (sbi_call(0x48534D, 2, 1, 0, 0).error == 0) { /* HSM hart_get_status: there is a vCPU 1 */
        guest_puts("vio-blk: vCPU 1 notifies virtio-rng\n");
        sbi_call(0x48534D, 0, 1, (long)_start, 0);
    } else {
        virtio_submit(&rng, 0);
    }
    wait_for_used_interrupt(&rng);
    long len = *(volatile uint16_t *)&rng.used.idx == 1 ? (long)*(volatile uint32_t *)&rng.used.ring[0].len : -1;
    int nonzero = 0;
    for (int i = 0; i < 64; i++) nonzero |= buf2[i];
    check(len == 64 && nonzero, "64 bytes from virtio-rng");
    if (len == 64 && nonzero) guest_puts("vio-blk: virtio-rng gave 64 bytes\n");
}

int main(void) {
    blk.base = virtio_find(2, 0);
    if (!blk.base) {
        guest_puts("vio-blk: FAILED: no virtio-blk device\n");
        guest_fail();
    }
    enable_external_interrupts();
    check(virtio_init(&blk, F_RO) == 0, "virtio-blk initialisation");
    plic_enable(virtio_source(&blk));
    int ro = (blk.features & F_RO) != 0;
    uint64_t capacity = vreg(&blk, R_CONFIG) | (uint64_t)vreg(&blk, R_CONFIG + 4) << 32;
    guest_puts("vio-blk: capacity ");
    guest_put_u64(capacity);
    guest_puts(ro ? " sectors, read-only\n" : " sectors\n");
    check(capacity >= 64, "a disk of at least 64 sectors");

    check(read_sectors(0, buf, 2048) == 0 && matches(buf, 0, 2048, pattern), "reading sectors 0-3");
    split_read();
    if (ro) {
        for (int i = 0; i < 1024; i++) buf[i] = written(16 + i / 512, i % 512);
        check(request(T_OUT, 16, (uintptr_t)buf, 1024, (uintptr_t)&status) == 1, "a write to a read-only disk fails with IOERR");
    } else {
        for (int i = 0; i < 1024; i++) buf[i] = written(16 + i / 512, i % 512);
        check(request(T_OUT, 16, (uintptr_t)buf, 1024, (uintptr_t)&status) == 0, "writing sectors 16-17");
        for (int i = 0; i < 1024; i++) buf2[i] = 0;
        check(read_sectors(16, buf2, 1024) == 0 && matches(buf2, 16, 1024, written), "reading back sectors 16-17");
        check(request(T_FLUSH, 0, 0, 0, (uintptr_t)&status) == 0, "a flush");
    }
    check(request(T_GET_ID, 0, (uintptr_t)buf, 20, (uintptr_t)&status) == 0, "the device id");
    check(read_sectors(capacity, buf, 512) == 1, "a read past the capacity fails with IOERR");
    uint64_t before = interrupts;

    hostile("a buffer just past the end of RAM", T_IN, HOSTILE_READ_SECTOR, RAM_END, 512, (uintptr_t)&status);
    hostile("a buffer straddling the end of RAM", T_IN, HOSTILE_READ_SECTOR, RAM_END - 256, 512, (uintptr_t)&status);
    hostile("a buffer in a device window", T_IN, HOSTILE_READ_SECTOR, PLIC_BASE + 0x200000, 512, (uintptr_t)&status);
    hostile("a buffer wrapping around the address space", T_IN, HOSTILE_READ_SECTOR, 0xFFFFFFFFFFFFFF00ul, 512, (uintptr_t)&status);
    hostile("a write from outside RAM", T_OUT, HOSTILE_WRITE_SECTOR, 0x100000000ul, 512, (uintptr_t)&status);
    hostile("a status byte past the end of RAM", T_IN, HOSTILE_READ_SECTOR, (uintptr_t)buf, 512, RAM_END);
    hostile_rings();
    check(interrupts > before, "configuration-change interrupts for the refused requests");

    check(read_sectors(0, buf, 512) == 0 && matches(buf, 0, 512, pattern), "reading sector 0 after the resets");
    entropy();
    guest_puts("vio-blk: interrupts ");
    guest_put_u64(interrupts);
    guest_putchar('\n');
    if (failures) {
        guest_puts("vio-blk: FAILED checks: ");
        guest_put_u64(failures);
        guest_putchar('\n');
        guest_fail();
    }
    guest_puts("vio-blk: all checks passed\n");
    return 0;
}
