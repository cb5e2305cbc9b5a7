package io.rtpm.relay;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;

import io.rtpm.rtp.PayloadClockRates;

/**
 * What a {@link Relay} does: receive on {@code rxBind}, pass through ring {@code ringId}, send to
 * {@code txDestination}. Build one with {@link #builder(int, InetSocketAddress)}.
 *
 * @param ringId the ring (configured and started)
 * @param rxBind the local address and RTP port to receive on (port 0: any free port)
 * @param txDestination where RTP goes (RTCP to its port + 1, or the same port with {@link RtcpMode#MUX})
 * @param rtcp where RTCP is received and sent
 * @param rxFrom accept only this source (port 0: any port of that address), or null for any
 * @param latch accept only the first source that sends valid RTP (symmetric RTP behind NAT)
 * @param receiveBufferBytes SO_RCVBUF of the receive sockets, 0 for the system default
 * @param sendBufferBytes SO_SNDBUF of the send socket, 0 for the system default
 * @param dscp DSCP of sent packets, 0..63 (46, EF, by default; 0 leaves the system default)
 * @param maxAgeNanos packets that have been in the ring longer than this when their turn to be sent
 *        comes are counted expired and not sent; 0: no limit
 * @param batch datagrams per recvmmsg/sendmmsg and slots per ring batch call, 1..64
 * @param clockRates payload type clock rates, for jitter
 * @param maxSources SSRCs tracked at most (later ones are relayed but not tracked)
 * @param hook called for every packet before it is sent, or null
 * @param waitStrategy how the relay's threads wait for work: {@link WaitStrategy#SLEEP} (the default)
 *        or {@link WaitStrategy#BUSY} (spin; only with cores to spare)
 * @param rxCpu the CPU the receiving thread (with {@code threads} 1, the relay's one thread) is
 *        pinned to (sched_setaffinity), or -1 for none (default)
 * @param txCpu the CPU the TX thread of {@code threads} 2 is pinned to, or -1 for none (default)
 * @param threads 1: one thread receives a batch, pushes it, pops and sends it (run to
 *        completion, the default); 2: an RX thread and a TX thread with the ring between them
 *        (pipeline). See {@link Builder#threads(int)} for which to choose.
 */
