package io.rtpm.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.foreign.MemorySegment;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import io.rtpm.relay.RtcpMode;
import io.rtpm.rtp.PacketKind;
import io.rtpm.rtp.PayloadClockRates;
import io.rtpm.rtp.RtpPacket;
import io.rtpm.rtp.stats.ReceiverStatistics;
import io.rtpm.rtp.stats.SourceStatistics;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rtpm recv}: an RTP sink that reports loss, duplicates, reordering, jitter and latency. */
@Command(name = "recv", mixinStandardHelpOptions = true, versionProvider = Rtpm.Version.class,
        description = {"Receive RTP on a port and report per SSRC: packets, loss, duplicates,"
                + " reordering, jitter (RFC 3550), and one-way latency of rtpm send's packets.",
            "RTCP (on the port + 1 unless --rtcp mux|off): sender reports, CNAME and BYE per SSRC. After"
                + " --count packets it waits up to 1 s for the BYE of senders that sent RTCP.",
            "Example: rtpm recv --port 5006 --count 1500 --fail-on-loss"})
final class RecvCommand implements Callable<Integer> {

    private static final int MAX_SOURCES = 64;
    private static final int MAX_SSRC_LIST = 64;

    @Option(names = "--port", required = true, paramLabel = "PORT", converter = Addresses.Port.class,
            description = "Local UDP port.")
    int port;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "0.0.0.0", converter = Addresses.Host.class,
            description = "Local address (default: ${DEFAULT-VALUE}).")
    InetAddress bind;

    @Option(names = "--count", paramLabel = "N", description = "Stop after N RTP packets.")
    Long count;

    @Option(names = "--duration", paramLabel = "SECONDS", description = "Stop after SECONDS.")
    Double duration;

    @Option(names = "--idle", paramLabel = "SECONDS",
            description = "Stop after SECONDS without packets, once the first has arrived.")
    Double idle;

    @Option(names = "--expect", paramLabel = "N", description = "With --fail-on-loss: exactly N packets must arrive.")
    Long expect;

    @Option(names = "--fail-on-loss", description = "Exit with code 9 when packets were lost (or not --expect of them arrived).")
    boolean failOnLoss;

    @Option(names = "--rtcp", paramLabel = "port+1|mux|off", defaultValue = "port+1",
            converter = RtcpModeConverter.class,
            description = "Where RTCP is received: the port + 1, the RTP port (RFC 5761), or not at all"
                    + " (default: ${DEFAULT-VALUE}).")
    RtcpMode rtcpMode;

    @Option(names = "--json", description = "Print the summary as one JSON object.")
    boolean json;

    /** How long recv waits after --count for the BYE of senders that sent RTCP. */
    private static final long BYE_WAIT_NANOS = 1_000_000_000L;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if ((count != null && count < 1) || (duration != null && !(duration > 0)) || (idle != null && !(idle > 0))
                || (expect != null && expect < 0)) {
            throw new CliException(ExitCodes.USAGE, "--count, --duration and --idle must be more than 0, --expect not negative");
        }
        if (rtcpMode == RtcpMode.PORT_PLUS_ONE && port == 65535) {
            throw new CliException(ExitCodes.USAGE, "RTCP on port + 1 needs a port below 65535: use --rtcp mux or off");
        }
        InetSocketAddress at = new InetSocketAddress(bind, port);
        Sink sink = new Sink();
        ByteBuffer buf = ByteBuffer.allocateDirect(65536);
        MemorySegment seg = MemorySegment.ofBuffer(buf);
        long start;
        // non-blocking receive until empty, then select: one wake-up per burst, and a timeout
        try (DatagramChannel ch = bindChannel(at, "receive");
                DatagramChannel rtcpCh = rtcpMode == RtcpMode.PORT_PLUS_ONE
                        ? bindChannel(new InetSocketAddress(bind, port + 1), "RTCP receive") : null;
                Selector sel = Selector.open(); StopSignal signal = new StopSignal()) {
            ch.register(sel, SelectionKey.OP_READ);
            if (rtcpCh != null) {
                rtcpCh.register(sel, SelectionKey.OP_READ);
            }
            start = System.nanoTime();
            long end = duration != null ? start + (long) (duration * 1e9) : Long.MAX_VALUE;
            long idleNanos = idle != null ? (long) (idle * 1e9) : Long.MAX_VALUE;
            long limit = count != null ? count : Long.MAX_VALUE;
            long byeDeadline = 0;
            while (!signal.stopped()) {
                long now = System.nanoTime();
                if (now >= end) {
                    break;
                }
                if (sink.packets >= limit) {
                    // the senders' last SR and BYE follow their last packet: give them a moment
                    if (!sink.rtcp.awaitingBye()) {
                        break;
                    }
                    if (byeDeadline == 0) {
                        byeDeadline = now + BYE_WAIT_NANOS;
                    } else if (now >= byeDeadline) {
                        break;
                    }
                } else if (sink.packets > 0 && now - sink.last >= idleNanos) {
                    break;
                }
                buf.clear();
                if (ch.receive(buf) != null) {
                    sink.onRtpPort(seg, buf.position(), System.nanoTime(), rtcpMode == RtcpMode.MUX);
                    continue;
                }
                // RTCP only once RTP is drained: no extra syscall per packet at high rates
                buf.clear();
                if (rtcpCh != null && rtcpCh.receive(buf) != null) {
                    sink.onRtcpPort(seg, buf.position(), System.nanoTime());
                    continue;
                }
                sel.select(100);
                sel.selectedKeys().clear();
            }
            return report(sink, (System.nanoTime() - start) / 1e9);
        }
    }

    /** What arrived: RTP statistics per SSRC, latency, RTCP per SSRC. */
    private static final class Sink {
        final ReceiverStatistics stats = new ReceiverStatistics(PayloadClockRates.rfc3551(), MAX_SOURCES);
        final List<Integer> ssrcs = new ArrayList<>();
        final List<Integer> clockRates = new ArrayList<>();
        final Latency latency = new Latency();
        final RtcpTally rtcp = new RtcpTally();
        final RtpPacket rtp = new RtpPacket();
        long packets;
        long bytes;
        long invalid;
        long last;

        void onRtpPort(MemorySegment seg, int len, long now, boolean mux) {
            PacketKind kind = PacketKind.classify(seg, 0, len);
            if (kind == PacketKind.RTCP) {
                if (mux) {
                    rtcp.onCompound(seg, len, stats, now);
                } else {
                    rtcp.misplaced++;
                }
                return;
            }
            if (kind != PacketKind.RTP || !rtp.wrap(seg, 0, len).validate().ok()) {
                invalid++;
                return;
            }
            packets++;
            bytes += len;
            last = now;
            int before = stats.size();
            stats.onRtp(rtp, now);
            if (stats.size() > before && ssrcs.size() < MAX_SSRC_LIST) {
                ssrcs.add(rtp.ssrc());
                clockRates.add(PayloadClockRates.rfc3551().clockRate(rtp.payloadType()));
            }
            long sentAt = Stamp.read(seg, rtp.payloadOffset(), rtp.payloadLength());
            if (sentAt > 0) {
                latency.add(now - sentAt);
            }
        }

        void onRtcpPort(MemorySegment seg, int len, long now) {
            if (PacketKind.classify(seg, 0, len) == PacketKind.RTCP) {
                rtcp.onCompound(seg, len, stats, now);
            } else {
                rtcp.invalid++;
            }
        }
    }

    private int report(Sink k, double secs) {
        PrintWriter out = spec.commandLine().getOut();
        long lost = 0;
        List<Json> sources = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < k.ssrcs.size(); i++) {
            int ssrc = k.ssrcs.get(i);
            SourceStatistics s = k.stats.get(ssrc);
            long l = Math.max(0, s.expected() - s.received());
            lost += l;
            int rate = k.clockRates.get(i);
            double jitterMs = rate > 0 ? s.jitter() * 1000.0 / rate : -1;
            RtcpTally.Source r = k.rtcp.source(ssrc);
            Json j = Json.object().put("ssrc", String.format("%08x", ssrc)).put("received", s.received())
                    .put("expected", s.expected()).put("lost", l).put("duplicates", s.duplicates())
                    .put("reordered", s.reordered()).put("jitter", s.jitter()).put("jitter_ms", jitterMs)
                    .put("sr", r != null ? r.reports : 0).put("sr_packets", r != null ? r.lastPackets : -1)
                    .put("sr_octets", r != null ? r.lastOctets : -1).put("cname", r != null ? r.cname : null)
                    .put("bye", r != null && r.bye);
            sources.add(j);
            lines.add(String.format(Locale.ROOT, "ssrc %08x: received %d, lost %d, duplicates %d, reordered %d,"
                    + " jitter %d ts units (%.2f ms at %d Hz)", ssrc, s.received(), l, s.duplicates(),
                    s.reordered(), s.jitter(), jitterMs, rate));
            if (r != null) {
                lines.add(String.format(Locale.ROOT, "  rtcp: %d sender reports, the last counting %d packets,"
                        + " %d octets; cname %s%s", r.reports, r.lastPackets, r.lastOctets, r.cname,
                        r.bye ? "; BYE" : ""));
            }
        }
        RtcpTally t = k.rtcp;
        Latency latency = k.latency;
        if (json) {
            out.println(Json.object().put("type", "summary").put("packets", k.packets).put("bytes", k.bytes)
                    .put("rtcp", t.compounds).put("rtcp_sr", t.senderReports).put("rtcp_bye", t.byes)
                    .put("rtcp_invalid", t.invalid).put("rtcp_misplaced", t.misplaced)
                    .put("invalid", k.invalid).put("lost", lost).put("seconds", secs)
                    .put("latency_samples", latency.count())
                    .put("latency_p50_us", latency.percentileMicros(50))
                    .put("latency_p99_us", latency.percentileMicros(99))
                    .put("latency_max_us", latency.maxMicros()).put("sources", sources));
        } else {
            out.println(String.format(Locale.ROOT, "received %d RTP packets (%s) in %.1f s, %d invalid, lost %d;"
                    + " RTCP %d (%d SR, %d BYE, %d invalid)", k.packets, Describe.bytes(k.bytes), secs, k.invalid,
                    lost, t.compounds, t.senderReports, t.byes, t.invalid + t.misplaced));
            lines.forEach(out::println);
            if (latency.count() > 0) {
                out.println(String.format(Locale.ROOT, "latency (%d samples): p50 %d us, p99 %d us, max %d us",
                        latency.count(), latency.percentileMicros(50), latency.percentileMicros(99),
                        latency.maxMicros()));
            }
        }
        out.flush();
        if (failOnLoss && (lost > 0 || (expect != null && k.packets != expect))) {
            throw new CliException(ExitCodes.LOSS, "loss: " + lost + " packets lost, " + k.packets
                    + " received" + (expect != null ? " of " + expect + " expected" : ""));
        }
        return ExitCodes.OK;
    }

    private static DatagramChannel bindChannel(InetSocketAddress at, String what) throws IOException {
        DatagramChannel ch = DatagramChannel.open(at.getAddress() instanceof java.net.Inet6Address
                ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        try {
            ch.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
            ch.bind(at);
            ch.configureBlocking(false);
            return ch;
        } catch (BindException e) {
            ch.close();
            throw Addresses.bindFailure(e, at, what);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** One-way latencies in 1 us buckets up to 1 s (later ones in the last bucket); no allocation per sample. */
    static final class Latency {
        private final long[] buckets = new long[1_000_001];
        private long count;
        private long maxNanos;

        void add(long nanos) {
            if (nanos < 0) {
                return; // another host's clock: no meaningful one-way latency
            }
            buckets[(int) Math.min(nanos / 1000, buckets.length - 1)]++;
            count++;
            maxNanos = Math.max(maxNanos, nanos);
        }

        long count() {
            return count;
        }

        long maxMicros() {
            return maxNanos / 1000;
        }

        long percentileMicros(double pct) {
            if (count == 0) {
                return 0;
            }
            long rank = (long) Math.ceil(pct / 100.0 * count);
            long seen = 0;
            for (int i = 0; i < buckets.length; i++) {
                seen += buckets[i];
                if (seen >= rank) {
                    return i;
                }
            }
            return buckets.length - 1;
        }
    }
}
