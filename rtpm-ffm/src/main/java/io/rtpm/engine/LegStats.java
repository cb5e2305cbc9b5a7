package io.rtpm.engine;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A snapshot of one leg's counters, read from its counter block without a lock (it allocates,
 * once per snapshot, never on the worker). Packets are counted where they arrive ({@code rx*})
 * and where they leave ({@code tx*}); drops by cause.
 */
public final class LegStats {

    private final long rxPackets;
    private final long rxBytes;
    private final long txPackets;
    private final long txBytes;
    private final long rtcpReceived;
    private final long rtcpSent;
    private final long lastPacketNanos;
    private final long stun;
    private final long dtls;
    private final long otherNonRtp;
    private final long receiveErrors;
    private final long sendErrors;
    private final long receiveRearms;
    private final Map<DropCause, Long> drops;
    private final List<SsrcStats> ssrcs;

    private LegStats(MemorySegment s, long b) {
        rxPackets = LegCounters.get(s, b, LegCounters.RX_PACKETS);
        rxBytes = LegCounters.get(s, b, LegCounters.RX_BYTES);
        txPackets = LegCounters.get(s, b, LegCounters.TX_PACKETS);
        txBytes = LegCounters.get(s, b, LegCounters.TX_BYTES);
        rtcpReceived = LegCounters.get(s, b, LegCounters.RTCP_RX);
        rtcpSent = LegCounters.get(s, b, LegCounters.RTCP_TX);
        lastPacketNanos = LegCounters.get(s, b, LegCounters.LAST_RX_NANOS);
        stun = LegCounters.get(s, b, LegCounters.STUN);
        dtls = LegCounters.get(s, b, LegCounters.DTLS);
        otherNonRtp = LegCounters.get(s, b, LegCounters.OTHER_NON_RTP);
        receiveErrors = LegCounters.get(s, b, LegCounters.RECEIVE_ERRORS);
        sendErrors = LegCounters.get(s, b, LegCounters.SEND_ERRORS);
        receiveRearms = LegCounters.get(s, b, LegCounters.RECEIVE_REARMS);
        Map<DropCause, Long> d = new EnumMap<>(DropCause.class);
        for (DropCause c : DropCause.values()) {
            d.put(c, LegCounters.drops(s, b, c));
        }
        drops = d;
        List<SsrcStats> list = new ArrayList<>(LegCounters.SSRC_ENTRIES);
        for (int i = 0; i < LegCounters.SSRC_ENTRIES; i++) {
            long e = LegCounters.SSRCS + i * LegCounters.SSRC_ENTRY;
            long id = LegCounters.get(s, b, e + LegCounters.SSRC_ID);
            if ((id & LegCounters.SSRC_PRESENT) == 0) {
                continue;
            }
            long received = LegCounters.get(s, b, e + LegCounters.SSRC_RECEIVED);
            long extMax = LegCounters.get(s, b, e + LegCounters.SSRC_EXT_MAX);
            list.add(new SsrcStats((int) id, received, extMax,
                    LegCounters.get(s, b, e + LegCounters.SSRC_LOST),
                    LegCounters.get(s, b, e + LegCounters.SSRC_JITTER)));
        }
        ssrcs = List.copyOf(list);
    }

    static LegStats read(MemorySegment s, long block) {
        while (true) {
            long g = LegCounters.get(s, block, LegCounters.GENERATION);
            LegStats st = new LegStats(s, block);
            if (LegCounters.get(s, block, LegCounters.GENERATION) == g) {
                return st;
            }
        }
    }

    /** @return datagrams received on the leg's ports (RTP and RTCP, before any filter) */
    public long rxPackets() {
        return rxPackets;
    }

    /** @return their bytes */
    public long rxBytes() {
        return rxBytes;
    }

    /** @return datagrams sent from the leg's ports to its endpoint */
    public long txPackets() {
        return txPackets;
    }

    /** @return their bytes */
    public long txBytes() {
        return txBytes;
    }

    /** @return RTCP packets received (part of {@link #rxPackets()}) */
    public long rtcpReceived() {
        return rtcpReceived;
    }

    /** @return RTCP packets sent (part of {@link #txPackets()}) */
    public long rtcpSent() {
        return rtcpSent;
    }

    /** @return {@link System#nanoTime()} of the last datagram received, 0 if none */
    public long lastPacketNanos() {
        return lastPacketNanos;
    }

    /** @return STUN datagrams received */
    public long stun() {
        return stun;
    }

    /** @return DTLS datagrams received */
    public long dtls() {
        return dtls;
    }

    /** @return other non-RTP datagrams (ZRTP, TURN channel, unknown) */
    public long otherNonRtp() {
        return otherNonRtp;
    }

    /** @return receives that failed with something other than "nothing now" (EAGAIN, EINTR) */
    public long receiveErrors() {
        return receiveErrors;
    }

    /** @return sends that failed (their packets count as {@link DropCause#SEND_ERROR}) */
    public long sendErrors() {
        return sendErrors;
    }

    /** @return receives re-armed after the provided-buffer ring ran dry (io_uring design) */
    public long receiveRearms() {
        return receiveRearms;
    }

    /** @return drops of one cause */
    public long drops(DropCause cause) {
        return drops.get(cause);
    }

    /** @return all drops */
    public long drops() {
        long n = 0;
        for (long v : drops.values()) {
            n += v;
        }
        return n;
    }

    /** @return the SSRCs seen lately (at most two: the current one and the one before) */
    public List<SsrcStats> ssrcs() {
        return ssrcs;
    }

    @Override
    public String toString() {
        return "LegStats[rx=" + rxPackets + ", tx=" + txPackets + ", rtcp " + rtcpReceived + "/" + rtcpSent
                + ", drops=" + drops + ", ssrcs=" + ssrcs + "]";
    }
}
