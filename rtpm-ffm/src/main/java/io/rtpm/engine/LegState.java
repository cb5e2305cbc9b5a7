package io.rtpm.engine;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;

import io.rtpm.ffm.internal.Net;
import io.rtpm.relay.internal.SockAddr;
import io.rtpm.rtp.PayloadClockRates;
import io.rtpm.rtp.stats.SourceStatistics;

/**
 * One leg as its worker carries it: its sockets, its peer, where it sends to (the learned or
 * given endpoint, as a sockaddr in the worker's name table), its filters and its per-SSRC
 * statistics. Made on the control thread; from {@link Worker#add} on, touched by its worker only
 * (the control thread reads only the immutable fields and the counter block).
 */
final class LegState {

    /** The most SSRCs tracked per leg: the current one and the one before. */
    static final int SSRCS = LegCounters.SSRC_ENTRIES;

    final Call call;
    final int index;
    final PortAllocator.Ports ports;
    final boolean mux;
    final int family;

    // the worker's, from add() on
    LegSpec spec;
    LegState peer;
    int slot = -1;
    long generation;
    long block = -1;
    final EndpointLatch rtpLatch = new EndpointLatch();
    final EndpointLatch rtcpLatch = new EndpointLatch();
    /** Whether the RTCP endpoint came from its own traffic (else it follows RTP's, port + 1). */
    boolean rtcpLearned;
    boolean sending;
    boolean ptFilter;
    long ptLow;
    long ptHigh;
    PayloadClockRates rates;
    /** Made with the leg and restarted per new SSRC, so the worker allocates nothing. */
    final SourceStatistics[] ssrcs = new SourceStatistics[SSRCS];
    int ssrcCount;
    /** The counter block's label, made on the control thread. */
    final byte[] label;
    final boolean[] ssrcRated = new boolean[SSRCS];
    int currentSsrc = -1;
    long overflowRtp;
    long overflowRtcp;
    long lastRxNanos;
    /** The counters as the leg ended, for readers after its block is reused. */
    volatile LegStats finalStats;

    LegState(Call call, int index, PortAllocator.Ports ports, LegSpec spec, boolean ipv6) {
        this.call = call;
        this.index = index;
        this.ports = ports;
        this.spec = spec;
        this.mux = spec.rtcpMux();
        this.family = ipv6 ? Net.AF_INET6 : Net.AF_INET;
        for (int i = 0; i < SSRCS; i++) {
            ssrcs[i] = new SourceStatistics(0, 0, 0);
        }
        this.label = (call.id() + "/" + index).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Applies the filters of a spec (not the remote: see {@link Worker}). */
    void applyFilters(LegSpec s) {
        sending = s.sending();
        ptFilter = s.payloadTypeFilter();
        PayloadTypes pass = s.payloadTypes().union(s.offeredPayloadTypes());
        ptLow = pass.low();
        ptHigh = pass.high();
        rates = s.clockRates();
        rtpLatch.flags(s.strictSource(), s.mediaHandover());
        rtcpLatch.flags(s.strictSource(), s.mediaHandover());
    }

    boolean passes(int payloadType) {
        return !ptFilter || (payloadType < 64 ? (ptLow >>> payloadType & 1) != 0
                : (ptHigh >>> (payloadType - 64) & 1) != 0);
    }

    /**
     * Writes a destination sockaddr for this leg's socket family from the key form, allocation-free.
     *
     * @return its length, or 0 when the address cannot be reached from this family
     */
    static int writeName(MemorySegment names, long at, int family, long hi, long lo, int port) {
        boolean mapped = hi == 0 && (lo >>> 32) == 0xFFFFL;
        if (family == Net.AF_INET) {
            if (!mapped) {
                return 0;
            }
            names.set(ValueLayout.JAVA_SHORT, at, (short) Net.AF_INET);
            names.set(BE16, at + 2, (short) port);
            names.set(BE32, at + 4, (int) lo);
            names.set(ValueLayout.JAVA_LONG_UNALIGNED, at + 8, 0L);
            return SockAddr.IN4_LEN;
        }
        names.set(ValueLayout.JAVA_SHORT, at, (short) Net.AF_INET6);
        names.set(BE16, at + 2, (short) port);
        names.set(ValueLayout.JAVA_INT_UNALIGNED, at + 4, 0);
        names.set(BE64, at + 8, hi);
        names.set(BE64, at + 16, lo);
        names.set(ValueLayout.JAVA_INT_UNALIGNED, at + 24, 0);
        return SockAddr.MAX_LEN;
    }

    static InetSocketAddress inet(long hi, long lo, int port) {
        return SockAddr.toInet(hi, lo, port);
    }

    private static final ValueLayout.OfShort BE16 =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt BE32 =
            ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong BE64 =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN);
}
