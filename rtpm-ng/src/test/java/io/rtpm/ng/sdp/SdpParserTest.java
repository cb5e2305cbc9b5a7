package io.rtpm.ng.sdp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.FieldSource;

class SdpParserTest {

    static final List<String> FIXTURES = List.of(Fixtures.ALL);

    @ParameterizedTest
    @FieldSource("FIXTURES")
    void writesEveryFixtureBackByteForByte(String name) throws SdpException {
        byte[] body = Fixtures.sdp(name);
        assertArrayEquals(body, SdpParser.parse(body).toBytes(), name);
    }

    @Test
    void readsTheSippOffer() throws SdpException {
        SessionDescription s = SdpParser.parse(Fixtures.sdp("sipp-uac-offer.sdp"));
        assertEquals(new Origin("user1", "53655765", "2353687637", "IN", "IP4", "127.0.0.1"), s.origin());
        assertEquals(Optional.of(new Connection("IN", "IP4", "127.0.0.1")), s.connection());
        assertEquals(1, s.media().size());
        MediaDescription m = s.media().get(0);
        assertEquals(new MediaLine("audio", 6000, 0, "RTP/AVP", List.of("0")), m.media());
        assertEquals(List.of(new RtpMap(0, "PCMU", 8000, "")), m.rtpMaps());
        assertEquals(MediaDirection.SENDRECV, s.directionOf(0));
        assertFalse(s.hasIce());
        assertEquals(Optional.empty(), m.rtcp());
    }

    @Test
    void readsSeveralStreamsAndMediaLevelConnections() throws SdpException {
        SessionDescription s = SdpParser.parse(Fixtures.sdp("rfc8866-example.sdp"));
        assertEquals(3, s.media().size());
        assertEquals(Optional.of(Connection.internet("IP4", "198.51.100.1")), s.connectionOf(1));
        assertEquals(Optional.of(Connection.internet("IP6", "2001:db8::2")), s.connectionOf(2));
        assertEquals(List.of(new RtpMap(99, "h263-1998", 90000, "")), s.media().get(2).rtpMaps());
    }

    @Test
    void readsHoldAndADisabledStream() throws SdpException {
        SessionDescription s = SdpParser.parse(Fixtures.sdp("rfc3264-hold.sdp"));
        assertEquals(MediaDirection.SENDONLY, s.directionOf(0));
        assertTrue(s.media().get(1).media().disabled());
        assertEquals("", s.sessionLines().get(2).value()); // the empty s= of RFC 3264's examples
    }

    @Test
    void readsRtcpIceAndCryptoAsData() throws SdpException {
        SessionDescription s = SdpParser.parse(Fixtures.sdp("ice-rtcp-crypto.sdp"));
        MediaDescription m = s.media().get(0);
        assertEquals(Optional.of(new RtcpAttribute(53020, Optional.of(Connection.internet("IP4", "192.0.2.3")))),
                m.rtcp());
        assertTrue(m.rtcpMux());
        assertTrue(m.hasIce());
        assertTrue(s.hasIce());
        assertEquals(List.of(new CryptoAttribute(1, "AES_CM_128_HMAC_SHA1_80",
                "inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:32", "")), m.cryptos());
        assertEquals(List.of("101 0-15"), m.fmtps());
        assertEquals(new RtpMap(101, "telephone-event", 8000, ""), m.rtpMaps().get(1));
    }

    @Test
    void keepsLfEndingsUnknownLinesAndNonUtf8BytesAsTheyCame() throws SdpException {
        byte[] body = "v=0\no=- 1 1 IN IP4 10.0.0.1\ns=caf\u00e9\nx=unknown type\nc=IN IP4 10.0.0.1\nt=0 0\nm=audio 4000 RTP/AVP 8\na=x-vendor:thing\r\n\r\n"
                .getBytes(StandardCharsets.ISO_8859_1);
        SessionDescription s = SdpParser.parse(body);
        assertArrayEquals(body, s.toBytes());
        assertEquals("\r\n", s.trailer());
        assertEquals(new SdpLine('x', "unknown type", "\n"), s.sessionLines().get(3));
    }

