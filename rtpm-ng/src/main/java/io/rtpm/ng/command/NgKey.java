package io.rtpm.ng.command;

import static io.rtpm.ng.command.Support.HONOURED;
import static io.rtpm.ng.command.Support.REFUSED;
import static io.rtpm.ng.command.Support.WARNED;

import java.util.List;
import java.util.Optional;

/**
 * Every dictionary key of rtpengine's ng protocol (docs/ng_control_protocol.md, daemon/call_flags.c
 * {@code call_ng_main_flags}), with the spellings rtpengine accepts and what rtpm does with it.
 * Keys whose values decide (ICE, transport-protocol, DTLS, SDES, codec, replace, rtcp-mux, ...)
 * are {@link Support#HONOURED} here and sorted value by value by {@link NgRequestParser}; rtpm-ng's
 * README lists those values. A key not in this list gets a warning.
 */
public enum NgKey {
    // the offer/answer/delete keys of rtpm serve's issue, and what Kamailio always sends
    CALL_ID(HONOURED, "", "call-id", "call-ID"),
    FROM_TAG(HONOURED, "", "from-tag"),
    TO_TAG(HONOURED, "", "to-tag", "to_tag"),
    VIA_BRANCH(HONOURED, "", "via-branch"),
    SDP(HONOURED, "", "sdp", "SDP"),
    FLAGS(HONOURED, "each flag has its own row", "flags"),
    REPLACE(HONOURED, "values: origin; session-connection (a no-op); the rest warned", "replace"),
    DIRECTION(HONOURED, "two interface names", "direction"),
    FROM_INTERFACE(HONOURED, "the first direction", "from-interface"),
    TO_INTERFACE(HONOURED, "the second direction", "to-interface"),
    LABEL(HONOURED, "", "label", "from-label"),
    DELETE_DELAY(HONOURED, "seconds, 0 or more", "delete-delay", "delete_delay"),
    RECEIVED_FROM(HONOURED, "[IP4|IP6, address]", "received-from"),
    ICE(HONOURED, "values: remove, default; force, force-relay, optional refused", "ICE"),
    TRANSPORT_PROTOCOL(HONOURED, "RTP/AVP, RTP/AVPF, accept; SRTP protocols refused", "transport-protocol"),
    RTCP_MUX(HONOURED, "offer, require, demux, accept, reject", "rtcp-mux", "RTCP-mux"),
    MEDIA_ADDRESS(HONOURED, "an IP address", "media-address"),
    ADDRESS_FAMILY(HONOURED, "IP4, IP6", "address-family"),
    SUPPORTS(HONOURED, "load limit", "supports"),
    SIP_MESSAGE_TYPE(HONOURED, "kept with the command", "sip-message-type", "SIP-message-type",
            "sip_message_type", "SIP_message_type"),
    LIMIT(HONOURED, "list: how many calls, 1 or more", "limit"),
    TOS(HONOURED, "0-255; otherwise the default", "TOS"),
    DTLS(HONOURED, "off, no, disable (rtpm never offers DTLS); other values warned", "DTLS"),
    SDES(HONOURED, "off, no, disable; anything else refused (SRTP)", "SDES"),
    CODEC(HONOURED, "strip, offer, except, ignore warned; transcode, accept, consume, mask, set refused",
            "codec", "codecs"),

    // refused: ignoring them would leave the call without media (SRTP, transcoding)
    OSRTP(REFUSED, "SRTP is not supported yet", "OSRTP"),
    PTIME(REFUSED, "repacketizing needs transcoding", "ptime"),
    PTIME_REVERSE(REFUSED, "repacketizing needs transcoding", "ptime-reverse", "reverse-ptime"),
    REPACKETIZE(REFUSED, "repacketizing needs transcoding", "repacketize"),
    T38(REFUSED, "T.38 gateway needs transcoding", "T.38", "T38"),
    RTPP_FLAGS(REFUSED, "flags parsed by the daemon are not supported: let the SIP proxy's module"
            + " parse them", "rtpp-flags", "rtpp_flags"),

