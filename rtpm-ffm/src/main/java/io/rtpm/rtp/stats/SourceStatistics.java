package io.rtpm.rtp.stats;

import io.rtpm.rtp.rtcp.ReportBlock;
import io.rtpm.rtp.rtcp.RtcpWriter;

/**
 * Receiver state of one RTP source, exactly as RFC 3550 appendix A computes it: A.1 sequence
 * number validation (probation, {@link #MAX_DROPOUT}, {@link #MAX_MISORDER}, wrap into the
 * extended sequence number, resynchronisation after a large jump), A.3 expected, cumulative and
 * fraction lost, A.8 interarrival jitter in RTP timestamp units. In addition it counts
 * duplicates and reordered (late) packets within {@link #MAX_MISORDER} of the highest sequence
 * number, which RFC 3550 lumps together.
 *
 * <p>{@link #update} allocates nothing; not thread-safe.
 */
public final class SourceStatistics {

    /** RTP sequence numbers wrap at this. */
    public static final int RTP_SEQ_MOD = 1 << 16;
    /** A jump ahead of at most this many sequence numbers is loss, not a restart (A.1). */
    public static final int MAX_DROPOUT = 3000;
    /** A packet at most this far behind the highest is late or a duplicate (A.1). */
    public static final int MAX_MISORDER = 100;
    /** In-sequence packets needed before a new source is valid (A.1). */
    public static final int MIN_SEQUENTIAL = 2;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private int ssrc;

    // A.1
    private int maxSeq;
    private long cycles;
    private int baseSeq;
    private int badSeq;
    private int probation;
    private long received;
    private long expectedPrior;
    private long receivedPrior;

    // A.8
    private boolean haveTransit;
    private int transit;
    private long jitterQ4; // jitter * 16, the RFC's integer form
    private long firstArrivalNanos;
    private int clockRate;

    // beyond the RFC
    private long duplicates;
    private long reordered;
    private long window0; // bit k: max extended sequence number - k was received (k 0..63)
    private long window1; // k 64..127

    // for LSR/DLSR
    private int lastSr;
    private long lastSrArrivalNanos;
    private boolean haveSr;

    /**
     * Starts the state of a source at its first packet (A.1: init_seq, then probation).
     *
     * @param ssrc the source
     * @param firstSeq the first packet's sequence number
     * @param arrivalNanos its arrival time (any monotonic clock, e.g. {@link System#nanoTime()})
     */
    public SourceStatistics(int ssrc, int firstSeq, long arrivalNanos) {
        restart(ssrc, firstSeq, arrivalNanos);
    }

    /**
     * Starts this state over for a new source, as the constructor does, without allocating: a
     * relay keeps one per stream and reuses it when the stream's SSRC changes.
     *
     * @param ssrc the source
     * @param firstSeq its first packet's sequence number
     * @param arrivalNanos its arrival time
     * @return this
     */
    public SourceStatistics restart(int ssrc, int firstSeq, long arrivalNanos) {
        this.ssrc = ssrc;
        haveTransit = false;
        transit = 0;
        jitterQ4 = 0;
        clockRate = 0;
        duplicates = 0;
        reordered = 0;
        lastSr = 0;
        lastSrArrivalNanos = 0;
        haveSr = false;
        this.firstArrivalNanos = arrivalNanos;
        initSeq(firstSeq & 0xFFFF);
        maxSeq = (firstSeq - 1) & 0xFFFF;
        probation = MIN_SEQUENTIAL;
        return this;
    }

    private void initSeq(int seq) {
        baseSeq = seq;
        maxSeq = seq;
        badSeq = RTP_SEQ_MOD + 1; // so seq == badSeq is false
        cycles = 0;
        received = 0;
        receivedPrior = 0;
        expectedPrior = 0;
        window0 = 1;
        window1 = 0;
    }

