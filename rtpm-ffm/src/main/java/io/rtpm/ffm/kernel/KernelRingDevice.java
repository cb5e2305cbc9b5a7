package io.rtpm.ffm.kernel;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.EnumSet;
import java.util.Set;

import io.rtpm.ffm.AbiMismatchException;
import io.rtpm.ffm.Backend;
import io.rtpm.ffm.DeviceNotFoundException;
import io.rtpm.ffm.InvalidArgumentException;
import io.rtpm.ffm.PermissionDeniedException;
import io.rtpm.ffm.RingBusyException;
import io.rtpm.ffm.RingConfig;
import io.rtpm.ffm.RingDevice;
import io.rtpm.ffm.RingInfo;
import io.rtpm.ffm.RingLayout;
import io.rtpm.ffm.RingSession;
import io.rtpm.ffm.RingStats;
import io.rtpm.ffm.Role;
import io.rtpm.ffm.RtpmException;
import io.rtpm.ffm.abi.rtpm_attach;
import io.rtpm.ffm.abi.rtpm_config;
import io.rtpm.ffm.abi.rtpm_info;
import io.rtpm.ffm.abi.rtpm_layout;
import io.rtpm.ffm.abi.rtpm_ring_ref;
import io.rtpm.ffm.abi.rtpm_stats;
import io.rtpm.ffm.internal.CallGuard;
import io.rtpm.ffm.internal.Errno;
import io.rtpm.ffm.internal.Failures;
import io.rtpm.ffm.internal.Libc;

/**
 * {@link RingDevice} over {@code /dev/rtp_mgr}: one open file for the control calls, and one
 * more per attached session (a session is an open file description to the module).
 *
 * <p>Control calls allocate their ioctl argument in a confined arena per call: they are rare,
 * and this keeps the device safe to use from many threads.
 */
public final class KernelRingDevice implements RingDevice {

    private final String path;
    private final int fd;
    private final RingInfo info;
    /** Calls in flight on {@link #fd}, and the close that waits for them (the sessions' protocol). */
    private final CallGuard guard;

    private KernelRingDevice(String path, int fd, RingInfo info) {
        this.path = path;
        this.fd = fd;
        this.info = info;
        this.guard = new CallGuard("on the device " + path, "open it again (RingDevice.open)");
    }

