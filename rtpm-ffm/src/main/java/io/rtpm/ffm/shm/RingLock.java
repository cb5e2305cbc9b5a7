package io.rtpm.ffm.shm;

import io.rtpm.ffm.internal.Libc;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * The ring lock: a futex word shared by every process that maps the ring, holding the token of its
 * owner ({@code record index + 1 | generation << 8}) and a waiters bit.
 *
 * <p>It stands in for the module's spinlock, with one addition the kernel never needs: an owner
 * killed while holding it is detected (its session record's OFD lock is gone, see
 * {@link Liveness}) and the lock is taken over by a compare-and-set from the dead token, after
 * which the new owner rolls back the dead owner's {@link Journal}. Waiters spin briefly (the lock
 * is held for well under a microsecond), then sleep in FUTEX_WAIT with a short timeout; only a
 * word that did not change for a whole timeout prompts a liveness check.
 */
final class RingLock {

    /** Tells whether the owner of a lock token is still alive. */
    interface Liveness {
        /**
         * @param token a lock token found in the lock word
         * @return false only when its owner is certainly gone
         */
        boolean alive(int token);
    }

    static final int WAITERS = 0x8000_0000;
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    /** Spins before sleeping: few, since two cores are shared with everything else. */
    private static final int SPINS = 64;
    private static final long CHECK_NANOS = 2_000_000L;

    private final MemorySegment seg;
    private final long at;
    private final MemorySegment word;
    private final MemorySegment timeout;

    /**
     * @param seg     the mapped ring file
     * @param at      the lock word's offset
     * @param timeout a {@code struct timespec} (read-only once built) for one sleep
     */
    RingLock(MemorySegment seg, long at, MemorySegment timeout) {
        this.seg = seg;
        this.at = at;
        this.word = seg.asSlice(at, 4);
        this.timeout = timeout;
        primeSlowPath();
    }

    /**
     * Runs the sleeping path's calls once, now: a FUTEX_WAIT for a value the word does not hold
     * returns at once (EAGAIN; a racing change costs one timeout at most). Measured with JFR: the
     * first contended lock of a JVM linked these call sites under traffic, 130 KB allocated and
     * classes spun on a relay thread, seconds into a run whose warm-up never contended its lock.
     */
    private void primeSlowPath() {
        int cur = (int) INT.getVolatile(seg, at);
        Libc.futexWait(word, cur ^ 1, timeout);
    }

    /** Fills a timespec for {@link #RingLock}'s sleeps. */
    static void initTimeout(MemorySegment ts) {
        ts.set(ValueLayout.JAVA_LONG, 0, 0L);
        ts.set(ValueLayout.JAVA_LONG, 8, CHECK_NANOS);
    }

    /**
     * Takes the lock.
     *
     * @param token    this holder's token (never 0, waiters bit clear)
     * @param liveness decides whether a stuck owner is dead
     * @return true when the lock was taken over from a dead owner: the caller must roll back the
     *         journal before anything else
     */
    boolean lock(int token, Liveness liveness) {
        if ((boolean) INT.compareAndSet(seg, at, 0, token)) {
            return false;
        }
        return lockSlow(token, liveness);
    }

    private boolean lockSlow(int token, Liveness liveness) {
        int spins = 0;
        int mark = 0;
        while (true) {
            int cur = (int) INT.getVolatile(seg, at);
            if (cur == 0) {
                // after sleeping, keep the waiters bit: others may still sleep
                if ((boolean) INT.compareAndSet(seg, at, 0, token | mark)) {
                    return false;
                }
                continue;
            }
            if (spins < SPINS) {
                spins++;
                Thread.onSpinWait();
                continue;
            }
            int waiting = cur | WAITERS;
            if (cur != waiting && !(boolean) INT.compareAndSet(seg, at, cur, waiting)) {
                continue;
            }
            mark = WAITERS;
            long slept = System.nanoTime();
            Libc.futexWait(word, waiting, timeout);
            // Decided by state and time, not errno (not captured: see Libc.futexWait): only a word
            // unchanged for a whole sleep makes the owner suspect. An early return (a change, a
            // wake-up, a signal) just loops.
            if ((int) INT.getVolatile(seg, at) == waiting && System.nanoTime() - slept >= CHECK_NANOS
                    && !liveness.alive(waiting & ~WAITERS)
                    && (boolean) INT.compareAndSet(seg, at, waiting, token | WAITERS)) {
                return true;
            }
        }
    }

    /** Releases the lock, waking one sleeper if there is one. */
    void unlock() {
        int old = (int) INT.getAndSet(seg, at, 0);
        if ((old & WAITERS) != 0) {
            Libc.futexWake(word, 1);
        }
    }

    /** @return the current owner's token without the waiters bit, 0 when free */
    int owner() {
        return (int) INT.getVolatile(seg, at) & ~WAITERS;
    }
}
