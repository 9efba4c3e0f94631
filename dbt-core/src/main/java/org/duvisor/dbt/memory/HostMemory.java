package org.duvisor.dbt.memory;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * A large, lazily committed block of host memory that backs guest memory.
 *
 * <p>Reserved with an anonymous {@code mmap(MAP_NORESERVE)} so that a 64 GiB guest window costs
 * only the pages the guest touches; {@link Arena#allocate} would zero (and so commit) all of it.
 * Released with {@code munmap} when closed. Guest code reaches it through one shared
 * {@link MemorySegment}, which C2 treats as a constant-base, bounds-checked access.
 */
public final class HostMemory implements AutoCloseable {
    private static final int PROT_READ = 1, PROT_WRITE = 2;
    private static final int MAP_PRIVATE = 0x02, MAP_ANONYMOUS = 0x20, MAP_NORESERVE = 0x4000;
    private static final int MADV_DONTNEED = 4;

    private static final MethodHandle MMAP, MUNMAP, MADVISE;

    static {
        Linker linker = Linker.nativeLinker();
        var libc = linker.defaultLookup();
        MMAP = linker.downcallHandle(libc.find("mmap").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                        ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
        MUNMAP = linker.downcallHandle(libc.find("munmap").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
        MADVISE = linker.downcallHandle(libc.find("madvise").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                        ValueLayout.JAVA_INT));
    }

    private final MemorySegment segment;
    private final long size;
    private boolean closed;

    private HostMemory(MemorySegment segment, long size) {
        this.segment = segment;
        this.size = size;
    }

    /** Reserves {@code bytes} (a multiple of 4 KiB) of zero-filled memory, committed on first touch. */
    public static HostMemory reserve(long bytes) {
        if (bytes <= 0 || (bytes & 0xFFF) != 0) {
            throw new IllegalArgumentException("host memory size must be a positive multiple of 4 KiB: " + bytes);
        }
        MemorySegment base;
        try {
            base = (MemorySegment) MMAP.invokeExact(MemorySegment.NULL, bytes, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0L);
        } catch (Throwable t) {
            throw new IllegalStateException("mmap failed", t);
        }
        if (base.address() == -1L || base.address() == 0L) {
            throw new IllegalStateException("cannot reserve " + (bytes >> 20) + " MiB of host memory");
        }
        return new HostMemory(base.reinterpret(bytes), bytes);
    }

    public MemorySegment segment() {
        return segment;
    }

    public long size() {
        return size;
    }

    /** Returns the pages of [offset, offset+length) to the host; they read as zero afterwards. */
    public void discard(long offset, long length) {
        if (offset < 0 || length < 0 || offset + length > size || ((offset | length) & 0xFFF) != 0) {
            throw new IllegalArgumentException("bad discard range");
        }
        if (length == 0) return;
        int rc;
        try {
            rc = (int) MADVISE.invokeExact(segment.asSlice(offset, length), length, MADV_DONTNEED);
        } catch (Throwable t) {
            throw new IllegalStateException("madvise failed", t);
        }
        if (rc != 0) {
            segment.asSlice(offset, length).fill((byte) 0);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        try {
            int rc = (int) MUNMAP.invokeExact(segment, size);
            assert rc == 0;
        } catch (Throwable t) {
            throw new IllegalStateException("munmap failed", t);
        }
    }
}
