package io.rtpm.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rtpm.rtp.rtcp.RtcpCheck;
import io.rtpm.rtp.rtcp.RtcpCompound;
import io.rtpm.rtp.rtcp.RtcpWriter;
import io.rtpm.rtp.rtcp.SdesItems;
import io.rtpm.rtp.stats.ReceiverStatistics;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * The hot path allocates nothing once compiled: demux, RTP validate, extension lookup, RTCP
 * compound validate and iteration, statistics update and report block writing, packet
 * generation. Measured with the JVM's per-thread allocation counter after a warm-up, so the
 * JMH {@code -prof gc} result of docs/PERFORMANCE.md is also guarded in every build.
 */
class AllocationFreeTest {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private final RtpPacket rtp = new RtpPacket();
    private final ExtensionElements elements = new ExtensionElements();
    private final RtcpCompound compound = new RtcpCompound();
    private final RtcpWriter rtcpWriter = new RtcpWriter();
    private final ReceiverStatistics stats = new ReceiverStatistics(PayloadClockRates.rfc3551(), 16);
    private RtpGenerator generator;
    private MemorySegment slots;
    private int rtcpLength;
    private long now;

    private long perPacket(int n) {
        long sum = 0;
        final int k = n & 63;
        final long at = k * 256L + 3;
        final int len = generator.next(slots, at, 250);
        if (PacketKind.classify(slots, at, len) == PacketKind.RTP
                && rtp.wrap(slots, at, len).validate() == RtpCheck.OK) {
            sum += rtp.sequenceNumber() + rtp.payloadLength();
            if (elements.find(rtp, 1)) {
                sum += elements.dataByte(0);
            }
            sum += stats.onRtp(rtp, now += 20_000_000L).jitter();
        }
        final long rtcpAt = 64 * 256L;
        if (RtcpCompound.validate(slots, rtcpAt, rtcpLength, true) == RtcpCheck.OK) {
            for (compound.wrap(slots, rtcpAt, rtcpLength); compound.next(); ) {
                sum += compound.packet().packetType();
            }
        }
        if ((n & 1023) == 0) {
            rtcpWriter.wrap(slots, 65 * 256L, 256).receiverReport(1);
            sum += stats.writeReportBlocks(rtcpWriter, now, 31) + rtcpWriter.finish();
        }
        return sum;
    }

    @Test
    void theHotPathAllocatesNothingOnceCompiled() {
        try (Arena arena = Arena.ofConfined()) {
            slots = arena.allocate(66 * 256L);
            generator = new RtpGenerator(RtpStreamConfig.pcmu20ms(0xABC, 65000, 0));
            rtcpLength = rtcpWriter.wrap(slots, 64 * 256L, 256).senderReport(1, 2, 3, 4, 5)
                    .addReportBlock(1, 2, 3, 4, 5, 6, 7).sdes().addSdesChunk(1)
                    .addSdesItem(SdesItems.CNAME, "x").finish();
            long sink = 0;
            for (int n = 0; n < 300_000; n++) { // let C2 compile and inline everything
                sink += perPacket(n);
            }
            // on a loaded machine compilation may lag: take the best of a few windows
            final StringBuilder seen = new StringBuilder();
            long best = Long.MAX_VALUE;
            for (int round = 0; round < 8 && best >= 4096; round++) {
                final long before = THREADS.getCurrentThreadAllocatedBytes();
                for (int n = 0; n < 200_000; n++) {
                    sink += perPacket(n);
                }
                final long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
                seen.append(allocated).append(' ');
                best = Math.min(best, allocated);
            }
            assertTrue(sink != 0);
            assertEquals(1, stats.size());
            // slack for the counter itself; one object per packet would be megabytes
            assertTrue(best < 4096, "bytes allocated per 200000 packets: " + seen);
        }
    }
}