    @ParameterizedTest(name = "[{index}] {2}")
    @CsvSource(delimiter = '|', value = {
        "''                                                     | 0 | empty body",
        "v=1                                                    | 1 | only version 0 exists",
        "o=- 1 1 IN IP4 h\\ns=-                                  | 1 | expected v= as line 1",
        "v=0\\ns=-                                               | 2 | expected o= as line 2",
        "v=0\\no=- 1 1 IN IP4                                    | 2 | o= has 5 fields, not 6",
        "v=0\\no=- x 1 IN IP4 h                                  | 2 | o= sess-id 'x' is not a number",
        "v=0\\no=-  1 1 IN IP4 h                                 | 2 | empty field",
        "v=0\\no=- 1 1 IN IP4 h                                  | 0 | at least v=, o= and s=",
        "v=0\\no=- 1 1 IN IP4 h\\ns=-\\nv=0                        | 4 | may appear only once",
        "v=0\\no=- 1 1 IN IP4 h\\ns=-\\nc=IN IP4                   | 4 | c= has 2 fields, not 3",
        "v=0\\no=- 1 1 IN IP4 h\\ns=-\\nc=IN IP4 h\\nm=audio 70000 RTP/AVP 0 | 5 | m= port 70000 is not in 0-65535",
        "v=0\\no=- 1 1 IN IP4 h\\ns=-\\nc=IN IP4 h\\nm=audio 5 RTP/AVP | 5 | m= has 3 fields, needs at least 4",
        "v=0\\no=- 1 1 IN IP4 h\\ns=-\\nc=IN IP4 h\\nm=audio 5/0 RTP/AVP 0 | 5 | number of ports 0 is not in 1-65535",
        "v=0\\no=- 1 1 IN IP4 h\\ns=-\\nm=audio 5 RTP/AVP 0       | 0 | media section 1 (m=audio 5 RTP/AVP 0) has no c= line",
        "v=0\\no=- 1 1 IN IP4 h\\ns=-\\nc=IN IP4 h\\nm=audio 5 RTP/AVP 0\\na=rtcp:x | 6 | a=rtcp port 'x' is not a number",
        "v=0\\no=- 1 1 IN IP4 h\\ns=-\\nc=IN IP4 h\\nm=audio 5 RTP/AVP 0\\na=rtcp:9 IN IP4 | 6 | a=rtcp has 3 fields",
        "v=0\\no=- 1 1 IN IP4 h\\ns=-\\nc=IN IP4 h\\nm=audio 5 RTP/AVP 0\\na=rtpmap:0 PCMU | 6 | is not <encoding name>/<clock rate>",
        "v=0\\no=- 1 1 IN IP4 h\\ns=-\\nc=IN IP4 h\\nm=audio 5 RTP/AVP 0\\na=rtpmap:128 x/1 | 6 | payload type 128 is not in 0-127",
        "v=0\\no=- 1 1 IN IP4 h\\ns=-\\nc=IN IP4 h\\nm=audio 5 RTP/SAVP 0\\na=crypto:1 AES | 6 | a=crypto has 2 fields",
        "v=0\\no=- 1 1 IN IP4 h\\ns=-\\nc=IN IP4 h\\na=          | 5 | a= without an attribute name",
        "v=0\\no=- 1 1 IN IP4 h\\n\\ns=-                          | 3 | empty line inside the body",
        "v=0\\no=- 1 1 IN IP4 h\\ns=-\\nhello                     | 4 | expected <letter>=<value>, found 'hello'",
        "v=0\\no=- 1 1 IN IP4 h\\ns=a\\rb                          | 3 | stray CR at column 4",
    })
    void refusesMalformedBodiesNamingTheLine(String body, int line, String reason) {
        byte[] in = body.replace("\\n", "\n").replace("\\r", "\r").getBytes(StandardCharsets.ISO_8859_1);
        SdpException e = assertThrows(SdpException.class, () -> SdpParser.parse(in));
        assertEquals(line, e.line(), e.getMessage());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @Test
    void refusesNulTooManyMediaAndOversizedBodies() {
        byte[] nul = "v=0\no=- 1 1 IN IP4 h\ns=a\0b\n".getBytes(StandardCharsets.ISO_8859_1);
        assertTrue(assertThrows(SdpException.class, () -> SdpParser.parse(nul)).getMessage()
                .contains("line 3: NUL at column 4"));
        String many = "v=0\no=- 1 1 IN IP4 h\ns=-\nc=IN IP4 h\n" + "m=audio 5 RTP/AVP 0\n".repeat(65);
        assertTrue(assertThrows(SdpException.class,
                () -> SdpParser.parse(many.getBytes(StandardCharsets.ISO_8859_1))).getMessage()
                .contains("more than 64 media sections"));
        assertTrue(assertThrows(SdpException.class, () -> SdpParser.parse(new byte[65_536]))
                .getMessage().contains("exceeds 65535"));
    }
}
