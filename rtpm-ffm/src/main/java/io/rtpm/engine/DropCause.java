package io.rtpm.engine;

/**
 * Why the engine dropped a packet. Each cause has its own counter per leg (the receiving leg,
 * except {@link #SEND_ERROR}, which counts on the sending leg).
 */
public enum DropCause {
    /** From a source that {@link LegSpec#strictSource()} refuses. */
    SOURCE_FILTER,
    /** A payload type outside the leg's negotiated set ({@link LegSpec#payloadTypeFilter()}). */
    PAYLOAD_TYPE_FILTER,
    /** Not valid RTP or RTCP (bad version, truncated, header runs past the end). */
    INVALID,
    /** The worker's ring had no free slot. */
    RING_FULL,
    /** Dropped by the kernel before the engine saw it: the socket's receive buffer was full (SO_RXQ_OVFL). */
    SOCKET_OVERFLOW,
    /** sendmmsg failed (the errno is reported through {@link EngineListener#onError}). */
    SEND_ERROR,
    /** Its leg was removed or changed while the packet was in the ring. */
    EXPIRED,
    /** The peer leg has no remote yet: none given, none learned. */
    NO_DESTINATION,
    /** The peer leg is on hold in this direction ({@link LegSpec#sending()} false). */
    HELD,
    /** STUN, DTLS or other non-RTP datagrams, dropped by {@link NonRtpPolicy#DROP}. */
    NON_RTP
}
