package io.rtpm.srtp;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import io.rtpm.ffm.internal.LibCrypto;

/**
 * AES-GCM (RFC 7714) through OpenSSL's libcrypto: the key is set once per context, each packet
 * sets only its IV, so nothing is allocated per packet (the JDK's GCM needs a new parameter
 * spec and an init each time: {@link JceAesGcmCipher}).
 *
 * <p>The packet must be in native memory (ring slots are): libcrypto gets its address. The
 * encrypted part is decrypted in place before the tag is known to match, so a packet that
 * fails is garbage afterwards; it is dropped anyway. Not thread-safe.
 */
final class AesGcmCipher implements PacketCipher {

    private static final int TAG = 16;
    // scratch layout: the IV, the length out-parameter, the trailing word, Final's (empty) output
    private static final long IV = 0;
    private static final long OUTL = 16;
    private static final long WORD = 20;
    private static final long FINAL = 32;

    private final Arena arena = Arena.ofShared();
    private final MemorySegment scratch = arena.allocate(64, 16);
    private final long scratchAt = scratch.address();
    private final byte[] salt;
    private final byte[] iv = new byte[GcmNonce.LENGTH];
    private final long encrypt;
    private final long decrypt;

    AesGcmCipher(SessionKeys keys) {
        salt = keys.salt();
        byte[] k = keys.cipherKey();
        long cipher = k.length == 16 ? LibCrypto.EVP_aes_128_gcm() : LibCrypto.EVP_aes_256_gcm();
        MemorySegment key = arena.allocate(k.length);
        MemorySegment.copy(k, 0, key, ValueLayout.JAVA_BYTE, 0, k.length);
        encrypt = LibCrypto.EVP_CIPHER_CTX_new();
        decrypt = LibCrypto.EVP_CIPHER_CTX_new();
        boolean ok = encrypt != 0 && decrypt != 0
                && LibCrypto.EVP_EncryptInit_ex(encrypt, cipher, 0, key.address(), 0) == 1
                && LibCrypto.EVP_DecryptInit_ex(decrypt, cipher, 0, key.address(), 0) == 1;
        key.fill((byte) 0);
        if (!ok) {
            close();
            throw new IllegalStateException("libcrypto could not set up AES-" + k.length * 8 + "-GCM");
        }
    }

    @Override
    public void seal(MemorySegment s, long at, int clearLength, int encryptedLength, int ssrc, long index,
                     int word, boolean withWord, long tagAt) {
        long base = address(s, at, clearLength + encryptedLength, tagAt);
        setIv(ssrc, index);
        boolean ok = LibCrypto.EVP_EncryptInit_ex(encrypt, 0, 0, 0, scratchAt + IV) == 1
                && aad(true, base, clearLength, word, withWord)
                && (encryptedLength == 0 || LibCrypto.EVP_EncryptUpdate(encrypt, base + clearLength,
                        scratchAt + OUTL, base + clearLength, encryptedLength) == 1)
                && LibCrypto.EVP_EncryptFinal_ex(encrypt, scratchAt + FINAL, scratchAt + OUTL) == 1
                && LibCrypto.EVP_CIPHER_CTX_ctrl(encrypt, LibCrypto.EVP_CTRL_GCM_GET_TAG, TAG,
                        s.address() + tagAt) == 1;
        if (!ok) {
            throw new IllegalStateException("libcrypto failed to encrypt with AES-GCM");
        }
    }

    @Override
    public boolean open(MemorySegment s, long at, int clearLength, int encryptedLength, int ssrc, long index,
                        int word, boolean withWord, long tagAt) {
        long base = address(s, at, clearLength + encryptedLength, tagAt);
        setIv(ssrc, index);
        boolean ok = LibCrypto.EVP_DecryptInit_ex(decrypt, 0, 0, 0, scratchAt + IV) == 1
                && LibCrypto.EVP_CIPHER_CTX_ctrl(decrypt, LibCrypto.EVP_CTRL_GCM_SET_TAG, TAG,
                        s.address() + tagAt) == 1
                && aad(false, base, clearLength, word, withWord)
                && (encryptedLength == 0 || LibCrypto.EVP_DecryptUpdate(decrypt, base + clearLength,
                        scratchAt + OUTL, base + clearLength, encryptedLength) == 1);
        if (!ok) {
            throw new IllegalStateException("libcrypto failed to decrypt with AES-GCM");
        }
        return LibCrypto.EVP_DecryptFinal_ex(decrypt, scratchAt + FINAL, scratchAt + OUTL) > 0;
    }

    private boolean aad(boolean enc, long base, int clearLength, int word, boolean withWord) {
        long ctx = enc ? encrypt : decrypt;
        if (clearLength > 0 && update(enc, ctx, base, clearLength) != 1) {
            return false;
        }
        if (withWord) {
            scratch.set(io.rtpm.rtp.Wire.U32, WORD, word);
            return update(enc, ctx, scratchAt + WORD, 4) == 1;
        }
        return true;
    }

    /** Feeds AAD (a null output); OpenSSL 3 wants the length out-parameter even then. */
    private int update(boolean enc, long ctx, long in, int len) {
        return enc ? LibCrypto.EVP_EncryptUpdate(ctx, 0, scratchAt + OUTL, in, len)
                : LibCrypto.EVP_DecryptUpdate(ctx, 0, scratchAt + OUTL, in, len);
    }

    private void setIv(int ssrc, long index) {
        GcmNonce.write(salt, ssrc, index, iv);
        MemorySegment.copy(iv, 0, scratch, ValueLayout.JAVA_BYTE, IV, GcmNonce.LENGTH);
    }

    /** The packet's address, after the bounds libcrypto cannot check. */
    private static long address(MemorySegment s, long at, int length, long tagAt) {
        if (!s.isNative()) {
            throw new IllegalArgumentException("AES-GCM SRTP needs the packet in native memory (a ring slot)");
        }
        java.util.Objects.checkFromIndexSize(at, length, s.byteSize());
        java.util.Objects.checkFromIndexSize(tagAt, TAG, s.byteSize());
        return s.address() + at;
    }

    @Override
    public int tagLength() {
        return TAG;
    }

    /** Frees the contexts once; a later packet fails on the closed scratch memory, never on freed contexts. */
    @Override
    public void close() {
        if (!arena.scope().isAlive()) {
            return;
        }
        arena.close();
        LibCrypto.EVP_CIPHER_CTX_free(encrypt);
        LibCrypto.EVP_CIPHER_CTX_free(decrypt);
    }
}
