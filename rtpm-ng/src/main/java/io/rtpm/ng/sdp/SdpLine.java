package io.rtpm.ng.sdp;

/**
 * One SDP line exactly as it came: {@code type=value} and its line ending. Text is held one byte
 * per char (ISO-8859-1), so any bytes, UTF-8 or not, are written back unchanged.
 *
 * @param type  the type letter ({@code v, o, s, c, m, a, ...})
 * @param value everything after the {@code =}
 * @param eol   the line ending as received: CRLF, LF, or empty for a last line without one
 */
public record SdpLine(char type, String value, String eol) {

    /** The line ending RFC 8866 asks for, used for lines the rewriter writes. */
    public static final String CRLF = "\r\n";

    /** @return a line of this type and value ending in CRLF */
    public static SdpLine of(char type, String value) {
        return new SdpLine(type, value, CRLF);
    }

    /** @return this line with another value and the same ending */
    public SdpLine withValue(String newValue) {
        return new SdpLine(type, newValue, eol);
    }

    /** @return whether this is an {@code a=} line of attribute {@code name} ({@code a=name} or {@code a=name:...}) */
    public boolean isAttribute(String name) {
        return type == 'a' && value.startsWith(name)
                && (value.length() == name.length() || value.charAt(name.length()) == ':');
    }

    /** @return for an {@code a=} line, the attribute's name (before any ':') */
    public String attributeName() {
        final int colon = value.indexOf(':');
        return colon < 0 ? value : value.substring(0, colon);
    }

    /** @return for an {@code a=name:value} line, the part after the first ':'; else empty */
    public String attributeValue() {
        final int colon = value.indexOf(':');
        return colon < 0 ? "" : value.substring(colon + 1);
    }

    @Override
    public String toString() {
        return type + "=" + value;
    }
}
