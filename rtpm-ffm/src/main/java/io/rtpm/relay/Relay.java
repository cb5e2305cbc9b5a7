package io.rtpm.relay;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;

import io.rtpm.ffm.Backend;
import io.rtpm.ffm.RingDevice;
import io.rtpm.ffm.RingNotConfiguredException;
import io.rtpm.ffm.RingSession;
import io.rtpm.ffm.RingStats;
import io.rtpm.ffm.Role;
import io.rtpm.ffm.RtpmException;
import io.rtpm.ffm.internal.Net;
import io.rtpm.relay.internal.UdpSocket;

/**
 * A UDP relay through a ring: RTP (and RTCP) is received into ring slots and sent on from the
 * slots; nothing is copied and nothing is allocated per packet. By default one thread does both,
 * a batch at a time (run to completion); {@link RelayConfig#threads()} 2 runs an RX thread and a
 * TX thread with the ring between them (a pipeline).
 *
 * <pre>{@code
 * try (RingDevice dev = RingDevice.open(Backend.AUTO)) {
 *     dev.configure(RingConfig.of(0, 10, 1500));
 *     dev.start(0);
 *     RelayConfig cfg = RelayConfig.builder(5004, new InetSocketAddress("127.0.0.1", 5006)).build();
 *     try (Relay relay = Relay.start(dev, cfg)) {
 *         Thread.sleep(10_000);
 *         System.out.println(relay.stats().txRtp() + " packets relayed");
 *     }
 * }
 * }</pre>
 *
 * <p>Lifecycle: {@link #start} opens the sockets, attaches a PRODUCER and a CONSUMER session and
 * starts its thread(s), or fails having released everything. {@link #stop} (or {@link #close})
 * stops receiving, sends what is in the ring, then closes the sessions and sockets; a thread
 * that fails stops the relay and its exception is kept in {@link #failure()}.
 * The ring itself is left running: its lifecycle belongs to whoever configured it. One relay per
 * ring (a ring has one producer and one consumer); several relays run on several rings.
 *
 * <p>Thread-safe: {@link #stats()}, {@link #failure()} and {@link #stop} may be called from any thread.
 */
public final class Relay implements AutoCloseable {

    private static final Duration DEFAULT_DRAIN = Duration.ofSeconds(2);

    private final RingDevice device;
    private final RelayConfig config;
    private final UdpSocket rtpSocket;
    private final UdpSocket rtcpSocket;
    private final UdpSocket txSocket;
    private final RxHalf rx;
    private final TxHalf tx;
    /** The receiving thread first; with {@code threads(2)} the TX thread second. */
    private final Thread[] threads;
    private final long startNanos = System.nanoTime();
    private volatile boolean stopping;
    private volatile boolean rxDone;
    private volatile Throwable failure;
    private volatile RingStats lastRing;
    private RelayStats finalStats;

    private Relay(RingDevice device, RelayConfig config, UdpSocket rtpSocket, UdpSocket rtcpSocket,
            UdpSocket txSocket, RingSession producer, RingSession consumer, int batch) {
        this.device = device;
        this.config = config;
        this.rtpSocket = rtpSocket;
        this.rtcpSocket = rtcpSocket;
        this.txSocket = txSocket;
        this.rx = new RxHalf(this, config, producer, rtpSocket, rtcpSocket, batch);
        this.tx = new TxHalf(config, consumer, txSocket, batch);
        this.threads = config.threads() == 1 ? RunToCompletion.threads(this, config, rx, tx)
                : Pipeline.threads(this, config, rx, tx);
        this.lastRing = device.stats(config.ringId());
    }

