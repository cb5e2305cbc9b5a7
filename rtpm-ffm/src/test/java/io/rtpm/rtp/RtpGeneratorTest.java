package io.rtpm.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class RtpGeneratorTest {

    private final MemorySegment buf = MemorySegment.ofArray(new byte[1500]);
    private final RtpPacket p = new RtpPacket();

    @Test
    void sequenceAndTimestampWrapTogether() {
        final RtpGenerator g = new RtpGenerator(RtpStreamConfig.pcmu20ms(0x1234, 65534, -320));
        final int[] seqs = new int[4];
        final long[] stamps = new long[4];
        for (int i = 0; i < 4; i++) {
            final int len = g.next(buf, 0, 1500);
            assertEquals(12 + 160, len);
            p.wrap(buf, 0, len);
            assertEquals(RtpCheck.OK, p.validate());
            assertEquals(0x1234, p.ssrc());
            assertEquals(0, p.payloadType());
            assertEquals(i == 0, p.marker());
            seqs[i] = p.sequenceNumber();
            stamps[i] = Integer.toUnsignedLong(p.timestamp());
        }
        assertEquals("[65534, 65535, 0, 1]", java.util.Arrays.toString(seqs));
        assertEquals("[4294966976, 4294967136, 0, 160]", java.util.Arrays.toString(stamps));
        assertEquals(4, g.packetsWritten());
        assertEquals(1_000 + 4 * 20_000_000L, g.dueNanos(1_000));
    }

    @Test
    void fractionalTicksPerPacketCarryWithoutDrift() {
        // 11025 Hz * 20 ms = 220.5 ticks: alternate 220 and 221, exactly 11025 per 50 packets
        final RtpGenerator g = new RtpGenerator(
                new RtpStreamConfig(1, 16, 11025, 20_000, 10, 0, 0));
        boolean saw220 = false;
        boolean saw221 = false;
        int prev = g.nextTimestamp();
        for (int i = 0; i < 50; i++) {
            g.next(buf, 0, 1500);
            final int step = g.nextTimestamp() - prev;
            saw220 |= step == 220;
            saw221 |= step == 221;
            assertTrue(step == 220 || step == 221, "step " + step);
            prev = g.nextTimestamp();
        }
        assertTrue(saw220 && saw221);
        assertEquals(11025, g.nextTimestamp());
    }

    @Test
    void payloadIsFilledAndOnlyTheFirstPacketIsMarked() {
        final RtpGenerator g = new RtpGenerator(RtpStreamConfig.pcmu20ms(9, 0, 0)).fill(0x7E);
        g.next(buf, 0, 1500);
        p.wrap(buf, 0, 172);
        assertTrue(p.marker());
        assertEquals(0x7E, Wire.u8(buf, 12 + 159));
        g.next(buf, 0, 1500);
        assertFalse(p.marker());
    }
}
