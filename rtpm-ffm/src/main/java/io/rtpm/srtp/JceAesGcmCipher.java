package io.rtpm.srtp;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.security.GeneralSecurityException;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-GCM through the JDK's {@code AES/GCM/NoPadding}: kept to measure against
 * {@link AesGcmCipher} (docs/perf/srtp.md). Every packet needs a new {@link GCMParameterSpec}
 * and a {@code Cipher.init}: the JDK refuses to encrypt twice under one IV, so there is no
 * reuse, and init allocates. The packet goes through heap arrays (JCE takes arrays or
 * ByteBuffers; a segment's ByteBuffer view would be one more object per packet).
 */
final class JceAesGcmCipher implements PacketCipher {

    private static final int TAG = 16;

    private final Cipher gcm;
    private final SecretKeySpec key;
    private final byte[] salt;
    private final byte[] iv = new byte[GcmNonce.LENGTH];
    private final byte[] wordBytes = new byte[4];
    private byte[] in = new byte[2048];
    private byte[] out = new byte[2048 + TAG];

    JceAesGcmCipher(SessionKeys keys) {
        try {
            gcm = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no AES/GCM/NoPadding", e);
        }
        key = new SecretKeySpec(keys.cipherKey(), "AES");
        salt = keys.salt();
    }

    @Override
    public void seal(MemorySegment s, long at, int clearLength, int encryptedLength, int ssrc, long index,
                     int word, boolean withWord, long tagAt) {
        begin(Cipher.ENCRYPT_MODE, s, at, clearLength, encryptedLength, ssrc, index, word, withWord);
        MemorySegment.copy(s, ValueLayout.JAVA_BYTE, at + clearLength, in, 0, encryptedLength);
        try {
            gcm.doFinal(in, 0, encryptedLength, out, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
        MemorySegment.copy(out, 0, s, ValueLayout.JAVA_BYTE, at + clearLength, encryptedLength);
        MemorySegment.copy(out, encryptedLength, s, ValueLayout.JAVA_BYTE, tagAt, TAG);
    }

    @Override
    public boolean open(MemorySegment s, long at, int clearLength, int encryptedLength, int ssrc, long index,
                        int word, boolean withWord, long tagAt) {
        begin(Cipher.DECRYPT_MODE, s, at, clearLength, encryptedLength, ssrc, index, word, withWord);
        MemorySegment.copy(s, ValueLayout.JAVA_BYTE, at + clearLength, in, 0, encryptedLength);
        MemorySegment.copy(s, ValueLayout.JAVA_BYTE, tagAt, in, encryptedLength, TAG);
        try {
            gcm.doFinal(in, 0, encryptedLength + TAG, out, 0);
        } catch (AEADBadTagException e) {
            return false; // JCE reports a bad tag only this way
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM decryption failed", e);
        }
        MemorySegment.copy(out, 0, s, ValueLayout.JAVA_BYTE, at + clearLength, encryptedLength);
        return true;
    }

    private void begin(int mode, MemorySegment s, long at, int clearLength, int encryptedLength, int ssrc,
                       long index, int word, boolean withWord) {
        if (in.length < Math.max(clearLength, encryptedLength) + TAG) {
            in = new byte[Math.max(clearLength, encryptedLength) + TAG];
            out = new byte[in.length + TAG];
        }
        GcmNonce.write(salt, ssrc, index, iv);
        try {
            gcm.init(mode, key, new GCMParameterSpec(TAG * 8, iv));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM init failed", e);
        }
        MemorySegment.copy(s, ValueLayout.JAVA_BYTE, at, in, 0, clearLength);
        gcm.updateAAD(in, 0, clearLength);
        if (withWord) {
            wordBytes[0] = (byte) (word >>> 24);
            wordBytes[1] = (byte) (word >>> 16);
            wordBytes[2] = (byte) (word >>> 8);
            wordBytes[3] = (byte) word;
            gcm.updateAAD(wordBytes);
        }
    }

    @Override
    public int tagLength() {
        return TAG;
    }

    @Override
    public void close() {
        // nothing native
    }
}
