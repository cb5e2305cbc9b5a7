package io.rtpm.engine;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link MediaEngine} runs: its worker threads, the local address and port range its legs
 * bind, rtpengine's timeouts, and its rings. Immutable; made by {@link #builder(InetAddress)}.
 *
 * <p>The defaults follow rtpengine where it has the same setting: ports 30000-40000,
 * {@code --timeout} 60 s, {@code --silent-timeout} 3600 s, {@code --final-timeout} off,
 * {@code --offer-timeout} 3600 s, 3 s of delayed endpoint learning, TOS 184 (DSCP 46, EF).
 */
public final class EngineConfig {

    private final InetAddress localAddress;
    private final int workers;
    private final int[] cpus;
    private final int portMin;
    private final int portMax;
    private final Duration portQuarantine;
    private final Duration timeout;
    private final Duration silentTimeout;
    private final Duration finalTimeout;
    private final Duration offerTimeout;
    private final Duration learningDelay;
    private final NonRtpPolicy nonRtp;
    private final int firstRing;
    private final int ringOrder;
    private final int maxPayload;
    private final int batch;
    private final int receiveBufferBytes;
    private final int sendBufferBytes;
    private final int dscp;
    private final int legsPerWorker;
    private final Path countersDirectory;
    private final EngineListener listener;
    private final IoDesign ioDesign;

    private EngineConfig(Builder b) {
        this.localAddress = b.localAddress;
        this.workers = b.workers;
        this.cpus = b.cpus == null ? null : b.cpus.clone();
        this.portMin = b.portMin;
        this.portMax = b.portMax;
        this.portQuarantine = b.portQuarantine;
        this.timeout = b.timeout;
        this.silentTimeout = b.silentTimeout;
        this.finalTimeout = b.finalTimeout;
        this.offerTimeout = b.offerTimeout;
        this.learningDelay = b.learningDelay;
        this.nonRtp = b.nonRtp;
        this.firstRing = b.firstRing;
        this.ringOrder = b.ringOrder;
        this.maxPayload = b.maxPayload;
        this.batch = b.batch;
        this.receiveBufferBytes = b.receiveBufferBytes;
        this.sendBufferBytes = b.sendBufferBytes;
        this.dscp = b.dscp;
        this.legsPerWorker = b.legsPerWorker;
        this.countersDirectory = b.countersDirectory;
        this.listener = b.listener;
        this.ioDesign = b.ioDesign;
    }

    /**
     * @param localAddress the address every leg binds (IPv4 or IPv6; an IPv6 one is dual-stack)
     * @return a builder with the defaults
     */
    public static Builder builder(InetAddress localAddress) {
        return new Builder(localAddress);
    }

    /** @return the address legs bind */
    public InetAddress localAddress() {
        return localAddress;
    }

    /** @return worker threads (default: one per available processor) */
    public int workers() {
        return workers;
    }

    /** @return the CPU of worker {@code i}, or -1 when workers are not pinned */
    public int cpu(int worker) {
        return cpus == null ? -1 : cpus[worker % cpus.length];
    }

    /** @return the lowest RTP port (even) */
    public int portMin() {
        return portMin;
    }

    /** @return the highest port a leg may use (its RTCP port included) */
    public int portMax() {
        return portMax;
    }

    /** @return how long a freed port rests before it is given out again (late packets of the old call) */
    public Duration portQuarantine() {
        return portQuarantine;
    }

    /** @return no media for this long ends a call (0: never) */
    public Duration timeout() {
        return timeout;
    }

    /** @return no media for this long ends a call on hold (0: never) */
    public Duration silentTimeout() {
        return silentTimeout;
    }

    /** @return the longest life of any call (0: unlimited) */
    public Duration finalTimeout() {
        return finalTimeout;
    }

    /** @return how long a call waits for its answer (0: forever) */
    public Duration offerTimeout() {
        return offerTimeout;
    }

    /** @return the window of {@link EndpointLearning#DELAYED} and {@link EndpointLearning#HEURISTIC} */
    public Duration learningDelay() {
        return learningDelay;
    }

