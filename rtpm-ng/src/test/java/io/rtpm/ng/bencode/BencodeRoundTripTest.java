package io.rtpm.ng.bencode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Seeded property tests: decode(encode(v)) == v, and encoding is canonical. */
class BencodeRoundTripTest {

    private final BencodeDecoder decoder = new BencodeDecoder(DecodeLimits.NG);

    @Test
    void randomValuesSurviveEncodeThenDecode() throws DecodeException {
        SplittableRandom rnd = new SplittableRandom(0xbe9c0de);
        for (int i = 0; i < 2_000; i++) {
            BencodeValue v = random(rnd, 0);
            byte[] wire = BencodeEncoder.encode(v);
            BencodeValue back = decoder.decode(wire);
            assertEquals(v, back);
            assertArrayEquals(wire, BencodeEncoder.encode(back));
        }
    }

    @Test
    void encodesDictionaryKeysSortedByRawBytes() {
        BencodeDictionary d = BencodeDictionary.builder()
                .put("sdp", "v=0").put("command", "offer").put(BencodeString.of(new byte[] {(byte) 0xe9}),
                        new BencodeInteger(1))
                .put("call-id", "x").build();
        assertEquals("d7:call-id1:x7:command5:offer3:sdp3:v=01:\u00e9i1ee",
                new String(BencodeEncoder.encode(d), StandardCharsets.ISO_8859_1));
    }

    private static BencodeValue random(SplittableRandom rnd, int depth) {
        int kind = depth > 4 ? rnd.nextInt(2) : rnd.nextInt(4);
        switch (kind) {
            case 0: {
                byte[] b = new byte[rnd.nextInt(12)];
                for (int i = 0; i < b.length; i++) {
                    b[i] = (byte) rnd.nextInt(256);
                }
                return BencodeString.of(b);
            }
            case 1:
                return new BencodeInteger(rnd.nextBoolean() ? rnd.nextLong() : rnd.nextInt(-5, 5));
            case 2: {
                ArrayList<BencodeValue> items = new ArrayList<>();
                for (int i = rnd.nextInt(5); i > 0; i--) {
                    items.add(random(rnd, depth + 1));
                }
                return new BencodeList(items);
            }
            default: {
                BencodeDictionary.Builder b = BencodeDictionary.builder();
                for (int i = rnd.nextInt(5); i > 0; i--) {
                    b.put("k" + rnd.nextInt(8), random(rnd, depth + 1));
                }
                return b.build();
            }
        }
    }
}
