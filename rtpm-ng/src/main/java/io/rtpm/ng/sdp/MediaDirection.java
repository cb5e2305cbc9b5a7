package io.rtpm.ng.sdp;

import java.util.Optional;

/** The direction attributes of RFC 8866 section 6.7 (and RFC 3264's hold: sendonly, inactive). */
public enum MediaDirection {
    /** Send and receive (the default when none is given). */
    SENDRECV("sendrecv"),
    /** Send only: the other side holds. */
    SENDONLY("sendonly"),
    /** Receive only. */
    RECVONLY("recvonly"),
    /** Neither. */
    INACTIVE("inactive");

    private final String attribute;

    MediaDirection(String attribute) {
        this.attribute = attribute;
    }

    /** @return the attribute as written ({@code a=sendonly} is {@code sendonly}) */
    public String attribute() {
        return attribute;
    }

    /** @return the direction an {@code a=} line sets, if it is one of the four */
    public static Optional<MediaDirection> of(SdpLine line) {
        if (line.type() == 'a') {
            for (MediaDirection d : values()) {
                if (d.attribute.equals(line.value())) {
                    return Optional.of(d);
                }
            }
        }
        return Optional.empty();
    }
}
