package io.rtpm.srtp;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.security.GeneralSecurityException;

import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES in counter mode as RFC 3711 section 4.1.1 defines it, XORed in place into a segment.
 *
 * <p>The keystream comes from the JDK's {@code AES/ECB/NoPadding} over counter blocks built
 * here: {@code AES/CTR} would need a new {@code IvParameterSpec} and an {@code init} per packet
 * (allocations), ECB over a reused array needs neither. The JDK's AES block is intrinsified
 * (AES-NI), so ECB costs what CTR would. The keystream is made {@link #CHUNK} bytes at a time.
 *
 * <p>Not thread-safe: one per session and direction.
 */
final class AesCmCipher {

    /** Keystream bytes produced per {@code Cipher.update}: 32 blocks. */
    static final int CHUNK = 512;

    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;

    private final Cipher ecb;
    private final byte[] counters = new byte[CHUNK];
    private final byte[] keystream = new byte[CHUNK];
    private final MemorySegment keystreamSegment = MemorySegment.ofArray(keystream);
    private final byte[] iv = new byte[16];

    AesCmCipher(byte[] key) {
        try {
            ecb = Cipher.getInstance("AES/ECB/NoPadding");
            ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no AES/ECB/NoPadding for a "
                    + key.length + "-byte key", e);
        }
    }

    /**
     * XORs the keystream of IV = (salt * 2^16) XOR (ssrc * 2^64) XOR (index * 2^16) into
     * {@code s[at, at + len)}.
     *
     * @param salt the 14-byte session salt (the master salt, for key derivation)
     * @param ssrc the SSRC (0 for key derivation)
     * @param index the 48-bit SRTP packet index or 31-bit SRTCP index (0 for key derivation)
     */
    void xor(MemorySegment s, long at, int len, byte[] salt, int ssrc, long index) {
        System.arraycopy(salt, 0, iv, 0, 14);
        iv[4] ^= (byte) (ssrc >>> 24);
        iv[5] ^= (byte) (ssrc >>> 16);
        iv[6] ^= (byte) (ssrc >>> 8);
        iv[7] ^= (byte) ssrc;
        for (int i = 0; i < 6; i++) {
            iv[8 + i] ^= (byte) (index >>> (40 - 8 * i));
        }
        int block = 0;
        for (int done = 0; done < len; done += CHUNK) {
            int n = Math.min(CHUNK, len - done);
            int blocks = (n + 15) >>> 4;
            for (int b = 0; b < blocks; b++, block++) {
                int c = b << 4;
                System.arraycopy(iv, 0, counters, c, 14);
                counters[c + 14] = (byte) (block >>> 8);
                counters[c + 15] = (byte) block;
            }
            try {
                ecb.update(counters, 0, blocks << 4, keystream, 0);
            } catch (ShortBufferException e) {
                throw new AssertionError("the keystream array holds a whole chunk", e);
            }
            xorChunk(s, at + done, n);
        }
    }

    private void xorChunk(MemorySegment s, long at, int n) {
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            s.set(LONG, at + i, s.get(LONG, at + i) ^ keystreamSegment.get(LONG, i));
        }
        for (; i < n; i++) {
            s.set(ValueLayout.JAVA_BYTE, at + i, (byte) (s.get(ValueLayout.JAVA_BYTE, at + i) ^ keystream[i]));
        }
    }
}
