/* A hostile guest for the isolation tests: it tries to reach beyond its own VM and counts every
   attempt that is not blocked. The host leaves another VM's host-physical RAM base at HINT.
     memory      loads and stores past the end of its RAM (found by probing), at the other VM's
                 host-physical addresses used as guest-physical ones, at the host's ACLINT and at
                 the host vPLIC's vinterrupts register: each must trap as an access fault;
     DMA         virtio-blk buffers and a descriptor table at those addresses: the device must need
                 a reset instead;
     interrupts  completing every interrupt id (including the host vPLIC sources other VMs use) on
                 its own claim page; writing the vIPI bitmap, vcpuid and the G-stage roots: illegal
                 instructions; SBI IPIs and HSM calls naming vCPUs it does not have: INVALID_PARAM.
   It prints a first report, then repeats the concurrent part (stores at the other VM's addresses,
   a hostile DMA request, completions of every id) until the host sets STOP, prints the round count
   and ends with an MMIO access DuVisor does not emulate (an atomic), which stops the VM cleanly
   (exit code 72). Any attempt that gets through ends the run with exit code 1. */
#include "guest.h"
#include "trap.h"
#include "virtio.h"

#define HINT ((volatile uint64_t *)0x82000000ul)
#define STOP ((volatile uint64_t *)0x82000008ul)
#define BAD 0x0BADBADBADBADBADul
#define LOAD_ACCESS_FAULT 5
#define STORE_ACCESS_FAULT 7
#define ILLEGAL_INSTRUCTION 2
#define INVALID_PARAM (-3)
#define T_IN 0
#define T_OUT 1

static volatile uint64_t traps, last_cause;
static struct virtio_dev blk;
static struct { uint32_t type, reserved; uint64_t sector; } hdr;
static volatile uint8_t status;
static uint64_t attempts, leaks;

void s_trap(void) {
    uint64_t cause = csr_scause();
    if (cause == CAUSE_EXTERNAL) {
        uint32_t id = plic_claim();
        if (id) {
            virtio_acknowledge(&blk);
            plic_complete(id);
        }
        return;
    }
    if (cause >> 63) return;
    last_cause = cause;
    traps++;
    skip_trapping_instruction();
}

static void outcome(int blocked, const char *what, uint64_t where) {
    attempts++;
    if (blocked) return;
    leaks++;
    guest_puts("isolation-probe: NOT BLOCKED: ");
    guest_puts(what);
    guest_putchar(' ');
    guest_put_hex(where);
    guest_putchar('\n');
}

static uint64_t load(uintptr_t a) {
    uint64_t v;
    __asm__ volatile("ld %0, 0(%1)" : "=r"(v) : "r"(a) : "memory");
    return v;
}

static void store(uintptr_t a, uint64_t v) {
    __asm__ volatile("sd %0, 0(%1)" :: "r"(v), "r"(a) : "memory");
}

static int trapped(uint64_t before, uint64_t cause) {
    return traps == before + 1 && last_cause == cause;
}

static void probe_load(uintptr_t a) {
    uint64_t t = traps;
    load(a);
    outcome(trapped(t, LOAD_ACCESS_FAULT), "load at", a);
}

static void probe_store(uintptr_t a) {
    uint64_t t = traps;
    store(a, BAD);
    outcome(trapped(t, STORE_ACCESS_FAULT), "store at", a);
}

static void probe(uintptr_t a) {
    probe_load(a);
    probe_store(a);
}

/* The first address past its RAM: loads fault there and nowhere below. */
static uintptr_t ram_end(void) {
    for (uintptr_t a = 0x80100000ul; a < 0x100000000ul; a += 0x100000) {
        uint64_t t = traps;
        load(a);
        if (traps != t) return a;
    }
    return 0x100000000ul;
}

/* A virtio-blk request with its data buffer at a hostile address: the device must need a reset. */
static void hostile_dma(uint32_t type, uintptr_t data) {
    hdr.type = type;
    hdr.reserved = 0;
    hdr.sector = 1;
    desc(&blk, 0, (uintptr_t)&hdr, sizeof hdr, DESC_F_NEXT, 1);
    desc(&blk, 1, data, 512, DESC_F_NEXT | (type == T_IN ? DESC_F_WRITE : 0), 2);
    desc(&blk, 2, (uintptr_t)&status, 1, DESC_F_WRITE, 0);
    virtio_submit(&blk, 0);
    long r = virtio_wait(&blk);
    outcome(r == -1 && (vreg(&blk, R_STATUS) & S_NEEDS_RESET), type == T_IN ? "DMA into" : "DMA from", data);
    virtio_init(&blk, 0);
}

static void hostile_ring(uintptr_t table) {
    virtio_reset(&blk);
    vreg_set(&blk, R_STATUS, S_ACKNOWLEDGE | S_DRIVER);
    vreg_set(&blk, R_DRIVER_FEATURES_SEL, 1);
    vreg_set(&blk, R_DRIVER_FEATURES, 1);
    vreg_set(&blk, R_STATUS, S_ACKNOWLEDGE | S_DRIVER | S_FEATURES_OK);
    virtio_queue(&blk, table, (uintptr_t)&blk.avail, (uintptr_t)&blk.used);
    outcome((vreg(&blk, R_STATUS) & S_NEEDS_RESET) && !vreg(&blk, R_QUEUE_READY), "descriptor table at", table);
    virtio_init(&blk, 0);
}

