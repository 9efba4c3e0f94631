#include <ctype.h>
#include <stdio.h>

int main(void) {
    char line[4096];
    int lines = 0;
    long bytes = 0;
    while (fgets(line, sizeof line, stdin)) {
        lines++;
        for (char *p = line; *p; p++) { bytes++; *p = toupper((unsigned char)*p); }
        fputs(line, stdout);
    }
    printf("%d lines, %ld bytes\n", lines, bytes);
    return 0;
}
