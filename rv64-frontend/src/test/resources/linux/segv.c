#include <stdio.h>

int main(void) {
    printf("about to crash\n");
    fflush(stdout);
    *(volatile long *)8 = 42;
    printf("still alive?\n");
    return 0;
}
