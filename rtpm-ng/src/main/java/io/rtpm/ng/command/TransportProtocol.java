package io.rtpm.ng.command;

import java.util.Optional;

/** The {@code transport-protocol} values rtpm honours: plain RTP profiles (SRTP ones are refused). */
public enum TransportProtocol {
    /** RFC 3551. */
    RTP_AVP("RTP/AVP"),
    /** RFC 4585, with feedback. */
    RTP_AVPF("RTP/AVPF");

    private final String sdp;

    TransportProtocol(String sdp) {
        this.sdp = sdp;
    }

    /** @return the protocol as the m= line writes it */
    public String sdp() {
        return sdp;
    }

    /** @return the plain RTP protocol spelled {@code s} */
    public static Optional<TransportProtocol> of(String s) {
        for (TransportProtocol p : values()) {
            if (p.sdp.equals(s)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
