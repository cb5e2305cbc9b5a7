package io.rtpm.ffm.shm;

import io.rtpm.ffm.AbiVersion;
import io.rtpm.ffm.Backend;
import io.rtpm.ffm.DropPolicy;
import io.rtpm.ffm.InvalidArgumentException;
import io.rtpm.ffm.RingBusyException;
import io.rtpm.ffm.RingConfig;
import io.rtpm.ffm.RingDevice;
import io.rtpm.ffm.RingInfo;
import io.rtpm.ffm.RingLayout;
import io.rtpm.ffm.RingMemoryException;
import io.rtpm.ffm.RingNotConfiguredException;
import io.rtpm.ffm.RingSession;
import io.rtpm.ffm.RingStats;
import io.rtpm.ffm.Role;
import io.rtpm.ffm.RtpmException;
import io.rtpm.ffm.internal.Errno;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/**
 * {@link Backend#SHM}: the user-space ring, with the module's semantics, in files of a
 * shared-memory directory ({@value #DEFAULT_DIR} unless the system property {@value #DIR_PROPERTY}
 * or the environment variable {@value #DIR_ENV} names another), so that separate processes
 * configure, stream and read stats of the same rings as they do through {@code /dev/rtp_mgr}.
 *
 * <p>Processes sharing rings must run as users that can read and write the directory's
 * {@code rtpm-*} files: they are created mode 0660 and given group {@value #DEFAULT_GROUP} when
 * it exists (or the group {@value #GROUP_PROPERTY} / {@value #GROUP_ENV} names). A file this user
 * may not open is a {@link io.rtpm.ffm.PermissionDeniedException} naming its owner and group.
 *
 * <p>Limits: ring ids 0..N-1 with N = {@value #MAX_RINGS_PROPERTY} / {@value #MAX_RINGS_ENV}
 * (16 by default, as the module's max_rings); 64 session records per ring file, so at most 64
 * handles on a ring at once (attached sessions, and each control call for its length).
 */
public final class ShmRingDevice implements RingDevice {

    /** Where rings live unless configured otherwise. */
    public static final String DEFAULT_DIR = "/dev/shm";
    /** System property naming another directory. */
    public static final String DIR_PROPERTY = "rtpm.shm.dir";
    /** Environment variable naming another directory (the property wins). */
    public static final String DIR_ENV = "RTPM_SHM_DIR";
    /**
     * The group new ring files get when it exists, so that rings configured by root are usable
     * by the service (deploy/rtpm-stream@.service runs as group rtpm, the device's group too).
     */
    public static final String DEFAULT_GROUP = "rtpm";
    /** System property naming another ring group. */
    public static final String GROUP_PROPERTY = "rtpm.shm.group";
    /** Environment variable naming another ring group (the property wins). */
    public static final String GROUP_ENV = "RTPM_SHM_GROUP";
    /**
     * System property setting how many rings there are (ids 0..N-1), 1..4096 as the module's
     * {@code max_rings} parameter; 16 by default, as the module's.
     */
    public static final String MAX_RINGS_PROPERTY = "rtpm.shm.max-rings";
    /** Environment variable setting the ring count (the property wins). */
    public static final String MAX_RINGS_ENV = "RTPM_SHM_MAX_RINGS";

    private final ShmRings rings;
    private volatile boolean closed;

    private ShmRingDevice(Path dir) {
        this.rings = new ShmRings(dir, setting(GROUP_PROPERTY, GROUP_ENV, DEFAULT_GROUP), maxRings());
    }

    /**
     * Opens the user-space rings in the configured directory.
     *
     * @return the device
     * @throws RtpmException when the directory does not exist
     */
    public static ShmRingDevice open() {
        return open(Path.of(setting(DIR_PROPERTY, DIR_ENV, DEFAULT_DIR)));
    }

    private static int maxRings() {
        String v = setting(MAX_RINGS_PROPERTY, MAX_RINGS_ENV, "" + ShmRings.DEFAULT_MAX_RINGS);
        int n;
        try {
            n = Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 1 || n > ShmRings.MAX_RINGS_LIMIT) {
            throw new InvalidArgumentException("open the user-space ring", 0, MAX_RINGS_PROPERTY + " / "
                    + MAX_RINGS_ENV, "'" + v + "' is not a ring count in 1.." + ShmRings.MAX_RINGS_LIMIT
                    + " (as the module's max_rings)");
        }
        return n;
    }

    /** @return the system property, else the environment variable, else the default */
    private static String setting(String property, String env, String otherwise) {
        String v = System.getProperty(property);
        if (v == null || v.isEmpty()) {
            v = System.getenv(env);
        }
        return v == null || v.isEmpty() ? otherwise : v;
    }

