package io.rtpm.ffm.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

/**
 * epoll(7), eventfd(2) and the file-descriptor limit, bound once through FFM, in {@link Net}'s
 * idiom and through its binder: each wrapper returns the C result, or {@code -errno} captured
 * by the linker into the caller's capture buffer ({@link Net#newCapture}). {@code epoll_wait}
 * and {@code read} capture nothing: they sit on the packet path.
 *
 * <p>{@code struct epoll_event} is packed on x86_64 (12 bytes: events, then the 64-bit data at
 * offset 4) and naturally aligned elsewhere (16 bytes, data at 8): {@link #EVENT_SIZE} and
 * {@link #DATA_OFFSET} say which this JVM runs on.
 */
public final class Epoll {

    private static final MethodHandle EPOLL_CREATE1 = Net.bind("epoll_create1",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle EPOLL_CTL = Net.bind("epoll_ctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle EPOLL_WAIT = Net.bindFast("epoll_wait",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle EVENTFD = Net.bind("eventfd",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle WRITE = Net.bind("write",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle READ = Net.bindFast("read",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle GETRLIMIT = Net.bind("getrlimit",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle SETRLIMIT = Net.bind("setrlimit",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));

    /** sizeof(struct epoll_event) on this architecture. */
    public static final long EVENT_SIZE;
    /** Where its 64-bit data word starts. */
    public static final long DATA_OFFSET;

    static {
        boolean packed = "amd64".equals(System.getProperty("os.arch"))
                || "x86_64".equals(System.getProperty("os.arch"));
        EVENT_SIZE = packed ? 12 : 16;
        DATA_OFFSET = packed ? 4 : 8;
    }

    public static final int EPOLL_CLOEXEC = 02000000;
    public static final int EPOLL_CTL_ADD = 1;
    public static final int EPOLL_CTL_DEL = 2;
    public static final int EPOLL_CTL_MOD = 3;
    public static final int EPOLLIN = 0x001;
    public static final int EPOLLERR = 0x008;
    public static final int EPOLLHUP = 0x010;
    public static final int EFD_CLOEXEC = 02000000;
    public static final int EFD_NONBLOCK = 04000;
    public static final int RLIMIT_NOFILE = 7;

    private static final long INFINITY = -1L;

    private Epoll() {
    }

    /** @return epoll_create1(EPOLL_CLOEXEC): a descriptor, or -errno */
    public static int create(MemorySegment cs) {
        try {
            return Net.result(cs, (int) EPOLL_CREATE1.invokeExact(cs, EPOLL_CLOEXEC));
        } catch (Throwable t) {
            throw Net.rethrow(t);
        }
    }

    /**
     * epoll_ctl(2) with one event word and a 64-bit data word.
     *
     * @param event a scratch buffer of {@link #EVENT_SIZE} bytes
     * @return 0, or -errno
     */
    public static int ctl(MemorySegment cs, MemorySegment event, int epfd, int op, int fd, int events,
            long data) {
        event.set(JAVA_INT, 0, events);
        event.set(JAVA_LONG_UNALIGNED, DATA_OFFSET, data);
        try {
            return Net.result(cs, (int) EPOLL_CTL.invokeExact(cs, epfd, op, fd, event));
        } catch (Throwable t) {
            throw Net.rethrow(t);
        }
    }

    /**
     * epoll_wait(2) without errno: -1 is EINTR for valid arguments (wait again).
     *
     * @return ready entries, 0 on timeout, or -1
     */
    public static int waitFast(int epfd, MemorySegment events, int max, int timeoutMillis) {
        try {
            return (int) EPOLL_WAIT.invokeExact(epfd, events, max, timeoutMillis);
        } catch (Throwable t) {
            throw Net.rethrow(t);
        }
    }

    /** @return the events word of entry {@code i} of an epoll_wait result */
    public static int events(MemorySegment events, int i) {
        return events.get(JAVA_INT_UNALIGNED, i * EVENT_SIZE);
    }

    /** @return the data word of entry {@code i} of an epoll_wait result */
    public static long data(MemorySegment events, int i) {
        return events.get(JAVA_LONG_UNALIGNED, i * EVENT_SIZE + DATA_OFFSET);
    }

    /** @return eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK): a descriptor, or -errno */
    public static int eventfd(MemorySegment cs) {
        try {
            return Net.result(cs, (int) EVENTFD.invokeExact(cs, 0, EFD_CLOEXEC | EFD_NONBLOCK));
        } catch (Throwable t) {
            throw Net.rethrow(t);
        }
    }

    /**
     * Adds one to an eventfd's counter (wakes its poller).
     *
     * @param eight a scratch buffer of 8 bytes
     * @return 8, or -errno (EAGAIN: the counter is at its maximum, the poller is awake anyway)
     */
    public static int signal(MemorySegment cs, MemorySegment eight, int fd) {
        eight.set(JAVA_LONG, 0, 1L);
        try {
            return Net.result(cs, (int) (long) WRITE.invokeExact(cs, fd, eight, 8L));
        } catch (Throwable t) {
            throw Net.rethrow(t);
        }
    }

    /** Resets an eventfd's counter (a non-blocking read; nothing to read is fine). */
    public static void drain(MemorySegment eight, int fd) {
        try {
            long r = (long) READ.invokeExact(fd, eight, 8L);
            assert r == 8 || r == -1;
        } catch (Throwable t) {
            throw Net.rethrow(t);
        }
    }

    /**
     * Raises the soft RLIMIT_NOFILE to {@code wanted}, as far as the hard limit allows.
     *
     * @return the soft limit now in force, or -errno when it cannot be read or set
     */
    public static long raiseFileLimit(long wanted) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cs = Net.newCapture(arena);
            MemorySegment rl = arena.allocate(16, 8); // struct rlimit: rlim_cur, rlim_max
            int r = Net.result(cs, (int) GETRLIMIT.invokeExact(cs, RLIMIT_NOFILE, rl));
            if (r < 0) {
                return r;
            }
            long soft = rl.get(JAVA_LONG, 0);
            long hard = rl.get(JAVA_LONG, 8);
            if (soft == INFINITY || (soft >= wanted && soft > 0)) {
                return soft == INFINITY ? Long.MAX_VALUE : soft;
            }
            long target = hard == INFINITY ? wanted : Math.min(wanted, hard);
            if (target <= soft) {
                return soft;
            }
            rl.set(JAVA_LONG, 0, target);
            r = Net.result(cs, (int) SETRLIMIT.invokeExact(cs, RLIMIT_NOFILE, rl));
            return r < 0 ? r : target;
        } catch (Throwable t) {
            throw Net.rethrow(t);
        }
    }

    /** @return the hard RLIMIT_NOFILE ({@link Long#MAX_VALUE} when unlimited), or -errno */
    public static long hardFileLimit() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cs = Net.newCapture(arena);
            MemorySegment rl = arena.allocate(16, 8);
            int r = Net.result(cs, (int) GETRLIMIT.invokeExact(cs, RLIMIT_NOFILE, rl));
            if (r < 0) {
                return r;
            }
            long hard = rl.get(JAVA_LONG, 8);
            return hard == INFINITY ? Long.MAX_VALUE : hard;
        } catch (Throwable t) {
            throw Net.rethrow(t);
        }
    }
}
