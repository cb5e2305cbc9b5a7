package io.rtpm.rtp.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rtpm.rtp.PayloadClockRates;
import io.rtpm.rtp.rtcp.RtcpCheck;
import io.rtpm.rtp.rtcp.RtcpCompound;
import io.rtpm.rtp.rtcp.RtcpPacket;
import io.rtpm.rtp.rtcp.RtcpWriter;
import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReceiverStatisticsTest {

    @Test
    void tracksSourcesLikeAMapThroughInsertsAndRemovals() {
        final ReceiverStatistics t = new ReceiverStatistics(PayloadClockRates.rfc3551(), 300);
        final Map<Integer, SourceStatistics> model = new HashMap<>();
        final Random r = new Random(7);
        for (int step = 0; step < 20_000; step++) {
            // few distinct keys, many collisions in a 1024-slot table
            final int ssrc = r.nextInt(400) * 1024;
            if (r.nextInt(4) == 0) {
                assertEquals(model.remove(ssrc) != null, t.remove(ssrc), "remove " + ssrc);
            } else if (model.containsKey(ssrc) || model.size() < 300) {
                final SourceStatistics s = t.onRtp(ssrc, step & 0xFFFF, 0, 0, step);
                assertNotNull(s);
                assertSame(model.computeIfAbsent(ssrc, k -> s), s);
            } else {
                assertNull(t.onRtp(ssrc, 0, 0, 0, step));
            }
            assertEquals(model.size(), t.size());
        }
        for (int k = 0; k < 400; k++) {
            assertSame(model.get(k * 1024), t.get(k * 1024));
        }
        assertTrue(t.sourcesRejected() > 0);
    }

    @Test
    void writesReportBlocksOnlyForSourcesHeardSinceTheLastReport() {
        final ReceiverStatistics t = new ReceiverStatistics(PayloadClockRates.rfc3551(), 8);
        for (int seq = 0; seq < 10; seq++) {
            t.onRtp(0xA, seq, seq * 160, 0, seq * 20_000_000L);
            t.onRtp(0xB, seq, seq * 3000, 96, seq * 33_000_000L);
        }
        final MemorySegment buf = MemorySegment.ofArray(new byte[512]);
        final RtcpWriter w = new RtcpWriter().wrap(buf, 0, 512).receiverReport(0x1);
        assertEquals(2, t.writeReportBlocks(w, 1_000_000_000L, 31));
        int len = w.finish();
        assertEquals(RtcpCheck.OK, RtcpCompound.validate(buf, 0, len, true));
        final RtcpPacket rr = new RtcpPacket().wrap(buf, 0, len);
        assertEquals(2, rr.count());
        assertEquals(9, rr.extendedHighestSequence(0));

        t.onRtp(0xA, 10, 1600, 0, 200_000_000L);
        w.wrap(buf, 0, 512).receiverReport(0x1);
        assertEquals(1, t.writeReportBlocks(w, 1_000_000_000L, 31));
        len = w.finish();
        rr.wrap(buf, 0, len);
        assertEquals(0xA, rr.reportSsrc(0));
        assertEquals(10, rr.extendedHighestSequence(0));
    }

    @Test
    void dynamicPayloadTypesNeedAConfiguredClockForJitter() {
        final PayloadClockRates rates = PayloadClockRates.rfc3551().with(111, 48000);
        assertEquals(0, PayloadClockRates.rfc3551().clockRate(111));
        assertEquals(48000, rates.clockRate(111));
        assertEquals(8000, rates.clockRate(0));
        assertEquals(90000, rates.clockRate(26));
        assertEquals(44100, rates.clockRate(10));
        final ReceiverStatistics t = new ReceiverStatistics(rates, 4);
        final ReceiverStatistics unknown = new ReceiverStatistics(PayloadClockRates.rfc3551(), 4);
        for (int i = 0; i < 50; i++) {
            final long arrival = i * 20_000_000L + (i % 2) * 2_000_000L; // 2 ms alternating
            t.onRtp(1, i, i * 960, 111, arrival);
            unknown.onRtp(1, i, i * 960, 111, arrival);
        }
        assertTrue(t.get(1).jitter() > 0);
        assertEquals(0, unknown.get(1).jitter());
    }
}
