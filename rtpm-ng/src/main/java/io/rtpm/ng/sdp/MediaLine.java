package io.rtpm.ng.sdp;

import java.util.List;

/**
 * An {@code m=} line (RFC 8866 section 5.14): {@code <media> <port>[/<number of ports>] <proto>
 * <fmt> ...}. Port 0 marks a disabled (rejected) stream.
 *
 * @param media     audio, video, image, application, ...
 * @param port      0 to 65535
 * @param portCount the number of ports, or 0 when the line gives none
 * @param protocol  RTP/AVP, RTP/SAVPF, UDP/TLS/RTP/SAVPF, udptl, ...
 * @param formats   the payload types or format names, at least one
 */
public record MediaLine(String media, int port, int portCount, String protocol, List<String> formats) {

    /** Copies the formats. */
    public MediaLine {
        formats = List.copyOf(formats);
    }

    /** Parses the value of an {@code m=} line numbered {@code line}. */
    public static MediaLine parse(String value, int line) throws SdpException {
        final List<String> f = Tokens.split(value, line, "m=");
        if (f.size() < 4) {
            throw new SdpException(line, "m= has " + f.size()
                    + " fields, needs at least 4 (<media> <port> <proto> <fmt> ...)");
        }
        final String ports = f.get(1);
        final int slash = ports.indexOf('/');
        final int port = (int) Tokens.number(slash < 0 ? ports : ports.substring(0, slash), 0, 65535,
                line, "m= port");
        final int count = slash < 0 ? 0
                : (int) Tokens.number(ports.substring(slash + 1), 1, 65535, line, "m= number of ports");
        return new MediaLine(f.get(0), port, count, f.get(2), f.subList(3, f.size()));
    }

    /** @return whether the port is 0: a disabled stream that the relay leaves alone */
    public boolean disabled() {
        return port == 0;
    }

    /** @return this line with another port (keeping the number of ports) */
    public MediaLine withPort(int newPort) {
        return new MediaLine(media, newPort, portCount, protocol, formats);
    }

    /** @return this line with another protocol */
    public MediaLine withProtocol(String newProtocol) {
        return new MediaLine(media, port, portCount, newProtocol, formats);
    }

    /** @return the line's value */
    public String value() {
        return media + " " + port + (portCount > 0 ? "/" + portCount : "") + " " + protocol + " "
                + String.join(" ", formats);
    }
}
