package io.rtpm.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

import io.rtpm.relay.RtcpMode;
import io.rtpm.rtp.PayloadClockRates;
import io.rtpm.rtp.RtpGenerator;
import io.rtpm.rtp.RtpPacket;
import io.rtpm.rtp.RtpStreamConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rtpm send}: an RTP generator, paced at --rate, for tests and load. */
@Command(name = "send", mixinStandardHelpOptions = true, versionProvider = Rtpm.Version.class,
        description = {"Send an RTP stream: one SSRC, sequence numbers +1, timestamps by the payload"
                + " type's clock, paced at --rate. Payloads carry the send time for rtpm recv's latency.",
            "RTCP: a sender report with SDES CNAME first, then every --rtcp-interval (randomised"
                + " 0.5..1.5x, RFC 3550 6.3.1), and a last one with a BYE; to the port + 1 unless --rtcp mux|off.",
            "Example: rtpm send --to 127.0.0.1:5004 --rate 50 --count 1500"})
final class SendCommand implements Callable<Integer> {

    @Option(names = "--to", required = true, paramLabel = "HOST:PORT", converter = Addresses.HostPort.class,
            description = "Destination.")
    InetSocketAddress to;

    @Option(names = "--bind", paramLabel = "HOST[:PORT]", converter = Addresses.HostPort.class,
            description = "Source address and port (default: any).")
    InetSocketAddress bind;

    @Option(names = "--rate", paramLabel = "PPS", defaultValue = "50",
            description = "Packets per second, 1..1000000 (default: ${DEFAULT-VALUE}, 20 ms packets).")
    int rate;

    @Option(names = "--count", paramLabel = "N", description = "Packets to send (default: until --duration or Ctrl-C).")
    Long count;

    @Option(names = "--duration", paramLabel = "SECONDS", description = "Stop after SECONDS.")
    Double duration;

    @Option(names = "--pt", paramLabel = "0..127", defaultValue = "0",
            description = "Payload type (default: ${DEFAULT-VALUE}, PCMU).")
    int payloadType;

    @Option(names = "--size", paramLabel = "BYTES", defaultValue = "160",
            description = "Payload bytes per packet, 0..1460 (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--ssrc", paramLabel = "HEX", description = "SSRC as hex (default: random).")
    String ssrc;

    @Option(names = "--rtcp", paramLabel = "port+1|mux|off", defaultValue = "port+1",
            converter = RtcpModeConverter.class,
            description = "Where sender reports go: the destination's port + 1 (from --bind's port + 1),"
                    + " its RTP port (RFC 5761), or nowhere (default: ${DEFAULT-VALUE}).")
    RtcpMode rtcp;

    @Option(names = "--rtcp-interval", paramLabel = "SECONDS", defaultValue = "5",
            description = "Mean time between sender reports, 0.1..3600 (default: ${DEFAULT-VALUE}).")
    double rtcpInterval;

    @Option(names = "--cname", paramLabel = "TEXT", description = "SDES CNAME (default: user@host).")
    String cname;

