package io.rtpm.rtp;

import io.rtpm.rtp.rtcp.RtcpCheck;
import io.rtpm.rtp.rtcp.RtcpCompound;
import io.rtpm.rtp.rtcp.RtcpPacket;
import io.rtpm.rtp.rtcp.SdesItems;
import io.rtpm.rtp.stats.ReceiverStatistics;
import java.lang.foreign.MemorySegment;

/**
 * Runs every parser and every accessor a caller may use after a passing check over arbitrary
 * bytes, held in a segment of exactly their size: a read past the packet throws
 * {@link IndexOutOfBoundsException}, and any exception or {@link AssertionError} is a bug. Shared
 * by the Jazzer fuzz test and the seeded random-bytes property tests.
 */
public final class ParserExercise {

    private final RtpPacket rtp = new RtpPacket();
    private final ExtensionElements elements = new ExtensionElements();
    private final RtcpCompound compound = new RtcpCompound();
    private final SdesItems sdes = new SdesItems();
    private final ReceiverStatistics stats =
            new ReceiverStatistics(PayloadClockRates.rfc3551().with(96, 90000), 64);
    private long clock;

    /**
     * Exercises the parsers.
     *
     * @param data any bytes
     * @return a checksum of what was read (keeps the work observable)
     */
    public long run(byte[] data) {
        final MemorySegment s = MemorySegment.ofArray(data);
        final int len = data.length;
        long sum = PacketKind.classify(s, 0, len).ordinal();
        sum += rtp(s, len);
        sum += rtcp(s, len);
        return sum;
    }

    private long rtp(MemorySegment s, int len) {
        rtp.wrap(s, 0, len);
        final RtpCheck check = rtp.validate();
        if (check != RtpCheck.OK) {
            return check.ordinal();
        }
        long sum = rtp.version() + rtp.payloadType() + rtp.sequenceNumber() + rtp.timestamp()
                + rtp.ssrc() + (rtp.marker() ? 1 : 0);
        for (int i = 0; i < rtp.csrcCount(); i++) {
            sum += rtp.csrc(i);
        }
        final int payload = rtp.payloadLength();
        if (payload < 0 || rtp.payloadOffset() + payload + rtp.paddingLength() != len) {
            throw new AssertionError("validated packet with inconsistent layout: " + rtp);
        }
        if (payload > 0) {
            sum += Wire.u8(s, rtp.payloadOffset() + payload - 1);
        }
        for (elements.reset(rtp); elements.next(); ) {
            sum += elements.id();
            for (int i = 0; i < elements.dataLength(); i++) {
                sum += elements.dataByte(i);
            }
        }
        if (stats.onRtp(rtp, clock += 20_000_000L) != null) {
            sum += stats.get(rtp.ssrc()).jitter();
        }
        return sum;
    }

    private long rtcp(MemorySegment s, int len) {
        final RtcpCheck strict = RtcpCompound.validate(s, 0, len, true);
        final RtcpCheck relaxed = RtcpCompound.validate(s, 0, len, false);
        if (strict == RtcpCheck.OK && relaxed != RtcpCheck.OK) {
            throw new AssertionError("strict check passed, relaxed failed with " + relaxed);
        }
        long sum = strict.ordinal() + relaxed.ordinal();
        int seen = 0;
        for (compound.wrap(s, 0, len); compound.next(); ) {
            final RtcpPacket p = compound.packet();
            seen += p.packetLength();
            sum += p.version() + p.count() + p.packetType() + p.paddingLength();
            sum += switch (p.packetType()) {
                case RtcpPacket.SR -> p.senderSsrc() + p.ntpTimestamp() + p.rtpTimestamp()
                        + p.senderPacketCount() + p.senderOctetCount() + blocks(p);
                case RtcpPacket.RR -> p.senderSsrc() + blocks(p);
                case RtcpPacket.SDES -> sdes(p);
                case RtcpPacket.BYE -> bye(p);
                case RtcpPacket.APP -> p.senderSsrc() + p.appName() + p.appDataLength();
                case RtcpPacket.RTPFB, RtcpPacket.PSFB -> feedback(p);
                default -> 0;
            };
        }
        if (relaxed == RtcpCheck.OK && (seen != len || compound.stoppedBy() != RtcpCheck.OK)) {
            throw new AssertionError("valid compound but iteration covered " + seen + " of " + len
                    + " bytes, stopped by " + compound.stoppedBy());
        }
        return sum;
    }

    private static long blocks(RtcpPacket p) {
        long sum = 0;
        for (int i = 0; i < p.count(); i++) {
            sum += p.reportBlock(i).hashCode();
        }
        return sum;
    }

    private long sdes(RtcpPacket p) {
        long sum = 0;
        for (sdes.reset(p); sdes.nextChunk(); ) {
            sum += sdes.chunkSsrc();
            while (sdes.nextItem()) {
                sum += sdes.itemType() + sdes.itemText().length();
            }
        }
        return sum;
    }

    private static long bye(RtcpPacket p) {
        long sum = p.byeReason().length();
        for (int i = 0; i < p.count(); i++) {
            sum += p.byeSsrc(i);
        }
        return sum;
    }

    private static long feedback(RtcpPacket p) {
        long sum = p.senderSsrc() + p.mediaSsrc();
        if (p.isNack()) {
            for (int i = 0; i < p.nackCount(); i++) {
                sum += p.nackPid(i) + p.nackBlp(i);
            }
        }
        return sum;
    }
}
