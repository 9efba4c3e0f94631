#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

static int cmp(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int main(int argc, char **argv, char **envp) {
    printf("argc=%d\n", argc);
    for (int i = 0; i < argc; i++) printf("argv[%d]=%s\n", i, argv[i]);
    if (argv[argc] != NULL) printf("argv not NULL-terminated\n");
    int n = 0;
    for (char **e = envp; *e; e++) n++;
    printf("envc=%d environ_is_envp=%d\n", n, environ == envp);
    char **mine = malloc(sizeof(char *) * (n + 1));
    int m = 0;
    for (char **e = envp; *e; e++)
        if (strncmp(*e, "DVTEST_", 7) == 0) mine[m++] = *e;
    qsort(mine, m, sizeof(char *), cmp);
    for (int i = 0; i < m; i++) printf("env %s\n", mine[i]);
    const char *v = getenv("DVTEST_B");
    printf("getenv(DVTEST_B)=%s\n", v ? v : "(null)");
    return 0;
}
