package io.rtpm.ng.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The cookie that opens an ng datagram: any bytes up to the first space, echoed in the reply and
 * used to recognise retransmissions. Compares by content.
 */
public final class Cookie {

    /** The longest cookie accepted; Kamailio's are about 20 bytes ({@code <pid>_<counter>}). */
    public static final int MAX_LENGTH = 256;

    private final byte[] bytes;
    private final int hash;

    private Cookie(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    /**
     * @param bytes 1 to {@link #MAX_LENGTH} bytes, none of them a space
     * @return the cookie
     */
    public static Cookie of(byte[] bytes) {
        if (bytes.length == 0 || bytes.length > MAX_LENGTH) {
            throw new IllegalArgumentException("a cookie has 1 to " + MAX_LENGTH + " bytes, not "
                    + bytes.length);
        }
        for (byte b : bytes) {
            if (b == ' ') {
                throw new IllegalArgumentException("a cookie has no space in it");
            }
        }
        return new Cookie(bytes.clone());
    }

    /** @return the cookie of this ASCII text */
    public static Cookie of(String text) {
        return of(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    static Cookie copyOf(byte[] datagram, int from, int to) {
        return new Cookie(Arrays.copyOfRange(datagram, from, to));
    }

    /** @return a copy of the bytes */
    public byte[] bytes() {
        return bytes.clone();
    }

    void writeTo(java.io.ByteArrayOutputStream out) {
        out.write(bytes, 0, bytes.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cookie c && hash == c.hash && Arrays.equals(bytes, c.bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
