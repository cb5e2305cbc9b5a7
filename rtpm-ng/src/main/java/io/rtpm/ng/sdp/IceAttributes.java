package io.rtpm.ng.sdp;

import java.util.Set;

/**
 * The ICE attributes (RFC 8839 section 5, plus the older ice-mismatch and ice2's ice-pacing) that
 * {@code ICE: remove} strips at session and media level.
 */
final class IceAttributes {

    private static final Set<String> NAMES = Set.of("candidate", "remote-candidates",
            "end-of-candidates", "ice-lite", "ice-mismatch", "ice-ufrag", "ice-pwd", "ice-options",
            "ice-pacing");

    private IceAttributes() {
    }

    static boolean is(SdpLine line) {
        return line.type() == 'a' && NAMES.contains(line.attributeName());
    }
}
