package io.rtpm.ng.sdp;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * Coverage-guided fuzzing (Jazzer) of {@link SdpParser} and {@link SdpRewriter}: any input either
 * parses or throws {@link SdpException}; what parses must write back byte for byte, and a rewrite
 * of every stream (connection, ports, direction, ICE removal, origin) must parse again.
 *
 * <p>In a plain {@code mvn test} this replays the seeds under
 * {@code src/test/resources/io/rtpm/ng/sdp/SdpFuzzTestInputs/parse}; the {@code fuzz-sdp}
 * surefire execution of rtpm-ng/pom.xml fuzzes it with {@code JAZZER_FUZZ=1} for {@code maxDuration}.
 */
class SdpFuzzTest {

    @FuzzTest(maxDuration = "3s")
    void parse(byte[] data) {
        final SessionDescription s;
        try {
            s = SdpParser.parse(data);
        } catch (SdpException e) {
            return;
        }
        if (!Arrays.equals(data, s.toBytes())) {
            throw new AssertionError("parse then write changed the body");
        }
        s.origin();
        s.hasIce();
        final SdpRewrite.Builder b = SdpRewrite.builder().connection("IP6", "2001:db8::1")
                .origin("IP6", "2001:db8::1").removeIce();
        for (int i = 0; i < s.media().size(); i++) {
            final MediaDescription m = s.media().get(i);
            m.media();
            m.rtcp();
            m.rtpMaps();
            m.cryptos();
            s.directionOf(i);
            b.media(i, MediaRewrite.ports(2000 + 2 * i).withDirection(MediaDirection.RECVONLY).withRtcpMux(i % 2 == 0));
        }
        try {
            final SessionDescription r = SdpRewriter.rewrite(s, b.build());
            if (!SdpParser.parse(r.toBytes()).equals(r)) {
                throw new AssertionError("a rewritten body parses differently");
            }
        } catch (SdpException e) {
            throw new AssertionError("a rewritten body does not parse: " + e.getMessage(), e);
        }
    }
}
