package io.rtpm.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RtpPacketTest {

    /** V=2 P=0 X=0 CC=2, M=1 PT=96, seq 0xABCD, ts 0xDEADBEEF, SSRC 0x01020304, 2 CSRCs, 3 bytes. */
    static final String CSRC_PACKET = "82 E0 ABCD DEADBEEF 01020304 11111111 22222222 AA BB CC";

    /** RFC 8285 section 4.2's one-byte figure: ids 1 (1 byte), 2 (2 bytes), pad, pad, 3 (4 bytes). */
    static final String ONE_BYTE_EXT = "90 00 0001 00000002 00000003"
            + " BEDE 0003  10 A1 21 B1 B2 00 00 33 C1 C2 C3 C4  FF";

    /** RFC 8285 section 4.3's two-byte figure: ids 1 (0 bytes), 2 (1 byte), pad, 3 (4 bytes). */
    static final String TWO_BYTE_EXT = "90 00 0001 00000002 00000003"
            + " 1000 0003  01 00 02 01 D1 00 03 04 E1 E2 E3 E4  FF";

    private final RtpPacket p = new RtpPacket();

    @Test
    void readsEveryFixedHeaderFieldAndTheCsrcList() {
        p.wrap(Hex.segment(CSRC_PACKET));
        assertEquals(RtpCheck.OK, p.validate());
        assertEquals(2, p.version());
        assertFalse(p.hasPadding());
        assertFalse(p.hasExtension());
        assertEquals(2, p.csrcCount());
        assertTrue(p.marker());
        assertEquals(96, p.payloadType());
        assertEquals(0xABCD, p.sequenceNumber());
        assertEquals(0xDEADBEEFL, Integer.toUnsignedLong(p.timestamp()));
        assertEquals(0x01020304, p.ssrc());
        assertEquals(0x11111111, p.csrc(0));
        assertEquals(0x22222222, p.csrc(1));
        assertThrows(IndexOutOfBoundsException.class, () -> p.csrc(2));
        assertEquals(20, p.headerLength());
        assertEquals(3, p.payloadLength());
        assertArrayEquals(Hex.bytes("AABBCC"), p.payload().toArray(ValueLayout.JAVA_BYTE));
    }

    @Test
    void setersWriteThroughAndLeaveTheOtherBitsAlone() {
        final MemorySegment s = Hex.segment(CSRC_PACKET);
        p.wrap(s);
        p.marker(false);
        p.payloadType(0);
        p.sequenceNumber(0x1_0005); // only the low 16 bits count
        p.timestamp(-1);
        p.ssrc(0xCAFEBABE);
        p.csrc(1, 7);
        assertEquals("82 00 0005 FFFFFFFF CAFEBABE 11111111 00000007 AA BB CC".replace(" ", ""),
                java.util.HexFormat.of().formatHex(s.toArray(ValueLayout.JAVA_BYTE)).toUpperCase());
        p.marker(true);
        assertTrue(p.marker());
        assertEquals(0, p.payloadType());
        assertThrows(IllegalArgumentException.class, () -> p.payloadType(128));
    }

    @Test
    void viewsAPacketInsideALargerSegmentArrayAndBuffer() {
        final byte[] pkt = Hex.bytes(CSRC_PACKET);
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment slot = arena.allocate(2048);
            MemorySegment.copy(MemorySegment.ofArray(pkt), 0, slot, 100, pkt.length);
            p.wrap(slot, 100, pkt.length);
            assertEquals(RtpCheck.OK, p.validate());
            assertEquals(0xABCD, p.sequenceNumber());
            assertEquals(3, p.payloadLength());
        }
        final byte[] padded = new byte[pkt.length + 7];
        System.arraycopy(pkt, 0, padded, 7, pkt.length);
        p.wrap(padded, 7, pkt.length);
        assertEquals(0x22222222, p.csrc(1));
        final ByteBuffer direct = ByteBuffer.allocateDirect(64).put(pkt).flip();
        p.wrap(direct);
        assertEquals(pkt.length, p.length());
        assertEquals(0x01020304, p.ssrc());
        assertThrows(IndexOutOfBoundsException.class, () -> p.wrap(padded, 7, padded.length));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "TRUNCATED,                 80 00 0001 00000002 000000",
        "BAD_VERSION,               40 00 0001 00000002 00000003",
        "BAD_VERSION,               C0 00 0001 00000002 00000003",
        "RTCP_PAYLOAD_TYPE,         80 C8 0001 00000002 00000003",
        "RTCP_PAYLOAD_TYPE,         80 C9 0001 00000002 00000003",
        "CSRC_PAST_END,             81 00 0001 00000002 00000003",
        "CSRC_PAST_END,             82 00 0001 00000002 00000003 00000004 000000",
        "EXTENSION_HEADER_PAST_END, 90 00 0001 00000002 00000003 BEDE00",
        "EXTENSION_PAST_END,        90 00 0001 00000002 00000003 BEDE0001",
        "EXTENSION_PAST_END,        90 00 0001 00000002 00000003 BEDE0002 10AA0000 000000",
        "PADDING_ZERO,              A0 00 0001 00000002 00000003 AA 00",
        "PADDING_PAST_END,          A0 00 0001 00000002 00000003 AA 03",
        "PADDING_PAST_END,          A0 00 0001 00000002 0000000D",
        "OK,                        A0 00 0001 00000002 00000003 AA 02",
        "OK,                        A0 00 0001 00000002 00000003 01",
        "OK,                        80 00 0001 00000002 00000003",
        "OK,                        90 00 0001 00000002 00000003 BEDE0000",
    })
    void validateNamesTheFirstProblem(RtpCheck expected, String hex) {
        assertEquals(expected, p.wrap(Hex.segment(hex)).validate());
    }

    @Test
    void paddingIsExcludedFromThePayload() {
        p.wrap(Hex.segment("A0 00 0001 00000002 00000003 AA BB 00 00 03"));
        assertEquals(RtpCheck.OK, p.validate());
        assertEquals(3, p.paddingLength());
        assertEquals(2, p.payloadLength());
    }

    @Test
    void iteratesRfc8285OneByteElementsSkippingPadding() {
        p.wrap(Hex.segment(ONE_BYTE_EXT));
        assertEquals(RtpCheck.OK, p.validate());
        assertEquals(RtpPacket.ONE_BYTE_PROFILE, p.extensionProfile());
        assertEquals(12, p.extensionDataLength());
        assertEquals(28, p.headerLength());
        assertEquals(1, p.payloadLength());
        final ExtensionElements e = new ExtensionElements().reset(p);
        assertEquals(ExtensionElements.FORM_ONE_BYTE, e.form());
        assertTrue(e.next());
        assertEquals(1, e.id());
        assertArrayEquals(Hex.bytes("A1"), e.data());
        assertTrue(e.next());
        assertEquals(2, e.id());
        assertArrayEquals(Hex.bytes("B1B2"), e.data());
        assertTrue(e.next());
        assertEquals(3, e.id());
        assertArrayEquals(Hex.bytes("C1C2C3C4"), e.data());
        assertFalse(e.next());
        assertFalse(e.malformed());
        assertTrue(e.find(p, 2));
        assertEquals(0xB2, e.dataByte(1));
        assertFalse(e.find(p, 4));
    }

    @Test
    void iteratesRfc8285TwoByteElementsIncludingEmptyOnes() {
        p.wrap(Hex.segment(TWO_BYTE_EXT));
        assertEquals(RtpCheck.OK, p.validate());
        final ExtensionElements e = new ExtensionElements().reset(p);
        assertEquals(ExtensionElements.FORM_TWO_BYTE, e.form());
        assertTrue(e.next());
        assertEquals(1, e.id());
        assertEquals(0, e.dataLength());
        assertTrue(e.next());
        assertEquals(2, e.id());
        assertArrayEquals(Hex.bytes("D1"), e.data());
        assertTrue(e.next());
        assertEquals(3, e.id());
        assertArrayEquals(Hex.bytes("E1E2E3E4"), e.data());
        assertFalse(e.next());
        assertFalse(e.malformed());
    }

    @Test
    void oneByteId15StopsAndOverlongElementsAreMalformed() {
        // id 1 (1 byte), then id 15: RFC 8285 says stop, so id 2 after it is never seen
        p.wrap(Hex.segment("90 00 0001 00000002 00000003 BEDE 0001 10 AA F0 21"));
        final ExtensionElements e = new ExtensionElements().reset(p);
        assertTrue(e.next());
        assertEquals(1, e.id());
        assertFalse(e.next());
        assertFalse(e.malformed());
        // an id-0 byte is padding even with a length in its low bits: skipped alone
        p.wrap(Hex.segment("90 00 0001 00000002 00000003 BEDE 0001 05 10 AA 00"));
        assertEquals(RtpCheck.OK, p.validate());
        e.reset(p);
        assertTrue(e.next());
        assertEquals(1, e.id());
        assertArrayEquals(Hex.bytes("AA"), e.data());
        assertFalse(e.next());
        // id 1 claims 16 bytes but the extension has 3 after it
        p.wrap(Hex.segment("90 00 0001 00000002 00000003 BEDE 0001 1F AA BB CC"));
        e.reset(p);
        assertFalse(e.next());
        assertTrue(e.malformed());
        // two-byte element header cut by the end of the extension
        p.wrap(Hex.segment("90 00 0001 00000002 00000003 1000 0001 00 00 00 05"));
        e.reset(p);
        assertFalse(e.next());
        assertTrue(e.malformed());
    }

    @Test
    void aForeignExtensionProfileHasNoElements() {
        p.wrap(Hex.segment("90 00 0001 00000002 00000003 ABCD 0001 11 22 33 44"));
        assertEquals(RtpCheck.OK, p.validate());
        final ExtensionElements e = new ExtensionElements().reset(p);
        assertEquals(ExtensionElements.FORM_NONE, e.form());
        assertFalse(e.next());
    }
}
