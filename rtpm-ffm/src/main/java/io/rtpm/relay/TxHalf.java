package io.rtpm.relay;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

import io.rtpm.ffm.RingSession;
import io.rtpm.ffm.RingStoppedException;
import io.rtpm.ffm.Slot;
import io.rtpm.ffm.SlotBatch;
import io.rtpm.relay.internal.MessageVector;
import io.rtpm.ffm.internal.Net;
import io.rtpm.relay.internal.SockAddr;
import io.rtpm.relay.internal.UdpSocket;

/**
 * The sending half of a relay: pops a batch of READY slots, drops expired ones, runs the hook,
 * sends the rest straight from the slots with one sendmmsg (looping on partial sends), and
 * releases the whole batch in {@code finally}, so no slot stays popped whatever happens. Run by
 * the TX thread of the pipeline shape, or after every batch received by the one thread of the
 * run-to-completion shape ({@link RelayConfig#threads()}).
 */
final class TxHalf {

    private static final long WAIT_MILLIS = 100;

    private final RelayConfig config;
    private final RingSession consumer;
    private final UdpSocket socket;
    private final int batch;
    private final PacketHook hook;
    private final long maxAge;
    /** Per vector entry of the current batch: whether it is RTCP, and its length. */
    private final boolean[] sentRtcp;
    private final int[] sentLen;

    // Guarded by this: written by the sending thread once per batch, read by snapshots.
    private long txRtp;
    private long txRtcp;
    private long txBytes;
    private long expired;
    private long hookDropped;
    private long hookErrors;
    private long sendErrors;

    // The sending thread's working state (see open).
    private SlotBatch popped;
    private MemorySegment cs;
    private MessageVector vec;
    private MemorySegment[] from;
    private long rtpAddr;
    private long rtcpAddr;
    private int nameLen;

    TxHalf(RelayConfig config, RingSession consumer, UdpSocket socket, int batch) {
        this.config = config;
        this.consumer = consumer;
        this.socket = socket;
        this.batch = batch;
        this.hook = config.hook();
        this.maxAge = config.maxAgeNanos();
        this.sentRtcp = new boolean[batch];
        this.sentLen = new int[batch];
    }

    /** Allocates the working state in the sending thread's arena; call once, on that thread. */
    void open(Arena arena) {
        // map now: mapping makes a view per slot (measured: 135 KB for 1024 slots), which the
        // first pop would otherwise do under the first packets (with one thread, the first pop
        // comes after the first receive)
        consumer.map();
        popped = consumer.newBatch(batch);
        cs = Net.newCapture(arena);
        vec = new MessageVector(arena, batch, false);
        // partial sends restart mid-vector: one precomputed view per start entry
        from = new MemorySegment[batch];
        for (int i = 0; i < batch; i++) {
            from[i] = vec.segment().asSlice(i * 64L);
        }
        InetSocketAddress dst = config.txDestination();
        MemorySegment rtpName = arena.allocate(SockAddr.MAX_LEN, 8);
        nameLen = SockAddr.write(rtpName, dst, socket.family());
        MemorySegment rtcpName = arena.allocate(SockAddr.MAX_LEN, 8);
        SockAddr.write(rtcpName, config.rtcp() == RtcpMode.PORT_PLUS_ONE
                ? new InetSocketAddress(dst.getAddress(), dst.getPort() + 1) : dst, socket.family());
        rtpAddr = rtpName.address();
        rtcpAddr = rtcpName.address();
    }

    /**
     * Pops what is READY (up to a batch), sends it and releases it.
     *
     * @return how many slots were popped (0 when nothing is READY)
     * @throws RingStoppedException when the ring is stopped and drained
     */
    int sendReady() {
        int n = consumer.pop(popped, batch);
        if (n > 0) {
            try {
                send(n);
            } finally {
                consumer.release(popped);
            }
        }
        return n;
    }

    /** Sends what is READY until nothing is, or the ring is stopped and drained. */
    void drain() {
        try {
            while (sendReady() > 0) {
                // until empty
            }
        } catch (RingStoppedException e) {
            // stopped and drained
        }
    }

    /** Sleeps until something is READY or the ring is stopped, 100 ms at most. */
    void awaitReady() {
        consumer.awaitReadable(WAIT_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Ends the consumer session (the ring reclaims anything still popped); call once. */
    void close() {
        consumer.close();
    }

    private void send(int n) {
        long now = maxAge > 0 ? System.nanoTime() : 0;
        int m = 0;
        long exp = 0;
        long dropped = 0;
        long errors = 0;
        for (int i = 0; i < n; i++) {
            final Slot slot = popped.get(i);
            int len = slot.length();
            if (maxAge > 0 && now - slot.pushNanos() > maxAge) {
                exp++;
                continue;
            }
            final boolean isRtcp = slot.userTag() == RxHalf.TAG_RTCP;
            if (hook != null) {
                try {
                    len = hook.onPacket(slot.payload(), len, isRtcp);
                } catch (RuntimeException e) {
                    errors++;
                    continue;
                } finally {
                    if (maxAge > 0) {
                        now = System.nanoTime(); // a slow hook ages the rest of the batch
                    }
                }
                if (len < 0 || len > slot.capacity()) {
                    dropped++;
                    continue;
                }
            }
            vec.name(m, isRtcp ? rtcpAddr : rtpAddr);
            vec.prepareSend(m, slot.payloadAddress(), len, nameLen);
            sentRtcp[m] = isRtcp;
            sentLen[m] = len;
            m++;
        }
        long rtp = 0;
        long rtcp = 0;
        long bytes = 0;
        long failed = 0;
        for (int off = 0; off < m;) {
            int r = Net.sendmmsgFast(socket.fd(), from[off], m - off, 0);
            if (r < 0) {
                r = Net.sendmmsg(cs, socket.fd(), from[off], m - off, 0); // again, to learn errno
            }
            if (r > 0) {
                for (int j = off; j < off + r; j++) {
                    if (sentRtcp[j]) {
                        rtcp++;
                    } else {
                        rtp++;
                    }
                    bytes += sentLen[j];
                }
                off += r;
            } else if (r != -Net.EINTR && r != -Net.EAGAIN) {
                failed++; // the first message of the rest was refused: skip it, send the others
                off++;
            }
        }
        synchronized (this) {
            txRtp += rtp;
            txRtcp += rtcp;
            txBytes += bytes;
            expired += exp;
            hookDropped += dropped;
            hookErrors += errors;
            sendErrors += failed;
        }
    }

    /** The sending half's counters. */
    record Counters(long txRtp, long txRtcp, long txBytes, long expired, long hookDropped,
            long hookErrors, long sendErrors) {
    }

    synchronized Counters snapshot() {
        return new Counters(txRtp, txRtcp, txBytes, expired, hookDropped, hookErrors, sendErrors);
    }
}
