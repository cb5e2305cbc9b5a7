package io.rtpm.ffm.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import io.rtpm.ffm.RtpmException;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * One io_uring instance, driven by the raw system calls (io_uring_setup/enter/register through
 * {@code syscall(2)}): Debian's liburing 2.3 keeps its prep and buffer-ring helpers
 * {@code static inline}, out of FFM's reach, so the submission entries are written here, field by
 * field, as {@code <linux/io_uring.h>} lays them out. One thread owns an instance (it is set up
 * SINGLE_ISSUER, and DEFER_TASKRUN where the kernel has it, 6.1+).
 *
 * <p>The rings are shared with the kernel: the SQ tail and the CQ head are ours and stored with
 * release; the CQ tail is the kernel's and loaded with acquire. The kernel never trusts them, and
 * neither do we: a CQE's fields are only used after their ranges are checked by the caller.
 */
public final class IoUring implements AutoCloseable {

    private static final long SYS_IO_URING_SETUP = 425;
    private static final long SYS_IO_URING_ENTER = 426;
    private static final long SYS_IO_URING_REGISTER = 427;

    public static final int OP_POLL_ADD = 6;
    public static final int OP_SENDMSG = 9;
    public static final int OP_RECVMSG = 10;
    public static final int OP_ASYNC_CANCEL = 14;

    public static final int SQE_BUFFER_SELECT = 1 << 5;
    public static final int RECV_MULTISHOT = 1 << 1;
    public static final int POLL_ADD_MULTI = 1;
    public static final int CQE_F_BUFFER = 1;
    public static final int CQE_F_MORE = 2;

    private static final int SETUP_CQSIZE = 1 << 3;
    private static final int SETUP_COOP_TASKRUN = 1 << 8;
    private static final int SETUP_SINGLE_ISSUER = 1 << 12;
    private static final int SETUP_DEFER_TASKRUN = 1 << 13;
    private static final int FEAT_SINGLE_MMAP = 1;
    private static final int FEAT_EXT_ARG = 1 << 8;
    private static final int ENTER_GETEVENTS = 1;
    private static final int ENTER_EXT_ARG = 8;
    private static final int REGISTER_PBUF_RING = 22;
    private static final int UNREGISTER_PBUF_RING = 23;
    private static final long OFF_SQ_RING = 0;
    private static final long OFF_CQ_RING = 0x8000000L;
    private static final long OFF_SQES = 0x10000000L;
    private static final int MAP_POPULATE = 0x8000;
    public static final int ENOBUFS = 105;
    public static final int ECANCELED = 125;

    static final long SQE_SIZE = 64;
    static final long CQE_SIZE = 16;

