/* Microbenchmark "null hypercall": N SBI base calls that the VM plane answers without work. */
#include "guest.h"
#define N 1000000

int main(void) {
    long ok = 0;
    for (int i = 0; i < N; i++) ok += sbi_call(0x10, 0, 0, 0, 0).error == 0; /* get_spec_version */
    guest_puts("DV-MB null-hypercall ");
    guest_put_u64(ok);
    guest_putchar('\n');
    return 0;
}
