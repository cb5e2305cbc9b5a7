package io.rtpm.ffm.shm;

import io.rtpm.ffm.RingNotConfiguredException;
import io.rtpm.ffm.RtpmException;
import io.rtpm.ffm.internal.Errno;
import io.rtpm.ffm.internal.Libc;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;

/**
 * One open of a ring file: its descriptor (its own open file description, hence its own OFD
 * locks), the whole file mapped shared, and the session record it holds.
 *
 * <p>Liveness: the holder keeps an OFD write lock on its record's first byte for as long as the
 * descriptor is open. The kernel drops that lock when the last reference to the description goes,
 * whether by close, exit or kill -9, so "nobody holds the byte" means "the record's owner is
 * gone". OFD locks (not POSIX ones) because two sessions in one process must not share a lock.
 */
final class ShmHandle implements RingLock.Liveness, AutoCloseable {

    private static final long L_TYPE = 0;
    private static final long L_WHENCE = 2;
    private static final long L_START = 8;
    private static final long L_LEN = 16;

    /** A struct flock per thread: liveness checks run on the data path (a full ring) too. */
    private static final ThreadLocal<MemorySegment> FLOCK_SCRATCH =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(Libc.FLOCK));

    private static final java.lang.invoke.VarHandle TOKEN_SEQ = ValueLayout.JAVA_INT.varHandle();

    final int ringId;
    final ShmGeometry geo;
    final MemorySegment seg;
    final Journal journal;
    final RingLock lock;
    /** This handle's session record index. */
    final int record;
    /** This handle's lock token: record + 1, generation in bits 8..30. */
    final int token;

    private final int fd;
    private final Arena arena;

    private ShmHandle(int ringId, int fd, Arena arena, MemorySegment seg, ShmGeometry geo,
            int record, int token) {
        this.ringId = ringId;
        this.fd = fd;
        this.arena = arena;
        this.seg = seg;
        this.geo = geo;
        this.record = record;
        this.token = token;
        this.journal = new Journal(seg, geo);
        MemorySegment ts = arena.allocate(Libc.TIMESPEC);
        RingLock.initTimeout(ts);
        this.lock = new RingLock(seg, geo.c(ShmLayout.C_LOCK), ts);
    }

    /**
     * Opens and maps a ring file and takes a free session record in it.
     *
     * @param rings  the ring directory (for its permission advice)
     * @param path   the ring file
     * @param ringId the ring it should hold
     * @return the handle; its record may still hold a dead owner's leftovers (see ShmRing)
     * @throws RingNotConfiguredException when there is no such file
     * @throws RtpmException when the file is not a ring file or every record is taken
     */
    @SuppressWarnings("restricted") // mmap returns a bare address of the size we asked for
    static ShmHandle open(ShmRings rings, Path path, int ringId) {
        String op = "open user-space ring " + ringId;
        int fd = Libc.open(path.toString(), Libc.O_RDWR | Libc.O_NOFOLLOW, 0);
        if (fd == -Errno.ENOENT) {
            throw new RingNotConfiguredException(op, Errno.ENODATA, ringId);
        }
        if (fd == -Errno.EACCES || fd == -Errno.EPERM) {
            throw rings.denied(op, path, -fd);
        }
        if (fd < 0) {
            throw new RtpmException(op, -fd, "cannot open " + path
                    + ": check that it is readable and writable by this user");
        }
        Arena arena = null;
        try {
            // a shorter file would fault (SIGBUS) on access: ask the kernel for this inode's size
            long have = sizeOf(fd);
            ShmGeometry geo = have < ShmLayout.PAGE_SIZE ? null : probe(fd, path, ringId, op);
            if (geo == null || have < geo.fileSize()) {
                throw new RtpmException(op, 0, path + " has " + have + " bytes, too few for a ring"
                        + " file: remove it, or configure the ring again");
            }
            arena = Arena.ofShared();
            long addr = Libc.mmap(geo.fileSize(), Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_SHARED,
                    fd, 0);
            if (Libc.isError(addr)) {
                throw new RtpmException(op, (int) -addr, "cannot map " + path);
            }
            long size = geo.fileSize();
            MemorySegment seg = MemorySegment.ofAddress(addr).reinterpret(size, arena,
                    s -> Libc.munmap(s, size));
            if (seg.get(ValueLayout.JAVA_LONG, geo.c(ShmLayout.C_MAGIC)) != ShmLayout.CONTROL_MAGIC) {
                throw new RtpmException(op, 0, path + " has no rtpm control region of this version:"
                        + " configure the ring again");
            }
            int record = takeRecord(fd, geo);
            if (record < 0) {
                throw new RtpmException(op, Errno.EBUSY, "all " + ShmLayout.RECORD_COUNT
                        + " session records of ring " + ringId + " are in use: close some sessions");
            }
            // unique per open, not derived from the record: an opener killed before it wrote its
            // token may still have left it in the lock word, and the next one must differ
            int gen = (int) TOKEN_SEQ.getAndAdd(seg, geo.c(ShmLayout.C_TOKEN_SEQ), 1) + 1;
            int token = ((gen & 0x7fffff) << 8) | (record + 1);
            return new ShmHandle(ringId, fd, arena, seg, geo, record, token);
        } catch (RuntimeException | Error e) {
            if (arena != null) {
                arena.close();
            }
            Libc.close(fd);
            throw e;
        }
    }

    /** The size of the file open as {@code fd} (not of whatever its path names by now). */
    private static long sizeOf(int fd) {
        try {
            return java.nio.file.Files.size(Path.of("/proc/self/fd/" + fd));
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    /** Reads the header's shape through a one-page mapping and checks it. */
    @SuppressWarnings("restricted") // as in open: our own mapping of one page
    private static ShmGeometry probe(int fd, Path path, int ringId, String op) {
        long addr = Libc.mmap(ShmLayout.PAGE_SIZE, Libc.PROT_READ, Libc.MAP_SHARED, fd, 0);
        if (Libc.isError(addr)) {
            throw new RtpmException(op, (int) -addr, "cannot map " + path);
        }
        MemorySegment h = MemorySegment.ofAddress(addr).reinterpret(ShmLayout.PAGE_SIZE);
        try {
            int magic = h.get(ValueLayout.JAVA_INT, ShmLayout.H_MAGIC);
            int id = h.get(ValueLayout.JAVA_INT, ShmLayout.H_RING_ID);
            int order = h.get(ValueLayout.JAVA_INT, ShmLayout.H_ORDER);
            int payload = h.get(ValueLayout.JAVA_INT, ShmLayout.H_MAX_PAYLOAD);
            if (magic != ShmLayout.RING_MAGIC || id != ringId || order < ShmRings.ORDER_MIN
                    || order > ShmRings.ORDER_MAX || payload < ShmRings.PAYLOAD_MIN
                    || payload > ShmRings.PAYLOAD_MAX) {
                throw new RtpmException(op, 0, path + " is not a ring file for ring " + ringId
                        + ": remove it, or configure the ring again");
            }
            return ShmGeometry.of(order, payload);
        } finally {
            Libc.munmap(h, ShmLayout.PAGE_SIZE);
        }
    }

    private static long lockByte(ShmGeometry geo, int rec) {
        return geo.c(ShmLayout.C_RECORDS) + (long) rec * ShmLayout.RECORD_SIZE;
    }

    private static int takeRecord(int fd, ShmGeometry geo) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment fl = a.allocate(Libc.FLOCK);
            for (int i = 0; i < ShmLayout.RECORD_COUNT; i++) {
                flock(fl, Libc.F_WRLCK, lockByte(geo, i));
                int r = Libc.fcntl(fd, Libc.F_OFD_SETLK, fl);
                if (r == 0) {
                    return i;
                }
                if (r != -Errno.EAGAIN && r != -Errno.EACCES) {
                    throw new RtpmException("lock a session record", -r,
                            "OFD locks failed on the ring file (Linux 3.15 or newer is needed)");
                }
            }
            return -1;
        }
    }

    private static void flock(MemorySegment fl, short type, long start) {
        fl.fill((byte) 0);
        fl.set(ValueLayout.JAVA_SHORT, L_TYPE, type);
        fl.set(ValueLayout.JAVA_SHORT, L_WHENCE, Libc.SEEK_SET);
        fl.set(ValueLayout.JAVA_LONG, L_START, start);
        fl.set(ValueLayout.JAVA_LONG, L_LEN, 1L);
    }

    /**
     * Tells whether record {@code rec}'s owner is alive: some open file description other than
     * this one holds its lock byte.
     */
    boolean recordHeld(int rec) {
        lockProbes++;
        MemorySegment fl = FLOCK_SCRATCH.get();
        flock(fl, Libc.F_WRLCK, lockByte(geo, rec));
        // on the packet path (claims on a full ring): the variant that allocates nothing
        int r = Libc.fcntlNoErrno(fd, Libc.F_OFD_GETLK, fl);
        if (r < 0) {
            // cannot tell: never reclaim on a guess
            return true;
        }
        return fl.get(ValueLayout.JAVA_SHORT, L_TYPE) != Libc.F_UNLCK;
    }

    /** F_OFD_GETLK calls of {@link #recordHeld} so far (tests count them; racy across threads, fine for that). */
    long lockProbes;

    @Override
    public boolean alive(int owner) {
        if (owner == token) {
            // another thread of this very session holds it
            return true;
        }
        int rec = (owner & 0xff) - 1;
        if (rec < 0 || rec >= ShmLayout.RECORD_COUNT) {
            return true;
        }
        // an earlier owner of this handle's own record is gone: the record is this handle's now
        return rec != record && recordHeld(rec);
    }

    /** @return the absolute offset of a field of session record {@code rec} */
    long rec(int rec, long field) {
        return geo.c(ShmLayout.C_RECORDS) + (long) rec * ShmLayout.RECORD_SIZE + field;
    }

    /** Unmaps the file and closes the descriptor, which drops the record's lock. */
    @Override
    public void close() {
        arena.close();
        Libc.close(fd);
    }
}
