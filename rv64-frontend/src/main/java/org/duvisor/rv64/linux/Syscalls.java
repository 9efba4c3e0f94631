package org.duvisor.rv64.linux;

import static org.duvisor.rv64.linux.Errno.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import org.duvisor.rv64.hart.Hart;

/**
 * The Linux system calls of a single-threaded RISC-V process (asm-generic numbering: number in a7,
 * arguments in a0-a5, result or {@code -errno} in a0). File and time calls are forwarded to the host
 * through {@link HostOs}; memory calls act on the {@link AddressSpace}; signals are modelled only as
 * far as a process without handlers needs (dispositions, masks, signals sent to itself).
 */
final class Syscalls {
    static final int AT_FDCWD = -100, AT_EMPTY_PATH = 0x1000, AT_SYMLINK_NOFOLLOW = 0x100;
    static final int STATX_BASIC_STATS = 0x7ff;
    static final int O_DIRECTORY = 0x10000, O_CLOEXEC = 0x80000, O_PATH = 0x200000;
    static final int MAP_SHARED = 1, MAP_PRIVATE = 2, MAP_FIXED = 0x10, MAP_ANONYMOUS = 0x20,
            MAP_FIXED_NOREPLACE = 0x100000;
    static final int MREMAP_MAYMOVE = 1, MREMAP_FIXED = 2;
    static final int SIGKILL = 9, SIGPIPE = 13, SIGSTOP = 19;
    private static final int PATH_MAX = 4096;
    private static final long UNLIMITED = -1L;

    private final LinuxProcess process;
    private final AddressSpace as;
    final FdTable fds = new FdTable();
    private final long pid;
    private final long ppid;
    private int cwdFd;
    private int umask = 022;
    private final BitSet reported = new BitSet();
    private boolean warnedSharedFile;

    private final Signals signals;
    /** Set by rt_sigreturn: the registers were replaced, so a0 and pc must not be touched. */
    private boolean contextRestored;
    private final Map<Integer, long[]> rlimits = new HashMap<>();

    /** A failed system call: its errno. Thrown by argument checks, caught by {@link #dispatch}. */
    private static final class Fail extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int errno;

