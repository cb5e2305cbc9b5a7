package io.rtpm.ng.command;

/** The values of the {@code rtcp-mux} list (RFC 5761), as rtpengine defines them. */
public enum RtcpMuxOption {
    /** Offer rtcp-mux even when the client does not. */
    OFFER,
    /** Like offer, and advertise no separate RTCP port (implies {@link #OFFER}). */
    REQUIRE,
    /** Do not offer rtcp-mux onwards, but accept it back to the offerer. */
    DEMUX,
    /** Accept rtcp-mux and offer it onwards when offered. */
    ACCEPT,
    /** Reject rtcp-mux when offered. */
    REJECT
}