    /**
     * Starts relaying.
     *
     * @param device an open device; it must stay open while the relay runs (stats read it)
     * @param config what to relay
     * @return the running relay
     * @throws RingNotConfiguredException when the ring has no memory
     * @throws RtpmException when the ring is stopped, or a socket cannot be set up
     * @throws PortInUseException when a receive port is taken
     * @throws io.rtpm.ffm.RingBusyException when another session holds the producer or consumer role
     */
    public static Relay start(RingDevice device, RelayConfig config) {
        final int ringId = config.ringId();
        RingStats st = device.stats(ringId);
        if (!st.configured()) {
            throw new RingNotConfiguredException("relay through ring " + ringId, 0, ringId);
        }
        if (!st.running()) {
            throw new RtpmException("relay through ring " + ringId, 0, "ring " + ringId
                    + " is stopped: start it first (rtpm start, or RingDevice.start)");
        }
        int batch = Math.max(1, Math.min(Math.min(config.batch(), device.info().batchMax()),
                st.slotCount() / 2));
        UdpSocket rtp = null;
        UdpSocket rtcp = null;
        UdpSocket out = null;
        RingSession producer = null;
        RingSession consumer = null;
        try {
            InetSocketAddress bind = config.rxBind();
            rtp = UdpSocket.open(bind, "RTP receive", config.receiveBufferBytes(), 0, 0, true);
            rtp.receiveTimeout(RxHalf.RECEIVE_TIMEOUT_MILLIS);
            if (config.rtcp() == RtcpMode.PORT_PLUS_ONE) {
                rtcp = UdpSocket.open(new InetSocketAddress(bind.getAddress(), rtp.localPort() + 1),
                        "RTCP receive", config.receiveBufferBytes(), 0, 0, true);
            }
            boolean v6 = config.txDestination().getAddress() instanceof Inet6Address;
            out = UdpSocket.open(new InetSocketAddress(wildcard(v6), 0), "send",
                    0, config.sendBufferBytes(), config.dscp(), false);
            producer = device.attach(ringId, Role.PRODUCER);
            consumer = device.attach(ringId, Role.CONSUMER);
            Relay relay = new Relay(device, config, rtp, rtcp, out, producer, consumer, batch);
            for (int i = relay.threads.length - 1; i >= 0; i--) {
                relay.threads[i].start(); // the sender first: it waits for what RX pushes
            }
            return relay;
        } catch (RuntimeException | Error e) {
            closeQuietly(consumer, producer, out, rtcp, rtp);
            throw e;
        }
    }

    /**
     * Warms the relay code up before real traffic: relays at least {@code packets} packets
     * through a private relay (a throwaway user-space ring and a loopback socket pair), and more
     * until the JIT goes quiet, so that the hot paths are compiled and every native call has been
     * linked before {@link #start} binds the real ports. Without it the first packets of a freshly started JVM wait for the
     * interpreter and the compilers (hundreds of milliseconds on a busy 2-core host; see
     * docs/perf/relay.md). Once per JVM is enough; call it before {@link #start}.
     *
     * @param packets how many packets to relay at least (20,000 here; 0: no warm-up)
     * @param budget the most time to spend (it stops there whatever the JIT does)
     * @return how many packets were relayed
     * @throws java.io.UncheckedIOException when the loopback sockets cannot be opened
     */
    public static int warmUp(int packets, Duration budget) {
        return warmUp(packets, budget, RelayConfig.DEFAULT_THREADS);
    }

    /**
     * Warms up as {@link #warmUp(int, Duration)} does, for relays of the given shape: each shape
     * has its own loop for the JIT to compile.
     *
     * @param packets how many packets to relay at least (0: no warm-up)
     * @param budget the most time to spend
     * @param threads the {@link RelayConfig#threads()} of the relays to come: 1 or 2
     * @return how many packets were relayed
     * @throws java.io.UncheckedIOException when the loopback sockets cannot be opened
     */
    public static int warmUp(int packets, Duration budget, int threads) {
        if (packets < 0 || budget.isNegative()) {
            throw new IllegalArgumentException("packets " + packets + " and budget " + budget
                    + " must not be negative");
        }
        if (threads != 1 && threads != 2) {
            throw new IllegalArgumentException("threads " + threads + " is not 1 or 2");
        }
        return packets == 0 ? 0 : WarmUp.run(packets, budget, threads);
    }

    private static InetAddress wildcard(boolean v6) {
        return v6 ? new InetSocketAddress("::", 0).getAddress() : new InetSocketAddress("0.0.0.0", 0).getAddress();
    }