    // accepted with a warning: rtpm does not do this, and the call's media does not need it
    ADDRESS(WARNED, "not supported", "address"),
    ALL(WARNED, "not supported", "all"),
    ALIAS_KEY(WARNED, "from-tag aliases are not supported", "alias-key"),
    AUDIO_PLAYER(WARNED, "no audio player", "audio-player", "player"),
    BLOB(WARNED, "no media player", "blob", "blob64", "db-id", "file", "start-pos", "duration",
            "repeat-times", "repeat-duration"),
    BUNDLE(WARNED, "bundling is not supported", "bundle", "BUNDLE"),
    DELAY_BUFFER(WARNED, "no delay buffer", "delay-buffer"),
    DROP_TRAFFIC(WARNED, "not supported", "drop-traffic"),
    DTLS_OPTIONS(WARNED, "no DTLS", "DTLS-fingerprint", "DTLS-reverse"),
    DTMF(WARNED, "DTMF handling is not supported", "DTMF-delay", "DTMF-log-dest", "DTMF-log-destination",
            "DTMF-security", "DTMF-security-trigger", "DTMF-security-trigger-end", "code", "digit",
            "frequency", "frequencies", "volume", "trigger", "trigger-end", "end-trigger",
            "trigger-end-time", "end-trigger-time", "trigger-end-digits", "end-trigger-digits"),
    ENDPOINT_LEARNING(WARNED, "rtpm learns endpoints its own way", "endpoint-learning"),
    EXTMAP(WARNED, "header extensions pass unchanged", "extmap"),
    GENERATE_RTCP(WARNED, "RTCP passes through", "generate-RTCP"),
    ICE_LITE(WARNED, "no ICE", "ICE-lite"),
    INTERFACE(WARNED, "use direction", "interface", "peer", "inbound-peer", "outbound-peer"),
    INSTANCE(WARNED, "not supported", "instance"),
    MEDIA_ECHO(WARNED, "not supported", "media-echo"),
    MOH(WARNED, "no music on hold", "moh", "MoH", "MOH"),
    MULTI_PARTY(WARNED, "subscriptions are not supported", "from-tags", "to-label", "set-label",
            "to-call-id", "source-tag", "source-call-id", "source-call-ID", "tags", "calls", "media",
            "medias"),
    PASSTHROUGH(WARNED, "not supported", "passthrough", "passthru", "pause"),
    RECORDING(WARNED, "recording is not supported", "record-call", "metadata", "output-destination",
            "output-dest", "output-file", "recording-destination", "recording-dest", "recording-file",
            "recording-path", "recording-dir", "recording-directory", "recording-folder", "output-path",
            "output-dir", "output-directory", "output-folder", "recording-pattern", "output-pattern",
            "recording-media-slot-offer", "recording-media-slot-answer", "recording-media-slots"),
    SDP_MANIPULATION(WARNED, "the SDP passes as rtpm rewrites it", "sdp-attr", "SDP-attr",
            "sdp-media-remove", "SDP-media-remove", "sdp_media_remove", "SDP_media_remove"),
    SIP_CODE(WARNED, "not used", "sip-code", "sip_code", "SIP-code", "SIP_code", "sip-response-code",
            "sip_response_code", "SIP-response-code", "SIP_response_code"),
    T38_VERSION(WARNED, "no T.38", "T.38-version", "T38-version"),
    TEMPLATE(WARNED, "no signalling templates", "template"),
    XMLRPC_CALLBACK(WARNED, "no XMLRPC", "xmlrpc-callback", "XMLRPC-callback");

    private static final KeyTable<NgKey> TABLE = OptionSpec.table(values(), NgKey::spec);

    private final OptionSpec spec;

    NgKey(Support support, String note, String... spellings) {
        this.spec = new OptionSpec(support, note, List.of(spellings));
    }

    /** @return what rtpm does with this key, why, and its spellings */
    public OptionSpec spec() {
        return spec;
    }

    /** @return the key a request's spelling names, if any */
    public static Optional<NgKey> find(String spelling) {
        return TABLE.find(spelling);
    }
}