    /**
     * Opens the device node and checks the module's ABI.
     *
     * @param path the device node, normally {@value RingDevice#DEVICE_PATH}
     * @return the device
     * @throws DeviceNotFoundException when the node is missing (module not loaded)
     * @throws PermissionDeniedException when it may not be opened
     * @throws AbiMismatchException when the module's ABI does not serve this library
     */
    public static KernelRingDevice open(String path) {
        int fd = openNode(path);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(rtpm_info.layout());
            int r = Libc.ioctl(fd, KernelAbi.IOC_INFO, s);
            if (r < 0) {
                throw r == -Errno.ENOTTY
                        ? new RtpmException("query " + path, -r, "the device does not answer RTPM_IOC_INFO:"
                                + " it is not the rtp_mgr module")
                        : Failures.of("query " + path, -r, -1);
            }
            RingInfo info = KernelAbi.info(s);
            if (!info.abi().serves(KernelAbi.SPOKEN_ABI)) {
                throw new AbiMismatchException("open " + path, 0, KernelAbi.SPOKEN_ABI, info.abi());
            }
            return new KernelRingDevice(path, fd, info);
        } catch (RuntimeException | Error e) {
            Libc.close(fd);
            throw e;
        }
    }

    static int openNode(String path) {
        int fd = Libc.open(path, Libc.O_RDWR, 0);
        if (fd >= 0) {
            return fd;
        }
        int e = -fd;
        throw switch (e) {
            case Errno.ENOENT, Errno.ENODEV, Errno.ENXIO -> new DeviceNotFoundException(path, e);
            case Errno.EACCES, Errno.EPERM -> PermissionDeniedException.forDevice(path, e);
            default -> new RtpmException("open " + path, e, "cannot open the device");
        };
    }

    @Override
    public Backend backend() {
        return Backend.KERNEL;
    }

    @Override
    public RingInfo info() {
        return info;
    }

    @Override
    public void configure(RingConfig c) {
        String op = "configure ring " + c.ringId();
        checkRingId(op, c.ringId());
        if (c.order() < info.orderMin() || c.order() > info.orderMax()) {
            throw new InvalidArgumentException(op, 0, "order", c.order() + " is outside "
                    + info.orderMin() + ".." + info.orderMax() + " (2^order slots)");
        }
        if (c.maxPayload() < info.payloadMin() || c.maxPayload() > info.payloadMax()) {
            throw new InvalidArgumentException(op, 0, "maxPayload", c.maxPayload() + " is outside "
                    + info.payloadMin() + ".." + info.payloadMax() + " bytes");
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(rtpm_config.layout());
            rtpm_config.ring_id(s, c.ringId());
            rtpm_config.order(s, c.order());
            rtpm_config.max_payload(s, c.maxPayload());
            rtpm_config.drop_policy(s, c.dropPolicy().code());
            rtpm_config.flags(s, c.rtpTracking() ? 0 : KernelAbi.CFG_NO_RTP_TRACKING);
            int r = ioctl(op, KernelAbi.IOC_CONFIGURE, s);
            if (r == -Errno.EBUSY) {
                throw new RingBusyException(op, Errno.EBUSY, "ring " + c.ringId() + " is running, mapped"
                        + " or has sessions attached: stop it and close its sessions first");
            }
            check(op, r, c.ringId());
        }
    }

    @Override
    public void unconfigure(int ringId) {
        String op = "unconfigure ring " + ringId;
        int r = ringRef(op, KernelAbi.IOC_UNCONFIGURE, ringId);
        if (r == -Errno.EBUSY) {
            throw new RingBusyException(op, Errno.EBUSY, "ring " + ringId
                    + " has sessions attached or is mapped: close its sessions first");
        }
        check(op, r, ringId);
    }

    @Override
    public RingLayout layout(int ringId) {
        guard.enter("get the layout of ring " + ringId);
        try {
            return layout(fd, ringId);
        } finally {
            guard.exit();
        }
    }

    static RingLayout layout(int fd, int ringId) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(rtpm_layout.layout());
            rtpm_layout.ring_id(s, ringId);
            check("get the layout of ring " + ringId, Libc.ioctl(fd, KernelAbi.IOC_GET_LAYOUT, s), ringId);
            return KernelAbi.layout(s);
        }
    }

    @Override
    public void start(int ringId) {
        String op = "start ring " + ringId;
        check(op, ringRef(op, KernelAbi.IOC_START, ringId), ringId);
    }

    @Override
    public void stop(int ringId) {
        String op = "stop ring " + ringId;
        check(op, ringRef(op, KernelAbi.IOC_STOP, ringId), ringId);
    }

    @Override
    public RingStats stats(int ringId) {
        checkRingId("read the stats of ring " + ringId, ringId);
        guard.enter("read the stats of ring " + ringId);
        try {
            return stats(fd, ringId);
        } finally {
            guard.exit();
        }
    }

    static RingStats stats(int fd, int ringId) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(rtpm_stats.layout());
            rtpm_stats.ring_id(s, ringId);
            check("read the stats of ring " + ringId, Libc.ioctl(fd, KernelAbi.IOC_GET_STATS, s), ringId);
            return KernelAbi.stats(s);
        }
    }

    @Override
    public void resetStats(int ringId) {
        String op = "reset the stats of ring " + ringId;
        check(op, ringRef(op, KernelAbi.IOC_RESET_STATS, ringId), ringId);
    }

    @Override
    public RingSession attach(int ringId, Set<Role> roles) {
        String op = "attach to ring " + ringId + " as " + roles;
        checkRingId(op, ringId);
        if (roles.isEmpty()) {
            throw new InvalidArgumentException(op, 0, "roles", "give at least one role");
        }
        if (guard.isClosed()) {
            throw guard.closed(op);
        }
        int sfd = openNode(path); // a session has its own descriptor: the device's may close
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(rtpm_attach.layout());
            rtpm_attach.ring_id(s, ringId);
            rtpm_attach.roles(s, Role.mask(roles));
            rtpm_attach.abi_major(s, KernelAbi.SPOKEN_ABI.major());
            rtpm_attach.abi_minor(s, KernelAbi.SPOKEN_ABI.minor());
            int r = Libc.ioctl(sfd, KernelAbi.IOC_ATTACH, s);
            if (r == -Errno.EPROTO) {
                throw new AbiMismatchException(op, Errno.EPROTO, KernelAbi.SPOKEN_ABI, info.abi());
            }
            if (r == -Errno.EBUSY) {
                throw new RingBusyException(op, Errno.EBUSY, busyRoles(ringId, roles));
            }
            check(op, r, ringId);
            return new KernelRingSession(sfd, ringId, EnumSet.copyOf(roles), layout(sfd, ringId), info);
        } catch (RuntimeException | Error e) {
            Libc.close(sfd);
            throw e;
        }
    }

    private static String busyRoles(int ringId, Set<Role> roles) {
        EnumSet<Role> exclusive = EnumSet.copyOf(roles);
        exclusive.remove(Role.MONITOR);
        String which = exclusive.size() == 1 ? "the " + exclusive.iterator().next() + " role is"
                : "the PRODUCER or the CONSUMER role is";
        return which + " of ring " + ringId + " taken by another session: close that session"
                + " (or end its process), or attach as MONITOR";
    }

    /**
     * Closes the device's descriptor once no call on it is in flight; later calls throw
     * {@link io.rtpm.ffm.NotAttachedException}. Sessions have descriptors of their own and stay
     * open. Idempotent.
     */
    @Override
    public void close() {
        if (guard.close()) {
            Libc.close(fd);
        }
    }

    @Override
    public String toString() {
        return "KernelRingDevice[" + path + ", ABI " + info.abi() + "]";
    }

    /** ioctl(2) on the device's descriptor, counted in flight so that close waits for it. */
    private int ioctl(String op, long request, MemorySegment arg) {
        guard.enter(op);
        try {
            return Libc.ioctl(fd, request, arg);
        } finally {
            guard.exit();
        }
    }

    private int ringRef(String op, long request, int ringId) {
        checkRingId(op, ringId);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(rtpm_ring_ref.layout());
            rtpm_ring_ref.ring_id(s, ringId);
            return ioctl(op, request, s);
        }
    }

    private void checkRingId(String op, int ringId) {
        if (ringId < 0 || ringId >= info.maxRings()) {
            throw new InvalidArgumentException(op, 0, "ringId", ringId + " is outside 0.."
                    + (info.maxRings() - 1));
        }
    }

    static void check(String op, int r, int ringId) {
        if (r < 0) {
            throw Failures.of(op, -r, ringId);
        }
    }
}
