package io.rtpm.relay;

/**
 * The receive statistics of one RTP source (SSRC) as the relay saw it, from the RTP stack's RFC
 * 3550 receiver statistics (appendix A.1, A.3, A.8).
 *
 * @param ssrc the SSRC, raw 32 bits
 * @param received packets received
 * @param expected packets expected from the extended sequence numbers
 * @param lost expected minus received (negative with duplicates), A.3
 * @param duplicates packets seen before
 * @param reordered packets that arrived after a later one
 * @param jitter interarrival jitter in RTP timestamp units (A.8)
 * @param clockRate the clock rate of its last payload type in Hz, 0 when unknown
 */
public record SourceReport(int ssrc, long received, long expected, long lost, long duplicates,
        long reordered, long jitter, int clockRate) {

    /** @return the jitter in milliseconds, or -1 when the clock rate is unknown */
    public double jitterMillis() {
        return clockRate > 0 ? jitter * 1000.0 / clockRate : -1;
    }

    /** @return the SSRC as 8 hex digits */
    public String ssrcHex() {
        return String.format("%08x", ssrc);
    }
}
