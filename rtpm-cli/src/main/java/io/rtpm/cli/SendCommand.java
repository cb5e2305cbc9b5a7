package io.rtpm.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

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
        try (DatagramChannel ch = open(); StopSignal signal = new StopSignal()) {
            long start = System.nanoTime();
            long end = duration != null ? start + (long) (duration * 1e9) : Long.MAX_VALUE;
            while (sent < limit && !signal.stopped()) {
                long due = start + sent * period;
                long now = System.nanoTime();
                if (due >= end || now >= end) {
                    break;
                }
                if (due - now > 20_000) {
                    LockSupport.parkNanos(due - now - 10_000);
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
            }
            double secs = (System.nanoTime() - start) / 1e9;
            if (json) {
                out.println(Json.object().put("type", "summary").put("sent", sent).put("bytes", bytes)
                        .put("ssrc", String.format("%08x", ssrcValue)).put("first_seq", firstSeq)
                        .put("seconds", secs).put("to", to.toString()));
            } else {
                out.println(String.format(Locale.ROOT, "sent %d RTP packets (%s) to %s in %.1f s (%.0f pkt/s),"
                        + " ssrc %08x, first seq %d", sent, Describe.bytes(bytes), to, secs,
                        sent / Math.max(secs, 1e-9), ssrcValue, firstSeq));
            }
            out.flush();
        }
        return ExitCodes.OK;
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

    private DatagramChannel open() throws IOException {
        boolean v6 = to.getAddress() instanceof java.net.Inet6Address;
        DatagramChannel ch = DatagramChannel.open(v6 ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        try {
            ch.bind(bind);
        } catch (java.net.BindException e) {
            ch.close();
            throw Addresses.bindFailure(e, bind, "send");
        }
        return ch;
    }
}
