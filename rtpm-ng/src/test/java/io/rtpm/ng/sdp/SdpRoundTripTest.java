package io.rtpm.ng.sdp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Seeded property tests over random valid bodies: write(parse(b)) == b byte for byte,
 * parse(write(x)) == x, and a rewrite keeps every line it was not asked to touch.
 */
class SdpRoundTripTest {

    @Test
    void parseThenWriteIsTheIdentity() throws SdpException {
        RandomSdp gen = new RandomSdp(0x5dbL);
        for (int i = 0; i < 3_000; i++) {
            byte[] body = gen.next();
            SessionDescription x = SdpParser.parse(body);
            assertArrayEquals(body, x.toBytes());
            assertEquals(x, SdpParser.parse(x.toBytes()));
        }
    }

    @Test
    void rewritesReparseAndKeepEveryOtherLine() throws SdpException {
        RandomSdp gen = new RandomSdp(0x5dcL);
        SplittableRandom rnd = new SplittableRandom(7);
        for (int i = 0; i < 3_000; i++) {
            SessionDescription x = SdpParser.parse(gen.next());
            SdpRewrite.Builder b = SdpRewrite.builder().connection("IP4", "192.0.2.1");
            if (rnd.nextBoolean()) {
                b.removeIce();
            }
            for (int m = 0; m < x.media().size(); m++) {
                MediaRewrite r = MediaRewrite.ports(rnd.nextInt(1024, 65000) & ~1);
                r = rnd.nextBoolean() ? r : r.withDirection(MediaDirection.SENDONLY);
                b.media(m, rnd.nextInt(3) == 0 ? r.withRtcpMux(rnd.nextBoolean()) : r);
            }
            SdpRewrite rewrite = b.build();
            SessionDescription y = SdpRewriter.rewrite(x, rewrite);
            assertEquals(y, SdpParser.parse(y.toBytes()));
            assertEquals(y, SdpRewriter.rewrite(y, rewrite), "a rewrite is idempotent");
            assertEquals(untouched(x.sessionLines(), rewrite), untouched(y.sessionLines(), rewrite));
            for (int m = 0; m < x.media().size(); m++) {
                assertEquals(untouched(x.media().get(m).lines(), rewrite),
                        untouched(y.media().get(m).lines(), rewrite));
                assertEquals(x.media().get(m).rtpMaps(), y.media().get(m).rtpMaps());
            }
            if (rewrite.removeIce()) {
                assertFalse(y.hasIce());
            }
        }
    }

    private static List<SdpLine> untouched(List<SdpLine> lines, SdpRewrite r) {
        return lines.stream().filter(l -> l.type() != 'c' && l.type() != 'm'
                && !l.isAttribute(RtcpAttribute.NAME) && !l.isAttribute("rtcp-mux") && MediaDirection.of(l).isEmpty()
                && !(r.removeIce() && IceAttributes.is(l))).toList();
    }
}
