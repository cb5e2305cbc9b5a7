package io.rtpm.relay;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import io.rtpm.ffm.RingSession;
import io.rtpm.ffm.Slot;
import io.rtpm.ffm.SlotBatch;
import io.rtpm.ffm.internal.Libc;
import io.rtpm.relay.internal.MessageVector;
import io.rtpm.ffm.internal.Net;
import io.rtpm.relay.internal.SockAddr;
import io.rtpm.relay.internal.UdpSocket;
import io.rtpm.rtp.PacketKind;
import io.rtpm.rtp.RtpPacket;
import io.rtpm.rtp.stats.ReceiverStatistics;
import io.rtpm.rtp.stats.SourceStatistics;

/**
 * The receiving half of a relay: receives a batch of datagrams straight into claimed ring slots
 * (recvmmsg), checks each (source, truncation, RTP validity or RTCP), and pushes the good ones in
 * one batch call. Run by the RX thread of the pipeline shape, or, followed after every batch by
 * the {@link TxHalf}, by the one thread of the run-to-completion shape ({@link RelayConfig#threads()}).
 *
 * <p>Claimed slots that received nothing, or something rejected, stay claimed for the next
 * receive ("spares") rather than being aborted, so the ring's counters show only real traffic.
 * When the ring has no free slot the batch is received into scratch memory and counted as
 * ring-full drops (reported to the ring with the next claim), so the socket buffer keeps draining.
 * On the way out every spare is released: no slot stays held.
 */
final class RxHalf {

    /** The slot tag that marks RTCP for the TX half (carried in rtpm_slot_meta.user_tag). */
    static final long TAG_RTCP = 1;
    /** How long a blocking RTP receive waits at most: bounds how late a stop is seen. */
    static final int RECEIVE_TIMEOUT_MILLIS = 20;
    /** How often the RTCP socket is looked at while RTP flows. */
    private static final long RTCP_CHECK_NANOS = 10_000_000L;

    private final Relay relay;
    private final RelayConfig config;
    private final RingSession producer;
    private final UdpSocket rtpSocket;
    private final UdpSocket rtcpSocket;
    private final int batch;
    private final int slotCapacity;
    private final boolean busy;
    private final boolean filterFrom;
    private final long fromHi;
    private final long fromLo;
    private final int fromPort;
    private final RtpPacket rtp = new RtpPacket();

    // Guarded by this: written by the receiving thread once per batch, read by snapshots.
    private final ReceiverStatistics receiverStats;
    private final int[] ssrcs;
    private final int[] payloadTypes;
    private int ssrcCount;
    private long rxRtp;
    private long rxRtcp;
    private long rxBytes;
    private long filtered;
    private long invalid;
    private long truncated;
    private long ringFull;
    private final long[] socketDrops = new long[2];
    private boolean latched;
    private long latchHi;
    private long latchLo;
    private int latchPort;

    RxHalf(Relay relay, RelayConfig config, RingSession producer, UdpSocket rtpSocket,
            UdpSocket rtcpSocket, int batch) {
        this.relay = relay;
        this.config = config;
        this.producer = producer;
        this.rtpSocket = rtpSocket;
        this.rtcpSocket = rtcpSocket;
        this.batch = batch;
        this.slotCapacity = producer.layout().maxPayload();
        this.busy = config.waitStrategy() == WaitStrategy.BUSY;
        InetSocketAddress from = config.rxFrom();
        this.filterFrom = from != null;
        this.fromHi = from != null ? SockAddr.hi(from.getAddress()) : 0;
        this.fromLo = from != null ? SockAddr.lo(from.getAddress()) : 0;
        this.fromPort = from != null ? from.getPort() : 0;
        this.receiverStats = new ReceiverStatistics(config.clockRates(), config.maxSources());
        this.ssrcs = new int[config.maxSources()];
        this.payloadTypes = new int[config.maxSources()];
    }

    // The receiving thread's working state, touched by that thread only. The work is done in
    // pass(), called per wake-up by the shape's loop, so the JIT compiles it as a method that
    // the warm-up's thread and the real one share. A loop inside run() is only compiled
    // on-stack for the thread that spins in it: measured, the real relay then spent a second of
    // C2 time on the RX loop under its first traffic, after the warm-up had compiled it once.
    private Slot[] spare;
    private boolean[] used;
    private SlotBatch claimed;
    private SlotBatch out;
    private int spareCount;
    private int pendingDrops;
    private MessageVector vec;
    private MemorySegment scratch;
    private MemorySegment rtpPoll;
    private long rtcpDue;
    /** Set by receiveBatch: the batch came back full, or a full ring saw data: look again. */
    private boolean more;

