package io.rtpm.rtp.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rtpm.rtp.rtcp.ReportBlock;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SourceStatisticsTest {

    private static final long MS = 1_000_000L;
    private static final int SSRC = 0x5EED;

    /** Feeds seqs at 20 ms, timestamps 160 apart, PCMU clock; returns the state. */
    private static SourceStatistics feed(int... seqs) {
        final SourceStatistics s = new SourceStatistics(SSRC, seqs[0], 0);
        for (int i = 0; i < seqs.length; i++) {
            s.update(seqs[i], seqs[i] * 160, i * 20 * MS, 8000);
        }
        return s;
    }

    @Test
    void aSourceIsValidAfterTwoInSequencePacketsAndCountsFromTheSecond() {
        final SourceStatistics s = new SourceStatistics(SSRC, 10, 0);
        assertFalse(s.update(10, 0, 0, 8000));
        assertFalse(s.valid());
        assertFalse(s.update(12, 0, 0, 8000)); // out of sequence: probation starts over
        assertFalse(s.update(14, 0, 0, 8000));
        assertTrue(s.update(15, 0, 0, 8000));
        assertTrue(s.valid());
        assertEquals(1, s.received());
        assertEquals(1, s.expected());
        assertEquals(0, s.cumulativeLost());
    }

    @Test
    void fractionLostShiftsBeforeDividing() {
        final SourceStatistics s = feed(0, 1); // valid from seq 1: base 1, received 1
        assertEquals(0, s.takeFractionLost());
        int arrival = 2;
        for (int seq = 2; seq <= 101; seq++) {
            if (seq % 10 != 0) { // 10, 20, .., 100 lost: 10 of the 100 expected
                s.update(seq, seq * 160, arrival++ * 20 * MS, 8000);
            }
        }
        assertEquals(101, s.extendedMax());
        assertEquals(101, s.expected());
        assertEquals(91, s.received());
        assertEquals(10, s.cumulativeLost());
        assertEquals((10 << 8) / 100, s.takeFractionLost()); // 25; dividing first gives 0
        assertEquals(0, s.takeFractionLost()); // nothing new since
    }

    @Test
    void sequenceNumberWrapAddsACycle() {
        final int[] seqs = new int[20];
        for (int i = 0; i < seqs.length; i++) {
            seqs[i] = (65530 + i) & 0xFFFF;
        }
        final SourceStatistics s = feed(seqs);
        assertEquals(65536 + 13, s.extendedMax());
        assertEquals(19, s.received());
        assertEquals(0, s.cumulativeLost());
    }

    @Test
    void aLargeJumpIsARestartOnlyWhenTheNextPacketFollowsIt() {
        final SourceStatistics s = feed(1000, 1001, 1002);
        assertFalse(s.update(40000, 0, 100 * MS, 8000)); // suspect: MAX_DROPOUT exceeded
        assertEquals(1002, s.extendedMax());
        assertTrue(s.update(1003, 0, 120 * MS, 8000)); // stray one ignored, stream goes on
        assertFalse(s.update(50000, 0, 140 * MS, 8000));
        assertTrue(s.update(50001, 0, 160 * MS, 8000)); // restart confirmed: state re-based
        assertEquals(1, s.received());
        assertEquals(50001, s.extendedMax());
        assertEquals(1, s.expected());
    }

    @Test
    void duplicatesAndReordersAreToldApartAndLostGoesNegativeAsTheRfcDoes() {
        final SourceStatistics s = feed(1, 2, 3, 5, 4, 4, 5, 3);
        assertEquals(1, s.reordered()); // the first 4
        assertEquals(3, s.duplicates()); // 4 again, 5 again (== highest), 3 again
        assertEquals(7, s.received()); // A.1 counts them all: 2, 3, 5, 4, 4, 5, 3
        assertEquals(4, s.expected()); // 2..5
        assertEquals(-3, s.cumulativeLost());
    }

    @Test
    void aLatePacketJustInsideTheMisorderWindowIsSeenAndOneOutsideIsNot() {
        final SourceStatistics s = feed(0, 1);
        for (int seq = 3; seq <= 101; seq++) {
            s.update(seq, 0, 0, 8000);
        }
        s.update(2, 0, 0, 8000); // 99 behind 101: late, fills the gap
        assertEquals(1, s.reordered());
        s.update(2, 0, 0, 8000);
        assertEquals(1, s.duplicates());
        final long before = s.received();
        s.update(1, 0, 0, 8000); // 100 behind: beyond MAX_MISORDER, taken as a jump (A.1)
        assertEquals(before, s.received());
    }

    @Test
    void jitterIsInTimestampUnitsOfThePayloadClock() {
        // arrivals alternate 0 and 1 ms late: |D| is 1 ms every packet, so J tends to 1 ms
        for (int rate : new int[] {8000, 90000}) {
            final SourceStatistics s = new SourceStatistics(SSRC, 0, 0);
            final long tick = 20 * MS;
            for (int i = 0; i < 400; i++) {
                final int ts = (int) ((long) i * rate / 50);
                s.update(i, ts, i * tick + (i % 2) * MS, rate);
            }
            final long oneMsInTicks = rate / 1000;
            assertTrue(s.jitter() >= oneMsInTicks - 1 && s.jitter() <= oneMsInTicks,
                    "rate " + rate + ": jitter " + s.jitter() + " for 1 ms = " + oneMsInTicks);
        }
    }

    @Test
    void jitterFollowsTheRfcRecurrenceWithinRounding() {
        final Random r = new Random(42);
        final SourceStatistics s = new SourceStatistics(SSRC, 0, 0);
        double ref = 0;
        long prevTransit = 0;
        for (int i = 0; i < 2000; i++) {
            final long ts = i * 160L;
            final long arrivalTicks = ts + r.nextInt(400); // 0..50 ms of network delay, 8 kHz
            s.update(i, (int) ts, arrivalTicks * 125_000L, 8000); // 1 tick = 125 us
            final long transit = arrivalTicks - ts;
            if (i > 1) { // the RFC state starts at the packet that ends probation
                ref += (Math.abs(transit - prevTransit) - ref) / 16;
            }
            prevTransit = transit;
        }
        assertTrue(Math.abs(s.jitter() - ref) <= 1.0, "jitter " + s.jitter() + " vs " + ref);
    }

    @Test
    void reportBlockCarriesLsrAndDlsr() {
        final SourceStatistics s = feed(0, 1, 2);
        s.onSenderReport(0x0001_2345_6789_ABCDL, 1_000 * MS);
        final ReportBlock b = s.reportBlock(2_500 * MS);
        assertEquals(SSRC, b.ssrc());
        assertEquals(0x23456789, b.lastSr());
        assertEquals(65536 + 32768, b.delaySinceLastSr()); // 1.5 s in 1/65536 s
        assertEquals(2, b.extendedHighestSequence());
        assertEquals(0, b.cumulativeLost());
    }
}