    /** @return what happens to STUN, DTLS and other non-RTP datagrams */
    public NonRtpPolicy nonRtp() {
        return nonRtp;
    }

    /** @return the ring of worker 0; worker {@code i} uses ring {@code firstRing + i} */
    public int firstRing() {
        return firstRing;
    }

    /** @return log2 of the slots of a ring the engine configures itself */
    public int ringOrder() {
        return ringOrder;
    }

    /**
     * @return the largest datagram a slot holds (larger ones are truncated and counted invalid);
     *         rings the engine configures get room for io_uring's headroom besides
     */
    public int maxPayload() {
        return maxPayload;
    }

    /** @return datagrams per receive and per ring batch */
    public int batch() {
        return batch;
    }

    /** @return SO_RCVBUF of every leg socket (0: the system default) */
    public int receiveBufferBytes() {
        return receiveBufferBytes;
    }

    /** @return SO_SNDBUF of every leg socket (0: the system default) */
    public int sendBufferBytes() {
        return sendBufferBytes;
    }

    /** @return DSCP of sent packets (0..63; 0 leaves the default) */
    public int dscp() {
        return dscp;
    }

    /** @return the most legs one worker carries (sizes its counter file) */
    public int legsPerWorker() {
        return legsPerWorker;
    }

    /** @return where the workers' counter files go (readable by other processes), or null to keep them in memory */
    public Path countersDirectory() {
        return countersDirectory;
    }

    /** @return who hears of events */
    public EngineListener listener() {
        return listener;
    }

    /** @return how the workers move packets ({@link IoDesign#AUTO} by default) */
    public IoDesign ioDesign() {
        return ioDesign;
    }

    /** Builds an {@link EngineConfig}; every setter returns the builder. */
    public static final class Builder {
        private final InetAddress localAddress;
        private int workers = Runtime.getRuntime().availableProcessors();
        private int[] cpus;
        private int portMin = 30000;
        private int portMax = 40000;
        private Duration portQuarantine = Duration.ofSeconds(10);
        private Duration timeout = Duration.ofSeconds(60);
        private Duration silentTimeout = Duration.ofSeconds(3600);
        private Duration finalTimeout = Duration.ZERO;
        private Duration offerTimeout = Duration.ofSeconds(3600);
        private Duration learningDelay = Duration.ofSeconds(3);
        private NonRtpPolicy nonRtp = NonRtpPolicy.DROP;
        private int firstRing = 0;
        private int ringOrder = 11;
        private int maxPayload = 1500;
        private int batch = 32;
        private int receiveBufferBytes;
        private int sendBufferBytes;
        private int dscp = 46;
        private int legsPerWorker = 8192;
        private Path countersDirectory;
        private EngineListener listener = new EngineListener() { };
        private IoDesign ioDesign = IoDesign.AUTO;

        private Builder(InetAddress localAddress) {
            this.localAddress = Objects.requireNonNull(localAddress, "localAddress");
        }

        /** @param n worker threads, 1..64 */
        public Builder workers(int n) {
            if (n < 1 || n > 64) {
                throw new IllegalArgumentException("workers " + n + " is not in 1..64");
            }
            this.workers = n;
            return this;
        }

        /** @param cpus worker {@code i} is pinned to {@code cpus[i % cpus.length]}; none: not pinned */
        public Builder pin(int... cpus) {
            for (int c : cpus) {
                if (c < 0 || c > 1023) {
                    throw new IllegalArgumentException("CPU " + c + " is not in 0..1023");
                }
            }
            this.cpus = cpus.length == 0 ? null : cpus.clone();
            return this;
        }

        /**
         * @param min the lowest RTP port, even, 1024..65534
         * @param max the highest port, min + 1 .. 65535
         */
        public Builder ports(int min, int max) {
            if (min < 1024 || (min & 1) != 0 || max <= min || max > 65535) {
                throw new IllegalArgumentException("port range " + min + "-" + max
                        + " must start at an even port of 1024 or above and hold at least one pair");
            }
            this.portMin = min;
            this.portMax = max;
            return this;
        }

        /** @param d how long a freed port rests */
        public Builder portQuarantine(Duration d) {
            this.portQuarantine = nonNegative(d, "port quarantine");
            return this;
        }

