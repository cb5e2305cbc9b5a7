package io.rtpm.rtp;

/**
 * The outcome of {@link RtpPacket#validate()}: {@link #OK} or the first reason the bytes are not
 * a well-formed RTP packet (RFC 3550 section 5.1 and appendix A.1).
 *
 * <p>Enum constants, so validating never allocates.
 */
public enum RtpCheck {
    /** Well formed: every length in the header stays inside the packet. */
    OK("ok"),
    /** Fewer than the 12 bytes of the fixed header. */
    TRUNCATED("shorter than the 12-byte fixed header"),
    /** The version field is not 2. */
    BAD_VERSION("version is not 2"),
    /** Marker and payload type read 200 or 201: an RTCP SR/RR sent to the RTP port. */
    RTCP_PAYLOAD_TYPE("payload type 72/73 with marker: an RTCP SR/RR, not RTP (RFC 3550 A.1)"),
    /** The CSRC count says more identifiers than the packet holds. */
    CSRC_PAST_END("CSRC list runs past the end"),
    /** The extension bit is set but the 4-byte extension header is missing. */
    EXTENSION_HEADER_PAST_END("header extension header runs past the end"),
    /** The extension length field says more words than the packet holds. */
    EXTENSION_PAST_END("header extension runs past the end"),
    /** The padding bit is set and the padding count is 0 (the count includes itself). */
    PADDING_ZERO("padding bit set but padding count is 0"),
    /** The padding count is longer than what follows the header. */
    PADDING_PAST_END("padding count exceeds the bytes after the header");

    private final String reason;

    RtpCheck(String reason) {
        this.reason = reason;
    }

    /**
     * Tells whether the packet passed.
     *
     * @return true for {@link #OK}
     */
    public boolean ok() {
        return this == OK;
    }

    /**
     * A short human-readable reason, for logs and counters.
     *
     * @return the reason
     */
    public String reason() {
        return reason;
    }
}
