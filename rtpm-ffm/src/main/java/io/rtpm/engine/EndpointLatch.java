package io.rtpm.engine;

/**
 * Where one leg's peer is, learned from the sources of what arrives: rtpengine's endpoint
 * learning, strict source and media handover, as a small state machine with no I/O and no
 * allocation. Addresses are in the allocation-free key form (two longs, IPv4 mapped into IPv6,
 * and the port). Owned by the leg's worker.
 *
 * <p>{@link #onPacket} answers with bits: {@link #ACCEPT} (forward it), {@link #MOVED} (the
 * destination changed: rewrite the leg's sockaddr), {@link #LATCHED} and {@link #HANDOVER}
 * (events for the owner).
 */
final class EndpointLatch {

    static final int ACCEPT = 1;
    static final int MOVED = 2;
    static final int LATCHED = 4;
    static final int HANDOVER = 8;

    private EndpointLearning mode;
    private boolean strict;
    private boolean handover;
    private long windowNanos;

    private boolean given;
    private long givenHi;
    private long givenLo;
    private int givenPort;

    private boolean known;
    private long hi;
    private long lo;
    private int port;
    private boolean confirmed;
    private long windowEnd;
    /** HEURISTIC's best candidate so far: 3 exact given, 2 given address, 1 any. */
    private int rank;

    /**
     * (Re)starts learning: on a new leg, and on an update that changes the given remote (as
     * rtpengine re-learns after each signalling change).
     *
     * @param hasGiven whether a remote was given
     */
    void reset(EndpointLearning mode, boolean strict, boolean handover, long windowNanos,
            boolean hasGiven, long gHi, long gLo, int gPort, long now) {
        this.mode = mode;
        this.strict = strict;
        this.handover = handover;
        this.windowNanos = windowNanos;
        this.given = hasGiven;
        this.givenHi = gHi;
        this.givenLo = gLo;
        this.givenPort = gPort;
        this.known = hasGiven;
        this.hi = gHi;
        this.lo = gLo;
        this.port = gPort;
        this.confirmed = mode == EndpointLearning.OFF;
        this.windowEnd = now + windowNanos;
        this.rank = 0;
    }

    /** Changes the flags without restarting learning. */
    void flags(boolean strict, boolean handover) {
        this.strict = strict;
        this.handover = handover;
    }

    /**
     * Judges one packet's source.
     *
     * @return {@link #ACCEPT}, {@link #MOVED}, {@link #LATCHED}, {@link #HANDOVER} bits; 0: drop (source filter)
     */
    int onPacket(long sHi, long sLo, int sPort, long now) {
        boolean same = known && sHi == hi && sLo == lo && sPort == port;
        if (mode == EndpointLearning.OFF) {
            return !strict || !given || (sHi == givenHi && sLo == givenLo && sPort == givenPort) ? ACCEPT : 0;
        }
        if (confirmed) {
            if (same) {
                return ACCEPT;
            }
            if (handover) {
                take(sHi, sLo, sPort);
                return ACCEPT | MOVED | HANDOVER;
            }
            return strict ? 0 : ACCEPT;
        }
        switch (mode) {
            case IMMEDIATE -> {
                return confirm(sHi, sLo, sPort, same);
            }
            case DELAYED -> {
                if (now - windowEnd >= 0) {
                    return confirm(sHi, sLo, sPort, same);
                }
                if (same) {
                    return ACCEPT;
                }
                take(sHi, sLo, sPort);
                return ACCEPT | MOVED;
            }
            default -> { // HEURISTIC
                boolean sameAddress = given && sHi == givenHi && sLo == givenLo;
                int r = sameAddress && sPort == givenPort ? 3 : sameAddress ? 2 : 1;
                if (r == 3) {
                    rank = 3;
                    return confirm(sHi, sLo, sPort, same);
                }
                int bits = ACCEPT;
                if (r >= rank && !same) {
                    take(sHi, sLo, sPort);
                    bits |= MOVED;
                }
                rank = Math.max(rank, r);
                if (now - windowEnd >= 0) {
                    confirmed = true;
                    bits |= LATCHED;
                }
                return bits;
            }
        }
    }

    private int confirm(long sHi, long sLo, int sPort, boolean same) {
        confirmed = true;
        if (same) {
            return ACCEPT | LATCHED;
        }
        take(sHi, sLo, sPort);
        return ACCEPT | MOVED | LATCHED;
    }

    private void take(long sHi, long sLo, int sPort) {
        known = true;
        hi = sHi;
        lo = sLo;
        port = sPort;
    }

    /** @return whether there is somewhere to send to */
    boolean known() {
        return known;
    }

    boolean confirmed() {
        return confirmed;
    }

    long hi() {
        return hi;
    }

    long lo() {
        return lo;
    }

    int port() {
        return port;
    }
}