    private static void closeQuietly(AutoCloseable... all) {
        for (AutoCloseable c : all) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // already failing: the first exception is the one to report
                }
            }
        }
    }

    /** @return the configuration it runs with */
    public RelayConfig config() {
        return config;
    }

    /** @return the backend of the ring it relays through */
    public Backend backend() {
        return device.backend();
    }

    /** @return the local port RTP is received on (the chosen one when 0 was configured) */
    public int rtpPort() {
        return rtpSocket.localPort();
    }

    /** @return the local port RTCP is received on, or -1 when RTCP is muxed or off */
    public int rtcpPort() {
        return rtcpSocket != null ? rtcpSocket.localPort() : -1;
    }

    /** @return the local port packets are sent from */
    public int txPort() {
        return txSocket.localPort();
    }

    /**
     * @return the receive buffer the kernel granted the RTP socket, in the bytes
     *         {@link RelayConfig#receiveBufferBytes()} asks for (SO_RCVBUF reads back doubled:
     *         halved here); less than asked when the kernel clamped it to net.core.rmem_max
     *         (no CAP_NET_ADMIN); -1 when it cannot be read
     */
    public int receiveBufferBytes() {
        int v = rtpSocket.getInt(Net.SOL_SOCKET, Net.SO_RCVBUF);
        return v < 0 ? -1 : v / 2;
    }

    /** @return the send socket's SO_SNDBUF as {@link #receiveBufferBytes()} reports SO_RCVBUF (net.core.wmem_max) */
    public int sendBufferBytes() {
        int v = txSocket.getInt(Net.SOL_SOCKET, Net.SO_SNDBUF);
        return v < 0 ? -1 : v / 2;
    }

    /** @return true until it is stopped or a thread failed */
    public boolean isRunning() {
        return !stopping;
    }

    /** @return what stopped it, when a thread failed (e.g. the ring was stopped); else null */
    public Throwable failure() {
        return failure;
    }

    /**
     * Takes a snapshot: the ring's counters, both threads' counters and the per-SSRC statistics.
     * Allocates (call it per second, not per packet). After a stop, returns the final snapshot.
     *
     * @return the snapshot
     */
    public RelayStats stats() {
        synchronized (this) {
            if (finalStats != null) {
                return finalStats;
            }
        }
        return snapshot();
    }

    private RelayStats snapshot() {
        RingStats ring;
        try {
            ring = device.stats(config.ringId());
            lastRing = ring;
        } catch (RtpmException e) {
            ring = lastRing; // e.g. the device was closed: keep the last answer
        }
        RxHalf.Counters r = rx.snapshot();
        TxHalf.Counters t = tx.snapshot();
        return new RelayStats(ring, System.nanoTime() - startNanos, r.rxRtp(), r.rxRtcp(),
                r.rxBytes(), r.filtered(), r.invalid(), r.truncated(), r.ringFull(),
                r.socketDrops(), t.txRtp(), t.txRtcp(), t.txBytes(), t.expired(), t.hookDropped(),
                t.hookErrors(), t.sendErrors(), r.latched(), r.sources());
    }

    /**
     * Stops gracefully: no more receiving, what is in the ring is sent, then sessions and sockets
     * are closed. Idempotent.
     *
     * @param drain how long sending what is in the ring may take
     * @return the final snapshot
     */
    public synchronized RelayStats stop(Duration drain) {
        if (finalStats != null) {
            return finalStats;
        }
        stopping = true;
        long deadline = System.nanoTime() + drain.toNanos();
        Thread receiving = threads[0];
        join(receiving, deadline);
        if (receiving.isAlive()) {
            // a receive waits at most 20 ms: this only happens when the thread hangs (a hook
            // that does not return, with threads(1))
            fail(new IllegalStateException("the " + receiving.getName() + " thread did not stop within "
                    + drain));
        }
        if (threads.length == 2) {
            Thread sending = threads[1];
            join(sending, deadline);
            if (sending.isAlive()) {
                fail(new IllegalStateException("the ring did not drain within " + drain));
                rxDone = true;
                join(sending, System.nanoTime() + 1_000_000_000L);
            }
        }
        boolean alive = false;
        for (Thread t : threads) {
            alive |= t.isAlive();
        }
        finalStats = snapshot();
        if (!alive) {
            // only once no thread can still be inside a call on these descriptors
            closeQuietly(txSocket, rtcpSocket, rtpSocket);
        }
        return finalStats;
    }

    /** Stops with a drain of up to 2 seconds (see {@link #stop(Duration)}). */
    @Override
    public void close() {
        stop(DEFAULT_DRAIN);
    }

    private static void join(Thread t, long deadlineNanos) {
        long left = deadlineNanos - System.nanoTime();
        boolean interrupted = false;
        while (t.isAlive() && left > 0) {
            try {
                t.join(Duration.ofNanos(left));
            } catch (InterruptedException e) {
                interrupted = true;
            }
            left = deadlineNanos - System.nanoTime();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Pins the calling I/O thread; a failure ends the relay with a message that says what to do. */
    static void pin(String which, int cpu) {
        int r = Net.pinCurrentThread(cpu);
        if (r < 0) {
            throw new RtpmException("pin the " + which + " thread to CPU " + cpu, -r,
                    "sched_setaffinity(2) failed: CPU " + cpu + " is not online or not in this"
                            + " process's allowed set (see taskset -p " + ProcessHandle.current().pid()
                            + "); choose another, or do not pin");
        }
    }

    boolean stopRequested() {
        return stopping;
    }

    void fail(Throwable t) {
        if (failure == null) {
            failure = t;
        }
        stopping = true;
    }

    void rxFinished() {
        rxDone = true;
    }

    boolean rxHasFinished() {
        return rxDone;
    }
}
