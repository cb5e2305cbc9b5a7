package io.rtpm.srtp;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The AES-CM suites: AES counter mode (RFC 3711 section 4.1.1) and HMAC-SHA1 truncated to the
 * tag length (section 4.2.1). The tag is checked before anything is decrypted, so a packet that
 * fails stays as it came.
 */
final class AesCmHmacCipher implements PacketCipher {

    private final AesCmCipher cipher;
    private final HmacSha1 hmac;
    private final byte[] salt;
    private final int tagLength;
    private final byte[] mac = new byte[HmacSha1.LENGTH];

    AesCmHmacCipher(SessionKeys keys, int tagLength) {
        this.cipher = new AesCmCipher(keys.cipherKey());
        this.hmac = new HmacSha1(keys.authKey());
        this.salt = keys.salt();
        this.tagLength = tagLength;
    }

    @Override
    public void seal(MemorySegment s, long at, int clearLength, int encryptedLength, int ssrc, long index,
                     int word, boolean withWord, long tagAt) {
        cipher.xor(s, at + clearLength, encryptedLength, salt, ssrc, index);
        hmac.mac(s, at, clearLength + encryptedLength, word, withWord, mac);
        MemorySegment.copy(mac, 0, s, ValueLayout.JAVA_BYTE, tagAt, tagLength);
    }

    @Override
    public boolean open(MemorySegment s, long at, int clearLength, int encryptedLength, int ssrc, long index,
                        int word, boolean withWord, long tagAt) {
        hmac.mac(s, at, clearLength + encryptedLength, word, withWord, mac);
        int diff = 0; // every byte compared: the time says nothing of where a forgery went wrong
        for (int i = 0; i < tagLength; i++) {
            diff |= mac[i] ^ s.get(ValueLayout.JAVA_BYTE, tagAt + i);
        }
        if (diff != 0) {
            return false;
        }
        cipher.xor(s, at + clearLength, encryptedLength, salt, ssrc, index);
        return true;
    }

    @Override
    public int tagLength() {
        return tagLength;
    }

    @Override
    public void close() {
        // nothing native
    }
}
