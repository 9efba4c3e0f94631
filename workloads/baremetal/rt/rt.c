/*
 * rt.c - output, reporting, trap handling and small libc pieces for the
 * bare-metal tests.  Built twice: plain (16550 UART + sifive test finisher)
 * and with -DRT_HTIF (HTIF console + exit through tohost).
 */
#include <stdarg.h>
#include "rt.h"

struct trap_frame {
    uint64_t x[32];     /* x[0] holds the vector slot (-1 = direct entry) */
    uint64_t epc, cause, tval, status;
};

volatile struct hart_traps rt_traps[MAX_HARTS];
rt_irq_fn volatile rt_irq_hook[4];
__attribute__((weak)) const char *const QEMU_DEVIATION[] = { 0 };
extern volatile uint64_t tohost, fromhost;
void rt_ctx_resume(long val) __attribute__((noreturn));

static uintptr_t rt_dtb;
int rt_has_h;
static uint8_t rt_vs_stack[MAX_HARTS][4096] __attribute__((aligned(16)));
#define CSR_HSTATUS 0x600
#define CSR_HTVAL   0x643
#define CSR_HTINST  0x64a
#define CSR_MTVAL2  0x34b
#define CSR_MTINST  0x34a
#define CSR_VSTVEC  0x205
#define CSR_VSSCRATCH 0x240
static int rt_strict;
static unsigned n_pass, n_fail, n_dev_fail, n_dev_pass;

/* ------------------------------------------------------------ libc bits */
void *memset(void *d, int c, size_t n)
{
    unsigned char *p = d;
    while (n--) *p++ = (unsigned char)c;
    return d;
}
void *memcpy(void *d, const void *s, size_t n)
{
    unsigned char *p = d;
    const unsigned char *q = s;
    while (n--) *p++ = *q++;
    return d;
}
int strcmp(const char *a, const char *b)
{
    while (*a && *a == *b) a++, b++;
    return (unsigned char)*a - (unsigned char)*b;
}
size_t strlen(const char *s)
{
    size_t n = 0;
    while (s[n]) n++;
    return n;
}
static int strstarts(const char *s, const char *p)
{
    while (*p) if (*s++ != *p++) return 0;
    return 1;
}

/* ------------------------------------------------------------- output */
#ifdef RT_HTIF
static void htif_cmd(uint64_t cmd)
{
    while (tohost) { if (fromhost) fromhost = 0; }
    tohost = cmd;
    while (tohost) { if (fromhost) fromhost = 0; }
}
void rt_putc(char c)
{
    htif_cmd((1ul << 56) | (1ul << 48) | (unsigned char)c);   /* device 1 (console), cmd 1 (putchar) */
}
__attribute__((noreturn)) void rt_exit(int code)
{
    if (code > 255) code = 255;
    for (;;) tohost = ((uint64_t)code << 1) | 1;
}
#else
void rt_putc(char c)
{
    for (int i = 0; i < 100000 && !(*(volatile uint8_t *)(UART_BASE + 5) & 0x20); i++)
        ;   /* LSR.THRE */
    *(volatile uint8_t *)UART_BASE = (uint8_t)c;
}
__attribute__((noreturn)) void rt_exit(int code)
{
    if (code > 255) code = 255;
    mmio_w32(FINISHER_BASE, code ? ((uint32_t)code << 16) | 0x3333 : 0x5555);
    for (;;) __asm__ volatile("wfi");
}
#endif

void rt_puts(const char *s)
{
    while (*s) {
        if (*s == '\n') rt_putc('\r');
        rt_putc(*s++);
    }
}

/* Formatting goes to a sink: the console, or a buffer (rt_fmt). */
static char *sink_buf;
static size_t sink_left;
static void sink(char c)
{
    if (!sink_buf) { rt_putc(c); return; }
    if (sink_left > 1) { *sink_buf++ = c; sink_left--; }
}
#define rt_putc sink
static void put_num(uint64_t v, int base, int neg, int width, char pad)
{
    char buf[24];
    int n = 0;
    do { buf[n++] = "0123456789abcdef"[v % base]; v /= base; } while (v);
    if (neg) buf[n++] = '-';
    while (n < width) { rt_putc(pad); width--; }
    while (n) rt_putc(buf[--n]);
}

