package io.rtpm.srtp;

import java.util.List;

/**
 * What one direction of one leg needs to protect or unprotect: the suite, its master keys and
 * the limits.
 *
 * <p>A key derivation rate other than 0 is refused: RFC 3711 section 4.3.1 allows re-keying every
 * 2^n packets, but libsrtp2 implements none, so no peer in the field would agree on keys, and no
 * independent implementation could check ours.
 *
 * @param suite the crypto suite
 * @param keys the master keys; with MKI each carries an {@code mkiLength}-byte MKI, all
 *             different; without MKI exactly one key. The first is used to protect.
 * @param mkiLength the MKI length in bytes carried by each packet, 0 for none (at most 128)
 * @param keyDerivationRate RFC 3711's kdr; only 0 is accepted
 * @param maxStreams how many SSRCs the session keeps contexts for; a packet of one more is
 *                   dropped and counted ({@link SrtpStatus#TOO_MANY_STREAMS})
 * @param encryptRtcp whether protected SRTCP packets are encrypted (the E flag); received ones
 *                    are handled as their E flag says
 * @param gcmEngine which AES-GCM implementation the AEAD suites use
 */
public record SrtpPolicy(SrtpSuite suite, List<SrtpMasterKey> keys, int mkiLength,
                         long keyDerivationRate, int maxStreams, boolean encryptRtcp,
                         GcmEngine gcmEngine) {

    /** The default {@link #maxStreams()}: a call leg seldom carries more than a few SSRCs. */
    public static final int DEFAULT_MAX_STREAMS = 64;

    /** Checks the whole policy, so that a session built from it cannot fail per packet. */
    public SrtpPolicy {
        keys = List.copyOf(keys);
        if (keyDerivationRate != 0) {
            throw new IllegalArgumentException("SRTP key derivation rate " + keyDerivationRate
                    + " refused: only 0 is supported (libsrtp2 has no other, so no peer could agree)");
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("an SRTP policy needs at least one master key");
        }
        if (mkiLength < 0 || mkiLength > 128) {
            throw new IllegalArgumentException("MKI length must be 0..128 bytes, not " + mkiLength);
        }
        if (mkiLength == 0 && keys.size() != 1) {
            throw new IllegalArgumentException("without MKI a policy takes one master key, not " + keys.size());
        }
        if (maxStreams < 1) {
            throw new IllegalArgumentException("maxStreams must be at least 1, not " + maxStreams);
        }
        for (int i = 0; i < keys.size(); i++) {
            SrtpMasterKey k = keys.get(i);
            if (k.key().length != suite.keyLength() || k.salt().length != suite.saltLength()) {
                throw new IllegalArgumentException(suite + " needs a " + suite.keyLength()
                        + "-byte key and a " + suite.saltLength() + "-byte salt; key " + i + " has "
                        + k.key().length + " and " + k.salt().length);
            }
            if (k.mki().length != mkiLength) {
                throw new IllegalArgumentException("key " + i + " has a " + k.mki().length
                        + "-byte MKI where the policy says " + mkiLength);
            }
            for (int j = 0; j < i; j++) {
                if (java.util.Arrays.equals(k.mki(), keys.get(j).mki())) {
                    throw new IllegalArgumentException("keys " + j + " and " + i + " have the same MKI");
                }
            }
        }
    }

    /**
     * One master key without MKI, encrypted SRTCP, the default stream cap and the GCM engine
     * that ships.
     *
     * @param suite the suite
     * @param key the master key
     * @return the policy
     */
    public static SrtpPolicy of(SrtpSuite suite, SrtpMasterKey key) {
        return new SrtpPolicy(suite, List.of(key), 0, 0, DEFAULT_MAX_STREAMS, true, GcmEngine.LIBCRYPTO);
    }

    /**
     * The same policy with another GCM engine.
     *
     * @param engine the engine
     * @return the policy
     */
    public SrtpPolicy withGcmEngine(GcmEngine engine) {
        return new SrtpPolicy(suite, keys, mkiLength, keyDerivationRate, maxStreams, encryptRtcp, engine);
    }

    /** Which AES-GCM implementation the AEAD suites use (docs/perf/srtp.md compares them). */
    public enum GcmEngine {
        /** OpenSSL's libcrypto (Debian's libssl3) through FFM: no allocation per packet. */
        LIBCRYPTO,
        /** The JDK's {@code AES/GCM/NoPadding}: needs a new parameter spec per packet. */
        JCE
    }
}
