package io.rtpm.engine;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A call the engine carries: a handle its owner keeps to change it, read its counters and end
 * it. Safe to use from any thread; every change is applied by the call's worker between two
 * batches, so no packet of this or any other call waits on a lock.
 */
public final class Call {

    private final String id;
    private final Worker worker;
    final LegState[] legs;
    final long createdNanos;
    volatile boolean awaitingAnswer;
    volatile CallEndReason ended;
    /** The worker's index of this call in its call list; the worker's own. */
    int position = -1;

    Call(String id, Worker worker, int legCount, boolean awaitingAnswer) {
        this.id = id;
        this.worker = worker;
        this.legs = new LegState[legCount];
        this.createdNanos = System.nanoTime();
        this.awaitingAnswer = awaitingAnswer;
    }

    /** @return the call's id */
    public String id() {
        return id;
    }

    /** @return how many legs it has */
    public int legCount() {
        return legs.length;
    }

    /** @return the local address and port of leg {@code leg}'s RTP (the port its peer sends to) */
    public InetSocketAddress localRtp(int leg) {
        LegState l = leg(leg);
        return new InetSocketAddress(worker.localAddress(), l.ports.rtp().localPort());
    }

    /** @return the local RTCP address of leg {@code leg}: RTP port + 1, or the RTP port with rtcp-mux */
    public InetSocketAddress localRtcp(int leg) {
        LegState l = leg(leg);
        return new InetSocketAddress(worker.localAddress(),
                l.mux ? l.ports.rtp().localPort() : l.ports.rtcp().localPort());
    }

    /**
     * Changes a leg: a new remote (re-learned as after any signalling change), hold in one
     * direction ({@link LegSpec#sending()}), new payload types. Its rtcp-mux cannot change (its
     * ports are bound).
     *
     * @param leg the leg
     * @param spec what it becomes
     * @throws IllegalStateException when the call has ended
     * @throws IllegalArgumentException when the spec changes rtcp-mux or names a bad peer
     */
    public void update(int leg, LegSpec spec) {
        LegState l = leg(leg);
        Objects.requireNonNull(spec, "spec");
        if (spec.rtcpMux() != l.mux) {
            throw new IllegalArgumentException("leg " + leg + " of call " + id + " was made with rtcp-mux "
                    + (l.mux ? "on" : "off") + ": its ports are bound; remove the leg's call and add it anew");
        }
        if (spec.peer() >= legs.length || spec.peer() == leg) {
            throw new IllegalArgumentException("peer " + spec.peer() + " is not another leg of call " + id);
        }
        worker.call(() -> worker.update(this, leg, spec), "update call " + id);
    }

    /** Marks the offer answered: {@link EngineConfig#offerTimeout()} no longer applies. */
    public void answered() {
        awaitingAnswer = false;
    }

    /** @return whether it has ended, and why; null while it runs */
    public CallEndReason ended() {
        return ended;
    }

    /**
     * Ends the call: its sockets close, its ports rest in the quarantine, its owner hears
     * {@link CallEndReason#REMOVED}. Idempotent.
     */
    public void remove() {
        if (ended == null) {
            worker.call(() -> worker.end(this, CallEndReason.REMOVED), "remove call " + id);
        }
    }

    /**
     * Reads a leg's counters (allocates the snapshot; the worker is not disturbed).
     *
     * @param leg the leg
     * @return its counters; after the call ended, the last ones
     */
    public LegStats stats(int leg) {
        LegState l = leg(leg);
        return worker.stats(l);
    }

    private LegState leg(int leg) {
        if (leg < 0 || leg >= legs.length) {
            throw new IndexOutOfBoundsException("call " + id + " has legs 0.." + (legs.length - 1) + ", not " + leg);
        }
        return legs[leg];
    }

    @Override
    public String toString() {
        return "Call[" + id + ", " + legs.length + " legs" + (ended != null ? ", ended: " + ended : "") + "]";
    }
}
