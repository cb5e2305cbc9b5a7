package io.rtpm.engine;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import io.rtpm.ffm.RingSession;
import io.rtpm.ffm.Slot;
import io.rtpm.ffm.SlotBatch;
import io.rtpm.relay.internal.MessageVector;
import io.rtpm.relay.internal.Net;
import io.rtpm.relay.internal.SockAddr;
import io.rtpm.rtp.PacketKind;
import io.rtpm.rtp.RtpCheck;
import io.rtpm.rtp.RtpPacket;
import io.rtpm.rtp.Wire;
import io.rtpm.rtp.stats.SourceStatistics;

/**
 * One worker's packet path, the epoll design: receive a ready socket's datagrams straight into
 * claimed ring slots (recvmmsg), judge each (kind, source, RTP validity, payload type, hold),
 * tag the ones to forward with their destination leg ({@code user_tag}), and, once a batch is
 * gathered across sockets, push it to the ring, pop it back and send every packet from its
 * destination leg's socket to that leg's endpoint (sendmmsg, one call per run of packets for the
 * same socket). Everything here is the worker thread's and allocates nothing per packet.
 *
 * <p>Slots that received nothing, or something not forwarded, stay claimed as spares for the next
 * receive, so the ring's counters count only forwarded packets. With no free slot the datagrams
 * are received into scratch memory and counted as {@link DropCause#RING_FULL}, so the socket
 * keeps draining.
 */
final class PacketPath {

    /** user_tag: destination slot (bits 0..30), RTCP (bit 31), generation (bits 32..63). */
    private static final long RTCP_BIT = 1L << 31;
    private static final long SLOT_MASK = RTCP_BIT - 1;
    /** The worker's name table: per leg slot, the RTP destination at 0 and RTCP's at 32. */
    private static final long NAME_STRIDE = 64;

    private final Worker worker;
    private final RingSession session;
    private final EngineListener listener;
    private final boolean deliverNonRtp;
    private final int batch;
    private final int slotCapacity;
    private final MemorySegment counters;
    private final MemorySegment cs;
    private final MessageVector rx;
    private final MessageVector tx;
    private final MemorySegment scratch;
    private final MemorySegment names;
    private final int[] nameLength;
    private final Slot[] spare;
    private int spareCount;
    private final SlotBatch claimed;
    private final SlotBatch pushed;
    private final SlotBatch popped;
    private int pendingRingDrops;
    private final RtpPacket rtp = new RtpPacket();

    PacketPath(Worker worker, RingSession session, Arena arena) {
        this.worker = worker;
        this.session = session;
        this.listener = worker.listener;
        this.deliverNonRtp = worker.config.nonRtp() == NonRtpPolicy.DELIVER;
        this.batch = worker.config.batch();
        this.slotCapacity = session.layout().maxPayload();
        this.counters = worker.counterSegment;
        this.cs = Net.newCapture(arena);
        session.map();
        this.rx = new MessageVector(arena, batch, true);
        this.tx = new MessageVector(arena, 2 * batch, false);
        this.scratch = arena.allocate((long) batch * slotCapacity, 64);
        int capacity = worker.legs.length;
        this.names = arena.allocate(capacity * NAME_STRIDE, 8);
        this.nameLength = new int[capacity * 2];
        this.spare = new Slot[batch];
        this.claimed = session.newBatch(batch);
        this.pushed = session.newBatch(2 * batch);
        this.popped = session.newBatch(2 * batch);
    }

    /** Writes a leg's destinations from its latches (after add, update or a move). */
    void writeNames(LegState l) {
        writeName(l, false);
        writeName(l, true);
    }

    private void writeName(LegState l, boolean rtcp) {
        EndpointLatch latch = rtcp ? l.rtcpLatch : l.rtpLatch;
        long at = l.slot * NAME_STRIDE + (rtcp ? 32 : 0);
        nameLength[l.slot * 2 + (rtcp ? 1 : 0)] = latch.known()
                ? LegState.writeName(names, at, l.family, latch.hi(), latch.lo(), latch.port()) : 0;
    }

    /** Receives what a ready socket holds, up to one batch. */
    void receive(LegState leg, boolean rtcpSocket, long now) {
        if (pushed.size() + batch > pushed.capacity()) {
            flush(now);
        }
        int fd = rtcpSocket ? leg.ports.rtcp().fd() : leg.ports.rtp().fd();
        if (spareCount <= batch / 2) {
            refill();
        }
        if (spareCount == 0) {
            drainIntoScratch(leg, fd);
            return;
        }
        final int k = spareCount;
        for (int j = 0; j < k; j++) {
            rx.prepareReceive(j, spare[j].payloadAddress(), slotCapacity);
        }
        int r = Net.recvmmsgFast(fd, rx.segment(), k, Net.MSG_DONTWAIT);
        if (r < 0) {
            r = Net.recvmmsg(cs, fd, rx.segment(), k, Net.MSG_DONTWAIT);
            if (r < 0) {
                receiveError(leg, -r);
                return;
            }
        }
        int kept = 0;
        for (int j = 0; j < r; j++) {
            Slot s = spare[j];
            long tag = judge(leg, rtcpSocket, j, s.payload(), now);
            if (tag >= 0) {
                s.length(rx.length(j));
                s.userTag(tag);
                pushed.add(s);
            } else {
                spare[kept++] = s;
            }
        }
        for (int j = r; j < k; j++) {
            spare[kept++] = spare[j];
        }
        spareCount = kept;
    }

