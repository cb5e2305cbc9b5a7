package io.rtpm.ffm.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The socket calls of the relay, bound once through FFM (Linux x86_64/aarch64, glibc or musl).
 *
 * <p>Bound through {@link Libc}'s binder, in its idiom: each wrapper keeps the C name and argument
 * order and returns the result, or {@code -errno} (captured by the linker right after the call).
 * The capture buffer is passed in by the caller, so each I/O thread allocates its own once and
 * the hot path allocates nothing. None of these is {@code critical}: recvmmsg and poll block.
 * close comes from {@code Libc}.
 */
public final class Net {

    private static final MethodHandle SOCKET = bind("socket",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle BIND = bind("bind",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SETSOCKOPT = bind("setsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle GETSOCKOPT = bind("getsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle GETSOCKNAME = bind("getsockname",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    // int recvmmsg(int fd, struct mmsghdr *v, unsigned int n, int flags, struct timespec *t)
    private static final MethodHandle RECVMMSG = bind("recvmmsg",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS));
    // int sendmmsg(int fd, struct mmsghdr *v, unsigned int n, int flags)
    private static final MethodHandle SENDMMSG = bind("sendmmsg",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    // int sched_setaffinity(pid_t pid, size_t cpusetsize, const cpu_set_t *mask)
    private static final MethodHandle SCHED_SETAFFINITY = bind("sched_setaffinity",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS));
    // Hot-path twins without errno capture: the JDK slices the capture segment on every call,
    // an allocation C2 does not always remove. The callers need no errno on success, and on -1
    // either ignore it (a non-blocking receive: nothing now) or repeat the call with capture.
    private static final MethodHandle RECVMMSG_FAST = bindFast("recvmmsg",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle SENDMMSG_FAST = bindFast("sendmmsg",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle POLL_FAST = bindFast("poll",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));

    // <sys/socket.h>, <netinet/in.h>, <bits/socket.h>: the same on x86_64 and aarch64.
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_CLOEXEC = 02000000;
    public static final int SOL_SOCKET = 1;
    public static final int SO_SNDBUF = 7;
    public static final int SO_RCVBUF = 8;
    public static final int SO_SNDBUFFORCE = 32;
    public static final int SO_RCVBUFFORCE = 33;
    public static final int SO_RXQ_OVFL = 40;
    public static final int IPPROTO_IP = 0;
    public static final int IP_TOS = 1;
    public static final int IPPROTO_IPV6 = 41;
    public static final int IPV6_V6ONLY = 26;
    public static final int IPV6_TCLASS = 67;
    public static final int MSG_DONTWAIT = 0x40;
    public static final int MSG_WAITFORONE = 0x10000;
    public static final int SO_RCVTIMEO = 20;
    public static final int MSG_TRUNC = 0x20;
    public static final int MSG_CTRUNC = 0x08;

    public static final int EINTR = 4;
    public static final int EAGAIN = 11;
    public static final int EACCES = 13;
    public static final int EADDRINUSE = 98;
    public static final int EADDRNOTAVAIL = 99;
    public static final int EAFNOSUPPORT = 97;

    private Net() {
    }

    /** Binds a libc function through {@link Libc}'s binder, with errno captured. */
    static MethodHandle bind(String name, FunctionDescriptor fd, Linker.Option... more) {
        Linker.Option[] options = java.util.Arrays.copyOf(more, more.length + 1);
        options[more.length] = Libc.ERRNO;
        return Libc.bind(name, fd, options);
    }

    /** Binds a libc function through {@link Libc}'s binder, capturing nothing (the packet path). */
    static MethodHandle bindFast(String name, FunctionDescriptor fd, Linker.Option... more) {
        return Libc.bind(name, fd, more);
    }

    /**
     * recvmmsg(2) without errno: for receives where any failure (EAGAIN: nothing queued or the
     * receive timeout passed; EINTR) means "nothing now, receive again".
     *
     * @return datagrams received, or -1
     */
    public static int recvmmsgFast(int fd, MemorySegment vec, int n, int flags) {
        try {
            return (int) RECVMMSG_FAST.invokeExact(fd, vec, n, flags, MemorySegment.NULL);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * sendmmsg(2) without errno: on -1 repeat the call with {@link #sendmmsg} to learn why
     * (nothing was sent, so repeating sends nothing twice).
     *
     * @return messages sent, or -1
     */
    public static int sendmmsgFast(int fd, MemorySegment vec, int n, int flags) {
        try {
            return (int) SENDMMSG_FAST.invokeExact(fd, vec, n, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * poll(2) without errno: -1 can only be EINTR (or ENOMEM) for valid arguments: poll again.
     *
     * @return entries with events, 0 on timeout, or -1
     */
    public static int pollFast(MemorySegment fds, long nfds, int timeoutMillis) {
        try {
            return (int) POLL_FAST.invokeExact(fds, nfds, timeoutMillis);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Allocates an errno capture buffer: one per thread, made once.
     *
     * @param arena where it lives
     * @return the buffer every call of that thread passes
     */
    public static MemorySegment newCapture(Arena arena) {
        return Libc.newCapture(arena);
    }

    static int result(MemorySegment cs, int r) {
        return Libc.errno(cs, r);
    }

    static RuntimeException rethrow(Throwable t) {
        return Libc.rethrow(t);
    }

    /**
     * Pins the calling thread to one CPU: sched_setaffinity(2) with pid 0 (the calling thread).
     *
     * @param cpu the CPU, 0..1023 (one cpu_set_t)
     * @return 0, or -errno (EINVAL: no such CPU online or allowed here)
     */
    public static int pinCurrentThread(int cpu) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cs = newCapture(arena);
            MemorySegment set = arena.allocate(128, 8); // cpu_set_t: 1024 bits
            set.set(JAVA_LONG, (cpu / 64) * 8L, 1L << (cpu % 64));
            return result(cs, (int) SCHED_SETAFFINITY.invokeExact(cs, 0, 128L, set));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** @return socket(2): a descriptor, or -errno */
    public static int socket(MemorySegment cs, int domain, int type, int protocol) {
        try {
            return result(cs, (int) SOCKET.invokeExact(cs, domain, type | SOCK_CLOEXEC, protocol));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** @return bind(2): 0, or -errno */
    public static int bind(MemorySegment cs, int fd, MemorySegment addr, int len) {
        try {
            return result(cs, (int) BIND.invokeExact(cs, fd, addr, len));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** @return setsockopt(2): 0, or -errno */
    public static int setsockopt(MemorySegment cs, int fd, int level, int name, MemorySegment value, int len) {
        try {
            return result(cs, (int) SETSOCKOPT.invokeExact(cs, fd, level, name, value, len));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** @return getsockopt(2): 0, or -errno; {@code len} is an in/out socklen_t */
    public static int getsockopt(MemorySegment cs, int fd, int level, int name, MemorySegment value,
            MemorySegment len) {
        try {
            return result(cs, (int) GETSOCKOPT.invokeExact(cs, fd, level, name, value, len));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** @return getsockname(2): 0, or -errno; {@code len} is an in/out socklen_t */
    public static int getsockname(MemorySegment cs, int fd, MemorySegment addr, MemorySegment len) {
        try {
            return result(cs, (int) GETSOCKNAME.invokeExact(cs, fd, addr, len));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * recvmmsg(2) without a timeout argument (it is only checked after a datagram arrives).
     * EINTR is returned, not retried: the caller's loop re-checks its stop flag anyway.
     *
     * @return datagrams received, or -errno
     */
    public static int recvmmsg(MemorySegment cs, int fd, MemorySegment vec, int n, int flags) {
        try {
            return result(cs, (int) RECVMMSG.invokeExact(cs, fd, vec, n, flags, MemorySegment.NULL));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** @return sendmmsg(2): messages sent (maybe fewer than n), or -errno */
    public static int sendmmsg(MemorySegment cs, int fd, MemorySegment vec, int n, int flags) {
        try {
            return result(cs, (int) SENDMMSG.invokeExact(cs, fd, vec, n, flags));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }
}