public record RelayConfig(int ringId, InetSocketAddress rxBind, InetSocketAddress txDestination,
        RtcpMode rtcp, InetSocketAddress rxFrom, boolean latch, int receiveBufferBytes,
        int sendBufferBytes, int dscp, long maxAgeNanos, int batch, PayloadClockRates clockRates,
        int maxSources, PacketHook hook, WaitStrategy waitStrategy, int rxCpu, int txCpu,
        int threads) {

    /** The highest CPU number a thread can be pinned to (the size of one cpu_set_t). */
    public static final int MAX_CPU = 1023;

    /** DSCP Expedited Forwarding (RFC 3246), the usual marking for voice. */
    public static final int DSCP_EF = 46;

    /**
     * Threads per relay by default: 1 (run to completion). Measured on 2 shared cores
     * (docs/perf/relay.md), it carried 2.5 times the pipeline's loss-free rate.
     */
    public static final int DEFAULT_THREADS = 1;

    /** Checks every field; the messages say which one and the valid range. */
    public RelayConfig {
        Objects.requireNonNull(rxBind, "rxBind");
        Objects.requireNonNull(txDestination, "txDestination");
        Objects.requireNonNull(rtcp, "rtcp");
        Objects.requireNonNull(clockRates, "clockRates");
        Objects.requireNonNull(waitStrategy, "waitStrategy");
        if (ringId < 0) {
            throw new IllegalArgumentException("ring " + ringId + " must be 0 or more");
        }
        if (rxBind.isUnresolved() || txDestination.isUnresolved()
                || (rxFrom != null && rxFrom.isUnresolved())) {
            throw new IllegalArgumentException("addresses must be resolved: " + rxBind + ", "
                    + txDestination + (rxFrom != null ? ", " + rxFrom : ""));
        }
        if (txDestination.getPort() == 0) {
            throw new IllegalArgumentException("the TX destination needs a port (1..65535)");
        }
        if (rtcp == RtcpMode.PORT_PLUS_ONE && (rxBind.getPort() == 65535 || txDestination.getPort() == 65535)) {
            throw new IllegalArgumentException("RTCP on port + 1 needs RTP ports below 65535: use another"
                    + " port or RtcpMode.MUX");
        }
        if (dscp < 0 || dscp > 63) {
            throw new IllegalArgumentException("DSCP " + dscp + " is not in 0..63");
        }
        if (receiveBufferBytes < 0 || sendBufferBytes < 0 || maxAgeNanos < 0) {
            throw new IllegalArgumentException("buffer sizes and the maximum age must not be negative");
        }
        if (batch < 1 || batch > 64) {
            throw new IllegalArgumentException("batch " + batch + " is not in 1..64");
        }
        if (maxSources < 1 || maxSources > 1 << 16) {
            throw new IllegalArgumentException("maxSources " + maxSources + " is not in 1..65536");
        }
        if (rxCpu < -1 || rxCpu > MAX_CPU || txCpu < -1 || txCpu > MAX_CPU) {
            throw new IllegalArgumentException("CPUs " + rxCpu + " and " + txCpu + " must be in 0.."
                    + MAX_CPU + ", or -1 for no pinning");
        }
        if (threads != 1 && threads != 2) {
            throw new IllegalArgumentException("threads " + threads + " is not 1 (run to completion)"
                    + " or 2 (RX and TX threads)");
        }
        if (threads == 1 && txCpu >= 0) {
            throw new IllegalArgumentException("txCpu " + txCpu + " pins the TX thread of threads(2);"
                    + " with one thread pin it with rxCpu (the TX CPU must be -1)");
        }
    }

    /**
     * Starts a configuration with the defaults: ring 0, any local address, RTCP on port + 1, no
     * source filter, system buffer sizes, DSCP EF, no maximum age, batches of 32, sleeping waits,
     * no thread pinning, one thread ({@link #DEFAULT_THREADS}).
     *
     * @param rxPort the local RTP port to receive on (0: any free port)
     * @param txDestination where to send RTP
     * @return a builder
     */
    public static Builder builder(int rxPort, InetSocketAddress txDestination) {
        return new Builder(rxPort, txDestination);
    }

    /** Builds a {@link RelayConfig}; every setter returns the builder. Not thread-safe. */
    public static final class Builder {
        private int ringId;
        private InetSocketAddress rxBind;
        private final InetSocketAddress txDestination;
        private RtcpMode rtcp = RtcpMode.PORT_PLUS_ONE;
        private InetSocketAddress rxFrom;
        private boolean latch;
        private int receiveBufferBytes;
        private int sendBufferBytes;
        private int dscp = DSCP_EF;
        private long maxAgeNanos;
        private int batch = 32;
        private PayloadClockRates clockRates = PayloadClockRates.rfc3551();
        private int maxSources = 64;
        private PacketHook hook;
        private WaitStrategy waitStrategy = WaitStrategy.SLEEP;
        private int rxCpu = -1;
        private int txCpu = -1;
        private int threads = DEFAULT_THREADS;

        private Builder(int rxPort, InetSocketAddress txDestination) {
            this.rxBind = new InetSocketAddress(rxPort);
            this.txDestination = txDestination;
        }

        /** @param ringId the ring; @return this */
        public Builder ring(int ringId) {
            this.ringId = ringId;
            return this;
        }

        /**
         * Receives on one address (an IPv6 one makes the sockets IPv6, dual-stack for "::").
         *
         * @param address the local address
         * @return this
         */
        public Builder bindAddress(InetAddress address) {
            this.rxBind = new InetSocketAddress(address, rxBind.getPort());
            return this;
        }

        /** @param mode where RTCP goes; @return this */
        public Builder rtcp(RtcpMode mode) {
            this.rtcp = mode;
            return this;
        }

        /** @param source the only source accepted (port 0: any port), null for any; @return this */
        public Builder rxFrom(InetSocketAddress source) {
            this.rxFrom = source;
            return this;
        }

        /** @param on latch to the first source of valid RTP; @return this */
        public Builder latch(boolean on) {
            this.latch = on;
            return this;
        }

        /** @param bytes SO_RCVBUF, 0 for the default; @return this */
        public Builder receiveBuffer(int bytes) {
            this.receiveBufferBytes = bytes;
            return this;
        }

        /** @param bytes SO_SNDBUF, 0 for the default; @return this */
        public Builder sendBuffer(int bytes) {
            this.sendBufferBytes = bytes;
            return this;
        }

        /** @param value DSCP 0..63; @return this */
        public Builder dscp(int value) {
            this.dscp = value;
            return this;
        }

        /** @param nanos maximum age in the ring, 0 for none; @return this */
        public Builder maxAgeNanos(long nanos) {
            this.maxAgeNanos = nanos;
            return this;
        }

        /** @param size datagrams per system call, 1..64; @return this */
        public Builder batch(int size) {
            this.batch = size;
            return this;
        }

        /** @param rates payload type clock rates (dynamic types from SDP); @return this */
        public Builder clockRates(PayloadClockRates rates) {
            this.clockRates = rates;
            return this;
        }

        /** @param n SSRCs tracked at most; @return this */
        public Builder maxSources(int n) {
            this.maxSources = n;
            return this;
        }

        /** @param h the per-packet hook, or null; @return this */
        public Builder hook(PacketHook h) {
            this.hook = h;
            return this;
        }

        /** @param strategy how the threads wait for work (see {@link WaitStrategy}); @return this */
        public Builder waitStrategy(WaitStrategy strategy) {
            this.waitStrategy = strategy;
            return this;
        }

        /**
         * Pins the relay's threads to CPUs (sched_setaffinity). Pinning helps only on cores
         * kept free of other work (isolcpus, cpusets); on a shared host it can make things worse.
         *
         * @param rx the RX thread's CPU (with one thread: that thread's), or -1 for none
         * @param tx the TX thread's CPU with {@link #threads(int) threads(2)}, else -1
         * @return this
         */
        public Builder pin(int rx, int tx) {
            this.rxCpu = rx;
            this.txCpu = tx;
            return this;
        }

        /**
         * How many threads run the relay.
         *
         * <p>1 (the default, run to completion): one thread receives a batch into ring slots,
         * pushes it, pops what is READY, runs the hook and sends, then receives again. No packet
         * waits for another thread to wake up, so it carries more when cores are few or shared
         * (measured: docs/perf/relay.md). A slow hook holds up
         * receiving (packets wait in the socket buffer, where {@link #maxAgeNanos} does not see
         * them).
         *
         * <p>2 (pipeline): an RX thread and a TX thread with the ring between them. Right when
         * a slow hook or pacing must not hold up receiving (the ring absorbs bursts and
         * stalls, and {@link #maxAgeNanos} drops what waited too long), or when cores are
         * plenty (each thread with a core of its own, e.g. pinned with {@link #pin}).
         *
         * @param n 1 or 2
         * @return this
         */
        public Builder threads(int n) {
            this.threads = n;
            return this;
        }

        /** @return the checked configuration */
        public RelayConfig build() {
            return new RelayConfig(ringId, rxBind, txDestination, rtcp, rxFrom, latch,
                    receiveBufferBytes, sendBufferBytes, dscp, maxAgeNanos, batch, clockRates,
                    maxSources, hook, waitStrategy, rxCpu, txCpu, threads);
        }
    }
}
