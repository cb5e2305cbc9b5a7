package io.rtpm.ffm.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * AF_UNIX datagram sockets, bound once through FFM in {@link Libc}'s idiom (C names and argument
 * order, {@code -errno} on failure, errno captured by the linker). Java's own AF_UNIX support
 * (JEP 380) is stream-only; systemd's notification socket ({@code NOTIFY_SOCKET}, sd_notify(3))
 * takes datagrams.
 *
 * <p>Addresses are paths, or abstract names written with a leading {@code '@'} as systemd
 * writes them: the {@code '@'} becomes the NUL that starts an abstract name (unix(7)), and the
 * address length then counts only the name's bytes, no terminating NUL.
 * Not on a hot path: each call allocates its address in a confined arena.
 */
public final class UnixDatagram {

    private static final MethodHandle SOCKET = Libc.bind("socket",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), Libc.ERRNO);
    private static final MethodHandle BIND = Libc.bind("bind",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), Libc.ERRNO);
    // ssize_t sendto(int fd, const void *buf, size_t len, int flags, const struct sockaddr *to, socklen_t tolen)
    private static final MethodHandle SENDTO = Libc.bind("sendto",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT),
            Libc.ERRNO);
    // ssize_t recv(int fd, void *buf, size_t len, int flags)
    private static final MethodHandle RECV = Libc.bind("recv",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), Libc.ERRNO);

    // <sys/socket.h>, <sys/un.h>: the same on x86_64 and aarch64.
    public static final int AF_UNIX = 1;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_CLOEXEC = 02000000;
    public static final int MSG_DONTWAIT = 0x40;
    public static final int MSG_NOSIGNAL = 0x4000;
    /** {@code sizeof(struct sockaddr_un)}: a 2-byte family and 108 bytes of path. */
    public static final int SOCKADDR_UN_SIZE = 110;
    private static final int SUN_PATH_OFFSET = 2;
    private static final int SUN_PATH_MAX = SOCKADDR_UN_SIZE - SUN_PATH_OFFSET;

    private UnixDatagram() {
    }

    /** @return a new {@code socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)}, or -errno */
    public static int socket() {
        try {
            MemorySegment cs = Libc.capture();
            return Libc.errno(cs, (int) SOCKET.invokeExact(cs, AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /**
     * bind(2) to a path or an {@code '@'}-abstract name.
     *
     * @return 0, or -errno ({@code -EINVAL} for a name that does not fit a sockaddr_un)
     */
    public static int bind(int fd, String address) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sa = arena.allocate(SOCKADDR_UN_SIZE, 2);
            int len = sockaddr(sa, address);
            if (len < 0) {
                return len;
            }
            MemorySegment cs = Libc.capture();
            return Libc.errno(cs, (int) BIND.invokeExact(cs, fd, sa, len));
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /**
     * sendto(2) of {@code message} (UTF-8) as one datagram, with MSG_NOSIGNAL; retried on EINTR.
     *
     * @return the bytes sent, or -errno ({@code -EINVAL} for an address that does not fit)
     */
    public static int sendto(int fd, String message, String address) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sa = arena.allocate(SOCKADDR_UN_SIZE, 2);
            int len = sockaddr(sa, address);
            if (len < 0) {
                return len;
            }
            byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
            MemorySegment buf = arena.allocate(Math.max(1, bytes.length));
            MemorySegment.copy(bytes, 0, buf, ValueLayout.JAVA_BYTE, 0, bytes.length);
            MemorySegment cs = Libc.capture();
            long r;
            do {
                r = (long) SENDTO.invokeExact(cs, fd, buf, (long) bytes.length, MSG_NOSIGNAL, sa, len);
                r = r == -1 ? Libc.errno(cs, -1) : r;
            } while (r == -Errno.EINTR);
            return (int) r;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /**
     * recv(2) of one datagram into {@code buf}.
     *
     * @param flags 0 to wait, or {@link #MSG_DONTWAIT}
     * @return its length, or -errno ({@code -EAGAIN}: nothing queued, or the receive timeout)
     */
    public static int recv(int fd, MemorySegment buf, int flags) {
        try {
            MemorySegment cs = Libc.capture();
            long r = (long) RECV.invokeExact(cs, fd, buf, buf.byteSize(), flags);
            return r == -1 ? Libc.errno(cs, -1) : (int) r;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /**
     * Writes {@code struct sockaddr_un} for a path or an '@'-abstract name.
     *
     * @return the address length for bind/sendto, or -EINVAL when the name is empty or too long
     */
    static int sockaddr(MemorySegment sa, String address) {
        boolean abstractName = address.startsWith("@");
        byte[] name = (abstractName ? address.substring(1) : address).getBytes(StandardCharsets.UTF_8);
        // a path needs its NUL inside sun_path; an abstract name has a leading NUL instead
        int used = name.length + 1;
        if (address.isEmpty() || used > SUN_PATH_MAX || (!abstractName && address.indexOf('\0') >= 0)) {
            return -Errno.EINVAL;
        }
        sa.fill((byte) 0);
        sa.set(ValueLayout.JAVA_SHORT, 0, (short) AF_UNIX);
        MemorySegment.copy(name, 0, sa, ValueLayout.JAVA_BYTE, SUN_PATH_OFFSET + (abstractName ? 1 : 0),
                name.length);
        return abstractName ? SUN_PATH_OFFSET + 1 + name.length : SUN_PATH_OFFSET + name.length + 1;
    }
}
