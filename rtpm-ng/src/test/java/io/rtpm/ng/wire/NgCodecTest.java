package io.rtpm.ng.wire;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rtpm.ng.bencode.BencodeDictionary;
import io.rtpm.ng.bencode.BencodeInteger;
import io.rtpm.ng.bencode.BencodeList;
import io.rtpm.ng.bencode.BencodeString;
import io.rtpm.ng.bencode.DecodeLimits;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NgCodecTest {

    private final NgCodec codec = new NgCodec(DecodeLimits.NG);

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void splitsCookieAndBencodeBodyAsTheNgDocsShowThem() throws NgFrameException {
        NgMessage m = codec.decode(b("5323_1 d7:command4:pinge"));
        assertEquals(Cookie.of("5323_1"), m.cookie());
        assertEquals(NgFormat.BENCODE, m.format());
        assertEquals(BencodeDictionary.builder().put("command", "ping").build(), m.body());
    }

    @Test
    void repliesWithTheCookieAndABencodedDictionary() {
        byte[] reply = codec.encodeReply(Cookie.of("5323_1"), NgFormat.BENCODE,
                BencodeDictionary.builder().put("result", "pong").build());
        assertEquals("5323_1 d6:result4:ponge", new String(reply, StandardCharsets.UTF_8));
    }

    @Test
    void acceptsJsonBodiesAndAnswersInJson() throws NgFrameException {
        NgMessage m = codec.decode(b("c1 {\"command\":\"offer\",\"flags\":[\"trust address\"],"
                + "\"TOS\":184,\"sdp\":\"v=0\\r\\n\"}"));
        assertEquals(NgFormat.JSON, m.format());
        assertEquals(BencodeList.of(BencodeString.of("trust address")), m.body().get("flags").orElseThrow());
        assertEquals(new BencodeInteger(184), m.body().get("TOS").orElseThrow());
        assertEquals("v=0\r\n", ((BencodeString) m.body().get("sdp").orElseThrow()).text());
        byte[] reply = codec.encodeReply(m.cookie(), m.format(), BencodeDictionary.builder()
                .put("result", "ok").put("sdp", "v=0\r\n").build());
        assertEquals("c1 {\"result\":\"ok\",\"sdp\":\"v=0\\r\\n\"}", new String(reply, StandardCharsets.UTF_8));
    }

    @Test
    void dropsWhatHasNoCookie() {
        String[][] cases = {
            {"d7:command4:pinge", "no cookie: no space in the datagram"},
            {" d7:command4:pinge", "datagram starts with a space: no cookie"},
            {"", "no cookie: no space in the datagram"},
            {"x".repeat(300) + " de", "no cookie: no space within the first 257 bytes"},
        };
        for (String[] c : cases) {
            NgFrameException e = assertThrows(NgFrameException.class, () -> codec.decode(b(c[0])));
            assertFalse(e.cookie().isPresent(), c[0]);
            assertEquals(c[1], e.reason());
        }
        // the longest cookie there may be
        assertDoesNotThrow(() -> codec.decode(b("x".repeat(Cookie.MAX_LENGTH) + " d7:command4:pinge")));
    }

    @Test
    void answersBadBodiesWithTheReasonAndTheOffset() {
        NgFrameException e = assertThrows(NgFrameException.class,
                () -> codec.decode(b("k1 d7:command4:ping")));
        assertEquals(Cookie.of("k1"), e.cookie().orElseThrow());
        assertTrue(e.reason().contains("at byte 0: dictionary not terminated"), e.reason());
        assertTrue(assertThrows(NgFrameException.class, () -> codec.decode(b("k1 ")))
                .reason().contains("no message after the cookie"));
        assertTrue(assertThrows(NgFrameException.class, () -> codec.decode(b("k1 li1ee")))
                .reason().contains("neither a bencode dictionary"));
        assertTrue(assertThrows(NgFrameException.class, () -> codec.decode(b("k1 d1:ai1eei2e")))
                .reason().contains("after the end of the top-level dictionary"));
    }

    @Test
    void refusesJsonThatBencodeCannotSay() {
        String[][] cases = {
            {"{\"fatal\":true}", "has no ng meaning"},
            {"{\"n\":1.5}", "has no ng meaning"},
            {"{\"n\":null}", "has no ng meaning"},
            {"{\"n\":123456789012345678901}", "64 bits"},
            {"{\"a\":1,\"a\":2}", "malformed JSON: Duplicate field 'a'"},
            {"{\"a\":", "malformed JSON"},
            {"{\"a\":1} {}", "after the end"},
            {"[".repeat(40), "JSON beyond the limits"},
        };
        for (String[] c : cases) {
            String in = c[0].startsWith("[") ? "{\"a\":" + c[0] : c[0];
            NgFrameException e = assertThrows(NgFrameException.class, () -> codec.decode(b("k " + in)));
            assertEquals(NgFormat.JSON, e.format());
            assertTrue(e.reason().contains(c[1]), in + " -> " + e.reason());
        }
        // found by BencodeFuzzTest: NULs made Jackson read the body as UTF-32 and fail outside its
        // JSON exceptions; UTF-16LE would even have parsed
        byte[] utf16 = "k {\0\"\0a\0\"\0:\0001\0}\0".getBytes(StandardCharsets.ISO_8859_1);
        NgFrameException nul = assertThrows(NgFrameException.class, () -> codec.decode(utf16));
        assertTrue(nul.reason().contains("at byte 1: NUL byte: a JSON body is UTF-8 text"), nul.reason());
        byte[] notUtf8 = {'k', ' ', '{', '"', 'a', '"', ':', '"', (byte) 0xff, '"', '}'};
        assertTrue(assertThrows(NgFrameException.class, () -> codec.decode(notUtf8))
                .reason().contains("malformed JSON"));
    }
}