        /** @param d no media for this long ends a call (0: never) */
        public Builder timeout(Duration d) {
            this.timeout = nonNegative(d, "timeout");
            return this;
        }

        /** @param d no media for this long ends a call on hold (0: never) */
        public Builder silentTimeout(Duration d) {
            this.silentTimeout = nonNegative(d, "silent timeout");
            return this;
        }

        /** @param d the longest life of a call (0: unlimited) */
        public Builder finalTimeout(Duration d) {
            this.finalTimeout = nonNegative(d, "final timeout");
            return this;
        }

        /** @param d how long an offer waits for its answer (0: forever) */
        public Builder offerTimeout(Duration d) {
            this.offerTimeout = nonNegative(d, "offer timeout");
            return this;
        }

        /** @param d the delayed/heuristic learning window */
        public Builder learningDelay(Duration d) {
            this.learningDelay = nonNegative(d, "learning delay");
            return this;
        }

        /** @param p what happens to non-RTP datagrams */
        public Builder nonRtp(NonRtpPolicy p) {
            this.nonRtp = Objects.requireNonNull(p, "nonRtp");
            return this;
        }

        /**
         * @param firstRing the ring of worker 0 (worker i: firstRing + i)
         * @param order log2 of its slots when the engine configures it, 1..16
         * @param maxPayload bytes per slot, 172..65507
         */
        public Builder rings(int firstRing, int order, int maxPayload) {
            if (firstRing < 0 || order < 1 || order > 16 || maxPayload < 172 || maxPayload > 65507) {
                throw new IllegalArgumentException("rings from " + firstRing + ", order " + order
                        + ", payload " + maxPayload + ": need ring >= 0, order 1..16, payload 172..65507");
            }
            this.firstRing = firstRing;
            this.ringOrder = order;
            this.maxPayload = maxPayload;
            return this;
        }

        /** @param n datagrams per receive and ring batch, 1..256 */
        public Builder batch(int n) {
            if (n < 1 || n > 256) {
                throw new IllegalArgumentException("batch " + n + " is not in 1..256");
            }
            this.batch = n;
            return this;
        }

        /**
         * @param receive SO_RCVBUF bytes of every leg socket (0: default)
         * @param send SO_SNDBUF bytes (0: default)
         */
        public Builder socketBuffers(int receive, int send) {
            if (receive < 0 || send < 0) {
                throw new IllegalArgumentException("socket buffers " + receive + "/" + send + " must not be negative");
            }
            this.receiveBufferBytes = receive;
            this.sendBufferBytes = send;
            return this;
        }

        /** @param dscp 0..63 */
        public Builder dscp(int dscp) {
            if (dscp < 0 || dscp > 63) {
                throw new IllegalArgumentException("DSCP " + dscp + " is not in 0..63");
            }
            this.dscp = dscp;
            return this;
        }

        /** @param n the most legs a worker carries, 2..1048576 */
        public Builder legsPerWorker(int n) {
            if (n < 2 || n > 1 << 20) {
                throw new IllegalArgumentException("legs per worker " + n + " is not in 2..1048576");
            }
            this.legsPerWorker = n;
            return this;
        }

        /** @param dir where counter files go (a tmpfs such as /dev/shm), or null for memory only */
        public Builder countersDirectory(Path dir) {
            this.countersDirectory = dir;
            return this;
        }

        /** @param l who hears of events (called on worker threads: must return quickly) */
        public Builder listener(EngineListener l) {
            this.listener = Objects.requireNonNull(l, "listener");
            return this;
        }

        /** @param d the I/O design: io_uring, epoll, or the best this host allows */
        public Builder ioDesign(IoDesign d) {
            this.ioDesign = Objects.requireNonNull(d, "ioDesign");
            return this;
        }

        /** @return the configuration */
        public EngineConfig build() {
            return new EngineConfig(this);
        }

        private static Duration nonNegative(Duration d, String what) {
            if (d == null || d.isNegative()) {
                throw new IllegalArgumentException(what + " " + d + " must be 0 or more");
            }
            return d;
        }
    }
}