    @Option(names = "--json", description = "Print the summary as one JSON object.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    static final int MAX_PAYLOAD = 1460;

    @Override
    public Integer call() throws IOException {
        if (rate < 1 || rate > 1_000_000) {
            throw new CliException(ExitCodes.USAGE, "--rate " + rate + " is not in 1..1000000 packets/s");
        }
        if (size < 0 || size > MAX_PAYLOAD) {
            throw new CliException(ExitCodes.USAGE, "--size " + size + " is not in 0.." + MAX_PAYLOAD + " bytes");
        }
        if ((payloadType & ~0x7F) != 0) {
            throw new CliException(ExitCodes.USAGE, "--pt " + payloadType + " is not in 0..127");
        }
        if (to.getPort() == 0) {
            throw new CliException(ExitCodes.USAGE, "--to " + to.getHostString() + " needs a port: HOST:PORT");
        }
        if ((count != null && count < 1) || (duration != null && !(duration > 0))) {
            throw new CliException(ExitCodes.USAGE, "--count and --duration must be more than 0");
        }
        if (!(rtcpInterval >= 0.1 && rtcpInterval <= 3600)) {
            throw new CliException(ExitCodes.USAGE, "--rtcp-interval " + rtcpInterval + " is not in 0.1..3600 seconds");
        }
        if (rtcp == RtcpMode.PORT_PLUS_ONE && (to.getPort() == 65535 || (bind != null && bind.getPort() == 65535))) {
            throw new CliException(ExitCodes.USAGE, "RTCP on port + 1 needs ports below 65535: use --rtcp mux or off");
        }
        int ssrcValue = parseSsrc();
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        int clock = PayloadClockRates.rfc3551().clockRate(payloadType);
        RtpStreamConfig cfg = new RtpStreamConfig(ssrcValue, payloadType, clock > 0 ? clock : 8000,
                Math.max(1, 1_000_000 / rate), size, rnd.nextInt(65536), rnd.nextInt());
        RtpGenerator gen = new RtpGenerator(cfg);
        ByteBuffer buf = ByteBuffer.allocateDirect(RtpPacket.FIXED_HEADER_SIZE + MAX_PAYLOAD);
        MemorySegment seg = MemorySegment.ofBuffer(buf);
        long limit = count != null ? count : Long.MAX_VALUE;
        long period = 1_000_000_000L / rate;
        long bytes = 0;
        long sent = 0;
        int firstSeq = gen.nextSequenceNumber();
        PrintWriter out = spec.commandLine().getOut();
        SenderReports reports = rtcp == RtcpMode.OFF ? null
                : new SenderReports(ssrcValue, cname != null ? cname : SenderReports.defaultCname(), cfg.clockRate());
        InetSocketAddress rtcpTo = rtcp == RtcpMode.PORT_PLUS_ONE
                ? new InetSocketAddress(to.getAddress(), to.getPort() + 1) : to;
        try (DatagramChannel ch = open(bind); DatagramChannel rtcpCh = rtcpChannel(ch);
                StopSignal signal = new StopSignal()) {
            long start = System.nanoTime();
            long end = duration != null ? start + (long) (duration * 1e9) : Long.MAX_VALUE;
            long nextReport = Long.MAX_VALUE; // the first goes out with the first packet
            while (sent < limit && !signal.stopped()) {
                long due = start + sent * period;
                long now = System.nanoTime();
                if (due >= end || now >= end) {
                    break;
                }
                if (nextReport != Long.MAX_VALUE && now - nextReport >= -20_000) {
                    report(reports, rtcpCh, rtcpTo, gen, due, now, false);
                    nextReport = now + SenderReports.intervalNanos(rtcpInterval, rnd);
                    continue;
                }
                if (due - now > 20_000) {
                    LockSupport.parkNanos(Math.min(due, nextReport) - now - 10_000);
                    continue;
                }
                int len = gen.next(seg, 0, (int) seg.byteSize());
                if (size >= Stamp.SIZE) {
                    Stamp.write(seg, RtpPacket.FIXED_HEADER_SIZE, System.nanoTime());
                }
                buf.clear().limit(len);
                ch.send(buf, to);
                sent++;
                bytes += len;
                if (sent == 1 && reports != null) {
                    nextReport = System.nanoTime(); // an SR at once: receivers learn the CNAME and clock mapping
                }
            }
            if (reports != null && sent > 0) {
                long now = System.nanoTime();
                report(reports, rtcpCh, rtcpTo, gen, start + sent * period, now, true);
            }
            long rtcpSent = reports != null ? reports.sent() : 0;
            double secs = (System.nanoTime() - start) / 1e9;
            if (json) {
                out.println(Json.object().put("type", "summary").put("sent", sent).put("bytes", bytes)
                        .put("rtcp", rtcpSent)
                        .put("ssrc", String.format("%08x", ssrcValue)).put("first_seq", firstSeq)
                        .put("seconds", secs).put("to", to.toString()));
            } else {
                out.println(String.format(Locale.ROOT, "sent %d RTP packets (%s) to %s in %.1f s (%.0f pkt/s),"
                        + " ssrc %08x, first seq %d; %d RTCP sender reports", sent, Describe.bytes(bytes), to, secs,
                        sent / Math.max(secs, 1e-9), ssrcValue, firstSeq, rtcpSent));
            }
            out.flush();
        }
        return ExitCodes.OK;
    }

    private void report(SenderReports reports, DatagramChannel ch, InetSocketAddress dest, RtpGenerator gen,
            long nextDue, long now, boolean last) throws IOException {
        long packets = gen.packetsWritten();
        ch.send(reports.build(Instant.now(), now, gen.nextTimestamp(), nextDue, packets, packets * size, last), dest);
    }

    private int parseSsrc() {
        if (ssrc == null) {
            return ThreadLocalRandom.current().nextInt();
        }
        try {
            return (int) Long.parseLong(ssrc.startsWith("0x") ? ssrc.substring(2) : ssrc, 16);
        } catch (NumberFormatException e) {
            throw new CliException(ExitCodes.USAGE, "--ssrc '" + ssrc + "' is not 1 to 8 hex digits");
        }
    }

    private DatagramChannel open(InetSocketAddress at) throws IOException {
        boolean v6 = to.getAddress() instanceof java.net.Inet6Address;
        DatagramChannel ch = DatagramChannel.open(v6 ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        try {
            ch.bind(at);
        } catch (java.net.BindException e) {
            ch.close();
            throw Addresses.bindFailure(e, at, "send");
        }
        return ch;
    }

    /** The RTP channel itself (mux), or one on its port + 1 when --bind named a port, else any port. */
    private DatagramChannel rtcpChannel(DatagramChannel rtpChannel) throws IOException {
        if (rtcp != RtcpMode.PORT_PLUS_ONE) {
            return rtpChannel; // closed twice by try-with-resources: harmless for a channel
        }
        InetSocketAddress at = bind == null ? null
                : new InetSocketAddress(bind.getAddress(), bind.getPort() == 0 ? 0 : bind.getPort() + 1);
        return open(at);
    }
}
