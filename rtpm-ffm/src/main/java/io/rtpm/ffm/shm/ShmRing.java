package io.rtpm.ffm.shm;

import io.rtpm.ffm.RingStats;
import io.rtpm.ffm.abi.RtpMgrIoctl;
import io.rtpm.ffm.internal.CallGuard;
import io.rtpm.ffm.internal.Errno;
import io.rtpm.ffm.internal.Libc;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

import static io.rtpm.ffm.shm.ShmLayout.C_ABORTED;
import static io.rtpm.ffm.shm.ShmLayout.C_CONSUMER;
import static io.rtpm.ffm.shm.ShmLayout.C_EVENT_SEQ;
import static io.rtpm.ffm.shm.ShmLayout.C_FILLING;
import static io.rtpm.ffm.shm.ShmLayout.C_FLUSHED;
import static io.rtpm.ffm.shm.ShmLayout.C_FREE_HEAD;
import static io.rtpm.ffm.shm.ShmLayout.C_FREE_TAIL;
import static io.rtpm.ffm.shm.ShmLayout.C_HEAD_DROPS;
import static io.rtpm.ffm.shm.ShmLayout.C_INVALID;
import static io.rtpm.ffm.shm.ShmLayout.C_MAPPINGS;
import static io.rtpm.ffm.shm.ShmLayout.C_POP_FOUND;
import static io.rtpm.ffm.shm.ShmLayout.C_PRODUCER;
import static io.rtpm.ffm.shm.ShmLayout.C_READ_WAITERS;
import static io.rtpm.ffm.shm.ShmLayout.C_READY_HEAD;
import static io.rtpm.ffm.shm.ShmLayout.C_READY_TAIL;
import static io.rtpm.ffm.shm.ShmLayout.C_RECLAIMED;
import static io.rtpm.ffm.shm.ShmLayout.C_SESSIONS;
import static io.rtpm.ffm.shm.ShmLayout.C_UNDERRUNS;
import static io.rtpm.ffm.shm.ShmLayout.C_WRITE_WAITERS;
import static io.rtpm.ffm.shm.ShmLayout.H_BYTES_IN;
import static io.rtpm.ffm.shm.ShmLayout.H_BYTES_OUT;
import static io.rtpm.ffm.shm.ShmLayout.H_DROPS;
import static io.rtpm.ffm.shm.ShmLayout.H_DROP_POLICY;
import static io.rtpm.ffm.shm.ShmLayout.H_FLAGS;
import static io.rtpm.ffm.shm.ShmLayout.H_FREE;
import static io.rtpm.ffm.shm.ShmLayout.H_IN_FLIGHT;
import static io.rtpm.ffm.shm.ShmLayout.H_OVERRUNS;
import static io.rtpm.ffm.shm.ShmLayout.H_POPPED;
import static io.rtpm.ffm.shm.ShmLayout.H_PUSHED;
import static io.rtpm.ffm.shm.ShmLayout.H_READY;
import static io.rtpm.ffm.shm.ShmLayout.H_RELEASED;
import static io.rtpm.ffm.shm.ShmLayout.H_RTP_DUPLICATES;
import static io.rtpm.ffm.shm.ShmLayout.H_RTP_LOST;
import static io.rtpm.ffm.shm.ShmLayout.H_RTP_MAX_SEQ;
import static io.rtpm.ffm.shm.ShmLayout.H_RTP_NOT_RTP;
import static io.rtpm.ffm.shm.ShmLayout.H_RTP_REORDERS;
import static io.rtpm.ffm.shm.ShmLayout.H_RTP_RESETS;
import static io.rtpm.ffm.shm.ShmLayout.H_RTP_SSRC;
import static io.rtpm.ffm.shm.ShmLayout.H_STATE;
import static io.rtpm.ffm.shm.ShmLayout.M_FLAGS;
import static io.rtpm.ffm.shm.ShmLayout.M_LEN;
import static io.rtpm.ffm.shm.ShmLayout.M_PUSH_NS;
import static io.rtpm.ffm.shm.ShmLayout.M_RTP_SEQ;
import static io.rtpm.ffm.shm.ShmLayout.M_RTP_SSRC;
import static io.rtpm.ffm.shm.ShmLayout.M_RTP_TIMESTAMP;
import static io.rtpm.ffm.shm.ShmLayout.M_STATE;
import static io.rtpm.ffm.shm.ShmLayout.REC_ATTACHED;
import static io.rtpm.ffm.shm.ShmLayout.REC_FREE;
import static io.rtpm.ffm.shm.ShmLayout.REC_HANDLE;
import static io.rtpm.ffm.shm.ShmLayout.R_MAPPED;
import static io.rtpm.ffm.shm.ShmLayout.R_PID;
import static io.rtpm.ffm.shm.ShmLayout.R_ROLES;
import static io.rtpm.ffm.shm.ShmLayout.R_STATE;
import static io.rtpm.ffm.shm.ShmLayout.R_TOKEN;

/**
 * The module's ring rules ({@code rtpm_core_*} in kernel-module/rtp_mgr_ring.h, docs/ABI.md) over a
 * mapped ring file, for one handle (one session record) of one process.
 *
 * <p>Every call takes the ring lock, changes ring state only through the {@link Journal} and
 * commits once per step: a data call's chunk of up to {@link #CHUNK} slot transitions (one step
 * for the relay's batches), each slot of a session's end or a flush. A process killed anywhere
 * leaves either the state before or the state after each step; the next lock holder rolls back an
 * unfinished one. What the
 * kernel does in its file release (freeing a dead session's slots and roles) is done here by
 * whoever next notices that the session's record lock is gone: attach, stats, start/stop, a claim
 * that finds the ring full, or a wait that times out ({@link #reapDead()}).
 *
 * <p>Data calls return {@code -errno} or a result, never throw and allocate nothing. Thread
 * model: one thread per role (the API's), so the producer and consumer threads of a session
 * holding both roles may call concurrently; the lock serialises them.
 */
