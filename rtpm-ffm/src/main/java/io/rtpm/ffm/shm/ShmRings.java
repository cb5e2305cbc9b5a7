package io.rtpm.ffm.shm;

import io.rtpm.ffm.AbiVersion;
import io.rtpm.ffm.PermissionDeniedException;
import io.rtpm.ffm.RingConfig;
import io.rtpm.ffm.RingMemoryException;
import io.rtpm.ffm.RtpmException;
import io.rtpm.ffm.abi.RtpMgrIoctl;
import io.rtpm.ffm.internal.Errno;
import io.rtpm.ffm.internal.Libc;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.AccessDeniedException;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalNotFoundException;

import static io.rtpm.ffm.shm.ShmLayout.C_FILE_SIZE;
import static io.rtpm.ffm.shm.ShmLayout.C_FREE_TAIL;
import static io.rtpm.ffm.shm.ShmLayout.C_MAGIC;
import static io.rtpm.ffm.shm.ShmLayout.C_RECORD_COUNT;
import static io.rtpm.ffm.shm.ShmLayout.C_RTP_BAD_SEQ;

/**
 * The set of user-space rings in one directory: ring {@code n} is the file {@code rtpm-<n>}, an
 * absent file is an unconfigured ring. The module's limits are kept (ABI limits, its default 16
 * rings unless configured otherwise, the deploy/rtp_mgr.conf memory caps), so a configuration
 * that works here works on the module.
 *
 * <p>Configure writes a complete new file under a temporary name and renames it over the old one
 * (one atomic step; a configurer killed before the rename leaves the ring as it was). Commands
 * that must not interleave with configure (attach, start, stop, unconfigure) hold an OFD lock on
 * byte {@code n} of {@code rtpm.lock} in the same directory, which the kernel drops if the holder
 * dies.
 */
final class ShmRings {

    static final int ORDER_MIN = RtpMgrIoctl.RTPM_ORDER_MIN();
    static final int ORDER_MAX = RtpMgrIoctl.RTPM_ORDER_MAX();
    static final int PAYLOAD_MIN = RtpMgrIoctl.RTPM_PAYLOAD_MIN();
    static final int PAYLOAD_MAX = RtpMgrIoctl.RTPM_PAYLOAD_MAX();
    static final int BATCH_MAX = RtpMgrIoctl.RTPM_BATCH_MAX();
    /** The module's default {@code max_rings} (deploy/rtp_mgr.conf), and its range. */
    static final int DEFAULT_MAX_RINGS = 16;
    static final int MAX_RINGS_LIMIT = 4096;
    /** deploy/rtp_mgr.conf: 64 MiB per ring. */
    static final long MAX_RING_BYTES = 64L << 20;
    /** deploy/rtp_mgr.conf: 256 MiB for all rings. */
    static final long MAX_TOTAL_BYTES = 256L << 20;
    static final String LOCK_FILE = "rtpm.lock";
    private static final java.util.Set<java.nio.file.attribute.PosixFilePermission> RING_FILE_MODE =
            PosixFilePermissions.fromString("rw-rw----");

    private final Path dir;
    /** The group new ring and lock files get (when it exists and this user may give it). */
    private final String group;
    /** Ring ids are 0..maxRings-1, as the module's {@code max_rings} parameter sets. */
    private final int maxRings;

    ShmRings(Path dir, String group, int maxRings) {
        this.dir = dir;
        this.group = group;
        this.maxRings = maxRings;
    }

    int maxRings() {
        return maxRings;
    }

    String group() {
        return group;
    }

    /**
     * Gives a new file the ring group, so that a ring configured by root is usable by the service
     * user (deploy/rtpm-stream@.service runs as user and group rtpm), as the udev rule gives the
     * device group rtpm. Without that group, or as a user not in it (chown(2) then says EPERM),
     * the file keeps its creator's group: sharing then goes by that group.
     */
    private void giveToGroup(Path file) {
        try {
            GroupPrincipal g = file.getFileSystem().getUserPrincipalLookupService()
                    .lookupPrincipalByGroupName(group);
            Files.getFileAttributeView(file, PosixFileAttributeView.class).setGroup(g);
        } catch (UserPrincipalNotFoundException e) {
            // no such group on this host: the creator's group shares the ring
        } catch (IOException | UnsupportedOperationException e) {
            // not a member of it: likewise
        }
    }

    /**
     * The failure for a ring or lock file this user may not open, naming its owner, group and
     * mode and what to do.
     */
    PermissionDeniedException denied(String op, Path file, int errno) {
        String who;
        try {
            PosixFileAttributes a = Files.readAttributes(file, PosixFileAttributes.class);
            who = " (owner " + a.owner().getName() + ", group " + a.group().getName() + ", mode "
                    + PosixFilePermissions.toString(a.permissions()) + ")";
        } catch (IOException | UnsupportedOperationException e) {
            who = "";
        }
        return new PermissionDeniedException(op, errno, "no permission to open " + file + who
                + ": run as its owner or a member of its group, or have root configure the ring"
                + " again so that it gets group '" + group + "' (the service user's)");
    }