static void vprint(const char *fmt, va_list ap)
{
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            if (*fmt == '\n' && !sink_buf) rt_putc('\r');
            rt_putc(*fmt);
            continue;
        }
        fmt++;
        char pad = ' ';
        int width = 0, lng = 0;
        if (*fmt == '0') { pad = '0'; fmt++; }
        while (*fmt >= '0' && *fmt <= '9') width = width * 10 + (*fmt++ - '0');
        while (*fmt == 'l') { lng = 1; fmt++; }
        switch (*fmt) {
        case 's': { const char *s = va_arg(ap, const char *); for (s = s ? s : "(null)"; *s; s++) rt_putc(*s); break; }
        case 'c': rt_putc((char)va_arg(ap, int)); break;
        case 'd': {
            long v = lng ? va_arg(ap, long) : va_arg(ap, int);
            put_num(v < 0 ? -(uint64_t)v : (uint64_t)v, 10, v < 0, width, pad);
            break;
        }
        case 'u': put_num(lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned), 10, 0, width, pad); break;
        case 'x': put_num(lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned), 16, 0, width, pad); break;
        case 'p': rt_putc('0'); rt_putc('x'); put_num((uintptr_t)va_arg(ap, void *), 16, 0, 0, ' '); break;
        case '%': rt_putc('%'); break;
        case 0: return;
        default: rt_putc('%'); rt_putc(*fmt); break;
        }
    }
}

#undef rt_putc

/* Formats into one of 8 rotating 96-byte buffers (for check names). */
const char *rt_fmt(const char *fmt, ...)
{
    static char bufs[8][96];
    static unsigned next;
    char *b = bufs[next++ % 8];
    va_list ap;
    va_start(ap, fmt);
    sink_buf = b;
    sink_left = 96;
    vprint(fmt, ap);
    *sink_buf = 0;
    sink_buf = 0;
    va_end(ap);
    return b;
}

int printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprint(fmt, ap);
    va_end(ap);
    return 0;
}

/* ---------------------------------------------------------- reporting */
static int is_deviation(const char *group, const char *what)
{
    size_t gl = strlen(group);
    for (const char *const *d = QEMU_DEVIATION; *d; d++)
        if (strstarts(*d, group) && (*d)[gl] == ':' && (*d)[gl + 1] == ' ' && !strcmp(*d + gl + 2, what))
            return 1;
    return 0;
}

static void report(const char *group, const char *what, const char *rule, int ok,
                   int with_vals, uint64_t got, uint64_t exp, const char *outcome)
{
    int dev = is_deviation(group, what);
    const char *tag = dev ? " SPEC-ONLY" : "";
    if (ok) {
        if (dev) n_dev_pass++;
        n_pass++;
        printf("PASS%s %s: %s", tag, group, what);
    } else {
        if (dev && !rt_strict) n_dev_fail++;
        else n_fail++;
        printf("FAIL%s %s: %s", tag, group, what);
        if (with_vals) printf(": got 0x%lx expected 0x%lx", got, exp);
    }
    if (outcome) printf(" (%s)", outcome);
    printf(" [%s]\n", rule);
}

void check(const char *group, const char *what, const char *rule, int cond)
{
    report(group, what, rule, cond, 0, 0, 0, 0);
}
void check_eq(const char *group, const char *what, const char *rule, uint64_t got, uint64_t exp)
{
    report(group, what, rule, got == exp, 1, got, exp, 0);
}
void check_outcome(const char *group, const char *what, const char *rule, int ok, const char *outcome)
{
    report(group, what, rule, ok, 0, 0, 0, outcome);
}
void note(const char *fmt, ...)
{
    va_list ap;
    rt_puts("NOTE ");
    va_start(ap, fmt);
    vprint(fmt, ap);
    va_end(ap);
    rt_puts("\n");
}

__attribute__((noreturn)) void rt_fatal(const char *msg)
{
    printf("FAIL fatal: %s\nRESULT %u passed %u failed\n", msg, n_pass, n_fail + 1);
    rt_exit(n_fail + 1 > 255 ? 255 : n_fail + 1);
}

