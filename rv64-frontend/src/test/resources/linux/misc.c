#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <termios.h>
#include <unistd.h>

static void *volatile bad = (void *)16;

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "unimplemented") == 0) {
        long a = syscall(500, 1, 2, 3);
        int e1 = errno;
        long b = syscall(500);
        long c = syscall(SYS_io_setup, 0, 0);
        printf("%ld %d %ld %ld %s\n", a, e1, b, c, strerror(e1));
        char link[4096];
        ssize_t n = readlink("/proc/self/exe", link, sizeof link - 1);
        link[n > 0 ? n : 0] = 0;
        printf("exe: %s\n", link);
        return 0;
    }
    struct utsname u;
    uname(&u);
    printf("sysname=%s machine=%s\n", u.sysname, u.machine);
    printf("isatty: %d %d %d\n", isatty(0), isatty(1), isatty(2));
    struct winsize ws;
    printf("TIOCGWINSZ on a pipe: %d %s\n", ioctl(1, TIOCGWINSZ, &ws), strerror(errno));
    char cwd[4096];
    printf("getcwd ok: %d\n", getcwd(cwd, sizeof cwd) != NULL);
    printf("chdir=%d\n", chdir(argc > 1 ? argv[1] : "/"));
    printf("cwd now %s\n", getcwd(cwd, sizeof cwd));
    int fd = open("inside.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    printf("relative create after chdir: %d\n", fd >= 0);
    printf("write=%zd\n", write(fd, "abc\n", 4));
    int fd2 = dup(fd);
    printf("dup=%d write via dup=%zd\n", fd2 > fd, write(fd2, "def\n", 4));
    close(fd);
    close(fd2);
    printf("close twice: %d %s\n", close(fd), strerror(errno));
    printf("unlink=%d\n", unlink("inside.txt"));
    printf("gone: %d\n", access("inside.txt", F_OK) != 0 && errno == ENOENT);
    int p[2];
    printf("pipe=%d\n", pipe(p));
    printf("pipe write=%zd\n", write(p[1], "through a pipe", 14));
    char buf[32] = {0};
    printf("pipe read=%zd %s\n", read(p[0], buf, sizeof buf - 1), buf);
    printf("getpid==gettid: %d\n", getpid() == (pid_t)syscall(SYS_gettid));
    printf("bad fd read: %zd %s\n", read(77, buf, 1), strerror(errno));
    printf("EFAULT write: %zd %s\n", write(1, bad, 4), strerror(errno));
    return 0;
}
