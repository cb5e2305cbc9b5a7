package io.rtpm.relay;

/** Where the relay receives and sends RTCP. */
public enum RtcpMode {
    /** On the RTP port + 1, as ffmpeg and most endpoints do (RFC 3550 section 11). */
    PORT_PLUS_ONE,
    /** On the RTP port itself, told apart by packet type (RFC 5761). */
    MUX,
    /** Not relayed: RTCP that arrives on the RTP port is counted invalid and dropped. */
    OFF
}
