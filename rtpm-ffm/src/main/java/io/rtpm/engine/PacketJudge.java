package io.rtpm.engine;

import java.lang.foreign.MemorySegment;

import io.rtpm.ffm.internal.Net;
import io.rtpm.relay.internal.SockAddr;
import io.rtpm.rtp.PacketKind;
import io.rtpm.rtp.RtpCheck;
import io.rtpm.rtp.RtpPacket;
import io.rtpm.rtp.Wire;
import io.rtpm.rtp.stats.SourceStatistics;

/**
 * What happens to one received datagram, whichever design received it: it is counted, classified
 * (RTP, RTCP, STUN, DTLS, other), its source judged by the leg's latch (learning, strict source,
 * handover), RTP validated, the payload-type filter and hold applied, its SSRC's RFC 3550
 * statistics updated, and its destination leg named in a slot tag. The worker thread's own;
 * allocation-free but for events (a new SSRC, a latch, a non-RTP delivery).
 */
final class PacketJudge {

    /** Slot tag: destination slot (bits 0..30), RTCP (bit 31), generation (bits 32..63). */
    static final long RTCP_BIT = 1L << 31;
    static final long SLOT_MASK = RTCP_BIT - 1;

    private final EngineListener listener;
    private final boolean deliverNonRtp;
    private final MemorySegment counters;
    private final Destinations destinations;
    private final RtpPacket rtp = new RtpPacket();

    PacketJudge(Worker worker, Destinations destinations) {
        this.listener = worker.listener;
        this.deliverNonRtp = worker.config.nonRtp() == NonRtpPolicy.DELIVER;
        this.counters = worker.counterSegment;
        this.destinations = destinations;
    }

    /**
     * Judges one datagram and counts it.
     *
     * @param payload the memory holding it
     * @param offset where it starts
     * @param len its length (what fitted)
     * @param truncated whether the kernel cut it (MSG_TRUNC)
     * @param overflow the socket's SO_RXQ_OVFL count that came with it, or -1
     * @param name the memory holding its source sockaddr
     * @param nameAt where that starts
     * @return its slot tag, or -1 when it is not forwarded
     */
    long judge(LegState leg, boolean rtcpSocket, MemorySegment payload, long offset, int len,
            boolean truncated, long overflow, MemorySegment name, long nameAt, long now) {
        final long b = leg.block;
        LegCounters.add(counters, b, LegCounters.RX_PACKETS, 1);
        LegCounters.add(counters, b, LegCounters.RX_BYTES, len);
        LegCounters.set(counters, b, LegCounters.LAST_RX_NANOS, now);
        leg.lastRxNanos = now;
        if (overflow >= 0) {
            long seen = rtcpSocket ? leg.overflowRtcp : leg.overflowRtp;
            if (overflow != seen) {
                LegCounters.drop(counters, b, DropCause.SOCKET_OVERFLOW, (overflow - seen) & 0xFFFF_FFFFL);
                if (rtcpSocket) {
                    leg.overflowRtcp = overflow;
                } else {
                    leg.overflowRtp = overflow;
                }
            }
        }
        if (truncated) {
            LegCounters.drop(counters, b, DropCause.INVALID, 1);
            return -1;
        }
        PacketKind kind = PacketKind.classify(payload, offset, len);
        boolean rtcp;
        if (kind == PacketKind.RTP) {
            rtcp = false;
        } else if (kind == PacketKind.RTCP) {
            rtcp = true;
        } else {
            nonRtp(leg, kind, payload, offset, len, name, nameAt);
            return -1;
        }
        if (rtcpSocket && !rtcp) {
            LegCounters.drop(counters, b, DropCause.INVALID, 1); // RTP on the RTCP port
            return -1;
        }
        long hi = SockAddr.hi(name, nameAt);
        long lo = SockAddr.lo(name, nameAt);
        int port = SockAddr.port(name, nameAt);
        if (!source(leg, rtcp, hi, lo, port, now)) {
            return -1;
        }
        if (rtcp) {
            if (len < 8 || (Wire.u8(payload, offset) >>> 6) != 2) {
                LegCounters.drop(counters, b, DropCause.INVALID, 1);
                return -1;
            }
            LegCounters.add(counters, b, LegCounters.RTCP_RX, 1);
        } else {
            rtp.wrap(payload, offset, len);
            if (rtp.validate() != RtpCheck.OK) {
                LegCounters.drop(counters, b, DropCause.INVALID, 1);
                return -1;
            }
            int pt = rtp.payloadType();
            if (!leg.passes(pt)) {
                LegCounters.drop(counters, b, DropCause.PAYLOAD_TYPE_FILTER, 1);
                return -1;
            }
            track(leg, rtp.ssrc(), rtp.sequenceNumber(), rtp.timestamp(), pt, now);
        }
        if (!leg.sending) {
            LegCounters.drop(counters, b, DropCause.HELD, 1);
            return -1;
        }
        LegState to = leg.peer;
        if (to == leg || destinations.length(to.slot, rtcp && !to.mux) == 0) {
            LegCounters.drop(counters, b, DropCause.NO_DESTINATION, 1);
            return -1;
        }
        return (to.generation << 32) | (rtcp ? RTCP_BIT : 0) | to.slot;
    }

