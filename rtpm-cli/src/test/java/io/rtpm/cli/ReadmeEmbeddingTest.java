package io.rtpm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.example.media.CallRelay;

import io.rtpm.engine.Call;
import io.rtpm.engine.DropCause;
import io.rtpm.engine.LegStats;
import io.rtpm.ffm.RingDevice;

/**
 * The root README's embedding sample is src/test/java/com/example/media/CallRelay.java, which the
 * build compiles: the README's block must be that file, and the sample must do what it says.
 */
@Timeout(60)
class ReadmeEmbeddingTest {

    private static final Path SAMPLE = Path.of("src/test/java/com/example/media/CallRelay.java");
    private static final Path README = Path.of("../README.md");
    private static final String HEADING = "## Embedding rtpm-ffm in a JVM service";

    /** @return the first ```java block after the embedding heading */
    static String readmeBlock(String readme) {
        int h = readme.indexOf("\n" + HEADING + "\n");
        assertTrue(h >= 0, "README.md has no '" + HEADING + "' section");
        int open = readme.indexOf("\n```java\n", h);
        int next = readme.indexOf("\n## ", h + 1);
        assertTrue(open >= 0 && (next < 0 || open < next), "the embedding section has no ```java block");
        int close = readme.indexOf("\n```\n", open + 1);
        assertTrue(close >= 0, "the README's ```java block is not closed");
        return readme.substring(open + "\n```java\n".length(), close + 1);
    }

    @Test
    void readmeBlockIsTheCompiledSample() throws IOException {
        String block = readmeBlock(Files.readString(README, StandardCharsets.UTF_8));
        String sample = Files.readString(SAMPLE, StandardCharsets.UTF_8);
        List<String> a = block.lines().toList();
        List<String> b = sample.lines().toList();
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int line = i + 1;
            assertEquals(b.get(i), a.get(i), () -> "README.md's embedding sample differs from rtpm-cli/" + SAMPLE
                    + " at its line " + line + ": edit the file (the build compiles it) and copy it into the README");
        }
        assertEquals(b.size(), a.size(), "README.md's embedding sample and rtpm-cli/" + SAMPLE
                + " differ in length: copy the file into the README");
    }

    @Test
    void theSampleRelaysBothWaysAndDropsComfortNoise() throws Exception {
        try (RingDevice dev = Cli.device(); // also points the sample's Backend.AUTO at the test's ring folder
                DatagramSocket a = new DatagramSocket(0, InetAddress.getLoopbackAddress());
                DatagramSocket b = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            CompletableFuture<LegStats> run = new CompletableFuture<>();
            CompletableFuture<Call> started = new CompletableFuture<>();
            Thread.ofPlatform().daemon(true).start(() -> {
                try {
                    run.complete(CallRelay.relay((InetSocketAddress) a.getLocalSocketAddress(),
                            (InetSocketAddress) b.getLocalSocketAddress(), Duration.ofSeconds(3), started::complete));
                } catch (Throwable t) {
                    run.completeExceptionally(t);
                    started.completeExceptionally(t);
                }
            });
            Call call = started.get(20, TimeUnit.SECONDS);
            for (int seq = 0; seq < 30; seq++) {
                int pt = seq % 3 == 2 ? 13 : 0; // every third packet is comfort noise
                a.send(new DatagramPacket(rtp(pt, seq), 172, call.localRtp(0)));
            }
            b.setSoTimeout(2000);
            DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
            for (int i = 0; i < 20; i++) {
                b.receive(p);
                assertEquals(0, p.getData()[1] & 0x7F, "comfort noise reached B");
                assertEquals(call.localRtp(1), p.getSocketAddress(), "B hears A from leg B's port");
            }
            b.send(new DatagramPacket(rtp(0, 1), 172, call.localRtp(1)));
            a.setSoTimeout(2000);
            a.receive(p);
            assertEquals(call.localRtp(0), p.getSocketAddress(), "A hears B from leg A's port");
            LegStats s = run.get(30, TimeUnit.SECONDS);
            assertEquals(30, s.rxPackets(), s::toString);
            assertEquals(10, s.drops(DropCause.PAYLOAD_TYPE_FILTER), s::toString);
            assertEquals(1, s.txPackets(), s::toString);
        }
    }

    private static byte[] rtp(int pt, int seq) {
        byte[] b = new byte[172];
        b[0] = (byte) 0x80;
        b[1] = (byte) pt;
        b[2] = (byte) (seq >> 8);
        b[3] = (byte) seq;
        int ts = seq * 160;
        b[4] = (byte) (ts >> 24);
        b[5] = (byte) (ts >> 16);
        b[6] = (byte) (ts >> 8);
        b[7] = (byte) ts;
        b[8] = 0x11;
        b[9] = 0x22;
        b[10] = 0x33;
        b[11] = 0x44;
        return b;
    }
}
