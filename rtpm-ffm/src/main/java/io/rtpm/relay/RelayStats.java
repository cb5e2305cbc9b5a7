package io.rtpm.relay;

import java.net.InetSocketAddress;
import java.util.List;

import io.rtpm.ffm.RingStats;

/**
 * One snapshot of a relay: its ring's counters, what its receiving and sending halves counted, and the
 * per-SSRC receive statistics. Counters run since the relay started.
 *
 * @param ring the ring's own counters (see docs/ABI.md)
 * @param uptimeNanos time since start
 * @param rxRtp RTP packets received and pushed into the ring
 * @param rxRtcp RTCP packets received and pushed into the ring
 * @param rxBytes bytes of both
 * @param filtered datagrams from a source other than {@code rxFrom} or the latched one, dropped
 * @param invalid datagrams that were neither valid RTP nor RTCP where RTCP belongs, dropped
 * @param truncated datagrams larger than a slot, dropped
 * @param ringFull datagrams dropped because the ring had no free slot
 * @param socketDrops datagrams the kernel dropped on a full socket buffer (SO_RXQ_OVFL)
 * @param txRtp RTP packets sent
 * @param txRtcp RTCP packets sent
 * @param txBytes bytes of both
 * @param expired packets older than the maximum age when popped, not sent
 * @param hookDropped packets the {@link PacketHook} dropped
 * @param hookErrors packets dropped because the hook threw
 * @param sendErrors packets sendmmsg refused (e.g. no route)
 * @param latchedSource the source latched to (symmetric RTP), or null
 * @param sources per-SSRC statistics, in order of first arrival
 */
public record RelayStats(RingStats ring, long uptimeNanos, long rxRtp, long rxRtcp, long rxBytes,
        long filtered, long invalid, long truncated, long ringFull, long socketDrops, long txRtp,
        long txRtcp, long txBytes, long expired, long hookDropped, long hookErrors, long sendErrors,
        InetSocketAddress latchedSource, List<SourceReport> sources) {

    /** Copies the list so a snapshot never changes. */
    public RelayStats {
        sources = List.copyOf(sources);
    }

    /** @return RTP sequence numbers missing, over all sources (never negative) */
    public long rtpLost() {
        long n = 0;
        for (SourceReport s : sources) {
            n += Math.max(0, s.lost());
        }
        return n;
    }

    /** @return the largest jitter of any source in milliseconds, or 0 when none is known */
    public double maxJitterMillis() {
        double j = 0;
        for (SourceReport s : sources) {
            j = Math.max(j, s.jitterMillis());
        }
        return j;
    }

    /** @return every datagram the relay received and could not relay, whatever the reason */
    public long dropped() {
        return filtered + invalid + truncated + ringFull + socketDrops + expired + hookDropped
                + hookErrors + sendErrors;
    }
}
