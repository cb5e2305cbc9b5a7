package io.rtpm.srtp;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * RFC 3711 section 4.3 with a key derivation rate of 0: each session key is the AES-CM
 * keystream (the PRF of section 4.3.3) of the master key, at IV = (master salt XOR label at
 * octet 7) * 2^16. With kdr 0, {@code r = index DIV kdr} is 0 (section 4.3.1), so the keys
 * are derived once.
 *
 * <p>The GCM suites use the same PRF (RFC 7714 section 11) with their 12-byte master salt
 * followed by two zero bytes, as libsrtp2 does.
 */
final class KeyDerivation {

    static final int SRTP_ENCRYPTION = 0x00;
    static final int SRTP_AUTHENTICATION = 0x01;
    static final int SRTP_SALT = 0x02;
    static final int SRTCP_ENCRYPTION = 0x03;
    static final int SRTCP_AUTHENTICATION = 0x04;
    static final int SRTCP_SALT = 0x05;

    private KeyDerivation() {
    }

    /**
     * The SRTP (labels 0-2) or SRTCP (labels 3-5) session keys of a master key.
     *
     * @param suite the suite, which says the lengths
     * @param master the master key and salt
     * @param rtcp whether the SRTCP keys are wanted
     * @return the keys
     */
    static SessionKeys derive(SrtpSuite suite, SrtpMasterKey master, boolean rtcp) {
        AesCmCipher prf = new AesCmCipher(master.key());
        byte[] salt = Arrays.copyOf(master.salt(), 14);
        int base = rtcp ? SRTCP_ENCRYPTION : SRTP_ENCRYPTION;
        return new SessionKeys(
                derive(prf, salt, base, suite.keyLength()),
                derive(prf, salt, base + SRTP_SALT, suite.saltLength()),
                derive(prf, salt, base + SRTP_AUTHENTICATION, suite.authKeyLength()));
    }

    /**
     * One session key.
     *
     * @param prf AES-CM under the master key
     * @param masterSalt the 14-byte master salt
     * @param label the key's label (RFC 3711 section 4.3.2 and 4.3.2's table)
     * @param length how many bytes
     * @return the key
     */
    static byte[] derive(AesCmCipher prf, byte[] masterSalt, int label, int length) {
        byte[] x = masterSalt.clone();
        x[7] ^= (byte) label;
        byte[] out = new byte[length];
        prf.xor(MemorySegment.ofArray(out), 0, length, x, 0, 0);
        return out;
    }
}
