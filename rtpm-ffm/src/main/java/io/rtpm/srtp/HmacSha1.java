package io.rtpm.srtp;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * HMAC-SHA1 (RFC 2104) over a segment's bytes and an optional trailing 32-bit word, into a
 * reused array.
 *
 * <p>Built on the JDK's SHA-1 {@link MessageDigest} (intrinsified) rather than {@code Mac}:
 * {@code Mac.doFinal(byte[], int)} calls {@code doFinal()}, which returns a new array per call
 * (javax/crypto/Mac.java, JDK 25), and so does HmacCore's inner digest; {@code
 * MessageDigest.digest(byte[], int, int)} writes into the caller's array. The work is HMAC's
 * own: the inner and outer pads, two digests.
 *
 * <p>Not thread-safe: one per session and direction.
 */
final class HmacSha1 {

    /** The SHA-1 digest length in bytes. */
    static final int LENGTH = 20;

    private static final int BLOCK = 64;
    private static final int CHUNK = 1024;

    private final MessageDigest sha1;
    private final byte[] innerPad = new byte[BLOCK];
    private final byte[] outerPad = new byte[BLOCK];
    private final byte[] chunk = new byte[CHUNK];
    private final byte[] inner = new byte[LENGTH];

    HmacSha1(byte[] key) {
        if (key.length > BLOCK) {
            throw new IllegalArgumentException("SRTP auth keys are at most " + BLOCK + " bytes, not " + key.length);
        }
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-1", e);
        }
        for (int i = 0; i < BLOCK; i++) {
            byte k = i < key.length ? key[i] : 0;
            innerPad[i] = (byte) (k ^ 0x36);
            outerPad[i] = (byte) (k ^ 0x5c);
        }
    }

    /**
     * Computes HMAC(key, s[at, at + len) || word) into {@code out[0, 20)}.
     *
     * @param withWord whether the 4 big-endian bytes of {@code word} follow the bytes (the ROC
     *                 for SRTP; SRTCP's E flag and index are part of the packet)
     */
    void mac(MemorySegment s, long at, int len, int word, boolean withWord, byte[] out) {
        sha1.update(innerPad);
        for (int done = 0; done < len; done += CHUNK) {
            int n = Math.min(CHUNK, len - done);
            MemorySegment.copy(s, ValueLayout.JAVA_BYTE, at + done, chunk, 0, n);
            sha1.update(chunk, 0, n);
        }
        if (withWord) {
            chunk[0] = (byte) (word >>> 24);
            chunk[1] = (byte) (word >>> 16);
            chunk[2] = (byte) (word >>> 8);
            chunk[3] = (byte) word;
            sha1.update(chunk, 0, 4);
        }
        try {
            sha1.digest(inner, 0, LENGTH);
            sha1.update(outerPad);
            sha1.update(inner);
            sha1.digest(out, 0, LENGTH);
        } catch (DigestException e) {
            throw new AssertionError("a SHA-1 digest fits 20 bytes", e);
        }
    }
}
