package org.duvisor.rv64.linux;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * An open file description the guest holds through one or more descriptors: a host file
 * descriptor, or a Java stream standing in for stdin/stdout/stderr. Data moves between the file and
 * guest memory slices; results are byte counts or {@code -errno}.
 */
abstract class GuestFile {
    static final int O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_ACCMODE = 3;
    static final int S_IFIFO = 0x1000, S_IFDIR = 0x4000;

    /** Descriptors referring to this description (dup shares it). */
    int refs = 1;

    abstract long read(MemorySegment dst);

    abstract long write(MemorySegment src);

    long pread(MemorySegment dst, long offset) {
        return -Errno.ESPIPE;
    }

    long pwrite(MemorySegment src, long offset) {
        return -Errno.ESPIPE;
    }

    long lseek(long offset, int whence) {
        return -Errno.ESPIPE;
    }

    /** Fills a 256-byte struct statx. */
    abstract long statx(MemorySegment buf);

    long getdents64(MemorySegment buf) {
        return -Errno.ENOTDIR;
    }

    /** The host descriptor, or -1 for a stream. */
    int hostFd() {
        return -1;
    }

    /** The status flags (F_GETFL), guest encoding. */
    abstract long statusFlags();

    /** Releases the underlying file once no descriptor refers to it. */
    abstract void release();

    /** A host file descriptor. Descriptors 0-2 are borrowed from the emulator and never closed. */
    static final class Host extends GuestFile {
        final int fd;

        Host(int fd) {
            this.fd = fd;
        }

        @Override
        long read(MemorySegment dst) {
            return HostOs.read(fd, dst);
        }

        @Override
        long write(MemorySegment src) {
            return HostOs.write(fd, src);
        }

        @Override
        long pread(MemorySegment dst, long offset) {
            return HostOs.pread(fd, dst, offset);
        }

        @Override
        long pwrite(MemorySegment src, long offset) {
            return HostOs.pwrite(fd, src, offset);
        }

        @Override
        long lseek(long offset, int whence) {
            return HostOs.lseek(fd, offset, whence);
        }

        @Override
        long statx(MemorySegment buf) {
            try (var arena = java.lang.foreign.Arena.ofConfined()) {
                return HostOs.statx(fd, arena.allocateFrom(""), Syscalls.AT_EMPTY_PATH, Syscalls.STATX_BASIC_STATS, buf);
            }
        }

        @Override
        long getdents64(MemorySegment buf) {
            return HostOs.getdents64(fd, buf);
        }

        @Override
        int hostFd() {
            return fd;
        }

        @Override
        long statusFlags() {
            long r = HostOs.fcntl(fd, 3 /* F_GETFL */, 0);
            return r < 0 ? r : HostOs.guestOpenFlags((int) r);
        }

        @Override
        void release() {
            if (fd > 2) HostOs.close(fd);
        }
    }

    /** A Java stream as a pipe end: readable if {@code in} is set, writable if {@code out} is. */
    static final class Stream extends GuestFile {
        private final InputStream in;
        private final OutputStream out;
        private byte[] buffer = new byte[8192];

        Stream(InputStream in, OutputStream out) {
            this.in = in;
            this.out = out;
        }

        private byte[] buffer(long n) {
            if (buffer.length < n) buffer = new byte[(int) Math.min(Math.max(n, buffer.length * 2L), 1 << 20)];
            return buffer;
        }

        @Override
        long read(MemorySegment dst) {
            if (in == null) return -Errno.EBADF;
            if (dst.byteSize() == 0) return 0;
            byte[] b = buffer(dst.byteSize());
            try {
                int n = in.read(b, 0, (int) Math.min(b.length, dst.byteSize()));
                if (n <= 0) return 0;
                MemorySegment.copy(b, 0, dst, ValueLayout.JAVA_BYTE, 0, n);
                return n;
            } catch (IOException e) {
                return -Errno.EIO;
            }
        }

        @Override
        long write(MemorySegment src) {
            if (out == null) return -Errno.EBADF;
            long total = src.byteSize();
            try {
                for (long done = 0; done < total; ) {
                    byte[] b = buffer(total - done);
                    int n = (int) Math.min(b.length, total - done);
                    MemorySegment.copy(src, ValueLayout.JAVA_BYTE, done, b, 0, n);
                    out.write(b, 0, n);
                    done += n;
                }
                out.flush();
                return total;
            } catch (IOException e) {
                return -Errno.EPIPE;
            }
        }

        @Override
        long statx(MemorySegment buf) {
            buf.fill((byte) 0);
            buf.set(ValueLayout.JAVA_INT, 0, Syscalls.STATX_BASIC_STATS);
            buf.set(ValueLayout.JAVA_INT, 4, 4096);
            buf.set(ValueLayout.JAVA_INT, 16, 1);
            buf.set(ValueLayout.JAVA_INT, 20, (int) HostOs.id(1));
            buf.set(ValueLayout.JAVA_INT, 24, (int) HostOs.id(3));
            buf.set(ValueLayout.JAVA_SHORT, 28, (short) (S_IFIFO | 0600));
            return 0;
        }

        @Override
        long statusFlags() {
            return in != null ? (out != null ? O_RDWR : O_RDONLY) : O_WRONLY;
        }

        @Override
        void release() {
            try {
                if (out != null) out.flush();
            } catch (IOException ignored) {
                // nothing to report to a guest that closed its descriptor
            }
        }
    }
}
