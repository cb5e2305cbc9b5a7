package io.rtpm.cli;

import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.Map;

import io.rtpm.rtp.rtcp.RtcpCompound;
import io.rtpm.rtp.rtcp.RtcpPacket;
import io.rtpm.rtp.rtcp.SdesItems;
import io.rtpm.rtp.stats.ReceiverStatistics;

/**
 * What {@code rtpm recv} learns from RTCP: compound packets (RFC 3550 A.2 checked), sender
 * reports, CNAMEs and BYEs, per SSRC. The last SR's packet count lets a test compare what the
 * sender says it sent with what arrived.
 */
final class RtcpTally {

    /** SSRCs remembered at most: RTCP from a flood of made-up SSRCs stays bounded. */
    private static final int MAX_SOURCES = 64;

    /** One SSRC's RTCP. */
    static final class Source {
        long reports;
        long lastPackets = -1;
        long lastOctets = -1;
        String cname;
        boolean bye;
    }

    private final Map<Integer, Source> sources = new HashMap<>();
    private final RtcpCompound compound = new RtcpCompound();
    private final SdesItems items = new SdesItems();
    long compounds;
    long senderReports;
    long byes;
    /** Datagrams on the RTCP port that were not valid compound RTCP. */
    long invalid;
    /** RTCP on the RTP port when it was expected on port + 1. */
    long misplaced;

    /**
     * @param seg the datagram (from offset 0)
     * @param len its length
     * @param stats told of each SR, for the LSR/DLSR of report blocks
     * @param now arrival time
     */
    void onCompound(MemorySegment seg, int len, ReceiverStatistics stats, long now) {
        if (!RtcpCompound.validate(seg, 0, len, true).ok()) {
            invalid++;
            return;
        }
        compounds++;
        for (compound.wrap(seg, 0, len); compound.next(); ) {
            RtcpPacket p = compound.packet();
            switch (p.packetType()) {
                case RtcpPacket.SR -> {
                    senderReports++;
                    stats.onSenderReport(p, now);
                    Source s = source(p.senderSsrc(), true);
                    if (s != null) {
                        s.reports++;
                        s.lastPackets = Integer.toUnsignedLong(p.senderPacketCount());
                        s.lastOctets = Integer.toUnsignedLong(p.senderOctetCount());
                    }
                }
                case RtcpPacket.SDES -> {
                    items.reset(p);
                    while (items.nextChunk()) {
                        int ssrc = items.chunkSsrc();
                        while (items.nextItem()) {
                            Source s = items.itemType() == SdesItems.CNAME ? source(ssrc, true) : null;
                            if (s != null) {
                                s.cname = items.itemText();
                            }
                        }
                    }
                }
                case RtcpPacket.BYE -> {
                    byes++;
                    for (int i = 0; i < p.count(); i++) {
                        Source s = source(p.byeSsrc(i), true);
                        if (s != null) {
                            s.bye = true;
                        }
                    }
                }
                default -> {
                    // RR, APP, feedback: counted in compounds only
                }
            }
        }
    }

    /** @return the SSRC's RTCP, or null when none arrived */
    Source source(int ssrc) {
        return sources.get(ssrc);
    }

    private Source source(int ssrc, boolean create) {
        Source s = sources.get(ssrc);
        if (s == null && create && sources.size() < MAX_SOURCES) {
            s = new Source();
            sources.put(ssrc, s);
        }
        return s;
    }

    /** @return true while a source that sent a sender report has not said BYE */
    boolean awaitingBye() {
        for (Source s : sources.values()) {
            if (s.reports > 0 && !s.bye) {
                return true;
            }
        }
        return false;
    }
}
