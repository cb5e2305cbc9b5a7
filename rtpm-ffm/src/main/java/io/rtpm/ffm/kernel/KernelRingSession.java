package io.rtpm.ffm.kernel;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.rtpm.ffm.AbiMismatchException;
import io.rtpm.ffm.AbiVersion;
import io.rtpm.ffm.Backend;
import io.rtpm.ffm.InvalidArgumentException;
import io.rtpm.ffm.NotAttachedException;
import io.rtpm.ffm.PermissionDeniedException;
import io.rtpm.ffm.RingInfo;
import io.rtpm.ffm.RingLayout;
import io.rtpm.ffm.RingSession;
import io.rtpm.ffm.RingStats;
import io.rtpm.ffm.Role;
import io.rtpm.ffm.Slot;
import io.rtpm.ffm.SlotBatch;
import io.rtpm.ffm.abi.rtpm_batch;
import io.rtpm.ffm.abi.rtpm_ring_header;
import io.rtpm.ffm.abi.rtpm_slot_desc;
import io.rtpm.ffm.internal.CallGuard;
import io.rtpm.ffm.internal.Errno;
import io.rtpm.ffm.internal.Failures;
import io.rtpm.ffm.internal.SlotViews;
import io.rtpm.ffm.internal.Libc;

/**
 * A session on {@code /dev/rtp_mgr}: its own open file, attached to one ring.
 *
 * <p>Hot path: every data call is one ioctl on scratch memory allocated when the session was
 * made; slot views are made once, when the ring is mapped. The scratch lives in a shared arena
 * (a session may be handed between threads), but native calls get plain-address aliases of it,
 * so no call acquires the arena.
 *
 * <p>Close is safe against a call on another thread: every call counts itself in flight, and
 * {@link #close()} marks the session closed, waits until no call is in flight, and only then
 * unmaps, frees the scratch and closes the file. Otherwise the kernel could write a result
 * into freed native memory (the aliases are unscoped) or a call could hit a reused descriptor
 * number. A call that starts after close throws {@link NotAttachedException}; a wait in progress
 * sees the close within {@link #POLL_SLICE_MS} and throws it too.
 */
final class KernelRingSession implements RingSession {

    private static final long DESC_SIZE = rtpm_slot_desc.sizeof();
    private static final long DESC_INDEX = rtpm_slot_desc.index$offset();
    private static final long DESC_LEN = rtpm_slot_desc.len$offset();

    /** A wait polls at most this long at once, so a racing close waits no longer for it. */
    static final int POLL_SLICE_MS = 50;

    private final int fd;
    private final int ringId;
    private final Set<Role> roles;
    private final RingLayout layout;
    private final int batchMax;
    private final String name;
    private final Arena arena = Arena.ofShared();
    /** One rtpm_slot_desc for the single calls, and its address for the ioctl. */
    private final MemorySegment desc;
    private final MemorySegment descArg;
    /** The rtpm_batch header every batch call reuses. */
    private final MemorySegment batch;
    private final MemorySegment batchArg;
    private final MemorySegment pollfd;
    private final MemorySegment pollfdArg;

    private MemorySegment mapping;
    /** Slot views by index; null until mapped and again after close. */
    private Slot[] slots;
    /** Calls in flight, and the close that waits for them. */
    private final CallGuard guard;

    KernelRingSession(int fd, int ringId, Set<Role> roles, RingLayout layout, RingInfo info) {
        this.fd = fd;
        this.ringId = ringId;
        this.roles = Collections.unmodifiableSet(EnumSet.copyOf(roles));
        this.layout = layout;
        this.batchMax = info.batchMax();
        this.name = "ring " + ringId;
        this.guard = new CallGuard(name, "the session ended: attach again with RingDevice.attach");
        this.desc = arena.allocate(rtpm_slot_desc.layout());
        this.descArg = alias(desc);
        this.batch = arena.allocate(rtpm_batch.layout());
        this.batchArg = alias(batch);
        this.pollfd = arena.allocate(Libc.POLLFD);
        this.pollfdArg = alias(pollfd);
        pollfd.set(ValueLayout.JAVA_INT, 0, fd);
    }

    // A global-scope view of the same memory: passing it to a downcall skips the shared
    // arena's acquire/release. Valid until close(), which waits for calls in flight.
    @SuppressWarnings("restricted") // same memory, same size: only the scope differs
    private static MemorySegment alias(MemorySegment s) {
        return MemorySegment.ofAddress(s.address()).reinterpret(s.byteSize());
    }

