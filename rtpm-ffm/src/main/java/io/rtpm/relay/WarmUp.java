package io.rtpm.relay;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

import io.rtpm.ffm.RingConfig;
import io.rtpm.ffm.RingDevice;
import io.rtpm.ffm.shm.ShmRingDevice;
import io.rtpm.relay.internal.JitQuiet;

/**
 * Relays packets through a private relay (a throwaway user-space ring and a loopback socket
 * pair) so that the JIT has compiled the relay's paths, and every FFM downcall has been linked,
 * before the real relay binds its ports. Measured (docs/perf/relay.md): without it, the first
 * second of a cold `rtpm stream` had a p99 of hundreds of milliseconds; the first packets wait
 * for class loading, downcall linking and the interpreter, while C2 competes for the cores.
 *
 * <p>It relays rounds of packets, mostly single ones as at voice rates, some bursts of one and
 * two full batches as at high rates and a flood that fills its ring, until the JIT goes quiet: measured, a fixed 20,000
 * packets left the C2 compilations of the ring and RX loops (0.3 to 0.8 s of a core each) to
 * the first real traffic, where they cost seconds of loss at 80,000 packets/s.
 */
final class WarmUp {

    /** Single packets as at voice rates, bursts up to two receive batches as at high rates. */
    private static final int[] BURSTS = {1, 1, 2, 1, 4, 1, 8, 32, 1, 64};
    /** Packets per round; the JIT is looked at after each. */
    private static final int ROUND = 4000;
    /** A burst that overfills the warm-up's 64-slot ring. */
    private static final int FLOOD = 512;
    /** A sequence number jump beyond RFC 3550 A.1's MAX_DROPOUT (3000). */
    private static final int JUMP = 5000;
    private static final int SIZE = 172;
    /** How often the warm-up reads the relay's stats (each read opens the ring: not too often). */
    private static final long STATS_READ_MILLIS = 2;
    /** The warm-up's own methods: compiled as it runs, never by the real relay. */
    private static final String WARM_UP_CLASS = WarmUp.class.getName();

    private WarmUp() {
    }

    /** The warm-up ring's folder prefix: the pid in it tells whose folder a leftover is. */
    static String dirPrefix() {
        return "rtpm-warmup-" + ProcessHandle.current().pid() + "-";
    }

