package io.rtpm.ng.bencode;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A bencoded byte string. The bytes are kept exactly as they arrived (SDP bodies, cookies and tags
 * need not be UTF-8); {@link #text()} reads them as UTF-8 where a caller wants text.
 */
public final class BencodeString implements BencodeValue, Comparable<BencodeString> {

    private final byte[] bytes;
    private int hash;

    private BencodeString(byte[] bytes) {
        this.bytes = bytes;
    }

    /** @return a string of a copy of {@code bytes} */
    public static BencodeString of(byte[] bytes) {
        return new BencodeString(bytes.clone());
    }

    /** @return a string of {@code text} in UTF-8 */
    public static BencodeString of(String text) {
        return new BencodeString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Takes the array without copying: for the decoder, which made it and hands it over. */
    static BencodeString wrap(byte[] bytes) {
        return new BencodeString(bytes);
    }

    /** @return a copy of the bytes */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** @return the number of bytes */
    public int length() {
        return bytes.length;
    }

    /** @return the byte at {@code i} */
    public byte byteAt(int i) {
        return bytes[i];
    }

    /** @return the bytes read as UTF-8 (malformed sequences become U+FFFD) */
    public String text() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** @return the bytes read one to one as ISO-8859-1: lossless, for byte-exact parsers */
    public String latin1() {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    /** @return whether the bytes equal {@code text} in UTF-8 */
    public boolean is(String text) {
        return Arrays.equals(bytes, text.getBytes(StandardCharsets.UTF_8));
    }

    void writeTo(java.io.ByteArrayOutputStream out) {
        out.write(bytes, 0, bytes.length);
    }

    @Override
    public String kind() {
        return "string";
    }

    /** Orders as bencode orders dictionary keys: by raw bytes, unsigned. */
    @Override
    public int compareTo(BencodeString o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BencodeString s && Arrays.equals(bytes, s.bytes);
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = Arrays.hashCode(bytes);
            hash = h;
        }
        return h;
    }

    @Override
    public String toString() {
        return '"' + text() + '"';
    }
}