    /** Source control; moves the destination when learning says so. @return whether it passes */
    private boolean source(LegState leg, boolean rtcp, long hi, long lo, int port, long now) {
        boolean ownRtcp = rtcp && !leg.mux;
        EndpointLatch latch = ownRtcp ? leg.rtcpLatch : leg.rtpLatch;
        int v = latch.onPacket(hi, lo, port, now);
        if (v == 0) {
            LegCounters.drop(counters, leg.block, DropCause.SOURCE_FILTER, 1);
            return false;
        }
        if ((v & EndpointLatch.MOVED) != 0) {
            if (ownRtcp) {
                leg.rtcpLearned = true;
                destinations.write(leg, true);
            } else {
                destinations.write(leg, false);
                if (leg.mux || !leg.rtcpLearned) {
                    // RTCP follows RTP: the same port with rtcp-mux, else port + 1 until its own traffic
                    leg.rtcpLatch.reset(EndpointLearning.OFF, false, false, 0, true, hi, lo,
                            leg.mux ? port : (port + 1) & 0xFFFF, now);
                    destinations.write(leg, true);
                }
            }
        }
        if ((v & (EndpointLatch.LATCHED | EndpointLatch.HANDOVER)) != 0 && !ownRtcp) {
            try {
                if ((v & EndpointLatch.HANDOVER) != 0) {
                    listener.onHandover(leg.call, leg.index, LegState.inet(hi, lo, port));
                } else {
                    listener.onLatched(leg.call, leg.index, LegState.inet(hi, lo, port));
                }
            } catch (RuntimeException e) {
                // the owner's bug must not stop the worker
            }
        }
        return true;
    }

    /** RFC 3550 A.1/A.8 per SSRC, published in the leg's counter block. */
    private void track(LegState leg, int ssrc, int seq, int timestamp, int pt, long now) {
        int e = leg.currentSsrc;
        SourceStatistics s = e >= 0 ? leg.ssrcs[e] : null;
        if (s == null || s.ssrc() != ssrc) {
            e = -1;
            for (int i = 0; i < leg.ssrcCount; i++) {
                if (leg.ssrcs[i].ssrc() == ssrc) {
                    e = i;
                }
            }
            if (e < 0) {
                e = leg.currentSsrc < 0 ? 0 : (leg.currentSsrc + 1) % LegState.SSRCS;
                leg.ssrcCount = Math.max(leg.ssrcCount, e + 1);
                leg.ssrcs[e].restart(ssrc, seq, now); // made with the leg: nothing allocated here
                leg.ssrcRated[e] = false;
                long base = LegCounters.SSRCS + e * LegCounters.SSRC_ENTRY;
                LegCounters.set(counters, leg.block, base + LegCounters.SSRC_RECEIVED, 0);
                LegCounters.set(counters, leg.block, base + LegCounters.SSRC_JITTER, -1);
                LegCounters.set(counters, leg.block, base + LegCounters.SSRC_ID,
                        (ssrc & 0xFFFF_FFFFL) | LegCounters.SSRC_PRESENT);
                try {
                    listener.onSsrcChange(leg.call, leg.index, ssrc);
                } catch (RuntimeException ex) {
                    // the owner's bug must not stop the worker
                }
            }
            leg.currentSsrc = e;
            s = leg.ssrcs[e];
        }
        int rate = leg.rates.clockRate(pt);
        s.update(seq, timestamp, now, rate);
        leg.ssrcRated[e] |= rate > 0;
        long base = LegCounters.SSRCS + e * LegCounters.SSRC_ENTRY;
        final long b = leg.block;
        LegCounters.set(counters, b, base + LegCounters.SSRC_RECEIVED, s.received());
        LegCounters.set(counters, b, base + LegCounters.SSRC_EXT_MAX, s.extendedMax());
        LegCounters.set(counters, b, base + LegCounters.SSRC_LOST, s.cumulativeLost());
        LegCounters.set(counters, b, base + LegCounters.SSRC_JITTER, leg.ssrcRated[e] ? s.jitter() : -1);
    }