    private void refill() {
        int want = batch - spareCount;
        int got = session.claim(claimed, want, pendingRingDrops);
        if (got > 0 || pendingRingDrops == 0) {
            pendingRingDrops = 0;
        }
        for (int i = 0; i < got; i++) {
            spare[spareCount++] = claimed.get(i);
        }
    }

    private void drainIntoScratch(LegState leg, int fd) {
        for (int j = 0; j < batch; j++) {
            rx.prepareReceive(j, scratch.address() + (long) j * slotCapacity, slotCapacity);
        }
        int r = Net.recvmmsgFast(fd, rx.segment(), batch, Net.MSG_DONTWAIT);
        if (r > 0) {
            LegCounters.add(counters, leg.block, LegCounters.RX_PACKETS, r);
            LegCounters.drop(counters, leg.block, DropCause.RING_FULL, r);
            pendingRingDrops += r;
        }
    }

    private void receiveError(LegState leg, int errno) {
        if (errno == Net.EAGAIN || errno == Net.EINTR) {
            return;
        }
        LegCounters.add(counters, leg.block, LegCounters.RECEIVE_ERRORS, 1);
        LegCounters.set(counters, leg.block, LegCounters.LAST_ERRNO, errno);
        try {
            listener.onError(leg.call, leg.index, "recvmmsg", errno);
        } catch (RuntimeException e) {
            // the owner's bug must not stop the worker
        }
    }

