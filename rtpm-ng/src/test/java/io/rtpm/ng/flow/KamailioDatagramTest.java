package io.rtpm.ng.flow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.rtpm.ng.bencode.BencodeDictionary;
import io.rtpm.ng.bencode.BencodeString;
import io.rtpm.ng.bencode.DecodeLimits;
import io.rtpm.ng.cache.Lookup;
import io.rtpm.ng.cache.ReplyCache;
import io.rtpm.ng.command.IceOption;
import io.rtpm.ng.command.NgCommand;
import io.rtpm.ng.command.NgReply;
import io.rtpm.ng.command.NgRequest;
import io.rtpm.ng.command.NgRequestParser;
import io.rtpm.ng.sdp.MediaRewrite;
import io.rtpm.ng.sdp.SdpParser;
import io.rtpm.ng.sdp.SdpRewrite;
import io.rtpm.ng.sdp.SdpRewriter;
import io.rtpm.ng.sdp.SessionDescription;
import io.rtpm.ng.wire.NgCodec;
import io.rtpm.ng.wire.NgMessage;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * One offer datagram exactly as Kamailio 5.6's rtpengine module puts it on the wire for
 * {@code rtpengine_offer("replace-origin ICE=remove trust-address")} on SIPp's uac INVITE
 * (src/modules/rtpengine/rtpengine.c: gencookie's {@code <server_id>_<rand>_<seq> }, then the
 * dictionary in the order rtpp_function_call adds its keys), through every piece in this module:
 * framing, the reply cache, the parser, the SDP rewrite a relay would do, the reply, and a
 * retransmission answered from the cache.
 */
class KamailioDatagramTest {

    private static final String SDP = "v=0\r\no=user1 53655765 2353687637 IN IP4 127.0.0.1\r\ns=-\r\n"
            + "c=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 6000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";

    private static String s(String v) {
        return v.getBytes(StandardCharsets.UTF_8).length + ":" + v;
    }

    private static final String DATAGRAM = "0_1804289383_7 d"
            + s("supports") + "l" + s("load limit") + "e"
            + s("sdp") + s(SDP)
            + s("ICE") + s("remove")
            + s("replace") + "l" + s("origin") + "e"
            + s("received-from") + "l" + s("IP4") + s("127.0.0.1") + "e"
            + s("call-id") + s("1-12345@127.0.0.1")
            + s("from-tag") + s("12345SIPpTag001")
            + s("command") + s("offer")
            + s("flags") + "l" + s("trust-address") + "e"
            + "e";

    @Test
    void anOfferFromKamailioGoesThroughAndItsRetransmissionIsAnsweredFromTheCache() throws Exception {
        NgCodec codec = new NgCodec(DecodeLimits.NG);
        ReplyCache cache = ReplyCache.standard();
        byte[] datagram = DATAGRAM.getBytes(StandardCharsets.UTF_8);

        NgMessage m = codec.decode(datagram);
        Lookup.Run run = assertInstanceOf(Lookup.Run.class, cache.lookup(m.cookie()));
        NgRequest req = NgRequestParser.parse(m.body());
        assertEquals(Optional.empty(), req.warning());
        NgCommand.Offer offer = assertInstanceOf(NgCommand.Offer.class, req.command());
        assertEquals("1-12345@127.0.0.1", offer.call().callId());
        assertEquals(IceOption.REMOVE, offer.media().ice());

        // what the engine will do with it: point the SDP at the relay's interface and port
        SessionDescription sdp = SdpParser.parse(offer.media().sdp());
        SdpRewrite.Builder rw = SdpRewrite.builder().connection("IP4", "192.0.2.10")
                .media(0, MediaRewrite.ports(30000));
        if (offer.media().replaceOrigin()) {
            rw.origin("IP4", "192.0.2.10");
        }
        SessionDescription out = SdpRewriter.rewrite(sdp, rw.build());
        BencodeDictionary reply = NgReply.ok(req.warning())
                .put(BencodeString.of("sdp"), BencodeString.of(out.toBytes())).build();
        byte[] wire = codec.encodeReply(m.cookie(), m.format(), reply);
        run.pending().complete(wire);

        String expectedSdp = "v=0\r\no=user1 53655765 2353687637 IN IP4 192.0.2.10\r\ns=-\r\n"
                + "c=IN IP4 192.0.2.10\r\nt=0 0\r\nm=audio 30000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
        assertEquals("0_1804289383_7 d6:result2:ok3:sdp" + s(expectedSdp) + "e",
                new String(wire, StandardCharsets.UTF_8));

        // Kamailio resends the same bytes after 1 s: the cached reply, byte for byte
        Lookup.Replay replay = assertInstanceOf(Lookup.Replay.class, cache.lookup(codec.decode(datagram).cookie()));
        assertArrayEquals(wire, replay.reply().getNow(null));
    }
}
