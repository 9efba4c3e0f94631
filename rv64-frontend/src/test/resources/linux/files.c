#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* files PATH OUT: reads PATH several ways, writes OUT, reports what it saw. */
int main(int argc, char **argv) {
    if (argc < 3) return 99;
    FILE *f = fopen(argv[1], "rb");
    if (!f) { printf("fopen failed: %s\n", strerror(errno)); return 1; }
    struct stat st;
    if (fstat(fileno(f), &st) != 0) { printf("fstat failed\n"); return 1; }
    printf("size=%lld regular=%d\n", (long long)st.st_size, S_ISREG(st.st_mode));
    char buf[256];
    size_t n = fread(buf, 1, 10, f);
    printf("first %zu: %.*s\n", n, (int)n, buf);
    fseek(f, -6, SEEK_END);
    n = fread(buf, 1, sizeof buf, f);
    printf("last %zu: %.*s", n, (int)n, buf);
    printf("ftell=%ld\n", ftell(f));
    rewind(f);
    long sum = 0;
    int c, lines = 0;
    while ((c = fgetc(f)) != EOF) { sum += c; if (c == '\n') lines++; }
    printf("sum=%ld lines=%d\n", sum, lines);
    fclose(f);

    int fd = open(argv[1], O_RDONLY);
    char *m = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (m == MAP_FAILED) { printf("mmap failed: %s\n", strerror(errno)); return 1; }
    printf("mmap first line: %.*s", (int)(strchr(m, '\n') - m + 1), m);
    char pbuf[8];
    ssize_t r = pread(fd, pbuf, 5, 3);
    printf("pread=%zd %.5s\n", r, pbuf);
    printf("lseek end=%ld\n", (long)lseek(fd, 0, SEEK_END));
    munmap(m, st.st_size);
    close(fd);

    FILE *o = fopen(argv[2], "w");
    fprintf(o, "written %d\n", 12345);
    fclose(o);
    struct stat so;
    stat(argv[2], &so);
    printf("out size=%lld\n", (long long)so.st_size);
    printf("missing: %s\n", fopen("/nonexistent/file", "r") ? "opened?" : strerror(errno));
    printf("access=%d\n", access(argv[1], R_OK));
    return 0;
}
