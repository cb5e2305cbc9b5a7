package io.rtpm.rtp.rtcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rtpm.rtp.Hex;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RtcpPacketTest {

    /**
     * Hand-encoded from RFC 3550 6.4.1 / 6.5 / 6.6: SR (SSRC 0x11223344, one block) + SDES
     * (CNAME "ab") + BYE (one SSRC, reason "bye").
     */
    static final String SR_SDES_BYE = ""
            + "81 C8 000C 11223344"             // SR, RC=1, length 12 words
            + " E1234567 89ABCDEF"              // NTP
            + " 00015F90 0000000A 00000640"     // RTP ts 90000, 10 packets, 1600 octets
            + " 55667788 19 FFFFFE 0001FFFF 00000020 34567890 00018000" // block
            + " 81 CA 0003 11223344 01 02 61 62 00000000" // SDES chunk: CNAME "ab", null, pad
            + " 81 CB 0002 11223344 03 62 79 65";     // BYE with reason "bye"

    private final RtcpCompound c = new RtcpCompound();

    @Test
    void readsEveryFieldOfSrSdesAndBye() {
        final MemorySegment s = Hex.segment(SR_SDES_BYE);
        final int len = (int) s.byteSize();
        assertEquals(RtcpCheck.OK, RtcpCompound.validate(s, 0, len, true));
        c.wrap(s, 0, len);

        assertTrue(c.next());
        RtcpPacket p = c.packet();
        assertEquals(RtcpPacket.SR, p.packetType());
        assertEquals(52, p.packetLength());
        assertEquals(0x11223344, p.senderSsrc());
        assertEquals(0xE123456789ABCDEFL, p.ntpTimestamp());
        assertEquals(90000, p.rtpTimestamp());
        assertEquals(10, p.senderPacketCount());
        assertEquals(1600, p.senderOctetCount());
        assertEquals(1, p.count());
        assertEquals(new ReportBlock(0x55667788, 0x19, -2, 0x1FFFF, 32, 0x34567890, 0x18000),
                p.reportBlock(0));

        assertTrue(c.next());
        p = c.packet();
        assertEquals(RtcpPacket.SDES, p.packetType());
        final SdesItems items = new SdesItems().reset(p);
        assertTrue(items.nextChunk());
        assertEquals(0x11223344, items.chunkSsrc());
        assertTrue(items.nextItem());
        assertEquals(SdesItems.CNAME, items.itemType());
        assertEquals("ab", items.itemText());
        assertFalse(items.nextItem());
        assertFalse(items.nextChunk());

        assertTrue(c.next());
        p = c.packet();
        assertEquals(RtcpPacket.BYE, p.packetType());
        assertEquals(0x11223344, p.byeSsrc(0));
        assertEquals("bye", p.byeReason());
        assertFalse(c.next());
        assertEquals(RtcpCheck.OK, c.stoppedBy());
    }

    @Test
    void writerBuildsTheSameBytes() {
        final MemorySegment out = MemorySegment.ofArray(new byte[256]);
        final int len = new RtcpWriter().wrap(out, 0, 256)
                .senderReport(0x11223344, 0xE123456789ABCDEFL, 90000, 10, 1600)
                .addReportBlock(new ReportBlock(0x55667788, 0x19, -2, 0x1FFFF, 32, 0x34567890, 0x18000))
                .sdes().addSdesChunk(0x11223344).addSdesItem(SdesItems.CNAME, "ab")
                .bye("bye", 0x11223344)
                .finish();
        assertArrayEquals(Hex.bytes(SR_SDES_BYE), out.asSlice(0, len).toArray(ValueLayout.JAVA_BYTE));
    }

    @Test
    void nackPacksLostSequenceNumbersIntoPidAndBitmaskAcrossTheWrap() {
        final MemorySegment out = MemorySegment.ofArray(new byte[128]);
        final int[] lost = {65530, 65531, 65535, 0, 9, 10, 11};
        final int len = new RtcpWriter().wrap(out, 0, 128)
                .receiverReport(1).nack(1, 2, lost, lost.length).pli(1, 2).finish();
        assertEquals(RtcpCheck.OK, RtcpCompound.validate(out, 0, len, true));
        c.wrap(out, 0, len);
        assertTrue(c.next());
        assertTrue(c.next());
        final RtcpPacket nack = c.packet();
        assertTrue(nack.isNack());
        assertEquals(2, nack.mediaSsrc());
        assertEquals(2, nack.nackCount());
        // 65531 = PID+1 (bit 0), 65535 = PID+5 (bit 4), 0 = PID+6 (bit 5), 9 = PID+15 (bit 14),
        // 10 = PID+16 (bit 15); 11 is PID+17, out of reach: a second entry
        assertEquals(65530, nack.nackPid(0));
        assertEquals(1 | 1 << 4 | 1 << 5 | 1 << 14 | 1 << 15, nack.nackBlp(0));
        assertEquals(11, nack.nackPid(1));
        assertEquals(0, nack.nackBlp(1));
        assertTrue(c.next());
        assertTrue(c.packet().isPli());
        assertEquals(12, c.packet().packetLength());
        assertFalse(c.next());
    }

    @Test
    void appAndMultiChunkSdesRoundTrip() {
        final MemorySegment out = MemorySegment.ofArray(new byte[256]);
        final int len = new RtcpWriter().wrap(out, 0, 256)
                .receiverReport(7)
                .sdes().addSdesChunk(7).addSdesItem(SdesItems.CNAME, "user@host")
                .addSdesItem(SdesItems.TOOL, "rtpm").addSdesChunk(8).addSdesItem(SdesItems.NOTE, "")
                .app(5, 7, "RTPM", Hex.bytes("01020304"))
                .finishPadded(8);
        assertEquals(RtcpCheck.OK, RtcpCompound.validate(out, 0, len, true));
        c.wrap(out, 0, len);
        assertTrue(c.next());
        assertEquals(0, c.packet().count());
        assertTrue(c.next());
        final SdesItems items = new SdesItems().reset(c.packet());
        final StringBuilder seen = new StringBuilder();
        while (items.nextChunk()) {
            seen.append(items.chunkSsrc()).append('{');
            while (items.nextItem()) {
                seen.append(items.itemType()).append('=').append(items.itemText()).append(';');
            }
            seen.append('}');
        }
        assertEquals("7{1=user@host;6=rtpm;}8{7=;}", seen.toString());
        assertTrue(c.next());
        final RtcpPacket app = c.packet();
        assertEquals(5, app.count());
        assertEquals(0x5254504D, app.appName());
        assertEquals(4, app.appDataLength());
        assertEquals(8, app.paddingLength());
        assertFalse(c.next());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "TRUNCATED,              80 C9 00",
        "BAD_VERSION,            41 C9 0001 00000001",
        "LENGTH_PAST_END,        80 C9 0002 00000001",
        "FIRST_NOT_REPORT,       81 CA 0001 00000001",
        "REPORT_BLOCKS_PAST_END, 81 C9 0001 00000001",
        "TRUNCATED,              80 C8 0001 00000001",
        "PADDING_NOT_LAST,       A0 C9 0002 00000001 00000001 80 CB 0000",
        "PADDING_INVALID,        A0 C9 0001 00000000",
        "PADDING_INVALID,        A0 C9 0001 00000005",
        "SDES_MALFORMED,         80 C9 0001 00000001 81 CA 0001 00000001",
        "SDES_MALFORMED,         80 C9 0001 00000001 81 CA 0002 00000001 0109 4142",
        "BYE_MALFORMED,          80 C9 0001 00000001 82 CB 0001 00000001",
        "BYE_MALFORMED,          80 C9 0001 00000001 81 CB 0002 00000001 09 414243",
        "APP_TOO_SHORT,          80 C9 0001 00000001 80 CC 0001 00000001",
        "FEEDBACK_TOO_SHORT,     80 C9 0001 00000001 81 CD 0001 00000001",
        "TRUNCATED,              80 C9 0001 00000001 80",
        "OK,                     80 C9 0001 00000001 80 CB 0000",
        "OK,                     80 C9 0001 00000001 A0 CB 0001 00000004",
        "OK,                     80 C9 0001 00000001 80 D0 0000",
    })
    void validateNamesTheFirstProblem(RtcpCheck expected, String hex) {
        final MemorySegment s = Hex.segment(hex);
        assertEquals(expected, RtcpCompound.validate(s, 0, (int) s.byteSize(), true));
    }

    @Test
    void reducedSizeRtcpPassesOnlyWhenAllowed() {
        final MemorySegment pli = Hex.segment("81 CE 0002 00000001 00000002");
        assertEquals(RtcpCheck.FIRST_NOT_REPORT, RtcpCompound.validate(pli, 0, 12, true));
        assertEquals(RtcpCheck.OK, RtcpCompound.validate(pli, 0, 12, false));
    }

    @Test
    void iterationStopsAtTheFirstMalformedPacketAndSaysWhy() {
        final MemorySegment s = Hex.segment("80 C9 0001 00000001 82 CB 0001 00000001");
        c.wrap(s, 0, 16);
        assertTrue(c.next());
        assertFalse(c.next());
        assertEquals(RtcpCheck.BYE_MALFORMED, c.stoppedBy());
    }
}