/* A CSR write from VS that only a hypervisor may make must be an illegal instruction. */
#define PROBE_CSR(csr) do { \
        uint64_t t_ = traps; \
        __asm__ volatile("csrw " #csr ", %0" :: "r"(~0ul) : "memory"); \
        outcome(trapped(t_, ILLEGAL_INSTRUCTION), "csrw " #csr, csr); \
    } while (0)

static void complete_every_id(void) {
    for (uint32_t id = 1; id < 0xA0; id++) plic_complete(id);
}

int main(void) {
    uintptr_t other = *HINT;
    enable_external_interrupts();
    uintptr_t end = ram_end();
    guest_puts("isolation-probe: RAM ends at ");
    guest_put_hex(end);
    guest_puts(", the other VM's RAM is at host ");
    guest_put_hex(other);
    guest_putchar('\n');

    /* memory */
    probe(end);
    probe(end + 0x1000);
    for (uintptr_t a = end + 0x1000000; a <= 0x100000000ul; a += 0x1000000) probe(a);
    probe(other);
    probe(other + 0x1000);
    probe(other + 0x100000);
    probe(1ul << 41);                     /* beyond Sv39x4's guest-physical space */
    probe(0);
    probe(0x02000000);                    /* the host's ACLINT: no such device in the VM */
    probe(PLIC_BASE + 0x1F00000);         /* the host vPLIC's vinterrupts register */

    /* DMA */
    blk.base = virtio_find(2, 0);
    if (!blk.base || virtio_init(&blk, 0)) {
        guest_puts("isolation-probe: FAILED: no usable virtio-blk\n");
        guest_fail();
    }
    plic_enable(virtio_source(&blk));
    hostile_dma(T_IN, end);
    hostile_dma(T_IN, other);
    hostile_dma(T_OUT, other + 0x2000);
    hostile_dma(T_IN, PLIC_BASE + 0x200000 + 0x1000 * 5); /* the host VS context page of hart 1, as a GPA */
    hostile_ring(other);
    hostile_ring(end - 64);

    /* interrupts */
    complete_every_id();
    PROBE_CSR(0x483);   /* vipi0..3: the global vIPI bitmap */
    PROBE_CSR(0x484);
    PROBE_CSR(0x485);
    PROBE_CSR(0x486);
    PROBE_CSR(0x482);   /* vcpuid */
    PROBE_CSR(0x880);   /* hugatp */
    PROBE_CSR(0x680);   /* hgatp */
    PROBE_CSR(0x600);   /* hstatus */
    PROBE_CSR(0x103);   /* sideleg */
    PROBE_CSR(0x645);   /* hvip */
    struct sbiret r = sbi_call(0x735049, 0, ~1ul, 0, 0);          /* send_ipi to vCPUs 1..63 */
    outcome(r.error == INVALID_PARAM, "SBI IPI to vCPUs 1..63", 0);
    r = sbi_call(0x735049, 0, 1, 8, 0);                           /* send_ipi to vCPU 8 */
    outcome(r.error == INVALID_PARAM, "SBI IPI to vCPU 8", 8);
    r = sbi_call(0x48534D, 0, 1, 0x80000000ul, 0);                /* hart_start(1) */
    outcome(r.error == INVALID_PARAM, "HSM hart_start of vCPU 1", 1);
    r = sbi_call(0x48534D, 2, 8, 0, 0);                           /* hart_get_status(8) */
    outcome(r.error == INVALID_PARAM, "HSM hart_get_status of vCPU 8", 8);

    guest_puts("isolation-probe: ");
    guest_put_u64(attempts);
    guest_puts(leaks ? " attempts, some got through\n" : " attempts, all blocked\n");
    if (leaks) guest_fail();
    guest_puts("isolation-probe: repeating until stopped\n");

    uint64_t rounds = 0;
    while (!*STOP) {
        probe_store(other);
        probe_store(PLIC_BASE + 0x1F00000);
        if (rounds % 16 == 0) hostile_dma(T_IN, other + 0x1000 * (rounds / 16 % 256));
        complete_every_id();
        rounds++;
    }
    guest_puts("isolation-probe: ");
    guest_put_u64(rounds);
    guest_puts(leaks ? " rounds, some attempts got through\n" : " rounds, every attempt blocked\n");
    if (leaks) guest_fail();

    /* An atomic on the UART: DuVisor emulates loads and stores only, and stops the VM. */
    __asm__ volatile("amoswap.w zero, zero, (%0)" :: "r"(0x10000000ul) : "memory");
    guest_puts("isolation-probe: FAILED: still running after an unemulated MMIO store\n");
    guest_fail();
    return 0;
}
