package io.rtpm.ng.sdp;

import java.util.ArrayList;
import java.util.List;

/** Splits SDP fields, which RFC 8866 separates by exactly one space, and reads numbers in them. */
final class Tokens {

    private Tokens() {
    }

    /** @return the fields of {@code value}; an empty field (two spaces, a leading or trailing one) is an error */
    static List<String> split(String value, int line, String what) throws SdpException {
        final ArrayList<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= value.length(); i++) {
            if (i == value.length() || value.charAt(i) == ' ') {
                if (i == start) {
                    throw new SdpException(line, what + ": empty field (fields are separated by one space) in '"
                            + value + "'");
                }
                out.add(value.substring(start, i));
                start = i + 1;
            }
        }
        return out;
    }

    /** @return {@code s} as a decimal number in [min, max] */
    static long number(String s, long min, long max, int line, String what) throws SdpException {
        if (s.isEmpty() || s.length() > 19) {
            throw new SdpException(line, what + " '" + s + "' is not a number");
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            final char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw new SdpException(line, what + " '" + s + "' is not a number");
            }
            v = v * 10 + (c - '0');
        }
        if (v < min || v > max) {
            throw new SdpException(line, what + " " + v + " is not in " + min + "-" + max);
        }
        return v;
    }
}
