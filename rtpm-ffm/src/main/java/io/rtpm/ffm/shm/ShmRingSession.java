package io.rtpm.ffm.shm;

import io.rtpm.ffm.Backend;
import io.rtpm.ffm.InvalidArgumentException;
import io.rtpm.ffm.RingLayout;
import io.rtpm.ffm.RingSession;
import io.rtpm.ffm.RingStats;
import io.rtpm.ffm.Role;
import io.rtpm.ffm.RtpmException;
import io.rtpm.ffm.Slot;
import io.rtpm.ffm.SlotBatch;
import io.rtpm.ffm.internal.CallGuard;
import io.rtpm.ffm.internal.Errno;
import io.rtpm.ffm.internal.Failures;
import io.rtpm.ffm.internal.SlotViews;

import java.lang.foreign.MemorySegment;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A session on a user-space ring: the {@link RingSession} contract over {@link ShmRing}, with the
 * same results and exception types as the kernel backend.
 *
 * <p>Hot path: slot views are made once, when the ring is first mapped; the batch calls go
 * through index/length arrays made with the session; nothing is allocated per packet.
 */
final class ShmRingSession implements RingSession {

    private final ShmRing ring;
    private final int ringId;
    private final Set<Role> roles;
    private final RingLayout layout;
    private final String name;
    private final boolean writer;
    /** Scratch for one batch call: slot indices and lengths (one thread uses a session). */
    private final int[] idx = new int[ShmRings.BATCH_MAX];
    private final int[] len = new int[ShmRings.BATCH_MAX];

    /** Calls in flight, and the close that waits for them (the kernel session's protocol). */
    private final CallGuard guard;
    private MemorySegment mapping;
    private Slot[] slots;

    ShmRingSession(ShmRing ring, int ringId, Set<Role> roles, RingLayout layout) {
        this.ring = ring;
        this.ringId = ringId;
        this.roles = Collections.unmodifiableSet(EnumSet.copyOf(roles));
        this.layout = layout;
        this.name = "ring " + ringId + " (user-space)";
        this.guard = new CallGuard(name, "the session ended: attach again with RingDevice.attach");
        this.writer = roles.contains(Role.PRODUCER) || roles.contains(Role.CONSUMER);
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
        return Backend.SHM;
    }

    @Override
    public RingLayout layout() {
        return layout;
    }

    @Override
    public MemorySegment map() {
        guard.enter("map");
        try {
            return mapLocked();
        } finally {
            guard.exit();
        }
    }

    // Only inside guard.enter()/exit().
    private MemorySegment mapLocked() {
        if (mapping != null) {
            return mapping;
        }
        MemorySegment m = ring.h.seg.asSlice(0, layout.mmapSize());
        Slot[] views = SlotViews.over(m, layout);
        ring.setMapped(true);
        slots = views;
        mapping = writer ? m : m.asReadOnly();
        return mapping;
    }

    // Only inside guard.enter()/exit().
    private Slot[] slots() {
        Slot[] s = slots;
        if (s == null) {
            mapLocked();
            s = slots;
        }
        return s;
    }

    /** @return the ring under this session (tests check its slot states) */
    ShmRing ring() {
        return ring;
    }

    /** @return this session's view of slot {@code index} (maps the ring if needed) */
    Slot slot(int index) {
        guard.enter("look up a slot on");
        try {
            return slots()[index];
        } finally {
            guard.exit();
        }
    }

    private int own(Slot[] s, Slot slot, String op) {
        return SlotViews.own(s, slot, op, name);
    }


    @Override
    public Slot claim() {
        guard.enter("claim on");
        try {
            Slot[] s = slots();
            long r = ring.claim(idx, 1, 0);
            if (ShmRing.done(r) == 1) {
                Slot slot = s[idx[0]];
                slot.setLengthFromRing(0);
                return slot;
            }
            if (ShmRing.errno(r) == Errno.ENOBUFS) {
                return null;
            }
            throw Failures.of("claim on " + name, ShmRing.errno(r), ringId);
        } finally {
            guard.exit();
        }
    }

    @Override
    public void push(Slot slot, int length) {
        guard.enter("push on");
        try {
            Slot[] s = slots();
            idx[0] = own(s, slot, "push");
            len[0] = length;
            long r = ring.push(idx, len, 1);
            if (ShmRing.done(r) != 1) {
                throw Failures.slot("push on " + name, ShmRing.errno(r), ringId, idx[0]);
            }
            slot.setLengthFromRing(length);
        } finally {
            guard.exit();
        }
    }

    @Override
    public Slot pop() {
        guard.enter("pop on");
        try {
            Slot[] s = slots();
            long r = ring.pop(idx, len, 1);
            if (ShmRing.done(r) == 1) {
                Slot slot = s[idx[0]];
                slot.setLengthFromRing(len[0]);
                return slot;
            }
            if (ShmRing.errno(r) == Errno.EAGAIN) {
                return null;
            }
            throw Failures.of("pop on " + name, ShmRing.errno(r), ringId);
        } finally {
            guard.exit();
        }
    }

