package io.rtpm.rtp.rtcp;

/**
 * One SR/RR reception report block (RFC 3550 section 6.4.1), as values.
 *
 * @param ssrc the source this block reports on, raw 32 bits
 * @param fractionLost lost fraction since the previous report, 0..255 (fixed point /256)
 * @param cumulativeLost packets lost since the start, signed 24 bits (-8388608..8388607)
 * @param extendedHighestSequence cycles in the high 16 bits, highest sequence number in the low
 * @param jitter interarrival jitter in RTP timestamp units, raw 32 bits
 * @param lastSr middle 32 bits of the last SR's NTP timestamp (0 when none yet)
 * @param delaySinceLastSr delay since that SR in 1/65536 s (0 when none yet)
 */
public record ReportBlock(int ssrc, int fractionLost, int cumulativeLost,
        int extendedHighestSequence, int jitter, int lastSr, int delaySinceLastSr) {

    /** Size of a report block on the wire. */
    public static final int SIZE = 24;

    /** Checks the ranges of the narrow fields. */
    public ReportBlock {
        if ((fractionLost & ~0xFF) != 0) {
            throw new IllegalArgumentException("fraction lost " + fractionLost + " is not in 0..255");
        }
        if (cumulativeLost < -0x800000 || cumulativeLost > 0x7FFFFF) {
            throw new IllegalArgumentException("cumulative lost " + cumulativeLost
                    + " does not fit 24 signed bits: clamp it as RFC 3550 A.3 says");
        }
    }
}