    private void enter(String op) {
        guard.enter(op);
    }

    private void exit() {
        guard.exit();
    }

    /** @return how many calls are in flight now (for tests) */
    int callsInFlight() {
        return guard.callsInFlight();
    }

    @Override
    public int ringId() {
        return ringId;
    }

    @Override
    public Set<Role> roles() {
        return roles;
    }

    @Override
    public Backend backend() {
        return Backend.KERNEL;
    }

    @Override
    public RingLayout layout() {
        return layout;
    }

    @Override
    public MemorySegment map() {
        enter("map");
        try {
            return mapLocked();
        } finally {
            exit();
        }
    }

    @SuppressWarnings("restricted") // mmap returns a bare address of the size we asked for
    private MemorySegment mapLocked() {
        if (mapping != null) {
            return mapping;
        }
        boolean writer = roles.contains(Role.PRODUCER) || roles.contains(Role.CONSUMER);
        long size = layout.mmapSize();
        long addr = Libc.mmap(size, Libc.PROT_READ | (writer ? Libc.PROT_WRITE : 0), Libc.MAP_SHARED, fd, 0);
        if (Libc.isError(addr)) {
            int e = (int) -addr;
            throw e == Errno.EACCES
                    ? new PermissionDeniedException("map " + name, e, "the mapping was refused for this"
                            + " session's roles " + roles)
                    : Failures.of("map " + name, e, ringId);
        }
        MemorySegment m = MemorySegment.ofAddress(addr).reinterpret(size, arena,
                unused -> Libc.munmap(MemorySegment.ofAddress(addr), size));
        if (rtpm_ring_header.magic(m) != KernelAbi.RING_MAGIC
                || rtpm_ring_header.abi_major(m) != KernelAbi.SPOKEN_ABI.major()) {
            AbiVersion seen = new AbiVersion(rtpm_ring_header.abi_major(m), rtpm_ring_header.abi_minor(m));
            throw new AbiMismatchException("map " + name + " (header magic 0x"
                    + Integer.toHexString(rtpm_ring_header.magic(m)) + ")", 0, KernelAbi.SPOKEN_ABI, seen);
        }
        Slot[] views = SlotViews.over(m, layout);
        mapping = writer ? m : m.asReadOnly();
        slots = views;
        return mapping;
    }

    // Only inside enter()/exit().
    private Slot[] slots() {
        Slot[] s = slots;
        if (s == null) {
            mapLocked();
            s = slots;
        }
        return s;
    }

    private Slot slotAt(Slot[] s, int index) {
        if (index < 0 || index >= s.length) {
            throw new IllegalStateException(name + ": the module returned slot index " + index
                    + " outside 0.." + (s.length - 1) + ": module and library disagree on the ring");
        }
        return s[index];
    }

    private int own(Slot[] s, Slot slot, String op) {
        return SlotViews.own(s, slot, op, name);
    }

    @Override
    public Slot claim() {
        enter("claim on");
        try {
            Slot[] s = slots();
            int r = Libc.ioctl(fd, KernelAbi.IOC_CLAIM, descArg);
            if (r < 0) {
                if (r == -Errno.ENOBUFS) {
                    return null;
                }
                throw Failures.of("claim on " + name, -r, ringId);
            }
            Slot slot = slotAt(s, desc.get(ValueLayout.JAVA_INT, DESC_INDEX));
            slot.setLengthFromRing(0);
            return slot;
        } finally {
            exit();
        }
    }

    @Override
    public void push(Slot slot, int length) {
        enter("push on");
        try {
            Slot[] s = slots();
            int i = own(s, slot, "push");
            desc.set(ValueLayout.JAVA_INT, DESC_INDEX, i);
            desc.set(ValueLayout.JAVA_INT, DESC_LEN, length);
            int r = Libc.ioctl(fd, KernelAbi.IOC_PUSH, descArg);
            if (r < 0) {
                throw Failures.slot("push on " + name, -r, ringId, i);
            }
            slot.setLengthFromRing(length);
        } finally {
            exit();
        }
    }

