package io.rtpm.cli;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.random.RandomGenerator;

import io.rtpm.rtp.rtcp.NtpTime;
import io.rtpm.rtp.rtcp.RtcpWriter;
import io.rtpm.rtp.rtcp.SdesItems;

/**
 * The RTCP of {@code rtpm send}: a compound SR + SDES CNAME (RFC 3550 6.4.1, 6.5), with a BYE
 * after them in the last one. The SR maps the wall clock (NTP) to the stream's RTP clock, which is
 * what a receiver synchronises on; its counts are the RTP packets and payload octets sent so far.
 */
final class SenderReports {

    /** A CNAME is one SDES item: at most 255 bytes. */
    static final int MAX_CNAME = 255;

    private final RtcpWriter writer = new RtcpWriter();
    private final ByteBuffer buf = ByteBuffer.allocateDirect(1024);
    private final MemorySegment seg = MemorySegment.ofBuffer(buf);
    private final int ssrc;
    private final String cname;
    private final int clockRate;
    private long sent;

    /**
     * @param ssrc the sender
     * @param cname its canonical name
     * @param clockRate the RTP clock, Hz
     */
    SenderReports(int ssrc, String cname, int clockRate) {
        if (cname.isEmpty() || cname.getBytes(StandardCharsets.UTF_8).length > MAX_CNAME) {
            throw new CliException(ExitCodes.USAGE, "--cname must have 1.." + MAX_CNAME + " bytes");
        }
        this.ssrc = ssrc;
        this.cname = cname;
        this.clockRate = clockRate;
    }

    /**
     * Builds one compound packet for the instant {@code wall}/{@code nowNanos}.
     *
     * @param wall the wall-clock time of the report
     * @param nowNanos the same instant on System.nanoTime's clock
     * @param nextTimestamp the RTP timestamp of the next packet
     * @param nextDueNanos when that packet is due (System.nanoTime)
     * @param packets RTP packets sent so far
     * @param octets RTP payload octets sent so far
     * @param bye true for the last report: a BYE follows
     * @return the datagram, ready to send
     */
    ByteBuffer build(Instant wall, long nowNanos, int nextTimestamp, long nextDueNanos, long packets,
            long octets, boolean bye) {
        // the RTP timestamp of "now": the next packet's, less the time until it is due
        int rtpNow = nextTimestamp - (int) Math.floorDiv((nextDueNanos - nowNanos) * clockRate, 1_000_000_000L);
        writer.wrap(seg, 0, (int) seg.byteSize())
                .senderReport(ssrc, NtpTime.from(wall), rtpNow, (int) packets, (int) octets)
                .sdes().addSdesChunk(ssrc).addSdesItem(SdesItems.CNAME, cname);
        if (bye) {
            writer.bye("", ssrc);
        }
        int len = writer.finish();
        sent++;
        return buf.clear().limit(len);
    }

    /** @return compound packets built so far */
    long sent() {
        return sent;
    }

    /**
     * The time to the next report: {@code seconds} times a random factor in [0.5, 1.5), as RFC
     * 3550 6.3.1 randomises it (senders started together do not report in step).
     */
    static long intervalNanos(double seconds, RandomGenerator rnd) {
        return (long) (seconds * (0.5 + rnd.nextDouble()) * 1e9);
    }

    /** @return user@host, the RFC 3550 6.5.1 form, from this process's user and the kernel's host name */
    static String defaultCname() {
        String host;
        try {
            host = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (java.io.IOException | RuntimeException e) {
            host = "";
        }
        if (host.isEmpty()) {
            host = "localhost";
        }
        String user = System.getProperty("user.name", "rtpm");
        String cname = user + "@" + host;
        return cname.length() > MAX_CNAME ? cname.substring(0, MAX_CNAME) : cname;
    }
}
