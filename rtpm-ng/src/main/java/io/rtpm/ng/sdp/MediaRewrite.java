package io.rtpm.ng.sdp;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * What to change in one media section.
 *
 * @param port      the relay's RTP port for this stream
 * @param rtcpPort  the relay's RTCP port, when RTCP has one of its own (empty with rtcp-mux)
 * @param direction a direction attribute to put in place of the section's, or empty to keep it
 * @param protocol  a transport protocol for the {@code m=} line, or empty to keep it
 * @param rtcpMux   whether {@code a=rtcp-mux} (RFC 5761) should be there (added or removed), or
 *                  empty to keep the section's
 */
public record MediaRewrite(int port, OptionalInt rtcpPort, Optional<MediaDirection> direction,
        Optional<String> protocol, Optional<Boolean> rtcpMux) {

    /** Checks the ports. */
    public MediaRewrite {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not 0-65535");
        }
        if (rtcpPort.isPresent() && (rtcpPort.getAsInt() < 1 || rtcpPort.getAsInt() > 65535)) {
            throw new IllegalArgumentException("RTCP port " + rtcpPort.getAsInt() + " is not 1-65535");
        }
    }

    /** @return a rewrite to RTP port {@code port} and RTCP port {@code port + 1}, nothing else */
    public static MediaRewrite ports(int port) {
        return new MediaRewrite(port, OptionalInt.of(port + 1), Optional.empty(), Optional.empty(),
                Optional.empty());
    }

    /** @return this rewrite with a direction */
    public MediaRewrite withDirection(MediaDirection d) {
        return new MediaRewrite(port, rtcpPort, Optional.of(d), protocol, rtcpMux);
    }

    /** @return this rewrite with a protocol */
    public MediaRewrite withProtocol(String p) {
        return new MediaRewrite(port, rtcpPort, direction, Optional.of(p), rtcpMux);
    }

    /** @return this rewrite with RTCP multiplexed on the RTP port ({@code a=rtcp-mux}, no RTCP port of its own) or not */
    public MediaRewrite withRtcpMux(boolean mux) {
        return new MediaRewrite(port, mux ? OptionalInt.empty() : rtcpPort, direction, protocol, Optional.of(mux));
    }
}