    @Override
    public Slot pop() {
        enter("pop on");
        try {
            Slot[] s = slots();
            int r = Libc.ioctl(fd, KernelAbi.IOC_POP, descArg);
            if (r < 0) {
                if (r == -Errno.EAGAIN) {
                    return null;
                }
                throw Failures.of("pop on " + name, -r, ringId);
            }
            Slot slot = slotAt(s, desc.get(ValueLayout.JAVA_INT, DESC_INDEX));
            slot.setLengthFromRing(desc.get(ValueLayout.JAVA_INT, DESC_LEN));
            return slot;
        } finally {
            exit();
        }
    }

    @Override
    public void release(Slot slot) {
        enter("release on");
        try {
            Slot[] s = slots();
            int i = own(s, slot, "release");
            desc.set(ValueLayout.JAVA_INT, DESC_INDEX, i);
            desc.set(ValueLayout.JAVA_INT, DESC_LEN, 0);
            int r = Libc.ioctl(fd, KernelAbi.IOC_RELEASE, descArg);
            if (r < 0) {
                throw Failures.slot("release on " + name, -r, ringId, i);
            }
        } finally {
            exit();
        }
    }

    @Override
    public SlotBatch newBatch(int capacity) {
        enter("make a batch on");
        try {
            if (capacity < 1 || capacity > batchMax) {
                throw new InvalidArgumentException("make a batch on " + name, 0, "capacity",
                        capacity + " is outside 1.." + batchMax);
            }
            return new SlotBatch(this, capacity, arena.allocate(DESC_SIZE * capacity, 8));
        } finally {
            exit();
        }
    }

    // Fills the rtpm_batch header; every reserved word is rewritten so none is ever non-zero.
    // The kernel reads or writes count descriptors at the batch's address, so they must fit in
    // its segment: SlotBatch's constructor is public and takes any segment.
    private void batchHeader(SlotBatch b, int count, int dropped, String op) {
        MemorySegment d = b.descriptors();
        if (d.byteSize() < DESC_SIZE * count) {
            throw new IllegalArgumentException(op + " on " + name + ": the batch's descriptors hold "
                    + d.byteSize() / DESC_SIZE + " entries, not " + count + ": make batches with newBatch");
        }
        rtpm_batch.ring_id(batch, ringId);
        rtpm_batch.count(batch, count);
        rtpm_batch.descs(batch, d.address());
        rtpm_batch.done(batch, 0);
        rtpm_batch.dropped(batch, dropped);
        batch.set(ValueLayout.JAVA_LONG, rtpm_batch.reserved$offset(), 0L);
    }

    private int batchDone(int count) {
        int done = rtpm_batch.done(batch);
        if (done < 0 || done > count) {
            throw new IllegalStateException(name + ": the module reported " + done + " of " + count
                    + " batch entries done");
        }
        return done;
    }

    // Turns the descriptors of a claim or pop result into the batch's slot views.
    private void collect(Slot[] s, SlotBatch b, int done, boolean withLength) {
        MemorySegment d = b.descriptors();
        for (int i = 0; i < done; i++) {
            long at = i * DESC_SIZE;
            Slot slot = slotAt(s, d.get(ValueLayout.JAVA_INT, at + DESC_INDEX));
            slot.setLengthFromRing(withLength ? d.get(ValueLayout.JAVA_INT, at + DESC_LEN) : 0);
            b.set(i, slot);
        }
        b.setSize(done);
        b.setDone(done);
    }

    @Override
    public int claim(SlotBatch b, int max, int dropped) {
        enter("claim batch on");
        try {
            int count = b.checkMax(this, max, "claim batch", name);
            if (dropped < 0) {
                throw new InvalidArgumentException("claim batch on " + name, 0, "dropped", "must be >= 0");
            }
            batchHeader(b, count, dropped, "claim batch");
            Slot[] s = slots();
            b.clear();
            int r = Libc.ioctl(fd, KernelAbi.IOC_CLAIM_BATCH, batchArg);
            int done = batchDone(count);
            collect(s, b, done, false);
            if (r < 0 && r != -Errno.ENOBUFS && !(r == -Errno.EPIPE && done > 0)) {
                throw Failures.of("claim batch on " + name, -r, ringId);
            }
            return done;
        } finally {
            exit();
        }
    }

