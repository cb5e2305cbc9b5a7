package io.rtpm.ng.command;

import static io.rtpm.ng.command.Support.HONOURED;
import static io.rtpm.ng.command.Support.REFUSED;
import static io.rtpm.ng.command.Support.WARNED;

import java.util.List;
import java.util.Optional;

/**
 * The {@code flags} entries that carry a value after a prefix, as rtpengine's call_flags.c reads
 * them: {@code replace-origin} is {@code replace: [origin]}, {@code SDES-off} is
 * {@code SDES: [off]}. Matched case-sensitively on the prefix, as rtpengine does.
 */
public enum NgFlagPrefix {
    /** Same as an entry of the {@code replace} list. */
    REPLACE(HONOURED, "as the replace key", "replace-"),
    /** Same as an entry of the {@code rtcp-mux} list. */
    RTCP_MUX(HONOURED, "as the rtcp-mux key", "rtcp-mux-"),
    /** Same as an entry of the {@code SDES} list. */
    SDES(HONOURED, "as the SDES key", "SDES-"),
    /** Changes the SRTP offer. */
    OSRTP(REFUSED, "SRTP is not supported yet", "OSRTP-"),
    /** Transcoding. */
    TRANSCODE(REFUSED, "transcoding is not supported", "transcode-", "codec-transcode-", "codec-mask-",
            "codec-accept-", "codec-consume-", "codec-set-", "T38-", "T.38-"),
    /** Codec manipulation without transcoding. */
    CODEC(WARNED, "codecs pass unchanged", "codec-strip-", "codec-offer-", "codec-except-",
            "codec-ignore-"),
    /** Other options given as flags. */
    OTHER(WARNED, "not supported", "endpoint-learning-", "from-tags-", "BUNDLE-", "sdp-attr-add-",
            "sdp-attr-remove-", "sdp-attr-substitute-");

    private final OptionSpec spec;

    NgFlagPrefix(Support support, String note, String... prefixes) {
        this.spec = new OptionSpec(support, note, List.of(prefixes));
    }

    /** @return what rtpm does with flags of this prefix (for SDES, the value decides), and the prefixes */
    public OptionSpec spec() {
        return spec;
    }

    /** A flag split into its prefix and value. */
    public record Match(NgFlagPrefix prefix, String value) {
    }

    /** @return the prefix {@code flag} starts with, and the rest, if any (spaces read as dashes) */
    public static Optional<Match> find(String flag) {
        final String f = KeyTable.normal(flag);
        for (NgFlagPrefix p : values()) {
            for (String s : p.spec.spellings()) {
                if (f.startsWith(s) && f.length() > s.length()) {
                    return Optional.of(new Match(p, flag.substring(s.length())));
                }
            }
        }
        return Optional.empty();
    }
}
