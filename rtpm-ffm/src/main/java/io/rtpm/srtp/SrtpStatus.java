package io.rtpm.srtp;

/**
 * Why a packet was not protected or unprotected: the negative results of {@link SrtpSession}'s
 * methods (a non-negative result is the packet's new length). Each is counted in
 * {@link SrtpCounters}; none is an exception, since every one of them can be caused by the
 * network.
 */
public final class SrtpStatus {

    /** Shorter than its header, tag, MKI and SRTCP index need. */
    public static final int TRUNCATED = -1;
    /** Not RTP or RTCP version 2, or its header (CSRCs, extension) runs past the packet. */
    public static final int MALFORMED = -2;
    /** The tag does not match: wrong key, or changed on the way. */
    public static final int AUTH_FAILED = -3;
    /** Seen before, or older than the replay window (RFC 3711 section 3.3.2). */
    public static final int REPLAYED = -4;
    /** Its MKI names no key of the policy. */
    public static final int UNKNOWN_MKI = -5;
    /** The master key has reached its lifetime: re-key the leg. */
    public static final int KEY_EXPIRED = -6;
    /** The slot has no room after the packet for the tag, MKI and SRTCP index. */
    public static final int NO_ROOM = -7;
    /** A new SSRC past the policy's {@link SrtpPolicy#maxStreams()}. */
    public static final int TOO_MANY_STREAMS = -8;

    /** How many causes there are; {@code -status - 1} indexes them from 0. */
    public static final int COUNT = 8;

    private static final String[] NAMES = {
        "truncated", "malformed", "auth_failed", "replayed", "unknown_mki", "key_expired", "no_room",
        "too_many_streams",
    };

    private SrtpStatus() {
    }

    /**
     * The name of a status, as counters and logs show it.
     *
     * @param status a negative status, or a length
     * @return e.g. {@code auth_failed}, or {@code ok} for a length
     */
    public static String name(int status) {
        return status >= 0 ? "ok" : NAMES[-status - 1];
    }
}
