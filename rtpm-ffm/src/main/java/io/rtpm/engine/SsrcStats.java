package io.rtpm.engine;

/**
 * RFC 3550 receiver statistics of one SSRC on one leg (A.1, A.3, A.8).
 *
 * @param ssrc the source
 * @param received packets counted
 * @param extendedMax the extended highest sequence number received
 * @param lost cumulative packets lost (expected minus received; negative with duplicates)
 * @param jitter interarrival jitter in RTP timestamp units, or -1 when its payload type has no
 *        known clock rate (none is assumed)
 */
public record SsrcStats(int ssrc, long received, long extendedMax, long lost, long jitter) {
}
