package io.rtpm.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rtpm.rtp.rtcp.RtcpCheck;
import io.rtpm.rtp.rtcp.RtcpCompound;
import io.rtpm.rtp.rtcp.RtcpPacket;
import io.rtpm.rtp.rtcp.SdesItems;
import io.rtpm.rtp.stats.ReceiverStatistics;
import io.rtpm.rtp.stats.SourceStatistics;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Real RTP and RTCP from ffmpeg and GStreamer (src/test/resources/rtp, made by its
 * capture-fixtures script): every header field our parser reads must equal what tshark decodes
 * from the same frame, and our receiver statistics must count the loss tshark's RTP stream
 * analysis counts. Port plan: RTP to P, RTCP to P+1 and P+3.
 */
class FixtureTsharkTest {

    static final String[] RTP_FIELDS = {"rtp.version", "rtp.padding", "rtp.ext", "rtp.cc",
        "rtp.marker", "rtp.p_type", "rtp.seq", "rtp.timestamp", "rtp.ssrc", "rtp.csrc.item",
        "rtp.ext.profile", "rtp.ext.len", "rtp.ext.rfc5285.id", "rtp.ext.rfc5285.len",
        "rtp.ext.rfc5285.data", "rtp.payload", "rtp.padding.count"};

    static final String[] RTCP_FIELDS = {"rtcp.pt", "rtcp.length", "rtcp.rc", "rtcp.sc",
        "rtcp.senderssrc", "rtcp.timestamp.ntp.msw", "rtcp.timestamp.ntp.lsw",
        "rtcp.timestamp.rtp", "rtcp.sender.packetcount", "rtcp.sender.octetcount",
        "rtcp.ssrc.identifier", "rtcp.ssrc.fraction", "rtcp.ssrc.cum_nr", "rtcp.ssrc.ext_high",
        "rtcp.ssrc.jitter", "rtcp.ssrc.lsr", "rtcp.ssrc.dlsr", "rtcp.sdes.type", "rtcp.sdes.text",
        "rtcp.rtpfb.fmt", "rtcp.rtpfb.nack_pid", "rtcp.rtpfb.nack_blp", "rtcp.psfb.fmt",
        "rtcp.mediassrc", "rtcp.padding.count"};

    private static Path fixture(String name) throws URISyntaxException {
        return Path.of(FixtureTsharkTest.class.getResource("/rtp/" + name).toURI());
    }

    /** tshark's values per frame: frame number to (field to comma-joined occurrences). */
    private static Map<Integer, Map<String, String>> tshark(Path pcap, int port, String filter,
            String[] fields) throws Exception {
        final List<String> args = new ArrayList<>(List.of("-r", pcap.toString(),
                "-d", "udp.port==" + port + ",rtp", "-d", "udp.port==" + (port + 1) + ",rtcp",
                "-d", "udp.port==" + (port + 3) + ",rtcp", "-Y", filter, "-T", "fields",
                "-E", "separator=|", "-E", "aggregator=,", "-E", "occurrence=a",
                "-e", "frame.number"));
        for (String f : fields) {
            args.add("-e");
            args.add(f);
        }
        final Map<Integer, Map<String, String>> out = new HashMap<>();
        for (String line : Tshark.run(args.toArray(String[]::new))) {
            final String[] v = line.split("\\|", -1);
            final Map<String, String> m = new LinkedHashMap<>();
            for (int i = 0; i < fields.length; i++) {
                m.put(fields[i], v[i + 1]);
            }
            out.put(Integer.parseInt(v[0]), m);
        }
        return out;
    }

    /** Our values, formatted as tshark prints them; occurrences joined in dissection order. */
    private static final class Fields {
        private final Map<String, List<String>> values = new LinkedHashMap<>();

        Fields(String[] names) {
            for (String n : names) {
                values.put(n, new ArrayList<>());
            }
        }

        void add(String field, Object value) {
            values.get(field).add(String.valueOf(value));
        }

        void hex32(String field, int value) {
            add(field, String.format("0x%08x", value));
        }

        Map<String, String> joined() {
            final Map<String, String> m = new LinkedHashMap<>();
            values.forEach((k, v) -> m.put(k, String.join(",", v)));
            return m;
        }
    }

    private static String hex(MemorySegment s, long off, int len) {
        return HexFormat.of().formatHex(s.asSlice(off, len).toArray(ValueLayout.JAVA_BYTE));
    }

