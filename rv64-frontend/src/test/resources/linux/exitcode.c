#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* exitcode exit N | return N | _exit N: leaves with status N the given way (output still flushed). */
int main(int argc, char **argv) {
    if (argc < 3) return 99;
    int n = atoi(argv[2]);
    printf("leaving by %s with %d", argv[1], n); /* no newline: exit must flush stdio */
    if (strcmp(argv[1], "exit") == 0) exit(n);
    if (strcmp(argv[1], "_exit") == 0) { fflush(stdout); _exit(n); }
    if (strcmp(argv[1], "abort") == 0) { fflush(stdout); abort(); }
    return n;
}