    /**
     * Accounts one packet: A.1 update_seq, then (for counted packets) the A.8 jitter.
     *
     * @param seq the packet's sequence number
     * @param rtpTimestamp its timestamp, raw 32 bits
     * @param arrivalNanos its arrival time, same clock as the constructor's
     * @param rate the payload type's clock rate in Hz; 0 (unknown) leaves jitter alone
     * @return true when A.1 counts the packet (false in probation and for a suspected restart)
     */
    public boolean update(int seq, int rtpTimestamp, long arrivalNanos, int rate) {
        seq &= 0xFFFF;
        final int udelta = (seq - maxSeq) & 0xFFFF;
        if (probation > 0) {
            // the source is valid only after MIN_SEQUENTIAL packets in sequence
            if (seq == ((maxSeq + 1) & 0xFFFF)) {
                probation--;
                maxSeq = seq;
                if (probation == 0) {
                    initSeq(seq);
                    received++;
                    jitter(rtpTimestamp, arrivalNanos, rate);
                    return true;
                }
            } else {
                probation = MIN_SEQUENTIAL - 1;
                maxSeq = seq;
            }
            return false;
        } else if (udelta < MAX_DROPOUT) {
            // in order, with permissible gap
            if (udelta == 0) {
                duplicates++;
            } else {
                slide(udelta);
                if (seq < maxSeq) {
                    cycles += RTP_SEQ_MOD; // sequence number wrapped
                }
                maxSeq = seq;
            }
        } else if (udelta <= RTP_SEQ_MOD - MAX_MISORDER) {
            // the sequence number made a very large jump
            if (seq == badSeq) {
                // two sequential packets: assume the other side restarted without telling us
                initSeq(seq);
                haveTransit = false;
            } else {
                badSeq = (seq + 1) & (RTP_SEQ_MOD - 1);
                return false;
            }
        } else {
            // duplicate or reordered packet, at most MAX_MISORDER behind
            markLate(RTP_SEQ_MOD - udelta);
        }
        received++;
        jitter(rtpTimestamp, arrivalNanos, rate);
        return true;
    }

    private void slide(int by) {
        if (by >= 128) {
            window0 = 1;
            window1 = 0;
        } else if (by >= 64) {
            window1 = window0 << (by - 64);
            window0 = 1;
        } else {
            window1 = window1 << by | window0 >>> (64 - by);
            window0 = window0 << by | 1;
        }
    }

    private void markLate(int behind) {
        final long bit = 1L << (behind & 63);
        if (behind < 64) {
            if ((window0 & bit) != 0) {
                duplicates++;
            } else {
                window0 |= bit;
                reordered++;
            }
        } else if ((window1 & bit) != 0) {
            duplicates++;
        } else {
            window1 |= bit;
            reordered++;
        }
    }

    private void jitter(int rtpTimestamp, long arrivalNanos, int rate) {
        if (rate <= 0) {
            return;
        }
        if (rate != clockRate) {
            clockRate = rate; // transit times of different clocks do not compare
            haveTransit = false;
        }
        // arrival in RTP timestamp units (A.8), relative to the first packet so it cannot overflow
        final long since = arrivalNanos - firstArrivalNanos;
        final long arrival = since / NANOS_PER_SECOND * rate
                + since % NANOS_PER_SECOND * rate / NANOS_PER_SECOND;
        final int t = (int) arrival - rtpTimestamp; // 32-bit wrap arithmetic, as the RFC's
        if (haveTransit) {
            int d = t - transit;
            if (d < 0) {
                d = -d;
            }
            jitterQ4 += Integer.toUnsignedLong(d) - ((jitterQ4 + 8) >> 4);
        }
        transit = t;
        haveTransit = true;
    }

    /**
     * Records that an SR from this source arrived, for the next report's LSR and DLSR.
     *
     * @param ntpTimestamp the SR's 64-bit NTP timestamp
     * @param arrivalNanos when it arrived, same clock as {@link #update}
     */
    public void onSenderReport(long ntpTimestamp, long arrivalNanos) {
        lastSr = (int) (ntpTimestamp >>> 16);
        lastSrArrivalNanos = arrivalNanos;
        haveSr = true;
    }

    /**
     * The source.
     *
     * @return raw 32 bits
     */
    public int ssrc() {
        return ssrc;
    }

    /**
     * Tells whether the source has left probation (A.1).
     *
     * @return true once {@link #MIN_SEQUENTIAL} packets came in sequence
     */
    public boolean valid() {
        return probation == 0;
    }

