package io.rtpm.ng.sdp;

import java.util.List;

/**
 * A {@code c=} line (RFC 8866 section 5.7): {@code <nettype> <addrtype> <connection-address>}, the
 * address kept as written (a multicast address may carry {@code /ttl/count}).
 */
public record Connection(String netType, String addrType, String address) {

    /** @return an {@code IN IP4} or {@code IN IP6} connection to {@code address} */
    public static Connection internet(String addrType, String address) {
        return new Connection("IN", addrType, address);
    }

    /** Parses the value of a {@code c=} line numbered {@code line}. */
    public static Connection parse(String value, int line) throws SdpException {
        final List<String> f = Tokens.split(value, line, "c=");
        if (f.size() != 3) {
            throw new SdpException(line, "c= has " + f.size()
                    + " fields, not 3 (<nettype> <addrtype> <connection-address>)");
        }
        return new Connection(f.get(0), f.get(1), f.get(2));
    }

    /** @return the line's value */
    public String value() {
        return netType + " " + addrType + " " + address;
    }
}