/* ------------------------------------------------- DTB: bootargs flags */
static uint32_t be32(const void *p)
{
    const uint8_t *b = p;
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}
static int contains(const char *s, size_t n, const char *w)
{
    size_t wl = strlen(w);
    for (size_t i = 0; i + wl <= n; i++) {
        size_t j = 0;
        while (j < wl && s[i + j] == w[j]) j++;
        if (j == wl) return 1;
    }
    return 0;
}
static void parse_dtb(uintptr_t dtb)
{
    if (dtb < 0x80000000ul || (dtb & 3) || be32((void *)dtb) != 0xd00dfeed) return;
    const uint8_t *st = (const uint8_t *)dtb + be32((uint8_t *)dtb + 8);
    const char *strs = (const char *)dtb + be32((uint8_t *)dtb + 12);
    uint32_t size = be32((uint8_t *)dtb + 36);   /* size_dt_struct */
    const uint8_t *end = st + size;
    while (st < end) {
        uint32_t tok = be32(st);
        st += 4;
        if (tok == 1) {                 /* FDT_BEGIN_NODE */
            while (*st) st++;
            st = (const uint8_t *)(((uintptr_t)st + 4) & ~3ul);
        } else if (tok == 3) {          /* FDT_PROP */
            uint32_t len = be32(st), nameoff = be32(st + 4);
            const char *val = (const char *)st + 8;
            if (!strcmp(strs + nameoff, "bootargs") && contains(val, len, "rt-strict")) rt_strict = 1;
            st += 8 + ((len + 3) & ~3u);
        } else if (tok == 9) {
            break;
        } else if (tok != 2 && tok != 4) {
            break;
        }
    }
}

void rt_main(long hartid, uintptr_t dtb)
{
    (void)hartid;
    rt_dtb = dtb;
    rt_has_h = (csr_read(misa) >> 7) & 1;
    parse_dtb(dtb);
    main();
    if (n_dev_fail)
        printf("NOTE %u SPEC-ONLY check(s) failed (known QEMU deviations; not counted, boot with bootargs rt-strict to count them)\n",
               n_dev_fail);
    printf("RESULT %u passed %u failed\n", n_pass, n_fail);
    rt_exit((int)n_fail);
}

/* --------------------------------------------------------------- harts */
extern volatile uint64_t rt_boot_fn[MAX_HARTS];
void rt_start_hart(int hart, void (*fn)(int))
{
    rt_boot_fn[hart] = (uintptr_t)fn;
    __asm__ volatile("fence rw, rw" ::: "memory");
    mmio_w32(CLINT_MSIP(hart), 1);
}

long rt_run(int mode, long (*fn)(long), long arg)
{
    if (mode == PRV_M) return fn(arg);
    return rt_run_raw(mode, (uintptr_t)fn, arg, rt_lower_stack_top(), (uintptr_t)rt_lower_return);
}

/* --------------------------------------------------------------- traps */
void rt_vs_init(void)
{
    csr_write(CSR_VSTVEC, (uintptr_t)rt_vstrap_entry);
    csr_write(CSR_VSSCRATCH, (uintptr_t)rt_vs_stack[rt_hartid()] + 4096);
}

void rt_trap_reset(void)
{
    rt_traps[rt_hartid()].count = 0;
}

/* HLVX.HU (H): reads guest code as the guest (hstatus.SPVP) saw it. */
static uint32_t hlvx_hu(uint64_t a)
{
    unsigned long v;
    __asm__ volatile(".insn r 0x73, 4, 0x32, %0, %1, x3" : "=r"(v) : "r"(a) : "memory");
    return (uint32_t)v;
}

static uint32_t mprv_lhu(uint64_t a, unsigned long bits)
{
    unsigned long v, old;
    __asm__ volatile("csrrs %1, mstatus, %2\n\tlhu %0, 0(%3)\n\tcsrw mstatus, %1"
                     : "=&r"(v), "=&r"(old) : "r"(bits), "r"(a) : "memory");
    return (uint32_t)v;
}

/* Reads the instruction at epc as the trapping mode saw it. */
static uint32_t read_insn(uint64_t epc, int level, int prev, int virt)
{
    uint32_t lo, hi = 0;
    int translate = virt || ((csr_read(satp) >> 60) != 0 && prev != PRV_M);
    if (level == PRV_S && virt) {
        /* HS handler, trap from VS/VU: hstatus.SPVP = the guest's privilege */
        lo = hlvx_hu(epc);
        if ((lo & 3) == 3) hi = hlvx_hu(epc + 2);
    } else if (level == PRV_M) {
        /* MPP already = prev; set MPRV only around the load itself (one asm
         * block, so no stack access is translated). */
        unsigned long bits = translate ? MSTATUS_MPRV | MSTATUS_MXR : 0;
        lo = mprv_lhu(epc, bits);
        if ((lo & 3) == 3) hi = mprv_lhu(epc + 2, bits);
    } else {
        uint64_t old = csr_read(sstatus);
        if (translate) csr_set(sstatus, MSTATUS_SUM | MSTATUS_MXR);
        lo = *(volatile uint16_t *)epc;
        if ((lo & 3) == 3) hi = *(volatile uint16_t *)(epc + 2);
        csr_write(sstatus, old);
    }
    return lo | hi << 16;
}

