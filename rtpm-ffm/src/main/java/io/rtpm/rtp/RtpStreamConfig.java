package io.rtpm.rtp;

/**
 * What {@link RtpGenerator} sends: one RTP stream's constant parameters.
 *
 * @param ssrc the synchronisation source, raw 32 bits
 * @param payloadType 0..127
 * @param clockRate the payload type's RTP clock rate in Hz (see {@link PayloadClockRates})
 * @param ptimeMicros the packet time: media duration per packet, in microseconds
 * @param payloadSize payload bytes per packet
 * @param firstSequence the first sequence number (0..65535; random per RFC 3550 5.1 in practice)
 * @param firstTimestamp the first timestamp, raw 32 bits
 */
public record RtpStreamConfig(int ssrc, int payloadType, int clockRate, int ptimeMicros,
        int payloadSize, int firstSequence, int firstTimestamp) {

    /** Checks the ranges. */
    public RtpStreamConfig {
        if ((payloadType & ~0x7F) != 0) {
            throw new IllegalArgumentException("payload type " + payloadType + " is not in 0..127");
        }
        if (clockRate < 1 || ptimeMicros < 1 || payloadSize < 0) {
            throw new IllegalArgumentException("clock rate " + clockRate + " Hz and ptime "
                    + ptimeMicros + " us must be positive, payload size " + payloadSize
                    + " not negative");
        }
        if ((firstSequence & ~0xFFFF) != 0) {
            throw new IllegalArgumentException("first sequence number " + firstSequence
                    + " is not in 0..65535");
        }
    }

    /**
     * A G.711 mu-law (PCMU, payload type 0) stream: 8000 Hz, 20 ms packets of 160 bytes.
     *
     * @param ssrc the SSRC
     * @param firstSequence the first sequence number
     * @param firstTimestamp the first timestamp
     * @return the config
     */
    public static RtpStreamConfig pcmu20ms(int ssrc, int firstSequence, int firstTimestamp) {
        return new RtpStreamConfig(ssrc, 0, 8000, 20_000, 160, firstSequence, firstTimestamp);
    }

    /**
     * The packet time in nanoseconds.
     *
     * @return {@code ptimeMicros * 1000}
     */
    public long ptimeNanos() {
        return ptimeMicros * 1000L;
    }
}
