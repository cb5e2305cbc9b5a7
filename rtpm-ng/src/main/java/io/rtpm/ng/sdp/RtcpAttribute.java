package io.rtpm.ng.sdp;

import java.util.List;
import java.util.Optional;

/**
 * {@code a=rtcp} (RFC 3605 section 2.1): {@code a=rtcp:<port> [<nettype> <addrtype>
 * <connection-address>]}, the RTCP port when it is not the RTP port + 1.
 *
 * @param port       the RTCP port
 * @param connection the RTCP address, when the line names one
 */
public record RtcpAttribute(int port, Optional<Connection> connection) {

    /** The attribute's name. */
    public static final String NAME = "rtcp";

    /** Parses the value (after {@code a=rtcp:}) of line {@code line}. */
    public static RtcpAttribute parse(String value, int line) throws SdpException {
        final List<String> f = Tokens.split(value, line, "a=rtcp");
        if (f.size() != 1 && f.size() != 4) {
            throw new SdpException(line, "a=rtcp has " + f.size()
                    + " fields, not 1 or 4 (<port> [<nettype> <addrtype> <connection-address>])");
        }
        final int port = (int) Tokens.number(f.get(0), 0, 65535, line, "a=rtcp port");
        return new RtcpAttribute(port, f.size() == 1 ? Optional.empty()
                : Optional.of(new Connection(f.get(1), f.get(2), f.get(3))));
    }

    /** @return the attribute's value (after {@code a=rtcp:}) */
    public String value() {
        return connection.map(c -> port + " " + c.value()).orElse(Integer.toString(port));
    }
}
