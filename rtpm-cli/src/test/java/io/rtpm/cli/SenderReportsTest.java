package io.rtpm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.rtpm.rtp.RtpPacket;
import io.rtpm.rtp.rtcp.NtpTime;
import io.rtpm.rtp.rtcp.RtcpCheck;
import io.rtpm.rtp.rtcp.RtcpCompound;
import io.rtpm.rtp.rtcp.RtcpPacket;
import io.rtpm.rtp.rtcp.SdesItems;

/**
 * rtpm send's RTCP on the wire (RFC 3550 SR + SDES CNAME, BYE last) and rtpm recv's count of it.
 * The relayed case is in {@link StreamEndToEndTest}.
 */
@Timeout(60)
class SenderReportsTest {

    private static final int PACKETS = 600;
    private static final int RATE = 500;
    private static final int SIZE = 160;
    private static final int SSRC = 0x1234abcd;

    /** One decoded compound: its SR's fields, the CNAME, whether it ends with a BYE. */
    record Report(long ntp, int rtpTs, long packets, long octets, String cname, boolean bye) {
    }

    @Test
    void senderReportsOnPortPlusOneCountWhatWasSentAndMapTheClocks() throws Exception {
        try (Collector rtp = new Collector(0); Collector rtcp = new Collector(rtp.port() + 1)) {
            Instant before = Instant.now();
            Cli.Result send = Cli.run("send", "--to", "127.0.0.1:" + rtp.port(), "--rate", "" + RATE,
                    "--count", "" + PACKETS, "--size", "" + SIZE, "--ssrc", Integer.toHexString(SSRC),
                    "--rtcp-interval", "0.2", "--cname", "tester@rtpm", "--json");
            Instant after = Instant.now();
            assertEquals(0, send.code(), send::toString);
            List<byte[]> media = rtp.drain();
            List<byte[]> control = rtcp.drain();
            assertEquals(PACKETS, media.size());
            assertEquals(Cli.num(send.out(), "rtcp"), control.size(), send::toString);
            // the first at the first packet, ~6 in 1.2 s at 0.2 s (0.1..0.3 s each), the last with the BYE
            assertTrue(control.size() >= 4, () -> control.size() + " sender reports");

            List<Report> reports = new ArrayList<>();
            for (byte[] d : control) {
                reports.add(decode(d));
            }
            Report first = reports.get(0);
            Report last = reports.get(reports.size() - 1);
            assertEquals(1, first.packets(), "the first SR goes out right after the first packet");
            assertEquals(PACKETS, last.packets());
            assertEquals((long) PACKETS * SIZE, last.octets(), "octets count payload only");
            assertTrue(last.bye(), "the last compound ends with a BYE");
            assertTrue(reports.subList(0, reports.size() - 1).stream().noneMatch(Report::bye), "BYE before the end");
            for (Report r : reports) {
                assertEquals("tester@rtpm", r.cname());
                assertEquals((long) r.packets() * SIZE, r.octets());
                Instant wall = NtpTime.toInstant(r.ntp());
                assertTrue(!wall.isBefore(before.minusMillis(1)) && !wall.isAfter(after.plusMillis(1)),
                        () -> "SR time " + wall + " outside the send, " + before + " .. " + after);
            }
            for (int i = 1; i < reports.size(); i++) {
                Report a = reports.get(i - 1);
                Report b = reports.get(i);
                assertTrue(b.packets() >= a.packets() && b.ntp() > a.ntp(), "counts and times go forward");
                // both clocks advance alike: RTP ticks (8 kHz) vs NTP time between two reports
                long wallNanos = Duration.between(NtpTime.toInstant(a.ntp()), NtpTime.toInstant(b.ntp())).toNanos();
                long ticks = b.rtpTs() - a.rtpTs();
                assertEquals(wallNanos * 8000 / 1_000_000_000L, ticks, 8000 * 0.02,
                        "RTP and NTP timestamps of consecutive SRs disagree by more than 20 ms");
            }
            // the last SR's RTP time is no earlier than the last packet's timestamp
            RtpPacket p = new RtpPacket();
            byte[] lastRtp = media.get(media.size() - 1);
            p.wrap(MemorySegment.ofArray(lastRtp), 0, lastRtp.length);
            assertEquals(SSRC, p.ssrc());
            int ahead = last.rtpTs() - p.timestamp();
            assertTrue(ahead >= -1 && ahead < 8000, () -> "last SR RTP time " + ahead + " ticks after the last packet");
        }
    }

    @Test
    void muxSendsRtcpOnTheRtpPortAndOffSendsNone() throws Exception {
        try (Collector rtp = new Collector(0); Collector rtcp = new Collector(rtp.port() + 1)) {
            Cli.Result mux = Cli.run("send", "--to", "127.0.0.1:" + rtp.port(), "--rate", "1000",
                    "--count", "100", "--rtcp", "mux", "--json");
            assertEquals(0, mux.code(), mux::toString);
            List<byte[]> all = rtp.drain();
            long srs = all.stream().filter(d -> (d[1] & 0xFF) == RtcpPacket.SR).count();
            assertEquals(Cli.num(mux.out(), "rtcp"), srs);
            assertEquals(2, srs, "first and last at the default 5 s interval");
            assertEquals(100 + srs, all.size());
            assertEquals(0, rtcp.drain().size(), "nothing on port + 1 with --rtcp mux");

            Cli.Result off = Cli.run("send", "--to", "127.0.0.1:" + rtp.port(), "--rate", "1000",
                    "--count", "100", "--rtcp", "off", "--json");
            assertEquals(0, off.code(), off::toString);
            assertEquals(0, Cli.num(off.out(), "rtcp"));
            assertEquals(100, rtp.drain().size());
            assertEquals(0, rtcp.drain().size());
        }
    }