    static int run(int packets, Duration budget, int threads) {
        long deadline = System.nanoTime() + budget.toNanos();
        InetAddress lo = InetAddress.getLoopbackAddress();
        Path dir = null;
        try {
            Path shm = Path.of("/dev/shm");
            dir = Files.createTempDirectory(Files.isDirectory(shm) && Files.isWritable(shm) ? shm
                    : Path.of(System.getProperty("java.io.tmpdir")), dirPrefix());
            DatagramSocket[] sinks = portPair(lo);
            try (RingDevice dev = ShmRingDevice.open(dir);
                    DatagramSocket sink = sinks[0];
                    DatagramSocket sinkRtcp = sinks[1];
                    DatagramSocket src = new DatagramSocket(new InetSocketAddress(lo, 0))) {
                // 64 slots: batches of 32 as on rtpm stream's ring, and a flood fills it (with
                // threads(2); with one thread it fills the socket buffer), so the full paths are
                // compiled too, not left to a deoptimisation under the first real flood
                dev.configure(RingConfig.of(0, 6, 256));
                dev.start(0);
                sink.setSoTimeout(100);
                sinkRtcp.setSoTimeout(1);
                // RTCP on port + 1 as rtpm stream's default: a relay warmed up with RTCP muxed
                // never took the RTCP socket's branch, and deoptimised at its first real RTCP
                RelayConfig cfg = RelayConfig.builder(0, (InetSocketAddress) sink.getLocalSocketAddress())
                        .bindAddress(lo).dscp(0).threads(threads).build();
                try (Relay relay = startOnFreePair(dev, cfg)) {
                    Pump pump = new Pump(src, sink, sinkRtcp, new InetSocketAddress(lo, relay.rtpPort()),
                            new InetSocketAddress(lo, relay.rtcpPort()));
                    Thread reader = statsReader(relay);
                    try {
                        return pumpUntilQuiet(relay, pump, packets, deadline);
                    } finally {
                        reader.interrupt();
                        joinQuietly(reader);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("warm up the relay on loopback: " + e.getMessage()
                    + " (start without the warm-up: rtpm stream --warm-up 0)", e);
        } finally {
            if (dir != null) {
                deleteTree(dir);
            }
        }
    }

    private static int pumpUntilQuiet(Relay relay, Pump pump, int packets, long deadline)
            throws IOException {
        return JitQuiet.untilQuiet(() -> {
            pump.round(relay, ROUND, deadline);
            return pump.relayed;
        }, relay::isRunning, packets, deadline, WARM_UP_CLASS);
    }

    /**
     * Reads the relay's stats every {@link #STATS_READ_MILLIS} ms while the warm-up runs, as rtpm stream's status
     * line and a metrics scrape do once a second: each read takes the ring lock, so the relay
     * thread meets a held lock now, not first under real traffic. Measured
     * ({@code -Xlog:deoptimization}): without it, the first status line a second after the real
     * relay started made C2 throw away the relay's compiled receive and send paths
     * (unstable_if in RingLock.lock and unlock: a lock never found held during the warm-up).
     */
    private static Thread statsReader(Relay relay) {
        return Thread.ofPlatform().name("rtpm-warmup-stats").daemon(true).start(() -> {
            while (!Thread.currentThread().isInterrupted() && relay.isRunning()) {
                relay.stats();
                if (!JitQuiet.sleep(STATS_READ_MILLIS)) {
                    return;
                }
            }
        });
    }

    private static void joinQuietly(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Two sockets on ports p and p + 1 of {@code lo}, for RTP and RTCP. */
    private static DatagramSocket[] portPair(InetAddress lo) throws IOException {
        for (int tries = 0; tries < 20; tries++) {
            DatagramSocket rtp = new DatagramSocket(new InetSocketAddress(lo, 0));
            try {
                return new DatagramSocket[] {rtp, new DatagramSocket(new InetSocketAddress(lo, rtp.getLocalPort() + 1))};
            } catch (IOException taken) {
                rtp.close();
            }
        }
        throw new IOException("no free pair of UDP ports on " + lo + " after 20 tries");
    }

    /** Starts the relay on a free port whose port + 1 is free too (for its RTCP socket). */
    private static Relay startOnFreePair(RingDevice dev, RelayConfig cfg) {
        for (int tries = 0;; tries++) {
            try {
                return Relay.start(dev, cfg);
            } catch (PortInUseException e) {
                if (tries == 19) {
                    throw e;
                }
            }
        }
    }

    /** Sends RTP in bursts, one RTCP in 64 to the RTCP port, and waits for the RTP at the sink. */
    private static final class Pump {
        private final DatagramSocket src;
        private final DatagramSocket sink;
        private final DatagramSocket sinkRtcp;
        private final InetSocketAddress to;
        private final InetSocketAddress rtcpTo;
        private final byte[] rtp = new byte[SIZE];
        private final byte[] rtcp = {(byte) 0x80, (byte) 201, 0, 1, 0, 0, 0, 'W'}; // an empty RR
        private final DatagramPacket in = new DatagramPacket(new byte[2048], 2048);
        /**
         * Starts just below the 16-bit wrap, so the sequence number wraps in the first round, as
         * a real stream does every 65,536 packets (RFC 3550 A.1 counts a cycle): a wrap first
         * met under real traffic would throw away the compiled receive path.
         */
        private int seq = 0x10000 - 1000;
        private int ssrc = 'W';
        private int burstIndex;
        private int relayed;

        Pump(DatagramSocket src, DatagramSocket sink, DatagramSocket sinkRtcp, InetSocketAddress to,
                InetSocketAddress rtcpTo) {
            this.src = src;
            this.sink = sink;
            this.sinkRtcp = sinkRtcp;
            this.to = to;
            this.rtcpTo = rtcpTo;
            rtp[0] = (byte) 0x80; // V=2, PT 0
            rtp[8] = 'W';
        }

        /**
         * More than the ring and the relay's spare slots hold; what arrives is drained. It
         * opens with what a real stream does now and then and the RTP statistics branch on, on
         * the source the last round established: a jump of thousands confirmed by the next
         * packet (a restart; socket drops in a burst), a duplicate and a reordered pair; then
         * the flood comes from a new SSRC (probation). Measured: without them, the first real
         * burst that lost packets at the socket deoptimised the compiled receive path
         * (unstable_if in SourceStatistics.update and RtpTracker.track); with the jump on a new
         * SSRC only (in probation, another branch), a jump on an established one still did.
         */
        void flood() throws IOException {
            seq += JUMP;
            sendRtp(seq);
            sendRtp(seq + 1); // in sequence after the jump: a restart
            sendRtp(seq + 1); // a duplicate
            sendRtp(seq + 3); // reordered: + 3 before + 2
            sendRtp(seq + 2);
            seq += 4;
            ssrc++;
            rtp[8] = (byte) (ssrc >> 24);
            rtp[9] = (byte) (ssrc >> 16);
            rtp[10] = (byte) (ssrc >> 8);
            rtp[11] = (byte) ssrc;
            for (int i = 0; i < FLOOD; i++, seq++) {
                sendRtp(seq);
            }
            sink.setSoTimeout(20);
            try {
                while (true) {
                    sink.receive(in);
                    relayed++;
                }
            } catch (SocketTimeoutException e) {
                sink.setSoTimeout(100); // drained
            }
        }

        private void sendRtp(int sequence) throws IOException {
            rtp[2] = (byte) (sequence >> 8);
            rtp[3] = (byte) sequence;
            src.send(new DatagramPacket(rtp, rtp.length, to));
        }

        void round(Relay relay, int n, long deadline) throws IOException {
            flood();
            for (int done = 0; done < n && System.nanoTime() < deadline && relay.isRunning();) {
                int burst = BURSTS[burstIndex++ % BURSTS.length];
                int expect = burst;
                for (int i = 0; i < burst; i++, seq++) {
                    if ((seq & 63) == 63) {
                        src.send(new DatagramPacket(rtcp, rtcp.length, rtcpTo));
                        expect--; // it arrives at sinkRtcp
                        continue;
                    }
                    rtp[2] = (byte) (seq >> 8);
                    rtp[3] = (byte) seq;
                    int ts = seq * 160;
                    rtp[4] = (byte) (ts >> 24);
                    rtp[5] = (byte) (ts >> 16);
                    rtp[6] = (byte) (ts >> 8);
                    rtp[7] = (byte) ts;
                    src.send(new DatagramPacket(rtp, rtp.length, to));
                }
                for (int i = 0; i < expect; i++) {
                    try {
                        sink.receive(in);
                        relayed++;
                    } catch (SocketTimeoutException e) {
                        break; // lost on a busy host: send on
                    }
                }
                done += burst;
            }
            try {
                while (true) {
                    sinkRtcp.receive(in); // what RTCP arrived; then on
                    relayed++;
                }
            } catch (SocketTimeoutException e) {
                // drained
            }
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // a leftover file in a temp directory harms nothing
                }
            });
        } catch (IOException e) {
            // as above
        }
    }
}