    private static Map<String, String> ours(RtpPacket p) {
        final Fields f = new Fields(RTP_FIELDS);
        f.add("rtp.version", p.version());
        f.add("rtp.padding", p.hasPadding() ? 1 : 0);
        f.add("rtp.ext", p.hasExtension() ? 1 : 0);
        f.add("rtp.cc", p.csrcCount());
        f.add("rtp.marker", p.marker() ? 1 : 0);
        f.add("rtp.p_type", p.payloadType());
        f.add("rtp.seq", p.sequenceNumber());
        f.add("rtp.timestamp", Integer.toUnsignedLong(p.timestamp()));
        f.hex32("rtp.ssrc", p.ssrc());
        for (int i = 0; i < p.csrcCount(); i++) {
            f.hex32("rtp.csrc.item", p.csrc(i));
        }
        if (p.hasExtension()) {
            f.add("rtp.ext.profile", String.format("0x%04x", p.extensionProfile()));
            f.add("rtp.ext.len", p.extensionDataLength() / 4);
            final ExtensionElements e = new ExtensionElements();
            for (e.reset(p); e.next(); ) {
                f.add("rtp.ext.rfc5285.id", e.id());
                f.add("rtp.ext.rfc5285.len", e.dataLength());
                f.add("rtp.ext.rfc5285.data", HexFormat.of().formatHex(e.data()));
            }
        }
        if (p.payloadLength() > 0) {
            f.add("rtp.payload", hex(p.segment(), p.offset() + p.payloadOffset(), p.payloadLength()));
        }
        if (p.hasPadding()) {
            f.add("rtp.padding.count", p.paddingLength());
        }
        return f.joined();
    }

