package io.rtpm.srtp;

/**
 * The SRTP crypto suites rtpm protects and unprotects, named as SDES (RFC 4568) names them.
 *
 * <p>AES-CM suites (RFC 3711, RFC 6188) encrypt with AES in counter mode and authenticate with
 * HMAC-SHA1 truncated to {@link #rtpTagLength()}; the AEAD suites (RFC 7714) encrypt and
 * authenticate with AES-GCM and a 16-byte tag. Every suite derives its session keys with the
 * AES-CM PRF of RFC 3711 section 4.3.3.
 */
public enum SrtpSuite {
    /** RFC 4568 section 6.2.1: AES-128 counter mode, 80-bit HMAC-SHA1 tag. */
    AES_CM_128_HMAC_SHA1_80(16, 14, 20, 10, 10),
    /** RFC 4568 section 6.2.2: as above with a 32-bit RTP tag; SRTCP keeps 80 bits. */
    AES_CM_128_HMAC_SHA1_32(16, 14, 20, 4, 10),
    /** RFC 6188 section 7.1: AES-256 counter mode, 80-bit HMAC-SHA1 tag. */
    AES_256_CM_HMAC_SHA1_80(32, 14, 20, 10, 10),
    /** RFC 7714 section 14.1: AES-128-GCM with a 16-byte tag and a 12-byte salt. */
    AEAD_AES_128_GCM(16, 12, 0, 16, 16),
    /** RFC 7714 section 14.1: AES-256-GCM with a 16-byte tag and a 12-byte salt. */
    AEAD_AES_256_GCM(32, 12, 0, 16, 16);

    private final int keyLength;
    private final int saltLength;
    private final int authKeyLength;
    private final int rtpTagLength;
    private final int rtcpTagLength;

    SrtpSuite(int keyLength, int saltLength, int authKeyLength, int rtpTagLength, int rtcpTagLength) {
        this.keyLength = keyLength;
        this.saltLength = saltLength;
        this.authKeyLength = authKeyLength;
        this.rtpTagLength = rtpTagLength;
        this.rtcpTagLength = rtcpTagLength;
    }

    /** @return the master (and session) key length in bytes: 16 or 32 */
    public int keyLength() {
        return keyLength;
    }

    /** @return the master (and session) salt length in bytes: 14 (AES-CM) or 12 (GCM) */
    public int saltLength() {
        return saltLength;
    }

    /** @return the HMAC-SHA1 session key length in bytes, 0 for the AEAD suites */
    public int authKeyLength() {
        return authKeyLength;
    }

    /** @return the bytes an SRTP packet grows by for its tag: 4, 10 or 16 */
    public int rtpTagLength() {
        return rtpTagLength;
    }

    /** @return the bytes of an SRTCP packet's tag: 10 or 16 */
    public int rtcpTagLength() {
        return rtcpTagLength;
    }

    /** @return whether the suite is an AEAD (AES-GCM) one */
    public boolean aead() {
        return authKeyLength == 0;
    }

    /**
     * The suite of an SDES name.
     *
     * @param sdesName e.g. {@code AES_CM_128_HMAC_SHA1_80}
     * @return the suite
     * @throws IllegalArgumentException naming the suites rtpm knows, when there is none of that name
     */
    public static SrtpSuite ofSdesName(String sdesName) {
        for (SrtpSuite s : values()) {
            if (s.name().equals(sdesName)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown SRTP crypto suite '" + sdesName
                + "': rtpm knows " + java.util.Arrays.toString(values()));
    }
}
