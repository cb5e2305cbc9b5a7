package io.rtpm.ng.sdp;

import java.util.List;

/**
 * {@code a=crypto} (RFC 4568 section 9.1): {@code <tag> <crypto-suite> <key-params>
 * [<session-params>]}, read and kept as data for SRTP; nothing here interprets the keys.
 *
 * @param tag           the decimal tag, 0 to 999999999
 * @param suite         e.g. AES_CM_128_HMAC_SHA1_80
 * @param keyParams     e.g. inline:base64key|2^20|1:32 (several separated by ';')
 * @param sessionParams the remaining fields joined by spaces, or empty
 */
public record CryptoAttribute(long tag, String suite, String keyParams, String sessionParams) {

    /** The attribute's name. */
    public static final String NAME = "crypto";

    /** Parses the value (after {@code a=crypto:}) of line {@code line}. */
    public static CryptoAttribute parse(String value, int line) throws SdpException {
        final List<String> f = Tokens.split(value, line, "a=crypto");
        if (f.size() < 3) {
            throw new SdpException(line, "a=crypto has " + f.size()
                    + " fields, needs at least 3 (<tag> <crypto-suite> <key-params>)");
        }
        final long tag = Tokens.number(f.get(0), 0, 999_999_999L, line, "a=crypto tag");
        return new CryptoAttribute(tag, f.get(1), f.get(2), String.join(" ", f.subList(3, f.size())));
    }
}
