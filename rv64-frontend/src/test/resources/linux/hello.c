#include <stdio.h>

int main(void) {
    printf("hello, world\n");
    printf("%d %u %ld %x %s %c|%5d|%-5d|\n", -42, 42u, 1234567890123L, 0xbeef, "str", 'c', 7, 7);
    fprintf(stderr, "to stderr\n");
    return 0;
}
