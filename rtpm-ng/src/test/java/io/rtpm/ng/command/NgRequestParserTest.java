package io.rtpm.ng.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rtpm.ng.bencode.BencodeDictionary;
import io.rtpm.ng.bencode.BencodeInteger;
import io.rtpm.ng.bencode.BencodeList;
import io.rtpm.ng.bencode.BencodeString;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NgRequestParserTest {

    private static NgRequest parse(BencodeDictionary d) throws NgRefusal {
        return NgRequestParser.parse(d);
    }

    private static String refusal(BencodeDictionary d) {
        return assertThrows(NgRefusal.class, () -> NgRequestParser.parse(d)).getMessage();
    }

    /**
     * What Kamailio 5.6's rtpengine module sends for rtpengine_offer("replace-origin
     * replace-session-connection ICE=remove RTP/AVP rtcp-mux-demux trust-address
     * direction=internal direction=external label=caller") (src/modules/rtpengine/rtpengine.c,
     * parse_flags and rtpp_function_call): ICE=remove as a string key, the rest as lists.
     */
    @Test
    void honoursAKamailioOfferWithoutAWarning() throws Exception {
        NgRequest r = parse(Requests.offer(
                "supports", new String[] {"load limit"},
                "ICE", "remove",
                "label", "caller",
                "direction", new String[] {"internal", "external"},
                "replace", new String[] {"origin", "session-connection"},
                "transport-protocol", "RTP/AVP",
                "rtcp-mux", new String[] {"demux"},
                "received-from", new String[] {"IP4", "10.0.0.7"},
                "via-branch", "z9hG4bK776asdhds",
                "sip-message-type", "sip_request",
                "flags", new String[] {"trust-address"}));
        assertEquals(List.of(), r.warnings());
        NgCommand.Offer o = assertInstanceOf(NgCommand.Offer.class, r.command());
        assertEquals(new CallRef("c1@host", Optional.of("ft1"), Optional.empty(), Optional.of("z9hG4bK776asdhds")),
                o.call());
        MediaOptions m = o.media();
        assertArrayEquals(Requests.SDP.getBytes(StandardCharsets.ISO_8859_1), m.sdp());
        assertEquals(IceOption.REMOVE, m.ice());
        assertTrue(m.replaceOrigin());
        assertTrue(m.loadLimit());
        assertEquals(List.of("internal", "external"), m.direction());
        assertEquals(Optional.of("caller"), m.label());
        assertEquals(Optional.of(TransportProtocol.RTP_AVP), m.transportProtocol());
        assertEquals(Set.of(RtcpMuxOption.DEMUX), m.rtcpMux());
        assertEquals(Optional.of(new ReceivedFrom(Optional.of(AddressFamily.IP4), InetAddress.ofLiteral("10.0.0.7"))),
                m.receivedFrom());
        assertEquals(AddressTrust.TRUST_ADDRESS, m.trust());
        assertEquals(Optional.of("sip_request"), m.sipMessageType());
    }

    @Test
    void matchesKeysAndFlagsAsRtpengineDoes() throws Exception {
        // the ng docs' own example spells keys with spaces; Kamailio with dashes
        NgCommand.Offer o = (NgCommand.Offer) parse(Requests.offer(
                "address family", "IP6", "transport protocol", "RTP/AVPF", "media address", "2001:db8::6f24:65b",
                "ice", "remove", "RTCP mux", new String[] {"require"},
                "flags", new String[] {"SIP source address", "strict-source", "media handover", "asymmetric",
                    "loop protect", "reject ice", "original sendrecv"})).command();
        MediaOptions m = o.media();
        assertEquals(Optional.of(AddressFamily.IP6), m.addressFamily());
        assertEquals(Optional.of(TransportProtocol.RTP_AVPF), m.transportProtocol());
        assertEquals(Optional.of(InetAddress.ofLiteral("2001:db8::6f24:65b")), m.mediaAddress());
        assertEquals(IceOption.REMOVE, m.ice());
        assertEquals(Set.of(RtcpMuxOption.REQUIRE, RtcpMuxOption.OFFER), m.rtcpMux());
        assertEquals(AddressTrust.SIP_SOURCE_ADDRESS, m.trust());
        assertTrue(m.strictSource() && m.mediaHandover() && m.asymmetric() && m.loopProtect()
                && m.rejectIce() && m.originalSendrecv());
        // case matters beyond the all-lower-case form, as in rtpengine: "Ice" is not "ICE"
        NgRequest mixed = parse(Requests.offer("Ice", "remove", "flags", new String[] {"Trust-Address"}));
        assertEquals(IceOption.DEFAULT, ((NgCommand.Offer) mixed.command()).media().ice());
        assertEquals(List.of("unknown key 'Ice' ignored", "unknown flag 'Trust-Address' ignored"), mixed.warnings());
    }

    @Test
    void readsPrefixedFlagsAsTheirKeys() throws Exception {
        MediaOptions m = ((NgCommand.Offer) parse(Requests.offer("flags",
                new String[] {"replace-origin", "rtcp-mux-offer", "SDES-off"})).command()).media();
        assertTrue(m.replaceOrigin());
        assertEquals(Set.of(RtcpMuxOption.OFFER), m.rtcpMux());
    }

    @Test
    void answersNeedAToTag() throws Exception {
        assertEquals("answer needs key 'to-tag'", refusal(Requests.of("command", "answer", "call-id", "c",
                "from-tag", "f", "sdp", Requests.SDP)));
        NgCommand.Answer a = (NgCommand.Answer) parse(Requests.of("command", "answer", "call-id", "c",
                "from-tag", "f", "to-tag", "t", "sdp", Requests.SDP)).command();
        assertEquals(Optional.of("t"), a.call().toTag());
    }

    @Test
    void refusesMissingAndIllTypedKeys() {
        assertEquals("offer needs key 'sdp'", refusal(Requests.of("command", "offer", "call-id", "c", "from-tag", "f")));
        assertEquals("offer needs key 'call-id'", refusal(Requests.of("command", "offer", "from-tag", "f",
                "sdp", Requests.SDP)));
        assertEquals("offer needs key 'from-tag'", refusal(Requests.of("command", "offer", "call-id", "c",
                "sdp", Requests.SDP)));
        assertEquals("delete needs key 'from-tag'", refusal(Requests.of("command", "delete", "call-id", "c")));
        assertEquals("query needs key 'call-id'", refusal(Requests.of("command", "query")));
        assertEquals("key 'call-id' must be a string, not a list", refusal(Requests.offer("call-id",
                new String[] {"x"})));
        assertEquals("key 'sdp' must be a string, not an integer", refusal(Requests.offer("sdp", 5)));
        assertEquals("key 'TOS' must be an integer, not 'high'", refusal(Requests.offer("TOS", "high")));
        assertEquals("key 'received-from': '10.0.0' is not an IP address",
                refusal(Requests.offer("received-from", new String[] {"IP4", "10.0.0"})));
        assertEquals("key 'media-address': 'example.com' is not an IP address",
                refusal(Requests.offer("media-address", "example.com")));
        assertEquals("key 'received-from': address family 'IPX' is not IP4 or IP6",
                refusal(Requests.offer("received-from", new String[] {"IPX", "10.0.0.1"})));
    }

    @Test
    void refusesUnknownAndUnsupportedCommands() {
        assertEquals("Unrecognized command 'offerr'", refusal(Requests.of("command", "offerr")));
        assertEquals("Unrecognized command 'Offer'", refusal(Requests.of("command", "Offer")));
        assertEquals("command 'block DTMF' is not supported by rtpm", refusal(Requests.of("command", "block DTMF")));
        assertEquals("Dictionary contains no key \"command\"", refusal(Requests.of("call-id", "x")));
        assertEquals("key 'command' must be a string, not an integer", refusal(Requests.of("command", 1)));
    }

    @Test
    void refusesWhatWouldLeaveTheCallWithoutMedia() {
        assertEquals("transport-protocol RTP/SAVP is not supported: SRTP is not supported yet",
                refusal(Requests.offer("transport-protocol", "RTP/SAVP")));
        assertEquals("transport-protocol UDP/TLS/RTP/SAVPF is not supported: SRTP is not supported yet",
                refusal(Requests.offer("transport protocol", "UDP/TLS/RTP/SAVPF")));
        assertEquals("SDES no-AES_CM_128_HMAC_SHA1_32 is not supported: SRTP is not supported yet",
                refusal(Requests.offer("flags", new String[] {"SDES-no-AES_CM_128_HMAC_SHA1_32"})));
        assertEquals("key 'OSRTP' is not supported: SRTP is not supported yet",
                refusal(Requests.offer("OSRTP", new String[] {"offer"})));
        assertEquals("flag 'OSRTP-accept' is not supported: SRTP is not supported yet",
                refusal(Requests.offer("flags", new String[] {"OSRTP-accept"})));
        assertEquals("flag 'codec-transcode-PCMA' is not supported: transcoding is not supported",
                refusal(Requests.offer("flags", new String[] {"codec-transcode-PCMA"})));
        assertEquals("flag 'always transcode' is not supported: transcoding is not supported",
                refusal(Requests.offer("flags", new String[] {"always transcode"})));
        assertEquals("codec transcode is not supported: transcoding is not supported",
                refusal(Requests.offer("codec", Requests.of("transcode", new String[] {"G722"}))));
        assertEquals("key 'ptime' is not supported: repacketizing needs transcoding",
                refusal(Requests.offer("ptime", 30)));
        assertEquals("key 'T.38' is not supported: T.38 gateway needs transcoding",
                refusal(Requests.offer("T.38", new String[] {"decode"})));
        assertEquals("ICE=force is not supported: rtpm does not terminate ICE (use ICE=remove)",
                refusal(Requests.offer("ICE", "force")));
        assertEquals("ICE=force relay is not supported: rtpm does not terminate ICE (use ICE=remove)",
                refusal(Requests.offer("ICE", "force relay")));
        assertEquals("flag 'WebRTC' is not supported: WebRTC needs ICE and DTLS-SRTP",
                refusal(Requests.offer("flags", new String[] {"WebRTC"})));
        assertTrue(refusal(Requests.offer("rtpp-flags", "replace-origin ICE=remove"))
                .startsWith("key 'rtpp-flags' is not supported: flags parsed by the daemon"));
    }

    @Test
    void acceptsWithAWarningWhatItDoesNotDo() throws Exception {
        NgRequest r = parse(Requests.offer("record call", "yes",
                "flags", new String[] {"my-script-word", "record-call", "codec-strip-PCMA", "trickle ICE"},
                "codec", Requests.of("strip", new String[] {"G729"}),
                "replace", new String[] {"username"},
                "ICE", new String[] {"remove", "trickle"},
                "DTLS", "passive", "SDES", "off", "x-custom", "1"));
        assertEquals(List.of(
                "key 'record call' ignored: recording is not supported",
                "unknown flag 'my-script-word' ignored",
                "flag 'record-call' ignored: recording is not supported",
                "flag 'codec-strip-PCMA' ignored: codecs pass unchanged",
                "flag 'trickle ICE' ignored: no ICE",
                "codec strip ignored: codecs pass unchanged",
                "replace 'username' ignored: not supported",
                "ICE option 'trickle' ignored: no ICE",
                "DTLS passive ignored: no DTLS",
                "unknown key 'x-custom' ignored"), r.warnings());
        assertEquals(Optional.of(String.join("; ", r.warnings())), r.warning());
        assertEquals(IceOption.REMOVE, ((NgCommand.Offer) r.command()).media().ice());
    }

    @Test
    void readsFlagsGivenAsACommaSeparatedStringAndSkipsNonStrings() throws Exception {
        NgRequest r = parse(Requests.offer("flags", "strict-source,asymmetric"));
        MediaOptions m = ((NgCommand.Offer) r.command()).media();
        assertTrue(m.strictSource() && m.asymmetric());
        NgRequest mixed = parse(Requests.offer("flags", BencodeList.of(BencodeString.of("fatal"), new BencodeInteger(3))));
        assertEquals(List.of("an integer in 'flags' ignored (strings only)"), mixed.warnings());
    }

    @Test
    void readsDeleteAsKamailioSendsIt() throws Exception {
        // Kamailio: rtpengine_delete("to-tag delete-delay=0") -> flags [to-tag], "delete delay" 0
        NgCommand.Delete d = (NgCommand.Delete) parse(Requests.of("command", "delete", "call-id", "c",
                "from-tag", "f", "to-tag", "t", "delete delay", 0, "flags", new String[] {"to-tag", "fatal", "fast"}))
                .command();
        assertTrue(d.fatal() && d.fast() && d.honourToTag());
        assertEquals(OptionalInt.of(0), d.deleteDelay());
        assertEquals(Optional.of("t"), d.call().toTag());
        NgCommand.Delete plain = (NgCommand.Delete) parse(Requests.of("command", "delete", "call-id", "c",
                "from-tag", "f")).command();
        assertFalse(plain.fatal() || plain.fast() || plain.honourToTag());
        assertEquals(OptionalInt.empty(), plain.deleteDelay());
        assertEquals("key 'delete-delay' must be 0 or more, not -1", refusal(Requests.of("command", "delete",
                "call-id", "c", "from-tag", "f", "delete-delay", -1)));
    }

    @Test
    void readsPingQueryListAndStatistics() throws Exception {
        assertEquals(new NgCommand.Ping(), parse(Requests.of("command", "ping")).command());
        assertEquals(new NgCommand.Statistics(), parse(Requests.of("command", "statistics")).command());
        assertEquals(new NgCommand.Query(new CallRef("c", Optional.empty(), Optional.empty(), Optional.empty())),
                parse(Requests.of("command", "query", "call-id", "c")).command());
        assertEquals(new NgCommand.ListCalls(32), parse(Requests.of("command", "list")).command());
        assertEquals(new NgCommand.ListCalls(5), parse(Requests.of("command", "list", "limit", 5)).command());
        assertEquals("key 'limit' must be 1 or more, not 0", refusal(Requests.of("command", "list", "limit", 0)));
    }

    @Test
    void keepsTosOnlyInRangeAsRtpengineDoes() throws Exception {
        assertEquals(OptionalInt.of(184), ((NgCommand.Offer) parse(Requests.offer("TOS", "184")).command()).media().tos());
        assertEquals(OptionalInt.empty(), ((NgCommand.Offer) parse(Requests.offer("TOS", 300)).command()).media().tos());
    }

    @Test
    void buildsRepliesAsRtpengineWritesThem() {
        assertEquals(Requests.of("result", "error", "error-reason", "x"), NgReply.error("x"));
        assertEquals(Requests.of("result", "pong"), NgReply.pong());
        assertEquals(Requests.of("result", "load limit", "message", "m"), NgReply.loadLimit("m"));
        assertEquals(Requests.of("result", "ok", "warning", "w"), NgReply.ok(Optional.of("w")).build());
        assertEquals(Requests.of("result", "ok"), NgReply.ok(Optional.empty()).build());
    }
}
