package io.rtpm.engine;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import io.rtpm.relay.PortInUseException;
import io.rtpm.relay.internal.UdpSocket;

/**
 * Hands out the legs' local ports from the configured range: an even RTP port and, without
 * rtcp-mux, the odd one above it. Ports something else has bound are skipped (the range may
 * overlap the ephemeral range); a freed port rests for the quarantine before it is given out
 * again, so that a late packet of the old call cannot latch the new one. Next-fit from a cursor,
 * so ports are reused as late as possible. Thread-safe (control path).
 */
final class PortAllocator {

    private final InetAddress local;
    private final int min;
    private final int pairs;
    private final long quarantineNanos;
    private final int receiveBuffer;
    private final int sendBuffer;
    private final int dscp;
    /** Per pair: 1 in use; otherwise the nanoTime it was freed at (0: never used). */
    private final long[] state;
    private final boolean[] inUse;
    private int cursor;
    private int used;

    PortAllocator(EngineConfig c) {
        this.local = c.localAddress();
        this.min = c.portMin();
        this.pairs = (c.portMax() - c.portMin() + 1) / 2;
        this.quarantineNanos = c.portQuarantine().toNanos();
        this.receiveBuffer = c.receiveBufferBytes();
        this.sendBuffer = c.sendBufferBytes();
        this.dscp = c.dscp();
        this.state = new long[pairs];
        this.inUse = new boolean[pairs];
    }

    /** The sockets of one leg. */
    record Ports(UdpSocket rtp, UdpSocket rtcp) {
        void close() {
            rtp.close();
            if (rtcp != null) {
                rtcp.close();
            }
        }
    }

    /**
     * Binds one leg's sockets on the next free pair.
     *
     * @param rtcpMux whether RTCP shares the RTP port
     * @param what for messages (call id and leg)
     * @throws PortRangeExhaustedException when every pair is in use, resting or bound elsewhere
     */
    synchronized Ports allocate(boolean rtcpMux, String what) {
        long now = System.nanoTime();
        int resting = 0;
        int foreign = 0;
        for (int tried = 0; tried < pairs; tried++) {
            int i = cursor;
            cursor = cursor + 1 == pairs ? 0 : cursor + 1;
            if (inUse[i]) {
                continue;
            }
            if (state[i] != 0 && now - state[i] < quarantineNanos) {
                resting++;
                continue;
            }
            int port = min + 2 * i;
            UdpSocket rtp = null;
            try {
                rtp = open(port, "RTP of " + what);
                UdpSocket rtcp = rtcpMux ? null : open(port + 1, "RTCP of " + what);
                inUse[i] = true;
                used++;
                return new Ports(rtp, rtcp);
            } catch (PortInUseException e) {
                foreign++;
                if (rtp != null) {
                    rtp.close();
                }
            }
        }
        throw new PortRangeExhaustedException(min, min + 2 * pairs - 1, used, resting, foreign);
    }

    private UdpSocket open(int port, String what) {
        return UdpSocket.open(new InetSocketAddress(local, port), what, receiveBuffer, sendBuffer,
                dscp, true);
    }

    /** Returns a leg's pair: it rests for the quarantine. */
    synchronized void release(int rtpPort) {
        int i = (rtpPort - min) / 2;
        if (i >= 0 && i < pairs && inUse[i]) {
            inUse[i] = false;
            used--;
            long now = System.nanoTime();
            state[i] = now == 0 ? 1 : now;
        }
    }

    /** @return pairs in use */
    synchronized int inUse() {
        return used;
    }

    /** @return pairs in the range */
    int pairs() {
        return pairs;
    }
}