    @Test
    void recvCountsTheSenderReportsAndWaitsForTheBye() throws Exception {
        int port = Cli.freePortPair();
        var recv = new java.util.concurrent.CompletableFuture<Cli.Result>();
        Thread t = Thread.ofPlatform().daemon(true).start(() -> recv.complete(Cli.run("recv", "--port", "" + port,
                "--bind", "127.0.0.1", "--count", "" + PACKETS, "--duration", "30", "--json", "--fail-on-loss")));
        awaitBound(port + 1);
        Cli.Result send = Cli.run("send", "--to", "127.0.0.1:" + port, "--rate", "" + RATE, "--count", "" + PACKETS,
                "--ssrc", Integer.toHexString(SSRC), "--rtcp-interval", "0.3", "--cname", "tester@rtpm", "--json");
        Cli.Result r = recv.get(40, java.util.concurrent.TimeUnit.SECONDS);
        t.join();
        assertEquals(0, send.code(), send::toString);
        assertEquals(0, r.code(), r::toString);
        String j = r.out().strip();
        assertEquals(PACKETS, Cli.num(j, "packets"), j);
        assertEquals(Cli.num(send.out(), "rtcp"), Cli.num(j, "rtcp_sr"), j);
        assertEquals(Cli.num(send.out(), "rtcp"), Cli.num(j, "rtcp"), j);
        assertEquals(1, Cli.num(j, "rtcp_bye"), j);
        assertEquals(0, Cli.num(j, "rtcp_invalid"), j);
        assertEquals(PACKETS, Cli.num(j, "sr_packets"), "the last SR's count reached recv: " + j);
        assertTrue(j.contains("\"cname\":\"tester@rtpm\",\"bye\":true"), j);
    }

    /** Waits until recv has bound its RTCP socket (binding it here then fails). */
    private static void awaitBound(int port) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            try (DatagramSocket probe = new DatagramSocket(port, InetAddress.getLoopbackAddress())) {
                assertTrue(probe.isBound());
            } catch (IOException bound) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("rtpm recv did not bind port " + port + " within 20 s");
    }

    private static Report decode(byte[] d) {
        MemorySegment s = MemorySegment.ofArray(d);
        assertEquals(RtcpCheck.OK, RtcpCompound.validate(s, 0, d.length, true), () -> Arrays.toString(d));
        RtcpCompound c = new RtcpCompound().wrap(s, 0, d.length);
        assertTrue(c.next());
        RtcpPacket sr = c.packet();
        assertEquals(RtcpPacket.SR, sr.packetType());
        assertEquals(SSRC, sr.senderSsrc());
        assertEquals(0, sr.count(), "a sender that receives nothing has no report blocks");
        long ntp = sr.ntpTimestamp();
        int ts = sr.rtpTimestamp();
        long packets = Integer.toUnsignedLong(sr.senderPacketCount());
        long octets = Integer.toUnsignedLong(sr.senderOctetCount());
        assertTrue(c.next());
        assertEquals(RtcpPacket.SDES, c.packet().packetType());
        SdesItems items = new SdesItems().reset(c.packet());
        assertTrue(items.nextChunk());
        assertEquals(SSRC, items.chunkSsrc());
        assertTrue(items.nextItem());
        assertEquals(SdesItems.CNAME, items.itemType());
        String cname = items.itemText();
        boolean bye = false;
        if (c.next()) {
            assertEquals(RtcpPacket.BYE, c.packet().packetType());
            assertEquals(1, c.packet().count());
            assertEquals(SSRC, c.packet().byeSsrc(0));
            bye = true;
        }
        assertTrue(!c.next(), "nothing after the BYE");
        return new Report(ntp, ts, packets, octets, cname, bye);
    }

    /** Receives on a loopback port on its own thread from the start (a socket buffer alone may overflow). */
    private static final class Collector implements AutoCloseable {
        private final DatagramSocket socket;
        private final List<byte[]> got = new ArrayList<>();
        private final Thread thread;
        private int taken;

        Collector(int port) throws IOException {
            socket = new DatagramSocket(port, InetAddress.getLoopbackAddress());
            socket.setReceiveBufferSize(1 << 20);
            thread = Thread.ofPlatform().daemon(true).start(this::run);
        }

        int port() {
            return socket.getLocalPort();
        }

        private void run() {
            DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
            while (!socket.isClosed()) {
                try {
                    socket.receive(p);
                } catch (IOException closed) {
                    return;
                }
                synchronized (got) {
                    got.add(Arrays.copyOf(p.getData(), p.getLength()));
                }
            }
        }

        /** @return what arrived since the last call, once 300 ms passed without a datagram */
        List<byte[]> drain() {
            int seen = -1;
            while (true) {
                int n;
                synchronized (got) {
                    n = got.size();
                }
                if (n == seen) {
                    synchronized (got) {
                        List<byte[]> r = new ArrayList<>(got.subList(taken, n));
                        taken = n;
                        return r;
                    }
                }
                seen = n;
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
        }

        @Override
        public void close() throws InterruptedException {
            socket.close();
            thread.join(5000);
        }
    }
}
