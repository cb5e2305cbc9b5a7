package io.rtpm.srtp;

/**
 * The rollover counter and highest sequence number of one SRTP stream, and the index estimate
 * of RFC 3711 section 3.3.1 (the algorithm of its Appendix A).
 *
 * <p>The first packet seen starts the stream at ROC 0 (or at the ROC set for it) with its own
 * sequence number, as libsrtp2 does.
 */
final class RolloverCounter {

    private long roc;
    private int highestSeq = -1;

    /**
     * The 48-bit index of a packet with sequence number {@code seq}: ROC, ROC - 1 or ROC + 1,
     * whichever puts it nearest the highest sequence number seen.
     *
     * @return the index, or -1 when it would fall before the stream's start (ROC - 1 at ROC 0)
     */
    long estimate(int seq) {
        if (highestSeq < 0) {
            return roc << 16 | seq;
        }
        long v = roc;
        if (highestSeq < 32768) {
            if (seq - highestSeq > 32768) {
                v = roc - 1;
            }
        } else if (highestSeq - 32768 > seq) {
            v = roc + 1;
        }
        return v < 0 || v > 0xFFFF_FFFFL ? -1 : v << 16 | seq;
    }

    /** Moves the stream to {@code index} when it is newer than any seen (after the tag matched). */
    void update(long index) {
        if (highestSeq < 0 || index > (roc << 16 | highestSeq)) {
            roc = index >>> 16;
            highestSeq = (int) (index & 0xFFFF);
        }
    }

    /** @return the ROC of the newest packet */
    long roc() {
        return roc;
    }

    /** Sets the ROC a stream starts at (SDES or signalling may carry it), before its first packet. */
    void start(long rolloverCounter) {
        roc = rolloverCounter;
        highestSeq = -1;
    }
}