    @Override
    public void release(Slot slot) {
        guard.enter("release on");
        try {
            Slot[] s = slots();
            idx[0] = own(s, slot, "release");
            long r = ring.release(idx, 1);
            if (ShmRing.done(r) != 1) {
                throw Failures.slot("release on " + name, ShmRing.errno(r), ringId, idx[0]);
            }
        } finally {
            guard.exit();
        }
    }

    @Override
    public SlotBatch newBatch(int capacity) {
        if (guard.isClosed()) {
            throw guard.closed("make a batch on");
        }
        if (capacity < 1 || capacity > ShmRings.BATCH_MAX) {
            throw new InvalidArgumentException("make a batch on " + name, 0, "capacity",
                    capacity + " is outside 1.." + ShmRings.BATCH_MAX);
        }
        return new SlotBatch(this, capacity, MemorySegment.NULL);
    }

    private void collect(Slot[] s, SlotBatch b, int done, boolean withLength) {
        for (int i = 0; i < done; i++) {
            Slot slot = s[idx[i]];
            slot.setLengthFromRing(withLength ? len[i] : 0);
            b.set(i, slot);
        }
        b.setSize(done);
        b.setDone(done);
    }

    @Override
    public int claim(SlotBatch b, int max, int dropped) {
        guard.enter("claim batch on");
        try {
            Slot[] s = slots();
            int count = b.checkMax(this, max, "claim batch", name);
            if (dropped < 0) {
                throw new InvalidArgumentException("claim batch on " + name, 0, "dropped", "must be >= 0");
            }
            b.clear();
            long r = ring.claim(idx, count, dropped);
            int done = ShmRing.done(r);
            int e = ShmRing.errno(r);
            collect(s, b, done, false);
            if (e != 0 && e != Errno.ENOBUFS && !(e == Errno.EPIPE && done > 0)) {
                throw Failures.of("claim batch on " + name, e, ringId);
            }
            return done;
        } finally {
            guard.exit();
        }
    }

    @Override
    public int pop(SlotBatch b, int max) {
        guard.enter("pop batch on");
        try {
            Slot[] s = slots();
            int count = b.checkMax(this, max, "pop batch", name);
            b.clear();
            long r = ring.pop(idx, len, count);
            int done = ShmRing.done(r);
            int e = ShmRing.errno(r);
            collect(s, b, done, true);
            if (e != 0 && e != Errno.EAGAIN && !(e == Errno.EPIPE && done > 0)) {
                throw Failures.of("pop batch on " + name, e, ringId);
            }
            return done;
        } finally {
            guard.exit();
        }
    }

    @Override
    public int push(SlotBatch b) {
        guard.enter("push batch on");
        try {
            return handBack(b, "push batch", true);
        } finally {
            guard.exit();
        }
    }

    @Override
    public int release(SlotBatch b) {
        guard.enter("release batch on");
        try {
            return handBack(b, "release batch", false);
        } finally {
            guard.exit();
        }
    }

    private int handBack(SlotBatch b, String op, boolean push) {
        Slot[] s = slots();
        b.checkOwner(this);
        int n = b.size();
        b.setDone(0);
        if (n == 0) {
            return 0;
        }
        for (int i = 0; i < n; i++) {
            Slot slot = b.get(i);
            idx[i] = own(s, slot, op);
            len[i] = push ? slot.length() : 0;
        }
        long r = push ? ring.push(idx, len, n) : ring.release(idx, n);
        int done = ShmRing.done(r);
        b.setDone(done);
        if (done != n) {
            int failed = b.get(done).index();
            throw Failures.slot(op + " on " + name + " (entry " + done + " of " + n + ")",
                    ShmRing.errno(r), ringId, failed);
        }
        return n;
    }

    @Override
    public boolean awaitReadable(long timeout, TimeUnit unit) {
        guard.enter("wait on");
        try {
            return ring.await(true, Math.max(0, unit.toNanos(timeout)), guard);
        } finally {
            guard.exit();
        }
    }

    @Override
    public boolean awaitWritable(long timeout, TimeUnit unit) {
        guard.enter("wait on");
        try {
            return ring.await(false, Math.max(0, unit.toNanos(timeout)), guard);
        } finally {
            guard.exit();
        }
    }

    @Override
    public RingStats stats() {
        guard.enter("read the stats of");
        try {
            return ring.stats(ringId);
        } finally {
            guard.exit();
        }
    }

    @Override
    public void close() {
        // waits for calls in flight: only then may the mapping go (a shared arena closed under
        // a native call throws IllegalStateException, and the fd and record lock would leak)
        if (!guard.close()) {
            return;
        }
        slots = null;
        mapping = null;
        try {
            ring.setMapped(false);
        } catch (RtpmException e) {
            // the session ends below whatever happened to the mapping count
        }
        ring.close();
    }

    @Override
    public String toString() {
        return "ShmRingSession[" + name + ", " + roles + "]";
    }
}
