package io.rtpm.srtp;

/**
 * The keys RFC 3711 section 4.3 derives from a master key for SRTP or for SRTCP.
 *
 * @param cipherKey the session encryption key (k_e)
 * @param salt the session salt (k_s): 14 bytes for AES-CM, 12 for GCM
 * @param authKey the HMAC-SHA1 key (k_a), empty for the AEAD suites
 */
record SessionKeys(byte[] cipherKey, byte[] salt, byte[] authKey) {
}