    /** Allocates the working state in the receiving thread's arena; call once, on that thread. */
    void open(Arena arena) {
        producer.map(); // its slot views now, not under the first packets (TxHalf.open)
        spare = new Slot[batch];
        used = new boolean[batch];
        claimed = producer.newBatch(batch);
        out = producer.newBatch(batch);
        vec = new MessageVector(arena, batch, true);
        scratch = arena.allocate((long) slotCapacity * batch, 8);
        rtpPoll = arena.allocate(8, 8); // struct pollfd for a full ring's wait
        rtpPoll.set(ValueLayout.JAVA_INT, 0, rtpSocket.fd());
        rtpPoll.set(ValueLayout.JAVA_SHORT, 4, Libc.POLLIN);
        rtcpDue = System.nanoTime();
    }

    /**
     * One wake-up: receives from the RTP socket (waiting up to the receive timeout unless busy)
     * and, when due, from the RTCP socket; batch after batch while full batches come.
     *
     * @param tx the sending half to run after every batch pushed (run to completion), or null
     *        when another thread sends (pipeline)
     * @return whether anything was received
     */
    boolean pass(TxHalf tx) {
        boolean any = false;
        for (int s = 0, n = rtcpSocket != null ? 2 : 1; s < n; s++) {
            int flags;
            if (busy) {
                flags = Net.MSG_DONTWAIT;
            } else if (s == 0) {
                // RTP: one blocking receive, not poll + receive (a syscall less per wake-up).
                // It returns at the first datagram with what else is queued, or after the
                // socket's receive timeout, so a stop is seen: close() does not wake a native
                // receive.
                flags = Net.MSG_WAITFORONE;
            } else {
                // RTCP: a few packets a second and not urgent: looked at every RTCP_CHECK_NANOS
                // (or RTP's receive timeout), not on every RTP wake-up
                long now = System.nanoTime();
                if (now - rtcpDue < 0) {
                    continue;
                }
                rtcpDue = now + RTCP_CHECK_NANOS;
                flags = Net.MSG_DONTWAIT;
            }
            do {
                int got = receiveBatch(s, flags);
                flags = Net.MSG_DONTWAIT; // after the first batch: only what is queued
                if (got > 0) {
                    any = true;
                    if (tx != null) {
                        tx.sendReady(); // what this batch pushed, before the next receive
                    }
                }
                // a flood of full RTP batches must not starve RTCP: it goes on once RTCP is due
            } while (more && !relay.stopRequested()
                    && (s != 0 || rtcpSocket == null || System.nanoTime() - rtcpDue < 0));
        }
        return any;
    }

    /**
     * Receives one batch from socket {@code s} (0: RTP, 1: RTCP) into claimed slots and pushes
     * what is good; sets {@link #more} when there may be more to receive at once.
     *
     * @param flags MSG_WAITFORONE (blocking for the first datagram) or MSG_DONTWAIT
     * @return datagrams taken from the socket (into slots or, on a full ring, scratch)
     */
    private int receiveBatch(int s, int flags) {
        more = false;
        // top up only below half a batch: at voice rates a wake-up brings one packet, and a
        // claim per packet would double the ring calls per packet
        if (spareCount <= batch / 2) {
            int n = producer.claim(claimed, batch - spareCount, pendingDrops);
            // the ring counts the reported drops even when it has no free slot
            pendingDrops = 0;
            for (int i = 0; i < n; i++) {
                spare[spareCount++] = claimed.get(i);
            }
        }
        final boolean toScratch = spareCount == 0;
        if (toScratch && flags == Net.MSG_WAITFORONE) {
            // no free slot: wait for data without taking it, then claim again, so that a
            // datagram arriving after the ring drained gets a slot
            more = Net.pollFast(rtpPoll, 1, RECEIVE_TIMEOUT_MILLIS) > 0;
            return 0;
        }
        final UdpSocket socket = s == 0 ? rtpSocket : rtcpSocket;
        final int count = toScratch ? batch : spareCount;
        for (int i = 0; i < count; i++) {
            vec.prepareReceive(i, toScratch ? scratch.address() + (long) i * slotCapacity
                    : spare[i].payloadAddress(), slotCapacity);
        }
        final int got = Net.recvmmsgFast(socket.fd(), vec.segment(), count, flags);
        if (got <= 0) {
            return 0;
        }
        more = got == count;
        if (toScratch) {
            pendingDrops += got;
            account(vec, got, s);
            return got;
        }
        accept(vec, got, s, spare, used, out);
        if (out.size() > 0) {
            producer.push(out);
            out.clear();
        }
        // compact: what was not pushed stays claimed for the next receive
        int keep = 0;
        for (int i = 0; i < spareCount; i++) {
            if (!used[i]) {
                spare[keep++] = spare[i];
            }
            used[i] = false;
        }
        spareCount = keep;
        return got;
    }

    /** Releases the claimed spares and ends the producer session; call once, on the way out. */
    void close() {
        if (out == null) {
            producer.close(); // never opened
            return;
        }
        releaseSpares(spare, spareCount, out);
    }

