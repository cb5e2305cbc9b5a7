package io.rtpm.ng.sdp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class SdpRewriterTest {

    private static String text(SessionDescription s) {
        return new String(s.toBytes(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void pointsTheSippOfferAtTheRelayAndChangesNothingElse() throws SdpException {
        SessionDescription in = SdpParser.parse(Fixtures.sdp("sipp-uac-offer.sdp"));
        SessionDescription out = SdpRewriter.rewrite(in, SdpRewrite.builder()
                .connection("IP4", "192.0.2.10").media(0, MediaRewrite.ports(30000)).build());
        assertArrayEquals(Fixtures.crlf("""
                v=0
                o=user1 53655765 2353687637 IN IP4 127.0.0.1
                s=-
                c=IN IP4 192.0.2.10
                t=0 0
                m=audio 30000 RTP/AVP 0
                a=rtpmap:0 PCMU/8000
                """), out.toBytes(), text(out));
    }

    @Test
    void replacesTheOriginsAddressOnlyWhenAsked() throws SdpException {
        SessionDescription in = SdpParser.parse(Fixtures.sdp("sipp-uac-offer.sdp"));
        SessionDescription out = SdpRewriter.rewrite(in, SdpRewrite.builder()
                .origin("IP6", "2001:db8::10").build());
        assertEquals(new Origin("user1", "53655765", "2353687637", "IN", "IP6", "2001:db8::10"), out.origin());
        assertEquals(in.connection(), out.connection());
    }

    @Test
    void rewritesEveryConnectionAndLeavesDisabledStreamsAlone() throws SdpException {
        SessionDescription in = SdpParser.parse(Fixtures.sdp("rfc3264-hold.sdp"));
        SessionDescription out = SdpRewriter.rewrite(in, SdpRewrite.builder()
                .connection("IP4", "192.0.2.10").media(0, MediaRewrite.ports(30000)).build());
        assertEquals(Fixtures.crlf("""
                v=0
                o=alice 2890844526 2890844527 IN IP4 host.atlanta.example.com
                s=
                c=IN IP4 192.0.2.10
                t=0 0
                m=audio 30000 RTP/AVP 0 8 97
                a=rtpmap:0 PCMU/8000
                a=rtpmap:8 PCMA/8000
                a=rtpmap:97 iLBC/8000
                a=sendonly
                m=video 0 RTP/AVP 31
                a=rtpmap:31 H261/90000
                """).length, out.toBytes().length, text(out));
        assertEquals(MediaDirection.SENDONLY, out.directionOf(0));
        assertEquals(in.media().get(1), out.media().get(1));
        SessionDescription mediaLevel = SdpRewriter.rewrite(SdpParser.parse(Fixtures.sdp("rfc8866-example.sdp")),
                SdpRewrite.builder().connection("IP4", "192.0.2.10").build());
        assertEquals(Optional.of(Connection.internet("IP4", "192.0.2.10")), mediaLevel.connectionOf(2));
    }

    @Test
    void removesIceAndRewritesTheFullRtcpAttribute() throws SdpException {
        SessionDescription in = SdpParser.parse(Fixtures.sdp("ice-rtcp-crypto.sdp"));
        SessionDescription out = SdpRewriter.rewrite(in, SdpRewrite.builder().removeIce()
                .connection("IP4", "192.0.2.10").media(0, MediaRewrite.ports(30000)).build());
        assertFalse(out.hasIce());
        assertEquals(Optional.of(new RtcpAttribute(30001, Optional.of(Connection.internet("IP4", "192.0.2.10")))),
                out.media().get(0).rtcp());
        assertEquals(in.media().get(0).cryptos(), out.media().get(0).cryptos());
        assertEquals(Fixtures.crlf("""
                v=0
                o=jdoe 2890844526 2890842807 IN IP4 203.0.113.141
                s=-
                c=IN IP4 192.0.2.10
                t=0 0
                m=audio 30000 RTP/SAVP 0 101
                b=RS:0
                b=RR:0
                a=rtpmap:0 PCMU/8000
                a=rtpmap:101 telephone-event/8000
                a=fmtp:101 0-15
                a=rtcp:30001 IN IP4 192.0.2.10
                a=rtcp-mux
                a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:32
                """).length, out.toBytes().length, text(out));
    }

    @Test
    void setsDirectionProtocolAndAnRtcpPortThatIsNotRtpPlusOne() throws SdpException {
        SessionDescription in = SdpParser.parse(Fixtures.sdp("softphone-via-kamailio.sdp"));
        SessionDescription out = SdpRewriter.rewrite(in, SdpRewrite.builder().media(0,
                new MediaRewrite(30000, OptionalInt.of(30011), Optional.of(MediaDirection.INACTIVE),
                        Optional.of("RTP/AVPF"), Optional.empty())).build());
        String s = text(out);
        assertEquals(MediaDirection.INACTIVE, out.directionOf(0));
        assertEquals("RTP/AVPF", out.media().get(0).media().protocol());
        assertEquals(Optional.of(new RtcpAttribute(30011, Optional.empty())), out.media().get(0).rtcp());
        assertEquals(-1, s.indexOf("sendrecv"), s);
        SessionDescription sipp = SdpRewriter.rewrite(SdpParser.parse(Fixtures.sdp("sipp-uac-offer.sdp")),
                SdpRewrite.builder().media(0, MediaRewrite.ports(30000).withDirection(MediaDirection.SENDONLY)).build());
        assertEquals(new SdpLine('a', "sendonly", "\r\n"), sipp.media().get(0).lines().getLast());
    }

    @Test
    void addsAndRemovesRtcpMux() throws SdpException {
        SessionDescription ice = SdpParser.parse(Fixtures.sdp("ice-rtcp-crypto.sdp"));
        SessionDescription demuxed = SdpRewriter.rewrite(ice, SdpRewrite.builder()
                .media(0, MediaRewrite.ports(30000).withRtcpMux(false)).build());
        assertFalse(demuxed.media().get(0).rtcpMux());
        assertEquals(Optional.of(new RtcpAttribute(30001, Optional.of(Connection.internet("IP4", "192.0.2.3")))),
                demuxed.media().get(0).rtcp());
        SessionDescription muxed = SdpRewriter.rewrite(SdpParser.parse(Fixtures.sdp("sipp-uac-offer.sdp")),
                SdpRewrite.builder().media(0, MediaRewrite.ports(30000).withRtcpMux(true)).build());
        assertEquals(new SdpLine('a', "rtcp-mux", "\r\n"), muxed.media().get(0).lines().getLast());
        assertEquals(Optional.empty(), muxed.media().get(0).rtcp(), "muxed: no a=rtcp of its own");
        SessionDescription again = SdpRewriter.rewrite(muxed, SdpRewrite.builder()
                .media(0, MediaRewrite.ports(30000).withRtcpMux(true)).build());
        assertEquals(muxed, again, "one a=rtcp-mux, however often");
    }

    @Test
    void keepsLineEndingsOfTheLinesItChanges() throws SdpException {
        byte[] lf = "v=0\no=- 1 1 IN IP4 h\ns=-\nc=IN IP4 h\nt=0 0\nm=audio 5000 RTP/AVP 0\n"
                .getBytes(StandardCharsets.ISO_8859_1);
        SessionDescription out = SdpRewriter.rewrite(SdpParser.parse(lf), SdpRewrite.builder()
                .connection("IP4", "10.1.1.1").media(0, MediaRewrite.ports(6000)).build());
        assertEquals("v=0\no=- 1 1 IN IP4 h\ns=-\nc=IN IP4 10.1.1.1\nt=0 0\nm=audio 6000 RTP/AVP 0\n", text(out));
    }

    @Test
    void endsALastLineWithoutEndingBeforeAddingOne() throws SdpException {
        // found by SdpFuzzTest: an added direction merged into a last line that had no CRLF
        byte[] body = "v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nc=IN IP4 h\r\nm=audio 5000 RTP/AVP 0"
                .getBytes(StandardCharsets.ISO_8859_1);
        SessionDescription out = SdpRewriter.rewrite(SdpParser.parse(body), SdpRewrite.builder()
                .media(0, MediaRewrite.ports(6000).withDirection(MediaDirection.RECVONLY)).build());
        assertEquals("v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nc=IN IP4 h\r\nm=audio 6000 RTP/AVP 0\r\na=recvonly\r\n",
                text(out));
        assertEquals(out, SdpParser.parse(out.toBytes()));
    }

    @Test
    void givesAConnectionToADisabledStreamItEnables() throws SdpException {
        // found by SdpFuzzTest: port 0 without c= (no session c=) given a port stayed without one
        byte[] body = Fixtures.crlf("v=0\no=- 1 1 IN IP4 h\ns=-\nt=0 0\nm=audio 4000 RTP/AVP 0\nc=IN IP4 h\n"
                + "m=video 0 RTP/AVP 31\ni=camera");
        SessionDescription in = SdpParser.parse(body); // its last line has no CRLF
        SessionDescription out = SdpRewriter.rewrite(in, SdpRewrite.builder().connection("IP4", "192.0.2.10")
                .media(1, MediaRewrite.ports(30002)).build());
        assertEquals(List.of(new SdpLine('m', "video 30002 RTP/AVP 31", "\r\n"), new SdpLine('i', "camera", "\r\n"),
                new SdpLine('c', "IN IP4 192.0.2.10", "\r\n")), out.media().get(1).lines());
        assertEquals(out, SdpParser.parse(out.toBytes()));
        assertThrows(IllegalArgumentException.class, () -> SdpRewriter.rewrite(in,
                SdpRewrite.builder().media(1, MediaRewrite.ports(30002)).build()));
    }

    @Test
    void refusesARewriteOfAStreamTheBodyDoesNotHave() throws SdpException {
        SessionDescription in = SdpParser.parse(Fixtures.sdp("sipp-uac-offer.sdp"));
        assertThrows(IllegalArgumentException.class, () -> SdpRewriter.rewrite(in,
                SdpRewrite.builder().media(1, MediaRewrite.ports(4000)).build()));
    }
}