    private void nonRtp(LegState leg, PacketKind kind, MemorySegment payload, long offset, int len,
            MemorySegment name, long nameAt) {
        long field = switch (kind) {
            case STUN -> LegCounters.STUN;
            case DTLS -> LegCounters.DTLS;
            default -> LegCounters.OTHER_NON_RTP;
        };
        LegCounters.add(counters, leg.block, field, 1);
        if (deliverNonRtp) {
            try {
                listener.onNonRtp(leg.call, leg.index, kind, payload.asSlice(offset, len),
                        SockAddr.toInet(name, nameAt));
            } catch (RuntimeException e) {
                // the owner's bug must not stop the worker
            }
        } else {
            LegCounters.drop(counters, leg.block, DropCause.NON_RTP, 1);
        }
    }

    /**
     * The live leg a popped slot's tag names, to send from.
     *
     * @return the leg, or null when it was replaced since the push (counted {@link DropCause#EXPIRED})
     *         or has nowhere to send yet (counted {@link DropCause#NO_DESTINATION})
     */
    LegState destination(LegState[] legs, long tag) {
        int slot = (int) (tag & SLOT_MASK);
        LegState to = slot < legs.length ? legs[slot] : null;
        if (to == null || to.generation != (tag >>> 32)) {
            if (to != null) {
                LegCounters.drop(counters, to.block, DropCause.EXPIRED, 1);
            }
            return null; // its leg was replaced after the push (commands run between passes)
        }
        if (destinations.length(slot, (tag & RTCP_BIT) != 0 && !to.mux) == 0) {
            LegCounters.drop(counters, to.block, DropCause.NO_DESTINATION, 1);
            return null;
        }
        return to;
    }

    /** Counts a packet about to leave from {@code to}'s socket. */
    void sending(LegState to, int length, boolean rtcp) {
        LegCounters.add(counters, to.block, LegCounters.TX_PACKETS, 1);
        LegCounters.add(counters, to.block, LegCounters.TX_BYTES, length);
        if (rtcp) {
            LegCounters.add(counters, to.block, LegCounters.RTCP_TX, 1);
        }
    }

    /** Counts a failed receive: its errno, and the owner hears of it. */
    void receiveError(LegState leg, int errno) {
        LegCounters.add(counters, leg.block, LegCounters.RECEIVE_ERRORS, 1);
        LegCounters.set(counters, leg.block, LegCounters.LAST_ERRNO, errno);
        try {
            listener.onError(leg.call, leg.index, "receive", errno);
        } catch (RuntimeException e) {
            // the owner's bug must not stop the worker
        }
    }

    /** Counts packets a send failed for. */
    void sendError(LegState leg, int packets, int errno) {
        LegCounters.add(counters, leg.block, LegCounters.TX_PACKETS, -packets);
        LegCounters.drop(counters, leg.block, DropCause.SEND_ERROR, packets);
        if (errno != Net.EAGAIN) {
            LegCounters.add(counters, leg.block, LegCounters.SEND_ERRORS, 1);
            LegCounters.set(counters, leg.block, LegCounters.LAST_ERRNO, errno);
            try {
                listener.onError(leg.call, leg.index, "send", errno);
            } catch (RuntimeException e) {
                // the owner's bug must not stop the worker
            }
        }
    }
}
