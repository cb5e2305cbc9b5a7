package io.rtpm.rtp;

import java.lang.foreign.MemorySegment;

/**
 * Produces one RTP stream's packets: sequence numbers step by one and wrap at 65536, timestamps
 * step by {@code clockRate * ptime} and wrap at 2^32, the first packet carries the marker (start
 * of a talkspurt, RFC 3551 section 4.1). Packet {@code n} is due at {@code start + n * ptime}
 * ({@link #dueNanos(long)}).
 *
 * <p>When {@code clockRate * ptime} is not a whole number of ticks the fraction is carried, so
 * timestamps never drift from media time. Allocation-free after construction; not thread-safe.
 */
public final class RtpGenerator {

    private static final long MICROS_PER_SECOND = 1_000_000L;

    private final RtpStreamConfig config;
    private final RtpWriter writer = new RtpWriter();
    private final long ticksNumerator;
    private long tickRemainder;
    private int sequence;
    private int timestamp;
    private long index;
    private byte fill = (byte) 0xFF;

    /**
     * Starts a stream.
     *
     * @param config what to send
     */
    public RtpGenerator(RtpStreamConfig config) {
        this.config = config;
        this.ticksNumerator = (long) config.clockRate() * config.ptimeMicros();
        this.sequence = config.firstSequence();
        this.timestamp = config.firstTimestamp();
    }

    /**
     * Sets the payload fill byte (default {@code 0xFF}: PCMU silence).
     *
     * @param value the byte every payload is filled with
     * @return this generator
     */
    public RtpGenerator fill(int value) {
        this.fill = (byte) value;
        return this;
    }

    /**
     * Writes the next packet and advances sequence number and timestamp.
     *
     * @param target where to write
     * @param offset the packet's first byte in {@code target}
     * @param capacity bytes available there
     * @return the packet's length
     * @throws IndexOutOfBoundsException if the packet does not fit
     */
    public int next(MemorySegment target, long offset, int capacity) {
        writer.wrap(target, offset, capacity)
                .header(index == 0, config.payloadType(), sequence, timestamp, config.ssrc())
                .skipPayload(config.payloadSize());
        Wire.fill(target, offset + RtpPacket.FIXED_HEADER_SIZE, config.payloadSize(), fill);
        final int len = writer.finish();
        advance();
        return len;
    }

    private void advance() {
        index++;
        sequence = (sequence + 1) & 0xFFFF;
        tickRemainder += ticksNumerator;
        timestamp += (int) (tickRemainder / MICROS_PER_SECOND);
        tickRemainder %= MICROS_PER_SECOND;
    }

    /**
     * When the next packet is due.
     *
     * @param startNanos when the first packet was due (any clock)
     * @return {@code startNanos + packetsWritten() * ptime}
     */
    public long dueNanos(long startNanos) {
        return startNanos + index * config.ptimeNanos();
    }

    /**
     * The sequence number the next packet will carry.
     *
     * @return 0..65535
     */
    public int nextSequenceNumber() {
        return sequence;
    }

    /**
     * The timestamp the next packet will carry.
     *
     * @return raw 32 bits
     */
    public int nextTimestamp() {
        return timestamp;
    }

    /**
     * How many packets were written.
     *
     * @return the count
     */
    public long packetsWritten() {
        return index;
    }

    /**
     * The stream's parameters.
     *
     * @return the config
     */
    public RtpStreamConfig config() {
        return config;
    }
}
