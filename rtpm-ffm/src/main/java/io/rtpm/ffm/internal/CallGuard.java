package io.rtpm.ffm.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

import io.rtpm.ffm.NotAttachedException;

/**
 * The close protocol of a session or device whose native resources (mappings, scratch memory,
 * file descriptors) calls on other threads may be using: every call counts itself in flight
 * ({@link #enter}, {@link #exit} in a finally), and {@link #close} marks the owner closed, waits
 * until no call is in flight, and only then lets the owner free anything. A call that starts
 * after the mark throws {@link NotAttachedException}. Waits that block must re-check
 * {@link #isClosed()} at least every slice they sleep, so that close waits no longer than a
 * slice for them.
 *
 * <p>Both ring backends' sessions and the kernel device use it: without it a close racing a
 * call freed memory the kernel then wrote into, closed a descriptor whose number was reused, or
 * (a shared arena in use by a native call) failed with IllegalStateException and leaked the
 * descriptor and its locks. One CAS per call and one atomic add; no allocation: the message of
 * the failure is built only when it is thrown.
 */
public final class CallGuard {

    /** The sign bit of {@link #state}: closed. The other bits count calls in flight. */
    private static final int CLOSED = Integer.MIN_VALUE;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(CallGuard.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String name;
    private final String advice;
    /** {@link #CLOSED} | calls in flight; changed only through {@link #STATE}. */
    @SuppressWarnings("unused")
    private volatile int state;

    /**
     * @param name what is guarded, for messages (e.g. "ring 0")
     * @param advice what to do once it is closed (e.g. "attach again with RingDevice.attach")
     */
    public CallGuard(String name, String advice) {
        this.name = name;
        this.advice = advice;
    }

    /**
     * Counts a call in flight.
     *
     * @param op what the call does, for the message (e.g. "claim on")
     * @throws NotAttachedException when closed
     */
    public void enter(String op) {
        int s;
        do {
            s = state;
            if (s < 0) {
                throw closed(op);
            }
        } while (!STATE.weakCompareAndSet(this, s, s + 1));
    }

    /** Ends a call that {@link #enter} counted. */
    public void exit() {
        STATE.getAndAdd(this, -1);
    }

    /** @return true once {@link #close} has begun */
    public boolean isClosed() {
        return state < 0;
    }

    /** @return the exception for a call on the closed owner, or one that saw the close while waiting */
    public NotAttachedException closed(String op) {
        return new NotAttachedException(op + " " + name, 0, "it is closed: " + advice);
    }

    /** @return how many calls are in flight now (for tests) */
    public int callsInFlight() {
        return state & ~CLOSED;
    }

    /**
     * Marks the owner closed and waits until no call is in flight.
     *
     * @return true for the one caller that closed it, which then frees the resources; false when
     *         it was closed already
     */
    public boolean close() {
        int s;
        do {
            s = state;
            if (s < 0) {
                return false;
            }
        } while (!STATE.compareAndSet(this, s, s | CLOSED));
        // each call in flight is one system call, or a wait that re-checks every slice
        while (state != CLOSED) {
            LockSupport.parkNanos(100_000);
        }
        return true;
    }
}
