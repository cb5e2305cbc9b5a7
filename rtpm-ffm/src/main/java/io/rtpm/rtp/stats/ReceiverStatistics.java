package io.rtpm.rtp.stats;

import io.rtpm.rtp.PayloadClockRates;
import io.rtpm.rtp.RtpPacket;
import io.rtpm.rtp.rtcp.RtcpPacket;
import io.rtpm.rtp.rtcp.RtcpWriter;

/**
 * The receiver statistics of a session: one {@link SourceStatistics} per SSRC, in a fixed-size
 * open-addressing table, and the SR/RR report blocks built from them.
 *
 * <p>{@link #onRtp} allocates only when a new SSRC appears (one {@link SourceStatistics}); when
 * the table is full, new sources are counted in {@link #sourcesRejected()} and ignored. Not
 * thread-safe: feed it from the receiving thread.
 */
public final class ReceiverStatistics {

    private final PayloadClockRates clockRates;
    private final int maxSources;
    private final int mask;
    private final int[] keys;
    private final SourceStatistics[] values;
    private int size;
    private long sourcesRejected;

    /**
     * Creates an empty table.
     *
     * @param clockRates the clock rate of each payload type (for jitter)
     * @param maxSources the most SSRCs tracked at once, 1..1<<20
     */
    public ReceiverStatistics(PayloadClockRates clockRates, int maxSources) {
        if (maxSources < 1 || maxSources > 1 << 20) {
            throw new IllegalArgumentException("maxSources " + maxSources + " is not in 1..1048576");
        }
        this.clockRates = clockRates;
        this.maxSources = maxSources;
        final int capacity = Integer.highestOneBit(maxSources * 2 - 1) << 1; // load <= 1/2
        this.mask = capacity - 1;
        this.keys = new int[capacity];
        this.values = new SourceStatistics[capacity];
    }

    private static int slot(int ssrc, int mask) {
        final int h = ssrc * 0x9E3779B9; // SSRCs are random, but do not trust senders to be
        return (h ^ h >>> 16) & mask;
    }

    /**
     * The state of a source.
     *
     * @param ssrc the source
     * @return its state, or null when it is not tracked
     */
    public SourceStatistics get(int ssrc) {
        for (int i = slot(ssrc, mask); values[i] != null; i = (i + 1) & mask) {
            if (keys[i] == ssrc) {
                return values[i];
            }
        }
        return null;
    }

    /**
     * Accounts a validated RTP packet.
     *
     * @param packet a packet that passed {@link RtpPacket#validate()}
     * @param arrivalNanos its arrival time ({@link System#nanoTime()} or any monotonic clock)
     * @return its source's state, or null when the table is full
     */
    public SourceStatistics onRtp(RtpPacket packet, long arrivalNanos) {
        return onRtp(packet.ssrc(), packet.sequenceNumber(), packet.timestamp(),
                packet.payloadType(), arrivalNanos);
    }

    /**
     * Accounts an RTP packet given by its header fields.
     *
     * @param ssrc the SSRC
     * @param seq the sequence number
     * @param rtpTimestamp the timestamp
     * @param payloadType the payload type
     * @param arrivalNanos its arrival time
     * @return its source's state, or null when the table is full
     */
    public SourceStatistics onRtp(int ssrc, int seq, int rtpTimestamp, int payloadType,
            long arrivalNanos) {
        int i = slot(ssrc, mask);
        SourceStatistics s;
        while ((s = values[i]) != null && keys[i] != ssrc) {
            i = (i + 1) & mask;
        }
        if (s == null) {
            if (size == maxSources) {
                sourcesRejected++;
                return null;
            }
            s = new SourceStatistics(ssrc, seq, arrivalNanos);
            keys[i] = ssrc;
            values[i] = s;
            size++;
        }
        s.update(seq, rtpTimestamp, arrivalNanos, clockRates.clockRate(payloadType));
        return s;
    }

    /**
     * Notes an SR's arrival for the LSR/DLSR of the sender's next report block.
     *
     * @param sr a checked SR packet
     * @param arrivalNanos when it arrived
     */
    public void onSenderReport(RtcpPacket sr, long arrivalNanos) {
        final SourceStatistics s = get(sr.senderSsrc());
        if (s != null) {
            s.onSenderReport(sr.ntpTimestamp(), arrivalNanos);
        }
    }

    /**
     * Forgets a source (after its BYE or a timeout).
     *
     * @param ssrc the source
     * @return true when it was tracked
     */
    public boolean remove(int ssrc) {
        int i = slot(ssrc, mask);
        while (values[i] != null && keys[i] != ssrc) {
            i = (i + 1) & mask;
        }
        if (values[i] == null) {
            return false;
        }
        values[i] = null;
        size--;
        // backward-shift the rest of the probe run, so lookups never stop at the new hole
        for (int j = (i + 1) & mask; values[j] != null; j = (j + 1) & mask) {
            final int home = slot(keys[j], mask);
            if (((j - home) & mask) >= ((j - i) & mask)) {
                keys[i] = keys[j];
                values[i] = values[j];
                values[j] = null;
                i = j;
            }
        }
        return true;
    }

    /**
     * Appends a report block for every valid source that sent packets since the last report,
     * up to {@code max} (RFC 3550 6.4: at most 31 per SR/RR). Allocation-free.
     *
     * @param writer a writer with an open senderReport() or receiverReport()
     * @param nowNanos the report's time
     * @param max the most blocks to add
     * @return how many were added
     */
    public int writeReportBlocks(RtcpWriter writer, long nowNanos, int max) {
        int n = 0;
        for (int i = 0; i < values.length && n < max; i++) {
            final SourceStatistics s = values[i];
            if (s != null && s.receivedSinceReport()) {
                s.writeReportBlock(writer, nowNanos);
                n++;
            }
        }
        return n;
    }

    /**
     * How many sources are tracked.
     *
     * @return the count
     */
    public int size() {
        return size;
    }

    /**
     * How many packets of new sources were ignored because the table was full.
     *
     * @return the count
     */
    public long sourcesRejected() {
        return sourcesRejected;
    }
}
