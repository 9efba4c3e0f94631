#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv) {
    DIR *d = opendir(argc > 1 ? argv[1] : ".");
    if (!d) { perror("opendir"); return 1; }
    char *names[1000];
    int types[1000];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < 1000) {
        names[n] = strdup(e->d_name);
        n++;
    }
    closedir(d);
    qsort(names, n, sizeof(char *), cmp);
    printf("%d entries\n", n);
    for (int i = 0; i < n; i++) printf("%s\n", names[i]);
    (void)types;
    return 0;
}
