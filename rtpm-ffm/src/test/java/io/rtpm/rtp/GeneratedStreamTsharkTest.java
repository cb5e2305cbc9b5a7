package io.rtpm.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Streams from {@link RtpGenerator}, written into a pcap at their due times, pass tshark's RTP
 * stream analysis ({@code -z rtp,streams}) with no loss, no sequence or timestamp problems,
 * through the sequence number and timestamp wraps; and a control stream with one packet dropped
 * and one timestamp skewed is flagged, which shows the analysis can fail.
 */
class GeneratedStreamTsharkTest {

    private static final int PACKETS = 1000;

    /** SSRC, packets, lost, max delta (ms), mean jitter (ms), problems flag. */
    private static final Pattern STREAM = Pattern.compile("(0x[0-9A-F]{8})\\s+\\S+\\s+(\\d+)\\s+"
            + "(-?\\d+) \\([^)]*\\)\\s+([\\d.-]+)\\s+([\\d.-]+)\\s+([\\d.-]+)\\s+([\\d.-]+)\\s+"
            + "([\\d.-]+)\\s+([\\d.-]+)\\s*(X?)\\s*$");

    private record Stream(long packets, long lost, double maxDeltaMs, double maxJitterMs,
            boolean problem) {
    }

    private static void emit(Pcap.Writer pcap, RtpGenerator g, int port, long start,
            int dropIndex, int skewIndex) {
        final MemorySegment buf = MemorySegment.ofArray(new byte[1500]);
        final RtpPacket view = new RtpPacket();
        for (int i = 0; i < PACKETS; i++) {
            final long due = g.dueNanos(start);
            final int len = g.next(buf, 0, 1500);
            if (i == skewIndex) {
                view.wrap(buf, 0, len).timestamp(view.timestamp() + 4000); // half a second off
            }
            if (i != dropIndex) {
                pcap.add(due, 40000 + port, port, buf, 0, len);
            }
        }
    }

    private static Map<Long, Stream> analyse(Path file) throws Exception {
        final List<String> out = Tshark.run("-r", file.toString(), "-d", "udp.port==5004,rtp",
                "-d", "udp.port==5006,rtp", "-d", "udp.port==5008,rtp", "-q", "-z", "rtp,streams");
        final Map<Long, Stream> streams = new HashMap<>();
        for (String line : out) {
            final Matcher m = STREAM.matcher(line);
            if (m.find()) {
                streams.put(Long.parseLong(m.group(1).substring(2), 16), new Stream(
                        Long.parseLong(m.group(2)), Long.parseLong(m.group(3)),
                        Double.parseDouble(m.group(6)), Double.parseDouble(m.group(9)),
                        !m.group(10).isEmpty()));
            }
        }
        assertEquals(3, streams.size(), "tshark said:\n" + String.join("\n", out));
        return streams;
    }

    @Test
    void generatedStreamsPassTsharkRtpStreamAnalysisThroughTheWraps(@TempDir Path dir)
            throws Exception {
        final long start = 1_700_000_000L * 1_000_000_000L;
        final Pcap.Writer pcap = new Pcap.Writer(4 << 20);
        // PCMU 20 ms: the sequence number wraps after 536 packets, the timestamp after 410
        final RtpGenerator pcmu = new RtpGenerator(RtpStreamConfig.pcmu20ms(0x11111111, 65000,
                0xFFFF0000));
        // PCMA 30 ms (240 ticks) with the timestamp wrapping on the first step
        final RtpGenerator pcma = new RtpGenerator(new RtpStreamConfig(0x22222222, 8, 8000,
                30_000, 240, 65535, -100));
        // the control: same as PCMU, one packet dropped, one timestamp skewed
        final RtpGenerator broken = new RtpGenerator(RtpStreamConfig.pcmu20ms(0x33333333, 100, 0));
        emit(pcap, pcmu, 5004, start, -1, -1);
        emit(pcap, pcma, 5006, start + 5_000_000L, -1, -1);
        emit(pcap, broken, 5008, start + 7_000_000L, 500, 700);
        final Path file = dir.resolve("generated.pcap");
        pcap.write(file);
        assertTrue(Files.size(file) > PACKETS * 3 * 172L);

        final Map<Long, Stream> s = analyse(file);
        for (long ssrc : new long[] {0x11111111L, 0x22222222L}) {
            final Stream st = s.get(ssrc);
            assertEquals(PACKETS, st.packets(), "ssrc " + Long.toHexString(ssrc));
            assertEquals(0, st.lost(), "ssrc " + Long.toHexString(ssrc));
            assertFalse(st.problem(), "tshark flags a problem in ssrc " + Long.toHexString(ssrc));
            assertEquals(0.0, st.maxJitterMs(), 0.001, "jitter of a perfectly paced stream");
        }
        assertEquals(20.0, s.get(0x11111111L).maxDeltaMs(), 0.001);
        assertEquals(30.0, s.get(0x22222222L).maxDeltaMs(), 0.001);
        final Stream control = s.get(0x33333333L);
        assertEquals(1, control.lost());
        assertTrue(control.problem(), "the control stream must be flagged");
    }
}
