package org.duvisor.rv64.linux;

/** The guest's file descriptor table: guest descriptor numbers to open files, lowest free number first. */
final class FdTable {
    static final int MAX = 1024;
    private final GuestFile[] files = new GuestFile[MAX];
    private final boolean[] cloexec = new boolean[MAX];

    GuestFile get(long fd) {
        return fd < 0 || fd >= MAX ? null : files[(int) fd];
    }

    /** Installs {@code f} at the lowest free descriptor at or above {@code min}; -EMFILE if none. */
    int add(GuestFile f, int min, boolean closeOnExec) {
        for (int fd = Math.max(0, min); fd < MAX; fd++) {
            if (files[fd] == null) {
                files[fd] = f;
                cloexec[fd] = closeOnExec;
                return fd;
            }
        }
        return -Errno.EMFILE;
    }

    /** Makes {@code fd} refer to {@code f} (dup3), closing what it referred to before. */
    void put(int fd, GuestFile f, boolean closeOnExec) {
        close(fd);
        files[fd] = f;
        cloexec[fd] = closeOnExec;
    }

    boolean closeOnExec(int fd) {
        return cloexec[fd];
    }

    void setCloseOnExec(int fd, boolean v) {
        cloexec[fd] = v;
    }

    long close(long fd) {
        GuestFile f = get(fd);
        if (f == null) return -Errno.EBADF;
        files[(int) fd] = null;
        if (--f.refs == 0) f.release();
        return 0;
    }

    void closeAll() {
        for (int fd = 0; fd < MAX; fd++) {
            if (files[fd] != null) close(fd);
        }
    }
}
