package io.rtpm.srtp;

import java.util.Arrays;

/**
 * One master key and salt, with its optional MKI and lifetime (RFC 3711 sections 3.2.1, 8.1;
 * RFC 4568 section 6.1's {@code |lifetime|MKI:length}).
 *
 * @param key the master key: 16 or 32 bytes, as the suite says
 * @param salt the master salt: 14 bytes (AES-CM) or 12 (GCM)
 * @param mki the master key identifier carried in each packet, empty when the policy has none
 * @param lifetime how many packets (SRTP and SRTCP counted apart) the key may protect or
 *                 unprotect; capped at RFC 3711's 2^48 for SRTP and 2^31 for SRTCP
 */
public record SrtpMasterKey(byte[] key, byte[] salt, byte[] mki, long lifetime) {

    /** The most packets RFC 3711 section 9.2 lets one master key protect in SRTP. */
    public static final long MAX_SRTP_PACKETS = 1L << 48;
    /** The most packets one master key may protect in SRTCP (a 31-bit index). */
    public static final long MAX_SRTCP_PACKETS = 1L << 31;

    /** Copies the arrays, so that later changes by the caller do not reach the key. */
    public SrtpMasterKey {
        if (lifetime <= 0) {
            throw new IllegalArgumentException("SRTP key lifetime must be positive, not " + lifetime);
        }
        key = key.clone();
        salt = salt.clone();
        mki = mki.clone();
    }

    /**
     * A key without MKI that lives as long as RFC 3711 allows.
     *
     * @param key the master key
     * @param salt the master salt
     * @return the key
     */
    public static SrtpMasterKey of(byte[] key, byte[] salt) {
        return new SrtpMasterKey(key, salt, new byte[0], MAX_SRTP_PACKETS);
    }

    /**
     * Splits SDES's inline key-salt (the base64-decoded {@code inline:} value) for a suite.
     *
     * @param suite the suite
     * @param keyAndSalt master key then master salt
     * @return the key
     * @throws IllegalArgumentException when the length does not fit the suite
     */
    public static SrtpMasterKey ofConcatenated(SrtpSuite suite, byte[] keyAndSalt) {
        int k = suite.keyLength();
        if (keyAndSalt.length != k + suite.saltLength()) {
            throw new IllegalArgumentException(suite + " needs " + (k + suite.saltLength())
                    + " bytes of key and salt, not " + keyAndSalt.length);
        }
        return of(Arrays.copyOf(keyAndSalt, k), Arrays.copyOfRange(keyAndSalt, k, keyAndSalt.length));
    }

    @Override
    public byte[] key() {
        return key.clone();
    }

    @Override
    public byte[] salt() {
        return salt.clone();
    }

    @Override
    public byte[] mki() {
        return mki.clone();
    }

    /** Equal when key, salt, MKI and lifetime are (an SDES re-offer repeats its a=crypto). */
    @Override
    public boolean equals(Object o) {
        return o instanceof SrtpMasterKey k && Arrays.equals(key, k.key) && Arrays.equals(salt, k.salt)
                && Arrays.equals(mki, k.mki) && lifetime == k.lifetime;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(key) * 31 + Arrays.hashCode(mki);
    }

    /** Keeps the key out of logs. */
    @Override
    public String toString() {
        return "SrtpMasterKey[" + key.length + "-byte key, mki " + mki.length + " bytes, lifetime "
                + lifetime + "]";
    }
}