static void handle(struct trap_frame *f, int level)
{
    int hart = rt_hartid();
    uint64_t cause = f->cause;
    int prev = level == PRV_M ? (int)((f->status >> 11) & 3) : (int)((f->status >> 8) & 1);
    int irq = (cause >> 63) != 0;
    int virt = 0, gva = 0;
    uint64_t tval2 = 0, tinst = 0, hst = 0;
    if (level == LVL_VS) {
        virt = 1;
    } else if (rt_has_h && level == PRV_M) {
        virt = (f->status & MSTATUS_MPV) != 0;
        gva = (f->status & MSTATUS_GVA) != 0;
        tval2 = csr_read(CSR_MTVAL2);
        tinst = csr_read(CSR_MTINST);
    } else if (rt_has_h) {
        hst = csr_read(CSR_HSTATUS);
        virt = (hst >> 7) & 1;
        gva = (hst >> 6) & 1;
        tval2 = csr_read(CSR_HTVAL);
        tinst = csr_read(CSR_HTINST);
    }

    if (!irq && (cause == CAUSE_ECALL_U || cause == CAUSE_ECALL_S || cause == CAUSE_ECALL_VS
                 || cause == CAUSE_ECALL_M)
        && f->x[17] == RT_ECALL_EXIT) {
        if (level == PRV_M) {
            if (prev == PRV_M && !virt) rt_fatal("exit ecall from M-mode");
            rt_ctx_resume((long)f->x[10]);
        }
        /* S-level handler (ecall from U delegated): forward to M.  With
         * medeleg[9] set the forwarded ecall would come back here.  From the
         * VS level the forwarded ecall is cause 10 (to HS or M). */
        if (level == PRV_S && prev == PRV_S && !virt)
            rt_fatal("exit ecall from S taken in S: rt_run needs medeleg[9] = 0");
        csr_write(sscratch, (uintptr_t)(f + 1));   /* this handler is abandoned: reset its trap stack */
        register long a0 __asm__("a0") = (long)f->x[10];
        register long a7 __asm__("a7") = (long)RT_ECALL_EXIT;
        __asm__ volatile("ecall" :: "r"(a0), "r"(a7) : "memory");
        rt_fatal("exit ecall forwarded from S returned");
    }

    volatile struct hart_traps *t = &rt_traps[hart];
    int n = t->count;
    volatile struct trap_rec *r = n < RT_MAX_REC ? &t->rec[n] : 0;
    t->count = n + 1;
    uint32_t insn = 0;
    int fetch_fault = !irq && (cause == CAUSE_FETCH_MISALIGNED || cause == CAUSE_FETCH_ACCESS
                               || cause == CAUSE_FETCH_PAGE || cause == CAUSE_FETCH_GPAGE
                               /* QEMU 7.2 reports a fetch's failed VS-stage walk as a load guest-page fault */
                               || (virt && cause == CAUSE_LOAD_GPAGE && f->tval == f->epc));
    if (!irq && !fetch_fault) insn = read_insn(f->epc, level, prev, virt);
    if (r) {
        r->cause = cause;
        r->tval = f->tval;
        r->epc = f->epc;
        r->status = f->status;
        r->insn = insn;
        r->level = level;
        r->prev = prev;
        r->vec = (long)f->x[0];
        r->virt = virt;
        r->gva = gva;
        r->tval2 = tval2;
        r->tinst = tinst;
        r->hstatus = hst;
    }
    if (n + 1 > 200) {
        printf("trap storm: level %d cause 0x%lx epc 0x%lx tval 0x%lx\n", level, cause, f->epc, f->tval);
        rt_fatal("more than 200 traps without rt_trap_reset()");
    }

    if (irq) {
        uint64_t code = cause & 63;
        rt_irq_fn hook = rt_irq_hook[level];
        if (hook) hook(cause);
        else if (level == PRV_M) csr_clear(mie, 1ul << code);
        else csr_clear(sie, 1ul << code);
    } else if (fetch_fault) {
        f->epc = f->x[1];   /* resume at ra: "return" from the bad call */
    } else {
        f->epc += (insn & 3) == 3 ? 4 : 2;
    }
}

void rt_mtrap(struct trap_frame *f) { handle(f, PRV_M); }
void rt_strap(struct trap_frame *f) { handle(f, PRV_S); }
void rt_vstrap(struct trap_frame *f) { handle(f, LVL_VS); }