    Path dir() {
        return dir;
    }

    Path path(int ringId) {
        return dir.resolve("rtpm-" + ringId);
    }

    /** An OFD lock on byte {@code ringId} of the directory's lock file; closing drops it. */
    private final class AdminLock implements AutoCloseable {
        private final int fd;

        AdminLock(int ringId, String op) {
            String p = dir.resolve(LOCK_FILE).toString();
            boolean existed = Files.exists(dir.resolve(LOCK_FILE));
            int f = Libc.open(p, Libc.O_RDWR | Libc.O_CREAT, 0660);
            if (f == -Errno.EACCES || f == -Errno.EPERM) {
                throw denied(op, dir.resolve(LOCK_FILE), -f);
            }
            if (f < 0) {
                throw new RtpmException(op, -f, "cannot open " + p + ": check that " + dir
                        + " exists and is writable");
            }
            try {
                Files.setPosixFilePermissions(dir.resolve(LOCK_FILE), RING_FILE_MODE);
            } catch (IOException | UnsupportedOperationException e) {
                // another user's lock file: its mode is theirs to set, and locking still works
            }
            if (!existed) {
                giveToGroup(dir.resolve(LOCK_FILE));
            }
            try (Arena a = Arena.ofConfined()) {
                MemorySegment fl = a.allocate(Libc.FLOCK);
                fl.set(ValueLayout.JAVA_SHORT, 0, Libc.F_WRLCK);
                fl.set(ValueLayout.JAVA_SHORT, 2, Libc.SEEK_SET);
                fl.set(ValueLayout.JAVA_LONG, 8, ringId);
                fl.set(ValueLayout.JAVA_LONG, 16, 1L);
                int r = Libc.fcntl(f, Libc.F_OFD_SETLKW, fl);
                if (r < 0) {
                    Libc.close(f);
                    throw new RtpmException(op, -r, "cannot lock " + p);
                }
            }
            this.fd = f;
        }

        @Override
        public void close() {
            Libc.close(fd);
        }
    }

    /**
     * Runs {@code body} holding ring {@code ringId}'s admin lock.
     *
     * @param op what is attempted, for messages
     */
    @SuppressWarnings("try")
    <T> T locked(int ringId, String op, java.util.function.Supplier<T> body) {
        try (AdminLock l = new AdminLock(ringId, op)) {
            return body.get();
        }
    }

    /**
     * Opens ring {@code ringId} as a handle (a session record, not attached).
     *
     * @throws io.rtpm.ffm.RingNotConfiguredException when it is not configured
     */
    ShmRing open(int ringId) {
        ShmHandle h = ShmHandle.open(this, path(ringId), ringId);
        try {
            return new ShmRing(h);
        } catch (RuntimeException | Error e) {
            h.close();
            throw e;
        }
    }

    /** @return the header's mmap_size of a configured ring, or -1 when it is not configured */
    long mmapSize(int ringId) {
        try (FileChannel ch = FileChannel.open(path(ringId), StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder());
            if (ch.read(b, ShmLayout.H_MMAP_SIZE) != 8) {
                return -1;
            }
            return b.getLong(0);
        } catch (NoSuchFileException e) {
            return -1;
        } catch (AccessDeniedException e) {
            throw denied("read ring " + ringId, path(ringId), Errno.EACCES);
        } catch (IOException e) {
            throw new RtpmException("read ring " + ringId, Errno.EIO, "cannot read " + path(ringId)
                    + ": " + e.getMessage(), e);
        }
    }

    /** @return bytes all configured rings map, as the module's used_total_bytes */
    long usedTotalBytes(int except) {
        long sum = 0;
        for (int i = 0; i < maxRings; i++) {
            if (i != except) {
                sum += Math.max(0, mmapSize(i));
            }
        }
        return sum;
    }

