package io.rtpm.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.rtpm.relay.internal.JitQuiet;

/**
 * Warms the engine up on its own workers, rings and I/O design before real calls: a few
 * loopback calls per worker carry rounds of traffic (RTP in bursts, RTCP on its own port and
 * muxed, STUN, a filtered payload type, a spoofed source, a sequence-number wrap) until the JIT is
 * done with rtpm's code ({@link JitQuiet}), then are removed. So the first real packets meet
 * compiled code on the backend that will carry them; the warm-up's ports rest in the quarantine
 * like any call's.
 */
final class EngineWarmUp {

    private static final int BURST = 8;
    private static final int SIZE = 172;
    private static final int PCMU = 0;
    private static final int PCMA = 8;

    private final MediaEngine engine;
    private final List<Call> calls = new ArrayList<>();
    private final DatagramSocket a;
    private final DatagramSocket aRtcp;
    private final DatagramSocket b;
    private final DatagramSocket bRtcp;
    private final DatagramSocket spoof;
    private final byte[] packet = new byte[SIZE];
    private final DatagramPacket in = new DatagramPacket(new byte[2048], 2048);
    private int seq = 65_000; // wraps during the warm-up
    private int relayed;
    private long deadline;

    private EngineWarmUp(MediaEngine engine, InetAddress local) throws IOException {
        this.engine = engine;
        DatagramSocket[] pa = pair(local);
        DatagramSocket[] pb = pair(local);
        this.a = pa[0];
        this.aRtcp = pa[1];
        this.b = pb[0];
        this.bRtcp = pb[1];
        this.spoof = new DatagramSocket(new InetSocketAddress(local, 0));
    }

    /**
     * @param packets the least packets to relay
     * @param budget the most time to take
     * @return packets relayed
     */
    static int run(MediaEngine engine, InetAddress local, int packets, Duration budget) {
        long deadline = System.nanoTime() + budget.toNanos();
        EngineWarmUp w = null;
        try {
            w = new EngineWarmUp(engine, local);
            w.deadline = deadline;
            w.setUp();
            EngineWarmUp self = w;
            return JitQuiet.untilQuiet(self::round, () -> engine.failure() == null, packets, deadline,
                    EngineWarmUp.class.getName());
        } catch (IOException e) {
            throw new UncheckedIOException("warm up the media engine on " + local + ": " + e.getMessage()
                    + " (start without the warm-up)", e);
        } finally {
            if (w != null) {
                w.close();
            }
        }
    }

    private void setUp() {
        InetSocketAddress ea = (InetSocketAddress) a.getLocalSocketAddress();
        InetSocketAddress eb = (InetSocketAddress) b.getLocalSocketAddress();
        for (int i = 0; i < engine.workers(); i++) {
            // one of each kind per worker (calls go to the least loaded worker)
            calls.add(engine.addCall(CallSpec.builder("rtpm-warm-up-" + i + "-plain")
                    .leg(LegSpec.builder().remote(ea).learning(EndpointLearning.IMMEDIATE).strictSource(true).build())
                    .leg(LegSpec.builder().remote(eb).learning(EndpointLearning.OFF).build()).build()));
        }
        for (int i = 0; i < engine.workers(); i++) {
            calls.add(engine.addCall(CallSpec.builder("rtpm-warm-up-" + i + "-mux")
                    .leg(LegSpec.builder().remote(ea).rtcpMux(true).learning(EndpointLearning.HEURISTIC)
                            .payloadTypes(PayloadTypes.of(PCMU)).build())
                    .leg(LegSpec.builder().remote(eb).rtcpMux(true).learning(EndpointLearning.OFF).build()).build()));
        }
    }

    /** One round: a burst per call each way, with the odd packets the slow paths take. */
    private int round() throws IOException {
        for (int r = 0; r < 50 && System.nanoTime() < deadline; r++) {
            for (Call c : calls) {
                boolean mux = c.localRtp(0).equals(c.localRtcp(0));
                for (int k = 0; k < BURST; k++) {
                    send(a, rtp(PCMU, 0xA1), c.localRtp(0));
                    send(b, rtp(PCMU, 0xB1), c.localRtp(1));
                }
                expect(b, BURST);
                expect(a, BURST);
                if ((seq & 15) < BURST) {
                    byte[] rr = {(byte) 0x80, (byte) 201, 0, 1, 0, 0, 0, (byte) 0xA1};
                    send(mux ? a : aRtcp, rr, c.localRtcp(0));
                    expect(mux ? b : bRtcp, 1);
                    send(spoof, rtp(PCMU, 0xC1), c.localRtp(0)); // strict source drops it; loose forwards
                    send(a, rtp(PCMA, 0xA1), c.localRtp(0)); // filtered on the mux call
                    send(a, new byte[] {0, 1, 0, 0, 0x21, 0x12, (byte) 0xA4, 0x42}, c.localRtp(0)); // STUN
                    drain(b);
                }
            }
        }
        return relayed;
    }

    private byte[] rtp(int pt, int ssrc) {
        ByteBuffer p = ByteBuffer.wrap(packet);
        p.put(0, (byte) 0x80).put(1, (byte) pt).putShort(2, (short) seq++).putInt(4, seq * 160).putInt(8, ssrc);
        return packet;
    }

    private static void send(DatagramSocket s, byte[] data, InetSocketAddress to) throws IOException {
        s.send(new DatagramPacket(data, data.length, to));
    }

    private void expect(DatagramSocket s, int n) throws IOException {
        s.setSoTimeout(20);
        for (int i = 0; i < n; i++) {
            try {
                s.receive(in);
                relayed++;
            } catch (SocketTimeoutException e) {
                return; // the next round goes on; a warm-up is not a test
            }
        }
    }

    private void drain(DatagramSocket s) throws IOException {
        s.setSoTimeout(1);
        try {
            while (true) {
                s.receive(in);
            }
        } catch (SocketTimeoutException e) {
            // empty
        }
    }

    private static DatagramSocket[] pair(InetAddress local) throws IOException {
        for (int tries = 0; tries < 50; tries++) {
            DatagramSocket s = new DatagramSocket(new InetSocketAddress(local, 0));
            try {
                return new DatagramSocket[] {s, new DatagramSocket(new InetSocketAddress(local, s.getLocalPort() + 1))};
            } catch (IOException taken) {
                s.close();
            }
        }
        throw new IOException("no free pair of UDP ports on " + local + " after 50 tries");
    }

    private void close() {
        for (Call c : calls) {
            c.remove();
        }
        a.close();
        aRtcp.close();
        b.close();
        bRtcp.close();
        spoof.close();
    }
}
