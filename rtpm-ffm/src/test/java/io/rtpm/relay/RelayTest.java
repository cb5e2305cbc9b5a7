package io.rtpm.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.rtpm.ffm.RingConfig;
import io.rtpm.ffm.RingDevice;
import io.rtpm.ffm.NotAttachedException;
import io.rtpm.ffm.RingNotConfiguredException;
import io.rtpm.ffm.RingStats;
import io.rtpm.ffm.RtpmException;
import io.rtpm.ffm.shm.ShmRingDevice;
import io.rtpm.rtp.RtpGenerator;
import io.rtpm.rtp.RtpStreamConfig;
import io.rtpm.rtp.stats.SourceStatistics;

/**
 * The relay on real loopback UDP sockets over the user-space ring: what arrives, what is
 * filtered, RTCP on port + 1, truncation, latching, the hook, and that no slot stays held.
 */
@Timeout(30)
class RelayTest {

    private static final InetAddress LO = InetAddress.getLoopbackAddress();
    private static final int RING = 0;

    private Path dir;
    private RingDevice dev;
    private DatagramSocket sink;
    private DatagramSocket sinkRtcp;

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createTempDirectory("rtpm-relay-test-");
        dev = ShmRingDevice.open(dir);
        dev.configure(RingConfig.of(RING, 6, 512));
        dev.start(RING);
        sink = new DatagramSocket(0, LO);
        sink.setSoTimeout(2000);
        // RTCP goes to the sink's port + 1: find a pair of free ports
        for (int tries = 0; sinkRtcp == null && tries < 20; tries++) {
            try {
                sinkRtcp = new DatagramSocket(sink.getLocalPort() + 1, LO);
            } catch (IOException busy) {
                sink.close();
                sink = new DatagramSocket(0, LO);
                sink.setSoTimeout(2000);
            }
        }
        assertNotNull(sinkRtcp, "no free pair of ports for the sink");
        sinkRtcp.setSoTimeout(2000);
    }

    @AfterEach
    void tearDown() throws IOException {
        sink.close();
        sinkRtcp.close();
        try {
            dev.stop(RING);
            dev.unconfigure(RING);
        } finally {
            dev.close();
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private RelayConfig.Builder config() {
        return RelayConfig.builder(0, (InetSocketAddress) sink.getLocalSocketAddress())
                .bindAddress(LO).ring(RING);
    }

    /** @param threads 1: run to completion, 2: RX and TX threads (the tests run both shapes) */
    private RelayConfig.Builder config(int threads) {
        return config().threads(threads);
    }

    private static byte[] rtp(RtpGenerator gen) {
        byte[] b = new byte[200];
        int n = gen.next(MemorySegment.ofArray(b), 0, b.length);
        return Arrays.copyOf(b, n);
    }

    private static void send(DatagramSocket from, byte[] data, int port) throws IOException {
        from.send(new DatagramPacket(data, data.length, LO, port));
    }

    private static byte[] receive(DatagramSocket s) throws IOException {
        DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
        s.receive(p);
        return Arrays.copyOf(p.getData(), p.getLength());
    }

    private static void assertNothing(DatagramSocket s) throws IOException {
        s.setSoTimeout(300);
        assertThrows(SocketTimeoutException.class, () -> receive(s), "an unexpected datagram arrived");
    }

    /** Ring counters and the invariants once the relay has stopped: nothing held. */
    private void assertNoSlotHeld() {
        RingStats st = dev.stats(RING);
        assertNull(st.invariantViolation());
        assertEquals(st.slotCount(), st.free(), "slots still held: " + st);
    }

    /** A stop ends receiving at once: wait until the datagrams sent are in the ring. */
    private static void awaitReceived(Relay relay, long n) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (relay.stats().rxRtp() < n && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(n, relay.stats().rxRtp());
    }

    @ParameterizedTest(name = "threads {0}")
    @ValueSource(ints = {1, 2})
    void relaysRtpByteForByteAndCountsIt(int threads) throws IOException {
        RtpGenerator gen = new RtpGenerator(RtpStreamConfig.pcmu20ms(0x1234, 100, 0));
        RelayStats fin;
        try (Relay relay = Relay.start(dev, config(threads).build());
                DatagramSocket src = new DatagramSocket(0, LO)) {
            for (int i = 0; i < 200; i++) {
                byte[] pkt = rtp(gen);
                send(src, pkt, relay.rtpPort());
                assertArrayEquals(pkt, receive(sink), "packet " + i);
            }
            fin = relay.stop(Duration.ofSeconds(2));
        }
        assertEquals(200, fin.rxRtp());
        assertEquals(200, fin.txRtp());
        assertEquals(200L * 172, fin.txBytes());
        assertEquals(200, fin.ring().pushed());
        assertEquals(1, fin.sources().size());
        SourceReport s = fin.sources().get(0);
        assertEquals(0x1234, s.ssrc());
        // RFC 3550 A.1: the packets of the probation before the last are not counted
        assertEquals(200 - (SourceStatistics.MIN_SEQUENTIAL - 1), s.received());
        assertEquals(0, s.lost());
        assertEquals(s.received(), s.expected());
        assertEquals(8000, s.clockRate());
        assertEquals(0, fin.dropped());
        assertNoSlotHeld();
    }

    @ParameterizedTest(name = "threads {0}")
    @ValueSource(ints = {1, 2})
    void sourceFilterDropsEveryPacketFromAnotherSource(int threads) throws IOException {
        RtpGenerator gen = new RtpGenerator(RtpStreamConfig.pcmu20ms(7, 0, 0));
        try (DatagramSocket good = new DatagramSocket(0, LO);
                DatagramSocket bad = new DatagramSocket(0, LO);
                Relay relay = Relay.start(dev, config(threads)
                        .rxFrom((InetSocketAddress) good.getLocalSocketAddress()).build())) {
            for (int i = 0; i < 50; i++) {
                byte[] intruder = rtp(gen);
                intruder[intruder.length - 1] = 0x55; // marks the intruder's packets
                send(bad, intruder, relay.rtpPort());
                byte[] pkt = rtp(gen);
                send(good, pkt, relay.rtpPort());
                byte[] got = receive(sink);
                assertArrayEquals(pkt, got, "packet " + i + " is not the allowed source's");
            }
            assertNothing(sink);
            RelayStats st = relay.stop(Duration.ofSeconds(2));
            assertEquals(50, st.filtered());
            assertEquals(50, st.txRtp());
        }
        assertNoSlotHeld();
    }

    @ParameterizedTest(name = "threads {0}")
    @ValueSource(ints = {1, 2})
    void dualStackIpv6SocketFiltersIpv4SourcesByTheirMappedAddress(int threads) throws IOException {
        RtpGenerator gen = new RtpGenerator(RtpStreamConfig.pcmu20ms(6, 0, 0));
        try (DatagramSocket good = new DatagramSocket(0, LO);
                DatagramSocket bad = new DatagramSocket(0, LO);
                Relay relay = Relay.start(dev, config(threads).bindAddress(InetAddress.getByName("::"))
                        .rxFrom((InetSocketAddress) good.getLocalSocketAddress()).build())) {
            byte[] pkt = rtp(gen);
            send(bad, rtp(gen), relay.rtpPort());
            send(good, pkt, relay.rtpPort());
            assertArrayEquals(pkt, receive(sink));
            assertNothing(sink);
            assertEquals(1, relay.stats().filtered());
        }
    }

    @ParameterizedTest(name = "threads {0}")
    @ValueSource(ints = {1, 2})
    void latchesToTheFirstSource(int threads) throws IOException {
        RtpGenerator gen = new RtpGenerator(RtpStreamConfig.pcmu20ms(9, 0, 0));
        try (DatagramSocket first = new DatagramSocket(0, LO);
                DatagramSocket second = new DatagramSocket(0, LO);
                Relay relay = Relay.start(dev, config(threads).latch(true).build())) {
            byte[] pkt = rtp(gen);
            send(first, pkt, relay.rtpPort());
            assertArrayEquals(pkt, receive(sink));
            send(second, rtp(gen), relay.rtpPort());
            assertNothing(sink);
            RelayStats st = relay.stats();
            assertEquals(first.getLocalSocketAddress(), st.latchedSource());
            assertEquals(1, st.filtered());
        }
    }

    @ParameterizedTest(name = "threads {0}")
    @ValueSource(ints = {1, 2})
    void relaysRtcpOnPortPlusOneAndKeepsItOutOfTracking(int threads) throws IOException {
        // an RTCP RR with no report blocks: V=2, PT=201, length 1, SSRC
        byte[] rr = {(byte) 0x80, (byte) 201, 0, 1, 0, 0, 0, 42};
        RtpGenerator gen = new RtpGenerator(RtpStreamConfig.pcmu20ms(5, 0, 0));
        try (DatagramSocket src = new DatagramSocket(0, LO);
                Relay relay = Relay.start(dev, config(threads).build())) {
            assertEquals(relay.rtpPort() + 1, relay.rtcpPort());
            send(src, rr, relay.rtcpPort());
            assertArrayEquals(rr, receive(sinkRtcp));
            byte[] pkt = rtp(gen);
            send(src, pkt, relay.rtpPort());
            assertArrayEquals(pkt, receive(sink));
            // RTCP sent to the RTP port without mux is not relayed
            send(src, rr, relay.rtpPort());
            assertNothing(sink);
            RelayStats st = relay.stop(Duration.ofSeconds(2));
            assertEquals(1, st.rxRtcp());
            assertEquals(1, st.txRtcp());
            assertEquals(1, st.txRtp());
            assertEquals(1, st.invalid());
            assertEquals(1, st.ring().rtpNotRtp(), "RTCP must not enter the ring's RTP tracking");
            assertEquals(1, st.sources().size(), "the RR's SSRC must not become an RTP source");
            assertEquals(5, st.sources().get(0).ssrc());
        }
    }

    @ParameterizedTest(name = "threads {0}")
    @ValueSource(ints = {1, 2})
    void muxedRtcpGoesToTheRtpPort(int threads) throws IOException {
        byte[] sr = new byte[28];
        sr[0] = (byte) 0x80;
        sr[1] = (byte) 200;
        sr[3] = 6;
        try (DatagramSocket src = new DatagramSocket(0, LO);
                Relay relay = Relay.start(dev, config(threads).rtcp(RtcpMode.MUX).build())) {
            assertEquals(-1, relay.rtcpPort());
            send(src, sr, relay.rtpPort());
            assertArrayEquals(sr, receive(sink));
            assertEquals(1, relay.stats().rxRtcp());
        }
    }

    @ParameterizedTest(name = "threads {0}")
    @ValueSource(ints = {1, 2})
    void countsTruncatedAndInvalidDatagramsAndDropsThem(int threads) throws IOException {
        try (DatagramSocket src = new DatagramSocket(0, LO);
                Relay relay = Relay.start(dev, config(threads).build())) {
            send(src, new byte[600], relay.rtpPort()); // slots hold 512 bytes
            send(src, new byte[] {1, 2, 3}, relay.rtpPort()); // not RTP
            byte[] pkt = rtp(new RtpGenerator(RtpStreamConfig.pcmu20ms(1, 0, 0)));
            send(src, pkt, relay.rtpPort());
            assertArrayEquals(pkt, receive(sink));
            RelayStats st = relay.stop(Duration.ofSeconds(2));
            assertEquals(1, st.truncated());
            assertEquals(1, st.invalid());
            assertEquals(1, st.txRtp());
        }
        assertNoSlotHeld();
    }

    @ParameterizedTest(name = "threads {0}")
    @ValueSource(ints = {1, 2})
    void hookRewritesAndDrops(int threads) throws IOException {
        PacketHook hook = (p, len, rtcp) -> {
            if ((p.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 3) & 1) == 1) {
                return PacketHook.DROP; // odd sequence numbers
            }
            p.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 1, (byte) 8); // PT 0 -> 8 (PCMA)
            return len;
        };
        RtpGenerator gen = new RtpGenerator(RtpStreamConfig.pcmu20ms(3, 0, 0));
        try (DatagramSocket src = new DatagramSocket(0, LO);
                Relay relay = Relay.start(dev, config(threads).hook(hook).build())) {
            for (int i = 0; i < 10; i++) {
                send(src, rtp(gen), relay.rtpPort());
            }
            for (int i = 0; i < 5; i++) {
                byte[] got = receive(sink);
                assertEquals(0, got[3] & 1);
                assertEquals(8, got[1] & 0x7F);
            }
            assertNothing(sink);
            assertEquals(5, relay.stop(Duration.ofSeconds(2)).hookDropped());
        }
    }

    @ParameterizedTest(name = "threads {0}")
    @ValueSource(ints = {1, 2})
    void expiredPacketsAreCountedNotSent(int threads) throws IOException {
        // the hook stalls the sender on the first packet, so the next ones of its batch (one
        // thread) or the ring (two threads) age meanwhile
        PacketHook slow = (p, len, rtcp) -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return len;
        };
        RtpGenerator gen = new RtpGenerator(RtpStreamConfig.pcmu20ms(4, 0, 0));
        try (DatagramSocket src = new DatagramSocket(0, LO);
                Relay relay = Relay.start(dev, config(threads).hook(slow).batch(8).maxAgeNanos(20_000_000).build())) {
            for (int i = 0; i < 5; i++) {
                send(src, rtp(gen), relay.rtpPort());
            }
            awaitReceived(relay, 5);
            RelayStats st = relay.stop(Duration.ofSeconds(3));
            assertEquals(5, st.rxRtp());
            assertTrue(st.expired() >= 1, "nothing expired: " + st);
            assertEquals(5, st.expired() + st.txRtp());
        }
        assertNoSlotHeld();
    }

    @Test
    void portInUseIsReportedAndNothingIsLeftAttached() throws IOException {
        try (DatagramSocket taken = new DatagramSocket(0, LO)) {
            RelayConfig cfg = RelayConfig.builder(taken.getLocalPort(),
                    (InetSocketAddress) sink.getLocalSocketAddress()).bindAddress(LO).build();
            PortInUseException e = assertThrows(PortInUseException.class, () -> Relay.start(dev, cfg));
            assertEquals(taken.getLocalPort(), e.port());
        }
        assertEquals(0, dev.stats(RING).sessions());
    }

    /**
     * The device closed under a running relay (an embedder's shutdown order, or a metrics scrape
     * racing it): stats() keeps answering with the ring's last counters, never an
     * IllegalStateException; the closed device itself says it is closed.
     */
    @Test
    void statsAfterTheDeviceIsClosedGiveTheLastRingCounters() {
        try (Relay relay = Relay.start(dev, config().build())) {
            RelayStats before = relay.stats();
            dev.close();
            RelayStats after = relay.stats();
            assertEquals(before.ring(), after.ring());
            NotAttachedException e = assertThrows(NotAttachedException.class, () -> dev.stats(RING));
            assertTrue(e.getMessage().contains("closed: open it again"), e.getMessage());
        }
        dev = ShmRingDevice.open(dir); // for the clean-up
    }

    @Test
    void refusesAStoppedOrUnconfiguredRing() {
        dev.stop(RING);
        RtpmException stopped = assertThrows(RtpmException.class, () -> Relay.start(dev, config().build()));
        assertTrue(stopped.getMessage().contains("stopped"), stopped.getMessage());
        assertThrows(RingNotConfiguredException.class, () -> Relay.start(dev, config().ring(1).build()));
    }

    @ParameterizedTest(name = "threads {0}")
    @ValueSource(ints = {1, 2})
    void stopsWhenTheRingIsStoppedUnderIt(int threads) throws Exception {
        try (DatagramSocket src = new DatagramSocket(0, LO);
                Relay relay = Relay.start(dev, config(threads).build())) {
            dev.stop(RING);
            send(src, rtp(new RtpGenerator(RtpStreamConfig.pcmu20ms(1, 0, 0))), relay.rtpPort());
            long deadline = System.nanoTime() + 3_000_000_000L;
            while (relay.isRunning() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(!relay.isRunning(), "the relay kept running on a stopped ring");
            assertNotNull(relay.failure());
        }
        assertEquals(0, dev.stats(RING).sessions());
    }

    @ParameterizedTest(name = "threads {0}")
    @ValueSource(ints = {1, 2})
    void busyWaitingAndPinnedThreadsRelayEveryPacketAndHoldNothingAfterwards(int threads) throws IOException {
        RtpGenerator gen = new RtpGenerator(RtpStreamConfig.pcmu20ms(0x77, 0, 0));
        RelayStats fin;
        // CPU 0 exists on every host this runs on
        // only the RX thread pinned: two spinning threads on one CPU starve each other on a
        // loaded host
        try (Relay relay = Relay.start(dev, config(threads).waitStrategy(WaitStrategy.BUSY)
                .pin(0, -1).build());
                DatagramSocket src = new DatagramSocket(0, LO)) {
            for (int i = 0; i < 100; i++) {
                byte[] pkt = rtp(gen);
                send(src, pkt, relay.rtpPort());
                assertArrayEquals(pkt, receive(sink), "packet " + i);
            }
            fin = relay.stop(Duration.ofSeconds(2));
            assertNull(relay.failure());
        }
        assertEquals(100, fin.txRtp());
        assertNoSlotHeld();
    }

    @ParameterizedTest(name = "threads {0}")
    @ValueSource(ints = {1, 2})
    void pinningToACpuThatIsNotThereStopsTheRelayAndSaysWhy(int threads) throws Exception {
        // one thread: the relay thread; two: the TX thread (the RX one is pinned in the test above)
        try (Relay relay = Relay.start(dev, threads == 1 ? config(threads).pin(RelayConfig.MAX_CPU, -1).build()
                : config(threads).pin(-1, RelayConfig.MAX_CPU).build())) {
            long deadline = System.nanoTime() + 3_000_000_000L;
            while (relay.isRunning() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertNotNull(relay.failure(), "pinning to CPU 1023 succeeded on this host?");
            assertTrue(relay.failure().getMessage().contains("CPU " + RelayConfig.MAX_CPU),
                    relay.failure().getMessage());
        }
        assertEquals(0, dev.stats(RING).sessions());
    }

    @Test
    void configRejectsCpusOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> config().pin(-2, -1).build());
        assertThrows(IllegalArgumentException.class, () -> config().pin(-1, RelayConfig.MAX_CPU + 1).build());
        assertThrows(NullPointerException.class, () -> config().waitStrategy(null).build());
        assertThrows(IllegalArgumentException.class, () -> config().threads(0).build());
        assertThrows(IllegalArgumentException.class, () -> config().threads(3).build());
        // one thread has no TX thread to pin
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> config().threads(1).pin(-1, 0).build());
        assertTrue(e.getMessage().contains("rxCpu"), e.getMessage());
        assertEquals(1, config().build().threads(), "the default shape");
        assertEquals(0, config().threads(2).pin(0, 0).build().txCpu());
    }

    @ParameterizedTest(name = "threads {0}")
    @ValueSource(ints = {1, 2})
    void warmUpRelaysThroughItsOwnLoopbackPairAndLeavesNothingBehind(int threads) throws IOException {
        Path shm = Path.of("/dev/shm");
        Path tmp = Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
        // other processes on this host may warm up meanwhile: only this JVM's new folders count
        Set<Path> before = warmUpDirs(tmp);
        // at least the packets asked for (then on until the JIT is quiet)
        int relayed = Relay.warmUp(500, Duration.ofSeconds(10), threads);
        assertTrue(relayed >= 500, "relayed " + relayed + " of at least 500");
        // the budget bounds it, whatever the JIT does
        long t0 = System.nanoTime();
        int capped = Relay.warmUp(100_000_000, Duration.ofMillis(300), threads);
        long tookMillis = (System.nanoTime() - t0) / 1_000_000;
        // (it may relay nothing at all when setting up its relay took the whole budget)
        assertTrue(capped < 100_000_000, "relayed " + capped);
        assertTrue(tookMillis < 3000, "a 300 ms budget took " + tookMillis + " ms");
        Set<Path> left = warmUpDirs(tmp);
        left.removeAll(before);
        assertEquals(Set.of(), left, "the warm-up left its ring directory behind");
        assertEquals(0, Relay.warmUp(0, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> Relay.warmUp(-1, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> Relay.warmUp(1, Duration.ofSeconds(1), 3));
        // the test's own ring was not touched
        assertEquals(0, dev.stats(RING).pushed());
    }

    private static Set<Path> warmUpDirs(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(WarmUp.dirPrefix()))
                    .collect(Collectors.toCollection(HashSet::new));
        }
    }

    /** A hook that holds the sending thread until {@code open} is counted down. */
    private static PacketHook stallUntil(CountDownLatch open) {
        return (packet, length, rtcp) -> {
            try {
                open.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return length;
        };
    }

    /** Two threads only: one thread never holds more than two batches of the ring (next test). */
    @Test
    void aFullRingCountsEveryDroppedPacketOnceInTheRelayAndInTheRing() throws Exception {
        CountDownLatch open = new CountDownLatch(1);
        PacketHook stall = stallUntil(open); // holds the TX thread, so the 64-slot ring fills up
        RtpGenerator gen = new RtpGenerator(RtpStreamConfig.pcmu20ms(0x99, 0, 0));
        RelayStats fin;
        try (Relay relay = Relay.start(dev, config(2).hook(stall).build());
                DatagramSocket src = new DatagramSocket(0, LO)) {
            for (int i = 0; i < 300; i++) {
                send(src, rtp(gen), relay.rtpPort());
                if (i % 10 == 9) {
                    Thread.sleep(2); // many wake-ups while full: each one must not re-report the drops
                }
            }
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (relay.stats().rxRtp() + relay.stats().ringFull() + relay.stats().socketDrops() < 300
                    && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            open.countDown();
            long relayed = relay.stats().rxRtp();
            for (long i = 0; i < relayed; i++) {
                receive(sink);
            }
            // the next claim reports the drops since the last one to the ring
            send(src, rtp(gen), relay.rtpPort());
            receive(sink);
            fin = relay.stop(Duration.ofSeconds(2));
        }
        assertTrue(fin.ringFull() > 0, "the ring never filled: " + fin);
        assertEquals(fin.ringFull(), fin.ring().drops(), "ring drops vs the relay's ring-full count");
        assertEquals(301, fin.rxRtp() + fin.ringFull() + fin.socketDrops());
        assertEquals(fin.rxRtp(), fin.txRtp());
        assertNoSlotHeld();
    }

    @Test
    void oneThreadBehindAStalledHookKeepsPacketsInTheSocketNotTheRingAndLosesNone() throws Exception {
        CountDownLatch open = new CountDownLatch(1);
        PacketHook stall = stallUntil(open); // holds the one thread: it receives nothing more meanwhile
        RtpGenerator gen = new RtpGenerator(RtpStreamConfig.pcmu20ms(0x98, 0, 0));
        RelayStats fin;
        // 100 packets fit the default socket buffer (about 1.3 KB each there)
        try (Relay relay = Relay.start(dev, config(1).hook(stall).build());
                DatagramSocket src = new DatagramSocket(0, LO)) {
            for (int i = 0; i < 100; i++) {
                send(src, rtp(gen), relay.rtpPort());
            }
            Thread.sleep(300);
            RelayStats mid = relay.stats();
            assertTrue(mid.rxRtp() >= 1 && mid.rxRtp() <= 32, "received beyond one batch behind a stalled hook: " + mid);
            assertEquals(0, mid.ringFull());
            assertTrue(mid.ring().ready() + mid.ring().inFlight() <= 32, "the ring filled: " + mid.ring());
            open.countDown();
            for (int i = 0; i < 100; i++) {
                receive(sink);
            }
            fin = relay.stop(Duration.ofSeconds(2));
        }
        assertEquals(100, fin.rxRtp());
        assertEquals(100, fin.txRtp());
        assertEquals(0, fin.ring().drops());
        assertEquals(0, fin.socketDrops());
        assertNoSlotHeld();
    }

    @ParameterizedTest(name = "threads {0}")
    @ValueSource(ints = {1, 2})
    void rtcpIsRelayedWhileRtpFlowsAndWhileItIsIdle(int threads) throws Exception {
        byte[] rr = {(byte) 0x80, (byte) 201, 0, 1, 0, 0, 0, 43};
        RtpGenerator gen = new RtpGenerator(RtpStreamConfig.pcmu20ms(0x55, 0, 0));
        try (DatagramSocket src = new DatagramSocket(0, LO);
                Relay relay = Relay.start(dev, config(threads).build())) {
            // idle RTP: the one thread waits in the RTP receive; RTCP must still be looked at
            for (int i = 0; i < 3; i++) {
                send(src, rr, relay.rtcpPort());
                assertArrayEquals(rr, receive(sinkRtcp), "RTCP " + i + " with RTP idle");
            }
            // RTCP between RTP packets: every one of each arrives (RTP one at a time: a burst
            // can overfill the 64-slot ring with two threads on a loaded host)
            for (int i = 0; i < 200; i++) {
                send(src, rtp(gen), relay.rtpPort());
                if (i % 20 == 0) {
                    send(src, rr, relay.rtcpPort());
                }
                receive(sink);
            }
            for (int i = 0; i < 10; i++) {
                assertArrayEquals(rr, receive(sinkRtcp), "RTCP " + i + " while RTP flows");
            }
            RelayStats st = relay.stop(Duration.ofSeconds(2));
            assertEquals(13, st.txRtcp());
            assertEquals(200, st.txRtp());
        }
        assertNoSlotHeld();
    }
}
