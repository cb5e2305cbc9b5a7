package io.rtpm.srtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rtpm.rtp.Hex;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * The test vectors of RFC 3711 Appendix B (B.2 AES-CM keystream, B.3 key derivation) and of
 * RFC 7714 sections 16 (SRTP) and 17 (SRTCP), through both GCM engines.
 */
class RfcVectorsTest {

    // RFC 3711 B.2: session key and the IV F0F1...FCFD0000 (the salt, with SSRC and index 0)
    private static final String B2_KEY = "2B7E151628AED2A6ABF7158809CF4F3C";
    private static final String B2_SALT = "F0F1F2F3F4F5F6F7F8F9FAFBFCFD";

    @Test
    void aesCmKeystreamIsRfc3711AppendixB2() {
        int blocks = 0xFF02;
        byte[] ks = new byte[blocks * 16];
        new AesCmCipher(Hex.bytes(B2_KEY)).xor(MemorySegment.ofArray(ks), 0, ks.length, Hex.bytes(B2_SALT), 0, 0);
        assertArrayEquals(Hex.bytes("E03EAD0935C95E80E166B16DD92B4EB4"
                + "D23513162B02D0F72A43A2FE4A5F97AB41E95B3BB0A2E8DD477901E4FCA894C0"), Arrays.copyOf(ks, 48));
        assertArrayEquals(Hex.bytes("EC8CDF7398607CB0F2D21675EA9EA1E4362B7C3C6773516318A077D7FC5073AE"
                + "6A2CC3787889374FBEB4C81B17BA6C44"), Arrays.copyOfRange(ks, 0xFEFF * 16, blocks * 16));
    }

    @Test
    void keyDerivationIsRfc3711AppendixB3() {
        SrtpMasterKey master = SrtpMasterKey.of(Hex.bytes("E1F97A0D3E018BE0D64FA32C06DE4139"),
                Hex.bytes("0EC675AD498AFEEBB6960B3AABE6"));
        SessionKeys k = KeyDerivation.derive(SrtpSuite.AES_CM_128_HMAC_SHA1_80, master, false);
        assertArrayEquals(Hex.bytes("C61E7A93744F39EE10734AFE3FF7A087"), k.cipherKey());
        assertArrayEquals(Hex.bytes("30CBBC08863D8C85D49DB34A9AE1"), k.salt());
        // B.3 prints 94 bytes of k_a; HMAC-SHA1 takes the first 20
        assertArrayEquals(Hex.bytes("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4"), k.authKey());
    }

    // RFC 7714 sections 16 and 17: session keys given directly, the salt "Quid pro quo"
    private static final String KEY_128 = "000102030405060708090a0b0c0d0e0f";
    private static final String KEY_256 = KEY_128 + "101112131415161718191a1b1c1d1e1f";
    private static final String SALT = "517569642070726f2071756f";
    private static final String RTP = "8040f17b8041f8d35501a0b2"
            + "47616c6c696120657374206f6d6e69732064697669736120696e207061727465732074726573";
    private static final String SRTP_128 = "8040f17b8041f8d35501a0b2"
            + "f24de3a3fb34de6cacba861c9d7e4bcabe633bd50d294e6f42a5f47a51c7d19b36de3adf8833"
            + "899d7f27beb16a9152cf765ee4390cce";
    private static final String SRTP_256 = "8040f17b8041f8d35501a0b2"
            + "32b1de78a822fe12ef9f78fa332e33aab18012389a58e2f3b50b2a0276ffae0f1ba63799b87b"
            + "7aa3db36dfffd6b0f9bb7878d7a76c13";
    private static final String RTCP = "81c8000d4d6172734e5450314e545032525450200000042a0000e930"
            + "4c756e61deadbeefdeadbeefdeadbeefdeadbeefdeadbeef";
    private static final String SRTCP_128 = "81c8000d4d617273"
            + "63e94885dcdab67ca727d7662f6b7e997ff5c0f76c06f32dc676a5f1730d6fda4ce09b46"
            + "86303ded0bb9275bc84aa45896cf4d2fc5abf87245d9eade800005d4";
    private static final String SRTCP_256 = "81c8000d4d617273"
            + "d50ae4d1f5ce5d304ba297e47d470c282c3ece5dbffe0a50a2eaa5c1110555be8415f658"
            + "c61de0476f1b6fad1d1eb30c4446839f57ff6f6cb26ac3be800005d4";

    private static PacketCipher gcm(SrtpPolicy.GcmEngine engine, String key) {
        SessionKeys keys = new SessionKeys(Hex.bytes(key), Hex.bytes(SALT), new byte[0]);
        return PacketCipher.of(key.length() == 32 ? SrtpSuite.AEAD_AES_128_GCM : SrtpSuite.AEAD_AES_256_GCM,
                engine, keys, 16);
    }

    @ParameterizedTest
    @EnumSource(SrtpPolicy.GcmEngine.class)
    void gcmSrtpIsRfc7714Section16(SrtpPolicy.GcmEngine engine) {
        for (String[] v : new String[][] {{KEY_128, SRTP_128}, {KEY_256, SRTP_256}}) {
            try (Arena arena = Arena.ofConfined(); PacketCipher c = gcm(engine, v[0])) {
                byte[] plain = Hex.bytes(RTP);
                MemorySegment s = arena.allocate(plain.length + 16);
                MemorySegment.copy(plain, 0, s, ValueLayout.JAVA_BYTE, 0, plain.length);
                c.seal(s, 0, 12, plain.length - 12, 0x5501a0b2, 0xf17b, 0, false, plain.length);
                assertArrayEquals(Hex.bytes(v[1]), s.toArray(ValueLayout.JAVA_BYTE), "seal " + v[0].length() * 4);
                assertTrue(c.open(s, 0, 12, plain.length - 12, 0x5501a0b2, 0xf17b, 0, false, plain.length));
                assertArrayEquals(plain, s.asSlice(0, plain.length).toArray(ValueLayout.JAVA_BYTE));
                s.set(ValueLayout.JAVA_BYTE, 20, (byte) 1);
                assertFalse(c.open(s, 0, 12, plain.length - 12, 0x5501a0b2, 0xf17b, 0, false, plain.length));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpPolicy.GcmEngine.class)
    void gcmSrtcpIsRfc7714Section17(SrtpPolicy.GcmEngine engine) {
        int word = 0x800005d4; // E set, SRTCP index 0x5d4
        for (String[] v : new String[][] {{KEY_128, SRTCP_128}, {KEY_256, SRTCP_256}}) {
            try (Arena arena = Arena.ofConfined(); PacketCipher c = gcm(engine, v[0])) {
                byte[] plain = Hex.bytes(RTCP);
                int n = plain.length;
                MemorySegment s = arena.allocate(n + 16 + 4);
                MemorySegment.copy(plain, 0, s, ValueLayout.JAVA_BYTE, 0, n);
                c.seal(s, 0, 8, n - 8, 0x4d617273, 0x5d4, word, true, n);
                io.rtpm.rtp.Wire.putI32(s, n + 16, word);
                assertArrayEquals(Hex.bytes(v[1]), s.toArray(ValueLayout.JAVA_BYTE), "seal " + v[0].length() * 4);
                assertTrue(c.open(s, 0, 8, n - 8, 0x4d617273, 0x5d4, word, true, n));
                assertArrayEquals(plain, s.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE));
                assertFalse(c.open(s, 0, 8, n - 8, 0x4d617273, 0x5d4, word & 0x7fffffff, true, n),
                        "the E flag is authenticated");
            }
        }
    }
}