    private static Map<String, String> ours(MemorySegment s, int len) {
        final Fields f = new Fields(RTCP_FIELDS);
        final RtcpCompound c = new RtcpCompound().wrap(s, 0, len);
        final SdesItems items = new SdesItems();
        while (c.next()) {
            final RtcpPacket p = c.packet();
            final int pt = p.packetType();
            f.add("rtcp.pt", pt);
            f.add("rtcp.length", p.packetLength() / 4 - 1);
            switch (pt) {
                case RtcpPacket.SR, RtcpPacket.RR -> {
                    f.add("rtcp.rc", p.count());
                    f.hex32("rtcp.senderssrc", p.senderSsrc());
                    if (pt == RtcpPacket.SR) {
                        f.add("rtcp.timestamp.ntp.msw", p.ntpTimestamp() >>> 32);
                        f.add("rtcp.timestamp.ntp.lsw", p.ntpTimestamp() & 0xFFFFFFFFL);
                        f.add("rtcp.timestamp.rtp", Integer.toUnsignedLong(p.rtpTimestamp()));
                        f.add("rtcp.sender.packetcount", Integer.toUnsignedLong(p.senderPacketCount()));
                        f.add("rtcp.sender.octetcount", Integer.toUnsignedLong(p.senderOctetCount()));
                    }
                    for (int i = 0; i < p.count(); i++) {
                        f.hex32("rtcp.ssrc.identifier", p.reportSsrc(i));
                        f.add("rtcp.ssrc.fraction", p.fractionLost(i));
                        f.add("rtcp.ssrc.cum_nr", p.cumulativeLost(i));
                        f.add("rtcp.ssrc.ext_high", Integer.toUnsignedLong(p.extendedHighestSequence(i)));
                        f.add("rtcp.ssrc.jitter", Integer.toUnsignedLong(p.jitter(i)));
                        f.add("rtcp.ssrc.lsr", Integer.toUnsignedLong(p.lastSr(i)));
                        f.add("rtcp.ssrc.dlsr", Integer.toUnsignedLong(p.delaySinceLastSr(i)));
                    }
                }
                case RtcpPacket.SDES -> {
                    f.add("rtcp.sc", p.count());
                    for (items.reset(p); items.nextChunk(); ) {
                        f.hex32("rtcp.ssrc.identifier", items.chunkSsrc());
                        while (items.nextItem()) {
                            f.add("rtcp.sdes.type", items.itemType());
                            f.add("rtcp.sdes.text", items.itemText());
                        }
                        f.add("rtcp.sdes.type", SdesItems.END); // tshark shows the end item too
                    }
                }
                case RtcpPacket.BYE -> {
                    f.add("rtcp.sc", p.count());
                    for (int i = 0; i < p.count(); i++) {
                        f.hex32("rtcp.ssrc.identifier", p.byeSsrc(i));
                    }
                }
                case RtcpPacket.RTPFB, RtcpPacket.PSFB -> {
                    f.add(pt == RtcpPacket.RTPFB ? "rtcp.rtpfb.fmt" : "rtcp.psfb.fmt", p.count());
                    f.hex32("rtcp.senderssrc", p.senderSsrc());
                    f.hex32("rtcp.mediassrc", p.mediaSsrc());
                    if (p.isNack()) {
                        for (int i = 0; i < p.nackCount(); i++) {
                            // tshark lists the PID and then each lost packet the bitmask names
                            f.add("rtcp.rtpfb.nack_pid", p.nackPid(i));
                            for (int bit = 0; bit < 16; bit++) {
                                if ((p.nackBlp(i) & 1 << bit) != 0) {
                                    f.add("rtcp.rtpfb.nack_pid", (p.nackPid(i) + bit + 1) & 0xFFFF);
                                }
                            }
                            f.add("rtcp.rtpfb.nack_blp", String.format("0x%04x", p.nackBlp(i)));
                        }
                    }
                }
                default -> {
                }
            }
            if (p.hasPadding()) {
                f.add("rtcp.padding.count", p.paddingLength());
            }
        }
        assertEquals(RtcpCheck.OK, c.stoppedBy());
        return f.joined();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "ffmpeg-pcmu.pcap,    40000",
        "ffmpeg-mpeg4.pcap,   40030",
        "gstreamer-opus.pcap, 40010",
        "gstreamer-vp8.pcap,  40020",
    })
    void ourParserReadsWhatTsharkDecodes(String name, int port) throws Exception {
        final Path pcap = fixture(name);
        final Map<Integer, Map<String, String>> rtp = tshark(pcap, port, "rtp", RTP_FIELDS);
        final Map<Integer, Map<String, String>> rtcp = tshark(pcap, port, "rtcp", RTCP_FIELDS);
        final RtpPacket p = new RtpPacket();
        int rtpSeen = 0;
        int rtcpSeen = 0;
        final TreeSet<Integer> rtcpTypes = new TreeSet<>();
        for (Pcap.Udp d : Pcap.readUdp(pcap)) {
            final MemorySegment s = d.payload();
            final PacketKind kind = PacketKind.classify(s, 0, d.length());
            if (d.dstPort() == port) {
                assertEquals(PacketKind.RTP, kind, "frame " + d.frame());
                p.wrap(s);
                assertEquals(RtpCheck.OK, p.validate(), "frame " + d.frame());
                assertEquals(rtp.get(d.frame()), ours(p), "frame " + d.frame());
                rtpSeen++;
            } else {
                assertEquals(PacketKind.RTCP, kind, "frame " + d.frame());
                assertEquals(RtcpCheck.OK, RtcpCompound.validate(s, 0, d.length(), true),
                        "frame " + d.frame());
                final Map<String, String> mine = ours(s, d.length());
                assertEquals(rtcp.get(d.frame()), mine, "frame " + d.frame());
                for (String t : mine.get("rtcp.pt").split(",")) {
                    rtcpTypes.add(Integer.parseInt(t));
                }
                rtcpSeen++;
            }
        }
        assertEquals(rtp.size(), rtpSeen, "RTP frames");
        assertEquals(rtcp.size(), rtcpSeen, "RTCP frames");
        assertTrue(rtpSeen >= 20 && rtcpTypes.contains(RtcpPacket.SR), "fixture too thin: "
                + rtpSeen + " RTP frames, RTCP types " + rtcpTypes);
        if (name.startsWith("gstreamer")) {
            assertTrue(rtcpTypes.containsAll(List.of(RtcpPacket.RR, RtcpPacket.SDES,
                    RtcpPacket.BYE, RtcpPacket.RTPFB)), "RTCP types " + rtcpTypes);
        }
        if (name.contains("vp8")) {
            assertTrue(rtcpTypes.contains(RtcpPacket.PSFB), "RTCP types " + rtcpTypes);
        }
    }

    private static final Pattern STREAM = Pattern.compile(
            "(0x[0-9A-F]{8})\\s+\\S+\\s+(\\d+)\\s+(-?\\d+) \\(");

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "ffmpeg-pcmu.pcap,    40000, 0",
        "gstreamer-opus.pcap, 40010, 96",
        "gstreamer-vp8.pcap,  40020, 100",
    })
    void ourReceiverStatisticsCountTheLossTsharkCounts(String name, int port, int pt)
            throws Exception {
        final Path pcap = fixture(name);
        final ReceiverStatistics stats = new ReceiverStatistics(
                PayloadClockRates.rfc3551().with(96, 48000).with(100, 90000), 4);
        final RtpPacket p = new RtpPacket();
        int first = -1;
        for (Pcap.Udp d : Pcap.readUdp(pcap)) {
            if (d.dstPort() == port) {
                p.wrap(d.payload());
                first = first < 0 ? p.sequenceNumber() : first;
                stats.onRtp(p, d.timeNanos());
            }
        }
        final String line = Tshark.run("-r", pcap.toString(), "-d", "udp.port==" + port + ",rtp",
                "-q", "-z", "rtp,streams").stream().filter(l -> STREAM.matcher(l).find())
                .findFirst().orElseThrow(() -> new AssertionError("no stream in tshark output"));
        final Matcher m = STREAM.matcher(line);
        assertTrue(m.find());
        final SourceStatistics s = stats.get(Integer.parseUnsignedInt(m.group(1).substring(2), 16));
        final long tsharkPackets = Long.parseLong(m.group(2));
        final long tsharkLost = Long.parseLong(m.group(3));
        assertTrue(s.valid());
        // A.1 starts counting at the second packet; tshark at the first: align the two
        assertEquals(first + 1 & 0xFFFF, (int) (s.extendedMax() - s.expected() + 1) & 0xFFFF,
                "the source became valid on the second packet");
        assertEquals(tsharkPackets - 1, s.received(), line);
        assertEquals(tsharkLost, s.cumulativeLost(), line);
        assertEquals(pt, p.payloadType());
        if (name.startsWith("gstreamer")) {
            assertTrue(tsharkLost > 0, "the GStreamer fixtures are captured with 10% loss: " + line);
        }
    }
}
