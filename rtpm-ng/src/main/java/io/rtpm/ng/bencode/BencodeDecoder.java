package io.rtpm.ng.bencode;

import java.util.ArrayList;
import java.util.Arrays;

/**
 * Strict bencode decoding (BEP 3) of one value that fills the input exactly. Refused, each with
 * its offset: a byte that starts no value, integers with leading zeros, {@code -0}, no digits or
 * beyond 64 bits, string lengths with leading zeros or past the end, a dictionary key that is not
 * a string or comes twice, anything after the value, and whatever breaks the {@link DecodeLimits}.
 * Dictionary keys may come in any order (rtpengine and Kamailio do not sort them). Work and memory
 * are linear in the input: strings are copied once, keys are hashed once.
 *
 * <p>Not thread-safe: one decoder per thread, reusable.
 */
public final class BencodeDecoder {

    private final DecodeLimits limits;
    private byte[] in;
    private int pos;
    private int end;
    private int elements;

    /** @param limits the bounds to enforce */
    public BencodeDecoder(DecodeLimits limits) {
        this.limits = limits;
    }

    /**
     * Decodes {@code data[offset, offset + length)} as one value.
     *
     * @return the value
     * @throws DecodeException if it is not exactly one well-formed value within the limits;
     *                         offsets count from {@code offset}
     */
    public BencodeValue decode(byte[] data, int offset, int length) throws DecodeException {
        if (length > limits.maxBytes()) {
            throw new DecodeException(0, "message of " + length + " bytes exceeds the limit of "
                    + limits.maxBytes());
        }
        in = data;
        pos = offset;
        end = offset + length;
        elements = 0;
        final int base = offset;
        try {
            if (pos == end) {
                throw fail("empty message");
            }
            final BencodeValue v = value(1);
            if (pos != end) {
                throw fail((end - pos) + " bytes after the end of the top-level " + v.kind());
            }
            return v;
        } catch (DecodeException e) {
            throw new DecodeException(e.offset() - base, e.reason());
        } finally {
            in = null;
        }
    }

    /** Decodes all of {@code data}; see {@link #decode(byte[], int, int)}. */
    public BencodeValue decode(byte[] data) throws DecodeException {
        return decode(data, 0, data.length);
    }

    private BencodeValue value(int depth) throws DecodeException {
        if (++elements > limits.maxElements()) {
            throw fail("more than " + limits.maxElements() + " values");
        }
        final byte b = in[pos];
        return switch (b) {
            case 'i' -> integer();
            case 'l' -> list(depth);
            case 'd' -> dictionary(depth);
            default -> {
                if (b >= '0' && b <= '9') {
                    yield string();
                }
                throw fail("byte " + describe(b) + " starts no bencode value"
                        + " (expected i, l, d or a string length)");
            }
        };
    }

    private BencodeInteger integer() throws DecodeException {
        final int start = pos++;
        final boolean negative = pos < end && in[pos] == '-';
        if (negative) {
            pos++;
        }
        final int digits = pos;
        long v = 0;
        while (pos < end && in[pos] >= '0' && in[pos] <= '9') {
            final int d = in[pos] - '0';
            // accumulate negatively so that Long.MIN_VALUE fits
            if (v < (Long.MIN_VALUE + d) / 10) {
                throw failAt(start, "integer does not fit in 64 bits");
            }
            v = v * 10 - d;
            pos++;
        }
        if (pos == digits) {
            throw failAt(pos, "integer without digits");
        }
        if (in[digits] == '0' && pos - digits > 1) {
            throw failAt(digits, "integer with a leading zero");
        }
        if (negative && v == 0) {
            throw failAt(start, "integer -0");
        }
        expect('e', "integer");
        if (!negative && v == Long.MIN_VALUE) {
            throw failAt(start, "integer does not fit in 64 bits");
        }
        return new BencodeInteger(negative ? v : -v);
    }

    private BencodeString string() throws DecodeException {
        final int start = pos;
        long len = 0;
        while (pos < end && in[pos] >= '0' && in[pos] <= '9') {
            len = len * 10 + (in[pos] - '0');
            if (len > limits.maxBytes()) {
                throw failAt(start, "string length beyond the message limit of "
                        + limits.maxBytes() + " bytes");
            }
            pos++;
        }
        if (in[start] == '0' && pos - start > 1) {
            throw failAt(start, "string length with a leading zero");
        }
        expect(':', "string length");
        if (len > end - pos) {
            throw failAt(start, "string of " + len + " bytes runs past the end (" + (end - pos)
                    + " bytes left)");
        }
        final byte[] bytes = Arrays.copyOfRange(in, pos, pos + (int) len);
        pos += (int) len;
        return BencodeString.wrap(bytes);
    }

    private BencodeList list(int depth) throws DecodeException {
        final int start = pos++;
        checkDepth(start, depth);
        final ArrayList<BencodeValue> items = new ArrayList<>();
        while (true) {
            if (pos == end) {
                throw failAt(start, "list not terminated (no 'e' before the end)");
            }
            if (in[pos] == 'e') {
                pos++;
                return new BencodeList(items);
            }
            items.add(value(depth + 1));
        }
    }

    private BencodeDictionary dictionary(int depth) throws DecodeException {
        final int start = pos++;
        checkDepth(start, depth);
        final BencodeDictionary.Builder b = BencodeDictionary.builder();
        while (true) {
            if (pos == end) {
                throw failAt(start, "dictionary not terminated (no 'e' before the end)");
            }
            if (in[pos] == 'e') {
                pos++;
                return b.build();
            }
            final int keyAt = pos;
            if (in[pos] < '0' || in[pos] > '9') {
                throw fail("dictionary key must be a string, found byte " + describe(in[pos]));
            }
            ++elements;
            final BencodeString key = string();
            if (b.contains(key)) {
                throw failAt(keyAt, "dictionary key " + key + " appears twice");
            }
            if (pos == end) {
                throw failAt(keyAt, "dictionary key " + key + " has no value");
            }
            b.put(key, value(depth + 1));
        }
    }

    private void checkDepth(int at, int depth) throws DecodeException {
        if (depth > limits.maxDepth()) {
            throw failAt(at, "nesting deeper than " + limits.maxDepth() + " levels");
        }
    }

    private void expect(char b, String what) throws DecodeException {
        if (pos == end) {
            throw fail(what + " not terminated: the message ends where '" + b
                    + "' was expected");
        }
        if (in[pos] != b) {
            throw fail(what + " not terminated: byte " + describe(in[pos]) + " where '"
                    + b + "' was expected");
        }
        pos++;
    }

    private DecodeException fail(String reason) {
        return failAt(pos, reason);
    }

    private static DecodeException failAt(int at, String reason) {
        return new DecodeException(at, reason);
    }

    static String describe(byte b) {
        final int u = b & 0xff;
        return u >= 0x21 && u < 0x7f ? "'" + (char) u + "'" : String.format("0x%02x", u);
    }
}
