package io.rtpm.relay.internal;

import io.rtpm.ffm.internal.Net;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet6Address;
import java.net.InetSocketAddress;

import io.rtpm.ffm.PermissionDeniedException;
import io.rtpm.ffm.RtpmException;
import io.rtpm.ffm.internal.Errno;
import io.rtpm.ffm.internal.Libc;
import io.rtpm.relay.PortInUseException;

/**
 * One UDP socket as the relay uses it: a descriptor opened and configured by the controller
 * thread, then read or written by one I/O thread through {@link Net#recvmmsg}/{@link Net#sendmmsg}.
 * Setup calls allocate (they run once); the I/O threads bring their own capture buffers.
 */
public final class UdpSocket implements AutoCloseable {

    private final int fd;
    private final int family;
    private final int localPort;
    private boolean closed;

    private UdpSocket(int fd, int family, int localPort) {
        this.fd = fd;
        this.family = family;
        this.localPort = localPort;
    }

    /**
     * Opens a socket bound to {@code local} (port 0: any free port).
     *
     * @param local the address and port to bind
     * @param what what the socket is for, for messages (e.g. "RTP receive")
     * @param rcvBuf SO_RCVBUF bytes, 0 for the system default
     * @param sndBuf SO_SNDBUF bytes, 0 for the system default
     * @param dscp the DSCP to mark sent packets with (0..63; 0 leaves the default)
     * @param overflowCounter whether to ask for SO_RXQ_OVFL (socket-buffer drops) with each datagram
     * @return the bound socket
     * @throws PortInUseException when the port is taken
     * @throws PermissionDeniedException when binding is not permitted (a port below 1024)
     * @throws RtpmException for any other failure, naming the call and the errno
     */
    public static UdpSocket open(InetSocketAddress local, String what, int rcvBuf, int sndBuf,
            int dscp, boolean overflowCounter) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cs = Net.newCapture(arena);
            int family = local.getAddress() instanceof Inet6Address ? Net.AF_INET6 : Net.AF_INET;
            int fd = Net.socket(cs, family, Net.SOCK_DGRAM, 0);
            if (fd < 0) {
                throw new RtpmException("open the " + what + " socket", -fd,
                        "socket(2) failed" + (-fd == Net.EAFNOSUPPORT ? ": IPv6 is disabled on this host" : ""));
            }
            UdpSocket s = null;
            try {
                MemorySegment one = arena.allocate(ValueLayout.JAVA_INT);
                if (family == Net.AF_INET6) {
                    // dual-stack, so "::" also receives IPv4 (peers then appear IPv4-mapped)
                    setInt(cs, fd, one, Net.IPPROTO_IPV6, Net.IPV6_V6ONLY, 0, what, "IPV6_V6ONLY");
                }
                // the FORCE variants pass net.core.[rw]mem_max when privileged (CAP_NET_ADMIN)
                if (rcvBuf > 0 && !setInt(cs, fd, one, Net.SOL_SOCKET, Net.SO_RCVBUFFORCE, rcvBuf, what,
                        "SO_RCVBUFFORCE", true)) {
                    setInt(cs, fd, one, Net.SOL_SOCKET, Net.SO_RCVBUF, rcvBuf, what, "SO_RCVBUF");
                }
                if (sndBuf > 0 && !setInt(cs, fd, one, Net.SOL_SOCKET, Net.SO_SNDBUFFORCE, sndBuf, what,
                        "SO_SNDBUFFORCE", true)) {
                    setInt(cs, fd, one, Net.SOL_SOCKET, Net.SO_SNDBUF, sndBuf, what, "SO_SNDBUF");
                }
                if (dscp > 0) {
                    // DSCP is the top 6 bits of the TOS / traffic class byte
                    if (family == Net.AF_INET6) {
                        setInt(cs, fd, one, Net.IPPROTO_IPV6, Net.IPV6_TCLASS, dscp << 2, what, "IPV6_TCLASS");
                    }
                    setInt(cs, fd, one, Net.IPPROTO_IP, Net.IP_TOS, dscp << 2, what, "IP_TOS",
                            family == Net.AF_INET6);
                }
                if (overflowCounter) {
                    setInt(cs, fd, one, Net.SOL_SOCKET, Net.SO_RXQ_OVFL, 1, what, "SO_RXQ_OVFL");
                }
                MemorySegment addr = arena.allocate(SockAddr.MAX_LEN, 8);
                int len = SockAddr.write(addr, local, family);
                int r = Net.bind(cs, fd, addr, len);
                if (r < 0) {
                    throw bindFailure(local, what, -r);
                }
                MemorySegment lenOut = arena.allocate(ValueLayout.JAVA_INT);
                lenOut.set(ValueLayout.JAVA_INT, 0, SockAddr.MAX_LEN);
                r = Net.getsockname(cs, fd, addr, lenOut);
                if (r < 0) {
                    throw new RtpmException("find the port of the " + what + " socket", -r, "getsockname(2) failed");
                }
                s = new UdpSocket(fd, family, SockAddr.port(addr, 0));
                return s;
            } finally {
                if (s == null) {
                    Libc.close(fd);
                }
            }
        }
    }

    private static RtpmException bindFailure(InetSocketAddress local, String what, int errno) {
        String op = "bind the " + what + " socket to " + local;
        return switch (errno) {
            case Net.EADDRINUSE -> new PortInUseException(op, errno, local.getPort());
            case Net.EACCES, Errno.EPERM -> new PermissionDeniedException(op, errno,
                    "not permitted to bind port " + local.getPort()
                            + ": use a port of 1024 or above, or run with CAP_NET_BIND_SERVICE");
            case Net.EADDRNOTAVAIL -> new RtpmException(op, errno, local.getAddress().getHostAddress()
                    + " is not an address of this host: bind one of its addresses, or 0.0.0.0 / ::");
            default -> new RtpmException(op, errno, "bind(2) failed");
        };
    }

    private static void setInt(MemorySegment cs, int fd, MemorySegment one, int level, int name,
            int value, String what, String option) {
        setInt(cs, fd, one, level, name, value, what, option, false);
    }

    /** @return whether it was set; a failure throws unless {@code optional} */
    private static boolean setInt(MemorySegment cs, int fd, MemorySegment one, int level, int name,
            int value, String what, String option, boolean optional) {
        one.set(ValueLayout.JAVA_INT, 0, value);
        int r = Net.setsockopt(cs, fd, level, name, one, 4);
        if (r < 0 && !optional) {
            throw new RtpmException("set " + option + "=" + value + " on the " + what + " socket", -r,
                    "setsockopt(2) failed");
        }
        return r == 0;
    }

    /**
     * Reads back an int socket option (e.g. the buffer size the kernel granted).
     *
     * @return the value, or -errno
     */
    public int getInt(int level, int name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cs = Net.newCapture(arena);
            MemorySegment v = arena.allocate(ValueLayout.JAVA_INT);
            MemorySegment len = arena.allocate(ValueLayout.JAVA_INT);
            len.set(ValueLayout.JAVA_INT, 0, 4);
            int r = Net.getsockopt(cs, fd, level, name, v, len);
            return r < 0 ? r : v.get(ValueLayout.JAVA_INT, 0);
        }
    }

    /**
     * Sets SO_RCVTIMEO: how long a blocking receive waits for a first datagram before it
     * returns -1 (EAGAIN), so that the receiving thread looks at its stop flag.
     *
     * @param millis 1..999
     * @throws RtpmException when the option cannot be set
     */
    public void receiveTimeout(int millis) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cs = Net.newCapture(arena);
            MemorySegment tv = arena.allocate(16, 8); // struct timeval: tv_sec, tv_usec (LP64)
            tv.set(ValueLayout.JAVA_LONG, 0, 0L);
            tv.set(ValueLayout.JAVA_LONG, 8, millis * 1000L);
            int r = Net.setsockopt(cs, fd, Net.SOL_SOCKET, Net.SO_RCVTIMEO, tv, 16);
            if (r < 0) {
                throw new RtpmException("set SO_RCVTIMEO=" + millis + " ms on a receive socket", -r,
                        "setsockopt(2) failed");
            }
        }
    }

    /** @return the descriptor, for the I/O calls */
    public int fd() {
        return fd;
    }

    /** @return {@link Net#AF_INET} or {@link Net#AF_INET6} */
    public int family() {
        return family;
    }

    /** @return the bound port (the one the kernel chose when 0 was asked for) */
    public int localPort() {
        return localPort;
    }

    /** Closes the descriptor. Idempotent; call only after the I/O thread has left its calls. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Libc.close(fd);
    }
}