    /**
     * Packets counted as received (A.1: duplicates and late packets included).
     *
     * @return the count
     */
    public long received() {
        return received;
    }

    /**
     * The extended highest sequence number: wrap cycles in the high bits (A.1).
     *
     * @return cycles * 65536 + highest sequence number
     */
    public long extendedMax() {
        return cycles + maxSeq;
    }

    /**
     * Packets expected: extended highest minus the base plus one (A.3).
     *
     * @return the count (0 in probation)
     */
    public long expected() {
        return probation > 0 ? 0 : extendedMax() - baseSeq + 1;
    }

    /**
     * Packets lost since the start, clamped to 24 signed bits as A.3 says.
     *
     * @return -8388608..8388607 (negative when duplicates outnumber losses)
     */
    public int cumulativeLost() {
        final long lost = expected() - received;
        return (int) Math.max(-0x800000L, Math.min(0x7FFFFFL, lost));
    }

    /**
     * Interarrival jitter (A.8).
     *
     * @return RTP timestamp units of the payload type's clock
     */
    public long jitter() {
        return jitterQ4 >> 4;
    }

    /**
     * Packets at most {@link #MAX_MISORDER} behind the highest that had arrived already.
     *
     * @return the count
     */
    public long duplicates() {
        return duplicates;
    }

    /**
     * Packets that arrived after a later one (filling a gap).
     *
     * @return the count
     */
    public long reordered() {
        return reordered;
    }

    /**
     * Tells whether packets arrived since the last report block was taken.
     *
     * @return true when there is something new to report
     */
    public boolean receivedSinceReport() {
        return valid() && received != receivedPrior;
    }

    /**
     * Computes the fraction lost since the previous report as A.3 does, and moves the interval
     * marks; call once per report.
     *
     * @return 0..255 (fixed point /256)
     */
    public int takeFractionLost() {
        final long expected = expected();
        final long expectedInterval = expected - expectedPrior;
        expectedPrior = expected;
        final long receivedInterval = received - receivedPrior;
        receivedPrior = received;
        final long lostInterval = expectedInterval - receivedInterval;
        if (expectedInterval == 0 || lostInterval <= 0) {
            return 0;
        }
        // shift before the division: dividing first is the classic always-zero bug
        return (int) Math.min(255, (lostInterval << 8) / expectedInterval);
    }

    private int delaySinceLastSr(long nowNanos) {
        if (!haveSr) {
            return 0;
        }
        final long d = Math.max(0, nowNanos - lastSrArrivalNanos);
        final long units = d / NANOS_PER_SECOND * 65536 + d % NANOS_PER_SECOND * 65536 / NANOS_PER_SECOND;
        return (int) Math.min(0xFFFFFFFFL, units);
    }

    /**
     * Appends this source's report block to an open SR/RR (takes the fraction lost: one call
     * per report). Allocation-free.
     *
     * @param writer a writer with an open senderReport() or receiverReport()
     * @param nowNanos the report's time, same clock as {@link #update}
     */
    public void writeReportBlock(RtcpWriter writer, long nowNanos) {
        final int fraction = takeFractionLost();
        writer.addReportBlock(ssrc, fraction, cumulativeLost(), (int) extendedMax(),
                (int) Math.min(0xFFFFFFFFL, jitter()), haveSr ? lastSr : 0,
                delaySinceLastSr(nowNanos));
    }

    /**
     * This source's report block as a value (takes the fraction lost: one call per report).
     *
     * @param nowNanos the report's time, same clock as {@link #update}
     * @return the block
     */
    public ReportBlock reportBlock(long nowNanos) {
        final int fraction = takeFractionLost();
        return new ReportBlock(ssrc, fraction, cumulativeLost(), (int) extendedMax(),
                (int) Math.min(0xFFFFFFFFL, jitter()), haveSr ? lastSr : 0,
                delaySinceLastSr(nowNanos));
    }

    @Override
    public String toString() {
        return "SourceStatistics[ssrc=0x" + Integer.toHexString(ssrc) + " valid=" + valid()
                + " received=" + received + " expected=" + expected() + " lost=" + cumulativeLost()
                + " jitter=" + jitter() + " duplicates=" + duplicates + " reordered=" + reordered
                + "]";
    }
}
