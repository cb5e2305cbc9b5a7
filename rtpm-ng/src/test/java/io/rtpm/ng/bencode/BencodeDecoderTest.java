package io.rtpm.ng.bencode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BencodeDecoderTest {

    private final BencodeDecoder decoder = new BencodeDecoder(DecodeLimits.NG);

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void decodesThePingOfTheNgDocs() throws DecodeException {
        // docs/ng_control_protocol.md: "5323_1 d7:command4:pinge" (body after the cookie)
        BencodeValue v = decoder.decode(b("d7:command4:pinge"));
        assertEquals(BencodeDictionary.builder().put("command", "ping").build(), v);
    }

    @Test
    void keepsStringBytesExactlyEvenWhenNotUtf8() throws DecodeException {
        byte[] in = {'d', '3', ':', 's', 'd', 'p', '3', ':', (byte) 0xff, 0, (byte) 0xc3, 'e'};
        BencodeDictionary d = (BencodeDictionary) decoder.decode(in);
        assertArrayEquals(new byte[] {(byte) 0xff, 0, (byte) 0xc3},
                ((BencodeString) d.get("sdp").orElseThrow()).bytes());
    }

    @Test
    void acceptsKeysInAnyOrderAsKamailioSendsThem() throws DecodeException {
        BencodeDictionary d = (BencodeDictionary) decoder.decode(b(
                "d7:command5:offer7:call-id3:abc8:from-tag1:t5:flagsl13:trust-addressee"));
        assertEquals("offer", ((BencodeString) d.get("command").orElseThrow()).text());
        assertEquals(BencodeList.of(BencodeString.of("trust-address")), d.get("flags").orElseThrow());
    }

    @Test
    void decodesTheWholeRangeOf64BitIntegers() throws DecodeException {
        assertEquals(new BencodeInteger(Long.MIN_VALUE), decoder.decode(b("i-9223372036854775808e")));
        assertEquals(new BencodeInteger(Long.MAX_VALUE), decoder.decode(b("i9223372036854775807e")));
        assertEquals(new BencodeInteger(0), decoder.decode(b("i0e")));
        assertEquals(new BencodeInteger(-7), decoder.decode(b("i-7e")));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "''                        | 0 | empty message",
        "x                         | 0 | byte 'x' starts no bencode value",
        "i-0e                      | 0 | integer -0",
        "i03e                      | 1 | leading zero",
        "ie                        | 1 | integer without digits",
        "i-e                       | 2 | integer without digits",
        "i12                       | 3 | integer not terminated: the message ends",
        "i1x                       | 2 | integer not terminated: byte 'x'",
        "i9223372036854775808e     | 0 | does not fit in 64 bits",
        "i-9223372036854775809e    | 0 | does not fit in 64 bits",
        "5:abc                     | 0 | string of 5 bytes runs past the end (3 bytes left)",
        "05:abcde                  | 0 | string length with a leading zero",
        "3abc                      | 1 | string length not terminated",
        "99999999999:a             | 0 | string length beyond the message limit",
        "l                         | 0 | list not terminated",
        "li1e                      | 0 | list not terminated",
        "d                         | 0 | dictionary not terminated",
        "di1ei2ee                  | 1 | dictionary key must be a string",
        "d1:a1:b1:a1:ce            | 7 | dictionary key \"a\" appears twice",
        "d1:ae                     | 4 | byte 'e' starts no bencode value",
        "d1:a                      | 1 | dictionary key \"a\" has no value",
        "dexx                      | 2 | 2 bytes after the end of the top-level dictionary",
    })
    void refusesMalformedInputWithOffsetAndReason(String in, long offset, String reason) {
        DecodeException e = assertThrows(DecodeException.class, () -> decoder.decode(b(in)));
        assertEquals(offset, e.offset(), e.getMessage());
        assertTrue(e.reason().contains(reason), e.getMessage());
    }

    @Test
    void boundsTheNestingDepth() throws DecodeException {
        int max = DecodeLimits.NG.maxDepth();
        decoder.decode(b("l".repeat(max) + "e".repeat(max)));
        DecodeException e = assertThrows(DecodeException.class,
                () -> decoder.decode(b("l".repeat(max + 1) + "e".repeat(max + 1))));
        assertEquals(max, e.offset());
        assertTrue(e.reason().contains("nesting deeper than 32 levels"), e.getMessage());
        // a million open lists fail at the bound, without recursing a million times
        assertThrows(DecodeException.class, () -> new BencodeDecoder(
                new DecodeLimits(2_000_000, 32, 65_536)).decode(b("l".repeat(1_000_000))));
    }

    @Test
    void boundsTheSizeAndTheNumberOfValues() {
        BencodeDecoder small = new BencodeDecoder(new DecodeLimits(16, 4, 3));
        DecodeException big = assertThrows(DecodeException.class,
                () -> small.decode(b("5:abcde".repeat(3))));
        assertTrue(big.reason().contains("21 bytes exceeds the limit of 16"), big.getMessage());
        DecodeException many = assertThrows(DecodeException.class,
                () -> small.decode(b("li1ei2ei3ee")));
        assertEquals(7, many.offset());
        assertTrue(many.reason().contains("more than 3 values"), many.getMessage());
    }

    @Test
    void decodesAtAnOffsetAndReportsOffsetsFromIt() {
        byte[] in = b("xxxd1:ai1e1:bi02ee");
        DecodeException e = assertThrows(DecodeException.class,
                () -> decoder.decode(in, 3, in.length - 3));
        assertEquals(11, e.offset()); // the leading zero of "02"
    }

    @Test
    void decodesLargeFlatMessagesWhole() throws DecodeException {
        // 60,000 keys: hashing keeps the duplicate check linear
        StringBuilder sb = new StringBuilder("d");
        for (int i = 0; i < 60_000; i++) {
            String k = Integer.toString(i);
            sb.append(k.length()).append(':').append(k).append("i").append(i).append('e');
        }
        BencodeDictionary d = (BencodeDictionary) new BencodeDecoder(new DecodeLimits(1 << 20, 4, 1 << 20)).decode(b(sb.append('e').toString()));
        assertEquals(60_000, d.entries().size());
        assertEquals(new BencodeInteger(59_999), d.get("59999").orElseThrow());
    }
}
