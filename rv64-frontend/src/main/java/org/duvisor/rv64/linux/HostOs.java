package org.duvisor.rv64.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The host C library calls the guest's system calls are forwarded to, through the FFM API. Pointer
 * arguments are usually slices of guest memory (which is host memory), so data moves without
 * copies. Every call returns its result, or {@code -errno} when the C function reports failure; the
 * host's errno values are the asm-generic ones on every architecture the JDK runs Linux on.
 *
 * <p>Struct layouts passed through unchanged are those that are identical between the host and
 * RISC-V: timespec, timeval, utsname, rlimit, sysinfo, linux_dirent64, termios (kernel), winsize,
 * statx. {@code struct stat} differs and is converted from statx by the caller.
 */
final class HostOs {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final ThreadLocal<MemorySegment> CAPTURE =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CAPTURE_LAYOUT));

    private static final ValueLayout.OfInt I = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong L = ValueLayout.JAVA_LONG;
    private static final ValueLayout A = ValueLayout.ADDRESS;

    private static final MethodHandle OPENAT = variadic("openat", FunctionDescriptor.of(I, I, A, I, I), 3);
    private static final MethodHandle READ = errno("read", FunctionDescriptor.of(L, I, A, L));
    private static final MethodHandle WRITE = errno("write", FunctionDescriptor.of(L, I, A, L));
    private static final MethodHandle PREAD = errno("pread", FunctionDescriptor.of(L, I, A, L, L));
    private static final MethodHandle PWRITE = errno("pwrite", FunctionDescriptor.of(L, I, A, L, L));
    private static final MethodHandle CLOSE = errno("close", FunctionDescriptor.of(I, I));
    private static final MethodHandle LSEEK = errno("lseek", FunctionDescriptor.of(L, I, L, I));
    private static final MethodHandle STATX = errno("statx", FunctionDescriptor.of(I, I, A, I, I, A));
    private static final MethodHandle GETDENTS64 = errno("getdents64", FunctionDescriptor.of(L, I, A, L));
    private static final MethodHandle READLINKAT = errno("readlinkat", FunctionDescriptor.of(L, I, A, A, L));
    private static final MethodHandle FACCESSAT = errno("faccessat", FunctionDescriptor.of(I, I, A, I, I));
    private static final MethodHandle IOCTL = variadic("ioctl", FunctionDescriptor.of(I, I, L, A), 2);
    private static final MethodHandle ISATTY = plain("isatty", FunctionDescriptor.of(I, I));
    private static final MethodHandle CLOCK_GETTIME = errno("clock_gettime", FunctionDescriptor.of(I, I, A));
    private static final MethodHandle CLOCK_GETRES = errno("clock_getres", FunctionDescriptor.of(I, I, A));
    private static final MethodHandle GETTIMEOFDAY = errno("gettimeofday", FunctionDescriptor.of(I, A, A));
    private static final MethodHandle NANOSLEEP = errno("nanosleep", FunctionDescriptor.of(I, A, A));
    private static final MethodHandle CLOCK_NANOSLEEP = plain("clock_nanosleep", FunctionDescriptor.of(I, I, I, A, A));
    private static final MethodHandle GETRANDOM = errno("getrandom", FunctionDescriptor.of(L, A, L, I));
    private static final MethodHandle UNAME = errno("uname", FunctionDescriptor.of(I, A));
    private static final MethodHandle GETUID = plain("getuid", FunctionDescriptor.of(I));
    private static final MethodHandle GETEUID = plain("geteuid", FunctionDescriptor.of(I));
    private static final MethodHandle GETGID = plain("getgid", FunctionDescriptor.of(I));
    private static final MethodHandle GETEGID = plain("getegid", FunctionDescriptor.of(I));
    private static final MethodHandle PRLIMIT = errno("prlimit", FunctionDescriptor.of(I, I, I, A, A));
    private static final MethodHandle FCNTL = variadic("fcntl", FunctionDescriptor.of(I, I, I, L), 2);
    private static final MethodHandle PIPE2 = errno("pipe2", FunctionDescriptor.of(I, A, I));
    private static final MethodHandle UNLINKAT = errno("unlinkat", FunctionDescriptor.of(I, I, A, I));
    private static final MethodHandle MKDIRAT = errno("mkdirat", FunctionDescriptor.of(I, I, A, I));
    private static final MethodHandle RENAMEAT = errno("renameat", FunctionDescriptor.of(I, I, A, I, A));
    private static final MethodHandle FTRUNCATE = errno("ftruncate", FunctionDescriptor.of(I, I, L));
    private static final MethodHandle FSYNC = errno("fsync", FunctionDescriptor.of(I, I));
    private static final MethodHandle SYSINFO = errno("sysinfo", FunctionDescriptor.of(I, A));
    private static final MethodHandle UTIMENSAT = errno("utimensat", FunctionDescriptor.of(I, I, A, A, I));
    private static final MethodHandle FCHMODAT = errno("fchmodat", FunctionDescriptor.of(I, I, A, I, I));
    private static final MethodHandle FCHMOD = errno("fchmod", FunctionDescriptor.of(I, I, I));
    private static final MethodHandle UMASK = plain("umask", FunctionDescriptor.of(I, I));

    /** Host open-flag values that differ from the asm-generic ones the guest uses (only arm64 here). */
    private static final boolean ARM64 = "aarch64".equals(System.getProperty("os.arch"));

    private HostOs() {
    }

    private static MemorySegment symbol(String name) {
        return LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError("host libc lacks " + name));
    }

    @SuppressWarnings("restricted")
    private static MethodHandle errno(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(symbol(name), fd, Linker.Option.captureCallState("errno"));
    }

    @SuppressWarnings("restricted")
    private static MethodHandle variadic(String name, FunctionDescriptor fd, int firstVariadic) {
        return LINKER.downcallHandle(symbol(name), fd, Linker.Option.captureCallState("errno"),
                Linker.Option.firstVariadicArg(firstVariadic));
    }

    @SuppressWarnings("restricted")
    private static MethodHandle plain(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(symbol(name), fd);
    }

    private static MemorySegment state() {
        return CAPTURE.get();
    }

    private static long result(long r, MemorySegment st) {
        return r == -1 ? -(int) ERRNO.get(st, 0L) : r;
    }

    private static RuntimeException fail(Throwable t) {
        return t instanceof RuntimeException re ? re : new IllegalStateException("host call failed", t);
    }

    /** Guest (asm-generic) open flags to host flags. */
    static int openFlags(int guest) {
        if (!ARM64) return guest;
        int out = guest & ~(0x4000 | 0x8000 | 0x10000 | 0x20000);
        if ((guest & 0x4000) != 0) out |= 0x10000;   // O_DIRECT
        if ((guest & 0x8000) != 0) out |= 0x20000;   // O_LARGEFILE
        if ((guest & 0x10000) != 0) out |= 0x4000;   // O_DIRECTORY
        if ((guest & 0x20000) != 0) out |= 0x8000;   // O_NOFOLLOW
        return out;
    }

    /** Host open flags (F_GETFL) back to guest flags. */
    static int guestOpenFlags(int host) {
        return openFlags(host); // the arm64 permutation is an involution
    }

    static long openat(int dirfd, MemorySegment path, int flags, int mode) {
        MemorySegment st = state();
        try {
            long r;
            do {
                r = result((int) OPENAT.invokeExact(st, dirfd, path, openFlags(flags), mode), st);
            } while (r == -Errno.EINTR);
            return r;
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    static long read(int fd, MemorySegment buf) {
        MemorySegment st = state();
        try {
            long r;
            do {
                r = result((long) READ.invokeExact(st, fd, buf, buf.byteSize()), st);
            } while (r == -Errno.EINTR);
            return r;
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    static long write(int fd, MemorySegment buf) {
        MemorySegment st = state();
        try {
            long r;
            do {
                r = result((long) WRITE.invokeExact(st, fd, buf, buf.byteSize()), st);
            } while (r == -Errno.EINTR);
            return r;
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    static long pread(int fd, MemorySegment buf, long offset) {
        MemorySegment st = state();
        try {
            return result((long) PREAD.invokeExact(st, fd, buf, buf.byteSize(), offset), st);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    static long pwrite(int fd, MemorySegment buf, long offset) {
        MemorySegment st = state();
        try {
            return result((long) PWRITE.invokeExact(st, fd, buf, buf.byteSize(), offset), st);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    static long close(int fd) {
        MemorySegment st = state();
        try {
            return result((int) CLOSE.invokeExact(st, fd), st);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    static long lseek(int fd, long offset, int whence) {
        MemorySegment st = state();
        try {
            return result((long) LSEEK.invokeExact(st, fd, offset, whence), st);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    /** statx(2) into a 256-byte buffer. */
    static long statx(int dirfd, MemorySegment path, int flags, int mask, MemorySegment buf) {
        MemorySegment st = state();
        try {
            return result((int) STATX.invokeExact(st, dirfd, path, flags, mask, buf), st);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    static long getdents64(int fd, MemorySegment buf) {
        MemorySegment st = state();
        try {
            return result((long) GETDENTS64.invokeExact(st, fd, buf, buf.byteSize()), st);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    static long readlinkat(int dirfd, MemorySegment path, MemorySegment buf) {
        MemorySegment st = state();
        try {
            return result((long) READLINKAT.invokeExact(st, dirfd, path, buf, buf.byteSize()), st);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    static long faccessat(int dirfd, MemorySegment path, int mode, int flags) {
        MemorySegment st = state();
        try {
            return result((int) FACCESSAT.invokeExact(st, dirfd, path, mode, flags), st);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    static long ioctl(int fd, long request, MemorySegment arg) {
        MemorySegment st = state();
        try {
            return result((int) IOCTL.invokeExact(st, fd, request, arg), st);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    static boolean isatty(int fd) {
        try {
            return (int) ISATTY.invokeExact(fd) == 1;
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    static long clockGettime(int clock, MemorySegment ts) {
        MemorySegment st = state();
        try {
            return result((int) CLOCK_GETTIME.invokeExact(st, clock, ts), st);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    static long clockGetres(int clock, MemorySegment ts) {
        MemorySegment st = state();
        try {
            return result((int) CLOCK_GETRES.invokeExact(st, clock, ts), st);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    static long gettimeofday(MemorySegment tv, MemorySegment tz) {
        MemorySegment st = state();
        try {
            return result((int) GETTIMEOFDAY.invokeExact(st, tv, tz), st);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    static long nanosleep(MemorySegment req, MemorySegment rem) {
        MemorySegment st = state();
        try {
            return result((int) NANOSLEEP.invokeExact(st, req, rem), st);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    /** clock_nanosleep returns the error number itself, not -1 and errno. */
    static long clockNanosleep(int clock, int flags, MemorySegment req, MemorySegment rem) {
        try {
            return -(int) CLOCK_NANOSLEEP.invokeExact(clock, flags, req, rem);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    static long getrandom(MemorySegment buf, int flags) {
        MemorySegment st = state();
        try {
            return result((long) GETRANDOM.invokeExact(st, buf, buf.byteSize(), flags), st);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    static long uname(MemorySegment buf) {
        MemorySegment st = state();
        try {
            return result((int) UNAME.invokeExact(st, buf), st);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    static long id(int which) {
        try {
            int v = switch (which) {
                case 0 -> (int) GETUID.invokeExact();
                case 1 -> (int) GETEUID.invokeExact();
                case 2 -> (int) GETGID.invokeExact();
                default -> (int) GETEGID.invokeExact();
            };
            return Integer.toUnsignedLong(v);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    static long prlimit(int resource, MemorySegment newLimit, MemorySegment oldLimit) {
        MemorySegment st = state();
        try {
            return result((int) PRLIMIT.invokeExact(st, 0, resource, newLimit, oldLimit), st);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    static long fcntl(int fd, int cmd, long arg) {
        MemorySegment st = state();
        try {
            return result((int) FCNTL.invokeExact(st, fd, cmd, arg), st);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    static long pipe2(MemorySegment fds, int flags) {
        MemorySegment st = state();
        try {
            return result((int) PIPE2.invokeExact(st, fds, openFlags(flags)), st);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    static long unlinkat(int dirfd, MemorySegment path, int flags) {
        MemorySegment st = state();
        try {
            return result((int) UNLINKAT.invokeExact(st, dirfd, path, flags), st);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    static long mkdirat(int dirfd, MemorySegment path, int mode) {
        MemorySegment st = state();
        try {
            return result((int) MKDIRAT.invokeExact(st, dirfd, path, mode), st);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    static long renameat(int olddirfd, MemorySegment oldpath, int newdirfd, MemorySegment newpath) {
        MemorySegment st = state();
        try {
            return result((int) RENAMEAT.invokeExact(st, olddirfd, oldpath, newdirfd, newpath), st);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    static long ftruncate(int fd, long length) {
        MemorySegment st = state();
        try {
            return result((int) FTRUNCATE.invokeExact(st, fd, length), st);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    static long fsync(int fd) {
        MemorySegment st = state();
        try {
            return result((int) FSYNC.invokeExact(st, fd), st);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    static long sysinfo(MemorySegment buf) {
        MemorySegment st = state();
        try {
            return result((int) SYSINFO.invokeExact(st, buf), st);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    static long utimensat(int dirfd, MemorySegment path, MemorySegment times, int flags) {
        MemorySegment st = state();
        try {
            return result((int) UTIMENSAT.invokeExact(st, dirfd, path, times, flags), st);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    static long fchmodat(int dirfd, MemorySegment path, int mode, int flags) {
        MemorySegment st = state();
        try {
            return result((int) FCHMODAT.invokeExact(st, dirfd, path, mode, flags), st);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    static long fchmod(int fd, int mode) {
        MemorySegment st = state();
        try {
            return result((int) FCHMOD.invokeExact(st, fd, mode), st);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    static int umask(int mask) {
        try {
            return (int) UMASK.invokeExact(mask);
        } catch (Throwable t) {
            throw fail(t);
        }
    }
}
