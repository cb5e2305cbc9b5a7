package io.rtpm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.rtpm.ffm.RingDevice;

/**
 * send -> stream -> recv on loopback, all three as rtpm commands (in this JVM, on a user-space
 * ring): no loss, and the three parties' counts agree. The full-rate run is
 * rtpm-cli/scripts/e2e-load.
 */
@Timeout(90)
class StreamEndToEndTest {

    private static final int PACKETS = 1000;
    private static final int RATE = 500;


    private static String lastLine(String s) {
        return s.strip().lines().reduce((a, b) -> b).orElse("");
    }

    @Test
    void sendStreamRecvAgreeWithNoLoss() throws Exception {
        int rx = Cli.freePortPair();
        int tx = Cli.freePortPair();
        CompletableFuture<Cli.Result> recv = Cli.async(() -> Cli.run("recv", "--port", "" + tx,
                "--bind", "127.0.0.1", "--count", "" + PACKETS, "--duration", "40", "--json", "--fail-on-loss",
                "--expect", "" + PACKETS));
        CompletableFuture<Cli.Result> stream = Cli.async(() -> Cli.run("stream", "--ring", "1",
                "--rx", "" + rx, "--tx", "" + tx, "--bind", "127.0.0.1", "--json", "--interval", "0.5",
                "--duration", "" + (PACKETS / RATE + 4)));
        Cli.awaitRelay(1, stream);
        Cli.Result send = Cli.run("send", "--to", "127.0.0.1:" + rx, "--rate", "" + RATE, "--count", "" + PACKETS,
                "--ssrc", "c0ffee", "--rtcp-interval", "0.5", "--json");
        Cli.Result r = recv.get(60, TimeUnit.SECONDS);
        Cli.Result s = stream.get(60, TimeUnit.SECONDS);
        assertEquals(0, send.code(), send::toString);
        assertEquals(0, s.code(), s::toString);
        assertEquals(0, r.code(), r::toString);

        // with --json the relay's own messages go to stderr and stdout is only JSON objects
        assertTrue(s.err().contains("ring 1 started"), s::toString);
        assertTrue(s.err().contains("backend: user-space ring"), s::toString);
        assertTrue(s.out().lines().allMatch(l -> l.startsWith("{\"type\":")), s::toString);
        String sum = lastLine(s.out());
        assertTrue(sum.startsWith("{\"type\":\"summary\""), s::toString);
        String rsum = r.out().strip();

        assertEquals(PACKETS, Cli.num(send.out(), "sent"));
        assertEquals(PACKETS, Cli.num(sum, "rx_rtp"), sum);
        assertEquals(PACKETS, Cli.num(sum, "tx_rtp"), sum);
        // rtpm send's sender reports crossed the relay (RTCP on port + 1 both sides) and reached recv
        long rtcp = Cli.num(send.out(), "rtcp");
        assertTrue(rtcp >= 2, send::toString);
        assertEquals(rtcp, Cli.num(sum, "rx_rtcp"), sum);
        assertEquals(rtcp, Cli.num(sum, "tx_rtcp"), sum);
        assertEquals(PACKETS + rtcp, Cli.num(sum, "pushed"), sum);
        assertEquals(rtcp, Cli.num(rsum, "rtcp_sr"), rsum);
        assertEquals(PACKETS, Cli.num(rsum, "sr_packets"), rsum);
        assertEquals(0, Cli.num(sum, "socket_drops"), sum);
        assertEquals(0, Cli.num(sum, "rtp_lost"), sum);
        assertEquals(PACKETS, Cli.num(rsum, "packets"), rsum);
        assertEquals(0, Cli.num(rsum, "lost"), rsum);
        assertEquals(PACKETS, Cli.num(rsum, "latency_samples"), rsum);
        // the relay's and the sink's RFC 3550 view of the source agree
        assertEquals(Cli.num(sum.substring(sum.indexOf("\"sources\"")), "received"),
                Cli.num(rsum.substring(rsum.indexOf("\"sources\"")), "received"));
        assertTrue(sum.contains("\"ssrc\":\"00c0ffee\""), sum);
        assertTrue(rsum.contains("\"ssrc\":\"00c0ffee\""), rsum);
        // the interval objects come before the summary, one JSON object per line
        assertTrue(s.out().lines().filter(l -> l.startsWith("{\"type\":\"interval\"")).count() >= 2, s::toString);
    }

    @Test
    void rxFromFilterAndPrometheusMetrics() throws Exception {
        int rx = Cli.freePortPair();
        int tx = Cli.freePortPair();
        int metrics;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            metrics = probe.getLocalPort();
        }
        int goodPort;
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            goodPort = probe.getLocalPort(); // free now: rtpm send binds it
        }
        try (DatagramSocket sink = new DatagramSocket(tx, InetAddress.getLoopbackAddress())) {
            sink.setSoTimeout(200);
            CompletableFuture<Cli.Result> stream = Cli.async(() -> Cli.run("stream",
                    "--ring", "2", "--rx", "" + rx, "--tx", "" + tx, "--bind", "127.0.0.1", "--rtcp", "mux",
                    "--rx-from", "127.0.0.1:" + goodPort, "--metrics-port", "" + metrics, "--duration", "4"));
            Cli.awaitRelay(2, stream);
            Cli.Result bad = Cli.run("send", "--to", "127.0.0.1:" + rx, "--rate", "1000", "--count", "50");
            Cli.Result ok = Cli.run("send", "--to", "127.0.0.1:" + rx, "--bind", "127.0.0.1:" + goodPort,
                    "--rate", "1000", "--count", "20", "--ssrc", "abc");
            assertEquals(0, bad.code(), bad::toString);
            assertEquals(0, ok.code(), ok::toString);
            int got = 0;
            DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
            while (true) {
                try {
                    sink.receive(p);
                } catch (java.net.SocketTimeoutException done) {
                    break;
                }
                assertEquals(0x0abc, ((p.getData()[10] & 0xFF) << 8) | (p.getData()[11] & 0xFF),
                        "a packet of the filtered source reached the destination");
                got++;
            }
            assertEquals(20, got);
            String text = scrape(metrics);
            assertTrue(text.contains("rtpm_tx_packets_total{ring=\"2\",kind=\"rtp\"} 20"), text);
            assertTrue(text.contains("rtpm_dropped_packets_total{ring=\"2\",reason=\"filtered\"} 50"), text);
            assertTrue(text.contains("# TYPE rtpm_rtp_jitter_seconds gauge"), text);
            Cli.Result s = stream.get(30, TimeUnit.SECONDS);
            assertEquals(0, s.code(), s::toString);
            assertTrue(s.out().contains("filtered 50"), s::toString);
        }
    }

    private static String scrape(int port) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/metrics").toURL()
                .openConnection();
        try (InputStream in = c.getInputStream()) {
            assertEquals(200, c.getResponseCode());
            assertTrue(c.getContentType().startsWith("text/plain; version=0.0.4"));
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            c.disconnect();
        }
    }
}