    /**
     * Judges datagram {@code j}, counts it, and says where it goes.
     *
     * @return its user_tag, or -1 when it is not forwarded
     */
    private long judge(LegState leg, boolean rtcpSocket, int j, MemorySegment payload, long now) {
        final long b = leg.block;
        final int len = rx.length(j);
        LegCounters.add(counters, b, LegCounters.RX_PACKETS, 1);
        LegCounters.add(counters, b, LegCounters.RX_BYTES, len);
        LegCounters.set(counters, b, LegCounters.LAST_RX_NANOS, now);
        leg.lastRxNanos = now;
        long overflow = rx.overflowCount(j);
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
        if ((rx.flags(j) & Net.MSG_TRUNC) != 0 || len > slotCapacity) {
            LegCounters.drop(counters, b, DropCause.INVALID, 1);
            return -1;
        }
        PacketKind kind = PacketKind.classify(payload, 0, len);
        boolean rtcp;
        if (kind == PacketKind.RTP) {
            rtcp = false;
        } else if (kind == PacketKind.RTCP) {
            rtcp = true;
        } else {
            nonRtp(leg, kind, payload, len, j);
            return -1;
        }
        if (rtcpSocket && !rtcp) {
            LegCounters.drop(counters, b, DropCause.INVALID, 1); // RTP on the RTCP port
            return -1;
        }
        MemorySegment name = rx.names();
        long at = rx.nameOffset(j);
        long hi = SockAddr.hi(name, at);
        long lo = SockAddr.lo(name, at);
        int port = SockAddr.port(name, at);
        if (!source(leg, rtcp, hi, lo, port, now)) {
            return -1;
        }
        if (rtcp) {
            if (len < 8 || (Wire.u8(payload, 0) >>> 6) != 2) {
                LegCounters.drop(counters, b, DropCause.INVALID, 1);
                return -1;
            }
            LegCounters.add(counters, b, LegCounters.RTCP_RX, 1);
        } else {
            rtp.wrap(payload, 0, len);
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
        if (to == leg || nameLength[to.slot * 2 + (rtcp && !to.mux ? 1 : 0)] == 0) {
            LegCounters.drop(counters, b, DropCause.NO_DESTINATION, 1);
            return -1;
        }
        return (to.generation << 32) | (rtcp ? RTCP_BIT : 0) | to.slot;
    }

    /** Source control; moves the destination when learning says so. @return whether it passes */
    private boolean source(LegState leg, boolean rtcp, long hi, long lo, int port, long now) {
        EndpointLatch latch = rtcp && !leg.mux ? leg.rtcpLatch : leg.rtpLatch;
        int v = latch.onPacket(hi, lo, port, now);
        if (v == 0) {
            LegCounters.drop(counters, leg.block, DropCause.SOURCE_FILTER, 1);
            return false;
        }
        if ((v & EndpointLatch.MOVED) != 0) {
            if (rtcp && !leg.mux) {
                leg.rtcpLearned = true;
                writeName(leg, true);
            } else {
                writeName(leg, false);
                if (leg.mux) {
                    leg.rtcpLatch.reset(io.rtpm.engine.EndpointLearning.OFF, false, false, 0, true, hi, lo, port, now);
                    writeName(leg, true);
                } else if (!leg.rtcpLearned) {
                    leg.rtcpLatch.reset(io.rtpm.engine.EndpointLearning.OFF, false, false, 0, true, hi, lo,
                            (port + 1) & 0xFFFF, now);
                    writeName(leg, true);
                }
            }
        }
        if ((v & (EndpointLatch.LATCHED | EndpointLatch.HANDOVER)) != 0 && !(rtcp && !leg.mux)) {
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
            for (int i = 0; i < LegState.SSRCS; i++) {
                if (leg.ssrcs[i] != null && leg.ssrcs[i].ssrc() == ssrc) {
                    e = i;
                }
            }
            if (e < 0) {
                e = leg.currentSsrc < 0 ? 0 : (leg.currentSsrc + 1) % LegState.SSRCS;
                leg.ssrcs[e] = new SourceStatistics(ssrc, seq, now); // once per new SSRC
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

    private void nonRtp(LegState leg, PacketKind kind, MemorySegment payload, int len, int j) {
        long field = switch (kind) {
            case STUN -> LegCounters.STUN;
            case DTLS -> LegCounters.DTLS;
            default -> LegCounters.OTHER_NON_RTP;
        };
        LegCounters.add(counters, leg.block, field, 1);
        if (deliverNonRtp) {
            try {
                listener.onNonRtp(leg.call, leg.index, kind, payload.asSlice(0, len),
                        SockAddr.toInet(rx.names(), rx.nameOffset(j)));
            } catch (RuntimeException e) {
                // the owner's bug must not stop the worker
            }
        } else {
            LegCounters.drop(counters, leg.block, DropCause.NON_RTP, 1);
        }
    }

    /** Pushes what was gathered, pops it back and sends it. */
    void flush(long now) {
        if (pushed.size() == 0) {
            return;
        }
        session.push(pushed);
        pushed.clear();
        int n = session.pop(popped, popped.capacity());
        send(n);
        session.release(popped);
    }

    private void send(int n) {
        int runStart = 0;
        int runFd = -1;
        LegState runLeg = null;
        int entries = 0;
        for (int i = 0; i < n; i++) {
            Slot s = popped.get(i);
            long tag = s.userTag();
            int slot = (int) (tag & SLOT_MASK);
            boolean rtcp = (tag & RTCP_BIT) != 0;
            LegState to = slot < worker.legs.length ? worker.legs[slot] : null;
            if (to == null || to.generation != (tag >>> 32)) {
                if (to != null) {
                    LegCounters.drop(counters, to.block, DropCause.EXPIRED, 1);
                }
                continue; // its leg was removed after the push (not possible today: commands run between passes)
            }
            boolean viaRtcp = rtcp && !to.mux;
            int fd = viaRtcp ? to.ports.rtcp().fd() : to.ports.rtp().fd();
            int nl = nameLength[slot * 2 + (viaRtcp ? 1 : 0)];
            if (nl == 0) {
                LegCounters.drop(counters, to.block, DropCause.NO_DESTINATION, 1);
                continue;
            }
            if (fd != runFd && entries > 0) {
                sendRun(runLeg, runFd, entries);
                entries = 0;
            }
            runFd = fd;
            runLeg = to;
            tx.name(entries, names.address() + slot * NAME_STRIDE + (viaRtcp ? 32 : 0));
            tx.prepareSend(entries, s.payloadAddress(), s.length(), nl);
            LegCounters.add(counters, to.block, LegCounters.TX_PACKETS, 1);
            LegCounters.add(counters, to.block, LegCounters.TX_BYTES, s.length());
            if (rtcp) {
                LegCounters.add(counters, to.block, LegCounters.RTCP_TX, 1);
            }
            entries++;
        }
        if (entries > 0) {
            sendRun(runLeg, runFd, entries);
        }
    }

    private void sendRun(LegState leg, int fd, int entries) {
        int off = 0;
        while (off < entries) {
            MemorySegment v = off == 0 ? tx.segment() : tx.segment().asSlice(off * 64L);
            int r = Net.sendmmsgFast(fd, v, entries - off, Net.MSG_DONTWAIT);
            if (r < 0) {
                r = Net.sendmmsg(cs, fd, v, entries - off, Net.MSG_DONTWAIT);
                if (r < 0) {
                    int failed = entries - off;
                    LegCounters.add(counters, leg.block, LegCounters.TX_PACKETS, -failed);
                    LegCounters.drop(counters, leg.block, DropCause.SEND_ERROR, failed);
                    if (-r != Net.EAGAIN) {
                        LegCounters.add(counters, leg.block, LegCounters.SEND_ERRORS, 1);
                        LegCounters.set(counters, leg.block, LegCounters.LAST_ERRNO, -r);
                        try {
                            listener.onError(leg.call, leg.index, "sendmmsg", -r);
                        } catch (RuntimeException e) {
                            // the owner's bug must not stop the worker
                        }
                    }
                    return;
                }
            }
            off += r;
        }
    }

    /** Gives back every spare slot (on the way out). */
    void close() {
        claimed.clear();
        for (int i = 0; i < spareCount; i++) {
            claimed.add(spare[i]);
        }
        spareCount = 0;
        if (claimed.size() > 0) {
            session.release(claimed);
        }
    }
}
