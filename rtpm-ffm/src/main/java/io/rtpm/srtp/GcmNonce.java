package io.rtpm.srtp;

/**
 * RFC 7714's 12-byte IV: the session salt XOR (0x0000 || SSRC || 48-bit index). For SRTP the
 * index is ROC || SEQ (section 8.1); for SRTCP it is 0x0000 || 0 || the 31-bit SRTCP index
 * (section 9.1), the same picture with the top 17 bits zero.
 */
final class GcmNonce {

    static final int LENGTH = 12;

    private GcmNonce() {
    }

    static void write(byte[] salt, int ssrc, long index, byte[] iv) {
        System.arraycopy(salt, 0, iv, 0, LENGTH);
        iv[2] ^= (byte) (ssrc >>> 24);
        iv[3] ^= (byte) (ssrc >>> 16);
        iv[4] ^= (byte) (ssrc >>> 8);
        iv[5] ^= (byte) ssrc;
        for (int i = 0; i < 6; i++) {
            iv[6 + i] ^= (byte) (index >>> (40 - 8 * i));
        }
    }
}