    /**
     * Opens the user-space rings in {@code dir}.
     *
     * @param dir a directory, best on tmpfs (e.g. {@code /dev/shm}); any local file system works
     * @return the device
     * @throws RtpmException when the directory does not exist
     */
    public static ShmRingDevice open(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new RtpmException("open the user-space ring", Errno.ENOENT, "directory " + dir
                    + " does not exist: create it, or set -D" + DIR_PROPERTY + " / " + DIR_ENV
                    + " to an existing one (default " + DEFAULT_DIR + ")");
        }
        return new ShmRingDevice(dir);
    }

    /** @return the ring files (tests reach the rings below the API through it) */
    ShmRings rings() {
        return rings;
    }

    /** @return the directory holding the ring files */
    public Path directory() {
        return rings.dir();
    }

    @Override
    public Backend backend() {
        return Backend.SHM;
    }

    @Override
    public RingInfo info() {
        live();
        return new RingInfo(Backend.SHM, AbiVersion.CURRENT, rings.maxRings(), ShmRings.ORDER_MIN,
                ShmRings.ORDER_MAX, ShmRings.PAYLOAD_MIN, ShmRings.PAYLOAD_MAX, ShmLayout.SLOT_ALIGN,
                ShmRings.MAX_RING_BYTES, ShmRings.MAX_TOTAL_BYTES, rings.usedTotalBytes(-1),
                ShmRings.BATCH_MAX, ShmLayout.HEADER_SIZE, ShmLayout.META_SIZE, ShmLayout.PAGE_SIZE);
    }

    @Override
    public void configure(RingConfig c) {
        String op = "configure ring " + c.ringId();
        checkRingId(op, c.ringId());
        if (c.order() < ShmRings.ORDER_MIN || c.order() > ShmRings.ORDER_MAX) {
            throw new InvalidArgumentException(op, 0, "order", c.order() + " is outside "
                    + ShmRings.ORDER_MIN + ".." + ShmRings.ORDER_MAX + " (2^order slots)");
        }
        if (c.maxPayload() < ShmRings.PAYLOAD_MIN || c.maxPayload() > ShmRings.PAYLOAD_MAX) {
            throw new InvalidArgumentException(op, 0, "maxPayload", c.maxPayload()
                    + " is outside " + ShmRings.PAYLOAD_MIN + ".." + ShmRings.PAYLOAD_MAX + " bytes");
        }
        ShmGeometry geo = ShmGeometry.of(c.order(), c.maxPayload());
        if (geo.mmapSize() > ShmRings.MAX_RING_BYTES) {
            throw new RingMemoryException(op, Errno.E2BIG, "ring " + c.ringId() + " would map "
                    + geo.mmapSize() + " bytes, over the per-ring cap of " + ShmRings.MAX_RING_BYTES
                    + ": use a smaller order or max payload");
        }
        rings.locked(c.ringId(), op, () -> {
            if (rings.mmapSize(c.ringId()) >= 0) {
                RingStats s;
                try (ShmRing old = rings.open(c.ringId())) {
                    s = old.stats(c.ringId());
                } catch (RingNotConfiguredException gone) {
                    s = null;
                } catch (io.rtpm.ffm.PermissionDeniedException denied) {
                    throw denied; // another user's ring: not this user's to replace
                } catch (RtpmException corrupt) {
                    // not a ring file any session could use: configure replaces it
                    s = null;
                }
                if (s != null && (s.running() || s.sessions() > 0 || s.mappings() > 0)) {
                    throw new RingBusyException(op, Errno.EBUSY, "ring " + c.ringId()
                            + " is running, mapped or has sessions attached: stop it and close its"
                            + " sessions first");
                }
            }
            long used = rings.usedTotalBytes(c.ringId());
            if (used + geo.mmapSize() > ShmRings.MAX_TOTAL_BYTES) {
                throw new RingMemoryException(op, Errno.ENOSPC, "all rings together would map "
                        + (used + geo.mmapSize()) + " bytes, over the cap of "
                        + ShmRings.MAX_TOTAL_BYTES + ": unconfigure unused rings or use a smaller ring");
            }
            rings.create(c, geo, op);
            return null;
        });
    }

    @Override
    public void unconfigure(int ringId) {
        String op = "unconfigure ring " + ringId;
        checkRingId(op, ringId);
        rings.locked(ringId, op, () -> {
            RingStats s;
            try (ShmRing r = rings.open(ringId)) {
                s = r.stats(ringId);
            }
            if (s.sessions() > 0 || s.mappings() > 0) {
                throw new RingBusyException(op, Errno.EBUSY, "ring " + ringId
                        + " has sessions attached or is mapped: close its sessions first");
            }
            rings.delete(ringId, op);
            return null;
        });
    }

    @Override
    public RingLayout layout(int ringId) {
        String op = "get the layout of ring " + ringId;
        checkRingId(op, ringId);
        try (FileChannel ch = FileChannel.open(rings.path(ringId), StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(ShmLayout.HEADER_SIZE).order(ByteOrder.nativeOrder());
            while (b.hasRemaining() && ch.read(b) > 0) {
                // a ring file is never shorter than its header
            }
            return layoutOf(ringId, b);
        } catch (NoSuchFileException e) {
            throw new RingNotConfiguredException(op, Errno.ENODATA, ringId);
        } catch (java.nio.file.AccessDeniedException e) {
            throw rings.denied(op, rings.path(ringId), Errno.EACCES);
        } catch (IOException e) {
            throw new RtpmException(op, Errno.EIO, "cannot read " + rings.path(ringId) + ": "
                    + e.getMessage(), e);
        }
    }

    static RingLayout layoutOf(int ringId, ByteBuffer h) {
        int order = h.getInt((int) ShmLayout.H_ORDER);
        int maxPayload = h.getInt((int) ShmLayout.H_MAX_PAYLOAD);
        ShmGeometry g = ShmGeometry.of(order, maxPayload);
        return new RingLayout(ringId, order, g.slotCount(), g.slotStride(), maxPayload,
                ShmLayout.HEADER_SIZE, ShmLayout.META_SIZE,
                DropPolicy.of(h.getInt((int) ShmLayout.H_DROP_POLICY)),
                (h.getInt((int) ShmLayout.H_FLAGS) & ShmRing.CFG_NO_RTP_TRACKING) == 0, g.mmapSize(), 0,
                g.slotsOffset());
    }

    @Override
    public void start(int ringId) {
        String op = "start ring " + ringId;
        checkRingId(op, ringId);
        rings.locked(ringId, op, () -> {
            try (ShmRing r = rings.open(ringId)) {
                r.start();
            }
            return null;
        });
    }

    @Override
    public void stop(int ringId) {
        String op = "stop ring " + ringId;
        checkRingId(op, ringId);
        rings.locked(ringId, op, () -> {
            try (ShmRing r = rings.open(ringId)) {
                r.stop();
            }
            return null;
        });
    }

    @Override
    public RingStats stats(int ringId) {
        checkRingId("read the stats of ring " + ringId, ringId);
        try (ShmRing r = rings.open(ringId)) {
            return r.stats(ringId);
        } catch (RingNotConfiguredException e) {
            return new RingStats(ringId, false, false, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        }
    }

    @Override
    public void resetStats(int ringId) {
        String op = "reset the stats of ring " + ringId;
        checkRingId(op, ringId);
        try (ShmRing r = rings.open(ringId)) {
            r.resetStats();
        } catch (RingNotConfiguredException e) {
            // the module resets an unconfigured ring's (absent) counters without complaint
        }
    }

    @Override
    public RingSession attach(int ringId, Set<Role> roles) {
        String op = "attach to ring " + ringId + " as " + roles;
        checkRingId(op, ringId);
        if (roles.isEmpty()) {
            throw new InvalidArgumentException(op, 0, "roles", "give at least one role");
        }
        int mask = Role.mask(roles);
        return rings.locked(ringId, op, () -> {
            ShmRing r = rings.open(ringId);
            try {
                if (r.attach(mask) != 0) {
                    String who = r.roleHolders(mask);
                    throw new RingBusyException(op, Errno.EBUSY, "the " + (who.isEmpty()
                            ? "PRODUCER or CONSUMER role" : "role") + " of ring " + ringId
                            + " is taken by another session" + (who.isEmpty() ? "" : " (" + who + ")")
                            + ": close that session (or end its process), or attach as MONITOR");
                }
                return new ShmRingSession(r, ringId, roles, layout(ringId));
            } catch (RuntimeException | Error e) {
                r.close();
                throw e;
            }
        });
    }

    @Override
    public void close() {
        // every call opens (and closes) its own handle on the ring files: nothing to wait for
        closed = true;
    }

    @Override
    public String toString() {
        return "ShmRingDevice[" + rings.dir() + "]";
    }

    private void live() {
        if (closed) {
            throw new io.rtpm.ffm.NotAttachedException("use the user-space ring device on " + rings.dir(), 0,
                    "it is closed: open it again (RingDevice.open)");
        }
    }

    private void checkRingId(String op, int ringId) {
        live();
        if (ringId < 0 || ringId >= rings.maxRings()) {
            throw new InvalidArgumentException(op, 0, "ringId", ringId + " is outside 0.."
                    + (rings.maxRings() - 1));
        }
    }
}
