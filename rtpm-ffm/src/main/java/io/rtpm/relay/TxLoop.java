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
import io.rtpm.relay.internal.Net;
import io.rtpm.relay.internal.SockAddr;
import io.rtpm.relay.internal.UdpSocket;

/**
 * The TX thread: pops a batch of READY slots, drops expired ones, runs the hook, sends the rest
 * straight from the slots with one sendmmsg (looping on partial sends), and releases the whole
 * batch in {@code finally}, so no slot stays popped whatever happens. Ends when the RX thread has
 * finished and the ring is drained (graceful stop), or when the ring is stopped and drained.
 */
final class TxLoop implements Runnable {

    private static final long WAIT_MILLIS = 100;

    private final Relay relay;
    private final RelayConfig config;
    private final RingSession consumer;
    private final UdpSocket socket;
    private final int batch;
    private final PacketHook hook;
    private final long maxAge;
    /** Per vector entry of the current batch: whether it is RTCP, and its length. */
    private final boolean[] sentRtcp;
    private final int[] sentLen;

    // Guarded by this: written by the TX thread once per batch, read by snapshots.
    private long txRtp;
    private long txRtcp;
    private long txBytes;
    private long expired;
    private long hookDropped;
    private long hookErrors;
    private long sendErrors;

    TxLoop(Relay relay, RelayConfig config, RingSession consumer, UdpSocket socket, int batch) {
        this.relay = relay;
        this.config = config;
        this.consumer = consumer;
        this.socket = socket;
        this.batch = batch;
        this.hook = config.hook();
        this.maxAge = config.maxAgeNanos();
        this.sentRtcp = new boolean[batch];
        this.sentLen = new int[batch];
    }

    @Override
    public void run() {
        SlotBatch popped = consumer.newBatch(batch);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cs = Net.newCapture(arena);
            MessageVector vec = new MessageVector(arena, batch, false);
            // partial sends restart mid-vector: one precomputed view per start entry
            MemorySegment[] from = new MemorySegment[batch];
            for (int i = 0; i < batch; i++) {
                from[i] = vec.segment().asSlice(i * 64L);
            }
            InetSocketAddress dst = config.txDestination();
            MemorySegment rtpName = arena.allocate(SockAddr.MAX_LEN, 8);
            int nameLen = SockAddr.write(rtpName, dst, socket.family());
            MemorySegment rtcpName = arena.allocate(SockAddr.MAX_LEN, 8);
            SockAddr.write(rtcpName, config.rtcp() == RtcpMode.PORT_PLUS_ONE
                    ? new InetSocketAddress(dst.getAddress(), dst.getPort() + 1) : dst, socket.family());
            final long rtpAddr = rtpName.address();
            final long rtcpAddr = rtcpName.address();
            final boolean busy = config.waitStrategy() == WaitStrategy.BUSY;
            if (config.txCpu() >= 0) {
                Relay.pin("TX", config.txCpu());
            }
            while (true) {
                int n;
                try {
                    n = consumer.pop(popped, batch);
                } catch (RingStoppedException e) {
                    return; // stopped and drained: the operator ran `rtpm stop`
                }
                if (n == 0) {
                    if (relay.rxHasFinished()) {
                        return; // graceful stop: RX pushes nothing more and the ring is empty
                    }
                    if (busy) {
                        Thread.onSpinWait();
                    } else {
                        consumer.awaitReadable(WAIT_MILLIS, TimeUnit.MILLISECONDS);
                    }
                    continue;
                }
                try {
                    send(cs, vec, from, popped, n, rtpAddr, rtcpAddr, nameLen);
                } finally {
                    consumer.release(popped);
                }
            }
        } catch (RuntimeException | Error e) {
            relay.fail(e);
        } finally {
            consumer.close();
        }
    }

    private void send(MemorySegment cs, MessageVector vec, MemorySegment[] from, SlotBatch popped,
            int n, long rtpAddr, long rtcpAddr, int nameLen) {
        final long now = maxAge > 0 ? System.nanoTime() : 0;
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
            final boolean isRtcp = slot.userTag() == RxLoop.TAG_RTCP;
            if (hook != null) {
                try {
                    len = hook.onPacket(slot.payload(), len, isRtcp);
                } catch (RuntimeException e) {
                    errors++;
                    continue;
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

    /** The TX side's counters. */
    record Counters(long txRtp, long txRtcp, long txBytes, long expired, long hookDropped,
            long hookErrors, long sendErrors) {
    }

    synchronized Counters snapshot() {
        return new Counters(txRtp, txRtcp, txBytes, expired, hookDropped, hookErrors, sendErrors);
    }
}
