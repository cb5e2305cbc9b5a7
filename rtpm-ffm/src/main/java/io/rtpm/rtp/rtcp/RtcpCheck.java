package io.rtpm.rtp.rtcp;

/**
 * The outcome of checking one RTCP packet or a compound packet (RFC 3550 section 6 and appendix
 * A.2): {@link #OK} or the first reason it is malformed. Enum constants: checks never allocate.
 */
public enum RtcpCheck {
    /** Well formed. */
    OK("ok"),
    /** Fewer bytes than the 4-byte common header, or a packet's fixed part. */
    TRUNCATED("shorter than the packet's fixed part"),
    /** The version field is not 2. */
    BAD_VERSION("version is not 2"),
    /** A packet's length field runs past the end of the datagram. */
    LENGTH_PAST_END("length field runs past the end of the datagram"),
    /** The compound packet does not start with SR or RR (RFC 3550 6.1, A.2). */
    FIRST_NOT_REPORT("compound packet does not start with SR or RR"),
    /** A packet other than the last one of the compound has the padding bit. */
    PADDING_NOT_LAST("padding bit on a packet that is not the last of the compound"),
    /** Padding count 0, or more padding than the packet's body. */
    PADDING_INVALID("padding count is 0 or exceeds the packet body"),
    /** SR or RR report blocks run past the packet. */
    REPORT_BLOCKS_PAST_END("report blocks run past the packet"),
    /** An SDES chunk or item runs past the packet, or chunks are missing. */
    SDES_MALFORMED("SDES chunk or item runs past the packet"),
    /** BYE SSRC list or reason runs past the packet. */
    BYE_MALFORMED("BYE SSRC list or reason runs past the packet"),
    /** APP packet shorter than its SSRC and name. */
    APP_TOO_SHORT("APP packet shorter than SSRC and name"),
    /** RTPFB/PSFB packet shorter than its two SSRCs (RFC 4585 6.1). */
    FEEDBACK_TOO_SHORT("feedback packet shorter than sender and media SSRC");

    private final String reason;

    RtcpCheck(String reason) {
        this.reason = reason;
    }

    /**
     * Tells whether the check passed.
     *
     * @return true for {@link #OK}
     */
    public boolean ok() {
        return this == OK;
    }

    /**
     * A short human-readable reason.
     *
     * @return the reason
     */
    public String reason() {
        return reason;
    }
}