final class ShmRing implements AutoCloseable {

    static final int SLOT_FREE = RtpMgrIoctl.RTPM_SLOT_FREE();
    static final int SLOT_FILLING = RtpMgrIoctl.RTPM_SLOT_FILLING();
    static final int SLOT_READY = RtpMgrIoctl.RTPM_SLOT_READY();
    static final int SLOT_CONSUMED = RtpMgrIoctl.RTPM_SLOT_CONSUMED();
    static final int ROLE_PRODUCER = RtpMgrIoctl.RTPM_ROLE_PRODUCER();
    static final int ROLE_CONSUMER = RtpMgrIoctl.RTPM_ROLE_CONSUMER();
    static final int STATE_RUNNING = RtpMgrIoctl.RTPM_STATE_RUNNING();
    static final int DROP_HEAD = RtpMgrIoctl.RTPM_DROP_HEAD();
    static final int CFG_NO_RTP_TRACKING = RtpMgrIoctl.RTPM_CFG_NO_RTP_TRACKING();

    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    /** Longest single futex sleep of a waiter: how often a waiter looks for dead sessions. */
    private static final long WAIT_SLICE_NANOS = 100_000_000L;
    private static final int WAIT_SPINS = 32;
    private static final ThreadLocal<MemorySegment> TIMESPEC =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(Libc.TIMESPEC));

    final ShmHandle h;
    final ShmGeometry geo;
    private final MemorySegment seg;
    private final Journal j;
    /**
     * When a claim on a full ring may look for dead sessions again: each look is one
     * F_OFD_GETLK per live record, too many syscalls for every claim of a relay whose consumer
     * is merely slow. A session is used by one thread at a time: a plain field.
     */
    private long nextReapNanos = System.nanoTime();
    /** How often at most a claim on a full ring looks for dead sessions. */
    static final long REAP_INTERVAL_NANOS = 10_000_000L;
    private final RtpTracker rtp;
    private final MemorySegment eventWord;
    private final long control;
    private final int mask;
    private final int recordBit1;
    private final long waiterBit;
    /** This handle's roles while attached (also in its record, for others to see). */
    private volatile int roles;

    /**
     * Adopts a freshly opened handle: frees what a dead earlier owner of its record left, then
     * marks the record as an unattached handle.
     */
    ShmRing(ShmHandle handle) {
        this.h = handle;
        this.geo = handle.geo;
        this.seg = handle.seg;
        this.j = handle.journal;
        this.control = geo.control();
        this.rtp = new RtpTracker(seg, control, j);
        this.eventWord = seg.asSlice(geo.c(C_EVENT_SEQ), 4);
        this.mask = geo.slotCount() - 1;
        this.recordBit1 = handle.record + 1;
        this.waiterBit = 1L << handle.record;
        lock();
        try {
            endRecord(handle.record, REC_FREE);
            j.put32(h.rec(h.record, R_TOKEN), h.token);
            j.put32(h.rec(h.record, R_PID), Libc.getpid());
            j.put32(h.rec(h.record, R_STATE), REC_HANDLE);
        } catch (RuntimeException | Error e) {
            abort();
            throw e;
        } finally {
            unlock();
        }
    }

    // ---- plumbing -------------------------------------------------------------------------

    private int i32(long abs) {
        return (int) INT.get(seg, abs);
    }

    private long i64(long abs) {
        return (long) LONG.get(seg, abs);
    }

    private int c32(long f) {
        return (int) INT.get(seg, control + f);
    }

    private void lock() {
        if (h.lock.lock(h.token, h)) {
            j.rollback();
            LONG.setRelease(seg, control + ShmLayout.C_RECOVERIES, i64(control + ShmLayout.C_RECOVERIES) + 1);
        }
    }

    /** @return how many times a dead lock holder's unfinished step was rolled back */
    long recoveries() {
        return (long) LONG.getVolatile(seg, control + ShmLayout.C_RECOVERIES);
    }

    /** A step failed half-way in this process: undo it, as a dead holder's would be. */
    private void abort() {
        j.rollback();
    }

    private void unlock() {
        j.commit();
        h.lock.unlock();
    }

    /** After unlocking: wakes sleepers on the event word if any wait for this kind of change. */
    private void wake(long waitersField) {
        // the unlock's getAndSet is the full fence that pairs with the waiter's bit set (B)
        if ((long) LONG.getVolatile(seg, control + waitersField) != 0) {
            INT.getAndAdd(seg, control + C_EVENT_SEQ, 1);
            Libc.futexWake(eventWord, Integer.MAX_VALUE);
        }
    }

    private void wakeAll() {
        if ((long) LONG.getVolatile(seg, control + C_READ_WAITERS) != 0
                || (long) LONG.getVolatile(seg, control + C_WRITE_WAITERS) != 0) {
            INT.getAndAdd(seg, control + C_EVENT_SEQ, 1);
            Libc.futexWake(eventWord, Integer.MAX_VALUE);
        }
    }

    private long slotWordAt(int index) {
        return geo.slotWords() + 8L * index;
    }

    private int slotState(int index) {
        return ShmLayout.slotState(i64(slotWordAt(index)));
    }

    private int slotLen(int index) {
        return ShmLayout.slotLen(i64(slotWordAt(index)));
    }

    /** {@code rtpm_core_set_state}: the authoritative word, then its mirror in the meta line. */
    private void setState(int index, int state, int len) {
        long meta = geo.slot(index);
        j.put64(slotWordAt(index), ShmLayout.slotWord(len, state));
        j.put32(meta + M_LEN, len);
        j.put32(meta + M_STATE, state);
    }

    private int fifoLen(long headField, long tailField) {
        return c32(tailField) - c32(headField);
    }

    private int fifoOut(long base, long headField) {
        int head = c32(headField);
        int index = i32(base + 4L * (head & mask));
        j.put32(control + headField, head + 1);
        return index;
    }

    private void fifoIn(long base, long tailField, int index) {
        int tail = c32(tailField);
        j.put32(base + 4L * (tail & mask), index);
        j.put32(control + tailField, tail + 1);
    }

    /** {@code rtpm_core_to_free}, plus the FREE gauge the header shows. */
    private void toFree(int index) {
        setState(index, SLOT_FREE, 0);
        fifoIn(geo.freeFifo(), C_FREE_TAIL, index);
        j.add32(H_FREE, 1);
    }

    private void countInvalid() {
        j.add64(control + C_INVALID, 1);
    }

    private boolean running() {
        return (i32(H_STATE) & STATE_RUNNING) != 0;
    }

    // ---- sessions -------------------------------------------------------------------------

    /**
     * Ends what record {@code rec} holds (as the module's release() does for a session): its
     * FILLING slots are aborted when it was the producer, its CONSUMED slots reclaimed when it
     * was the consumer, its roles, mapping and waiter bits dropped. One commit per slot. Caller
     * holds the lock.
     */
    private void endRecord(int rec, int newState) {
        int state = i32(h.rec(rec, R_STATE));
        if (state == REC_ATTACHED) {
            int r = i32(h.rec(rec, R_ROLES));
            boolean producer = (r & ROLE_PRODUCER) != 0;
            boolean consumer = (r & ROLE_CONSUMER) != 0;
            for (int i = 0; i < geo.slotCount() && (producer || consumer); i++) {
                int s = slotState(i);
                if (s == SLOT_FILLING && producer) {
                    j.add32(control + C_FILLING, -1);
                    j.add64(control + C_ABORTED, 1);
                } else if (s == SLOT_CONSUMED && consumer) {
                    j.add32(H_IN_FLIGHT, -1);
                    j.add64(control + C_RECLAIMED, 1);
                } else {
                    continue;
                }
                toFree(i);
                j.commit();
            }
            if (c32(C_PRODUCER) == rec + 1) {
                j.put32(control + C_PRODUCER, 0);
            }
            if (c32(C_CONSUMER) == rec + 1) {
                j.put32(control + C_CONSUMER, 0);
            }
            j.add32(control + C_SESSIONS, -1);
            j.put32(h.rec(rec, R_ROLES), 0);
        }
        if (i32(h.rec(rec, R_MAPPED)) != 0) {
            j.add32(control + C_MAPPINGS, -1);
            j.put32(h.rec(rec, R_MAPPED), 0);
        }
        // waiters change their bits atomically without the lock: never through the journal
        long bit = ~(1L << rec);
        LONG.getAndBitwiseAnd(seg, control + C_READ_WAITERS, bit);
        LONG.getAndBitwiseAnd(seg, control + C_WRITE_WAITERS, bit);
        if (state != REC_FREE || newState != REC_FREE) {
            j.put32(h.rec(rec, R_STATE), newState);
        }
        j.commit();
    }

    /**
     * Frees what sessions that died left behind: every record in use whose lock byte nobody
     * holds. Checked again under the ring lock, so a record being taken meanwhile is left alone.
     *
     * @return how many dead records were cleaned
     */
    int reapDead() {
        int n = 0;
        for (int rec = 0; rec < ShmLayout.RECORD_COUNT; rec++) {
            if (rec == h.record || i32(h.rec(rec, R_STATE)) == REC_FREE || h.recordHeld(rec)) {
                continue;
            }
            lock();
            try {
                if (i32(h.rec(rec, R_STATE)) != REC_FREE && !h.recordHeld(rec)) {
                    endRecord(rec, REC_FREE);
                    n++;
                }
            } catch (RuntimeException | Error e) {
                abort();
                throw e;
            } finally {
                unlock();
            }
        }
        if (n > 0) {
            wakeAll();
        }
        return n;
    }

    /**
     * {@code RTPM_IOC_ATTACH} after the ring id and ABI checks: re-attach detaches first; a role
     * held by a live session gives EBUSY.
     *
     * @param newRoles RTPM_ROLE_* bits, validated by the caller
     * @return 0 or -EBUSY
     */
    int attach(int newRoles) {
        reapDead();
        lock();
        try {
            if (roles != 0) {
                endRecord(h.record, REC_HANDLE);
                roles = 0;
            }
            if (((newRoles & ROLE_PRODUCER) != 0 && c32(C_PRODUCER) != 0)
                    || ((newRoles & ROLE_CONSUMER) != 0 && c32(C_CONSUMER) != 0)) {
                return -Errno.EBUSY;
            }
            if ((newRoles & ROLE_PRODUCER) != 0) {
                j.put32(control + C_PRODUCER, recordBit1);
            }
            if ((newRoles & ROLE_CONSUMER) != 0) {
                j.put32(control + C_CONSUMER, recordBit1);
            }
            j.put32(h.rec(h.record, R_ROLES), newRoles);
            j.add32(control + C_SESSIONS, 1);
            j.put32(h.rec(h.record, R_STATE), REC_ATTACHED);
            roles = newRoles;
            return 0;
        } catch (RuntimeException | Error e) {
            abort();
            throw e;
        } finally {
            unlock();
        }
    }

    /** @return a description of who holds the roles in {@code wanted}, for an EBUSY message */
    String roleHolders(int wanted) {
        StringBuilder sb = new StringBuilder();
        for (int pass = 0; pass < 2; pass++) {
            int bit = pass == 0 ? ROLE_PRODUCER : ROLE_CONSUMER;
            int holder = c32(pass == 0 ? C_PRODUCER : C_CONSUMER);
            if ((wanted & bit) != 0 && holder != 0) {
                sb.append(sb.isEmpty() ? "" : ", ").append(pass == 0 ? "PRODUCER" : "CONSUMER")
                        .append(" is held by process ").append(i32(h.rec(holder - 1, R_PID)));
            }
        }
        return sb.toString();
    }

    /** Counts this handle's mapping (as the module counts live mmaps). */
    void setMapped(boolean mapped) {
        lock();
        try {
            int was = i32(h.rec(h.record, R_MAPPED));
            if (mapped && was == 0) {
                j.put32(h.rec(h.record, R_MAPPED), 1);
                j.add32(control + C_MAPPINGS, 1);
            } else if (!mapped && was != 0) {
                j.put32(h.rec(h.record, R_MAPPED), 0);
                j.add32(control + C_MAPPINGS, -1);
            }
        } catch (RuntimeException | Error e) {
            abort();
            throw e;
        } finally {
            unlock();
        }
    }

    /** Ends the session (if attached) and closes the handle: the module's release(). */
    @Override
    public void close() {
        lock();
        try {
            endRecord(h.record, REC_FREE);
            roles = 0;
        } catch (RuntimeException | Error e) {
            abort();
            throw e;
        } finally {
            unlock();
        }
        wakeAll();
        h.close();
    }

    // ---- ring-addressed commands ----------------------------------------------------------

    /** {@code rtpm_core_start}: a stopped ring flushes its READY slots first. Idempotent. */
    void start() {
        reapDead();
        lock();
        try {
            if (!running()) {
                while (fifoLen(C_READY_HEAD, C_READY_TAIL) != 0) {
                    toFree(fifoOut(geo.readyFifo(), C_READY_HEAD));
                    j.add32(H_READY, -1);
                    j.add64(control + C_FLUSHED, 1);
                    j.commit();
                }
                j.put32(H_STATE, STATE_RUNNING);
            }
        } catch (RuntimeException | Error e) {
            abort();
            throw e;
        } finally {
            unlock();
        }
        wakeAll();
    }

    /** {@code rtpm_core_stop}. Idempotent. */
    void stop() {
        reapDead();
        lock();
        try {
            j.put32(H_STATE, 0);
        } catch (RuntimeException | Error e) {
            abort();
            throw e;
        } finally {
            unlock();
        }
        wakeAll();
    }

    /** {@code rtpm_core_reset_stats}: counters to zero, then pushed/popped so the invariants hold. */
    void resetStats() {
        reapDead();
        lock();
        try {
            for (long f : new long[] {H_PUSHED, H_BYTES_IN, H_DROPS, H_OVERRUNS, H_POPPED,
                    H_RELEASED, H_BYTES_OUT, H_RTP_LOST, H_RTP_DUPLICATES, H_RTP_REORDERS,
                    H_RTP_RESETS, H_RTP_NOT_RTP}) {
                j.put64(f, 0);
            }
            for (long f : new long[] {C_HEAD_DROPS, C_FLUSHED, C_RECLAIMED, C_ABORTED, C_UNDERRUNS,
                    C_INVALID}) {
                j.put64(control + f, 0);
            }
            int ready = fifoLen(C_READY_HEAD, C_READY_TAIL);
            int inFlight = i32(H_IN_FLIGHT);
            j.put64(H_PUSHED, (long) ready + inFlight);
            j.put64(H_POPPED, inFlight);
        } catch (RuntimeException | Error e) {
            abort();
            throw e;
        } finally {
            unlock();
        }
    }

    /**
     * {@code RTPM_IOC_GET_STATS}: one snapshot under the lock, after reaping dead sessions.
     *
     * @param ringId the ring id to report
     * @return the snapshot
     */
    RingStats stats(int ringId) {
        reapDead();
        long[] v = new long[STATS_WORDS];
        snapshot(v);
        // built after the unlock: an allocation under the cross-process lock could wait for this
        // JVM's GC, and a relay in another process would wait with it
        int w = 0;
        return new RingStats(ringId, v[w++] != 0, true, geo.slotCount(), v[w++], v[w++], v[w++],
                v[w++], v[w++], v[w++], v[w++], v[w++], v[w++], v[w++], v[w++], v[w++], v[w++], v[w++],
                v[w++], v[w++], v[w++], v[w++], (int) v[w++], (int) v[w++], (int) v[w++], (int) v[w++],
                (int) v[w++], (int) v[w++], (int) v[w++], (int) v[w++]);
    }

    /** Words {@link #snapshot} copies: running, 18 counters, 4 gauges, SSRC, max seq, sessions, mappings. */
    static final int STATS_WORDS = 27;

    /**
     * Copies the stats words into {@code v} ({@link #STATS_WORDS} of them, in RingStats' order)
     * under the ring lock, allocating nothing while it holds it.
     */
    void snapshot(long[] v) {
        lock();
        try {
            int w = 0;
            v[w++] = running() ? 1 : 0;
            v[w++] = i64(H_PUSHED);
            v[w++] = i64(H_POPPED);
            v[w++] = i64(H_RELEASED);
            v[w++] = i64(H_BYTES_IN);
            v[w++] = i64(H_BYTES_OUT);
            v[w++] = i64(H_OVERRUNS);
            v[w++] = i64(H_DROPS);
            v[w++] = i64(control + C_HEAD_DROPS);
            v[w++] = i64(control + C_FLUSHED);
            v[w++] = i64(control + C_RECLAIMED);
            v[w++] = i64(control + C_ABORTED);
            v[w++] = i64(control + C_UNDERRUNS);
            v[w++] = i64(H_RTP_LOST);
            v[w++] = i64(H_RTP_DUPLICATES);
            v[w++] = i64(H_RTP_REORDERS);
            v[w++] = i64(H_RTP_RESETS);
            v[w++] = i64(H_RTP_NOT_RTP);
            v[w++] = i64(control + C_INVALID);
            v[w++] = i32(H_FREE);
            v[w++] = c32(C_FILLING);
            v[w++] = i32(H_READY);
            v[w++] = i32(H_IN_FLIGHT);
            v[w++] = i32(H_RTP_SSRC);
            v[w++] = i32(H_RTP_MAX_SEQ);
            v[w++] = c32(C_SESSIONS);
            v[w] = c32(C_MAPPINGS);
        } catch (RuntimeException | Error e) {
            abort();
            throw e;
        } finally {
            unlock();
        }
    }

    /**
     * Checks what the stats cannot show: each slot's state against the FIFOs and gauges (like
     * {@code rtpm_core_check}). For tests.
     *
     * @return null when consistent, else what disagrees
     */
    String checkStates() {
        lock();
        try {
            int[] count = new int[4];
            for (int i = 0; i < geo.slotCount(); i++) {
                int s = slotState(i);
                if (s > SLOT_CONSUMED) {
                    return "slot " + i + " has state " + s;
                }
                if (i32(geo.slot(i) + M_STATE) != s) {
                    return "slot " + i + " mirror state " + i32(geo.slot(i) + M_STATE) + " != " + s;
                }
                count[s]++;
            }
            int nfree = fifoLen(C_FREE_HEAD, C_FREE_TAIL);
            int nready = fifoLen(C_READY_HEAD, C_READY_TAIL);
            if (count[SLOT_FREE] != nfree || nfree != i32(H_FREE) || count[SLOT_READY] != nready
                    || nready != i32(H_READY) || count[SLOT_FILLING] != c32(C_FILLING)
                    || count[SLOT_CONSUMED] != i32(H_IN_FLIGHT)) {
                return "states free/filling/ready/consumed " + count[0] + "/" + count[1] + "/"
                        + count[2] + "/" + count[3] + " vs FIFOs " + nfree + "/" + nready
                        + " and gauges " + i32(H_FREE) + "/" + c32(C_FILLING) + "/" + i32(H_READY)
                        + "/" + i32(H_IN_FLIGHT);
            }
            for (int k = 0; k < nfree; k++) {
                int idx = i32(geo.freeFifo() + 4L * ((c32(C_FREE_HEAD) + k) & mask));
                if (slotState(idx) != SLOT_FREE) {
                    return "FREE FIFO holds slot " + idx + " in state " + slotState(idx);
                }
            }
            for (int k = 0; k < nready; k++) {
                int idx = i32(geo.readyFifo() + 4L * ((c32(C_READY_HEAD) + k) & mask));
                if (slotState(idx) != SLOT_READY) {
                    return "READY FIFO holds slot " + idx + " in state " + slotState(idx);
                }
            }
            return null;
        } catch (RuntimeException | Error e) {
            abort();
            throw e;
        } finally {
            unlock();
        }
    }

    // ---- data path ------------------------------------------------------------------------
    //
    // One commit per chunk of up to CHUNK entries, not per slot transition: each entry journals
    // only its slot word (the mirror in the meta line is re-derived by a rollback, see Journal),
    // the FIFO positions, gauges and counters live in locals and are stored once per chunk, the
    // RTP tracker's state once per chunk too, and a pushed slot's meta line and a FIFO entry
    // beyond the tail are stored without an entry: nobody reads them before the slot word or the
    // FIFO position that publishes them, and a rollback un-publishes them. A holder killed in a
    // chunk leaves the ring as it was before the chunk (before the whole call, for a batch of up
    // to CHUNK slots, which the relay's are). The outcome of a call that completes is the same as
    // with a commit per slot: entries run in order up to the first failure.

    /**
     * Entries one commit covers at most. One journal entry per entry, plus the chunk's FIFO
     * positions, gauges and counters (push: 6 and the RTP tracker's 13, the most of the four
     * operations), must fit the journal.
     */
    static final int CHUNK = 64;
    private static final int CHUNK_WORDS = 6 + RtpTracker.FLUSH_WORDS;

    static {
        if (CHUNK + CHUNK_WORDS > ShmLayout.JOURNAL_CAPACITY) {
            throw new AssertionError("a ring chunk would overflow the journal");
        }
    }

    private long slotWordOf(int index) {
        return i64(slotWordAt(index));
    }

    /**
     * A slot transition inside a chunk: the slot word through the journal, then its mirror as
     * plain stores (a rollback re-derives the mirror from the word it restores).
     */
    private void moveSlot(long meta, int index, int state, int len) {
        j.put64(slotWordAt(index), ShmLayout.slotWord(len, state));
        INT.setRelease(seg, meta + M_LEN, len);
        INT.setRelease(seg, meta + M_STATE, state);
    }

    private static final ValueLayout.OfShort BE_SHORT =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt BE_INT =
            ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN);

    /** Packs a batch outcome: entries done, and the errno of the entry that failed (0: none). */
    static long batchResult(int done, int errno) {
        return ((long) done << 32) | (errno & 0xffffffffL);
    }

    static int done(long result) {
        return (int) (result >>> 32);
    }

    static int errno(long result) {
        return (int) result;
    }

    /**
     * A claim would fail for want of a slot: free a dead consumer's slots first, as the module
     * would have done when it died; at most every {@link #REAP_INTERVAL_NANOS} (a wait that
     * times out reaps too).
     */
    private void reapIfFull() {
        if (i32(H_FREE) == 0) {
            long now = System.nanoTime();
            if (now - nextReapNanos >= 0) {
                nextReapNanos = now + REAP_INTERVAL_NANOS;
                reapDead();
            }
        }
    }

    private static final int OP_CLAIM = 0;
    private static final int OP_PUSH = 1;
    private static final int OP_POP = 2;
    private static final int OP_RELEASE = 3;

    /**
     * CLAIM_BATCH: claims up to {@code count} slots, writing their indices to {@code index}.
     *
     * @param dropped packets the producer discarded since its last claim (counted as drops)
     * @return {@link #batchResult}
     */
    long claim(int[] index, int count, int dropped) {
        return run(OP_CLAIM, index, null, count, dropped);
    }

    /** PUSH_BATCH: pushes {@code count} FILLING slots with their lengths. */
    long push(int[] index, int[] len, int count) {
        return run(OP_PUSH, index, len, count, 0);
    }

    /** POP_BATCH: pops what is READY, up to {@code count}, into {@code index} and {@code len}. */
    long pop(int[] index, int[] len, int count) {
        return run(OP_POP, index, len, count, 0);
    }

    /** RELEASE_BATCH: frees CONSUMED slots (consumer) or aborts FILLING ones (producer). */
    long release(int[] index, int count) {
        return run(OP_RELEASE, index, null, count, 0);
    }

    /**
     * One batch under one hold of the lock, as the module's {@code rtpm_data_run} and
     * {@code rtpm_batch_chunk}: the role check (EPERM counts as invalid), the producer's reported
     * drops, then the entries in order up to the first failure, one commit per chunk. A pop batch
     * ends without error once something was popped and the ring is empty.
     *
     * @param count 1 .. RTPM_BATCH_MAX, checked by the caller
     * @return {@link #batchResult}
     */
    private long run(int op, int[] index, int[] len, int count, int dropped) {
        int r = roles;
        if (r == 0) {
            return batchResult(0, Errno.ENOTCONN);
        }
        if (op == OP_CLAIM) {
            reapIfFull();
        }
        int need = op == OP_CLAIM || op == OP_PUSH ? ROLE_PRODUCER : op == OP_POP ? ROLE_CONSUMER : 0;
        long now = op == OP_PUSH ? System.nanoTime() : 0;
        long result;
        lock();
        try {
            if (need != 0 && (r & need) == 0) {
                countInvalid();
                return batchResult(0, Errno.EPERM);
            }
            if (dropped != 0) {
                j.add64(H_DROPS, dropped & 0xffffffffL);
                j.commit();
            }
            // one loop per operation, each its own method: one shared loop over all four had
            // mixed branch profiles, and C2 threw its compilation away on a failed loop
            // predicate (profile_predicate) four times under a relay's first traffic
            result = switch (op) {
                case OP_CLAIM -> claimSteps(index, count);
                case OP_PUSH -> pushSteps(index, len, count, now);
                case OP_POP -> popSteps(index, len, count);
                default -> releaseSteps(index, count, r);
            };
        } catch (RuntimeException | Error e) {
            abort();
            throw e;
        } finally {
            unlock();
        }
        // as the module: pollers wake when slots became READY or FREE
        if (done(result) > 0 && op == OP_PUSH) {
            wake(C_READ_WAITERS);
        } else if (done(result) > 0 && op == OP_RELEASE) {
            wake(C_WRITE_WAITERS);
        }
        return result;
    }

    /**
     * {@code rtpm_core_claim} for up to {@code count} slots into {@code index}: from the FREE FIFO,
     * or with DROP_HEAD from the READY FIFO's head when none is free; caller holds the lock.
     */
    private long claimSteps(int[] index, int count) {
        if (!running()) {
            return batchResult(0, Errno.EPIPE);
        }
        final long freeFifo = geo.freeFifo();
        final long readyFifo = geo.readyFifo();
        final boolean dropHead = i32(H_DROP_POLICY) == DROP_HEAD;
        final int freeTail = c32(C_FREE_TAIL);
        final int readyTail = c32(C_READY_TAIL);
        int freeHead = c32(C_FREE_HEAD);
        int readyHead = c32(C_READY_HEAD);
        int free = i32(H_FREE);
        int ready = i32(H_READY);
        int filling = c32(C_FILLING);
        long overruns = i64(H_OVERRUNS);
        long drops = i64(H_DROPS);
        long headDrops = i64(control + C_HEAD_DROPS);
        int done = 0;
        int err = 0;
        while (true) {
            int end = Math.min(count, done + CHUNK);
            for (; done < end; done++) {
                int i;
                if (freeHead != freeTail) {
                    i = i32(freeFifo + 4L * (freeHead++ & mask));
                    free--;
                } else {
                    overruns++;
                    if (!dropHead || readyHead == readyTail) {
                        err = Errno.ENOBUFS;
                        break;
                    }
                    // a READY slot is the ring's until pop hands it over, and pop takes this lock
                    i = i32(readyFifo + 4L * (readyHead++ & mask));
                    ready--;
                    headDrops++;
                    drops++;
                }
                moveSlot(geo.slot(i), i, SLOT_FILLING, 0);
                filling++;
                index[done] = i;
            }
            j.put32(control + C_FREE_HEAD, freeHead);
            j.put32(H_FREE, free);
            j.put32(control + C_READY_HEAD, readyHead);
            j.put32(H_READY, ready);
            j.put32(control + C_FILLING, filling);
            j.put64(H_OVERRUNS, overruns);
            j.put64(H_DROPS, drops);
            j.put64(control + C_HEAD_DROPS, headDrops);
            j.commit();
            if (err != 0 || done == count) {
                return batchResult(done, err);
            }
        }
    }

    /**
     * {@code rtpm_core_push} for {@code count} FILLING slots: RTP tracking, the meta line, READY
     * at the FIFO's tail; caller holds the lock.
     */
    private long pushSteps(int[] index, int[] len, int count, long now) {
        if (!running()) {
            return batchResult(0, Errno.EPIPE);
        }
        final boolean track = (i32(ShmLayout.H_FLAGS) & CFG_NO_RTP_TRACKING) == 0;
        final long readyFifo = geo.readyFifo();
        final int slots = geo.slotCount();
        final int maxPayload = geo.maxPayload();
        int readyTail = c32(C_READY_TAIL);
        int ready = i32(H_READY);
        int filling = c32(C_FILLING);
        long pushed = i64(H_PUSHED);
        long bytesIn = i64(H_BYTES_IN);
        if (track) {
            rtp.begin();
        }
        int done = 0;
        int err = 0;
        while (true) {
            int end = Math.min(count, done + CHUNK);
            for (; done < end; done++) {
                int index1 = index[done];
                int n = len[done];
                if (index1 < 0 || index1 >= slots) {
                    err = Errno.ERANGE;
                } else if (ShmLayout.slotState(slotWordOf(index1)) != SLOT_FILLING) {
                    err = Errno.EBADSLT;
                } else if (n < 0 || n > maxPayload) {
                    err = Errno.EMSGSIZE;
                }
                if (err != 0) {
                    countInvalid();
                    break;
                }
                long meta = geo.slot(index1);
                if (track) {
                    trackInto(meta, n);
                } else {
                    writeMeta(meta, 0, 0, 0, 0);
                }
                LONG.setRelease(seg, meta + M_PUSH_NS, now);
                moveSlot(meta, index1, SLOT_READY, n);
                // beyond the tail until the tail moves: no journal entry needed
                INT.setRelease(seg, readyFifo + 4L * (readyTail++ & mask), index1);
                ready++;
                filling--;
                pushed++;
                bytesIn += n;
            }
            j.put32(control + C_READY_TAIL, readyTail);
            j.put32(H_READY, ready);
            j.put32(control + C_FILLING, filling);
            j.put64(H_PUSHED, pushed);
            j.put64(H_BYTES_IN, bytesIn);
            if (track) {
                rtp.flush();
            }
            j.commit();
            if (err != 0 || done == count) {
                return batchResult(done, err);
            }
        }
    }

    /** Tracks a FILLING slot's packet and writes what it found to the slot's meta line. */
    private void trackInto(long meta, int len) {
        // read once: the producer may rewrite the payload meanwhile
        long p = meta + ShmLayout.META_SIZE;
        int b0 = len > 0 ? seg.get(ValueLayout.JAVA_BYTE, p) & 0xff : 0;
        int b1 = len > 1 ? seg.get(ValueLayout.JAVA_BYTE, p + 1) & 0xff : 0;
        int seq = 0;
        int pts = 0;
        int pssrc = 0;
        if (len >= 12) {
            seq = Short.toUnsignedInt(seg.get(BE_SHORT, p + 2));
            pts = seg.get(BE_INT, p + 4);
            pssrc = seg.get(BE_INT, p + 8);
        }
        rtp.track(len, b0, b1, seq, pts, pssrc);
        writeMeta(meta, rtp.extSeq, rtp.timestamp, rtp.ssrc, rtp.flags);
    }

    /**
     * A FILLING slot's meta line, as plain stores: the slot is its producer's until the slot word
     * makes it READY, like its payload, so what a rollback leaves here is never read.
     */
    private void writeMeta(long meta, int extSeq, int ts, int ssrc, int flags) {
        INT.set(seg, meta + M_RTP_SEQ, extSeq);
        INT.set(seg, meta + M_RTP_TIMESTAMP, ts);
        INT.set(seg, meta + M_RTP_SSRC, ssrc);
        INT.set(seg, meta + M_FLAGS, flags);
    }

    /**
     * {@code rtpm_core_pop} for up to {@code count} slots, stopping without error at an empty ring
     * once one was popped; caller holds the lock. An empty ring at the first entry counts an
     * underrun when the last pop had found something.
     */
    private long popSteps(int[] index, int[] len, int count) {
        final long readyFifo = geo.readyFifo();
        final int readyTail = c32(C_READY_TAIL);
        int readyHead = c32(C_READY_HEAD);
        int ready = i32(H_READY);
        int inFlight = i32(H_IN_FLIGHT);
        long popped = i64(H_POPPED);
        long bytesOut = i64(H_BYTES_OUT);
        int done = 0;
        int err = 0;
        while (true) {
            int end = Math.min(count, done + CHUNK);
            for (; done < end; done++) {
                if (readyHead == readyTail) {
                    if (done == 0) {
                        if (c32(C_POP_FOUND) != 0) {
                            j.add64(control + C_UNDERRUNS, 1);
                        }
                        j.put32(control + C_POP_FOUND, 0);
                        err = running() ? Errno.EAGAIN : Errno.EPIPE;
                    }
                    break;
                }
                int i = i32(readyFifo + 4L * (readyHead++ & mask));
                ready--;
                int n = ShmLayout.slotLen(slotWordOf(i));
                moveSlot(geo.slot(i), i, SLOT_CONSUMED, n);
                inFlight++;
                popped++;
                bytesOut += n;
                index[done] = i;
                len[done] = n;
            }
            j.put32(control + C_READY_HEAD, readyHead);
            j.put32(H_READY, ready);
            j.put32(H_IN_FLIGHT, inFlight);
            j.put64(H_POPPED, popped);
            j.put64(H_BYTES_OUT, bytesOut);
            if (done > 0) {
                j.put32(control + C_POP_FOUND, 1);
            }
            j.commit();
            if (err != 0 || done < end || done == count) {
                return batchResult(done, err);
            }
        }
    }

    /**
     * {@code rtpm_core_release} for {@code count} slots held with roles {@code r}: CONSUMED ones
     * (consumer) or FILLING ones (producer, an abort) back to FREE; caller holds the lock.
     */
    private long releaseSteps(int[] index, int count, int r) {
        final long freeFifo = geo.freeFifo();
        final int slots = geo.slotCount();
        final boolean consumer = (r & ROLE_CONSUMER) != 0;
        final boolean producer = (r & ROLE_PRODUCER) != 0;
        int freeTail = c32(C_FREE_TAIL);
        int free = i32(H_FREE);
        int inFlight = i32(H_IN_FLIGHT);
        int filling = c32(C_FILLING);
        long released = i64(H_RELEASED);
        long aborted = i64(control + C_ABORTED);
        int done = 0;
        int err = 0;
        while (true) {
            int end = Math.min(count, done + CHUNK);
            for (; done < end; done++) {
                int i = index[done];
                if (i < 0 || i >= slots) {
                    err = Errno.ERANGE;
                    countInvalid();
                    break;
                }
                int state = ShmLayout.slotState(slotWordOf(i));
                if (state == SLOT_CONSUMED && consumer) {
                    inFlight--;
                    released++;
                } else if (state == SLOT_FILLING && producer) {
                    filling--;
                    aborted++;
                } else {
                    err = Errno.EBADSLT;
                    countInvalid();
                    break;
                }
                moveSlot(geo.slot(i), i, SLOT_FREE, 0);
                // beyond the tail until the tail moves: no journal entry needed
                INT.setRelease(seg, freeFifo + 4L * (freeTail++ & mask), i);
                free++;
            }
            j.put32(control + C_FREE_TAIL, freeTail);
            j.put32(H_FREE, free);
            j.put32(H_IN_FLIGHT, inFlight);
            j.put32(control + C_FILLING, filling);
            j.put64(H_RELEASED, released);
            j.put64(control + C_ABORTED, aborted);
            j.commit();
            if (err != 0 || done == count) {
                return batchResult(done, err);
            }
        }
    }

    // ---- waiting --------------------------------------------------------------------------

    /** The module's poll: EPOLLHUP when stopped, EPOLLIN for a consumer when something is READY. */
    private boolean readable() {
        lock();
        try {
            return !running() || ((roles & ROLE_CONSUMER) != 0 && fifoLen(C_READY_HEAD, C_READY_TAIL) != 0);
        } catch (RuntimeException | Error e) {
            abort();
            throw e;
        } finally {
            unlock();
        }
    }

    /** The module's poll: EPOLLHUP when stopped, EPOLLOUT for a producer that can claim. */
    private boolean writable() {
        lock();
        try {
            return !running() || ((roles & ROLE_PRODUCER) != 0 && (fifoLen(C_FREE_HEAD, C_FREE_TAIL) != 0
                    || (i32(H_DROP_POLICY) == DROP_HEAD && fifoLen(C_READY_HEAD, C_READY_TAIL) != 0)));
        } catch (RuntimeException | Error e) {
            abort();
            throw e;
        } finally {
            unlock();
        }
    }

    /**
     * Waits until a pop ({@code read}) or a claim would not come back empty-handed. A few spins,
     * then FUTEX_WAIT on the event word with this record's bit in the waiters mask (the need-wakeup
     * flag: wakers make a syscall only when a bit is set). Each sleep lasts at most 100 ms, after
     * which dead sessions are reaped (a dead consumer's slots make a full ring writable again).
     *
     * @param read         wait to pop (else to claim)
     * @param timeoutNanos how long at most; 0 only checks
     * @param guard        the waiting session's: a close ends the wait within a slice
     * @return true when ready, false on timeout
     * @throws io.rtpm.ffm.NotAttachedException when the session was closed while waiting
     */
    boolean await(boolean read, long timeoutNanos, CallGuard guard) {
        if (read ? readable() : writable()) {
            return true;
        }
        if (timeoutNanos <= 0) {
            return false;
        }
        long deadline = System.nanoTime() + timeoutNanos;
        long waitersAt = control + (read ? C_READ_WAITERS : C_WRITE_WAITERS);
        for (int i = 0; i < WAIT_SPINS; i++) {
            Thread.onSpinWait();
            if ((read ? i32(H_READY) : i32(H_FREE)) != 0 && (read ? readable() : writable())) {
                return true;
            }
        }
        MemorySegment ts = TIMESPEC.get();
        LONG.getAndBitwiseOr(seg, waitersAt, waiterBit);
        try {
            while (true) {
                // (B) the bit is set (full fence) before the state is looked at
                int seq = (int) INT.getVolatile(seg, control + C_EVENT_SEQ);
                if (read ? readable() : writable()) {
                    return true;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                if (guard.isClosed()) {
                    throw guard.closed("wait on"); // the session's close waits for this call
                }
                long slice = Math.min(left, WAIT_SLICE_NANOS);
                ts.set(ValueLayout.JAVA_LONG, 0, slice / 1_000_000_000L);
                ts.set(ValueLayout.JAVA_LONG, 8, slice % 1_000_000_000L);
                long slept = System.nanoTime();
                Libc.futexWait(eventWord, seq, ts);
                // errno is not captured (see Libc.futexWait): a sleep that lasted its whole slice
                // with no event is a timeout, the moment to look for dead sessions
                if ((int) INT.getVolatile(seg, control + C_EVENT_SEQ) == seq
                        && System.nanoTime() - slept >= slice) {
                    reapDead();
                }
            }
        } finally {
            LONG.getAndBitwiseAnd(seg, waitersAt, ~waiterBit);
        }
    }
}
