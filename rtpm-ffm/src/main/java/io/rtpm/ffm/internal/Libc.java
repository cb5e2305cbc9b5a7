package io.rtpm.ffm.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The libc calls rtpm needs, bound once through FFM (Linux x86_64/aarch64, glibc or musl).
 *
 * <p>Every wrapper keeps the C name and argument order and returns the C result when it succeeds
 * and {@code -errno} when it fails, so callers branch on a sign and the hot path allocates
 * nothing (no exception for an expected EAGAIN). errno is captured by the linker
 * ({@code captureCallState("errno")}) right after the call, never read later through
 * {@code __errno_location}: the JVM may make syscalls of its own in between. The capture buffer
 * is one per thread. Calls that fail with EINTR are retried, except {@link #poll}, which
 * returns {@code -EINTR} so a waiter can re-check its deadline. The futex calls capture no errno
 * (see {@link #futexWait}): they sit on the packet path, and the JDK slices the capture segment
 * on every call, an allocation C2 does not always remove.
 *
 * <p>Public only so that the backends in sibling packages can share it; the package is not
 * exported from the module.
 */
public final class Libc {

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO_VH =
            CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    /** One capture buffer per thread, allocated on the thread's first call. */
    private static final ThreadLocal<MemorySegment> CAPTURE_BUFFER =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CAPTURE));

    // open(const char *path, int flags, ...): mode is variadic.
    private static final MethodHandle OPEN = bind("open",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
            ERRNO, Linker.Option.firstVariadicArg(2));
    private static final MethodHandle CLOSE = bind("close",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT), ERRNO);
    // ioctl(int fd, unsigned long request, ...): the argument is variadic.
    private static final MethodHandle IOCTL = bind("ioctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS),
            ERRNO, Linker.Option.firstVariadicArg(2));
    private static final MethodHandle MMAP = bind("mmap",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG),
            ERRNO);
    private static final MethodHandle MUNMAP = bind("munmap",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG), ERRNO);
    private static final MethodHandle POLL = bind("poll",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), ERRNO);
    private static final MethodHandle FTRUNCATE = bind("ftruncate",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG), ERRNO);
    // fcntl(int fd, int cmd, ...): one variadic argument, a pointer or an int.
    private static final MethodHandle FCNTL_PTR = bind("fcntl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS),
            ERRNO, Linker.Option.firstVariadicArg(2));
    // The same without errno capture, for F_OFD_GETLK on the packet path (a claim on a full ring
    // looks at every session's record lock): the capture slice cost 40 B per call when C2 kept it.
    private static final MethodHandle FCNTL_PTR_NO_ERRNO = bind("fcntl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS),
            Linker.Option.firstVariadicArg(2));
    private static final MethodHandle FCNTL_INT = bind("fcntl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT),
            ERRNO, Linker.Option.firstVariadicArg(2));
    // syscall(long number, ...) as futex(uaddr, op, val, timeout, uaddr2, val3), without errno
    // capture: the JDK slices the capture segment on every call (an allocation C2 does not always
    // remove, seen with JFR at ~8-10 B/packet through the relay). A wake fails only on a bad
    // address or op (bugs); a waiter learns why it returned from the word and the clock.
    private static final MethodHandle SYSCALL_FUTEX = bind("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS,
                    ADDRESS, JAVA_INT),
            Linker.Option.firstVariadicArg(1));
    private static final MethodHandle GETPID = bind("getpid", FunctionDescriptor.of(JAVA_INT));
    // Never blocks, so it may skip the thread-state transition.
    private static final MethodHandle CLOCK_GETTIME = bind("clock_gettime",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS), Linker.Option.critical(false));

    // <fcntl.h>, <sys/mman.h>, <poll.h>, <errno.h>: identical on x86_64 and aarch64.
    public static final int O_RDONLY = 0;
    public static final int O_RDWR = 2;
    public static final int O_CREAT = 0100;
    public static final int O_EXCL = 0200;
    public static final int O_NOFOLLOW = 0400000;
    public static final int O_CLOEXEC = 02000000;

    public static final int PROT_READ = 1;
    public static final int PROT_WRITE = 2;
    public static final int MAP_SHARED = 1;

    public static final short POLLIN = 0x1;
    public static final short POLLOUT = 0x4;
    public static final short POLLERR = 0x8;
    public static final short POLLHUP = 0x10;
    public static final short POLLNVAL = 0x20;

    public static final int F_GETFL = 3;
    public static final int F_OFD_GETLK = 36;
    public static final int F_OFD_SETLK = 37;
    public static final int F_OFD_SETLKW = 38;
    public static final short F_RDLCK = 0;
    public static final short F_WRLCK = 1;
    public static final short F_UNLCK = 2;
    public static final short SEEK_SET = 0;

    public static final int CLOCK_MONOTONIC = 1;

    /** futex op without FUTEX_PRIVATE_FLAG: the word may live in memory shared by processes. */
    public static final int FUTEX_WAIT = 0;
    /** See {@link #FUTEX_WAIT}. */
    public static final int FUTEX_WAKE = 1;
    private static final long SYS_FUTEX = sysFutex();

    /** {@code struct pollfd}: one entry of a {@link #poll} array. */
    public static final StructLayout POLLFD = MemoryLayout.structLayout(
            JAVA_INT.withName("fd"),
            ValueLayout.JAVA_SHORT.withName("events"),
            ValueLayout.JAVA_SHORT.withName("revents"));

    /** {@code struct flock} (64-bit): argument of the OFD lock commands; l_pid must be 0. */
    public static final StructLayout FLOCK = MemoryLayout.structLayout(
            ValueLayout.JAVA_SHORT.withName("l_type"),
            ValueLayout.JAVA_SHORT.withName("l_whence"),
            MemoryLayout.paddingLayout(4),
            JAVA_LONG.withName("l_start"),
            JAVA_LONG.withName("l_len"),
            JAVA_INT.withName("l_pid"),
            MemoryLayout.paddingLayout(4));

    /** {@code struct timespec}: seconds and nanoseconds, both 64-bit on LP64. */
    public static final StructLayout TIMESPEC = MemoryLayout.structLayout(
            JAVA_LONG.withName("tv_sec"), JAVA_LONG.withName("tv_nsec"));

    private Libc() {
    }

    @SuppressWarnings("restricted") // binding libc is this class's purpose
    static MethodHandle bind(String name, FunctionDescriptor fd, Linker.Option... options) {
        MemorySegment symbol = LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError(
                "libc has no symbol '" + name + "': rtpm-ffm needs Linux with glibc or musl"));
        return LINKER.downcallHandle(symbol, fd, options);
    }

    private static long sysFutex() {
        String arch = System.getProperty("os.arch");
        return switch (arch) {
            case "amd64", "x86_64" -> 202;
            case "aarch64", "riscv64" -> 98;
            default -> throw new UnsupportedOperationException(
                    "rtpm-ffm knows the futex syscall number only on amd64, aarch64 and riscv64, not " + arch);
        };
    }

    /** @return a new errno capture buffer in {@code arena}, for callers that bring their own (Net) */
    static MemorySegment newCapture(Arena arena) {
        return arena.allocate(CAPTURE);
    }

    /** @return this thread's errno capture buffer (for the other binding classes of this package) */
    static MemorySegment capture() {
        return CAPTURE_BUFFER.get();
    }

    private static int errno(MemorySegment capture) {
        return (int) ERRNO_VH.get(capture, 0L);
    }

    static int errno(MemorySegment capture, int result) {
        return result == -1 ? -errno(capture) : result;
    }

    /**
     * open(2) with {@code O_CLOEXEC} added.
     *
     * @return a file descriptor, or -errno
     */
    public static int open(String path, int flags, int mode) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cPath = arena.allocateFrom(path);
            MemorySegment cs = capture();
            int r;
            do {
                r = errno(cs, (int) OPEN.invokeExact(cs, cPath, flags | O_CLOEXEC, mode));
            } while (r == -Errno.EINTR);
            return r;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * close(2). Not retried on EINTR: on Linux the descriptor is gone whatever close returns.
     *
     * @return 0, or -errno
     */
    public static int close(int fd) {
        try {
            MemorySegment cs = capture();
            return errno(cs, (int) CLOSE.invokeExact(cs, fd));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * ioctl(2) with a pointer argument ({@link MemorySegment#NULL} for {@code _IO} commands).
     *
     * @return the non-negative result, or -errno
     */
    public static int ioctl(int fd, long request, MemorySegment arg) {
        try {
            MemorySegment cs = capture();
            int r;
            do {
                r = errno(cs, (int) IOCTL.invokeExact(cs, fd, request, arg));
            } while (r == -Errno.EINTR);
            return r;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * mmap(2).
     *
     * @return the mapping's address (a zero-length segment: reinterpret it), or -errno as a long
     *         in {@code [-4095, -1]}; test with {@link #isError(long)}
     */
    public static long mmap(long length, int prot, int flags, int fd, long offset) {
        try {
            MemorySegment cs = capture();
            MemorySegment p = (MemorySegment) MMAP.invokeExact(cs, MemorySegment.NULL, length, prot,
                    flags, fd, offset);
            // MAP_FAILED is (void *)-1.
            return p.address() == -1L ? -errno(cs) : p.address();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Tells whether a {@link #mmap} result is an error code rather than an address. */
    public static boolean isError(long result) {
        return result < 0 && result >= -4095;
    }

    /**
     * munmap(2).
     *
     * @return 0, or -errno
     */
    public static int munmap(MemorySegment addr, long length) {
        try {
            MemorySegment cs = capture();
            return errno(cs, (int) MUNMAP.invokeExact(cs, addr, length));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * poll(2) on {@code nfds} entries of {@link #POLLFD}. EINTR is returned, not retried, so the
     * caller can recompute what is left of its timeout.
     *
     * @return how many entries have events (0 on timeout), or -errno
     */
    public static int poll(MemorySegment fds, long nfds, int timeoutMillis) {
        try {
            MemorySegment cs = capture();
            return errno(cs, (int) POLL.invokeExact(cs, fds, nfds, timeoutMillis));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * ftruncate(2).
     *
     * @return 0, or -errno
     */
    public static int ftruncate(int fd, long length) {
        try {
            MemorySegment cs = capture();
            int r;
            do {
                r = errno(cs, (int) FTRUNCATE.invokeExact(cs, fd, length));
            } while (r == -Errno.EINTR);
            return r;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * fcntl(2) with a pointer argument, e.g. a {@link #FLOCK} for {@link #F_OFD_SETLK} and
     * {@link #F_OFD_GETLK}.
     *
     * @return the non-negative result, or -errno
     */
    public static int fcntl(int fd, int cmd, MemorySegment arg) {
        try {
            MemorySegment cs = capture();
            int r;
            do {
                r = errno(cs, (int) FCNTL_PTR.invokeExact(cs, fd, cmd, arg));
            } while (r == -Errno.EINTR);
            return r;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * fcntl(2) with a pointer argument for commands that never block (e.g. {@link #F_OFD_GETLK}),
     * without errno: allocates nothing, for callers that only need to know whether it worked.
     *
     * @return the non-negative result, or -1 on any failure
     */
    public static int fcntlNoErrno(int fd, int cmd, MemorySegment arg) {
        try {
            return (int) FCNTL_PTR_NO_ERRNO.invokeExact(fd, cmd, arg);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * fcntl(2) with an int argument (or none: pass 0).
     *
     * @return the non-negative result, or -errno
     */
    public static int fcntl(int fd, int cmd, int arg) {
        try {
            MemorySegment cs = capture();
            int r;
            do {
                r = errno(cs, (int) FCNTL_INT.invokeExact(cs, fd, cmd, arg));
            } while (r == -Errno.EINTR);
            return r;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * FUTEX_WAIT on a 4-byte aligned word that may be shared between processes: sleeps while the
     * word equals {@code expected}, at most {@code timeout} (a {@link #TIMESPEC}, relative; NULL
     * waits forever). Allocates nothing.
     *
     * <p>errno is not captured, so the result does not say why the call returned (the word
     * differed, the timeout ran out, a signal, a wake-up, or a spurious return). Callers decide
     * from what they can see afterwards: re-read the word, and compare {@link System#nanoTime()}
     * with the time they went to sleep.
     *
     * @return 0 when woken by a FUTEX_WAKE (possibly spuriously), -1 when it returned for any
     *         other reason
     */
    public static int futexWait(MemorySegment word, int expected, MemorySegment timeout) {
        try {
            return (int) (long) SYSCALL_FUTEX.invokeExact(SYS_FUTEX, word, FUTEX_WAIT, expected, timeout,
                    MemorySegment.NULL, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * FUTEX_WAKE: wakes up to {@code count} waiters on {@code word}. Allocates nothing: errno is
     * not captured (a wake fails only on a misaligned or unmapped word, i.e. a bug).
     *
     * @return how many were woken, or -1 on failure
     */
    public static int futexWake(MemorySegment word, int count) {
        try {
            return (int) (long) SYSCALL_FUTEX.invokeExact(SYS_FUTEX, word, FUTEX_WAKE, count,
                    MemorySegment.NULL, MemorySegment.NULL, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** getpid(2); cannot fail. */
    public static int getpid() {
        try {
            return (int) GETPID.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * clock_gettime(2) into {@code ts}, a {@link #TIMESPEC}.
     *
     * @return 0, or -1 for an unknown clock id (the call records no errno here)
     */
    public static int clock_gettime(int clockId, MemorySegment ts) {
        try {
            return (int) CLOCK_GETTIME.invokeExact(clockId, ts);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException e) {
            return e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        // invokeExact declares Throwable; native functions throw nothing checked.
        return new IllegalStateException("unexpected exception from a native call", t);
    }
}
