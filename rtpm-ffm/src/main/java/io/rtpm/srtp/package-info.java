/**
 * SRTP and SRTCP (RFC 3711, RFC 7714): the suites AES_CM_128_HMAC_SHA1_80 and _32,
 * AES_256_CM_HMAC_SHA1_80, AEAD_AES_128_GCM and AEAD_AES_256_GCM, protecting and unprotecting
 * in place in a ring slot with no allocation per packet.
 *
 * <p>{@link io.rtpm.srtp.SrtpSession} is the entry point, one per leg and direction, built from
 * an {@link io.rtpm.srtp.SrtpPolicy}. Inside: key derivation ({@code KeyDerivation}, RFC 3711
 * section 4.3, kdr 0), the per-SSRC state ({@code SrtpContext}: rollover counter and index
 * estimate, section 3.3.1, and replay list, 3.3.2; {@code SrtcpContext}: SRTCP index), and the
 * transforms ({@code AesCmHmacCipher} on the JDK's AES and SHA-1; {@code AesGcmCipher} on
 * OpenSSL's libcrypto through FFM, {@code JceAesGcmCipher} on the JDK's GCM, kept to compare).
 * docs/perf/srtp.md has the measurements.
 */
package io.rtpm.srtp;
