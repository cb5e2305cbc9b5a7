package io.rtpm.srtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What a session does with each kind of bad packet, and with its limits, for every suite. */
class SrtpSessionTest {

    private final Arena arena = Arena.ofConfined();
    private final MemorySegment slot = arena.allocate(2048);

    @AfterEach
    void close() {
        arena.close();
    }

    private static SrtpMasterKey key(SrtpSuite suite, int seed, String mki, long lifetime) {
        byte[] k = new byte[suite.keyLength()];
        byte[] s = new byte[suite.saltLength()];
        for (int i = 0; i < k.length; i++) {
            k[i] = (byte) (seed + i);
        }
        for (int i = 0; i < s.length; i++) {
            s[i] = (byte) (seed * 3 + i);
        }
        return new SrtpMasterKey(k, s, java.util.HexFormat.of().parseHex(mki), lifetime);
    }

    private static SrtpPolicy policy(SrtpSuite suite, int maxStreams, SrtpMasterKey... keys) {
        return new SrtpPolicy(suite, List.of(keys), keys[0].mki().length, 0, maxStreams, true,
                SrtpPolicy.GcmEngine.LIBCRYPTO);
    }

    private int put(byte[] p) {
        MemorySegment.copy(p, 0, slot, ValueLayout.JAVA_BYTE, 0, p.length);
        return p.length;
    }

    private byte[] get(int n) {
        return slot.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
    }