    /**
     * Writes a new ring file for {@code c} and renames it into place. The caller checked the
     * arguments and holds the ring's admin lock.
     */
    void create(RingConfig c, ShmGeometry geo, String op) {
        removeStaleTemporaries(c.ringId());
        Path tmp = dir.resolve(".rtpm-" + c.ringId() + ".tmp-" + ProcessHandle.current().pid()
                + "-" + System.nanoTime());
        try {
            Files.createFile(tmp);
            // explicitly, not through the umask: the group shares rings (as group rtpm does the device)
            Files.setPosixFilePermissions(tmp, RING_FILE_MODE);
            giveToGroup(tmp);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.READ,
                    StandardOpenOption.WRITE); Arena a = Arena.ofConfined()) {
                // write every page now: a full /dev/shm fails here, not as SIGBUS on a later store
                ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 16);
                for (long at = 0; at < geo.fileSize(); at += zeros.capacity()) {
                    zeros.clear().limit((int) Math.min(zeros.capacity(), geo.fileSize() - at));
                    while (zeros.hasRemaining()) {
                        ch.write(zeros, at + zeros.position());
                    }
                }
                init(ch.map(FileChannel.MapMode.READ_WRITE, 0, geo.fileSize(), a), c, geo);
            }
            Files.move(tmp, path(c.ringId()), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (FileAlreadyExistsException e) {
            throw new RtpmException(op, Errno.EEXIST, "temporary file " + tmp + " exists: retry", e);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the original failure is what the user needs to see
            }
            throw new RingMemoryException(op, Errno.ENOMEM, "cannot create " + geo.fileSize()
                    + " bytes in " + dir + " (" + e.getMessage() + "): free space in " + dir
                    + " or use a smaller ring");
        }
    }

    /**
     * Removes what configurers of this ring killed before their rename left behind; only the admin
     * lock's holder creates these, so any that exist now are stale.
     */
    private void removeStaleTemporaries(int ringId) {
        try (var s = Files.newDirectoryStream(dir, ".rtpm-" + ringId + ".tmp-*")) {
            for (Path p : s) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // only litter: configure goes on
        }
    }

    /** {@code rtpm_core_init}: stopped, every slot FREE and in the FREE FIFO, counters zero. */
    private static void init(MemorySegment m, RingConfig c, ShmGeometry geo) {
        m.set(ValueLayout.JAVA_INT, ShmLayout.H_MAGIC, ShmLayout.RING_MAGIC);
        m.set(ValueLayout.JAVA_INT, ShmLayout.H_ABI_MAJOR, AbiVersion.CURRENT.major());
        m.set(ValueLayout.JAVA_INT, ShmLayout.H_ABI_MINOR, AbiVersion.CURRENT.minor());
        m.set(ValueLayout.JAVA_INT, ShmLayout.H_RING_ID, c.ringId());
        m.set(ValueLayout.JAVA_INT, ShmLayout.H_ORDER, c.order());
        m.set(ValueLayout.JAVA_INT, ShmLayout.H_SLOT_COUNT, geo.slotCount());
        m.set(ValueLayout.JAVA_INT, ShmLayout.H_SLOT_STRIDE, geo.slotStride());
        m.set(ValueLayout.JAVA_INT, ShmLayout.H_MAX_PAYLOAD, c.maxPayload());
        m.set(ValueLayout.JAVA_LONG, ShmLayout.H_SLOTS_OFFSET, geo.slotsOffset());
        m.set(ValueLayout.JAVA_LONG, ShmLayout.H_MMAP_SIZE, geo.mmapSize());
        m.set(ValueLayout.JAVA_INT, ShmLayout.H_META_SIZE, ShmLayout.META_SIZE);
        m.set(ValueLayout.JAVA_INT, ShmLayout.H_DROP_POLICY, c.dropPolicy().code());
        m.set(ValueLayout.JAVA_INT, ShmLayout.H_FLAGS, c.rtpTracking() ? 0 : ShmRing.CFG_NO_RTP_TRACKING);
        m.set(ValueLayout.JAVA_INT, ShmLayout.H_FREE, geo.slotCount());
        for (int i = 0; i < geo.slotCount(); i++) {
            m.set(ValueLayout.JAVA_INT, geo.freeFifo() + 4L * i, i);
        }
        m.set(ValueLayout.JAVA_INT, geo.c(C_FREE_TAIL), geo.slotCount());
        m.set(ValueLayout.JAVA_INT, geo.c(C_RTP_BAD_SEQ), RtpTracker.SEQ_MOD + 1);
        m.set(ValueLayout.JAVA_LONG, geo.c(C_FILE_SIZE), geo.fileSize());
        m.set(ValueLayout.JAVA_INT, geo.c(C_RECORD_COUNT), ShmLayout.RECORD_COUNT);
        // last: a file with this magic is complete (the rename publishes it anyway)
        m.set(ValueLayout.JAVA_LONG, geo.c(C_MAGIC), ShmLayout.CONTROL_MAGIC);
    }

    /** Removes ring {@code ringId}'s file; the caller checked it is idle and holds its admin lock. */
    void delete(int ringId, String op) {
        try {
            Files.deleteIfExists(path(ringId));
        } catch (IOException e) {
            throw new RtpmException(op, Errno.EIO, "cannot remove " + path(ringId) + ": "
                    + e.getMessage(), e);
        }
    }
}