    // syscall(long number, ...): every argument after the number is variadic.
    private static final MethodHandle SETUP = Net.bind("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_INT, ADDRESS), Linker.Option.firstVariadicArg(1));
    private static final MethodHandle ENTER = Net.bindFast("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG),
            Linker.Option.firstVariadicArg(1));
    private static final MethodHandle REGISTER = Net.bind("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT),
            Linker.Option.firstVariadicArg(1));

    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT;

    private final int fd;
    private final MemorySegment sqRing;
    private final MemorySegment cqRing;
    private final MemorySegment sqes;
    private final long sqRingSize;
    private final long cqRingSize;
    private final boolean singleMmap;
    private final long sqTailOff;
    private final long sqHeadOff;
    private final int sqMask;
    private final int sqEntries;
    private final long cqHeadOff;
    private final long cqTailOff;
    private final int cqMask;
    private final long cqesOff;
    private final MemorySegment cs;
    private final MemorySegment waitArg;
    private final MemorySegment timespec;
    private int sqTail;
    private int pending;
    private int cqHead;

    private IoUring(int fd, MemorySegment params, Arena arena) {
        this.fd = fd;
        int sqN = params.get(JAVA_INT, 0);
        int cqN = params.get(JAVA_INT, 4);
        int features = params.get(JAVA_INT, 20);
        if ((features & FEAT_EXT_ARG) == 0) {
            Libc.close(fd);
            throw new RtpmException("set up io_uring", 0, "this kernel lacks IORING_FEAT_EXT_ARG (5.11): use epoll");
        }
        long sqOff = 40;
        long cqOff = 80;
        this.sqHeadOff = params.get(JAVA_INT, sqOff);
        this.sqTailOff = params.get(JAVA_INT, sqOff + 4);
        long sqArrayOff = params.get(JAVA_INT, sqOff + 24);
        this.cqHeadOff = params.get(JAVA_INT, cqOff);
        this.cqTailOff = params.get(JAVA_INT, cqOff + 4);
        this.cqesOff = params.get(JAVA_INT, cqOff + 20);
        this.sqRingSize = sqArrayOff + 4L * sqN;
        this.cqRingSize = cqesOff + CQE_SIZE * cqN;
        this.singleMmap = (features & FEAT_SINGLE_MMAP) != 0;
        long size = singleMmap ? Math.max(sqRingSize, cqRingSize) : sqRingSize;
        this.sqRing = map(size, OFF_SQ_RING, "SQ ring");
        this.cqRing = singleMmap ? sqRing : map(cqRingSize, OFF_CQ_RING, "CQ ring");
        this.sqes = map(SQE_SIZE * sqN, OFF_SQES, "SQEs");
        this.sqMask = sqRing.get(JAVA_INT, params.get(JAVA_INT, sqOff + 8));
        this.sqEntries = sqN;
        this.cqMask = cqRing.get(JAVA_INT, params.get(JAVA_INT, cqOff + 8));
        for (int i = 0; i < sqN; i++) {
            sqRing.set(JAVA_INT, sqArrayOff + 4L * i, i); // SQE i is always at array slot i
        }
        this.sqTail = sqRing.get(JAVA_INT, sqTailOff);
        this.cqHead = cqRing.get(JAVA_INT, cqHeadOff);
        this.cs = Net.newCapture(arena);
        this.waitArg = arena.allocate(24, 8);
        this.timespec = arena.allocate(16, 8);
    }

    @SuppressWarnings("restricted") // the kernel's ring mappings, owned by this instance
    private MemorySegment map(long size, long offset, String what) {
        long a = Libc.mmap(size, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_SHARED | MAP_POPULATE, fd, offset);
        if (Libc.isError(a)) {
            throw new RtpmException("map io_uring's " + what, (int) -a, "mmap(2) failed");
        }
        return MemorySegment.ofAddress(a).reinterpret(size);
    }

    /**
     * Sets up an instance on the calling thread, which must be the only one to use it.
     *
     * @param entries SQ entries (a power of two)
     * @param cqEntries CQ entries (a power of two, at least {@code entries})
     * @param arena for the instance's scratch memory
     * @return the instance
     * @throws RtpmException with the errno when io_uring is missing or refused (ENOSYS, EPERM under
     *         seccomp or kernel.io_uring_disabled)
     */
    public static IoUring open(int entries, int cqEntries, Arena arena) {
        MemorySegment params = arena.allocate(120, 8);
        MemorySegment cs = Net.newCapture(arena);
        int fd = -1;
        for (int flags : new int[] {SETUP_CQSIZE | SETUP_SINGLE_ISSUER | SETUP_DEFER_TASKRUN,
                SETUP_CQSIZE | SETUP_COOP_TASKRUN, SETUP_CQSIZE}) {
            params.fill((byte) 0);
            params.set(JAVA_INT, 4, cqEntries);
            params.set(JAVA_INT, 8, flags);
            try {
                fd = Net.result(cs, (int) (long) SETUP.invokeExact(cs, SYS_IO_URING_SETUP, entries, params));
            } catch (Throwable t) {
                throw Net.rethrow(t);
            }
            if (fd != -22) { // EINVAL: a flag this kernel lacks; try fewer
                break;
            }
        }
        if (fd < 0) {
            throw new RtpmException("set up io_uring", -fd, "io_uring_setup(2) failed"
                    + (-fd == 1 || -fd == 38 ? ": io_uring is disabled here (seccomp, kernel.io_uring_disabled, or no kernel support)" : ""));
        }
        return new IoUring(fd, params, arena);
    }

    /** @return whether this process may use io_uring at all (a throwaway setup) */
    public static boolean available() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment params = arena.allocate(120, 8);
            MemorySegment cs = Net.newCapture(arena);
            int fd = Net.result(cs, (int) (long) SETUP.invokeExact(cs, SYS_IO_URING_SETUP, 2, params));
            if (fd >= 0) {
                Libc.close(fd);
                return (params.get(JAVA_INT, 20) & FEAT_EXT_ARG) != 0;
            }
            return false;
        } catch (Throwable t) {
            return false;
        }
    }

    /**
     * The next free submission entry, zeroed; submits what is queued first when the SQ is full.
     *
     * @return its offset in {@link #sqes()}
     */
    public long nextSqe() {
        if (pending == sqEntries) {
            submit();
        }
        long at = (long) (sqTail & sqMask) * SQE_SIZE;
        for (long o = 0; o < SQE_SIZE; o += 8) {
            sqes.set(JAVA_LONG, at + o, 0L); // no slice: nothing allocated per entry
        }
        sqTail++;
        pending++;
        return at;
    }

    /** @return the SQE array (write entries got from {@link #nextSqe()}) */
    public MemorySegment sqes() {
        return sqes;
    }

    /** Writes the fields every entry has. */
    public void prep(long at, int opcode, int fd, long addr, int len, long userData) {
        sqes.set(ValueLayout.JAVA_BYTE, at, (byte) opcode);
        sqes.set(JAVA_INT, at + 4, fd);
        sqes.set(JAVA_LONG, at + 16, addr);
        sqes.set(JAVA_INT, at + 24, len);
        sqes.set(JAVA_LONG, at + 32, userData);
    }

    /** Sets an entry's flags byte (IOSQE_*). */
    public void flags(long at, int flags) {
        sqes.set(ValueLayout.JAVA_BYTE, at + 1, (byte) flags);
    }

    /** Sets an entry's ioprio (the receive flags, e.g. {@link #RECV_MULTISHOT}). */
    public void ioprio(long at, int v) {
        sqes.set(U16, at + 2, (short) v);
    }

    /** Sets the op-specific flags word (msg_flags, poll32_events). */
    public void opFlags(long at, int v) {
        sqes.set(JAVA_INT, at + 28, v);
    }

    /** Sets the buffer group of a {@link #SQE_BUFFER_SELECT} entry. */
    public void bufferGroup(long at, int group) {
        sqes.set(U16, at + 40, (short) group);
    }

    private void publishTail() {
        INT.setRelease(sqRing, sqTailOff, sqTail);
    }

    /** Submits what is queued without waiting. @return entries submitted, or -1 */
    public int submit() {
        return enter(0, -1);
    }

    /**
     * Submits what is queued and waits for at least one completion, at most {@code timeoutMillis}.
     *
     * @return entries submitted, or -1 (a timeout, EINTR, or a full CQ: the caller reaps and goes on)
     */
    public int submitAndWait(int timeoutMillis) {
        return enter(1, timeoutMillis);
    }

    private int enter(int minComplete, int timeoutMillis) {
        publishTail();
        int n = pending;
        int flags = minComplete > 0 ? ENTER_GETEVENTS | ENTER_EXT_ARG : 0;
        MemorySegment arg = MemorySegment.NULL;
        long argSize = 0;
        if (minComplete > 0) {
            timespec.set(JAVA_LONG, 0, timeoutMillis / 1000);
            timespec.set(JAVA_LONG, 8, (timeoutMillis % 1000) * 1_000_000L);
            waitArg.set(JAVA_LONG, 0, 0L);
            waitArg.set(JAVA_INT, 8, 8);
            waitArg.set(JAVA_INT, 12, 0);
            waitArg.set(JAVA_LONG, 16, timespec.address());
            arg = waitArg;
            argSize = 24;
        }
        long r;
        try {
            r = (long) ENTER.invokeExact(SYS_IO_URING_ENTER, fd, n, minComplete, flags, arg, argSize);
        } catch (Throwable t) {
            throw Net.rethrow(t);
        }
        // what the kernel took is told by its SQ head, not the result: a wait that times out
        // returns -1 (ETIME) after submitting, and errno is not captured on this path
        pending = sqTail - (int) INT.getAcquire(sqRing, sqHeadOff);
        return (int) r;
    }

    /** @return the CQ ring (read entries at {@link #cqeOffset(int)}) */
    public MemorySegment cq() {
        return cqRing;
    }

    /** @return the head position: entries up to {@link #cqTail()} are ready */
    public int cqHead() {
        return cqHead;
    }

    /** @return the kernel's tail, loaded with acquire */
    public int cqTail() {
        return (int) INT.getAcquire(cqRing, cqTailOff);
    }

    /** @return where CQE {@code position} starts in {@link #cq()} */
    public long cqeOffset(int position) {
        return cqesOff + (long) (position & cqMask) * CQE_SIZE;
    }

    /** Gives the entries before {@code head} back to the kernel. */
    public void cqAdvance(int head) {
        cqHead = head;
        INT.setRelease(cqRing, cqHeadOff, head);
    }

    /**
     * Registers a provided-buffer ring (5.19).
     *
     * @param ring page-aligned memory of {@code entries * 16} bytes
     * @param entries a power of two, at most 32768
     * @param group its buffer group id
     * @return 0, or -errno
     */
    public int registerBufferRing(MemorySegment ring, int entries, int group) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment reg = arena.allocate(40, 8);
            reg.set(JAVA_LONG, 0, ring.address());
            reg.set(JAVA_INT, 8, entries);
            reg.set(U16, 12, (short) group);
            return Net.result(cs, (int) (long) REGISTER.invokeExact(cs, SYS_IO_URING_REGISTER, fd,
                    REGISTER_PBUF_RING, reg, 1));
        } catch (Throwable t) {
            throw Net.rethrow(t);
        }
    }

    /** @return the instance's descriptor */
    public int fd() {
        return fd;
    }

    @Override
    public void close() {
        Libc.munmap(sqes, sqes.byteSize());
        if (!singleMmap) {
            Libc.munmap(cqRing, cqRing.byteSize());
        }
        Libc.munmap(sqRing, sqRing.byteSize());
        Libc.close(fd);
    }
}
