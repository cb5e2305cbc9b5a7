package io.rtpm.rtp;

import java.lang.foreign.MemorySegment;
import java.util.HexFormat;

/** Test vectors written as hex, whitespace ignored. */
public final class Hex {

    private Hex() {
    }

    /**
     * Decodes a vector.
     *
     * @param hex hex digits, whitespace between bytes allowed
     * @return the bytes
     */
    public static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replaceAll("\\s+", ""));
    }

    /**
     * Decodes a vector into a heap segment of exactly its size, so any read past the end throws.
     *
     * @param hex hex digits
     * @return the segment
     */
    public static MemorySegment segment(String hex) {
        return MemorySegment.ofArray(bytes(hex));
    }
}