    @Override
    public int pop(SlotBatch b, int max) {
        enter("pop batch on");
        try {
            int count = b.checkMax(this, max, "pop batch", name);
            batchHeader(b, count, 0, "pop batch");
            Slot[] s = slots();
            b.clear();
            int r = Libc.ioctl(fd, KernelAbi.IOC_POP_BATCH, batchArg);
            int done = batchDone(count);
            collect(s, b, done, true);
            if (r < 0 && r != -Errno.EAGAIN && !(r == -Errno.EPIPE && done > 0)) {
                throw Failures.of("pop batch on " + name, -r, ringId);
            }
            return done;
        } finally {
            exit();
        }
    }

    @Override
    public int push(SlotBatch b) {
        enter("push batch on");
        try {
            return handBack(b, KernelAbi.IOC_PUSH_BATCH, "push batch", true);
        } finally {
            exit();
        }
    }

    @Override
    public int release(SlotBatch b) {
        enter("release batch on");
        try {
            return handBack(b, KernelAbi.IOC_RELEASE_BATCH, "release batch", false);
        } finally {
            exit();
        }
    }

    // Push and release batches: write the descriptors from the slots, one ioctl, check done.
    private int handBack(SlotBatch b, long request, String op, boolean withLength) {
        b.checkOwner(this);
        int n = b.size();
        b.setDone(0);
        if (n == 0) {
            return 0;
        }
        batchHeader(b, n, 0, op);
        Slot[] s = slots();
        MemorySegment d = b.descriptors();
        for (int i = 0; i < n; i++) {
            Slot slot = b.get(i);
            long at = i * DESC_SIZE;
            d.set(ValueLayout.JAVA_INT, at + DESC_INDEX, own(s, slot, op));
            d.set(ValueLayout.JAVA_INT, at + DESC_LEN, withLength ? slot.length() : 0);
        }
        int r = Libc.ioctl(fd, request, batchArg);
        int done = batchDone(n);
        b.setDone(done);
        if (r < 0) {
            int failed = done < n ? b.get(done).index() : -1;
            throw Failures.slot(op + " on " + name + " (entry " + done + " of " + n + ")", -r, ringId, failed);
        }
        return n;
    }

    @Override
    public boolean awaitReadable(long timeout, TimeUnit unit) {
        return await(Libc.POLLIN, timeout, unit);
    }

    @Override
    public boolean awaitWritable(long timeout, TimeUnit unit) {
        return await(Libc.POLLOUT, timeout, unit);
    }

    private boolean await(short events, long timeout, TimeUnit unit) {
        enter("wait on");
        try {
            long deadline = System.nanoTime() + Math.max(0, unit.toNanos(timeout));
            pollfd.set(ValueLayout.JAVA_SHORT, 4, events);
            while (true) {
                long left = deadline - System.nanoTime();
                // Round up so a short timeout still sleeps instead of spinning on poll(0); at most
                // one slice, so a close() on another thread is seen soon.
                int ms = left <= 0 ? 0 : (int) Math.min(POLL_SLICE_MS, (left + 999_999) / 1_000_000);
                int r = Libc.poll(pollfdArg, 1, ms);
                if (r > 0) {
                    short rev = pollfd.get(ValueLayout.JAVA_SHORT, 6);
                    return (rev & (events | Libc.POLLHUP | Libc.POLLERR)) != 0;
                }
                if (r == 0) {
                    if (ms == 0) {
                        return false;
                    }
                    if (guard.isClosed()) {
                        throw guard.closed("wait on");
                    }
                    continue; // poll may wake a little early: re-check against the deadline
                }
                if (r != -Errno.EINTR) {
                    throw Failures.of("wait on " + name, -r, ringId);
                }
            }
        } finally {
            exit();
        }
    }

    @Override
    public RingStats stats() {
        enter("read the stats of");
        try {
            return KernelRingDevice.stats(fd, ringId);
        } finally {
            exit();
        }
    }

    /**
     * Ends the session. May run while another thread is in a call on this session: it waits for
     * that call to return (a wait within {@link #POLL_SLICE_MS}), then unmaps, frees and closes;
     * calls made after it throw {@link NotAttachedException}. Idempotent.
     */
    @Override
    public void close() {
        if (!guard.close()) {
            return;
        }
        slots = null;
        mapping = null;
        // munmap first (the arena's cleanup), then the file: the session ends with both.
        arena.close();
        Libc.close(fd);
    }

    @Override
    public String toString() {
        return "KernelRingSession[" + name + ", " + roles + "]";
    }
}
