package io.rtpm.ng.command;

import java.util.List;
import java.util.Set;

/**
 * The values of keys whose values decide what rtpm does (ICE, transport-protocol, rtcp-mux,
 * replace, SDES, DTLS, supports), each honoured, warned or refused as rtpm-ng's README lists.
 * Spellings as rtpengine's call_flags.c accepts them (space and dash alike).
 */
final class ValueRules {

    private static final KeyTable<String> ICE = new KeyTable<String>()
            .add("remove", "remove").add("default", "default")
            .add("force", "force").add("optional", "optional")
            .add("force-relay", "force-relay", "force_relay")
            .add("warn", "trickle", "ice2", "ICE2", "lite", "lite-no", "lite-off", "lite-none", "no-lite",
                    "lite-fw", "lite-fwd", "lite-forward", "lite-offer", "lite-backward", "lite-backwards",
                    "lite-reverse", "lite-answer", "lite-back", "lite-bkw", "lite-bk", "lite-both");

    private static final Set<String> SRTP_PROTOCOLS = Set.of("RTP/SAVP", "RTP/SAVPF",
            "UDP/TLS/RTP/SAVP", "UDP/TLS/RTP/SAVPF");

    private static final KeyTable<String> REPLACE = new KeyTable<String>()
            .add("origin", "origin").add("session-connection", "session-connection")
            .add("warn", "origin-full", "origin_full", "SDP-version", "session-name", "username",
                    "zero-address", "force-increment-SDP-ver");

    private static final Set<String> OFF = Set.of("off", "no", "disable", "disabled");

    private ValueRules() {
    }

    static void ice(String value, MediaOptions.Builder b, List<String> warnings) throws NgRefusal {
        switch (ICE.find(value).orElse("")) {
            case "remove" -> b.ice = IceOption.REMOVE;
            case "default" -> b.ice = IceOption.DEFAULT;
            case "force", "optional", "force-relay" -> throw new NgRefusal("ICE=" + value
                    + " is not supported: rtpm does not terminate ICE (use ICE=remove)");
            case "warn" -> warnings.add("ICE option '" + value + "' ignored: no ICE");
            default -> warnings.add("unknown ICE option '" + value + "' ignored");
        }
    }

    static void transportProtocol(String value, MediaOptions.Builder b, List<String> warnings)
            throws NgRefusal {
        if (value.equals("accept")) {
            b.acceptProtocol = true;
        } else if (SRTP_PROTOCOLS.contains(value)) {
            throw new NgRefusal("transport-protocol " + value + " is not supported: SRTP is not supported yet");
        } else {
            TransportProtocol.of(value).ifPresentOrElse(p -> b.transportProtocol = java.util.Optional.of(p),
                    () -> warnings.add("unknown transport-protocol '" + value + "' ignored"));
        }
    }

    static void rtcpMux(String value, MediaOptions.Builder b, List<String> warnings) {
        switch (value) {
            case "offer" -> b.rtcpMux.add(RtcpMuxOption.OFFER);
            case "require" -> {
                b.rtcpMux.add(RtcpMuxOption.REQUIRE);
                b.rtcpMux.add(RtcpMuxOption.OFFER);
            }
            case "demux" -> b.rtcpMux.add(RtcpMuxOption.DEMUX);
            case "accept" -> b.rtcpMux.add(RtcpMuxOption.ACCEPT);
            case "reject" -> b.rtcpMux.add(RtcpMuxOption.REJECT);
            default -> warnings.add("unknown rtcp-mux option '" + value + "' ignored");
        }
    }

    static void replace(String value, MediaOptions.Builder b, List<String> warnings) {
        switch (REPLACE.find(value).orElse("")) {
            case "origin" -> b.replaceOrigin = true;
            case "session-connection" -> {
                // a no-op: rtpengine dropped it after 10.5 and always rewrites the session c=
            }
            case "warn" -> warnings.add("replace '" + value + "' ignored: not supported");
            default -> warnings.add("unknown replace option '" + value + "' ignored");
        }
    }

    static void sdes(String value) throws NgRefusal {
        if (!OFF.contains(value)) {
            throw new NgRefusal("SDES " + value + " is not supported: SRTP is not supported yet");
        }
    }

    static void dtls(String value, List<String> warnings) {
        if (!OFF.contains(value)) {
            warnings.add("DTLS " + value + " ignored: no DTLS");
        }
    }

    static void supports(String value, MediaOptions.Builder b, List<String> warnings) {
        if (KeyTable.normal(value).equals("load-limit")) {
            b.loadLimit = true;
        } else {
            warnings.add("unknown 'supports' entry '" + value + "' ignored");
        }
    }
}
