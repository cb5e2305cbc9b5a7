package io.rtpm.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.rtpm.ffm.RingDevice;
import io.rtpm.ffm.shm.ShmRingDevice;
import io.rtpm.rtp.PacketKind;

/** The media engine on real UDP sockets (loopback), on the user-space ring, epoll design. */
class MediaEngineTest {

    static final InetAddress LO = InetAddress.getLoopbackAddress();
    static final int PCMU = 0;
    static final int PCMA = 8;

    private Path dir;
    private RingDevice dev;
    private MediaEngine engine;
    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();

    /** Records every event as a line, so tests can wait for one. */
    private final EngineListener recorder = new EngineListener() {
        @Override
        public void onLatched(Call call, int leg, InetSocketAddress source) {
            events.add("latched " + call.id() + "/" + leg + " " + source.getPort());
        }

        @Override
        public void onHandover(Call call, int leg, InetSocketAddress source) {
            events.add("handover " + call.id() + "/" + leg + " " + source.getPort());
        }

        @Override
        public void onSsrcChange(Call call, int leg, int ssrc) {
            events.add("ssrc " + call.id() + "/" + leg + " " + Integer.toHexString(ssrc));
        }

        @Override
        public void onNonRtp(Call call, int leg, PacketKind kind, MemorySegment datagram, InetSocketAddress source) {
            events.add("nonrtp " + call.id() + "/" + leg + " " + kind + " " + datagram.byteSize());
        }

        @Override
        public void onCallEnded(Call call, CallEndReason reason) {
            events.add("ended " + call.id() + " " + reason);
        }
    };

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createTempDirectory("rtpm-engine-test-");
        dev = ShmRingDevice.open(dir);
    }

    @AfterEach
    void tearDown() throws IOException {
        if (engine != null) {
            engine.close();
        }
        dev.close();
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** @return the I/O design these tests run on (MediaEngineUringTest runs them on io_uring) */
    IoDesign design() {
        return IoDesign.EPOLL;
    }

    private MediaEngine start(Consumer<EngineConfig.Builder> tune) {
        EngineConfig.Builder b = EngineConfig.builder(LO).workers(2).ports(46000, 46199).ioDesign(design())
                .rings(0, 8, 1500).listener(recorder).portQuarantine(Duration.ZERO);
        tune.accept(b);
        engine = MediaEngine.start(dev, b.build());
        return engine;
    }

    private String awaitEvent(String prefix) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        for (String e; (e = events.poll(Math.max(1, end - System.nanoTime()), TimeUnit.NANOSECONDS)) != null;) {
            if (e.startsWith(prefix)) {
                return e;
            }
        }
        throw new AssertionError("no event '" + prefix + "' within 3 s");
    }

    private static LegSpec fixed(Endpoint e) {
        return LegSpec.builder().remote(e.address()).learning(EndpointLearning.OFF).build();
    }

    @Test
    void whatBReceivesComesFromLegBsPortsBothWaysRtpAndRtcp() throws Exception {
        start(b -> { });
        try (Endpoint a = Endpoint.open(LO, 0xA); Endpoint bb = Endpoint.open(LO, 0xB)) {
            Call call = engine.addCall(CallSpec.builder("c1").leg(fixed(a)).leg(fixed(bb)).build());
            assertEquals(call.localRtp(0).getPort() + 1, call.localRtcp(0).getPort());
            assertEquals(0, call.localRtp(0).getPort() % 2, "RTP ports are even");

            byte[] sent = a.nextRtp(PCMU, 160);
            a.rtp.send(new DatagramPacket(sent, sent.length, call.localRtp(0)));
            DatagramPacket got = Endpoint.receive(bb.rtp);
            assertArrayEquals(sent, Endpoint.bytes(got), "relayed byte for byte");
            assertEquals(call.localRtp(1), got.getSocketAddress(), "B hears A from leg B's RTP port");

            bb.sendRtp(call.localRtp(1), PCMU);
            assertEquals(call.localRtp(0), Endpoint.receive(a.rtp).getSocketAddress(), "A hears B from leg A's port");

            a.sendRtcp(call.localRtcp(0));
            DatagramPacket r = Endpoint.receive(bb.rtcp);
            assertEquals(call.localRtcp(1), r.getSocketAddress(), "RTCP takes the RTCP ports");
            assertEquals(201, r.getData()[1] & 0xFF);

            LegStats s0 = call.stats(0);
            LegStats s1 = call.stats(1);
            assertEquals(2, s0.rxPackets());
            assertEquals(1, s0.rtcpReceived());
            assertEquals(1, s0.txPackets(), "leg A sent B's packet to A");
            assertEquals(2, s1.txPackets());
            assertEquals(1, s1.rtcpSent());
            assertEquals(0, s0.drops() + s1.drops());
            assertEquals(1, s0.ssrcs().size());
            assertEquals(0xA, s0.ssrcs().get(0).ssrc());
            assertEquals(0, s0.ssrcs().get(0).received(), "RFC 3550 A.1: a first packet is in probation");
            assertEquals("ssrc c1/0 a", awaitEvent("ssrc c1/0"));
        }
    }

    @Test
    void anotherMappingReadsTheCountersFromTheCounterFile() throws Exception {
        Path counters = dir.resolve("counters");
        start(b -> b.countersDirectory(counters).workers(1));
        try (Endpoint a = Endpoint.open(LO, 1); Endpoint bb = Endpoint.open(LO, 2)) {
            Call call = engine.addCall(CallSpec.builder("file").leg(fixed(a)).leg(fixed(bb)).build());
            for (int i = 0; i < 3; i++) {
                a.sendRtp(call.localRtp(0), PCMU);
                Endpoint.receive(bb.rtp);
            }
            // a mapping of its own, read-only, as another process (rtpm stats) has it
            try (EngineCounters view = EngineCounters.open(counters.resolve("worker-0.counters"))) {
                assertEquals(ProcessHandle.current().pid(), view.pid());
                List<EngineCounters.Leg> legs = view.legs();
                assertEquals(List.of("file/0", "file/1"), legs.stream().map(EngineCounters.Leg::label).sorted().toList());
                EngineCounters.Leg a0 = legs.stream().filter(l -> l.label().equals("file/0")).findFirst().orElseThrow();
                assertEquals(3, a0.stats().rxPackets());
                call.remove();
                assertEquals(List.of(), view.legs(), "an ended call's legs are no longer live");
            }
        }
        assertThrows(IllegalArgumentException.class, () -> EngineCounters.open(Files.writeString(dir.resolve("x"), "x".repeat(600))));
    }

    @Test
    void rtcpMuxCarriesRtcpOnTheRtpPort() throws Exception {
        start(b -> { });
        try (Endpoint a = Endpoint.open(LO, 1); Endpoint bb = Endpoint.open(LO, 2)) {
            LegSpec mux = LegSpec.builder().remote(a.address()).learning(EndpointLearning.OFF).rtcpMux(true).build();
            LegSpec muxB = LegSpec.builder().remote(bb.address()).learning(EndpointLearning.OFF).rtcpMux(true).build();
            Call call = engine.addCall(CallSpec.builder("mux").leg(mux).leg(muxB).build());
            assertEquals(call.localRtp(0), call.localRtcp(0));
            byte[] rr = a.rtcpReport();
            a.rtp.send(new DatagramPacket(rr, rr.length, call.localRtp(0)));
            DatagramPacket got = Endpoint.receive(bb.rtp);
            assertEquals(call.localRtp(1), got.getSocketAddress());
            assertArrayEquals(rr, Endpoint.bytes(got));
            assertEquals(1, call.stats(1).rtcpSent());
        }
    }

    @Test
    void immediateLearningLatchesTheFirstSourceAndSendsThere() throws Exception {
        start(b -> { });
        try (Endpoint a = Endpoint.open(LO, 1); Endpoint bb = Endpoint.open(LO, 2)) {
            Call call = engine.addCall(CallSpec.builder("imm")
                    .leg(LegSpec.builder().learning(EndpointLearning.IMMEDIATE).build()) // A: unknown (NAT)
                    .leg(fixed(bb)).build());
            bb.sendRtp(call.localRtp(1), PCMU);
            assertTrue(Endpoint.quiet(a.rtp, 200), "nothing can reach A before it is learned");
            assertEquals(1, call.stats(1).drops(DropCause.NO_DESTINATION));
            a.sendRtp(call.localRtp(0), PCMU);
            Endpoint.receive(bb.rtp);
            assertEquals("latched imm/0 " + a.address().getPort(), awaitEvent("latched"));
            bb.sendRtp(call.localRtp(1), PCMU);
            assertEquals(call.localRtp(0), Endpoint.receive(a.rtp).getSocketAddress());
            // RTCP follows the learned RTP endpoint at port + 1 until its own traffic says otherwise
            bb.sendRtcp(call.localRtcp(1));
            assertEquals(call.localRtcp(0), Endpoint.receive(a.rtcp).getSocketAddress());
        }
    }

    @Test
    void withoutStrictSourceALearnedLegForwardsFromAnySourceButSendsOnlyToItsEndpoint() throws Exception {
        start(b -> { });
        try (Endpoint a = Endpoint.open(LO, 1); Endpoint bb = Endpoint.open(LO, 2); Endpoint spoof = Endpoint.open(LO, 3)) {
            Call call = engine.addCall(CallSpec.builder("loose")
                    .leg(LegSpec.builder().learning(EndpointLearning.IMMEDIATE).build()).leg(fixed(bb)).build());
            a.sendRtp(call.localRtp(0), PCMU);
            Endpoint.receive(bb.rtp);
            spoof.sendRtp(call.localRtp(0), PCMU);
            Endpoint.receive(bb.rtp); // forwarded, as rtpengine does
            bb.sendRtp(call.localRtp(1), PCMU);
            Endpoint.receive(a.rtp);
            assertTrue(Endpoint.quiet(spoof.rtp, 200), "the spoofer is not sent to");
            assertEquals(0, call.stats(0).drops(DropCause.SOURCE_FILTER));
        }
    }

    @Test
    void strictSourceDropsAndCountsASpoofedSource() throws Exception {
        start(b -> { });
        try (Endpoint a = Endpoint.open(LO, 1); Endpoint bb = Endpoint.open(LO, 2); Endpoint spoof = Endpoint.open(LO, 3)) {
            for (EndpointLearning mode : List.of(EndpointLearning.OFF, EndpointLearning.IMMEDIATE)) {
                Call call = engine.addCall(CallSpec.builder("strict-" + mode)
                        .leg(LegSpec.builder().remote(a.address()).learning(mode).strictSource(true).build())
                        .leg(fixed(bb)).build());
                a.sendRtp(call.localRtp(0), PCMU);
                Endpoint.receive(bb.rtp);
                spoof.sendRtp(call.localRtp(0), PCMU);
                assertTrue(Endpoint.quiet(bb.rtp, 200), mode + ": the spoofed packet must not pass");
                assertEquals(1, call.stats(0).drops(DropCause.SOURCE_FILTER), mode.toString());
                bb.sendRtp(call.localRtp(1), PCMU);
                Endpoint.receive(a.rtp);
                call.remove();
            }
        }
    }

    @Test
    void delayedLearningFollowsTheLatestSourceThenConfirms() throws Exception {
        start(b -> b.learningDelay(Duration.ofMillis(400)));
        try (Endpoint a = Endpoint.open(LO, 1); Endpoint bb = Endpoint.open(LO, 2); Endpoint other = Endpoint.open(LO, 3)) {
            Call call = engine.addCall(CallSpec.builder("delayed")
                    .leg(LegSpec.builder().remote(other.address()).build()) // SDP says "other"; A really sends
                    .leg(fixed(bb)).build());
            a.sendRtp(call.localRtp(0), PCMU); // in the window: A becomes the candidate
            Endpoint.receive(bb.rtp);
            bb.sendRtp(call.localRtp(1), PCMU);
            Endpoint.receive(a.rtp);
            Thread.sleep(450);
            a.sendRtp(call.localRtp(0), PCMU); // after the window: confirmed
            Endpoint.receive(bb.rtp);
            assertEquals("latched delayed/0 " + a.address().getPort(), awaitEvent("latched"));
            other.sendRtp(call.localRtp(0), PCMU); // not strict: forwarded, but no re-learn
            Endpoint.receive(bb.rtp);
            bb.sendRtp(call.localRtp(1), PCMU);
            Endpoint.receive(a.rtp);
            assertTrue(Endpoint.quiet(other.rtp, 200));
        }
    }

    @Test
    void heuristicLearningConfirmsTheSdpEndpointAtOnceAndPrefersItsAddress() throws Exception {
        start(b -> b.learningDelay(Duration.ofSeconds(5)));
        try (Endpoint a = Endpoint.open(LO, 1); Endpoint bb = Endpoint.open(LO, 2); Endpoint other = Endpoint.open(LO, 3)) {
            Call call = engine.addCall(CallSpec.builder("heur")
                    .leg(LegSpec.builder().remote(a.address()).learning(EndpointLearning.HEURISTIC).build())
                    .leg(fixed(bb)).build());
            other.sendRtp(call.localRtp(0), PCMU); // same address (127.0.0.1), other port: a candidate
            Endpoint.receive(bb.rtp);
            a.sendRtp(call.localRtp(0), PCMU); // the SDP's address and port: confirmed at once
            Endpoint.receive(bb.rtp);
            assertEquals("latched heur/0 " + a.address().getPort(), awaitEvent("latched"));
            other.sendRtp(call.localRtp(0), PCMU);
            Endpoint.receive(bb.rtp);
            bb.sendRtp(call.localRtp(1), PCMU);
            Endpoint.receive(a.rtp);
            assertTrue(Endpoint.quiet(other.rtp, 200));
        }
    }

    @Test
    void mediaHandoverRelearnsANewSource() throws Exception {
        start(b -> { });
        try (Endpoint a = Endpoint.open(LO, 1); Endpoint bb = Endpoint.open(LO, 2); Endpoint moved = Endpoint.open(LO, 3)) {
            Call call = engine.addCall(CallSpec.builder("ho")
                    .leg(LegSpec.builder().learning(EndpointLearning.IMMEDIATE).mediaHandover(true).strictSource(true).build())
                    .leg(fixed(bb)).build());
            a.sendRtp(call.localRtp(0), PCMU);
            Endpoint.receive(bb.rtp);
            awaitEvent("latched");
            moved.sendRtp(call.localRtp(0), PCMU);
            Endpoint.receive(bb.rtp);
            assertEquals("handover ho/0 " + moved.address().getPort(), awaitEvent("handover"));
            bb.sendRtp(call.localRtp(1), PCMU);
            assertEquals(call.localRtp(0), Endpoint.receive(moved.rtp).getSocketAddress());
            assertTrue(Endpoint.quiet(a.rtp, 200));
        }
    }

    @Test
    void aRemoteRetargetedMidCallAndHoldInOneDirection() throws Exception {
        start(b -> { });
        try (Endpoint a = Endpoint.open(LO, 1); Endpoint bb = Endpoint.open(LO, 2); Endpoint b2 = Endpoint.open(LO, 4)) {
            Call call = engine.addCall(CallSpec.builder("re").leg(fixed(a)).leg(fixed(bb)).build());
            a.sendRtp(call.localRtp(0), PCMU);
            Endpoint.receive(bb.rtp);
            call.update(1, fixed(b2)); // re-INVITE: B moved
            a.sendRtp(call.localRtp(0), PCMU);
            assertEquals(call.localRtp(1), Endpoint.receive(b2.rtp).getSocketAddress());
            assertTrue(Endpoint.quiet(bb.rtp, 150));

            call.update(0, fixed(a).toBuilder().sending(false).build()); // A on hold: A's media stops
            a.sendRtp(call.localRtp(0), PCMU);
            assertTrue(Endpoint.quiet(b2.rtp, 200));
            assertEquals(1, call.stats(0).drops(DropCause.HELD));
            b2.sendRtp(call.localRtp(1), PCMU); // the other direction still flows
            Endpoint.receive(a.rtp);
            assertThrows(IllegalArgumentException.class,
                    () -> call.update(0, fixed(a).toBuilder().rtcpMux(true).build()));
        }
    }

    @Test
    void payloadTypeFilterPassesOnlyNegotiatedTypesAndBothSetsDuringAReoffer() throws Exception {
        start(b -> { });
        try (Endpoint a = Endpoint.open(LO, 1); Endpoint bb = Endpoint.open(LO, 2)) {
            LegSpec pcmuOnly = fixed(a).toBuilder().payloadTypes(PayloadTypes.of(PCMU)).build();
            Call call = engine.addCall(CallSpec.builder("pt").leg(pcmuOnly).leg(fixed(bb)).build());
            a.sendRtp(call.localRtp(0), PCMA);
            assertTrue(Endpoint.quiet(bb.rtp, 200));
            assertEquals(1, call.stats(0).drops(DropCause.PAYLOAD_TYPE_FILTER));
            a.sendRtp(call.localRtp(0), PCMU);
            Endpoint.receive(bb.rtp);

            call.update(0, pcmuOnly.toBuilder().offeredPayloadTypes(PayloadTypes.of(PCMA)).build()); // re-offer
            a.sendRtp(call.localRtp(0), PCMA);
            Endpoint.receive(bb.rtp);
            a.sendRtp(call.localRtp(0), PCMU);
            Endpoint.receive(bb.rtp);

            call.update(0, fixed(a).toBuilder().payloadTypes(PayloadTypes.of(PCMA)).build()); // answered: PCMA
            a.sendRtp(call.localRtp(0), PCMU);
            assertTrue(Endpoint.quiet(bb.rtp, 200));
            assertEquals(2, call.stats(0).drops(DropCause.PAYLOAD_TYPE_FILTER));
        }
    }

    @Test
    void stunIsHandedToTheOwnerAndCountedByKindNotAsInvalid() throws Exception {
        start(b -> b.nonRtp(NonRtpPolicy.DELIVER));
        try (Endpoint a = Endpoint.open(LO, 1); Endpoint bb = Endpoint.open(LO, 2)) {
            Call call = engine.addCall(CallSpec.builder("stun").leg(fixed(a)).leg(fixed(bb)).build());
            byte[] stun = new byte[20]; // a binding request header: type 0x0001, magic cookie
            stun[1] = 1;
            stun[4] = 0x21;
            stun[5] = 0x12;
            stun[6] = (byte) 0xA4;
            stun[7] = 0x42;
            a.rtp.send(new DatagramPacket(stun, stun.length, call.localRtp(0)));
            assertEquals("nonrtp stun/0 STUN 20", awaitEvent("nonrtp"));
            byte[] dtls = {22, (byte) 0xFE, (byte) 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
            a.rtp.send(new DatagramPacket(dtls, dtls.length, call.localRtp(0)));
            awaitEvent("nonrtp stun/0 DTLS");
            byte[] junk = {(byte) 0x80, 0, 0}; // RTP's first byte, but shorter than its header
            a.rtp.send(new DatagramPacket(junk, junk.length, call.localRtp(0)));
            a.sendRtp(call.localRtp(0), PCMU);
            Endpoint.receive(bb.rtp);
            assertTrue(Endpoint.quiet(bb.rtp, 100), "neither STUN, DTLS nor junk is forwarded");
            LegStats s = call.stats(0);
            assertEquals(1, s.stun());
            assertEquals(1, s.dtls());
            assertEquals(1, s.drops(DropCause.INVALID), "only the junk is invalid");
        }
    }

    @Test
    void ipv6Legs() throws Exception {
        InetAddress v6 = InetAddress.getByName("::1");
        engine = MediaEngine.start(dev, EngineConfig.builder(v6).workers(1).ports(46200, 46299).ioDesign(design())
                .rings(0, 8, 1500).listener(recorder).build());
        try (Endpoint a = Endpoint.open(v6, 1); Endpoint bb = Endpoint.open(v6, 2)) {
            Call call = engine.addCall(CallSpec.builder("v6").leg(fixed(a)).leg(fixed(bb)).build());
            a.sendRtp(call.localRtp(0), PCMU);
            DatagramPacket got = Endpoint.receive(bb.rtp);
            assertEquals(call.localRtp(1).getPort(), ((InetSocketAddress) got.getSocketAddress()).getPort());
            assertEquals(v6, ((InetSocketAddress) got.getSocketAddress()).getAddress());
            bb.sendRtp(call.localRtp(1), PCMU);
            Endpoint.receive(a.rtp);
        }
    }

    @Test
    void timeoutsEndCallsWithAnEventAndFreeTheirPorts() throws Exception {
        start(b -> b.timeout(Duration.ofMillis(300)).silentTimeout(Duration.ofMillis(900))
                .offerTimeout(Duration.ofMillis(300)));
        try (Endpoint a = Endpoint.open(LO, 1); Endpoint bb = Endpoint.open(LO, 2)) {
            Call quiet = engine.addCall(CallSpec.builder("quiet").leg(fixed(a)).leg(fixed(bb)).build());
            LegSpec held = fixed(a).toBuilder().sending(false).build();
            Call onHold = engine.addCall(CallSpec.builder("hold").leg(held)
                    .leg(fixed(bb).toBuilder().sending(false).build()).build());
            Call offered = engine.addCall(CallSpec.builder("offer").leg(fixed(a)).leg(fixed(bb))
                    .awaitingAnswer(true).build());
            long t0 = System.nanoTime();
            // the offered call gets media, so only the missing answer ends it
            for (int i = 0; i < 5; i++) {
                a.sendRtp(offered.localRtp(0), PCMU);
                Thread.sleep(50);
            }
            assertEquals("ended offer OFFER_TIMEOUT", awaitEvent("ended offer"));
            assertEquals("ended quiet TIMEOUT", awaitEvent("ended quiet"));
            assertEquals(null, onHold.ended(), "a held call gets the longer silent timeout");
            assertEquals("ended hold SILENT_TIMEOUT", awaitEvent("ended hold"));
            assertTrue(System.nanoTime() - t0 >= 800_000_000L);
            assertEquals(CallEndReason.TIMEOUT, quiet.ended());
            assertEquals(0, engine.callCount());
            assertEquals(0, engine.portPairsInUse());
        }
    }

    @Test
    void finalTimeoutEndsACallWhateverItsMedia() throws Exception {
        start(b -> b.finalTimeout(Duration.ofMillis(300)));
        try (Endpoint a = Endpoint.open(LO, 1); Endpoint bb = Endpoint.open(LO, 2)) {
            Call call = engine.addCall(CallSpec.builder("fin").leg(fixed(a)).leg(fixed(bb)).build());
            for (int i = 0; i < 8 && call.ended() == null; i++) {
                a.sendRtp(call.localRtp(0), PCMU);
                Thread.sleep(60);
            }
            assertEquals("ended fin FINAL_TIMEOUT", awaitEvent("ended fin"));
        }
    }

    @Test
    void aPortRangeThatRunsOutGivesAClearErrorKeepsNothingAndRecovers() throws Exception {
        // 4 pairs; one port bound by someone else
        try (DatagramSocket squatter = new DatagramSocket(new InetSocketAddress(LO, 46302))) {
            engine = MediaEngine.start(dev, EngineConfig.builder(LO).workers(1).ports(46300, 46307).ioDesign(design())
                    .rings(0, 8, 1500).portQuarantine(Duration.ofMillis(500)).build());
            try (Endpoint a = Endpoint.open(LO, 1); Endpoint bb = Endpoint.open(LO, 2)) {
                Call first = engine.addCall(CallSpec.builder("one").leg(fixed(a)).leg(fixed(bb)).build());
                assertEquals(46300, first.localRtp(0).getPort());
                assertEquals(46304, first.localRtp(1).getPort(), "the squatted pair is skipped");
                PortRangeExhaustedException e = assertThrows(PortRangeExhaustedException.class,
                        () -> engine.addCall(CallSpec.builder("two").leg(fixed(a)).leg(fixed(bb)).build()));
                assertTrue(e.getMessage().contains("1 bound by another program"), e.getMessage());
                assertEquals(2, engine.portPairsInUse(), "the failed call kept no port");
                assertEquals(null, engine.call("two"));
                first.remove();
                assertThrows(PortRangeExhaustedException.class,
                        () -> engine.addCall(CallSpec.builder("two").leg(fixed(a)).leg(fixed(bb)).build()),
                        "freed ports rest in the quarantine first");
                Thread.sleep(600);
                Call two = engine.addCall(CallSpec.builder("two").leg(fixed(a)).leg(fixed(bb)).build());
                a.sendRtp(two.localRtp(0), PCMU);
                Endpoint.receive(bb.rtp);
            }
        }
    }

    @Test
    void badCallsAreRefusedWithAReason() throws Exception {
        start(b -> { });
        try (Endpoint a = Endpoint.open(LO, 1)) {
            engine.addCall(CallSpec.builder("dup").leg(fixed(a)).leg(fixed(a)).build());
            assertThrows(IllegalArgumentException.class,
                    () -> engine.addCall(CallSpec.builder("dup").leg(fixed(a)).leg(fixed(a)).build()));
            assertThrows(IllegalArgumentException.class,
                    () -> CallSpec.builder("x").leg(fixed(a).toBuilder().peer(0).build()).build());
            assertThrows(IllegalArgumentException.class, () -> CallSpec.builder("").build());
        }
    }

    @Test
    void ssrcChangeAndRfc3550StatisticsPerSsrc() throws Exception {
        start(b -> { });
        try (Endpoint a = Endpoint.open(LO, 0x1111); Endpoint a2 = Endpoint.open(LO, 0x2222); Endpoint bb = Endpoint.open(LO, 2)) {
            Call call = engine.addCall(CallSpec.builder("ssrc").leg(LegSpec.builder().build()).leg(fixed(bb)).build());
            for (int i = 0; i < 5; i++) {
                a.sendRtp(call.localRtp(0), PCMU);
                Endpoint.receive(bb.rtp);
            }
            a2.sendRtp(call.localRtp(0), 96); // a dynamic type nobody gave a clock rate
            Endpoint.receive(bb.rtp);
            awaitEvent("ssrc ssrc/0 1111");
            awaitEvent("ssrc ssrc/0 2222");
            List<SsrcStats> s = call.stats(0).ssrcs();
            assertEquals(2, s.size());
            SsrcStats first = s.stream().filter(x -> x.ssrc() == 0x1111).findFirst().orElseThrow();
            SsrcStats second = s.stream().filter(x -> x.ssrc() == 0x2222).findFirst().orElseThrow();
            assertEquals(1004, first.extendedMax());
            assertEquals(0, first.lost());
            assertNotEquals(-1, first.jitter(), "PCMU has a clock rate: jitter is reported");
            assertEquals(-1, second.jitter(), "no clock rate: no jitter, rather than assuming 8000");
        }
    }
}
