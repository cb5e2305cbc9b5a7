package io.rtpm.srtp;

import java.lang.foreign.MemorySegment;

/**
 * The transform of one suite under one set of session keys, in place on a packet.
 *
 * <p>Both methods see the same picture: the packet starts at {@code at}; the bytes
 * {@code [at, at + clearLength + encryptedLength)} are authenticated, followed by the 4
 * big-endian bytes of {@code word} when {@code withWord} (SRTP's ROC for HMAC; SRTCP's E flag
 * and index for GCM's AAD); {@code [at + clearLength, at + clearLength + encryptedLength)} is
 * encrypted; the tag is at {@code tagAt}. The caller has checked every bound.
 */
interface PacketCipher extends AutoCloseable {

    /**
     * Encrypts the encrypted part and writes the tag.
     *
     * @param index the 48-bit SRTP packet index or the 31-bit SRTCP index
     */
    void seal(MemorySegment s, long at, int clearLength, int encryptedLength, int ssrc, long index,
              int word, boolean withWord, long tagAt);

    /**
     * Checks the tag and decrypts the encrypted part.
     *
     * @return whether the tag matched; when it did not, the packet is to be dropped (GCM may
     *         have decrypted it already)
     */
    boolean open(MemorySegment s, long at, int clearLength, int encryptedLength, int ssrc, long index,
                 int word, boolean withWord, long tagAt);

    /** @return the tag length in bytes */
    int tagLength();

    /** Frees native state, if any. */
    @Override
    void close();

    /**
     * The cipher of a suite and session keys.
     *
     * @param tagLength the tag length: differs between SRTP and SRTCP for the _32 suite
     */
    static PacketCipher of(SrtpSuite suite, SrtpPolicy.GcmEngine engine, SessionKeys keys, int tagLength) {
        if (!suite.aead()) {
            return new AesCmHmacCipher(keys, tagLength);
        }
        return engine == SrtpPolicy.GcmEngine.JCE ? new JceAesGcmCipher(keys) : new AesGcmCipher(keys);
    }
}
