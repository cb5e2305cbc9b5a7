package io.rtpm.ng.command;

import static io.rtpm.ng.command.Support.HONOURED;
import static io.rtpm.ng.command.Support.REFUSED;
import static io.rtpm.ng.command.Support.WARNED;

import java.util.List;
import java.util.Optional;

/**
 * Every entry of rtpengine's {@code flags} list (docs/ng_control_protocol.md, daemon/call_flags.c
 * {@code call_ng_flags_flags}), with its spellings and what rtpm does with it. Kamailio puts every
 * word of a script's flags that it does not know itself into this list, so an unknown flag gets a
 * warning, as in rtpengine, never an error. Prefixed flags ({@code SDES-...}, {@code codec-strip-...})
 * are {@link NgFlagPrefix}.
 */
public enum NgFlag {
    // honoured
    TRUST_ADDRESS(HONOURED, "the SDP's addresses (the default)", "trust-address"),
    SIP_SOURCE_ADDRESS(HONOURED, "received-from's address instead of the SDP's", "SIP-source-address"),
    SYMMETRIC(HONOURED, "the default", "symmetric"),
    ASYMMETRIC(HONOURED, "no endpoint learning", "asymmetric"),
    STRICT_SOURCE(HONOURED, "drop packets from other sources", "strict-source"),
    MEDIA_HANDOVER(HONOURED, "follow a new source", "media-handover"),
    LOOP_PROTECT(HONOURED, "a=rtpengine marker, SDP left alone when seen", "loop-protect"),
    REJECT_ICE(HONOURED, "ICE removed", "reject-ICE", "ICE-reject"),
    ORIGINAL_SENDRECV(HONOURED, "direction attributes pass unchanged", "original-sendrecv"),
    FATAL(HONOURED, "delete: an unknown call is an error", "fatal"),
    FAST(HONOURED, "delete: no stats in the reply", "fast"),
    TO_TAG(HONOURED, "delete: honour to-tag", "to-tag", "to_tag"),

    // refused
    ALWAYS_TRANSCODE(REFUSED, "transcoding is not supported", "always-transcode"),
    FORCE_TRANSCODING(REFUSED, "transcoding is not supported", "force-transcoding"),
    ALLOW_TRANSCODING(REFUSED, "transcoding is not supported", "allow-transcoding"),
    PAD_CRYPTO(REFUSED, "SRTP is not supported yet", "pad-crypto"),
    RECRYPT(REFUSED, "SRTP is not supported yet", "recrypt"),
    WEBRTC(REFUSED, "WebRTC needs ICE and DTLS-SRTP", "WebRTC", "webRTC", "WebRtc"),
    FRAGMENT(REFUSED, "trickle ICE fragments are not supported", "fragment"),

    // accepted with a warning
    ALL(WARNED, "not supported", "all"),
    ASYMMETRIC_CODECS(WARNED, "codecs pass unchanged", "allow-asymmetric-codecs", "allow-asymmetric-codec",
            "asymmetric-codecs", "symmetric-codecs", "allow-no-codec-media", "allow-no-codec-medias",
            "allow-empty-codec-media", "allow-empty-codec-medias", "reorder-codecs", "single-codec",
            "static-codecs", "static-codec", "reuse-codecs", "no-codec-renegotiation"),
    DTMF(WARNED, "DTMF handling is not supported", "block-DTMF", "detect-DTMF", "inject-DTMF"),
    RECORDING(WARNED, "recording is not supported", "record-call", "discard-recording", "exclude-recording",
            "skip-recording-db", "skip-recording-database", "recording-vsc", "recording-VSC",
            "recording-announcement", "SIPREC"),
    PLAYER(WARNED, "no media player", "block-egress", "early-media", "no-player", "no-audio-player"),
    SUBSCRIPTIONS(WARNED, "subscriptions are not supported", "bidirectional", "directional", "egress",
            "inactive", "mix", "mixed", "mirror-RTCP", "RTCP-mirror", "unsubscribe"),
    RTCP_ATTRIBUTES(WARNED, "a=rtcp is kept as rtpm rewrites it", "full-rtcp-attribute", "no-rtcp-attribute"),
    GENERATE(WARNED, "not supported", "generate-mid", "generate-RTCP", "strip-extmap", "no-tls-id"),
    LATCHING(WARNED, "rtpm keeps its ports", "port-latching", "no-port-latching"),
    NAT(WARNED, "not supported", "NAT-wait", "pierce-NAT"),
    BRANCHES(WARNED, "not supported", "new-branch", "provisional", "reset"),
    TRICKLE_ICE(WARNED, "no ICE", "trickle-ICE"),
    MISC(WARNED, "not supported", "block-short", "block-shorts", "block-short-packets", "debug", "debugging",
            "no-passthrough", "passthrough", "no-redis-update", "no-jitter-buffer", "unidirectional");

    private static final KeyTable<NgFlag> TABLE = OptionSpec.table(values(), NgFlag::spec);

    private final OptionSpec spec;

    NgFlag(Support support, String note, String... spellings) {
        this.spec = new OptionSpec(support, note, List.of(spellings));
    }

    /** @return what rtpm does with this flag, why, and its spellings */
    public OptionSpec spec() {
        return spec;
    }

    /** @return the flag a request's spelling names, if any */
    public static Optional<NgFlag> find(String spelling) {
        return TABLE.find(spelling);
    }
}