        Fail(int errno) {
            super(null, null, false, false);
            this.errno = errno;
        }
    }

    Syscalls(LinuxProcess process, AddressSpace as, Signals signals) {
        this.process = process;
        this.as = as;
        this.signals = signals;
        ProcessHandle self = ProcessHandle.current();
        this.pid = self.pid();
        this.ppid = self.parent().map(ProcessHandle::pid).orElse(1L);
        try (Arena arena = Arena.ofConfined()) {
            long fd = HostOs.openat(AT_FDCWD, arena.allocateFrom("."), O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
            if (fd < 0) throw new IllegalStateException("cannot open the current directory: errno " + -fd);
            cwdFd = (int) fd;
        }
    }

    long pid() {
        return pid;
    }

    /** Whether the last call was a successful rt_sigreturn (and clears the flag). */
    boolean takeContextRestored() {
        boolean r = contextRestored;
        contextRestored = false;
        return r;
    }

    void close() {
        fds.closeAll();
        HostOs.close(cwdFd);
    }

    // ---- argument helpers ----

    private static Fail fail(int errno) {
        return new Fail(errno);
    }

    /** Guest memory [addr, addr+len) as a segment, after checking it allows {@code need}. */
    private MemorySegment mem(long addr, long len, int need) {
        if (!as.accessible(addr, len, need)) throw fail(EFAULT);
        if ((need & AddressSpace.W) != 0) as.noteWrite(addr, len);
        return len == 0 ? as.slice(0, 0) : as.slice(addr, len);
    }

    /** Like {@link #mem}, but a NULL pointer stays NULL. */
    private MemorySegment memOrNull(long addr, long len, int need) {
        return addr == 0 ? MemorySegment.NULL : mem(addr, len, need);
    }

    private String path(long addr) {
        String s = as.readCString(addr, PATH_MAX);
        if (s == null) throw fail(EFAULT);
        if (s.length() >= PATH_MAX) throw fail(ENAMETOOLONG);
        return s;
    }

    private static MemorySegment cstr(Arena arena, String s) {
        return arena.allocateFrom(s, StandardCharsets.ISO_8859_1);
    }

    private GuestFile file(long fd) {
        GuestFile f = fds.get(fd);
        if (f == null) throw fail(EBADF);
        return f;
    }

    /** The host directory descriptor a guest dirfd stands for, given the path it is used with. */
    private int dir(long dirfd, String path) {
        if (path.startsWith("/")) return AT_FDCWD;
        if ((int) dirfd == AT_FDCWD) return cwdFd;
        int h = file(dirfd).hostFd();
        if (h < 0) throw fail(ENOTDIR);
        return h;
    }

    /** Host paths that mean something else for the guest. */
    private String translate(String path) {
        if (path.equals("/proc/self/exe") || path.equals("/proc/" + pid + "/exe")) return process.executable().toString();
        return path;
    }

    private static long check(long r) {
        if (r < 0 && r >= -4095) throw fail((int) -r);
        return r;
    }

    // ---- dispatch ----

    /** Performs the system call the hart's registers describe and returns the value for a0. */
    long dispatch(Hart h) {
        long[] x = h.x;
        long nr = x[17];
        long a0 = x[10], a1 = x[11], a2 = x[12], a3 = x[13], a4 = x[14], a5 = x[15];
        try {
            return call(h, nr, a0, a1, a2, a3, a4, a5);
        } catch (Fail f) {
            return -f.errno;
        }
    }

    private long call(Hart h, long nr, long a0, long a1, long a2, long a3, long a4, long a5) {
        return switch ((int) nr == nr ? (int) nr : -1) {
            case 17 -> getcwd(a0, a1);
            case 23 -> dup(a0, 0, false);
            case 24 -> dup3(a0, a1, (int) a2);
            case 25 -> fcntl(a0, (int) a1, a2);
            case 29 -> ioctl(a0, a1, a2);
            case 34 -> mkdirat(a0, a1, (int) a2);
            case 35 -> unlinkat(a0, a1, (int) a2);
            case 38 -> renameat(a0, a1, a2, a3, 0);
            case 46 -> check(HostOs.ftruncate(hostFd(a0), a1));
            case 48 -> faccessat(a0, a1, (int) a2, 0);
            case 49 -> chdir(a0);
            case 50 -> fchdir(a0);
            case 52 -> check(HostOs.fchmod(hostFd(a0), (int) a1));
            case 53 -> fchmodat(a0, a1, (int) a2);
            case 56 -> openat(a0, a1, (int) a2, (int) a3);
            case 57 -> fds.close(a0);
            case 59 -> pipe2(a0, (int) a1);
            case 61 -> file(a0).getdents64(mem(a1, a2, AddressSpace.W));
            case 62 -> file(a0).lseek(a1, (int) a2);
            case 63 -> file(a0).read(mem(a1, a2, AddressSpace.W));
            case 64 -> wrote(file(a0).write(mem(a1, a2, AddressSpace.R)));
            case 65 -> vector(a0, a1, a2, false);
            case 66 -> vector(a0, a1, a2, true);
            case 67 -> a3 < 0 ? -EINVAL : file(a0).pread(mem(a1, a2, AddressSpace.W), a3);
            case 68 -> a3 < 0 ? -EINVAL : wrote(file(a0).pwrite(mem(a1, a2, AddressSpace.R), a3));
            case 78 -> readlinkat(a0, a1, a2, a3);
            case 79 -> newfstatat(a0, a1, a2, (int) a3);
            case 80 -> fstat(a0, a1);
            case 82, 83 -> check(HostOs.fsync(hostFd(a0)));
            case 93, 94 -> {
                process.exit((int) a0 & 0xFF);
                yield 0;
            }
            case 96 -> pid; // set_tid_address: the clear-child-tid word only matters to threads
            case 98 -> futex(a0, (int) a1, (int) a2, a3, a4, (int) a5);
            case 99 -> a1 == 24 ? 0 : -EINVAL; // set_robust_list
            case 101 -> check(HostOs.nanosleep(mem(a0, 16, AddressSpace.R), memOrNull(a1, 16, AddressSpace.W)));
            case 113 -> check(HostOs.clockGettime((int) a0, mem(a1, 16, AddressSpace.W)));
            case 114 -> check(HostOs.clockGetres((int) a0, memOrNull(a1, 16, AddressSpace.W)));
            case 115 -> check(HostOs.clockNanosleep((int) a0, (int) a1, mem(a2, 16, AddressSpace.R),
                    memOrNull(a3, 16, AddressSpace.W)));
            case 123 -> schedGetaffinity(a0, a1, a2);
            case 124 -> {
                Thread.yield();
                yield 0;
            }
            case 129 -> a0 == pid || a0 == 0 || a0 == -1 ? signalSelf((int) a1, Signals.SI_USER) : -ESRCH; // kill
            case 130 -> a0 == pid ? signalSelf((int) a1, Signals.SI_TKILL) : -ESRCH; // tkill
            case 131 -> a0 == pid && a1 == pid ? signalSelf((int) a2, Signals.SI_TKILL) : -ESRCH; // tgkill
            case 132 -> sigaltstack(a0, a1);
            case 134 -> rtSigaction((int) a0, a1, a2, a3);
            case 135 -> rtSigprocmask((int) a0, a1, a2, a3);
            case 139 -> {
                if (!signals.sigreturn(h, as)) {
                    process.diagnostic("rt_sigreturn with an unreadable frame at sp 0x" + Long.toHexString(h.x[2]));
                    process.killedBy(Signals.SIGSEGV);
                }
                contextRestored = true;
                yield 0;
            }
            case 160 -> uname(a0);
            case 163 -> prlimit(0, (int) a0, 0, a1);
            case 164 -> prlimit(0, (int) a0, a1, 0);
            case 166 -> {
                int old = umask;
                umask = (int) a0 & 0777;
                yield old;
            }
            case 169 -> check(HostOs.gettimeofday(memOrNull(a0, 16, AddressSpace.W), memOrNull(a1, 8, AddressSpace.W)));
            case 172, 178 -> pid;
            case 173 -> ppid;
            case 174 -> HostOs.id(0);
            case 175 -> HostOs.id(1);
            case 176 -> HostOs.id(2);
            case 177 -> HostOs.id(3);
            case 179 -> check(HostOs.sysinfo(mem(a0, 112, AddressSpace.W)));
            case 214 -> as.brk(a0);
            case 215 -> munmap(a0, a1);
            case 216 -> mremap(a0, a1, a2, (int) a3, a4);
            case 222 -> mmap(a0, a1, (int) a2, (int) a3, (int) a4, a5);
            case 226 -> mprotect(a0, a1, (int) a2);
            case 233 -> madvise(a0, a1, (int) a2);
            case 258, 293 -> -ENOSYS; // riscv_hwprobe, rseq: optional, the C library copes silently
            case 259 -> {
                process.flushCode();
                yield 0;
            }
            case 261 -> prlimit(a0, (int) a1, a2, a3);
            case 276 -> renameat(a0, a1, a2, a3, (int) a4);
            case 278 -> check(HostOs.getrandom(mem(a0, a1, AddressSpace.W), (int) a2 & 7));
            case 291 -> statx(a0, a1, (int) a2, a4);
            case 439 -> faccessat(a0, a1, (int) a2, (int) a3);
            default -> unimplemented(nr);
        };
    }

    private long unimplemented(long nr) {
        if (nr >= 0 && nr < 100_000 && !reported.get((int) nr)) {
            reported.set((int) nr);
            String name = SyscallNames.name(nr);
            process.diagnostic("unimplemented syscall " + nr + (name != null ? " (" + name + ")" : ""));
        }
        return -ENOSYS;
    }

    // ---- files ----

    private int hostFd(long fd) {
        int h = file(fd).hostFd();
        if (h < 0) throw fail(EINVAL);
        return h;
    }

    /** A write that hit a closed pipe raises SIGPIPE, which kills a process that does not ignore it. */
    private long wrote(long r) {
        if (r == -EPIPE) signals.post(SIGPIPE, Signals.SI_USER, pid);
        return r;
    }

    private long vector(long fd, long iov, long count, boolean write) {
        GuestFile f = file(fd);
        if (count < 0 || count > 1024) return -EINVAL;
        MemorySegment v = mem(iov, count * 16, AddressSpace.R);
        long total = 0;
        for (int k = 0; k < count; k++) {
            long base = v.get(ValueLayout.JAVA_LONG_UNALIGNED, k * 16L);
            long len = v.get(ValueLayout.JAVA_LONG_UNALIGNED, k * 16L + 8);
            if (len < 0) return -EINVAL;
            if (len == 0) continue;
            long r;
            if (write) r = wrote(f.write(mem(base, len, AddressSpace.R)));
            else r = f.read(mem(base, len, AddressSpace.W));
            if (r < 0) return total > 0 ? total : r;
            total += r;
            if (r < len) break;
        }
        return total;
    }

    private long openat(long dirfd, long pathAddr, int flags, int mode) {
        String path = translate(path(pathAddr));
        try (Arena arena = Arena.ofConfined()) {
            long h = check(HostOs.openat(dir(dirfd, path), cstr(arena, path), flags, mode & ~umask));
            int fd = fds.add(new GuestFile.Host((int) h), 0, (flags & O_CLOEXEC) != 0);
            if (fd < 0) HostOs.close((int) h);
            return fd;
        }
    }

    private long dup(long fd, int min, boolean cloexec) {
        GuestFile f = file(fd);
        int n = fds.add(f, min, cloexec);
        if (n >= 0) f.refs++;
        return n;
    }

    private long dup3(long oldFd, long newFd, int flags) {
        GuestFile f = file(oldFd);
        if (oldFd == newFd || (flags & ~O_CLOEXEC) != 0) return -EINVAL;
        if (newFd < 0 || newFd >= FdTable.MAX) return -EBADF;
        f.refs++;
        fds.put((int) newFd, f, (flags & O_CLOEXEC) != 0);
        return newFd;
    }

    private long fcntl(long fd, int cmd, long arg) {
        GuestFile f = file(fd);
        return switch (cmd) {
            case 0 -> dup(fd, (int) Math.min(arg, FdTable.MAX), false);        // F_DUPFD
            case 1030 -> dup(fd, (int) Math.min(arg, FdTable.MAX), true);      // F_DUPFD_CLOEXEC
            case 1 -> fds.closeOnExec((int) fd) ? 1 : 0;                        // F_GETFD
            case 2 -> {                                                         // F_SETFD
                fds.setCloseOnExec((int) fd, (arg & 1) != 0);
                yield 0;
            }
            case 3 -> f.statusFlags();                                          // F_GETFL
            case 4 -> f.hostFd() < 0 ? 0 : check(HostOs.fcntl(f.hostFd(), 4, HostOs.openFlags((int) arg)));
            case 5, 6, 7 -> f.hostFd() < 0 ? -EBADF                             // F_GETLK/SETLK/SETLKW
                    : check(HostOs.fcntl(f.hostFd(), cmd, mem(arg, 32, AddressSpace.R | AddressSpace.W).address()));
            default -> -EINVAL;
        };
    }

    private long ioctl(long fd, long request, long arg) {
        GuestFile f = file(fd);
        int req = (int) request;
        if (req == 0x5451 || req == 0x5450) return 0; // FIOCLEX, FIONCLEX
        int size;
        int need;
        switch (req) {
            case 0x5401 -> { size = 36; need = AddressSpace.W; }                 // TCGETS
            case 0x5402, 0x5403, 0x5404 -> { size = 36; need = AddressSpace.R; } // TCSETS, TCSETSW, TCSETSF
            case 0x5413 -> { size = 8; need = AddressSpace.W; }                  // TIOCGWINSZ
            case 0x5414 -> { size = 8; need = AddressSpace.R; }                  // TIOCSWINSZ
            case 0x540F, 0x541B -> { size = 4; need = AddressSpace.W; }          // TIOCGPGRP, FIONREAD
            case 0x5421 -> { size = 4; need = AddressSpace.R; }                  // FIONBIO
            default -> { return -ENOTTY; }
        }
        if (f.hostFd() < 0) return -ENOTTY;
        return check(HostOs.ioctl(f.hostFd(), req, mem(arg, size, need)));
    }

    private long getcwd(long buf, long size) {
        String cwd = cwd();
        if (cwd == null) return -ENOENT;
        byte[] b = cwd.getBytes(StandardCharsets.ISO_8859_1);
        if (size < b.length + 1) return -ERANGE;
        mem(buf, b.length + 1, AddressSpace.W);
        as.putCString(buf, cwd);
        return b.length + 1;
    }

    private String cwd() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(PATH_MAX);
            long n = HostOs.readlinkat(AT_FDCWD, cstr(arena, "/proc/self/fd/" + cwdFd), out);
            if (n < 0) return null;
            byte[] b = out.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
            return new String(b, StandardCharsets.ISO_8859_1);
        }
    }

    private long chdir(long pathAddr) {
        String path = path(pathAddr);
        try (Arena arena = Arena.ofConfined()) {
            long fd = check(HostOs.openat(dir(AT_FDCWD, path), cstr(arena, path), O_PATH | O_DIRECTORY | O_CLOEXEC, 0));
            HostOs.close(cwdFd);
            cwdFd = (int) fd;
            return 0;
        }
    }

    private long fchdir(long fd) {
        int h = file(fd).hostFd();
        if (h < 0) return -ENOTDIR;
        try (Arena arena = Arena.ofConfined()) {
            long n = check(HostOs.openat(h, cstr(arena, "."), O_PATH | O_DIRECTORY | O_CLOEXEC, 0));
            HostOs.close(cwdFd);
            cwdFd = (int) n;
            return 0;
        }
    }

    private long mkdirat(long dirfd, long pathAddr, int mode) {
        String path = path(pathAddr);
        try (Arena arena = Arena.ofConfined()) {
            return check(HostOs.mkdirat(dir(dirfd, path), cstr(arena, path), mode & ~umask));
        }
    }

    private long unlinkat(long dirfd, long pathAddr, int flags) {
        String path = path(pathAddr);
        try (Arena arena = Arena.ofConfined()) {
            return check(HostOs.unlinkat(dir(dirfd, path), cstr(arena, path), flags));
        }
    }

    private long renameat(long oldDir, long oldAddr, long newDir, long newAddr, int flags) {
        if (flags != 0) return -EINVAL;
        String from = path(oldAddr), to = path(newAddr);
        try (Arena arena = Arena.ofConfined()) {
            return check(HostOs.renameat(dir(oldDir, from), cstr(arena, from), dir(newDir, to), cstr(arena, to)));
        }
    }

    private long faccessat(long dirfd, long pathAddr, int mode, int flags) {
        String path = translate(path(pathAddr));
        try (Arena arena = Arena.ofConfined()) {
            return check(HostOs.faccessat(dir(dirfd, path), cstr(arena, path), mode, flags));
        }
    }

    private long fchmodat(long dirfd, long pathAddr, int mode) {
        String path = path(pathAddr);
        try (Arena arena = Arena.ofConfined()) {
            return check(HostOs.fchmodat(dir(dirfd, path), cstr(arena, path), mode, 0));
        }
    }

    private long readlinkat(long dirfd, long pathAddr, long buf, long size) {
        String path = path(pathAddr);
        if (size <= 0) return -EINVAL;
        MemorySegment out = mem(buf, size, AddressSpace.W);
        if (!translate(path).equals(path)) {
            byte[] b = translate(path).getBytes(StandardCharsets.ISO_8859_1);
            int n = (int) Math.min(b.length, size);
            as.putBytes(buf, b, 0, n);
            return n;
        }
        try (Arena arena = Arena.ofConfined()) {
            return check(HostOs.readlinkat(dir(dirfd, path), cstr(arena, path), out));
        }
    }

    private long pipe2(long fdsAddr, int flags) {
        MemorySegment out = mem(fdsAddr, 8, AddressSpace.W);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment host = arena.allocate(8);
            check(HostOs.pipe2(host, flags));
            int r = host.get(ValueLayout.JAVA_INT, 0), w = host.get(ValueLayout.JAVA_INT, 4);
            boolean cloexec = (flags & O_CLOEXEC) != 0;
            int gr = fds.add(new GuestFile.Host(r), 0, cloexec);
            int gw = gr < 0 ? gr : fds.add(new GuestFile.Host(w), 0, cloexec);
            if (gr < 0 || gw < 0) {
                if (gr >= 0) fds.close(gr);
                else HostOs.close(r);
                HostOs.close(w);
                return -EMFILE;
            }
            out.set(ValueLayout.JAVA_INT_UNALIGNED, 0, gr);
            out.set(ValueLayout.JAVA_INT_UNALIGNED, 4, gw);
            return 0;
        }
    }

    // ---- stat ----

    /** statx of a guest descriptor or path into a host buffer. */
    private long statxInto(long dirfd, String path, int flags, MemorySegment buf) {
        if (path.isEmpty() && (flags & AT_EMPTY_PATH) != 0) {
            if ((int) dirfd == AT_FDCWD) {
                try (Arena arena = Arena.ofConfined()) {
                    return check(HostOs.statx(cwdFd, cstr(arena, ""), AT_EMPTY_PATH, STATX_BASIC_STATS, buf));
                }
            }
            return check(file(dirfd).statx(buf));
        }
        String p = translate(path);
        try (Arena arena = Arena.ofConfined()) {
            return check(HostOs.statx(dir(dirfd, p), cstr(arena, p), flags,
                    STATX_BASIC_STATS, buf));
        }
    }

    private long fstat(long fd, long statAddr) {
        GuestFile f = file(fd);
        MemorySegment out = mem(statAddr, 128, AddressSpace.W);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sx = arena.allocate(256);
            check(f.statx(sx));
            statFromStatx(sx, out);
            return 0;
        }
    }

    private long newfstatat(long dirfd, long pathAddr, long statAddr, int flags) {
        String path = path(pathAddr);
        MemorySegment out = mem(statAddr, 128, AddressSpace.W);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sx = arena.allocate(256);
            statxInto(dirfd, path, flags, sx);
            statFromStatx(sx, out);
            return 0;
        }
    }

    private long statx(long dirfd, long pathAddr, int flags, long bufAddr) {
        String path = path(pathAddr);
        MemorySegment out = mem(bufAddr, 256, AddressSpace.W);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sx = arena.allocate(256);
            statxInto(dirfd, path, flags, sx);
            MemorySegment.copy(sx, 0, out, 0, 256);
            return 0;
        }
    }

    private static long makedev(long major, long minor) {
        return (minor & 0xff) | ((major & 0xfff) << 8) | ((minor & ~0xffL) << 12) | ((major & ~0xfffL) << 32);
    }

    /** Converts a struct statx to the asm-generic struct stat (128 bytes) RISC-V uses. */
    static void statFromStatx(MemorySegment sx, MemorySegment st) {
        ValueLayout.OfInt i = ValueLayout.JAVA_INT_UNALIGNED;
        ValueLayout.OfLong l = ValueLayout.JAVA_LONG_UNALIGNED;
        st.fill((byte) 0);
        long u = 0xFFFF_FFFFL;
        st.set(l, 0, makedev(sx.get(i, 136) & u, sx.get(i, 140) & u));   // st_dev
        st.set(l, 8, sx.get(l, 32));                                        // st_ino
        st.set(i, 16, sx.get(ValueLayout.JAVA_SHORT_UNALIGNED, 28) & 0xFFFF); // st_mode
        st.set(i, 20, sx.get(i, 16));                                       // st_nlink
        st.set(i, 24, sx.get(i, 20));                                       // st_uid
        st.set(i, 28, sx.get(i, 24));                                       // st_gid
        st.set(l, 32, makedev(sx.get(i, 128) & u, sx.get(i, 132) & u));   // st_rdev
        st.set(l, 48, sx.get(l, 40));                                       // st_size
        st.set(i, 56, sx.get(i, 4));                                        // st_blksize
        st.set(l, 64, sx.get(l, 48));                                       // st_blocks
        st.set(l, 72, sx.get(l, 64));                                       // st_atime
        st.set(l, 80, sx.get(i, 72) & u);
        st.set(l, 88, sx.get(l, 112));                                      // st_mtime
        st.set(l, 96, sx.get(i, 120) & u);
        st.set(l, 104, sx.get(l, 96));                                      // st_ctime
        st.set(l, 112, sx.get(i, 104) & u);
    }

    // ---- memory ----

    private long mmap(long addr, long len, int prot, int flags, int fd, long offset) {
        if (len == 0 || (offset & (AddressSpace.PAGE - 1)) != 0 || (prot & ~7) != 0) return -EINVAL;
        int type = flags & 3;
        if (type == 0) return -EINVAL;
        if (len < 0 || len > AddressSpace.SIZE) return -ENOMEM;
        long size = AddressSpace.pageUp(len);
        boolean anonymous = (flags & MAP_ANONYMOUS) != 0;
        int host = -1;
        if (!anonymous) {
            GuestFile f = file(fd);
            host = f.hostFd();
            if (host < 0) return -ENODEV;
            long fl = f.statusFlags();
            if (fl < 0) return fl;
            int mode = (int) fl & GuestFile.O_ACCMODE;
            if (mode == GuestFile.O_WRONLY) return -EACCES;
            if (type != MAP_PRIVATE && (prot & AddressSpace.W) != 0) {
                if (mode != GuestFile.O_RDWR) return -EACCES;
                if (!warnedSharedFile) {
                    warnedSharedFile = true;
                    process.diagnostic("writable MAP_SHARED file mapping is emulated as a private copy");
                }
            }
        }
        long at;
        if ((flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) != 0) {
            if ((addr & (AddressSpace.PAGE - 1)) != 0) return -EINVAL;
            if (!AddressSpace.inWindow(addr, size)) return -ENOMEM;
            if ((flags & MAP_FIXED) != 0) as.unmap(addr, size);
            else if (!as.isFree(addr, size)) return -EEXIST;
            at = addr;
        } else {
            at = -1;
            long hint = addr & ~(AddressSpace.PAGE - 1);
            if (hint >= AddressSpace.MMAP_LOW && AddressSpace.inWindow(hint, size) && as.isFree(hint, size)) at = hint;
            if (at < 0) at = as.findFree(size);
            if (at < 0) return -ENOMEM;
        }
        as.map(at, size, prot);
        if (!anonymous) {
            long done = 0;
            while (done < size) {
                long n = HostOs.pread(host, as.slice(at + done, size - done), offset + done);
                if (n < 0) {
                    as.unmap(at, size);
                    return n;
                }
                if (n == 0) break;
                done += n;
            }
            if ((prot & AddressSpace.X) != 0) process.flushCode();
        }
        return at;
    }

    private long munmap(long addr, long len) {
        if ((addr & (AddressSpace.PAGE - 1)) != 0 || len <= 0) return -EINVAL;
        long size = AddressSpace.pageUp(len);
        if (!AddressSpace.inWindow(addr, size)) return -EINVAL;
        as.unmap(addr, size);
        return 0;
    }

    private long mprotect(long addr, long len, int prot) {
        if ((addr & (AddressSpace.PAGE - 1)) != 0 || (prot & ~(7 | 0x0100_0000 | 0x0200_0000)) != 0) return -EINVAL;
        if (len == 0) return 0;
        long size = AddressSpace.pageUp(len);
        if (len < 0 || !AddressSpace.inWindow(addr, size) || !as.isMapped(addr, size)) return -ENOMEM;
        as.protect(addr, size, prot & 7);
        return 0;
    }

    private long madvise(long addr, long len, int advice) {
        if ((addr & (AddressSpace.PAGE - 1)) != 0 || len < 0) return -EINVAL;
        long size = AddressSpace.pageUp(len);
        if (!AddressSpace.inWindow(addr, size)) return -ENOMEM;
        if (advice == 4) as.discardMapped(addr, size); // MADV_DONTNEED: anonymous pages read zero again
        return 0;
    }

    private long mremap(long old, long oldLen, long newLen, int flags, long newAddr) {
        long page = AddressSpace.PAGE - 1;
        if ((old & page) != 0 || (flags & ~7) != 0) return -EINVAL;
        if ((flags & MREMAP_FIXED) != 0 && (flags & MREMAP_MAYMOVE) == 0) return -EINVAL;
        if ((flags & 4) != 0) return -EINVAL; // MREMAP_DONTUNMAP
        if (oldLen <= 0 || newLen <= 0 || oldLen > AddressSpace.SIZE || newLen > AddressSpace.SIZE) return -EINVAL;
        long oldSize = AddressSpace.pageUp(oldLen), newSize = AddressSpace.pageUp(newLen);
        if (!AddressSpace.inWindow(old, oldSize) || !as.isMapped(old, oldSize)) return -EFAULT;
        if ((flags & MREMAP_FIXED) != 0) {
            if ((newAddr & page) != 0 || !AddressSpace.inWindow(newAddr, newSize)) return -EINVAL;
            if (newAddr < old + oldSize && old < newAddr + newSize) return -EINVAL;
            as.unmap(newAddr, newSize);
            return moveMapping(old, oldSize, newAddr, newSize);
        }
        if (newSize <= oldSize) {
            as.unmap(old + newSize, oldSize - newSize);
            return old;
        }
        long tail = old + oldSize;
        if (AddressSpace.inWindow(tail, newSize - oldSize) && as.isFree(tail, newSize - oldSize)) {
            as.map(tail, newSize - oldSize, as.perm(tail - 1) & 7);
            return old;
        }
        if ((flags & MREMAP_MAYMOVE) == 0) return -ENOMEM;
        long to = as.findFree(newSize);
        if (to < 0) return -ENOMEM;
        return moveMapping(old, oldSize, to, newSize);
    }

    private long moveMapping(long old, long oldSize, long to, long newSize) {
        long keep = Math.min(oldSize, newSize);
        as.move(old, to, keep);
        if (newSize > keep) as.map(to + keep, newSize - keep, as.perm(to + keep - 1) & 7);
        as.unmap(old, oldSize);
        return to;
    }

    // ---- futex ----

    private long futex(long uaddr, int op, int val, long timeout, long uaddr2, int val3) {
        int cmd = op & 0x7F;
        switch (cmd) {
            case 0, 9 -> { // FUTEX_WAIT, FUTEX_WAIT_BITSET
                if ((uaddr & 3) != 0) return -EINVAL;
                mem(uaddr, 4, AddressSpace.R);
                if (as.getInt(uaddr) != val) return -EAGAIN;
                if (timeout == 0) {
                    process.diagnostic("futex wait on 0x" + Long.toHexString(uaddr)
                            + " can never be woken in a single-threaded process");
                    process.killedBy(SIGKILL);
                    return -EINTR;
                }
                MemorySegment ts = mem(timeout, 16, AddressSpace.R);
                if (cmd == 0) {
                    check(HostOs.nanosleep(ts, MemorySegment.NULL));
                } else {
                    int clock = (op & 256) != 0 ? 0 : 1; // FUTEX_CLOCK_REALTIME, else monotonic
                    check(HostOs.clockNanosleep(clock, 1 /* TIMER_ABSTIME */, ts, MemorySegment.NULL));
                }
                return -ETIMEDOUT;
            }
            case 1, 10 -> { // FUTEX_WAKE, FUTEX_WAKE_BITSET: nobody else is waiting
                return 0;
            }
            case 3 -> { // FUTEX_REQUEUE
                return 0;
            }
            case 4 -> { // FUTEX_CMP_REQUEUE
                mem(uaddr, 4, AddressSpace.R);
                return as.getInt(uaddr) != val3 ? -EAGAIN : 0;
            }
            case 5 -> { // FUTEX_WAKE_OP: still performs the operation on uaddr2
                mem(uaddr2, 4, AddressSpace.R | AddressSpace.W);
                int kind = (val3 >>> 28) & 7;
                int arg = (val3 << 8) >> 20;
                if ((val3 >>> 31) != 0) arg = 1 << (arg & 31);
                int old = as.getInt(uaddr2);
                int nv = switch (kind) {
                    case 0 -> arg;
                    case 1 -> old + arg;
                    case 2 -> old | arg;
                    case 3 -> old & ~arg;
                    case 4 -> old ^ arg;
                    default -> throw fail(ENOSYS);
                };
                as.putInt(uaddr2, nv);
                return 0;
            }
            default -> {
                return -ENOSYS;
            }
        }
    }

    // ---- signals ----

    private long signalSelf(int sig, int code) {
        if (sig == 0) return 0;
        if (sig < 1 || sig > 64) return -EINVAL;
        signals.post(sig, code, pid); // delivered when the call returns
        return 0;
    }

    private long rtSigaction(int sig, long act, long oldAct, long setSize) {
        if (setSize != 8 || sig < 1 || sig > 64) return -EINVAL;
        if (act != 0 && (sig == SIGKILL || sig == SIGSTOP)) return -EINVAL;
        MemorySegment in = act == 0 ? null : mem(act, 24, AddressSpace.R);
        if (oldAct != 0) {
            MemorySegment out = mem(oldAct, 24, AddressSpace.W);
            out.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, signals.handler[sig]);
            out.set(ValueLayout.JAVA_LONG_UNALIGNED, 8, signals.flags[sig]);
            out.set(ValueLayout.JAVA_LONG_UNALIGNED, 16, signals.mask[sig]);
        }
        if (in != null) {
            signals.handler[sig] = in.get(ValueLayout.JAVA_LONG_UNALIGNED, 0);
            signals.flags[sig] = in.get(ValueLayout.JAVA_LONG_UNALIGNED, 8);
            signals.mask[sig] = in.get(ValueLayout.JAVA_LONG_UNALIGNED, 16) & ~Signals.unblockable();
            if (signals.action(sig) == Signals.Action.IGNORE) signals.pending &= ~Signals.bit(sig);
        }
        return 0;
    }

    private long rtSigprocmask(int how, long set, long oldSet, long setSize) {
        if (setSize != 8) return -EINVAL;
        long s = 0;
        if (set != 0) {
            if (how < 0 || how > 2) return -EINVAL;
            mem(set, 8, AddressSpace.R);
            s = as.getLong(set);
        }
        if (oldSet != 0) {
            mem(oldSet, 8, AddressSpace.W);
            as.putLong(oldSet, signals.blocked);
        }
        if (set != 0) {
            switch (how) {
                case 0 -> signals.blocked |= s;
                case 1 -> signals.blocked &= ~s;
                default -> signals.blocked = s;
            }
            signals.blocked &= ~Signals.unblockable();
        }
        return 0;
    }

    private long sigaltstack(long ss, long oldSs) {
        MemorySegment in = ss == 0 ? null : mem(ss, 24, AddressSpace.R);
        boolean on = signals.onAltStack(process.hart().x[2]);
        if (oldSs != 0) {
            MemorySegment out = mem(oldSs, 24, AddressSpace.W);
            out.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, signals.altSp);
            out.set(ValueLayout.JAVA_INT_UNALIGNED, 8, on ? Signals.SS_ONSTACK : signals.altFlags);
            out.set(ValueLayout.JAVA_INT_UNALIGNED, 12, 0);
            out.set(ValueLayout.JAVA_LONG_UNALIGNED, 16, signals.altSize);
        }
        if (in != null) {
            if (on) return -EPERM;
            int flags = in.get(ValueLayout.JAVA_INT_UNALIGNED, 8);
            if ((flags & ~(Signals.SS_DISABLE | 0x8000_0000)) != 0) return -EINVAL;
            long size = in.get(ValueLayout.JAVA_LONG_UNALIGNED, 16);
            if ((flags & Signals.SS_DISABLE) == 0 && size < 2048) return -ENOMEM;
            signals.altSp = in.get(ValueLayout.JAVA_LONG_UNALIGNED, 0);
            signals.altSize = size;
            signals.altFlags = flags & Signals.SS_DISABLE;
        }
        return 0;
    }

    // ---- system information ----

    private long uname(long addr) {
        MemorySegment out = mem(addr, 390, AddressSpace.W);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment u = arena.allocate(390);
            check(HostOs.uname(u));
            u.asSlice(4 * 65, 65).fill((byte) 0);
            byte[] machine = "riscv64".getBytes(StandardCharsets.US_ASCII);
            MemorySegment.copy(machine, 0, u, ValueLayout.JAVA_BYTE, 4 * 65, machine.length);
            MemorySegment.copy(u, 0, out, 0, 390);
            return 0;
        }
    }

    private long schedGetaffinity(long who, long len, long mask) {
        if (who != 0 && who != pid) return -ESRCH;
        if (len < 8 || (len & 7) != 0) return -EINVAL;
        mem(mask, 8, AddressSpace.W);
        as.putLong(mask, 1); // one hart
        return 8;
    }

    private long prlimit(long who, int resource, long newAddr, long oldAddr) {
        if (who != 0 && who != pid) return -ESRCH;
        if (resource < 0 || resource >= 16) return -EINVAL;
        MemorySegment in = newAddr == 0 ? null : mem(newAddr, 16, AddressSpace.R);
        if (oldAddr != 0) {
            MemorySegment out = mem(oldAddr, 16, AddressSpace.W);
            long[] mine = rlimits.get(resource);
            if (mine != null) {
                out.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, mine[0]);
                out.set(ValueLayout.JAVA_LONG_UNALIGNED, 8, mine[1]);
            } else if (resource == 7) { // RLIMIT_NOFILE: the guest's own table
                out.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, FdTable.MAX);
                out.set(ValueLayout.JAVA_LONG_UNALIGNED, 8, FdTable.MAX);
            } else if (resource == 3) { // RLIMIT_STACK: what the stack was given
                out.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, AddressSpace.STACK_SIZE);
                out.set(ValueLayout.JAVA_LONG_UNALIGNED, 8, UNLIMITED);
            } else {
                check(HostOs.prlimit(resource, MemorySegment.NULL, out));
            }
        }
        if (in != null) {
            long cur = in.get(ValueLayout.JAVA_LONG_UNALIGNED, 0), max = in.get(ValueLayout.JAVA_LONG_UNALIGNED, 8);
            if (Long.compareUnsigned(cur, max) > 0) return -EINVAL;
            rlimits.put(resource, new long[] {cur, max}); // recorded for the guest, never applied to the host
        }
        return 0;
    }
}
