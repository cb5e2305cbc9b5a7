package io.rtpm.rtp;

import java.lang.foreign.MemorySegment;

/**
 * What a datagram on a shared port is, from its first two bytes: RFC 7983 section 7 (the first
 * byte separates STUN, ZRTP, DTLS, TURN channels and RTP/RTCP) and RFC 5761 section 4 (the second
 * byte separates RTCP, packet types 192..223, from RTP).
 */
public enum PacketKind {
    /** An RTP packet (first byte 128..191, second byte outside 192..223). */
    RTP,
    /** An RTCP packet (first byte 128..191, second byte 192..223). */
    RTCP,
    /** STUN (first byte 0..3). */
    STUN,
    /** ZRTP (first byte 16..19). */
    ZRTP,
    /** DTLS (first byte 20..63). */
    DTLS,
    /** A TURN channel message (first byte 64..79). */
    TURN_CHANNEL,
    /** Too short or in no known range. */
    UNKNOWN;

    /**
     * Classifies a datagram without reading past {@code length} bytes. Allocation-free.
     *
     * @param segment the memory
     * @param offset where the datagram starts
     * @param length its length
     * @return what it is
     */
    public static PacketKind classify(MemorySegment segment, long offset, int length) {
        if (length < 1) {
            return UNKNOWN;
        }
        final int b0 = Wire.u8(segment, offset);
        if (b0 >= 128 && b0 <= 191) {
            if (length < 2) {
                return UNKNOWN;
            }
            final int b1 = Wire.u8(segment, offset + 1);
            return b1 >= 192 && b1 <= 223 ? RTCP : RTP;
        }
        if (b0 <= 3) {
            return STUN;
        }
        if (b0 >= 16 && b0 <= 19) {
            return ZRTP;
        }
        if (b0 >= 20 && b0 <= 63) {
            return DTLS;
        }
        if (b0 >= 64 && b0 <= 79) {
            return TURN_CHANNEL;
        }
        return UNKNOWN;
    }
}
