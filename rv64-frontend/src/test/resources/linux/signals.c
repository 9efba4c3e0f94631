#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>

static sigjmp_buf env;
static volatile sig_atomic_t got;
static volatile void *fault_addr;
static volatile int on_alt;
static char altstack[64 * 1024];

static void on_segv(int sig, siginfo_t *si, void *uc) {
    (void)uc;
    got = sig;
    fault_addr = si->si_addr;
    siglongjmp(env, 1);
}

/* Skips the faulting 4-byte instruction and returns: exercises rt_sigreturn. */
static void on_ill(int sig, siginfo_t *si, void *ucv) {
    ucontext_t *uc = ucv;
    got = sig;
    on_alt = (char *)&uc > altstack && (char *)&uc < altstack + sizeof altstack;
    if ((uintptr_t)si->si_addr != uc->uc_mcontext.__gregs[REG_PC]) got = -1;
    uc->uc_mcontext.__gregs[REG_PC] += 4;
}

static void on_usr1(int sig) {
    got = sig;
}

int main(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);
    if (sigsetjmp(env, 1) == 0) {
        *(volatile int *)0x1238 = 1;
        printf("no fault?\n");
    }
    printf("SIGSEGV caught: %d at %p\n", got == SIGSEGV, (void *)fault_addr);

    stack_t ss = {.ss_sp = altstack, .ss_size = sizeof altstack, .ss_flags = 0};
    printf("sigaltstack=%d\n", sigaltstack(&ss, NULL));
    sa.sa_sigaction = on_ill;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigaction(SIGILL, &sa, NULL);
    got = 0;
    volatile long keep = 1234;
    __asm__ volatile(".4byte 0xffffffff");
    printf("SIGILL handled and resumed: %d on altstack: %d kept: %ld\n", got == SIGILL, on_alt, keep);

    signal(SIGUSR1, on_usr1);
    got = 0;
    raise(SIGUSR1);
    printf("raise(SIGUSR1) ran the handler: %d\n", got == SIGUSR1);

    sigset_t set, old;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, &old);
    got = 0;
    kill(getpid(), SIGUSR1);
    printf("blocked: not yet delivered: %d\n", got == 0);
    sigprocmask(SIG_SETMASK, &old, NULL);
    printf("unblocked: delivered: %d\n", got == SIGUSR1);

    signal(SIGUSR2, SIG_IGN);
    raise(SIGUSR2);
    printf("ignored SIGUSR2 survived\n");
    struct sigaction cur;
    sigaction(SIGUSR2, NULL, &cur);
    printf("disposition read back: %d\n", cur.sa_handler == SIG_IGN);
    signal(SIGTERM, SIG_DFL);
    fflush(stdout);
    raise(SIGTERM);
    printf("not reached\n");
    return 0;
}