    private void releaseSpares(Slot[] spare, int spareCount, SlotBatch out) {
        try {
            out.clear();
            for (int i = 0; i < spareCount; i++) {
                out.add(spare[i]);
            }
            if (out.size() > 0) {
                producer.release(out);
            }
        } catch (RuntimeException e) {
            // closing the session frees whatever is still claimed (counted as aborted)
            relay.fail(e);
        } finally {
            producer.close();
        }
    }

    /** Counts ring-full drops and socket drops of a batch received into scratch. */
    private synchronized void account(MessageVector vec, int got, int socketIndex) {
        ringFull += got;
        noteOverflow(vec, got, socketIndex);
    }

    private void noteOverflow(MessageVector vec, int got, int socketIndex) {
        long o = vec.overflowCount(got - 1);
        if (o > socketDrops[socketIndex]) {
            socketDrops[socketIndex] = o;
        }
    }

    /** Classifies a received batch; marks and queues the slots to push. Allocation-free. */
    private synchronized void accept(MessageVector vec, int got, int socketIndex, Slot[] spare,
            boolean[] used, SlotBatch out) {
        noteOverflow(vec, got, socketIndex);
        final boolean rtcpPort = socketIndex == 1;
        final long now = System.nanoTime();
        final MemorySegment names = vec.names();
        for (int i = 0; i < got; i++) {
            final int len = vec.length(i);
            if ((vec.flags(i) & Net.MSG_TRUNC) != 0) {
                truncated++;
                continue;
            }
            final long nameAt = vec.nameOffset(i);
            final long hi = SockAddr.hi(names, nameAt);
            final long lo = SockAddr.lo(names, nameAt);
            final int port = SockAddr.port(names, nameAt);
            if (!sourceAllowed(hi, lo, port, rtcpPort)) {
                filtered++;
                continue;
            }
            final Slot slot = spare[i];
            final MemorySegment p = slot.payload();
            final PacketKind kind = PacketKind.classify(p, 0, len);
            final boolean isRtcp;
            if (kind == PacketKind.RTCP && (rtcpPort || config.rtcp() == RtcpMode.MUX)) {
                isRtcp = true;
            } else if (kind == PacketKind.RTP && !rtcpPort && rtp.wrap(p, 0, len).validate().ok()) {
                isRtcp = false;
                track(now);
                if (config.latch() && !latched) {
                    latched = true;
                    latchHi = hi;
                    latchLo = lo;
                    latchPort = port;
                }
            } else {
                invalid++;
                continue;
            }
            if (isRtcp) {
                rxRtcp++;
            } else {
                rxRtp++;
            }
            rxBytes += len;
            slot.length(len);
            slot.userTag(isRtcp ? TAG_RTCP : 0);
            used[i] = true;
            out.add(slot);
        }
    }

    private boolean sourceAllowed(long hi, long lo, int port, boolean rtcpPort) {
        if (filterFrom && (hi != fromHi || lo != fromLo
                || (fromPort != 0 && port != (rtcpPort ? fromPort + 1 : fromPort)))) {
            return false;
        }
        // the latch pins the address and RTP port; RTCP comes from the same address
        return !latched || (hi == latchHi && lo == latchLo && (rtcpPort || port == latchPort));
    }

    private void track(long now) {
        final int before = receiverStats.size();
        final SourceStatistics s = receiverStats.onRtp(rtp, now);
        if (s == null) {
            return;
        }
        if (receiverStats.size() > before) {
            ssrcs[ssrcCount] = rtp.ssrc();
            payloadTypes[ssrcCount++] = rtp.payloadType();
        } else {
            for (int i = ssrcCount - 1; i >= 0; i--) {
                if (ssrcs[i] == s.ssrc()) {
                    payloadTypes[i] = rtp.payloadType();
                    break;
                }
            }
        }
    }

    /** The receiving half's counters, copied under the lock it takes per batch. */
    record Counters(long rxRtp, long rxRtcp, long rxBytes, long filtered, long invalid,
            long truncated, long ringFull, long socketDrops, InetSocketAddress latched,
            List<SourceReport> sources) {
    }

    synchronized Counters snapshot() {
        List<SourceReport> sources = new ArrayList<>(ssrcCount);
        for (int i = 0; i < ssrcCount; i++) {
            SourceStatistics s = receiverStats.get(ssrcs[i]);
            if (s != null) {
                sources.add(new SourceReport(s.ssrc(), s.received(), s.expected(),
                        s.expected() - s.received(), s.duplicates(), s.reordered(), s.jitter(),
                        config.clockRates().clockRate(payloadTypes[i])));
            }
        }
        return new Counters(rxRtp, rxRtcp, rxBytes, filtered, invalid, truncated, ringFull,
                socketDrops[0] + socketDrops[1],
                latched ? SockAddr.toInet(latchHi, latchLo, latchPort) : null, sources);
    }
}