    @ParameterizedTest
    @EnumSource(SrtpSuite.class)
    void dropsAndCountsEveryBadPacket(SrtpSuite suite) {
        SrtpPolicy p = policy(suite, 1, key(suite, 1, "", SrtpMasterKey.MAX_SRTP_PACKETS));
        byte[] rtp = TestPackets.rtp(1, 1).get(0);
        try (SrtpSession tx = SrtpSession.create(p); SrtpSession rx = SrtpSession.create(p)) {
            int n = tx.protectRtp(slot, 0, put(rtp), 2048);
            assertEquals(rtp.length + suite.rtpTagLength(), n);
            byte[] srtp = get(n);

            assertEquals(SrtpStatus.TRUNCATED, rx.unprotectRtp(slot, 0, 12 + suite.rtpTagLength() - 1));
            put(srtp);
            slot.set(ValueLayout.JAVA_BYTE, n - 1, (byte) (srtp[n - 1] ^ 1));
            assertEquals(SrtpStatus.AUTH_FAILED, rx.unprotectRtp(slot, 0, n), "a changed tag");
            put(srtp);
            slot.set(ValueLayout.JAVA_BYTE, 0, (byte) 0x40);
            assertEquals(SrtpStatus.MALFORMED, rx.unprotectRtp(slot, 0, n), "version 1");
            assertEquals(0, rx.streams(), "no stream from packets that failed");

            assertEquals(rtp.length, rx.unprotectRtp(slot, 0, put(srtp)));
            assertArrayEquals(rtp, get(rtp.length));
            assertEquals(SrtpStatus.REPLAYED, rx.unprotectRtp(slot, 0, put(srtp)));

            byte[] other = rtp.clone();
            other[8] ^= 1; // another SSRC: past the cap of 1
            assertEquals(SrtpStatus.TOO_MANY_STREAMS, tx.protectRtp(slot, 0, put(other), 2048));
            assertEquals(SrtpStatus.NO_ROOM, tx.protectRtp(slot, 0, put(rtp), rtp.length + suite.rtpTagLength() - 1));

            SrtpCounters c = rx.counters();
            assertEquals(1, c.unprotectedPackets());
            for (int st : new int[] {SrtpStatus.TRUNCATED, SrtpStatus.AUTH_FAILED, SrtpStatus.MALFORMED,
                    SrtpStatus.REPLAYED}) {
                assertEquals(1, c.dropped(st), SrtpStatus.name(st) + " in " + c);
            }
            assertEquals(1, tx.counters().dropped(SrtpStatus.TOO_MANY_STREAMS));
            assertEquals(1, tx.counters().dropped(SrtpStatus.NO_ROOM));
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpSuite.class)
    void srtcpRoundTripsWithAndWithoutEncryptionAndRefusesReplays(SrtpSuite suite) {
        SrtpMasterKey k = key(suite, 2, "", SrtpMasterKey.MAX_SRTP_PACKETS);
        for (boolean encrypt : new boolean[] {true, false}) {
            SrtpPolicy p = new SrtpPolicy(suite, List.of(k), 0, 0, 4, encrypt, SrtpPolicy.GcmEngine.LIBCRYPTO);
            try (SrtpSession tx = SrtpSession.create(p); SrtpSession rx = SrtpSession.create(p)) {
                for (byte[] rtcp : TestPackets.rtcp(3, 20)) {
                    int n = tx.protectRtcp(slot, 0, put(rtcp), 2048);
                    assertEquals(rtcp.length + 4 + suite.rtcpTagLength(), n);
                    if (rtcp.length > 8) {
                        assertEquals(encrypt, !java.util.Arrays.equals(rtcp, 8, rtcp.length, get(n), 8, rtcp.length),
                                "the payload is encrypted only with E");
                    }
                    byte[] srtcp = get(n);
                    assertEquals(rtcp.length, rx.unprotectRtcp(slot, 0, n));
                    assertArrayEquals(rtcp, get(rtcp.length));
                    assertEquals(SrtpStatus.REPLAYED, rx.unprotectRtcp(slot, 0, put(srtcp)));
                    put(srtcp);
                    slot.set(ValueLayout.JAVA_BYTE, n - 1, (byte) (srtcp[n - 1] ^ 0x80));
                    assertTrue(rx.unprotectRtcp(slot, 0, n) < 0, "a changed trailer");
                }
                assertEquals(20, rx.counters().unprotectedPackets());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpSuite.class)
    void theMkiPicksTheKeyAndAnUnknownOneIsCounted(SrtpSuite suite) {
        SrtpMasterKey a = key(suite, 3, "0001", SrtpMasterKey.MAX_SRTP_PACKETS);
        SrtpMasterKey b = key(suite, 4, "0002", SrtpMasterKey.MAX_SRTP_PACKETS);
        byte[] rtp = TestPackets.rtp(2, 1).get(0);
        try (SrtpSession txB = SrtpSession.create(policy(suite, 4, b, a));
             SrtpSession rx = SrtpSession.create(policy(suite, 4, a, b))) {
            int n = txB.protectRtp(slot, 0, put(rtp), 2048);
            assertEquals(rtp.length + suite.rtpTagLength() + 2, n);
            byte[] srtp = get(n);
            long mkiAt = suite.aead() ? n - 2 : n - 2 - suite.rtpTagLength();
            slot.set(ValueLayout.JAVA_BYTE, mkiAt + 1, (byte) 9);
            assertEquals(SrtpStatus.UNKNOWN_MKI, rx.unprotectRtp(slot, 0, n));
            assertEquals(rtp.length, rx.unprotectRtp(slot, 0, put(srtp)), "key b, found by its MKI");
            assertArrayEquals(rtp, get(rtp.length));
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpSuite.class)
    void aKeyStopsAtItsLifetime(SrtpSuite suite) {
        SrtpPolicy p = policy(suite, 4, key(suite, 5, "", 3));
        try (SrtpSession tx = SrtpSession.create(p)) {
            List<byte[]> packets = TestPackets.rtp(4, 5);
            for (int i = 0; i < 3; i++) {
                assertTrue(tx.protectRtp(slot, 0, put(packets.get(i)), 2048) > 0);
            }
            assertEquals(SrtpStatus.KEY_EXPIRED, tx.protectRtp(slot, 0, put(packets.get(3)), 2048));
            assertEquals(1, tx.counters().dropped(SrtpStatus.KEY_EXPIRED));
        }
    }

    @Test
    void aKeyDerivationRateOtherThanZeroIsRefusedWithTheReason() {
        SrtpSuite s = SrtpSuite.AES_CM_128_HMAC_SHA1_80;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SrtpPolicy(s,
                List.of(key(s, 1, "", 10)), 0, 1 << 16, 4, true, SrtpPolicy.GcmEngine.LIBCRYPTO));
        assertTrue(e.getMessage().contains("libsrtp2"), e.getMessage());
    }

    @Test
    void closingTwiceIsHarmlessAndAClosedGcmSessionRefusesWork() {
        SrtpSuite s = SrtpSuite.AEAD_AES_128_GCM;
        SrtpSession session = SrtpSession.create(policy(s, 4, key(s, 1, "", 10)));
        session.close();
        session.close();
        byte[] rtp = TestPackets.rtp(5, 1).get(0);
        assertThrows(IllegalStateException.class, () -> session.protectRtp(slot, 0, put(rtp), 2048));
    }

    @Test
    void masterKeysAreEqualByContent() {
        SrtpSuite s = SrtpSuite.AES_CM_128_HMAC_SHA1_80;
        assertEquals(key(s, 1, "01", 10), key(s, 1, "01", 10));
        assertEquals(key(s, 1, "01", 10).hashCode(), key(s, 1, "01", 10).hashCode());
        assertTrue(!key(s, 1, "01", 10).equals(key(s, 2, "01", 10)));
        assertTrue(!key(s, 1, "01", 10).toString().contains("key="), "no key material in logs");
    }

    @Test
    void badKeysAreRefusedWhenThePolicyIsMade() {
        SrtpSuite s = SrtpSuite.AEAD_AES_128_GCM;
        assertThrows(IllegalArgumentException.class, () -> SrtpPolicy.of(s,
                key(SrtpSuite.AES_CM_128_HMAC_SHA1_80, 1, "", 10)), "a 14-byte salt for GCM");
        assertThrows(IllegalArgumentException.class, () -> policy(s, 4, key(s, 1, "01", 10), key(s, 2, "01", 10)),
                "two keys, one MKI");
        assertThrows(IllegalArgumentException.class, () -> SrtpSuite.ofSdesName("F8_128_HMAC_SHA1_80"));
    }
}
