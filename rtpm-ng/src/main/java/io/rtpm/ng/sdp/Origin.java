package io.rtpm.ng.sdp;

import java.util.List;

/**
 * The {@code o=} line (RFC 8866 section 5.2): {@code <username> <sess-id> <sess-version>
 * <nettype> <addrtype> <unicast-address>}. rtpengine's {@code replace: origin} rewrites the address.
 */
public record Origin(String username, String sessionId, String sessionVersion, String netType,
        String addrType, String address) {

    /** Parses the value of an {@code o=} line numbered {@code line}. */
    public static Origin parse(String value, int line) throws SdpException {
        final List<String> f = Tokens.split(value, line, "o=");
        if (f.size() != 6) {
            throw new SdpException(line, "o= has " + f.size() + " fields, not 6 (<username> <sess-id>"
                    + " <sess-version> <nettype> <addrtype> <unicast-address>)");
        }
        Tokens.number(f.get(1), 0, Long.MAX_VALUE, line, "o= sess-id");
        Tokens.number(f.get(2), 0, Long.MAX_VALUE, line, "o= sess-version");
        return new Origin(f.get(0), f.get(1), f.get(2), f.get(3), f.get(4), f.get(5));
    }

    /** @return this origin with another address and address type */
    public Origin withAddress(String newAddrType, String newAddress) {
        return new Origin(username, sessionId, sessionVersion, netType, newAddrType, newAddress);
    }

    /** @return the line's value */
    public String value() {
        return String.join(" ", username, sessionId, sessionVersion, netType, addrType, address);
    }
}
