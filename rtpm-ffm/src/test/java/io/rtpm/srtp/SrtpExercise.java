package io.rtpm.srtp;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * Feeds arbitrary bytes to SRTP and SRTCP unprotect, for every suite, in a native segment of
 * exactly their size (a read past the packet throws), and checks an oracle: what rtpm protects,
 * rtpm unprotects back to the same bytes, and any one changed byte after the header makes it
 * fail. Any exception or {@link AssertionError} is a bug. Shared by the Jazzer fuzz test and the
 * seeded random-bytes test.
 *
 * <p>The first byte picks the suite, RTP or RTCP and the mode; the rest is the packet.
 */
final class SrtpExercise implements AutoCloseable {

    private final SrtpSession[] rx = new SrtpSession[SrtpSuite.values().length];

    SrtpExercise() {
        for (SrtpSuite suite : SrtpSuite.values()) {
            byte[] k = new byte[suite.keyLength() + suite.saltLength()];
            Arrays.fill(k, (byte) suite.ordinal());
            SrtpMasterKey key = SrtpMasterKey.ofConcatenated(suite, k);
            SrtpPolicy policy = new SrtpPolicy(suite, java.util.List.of(key), 0, 0, 8, true,
                    SrtpPolicy.GcmEngine.LIBCRYPTO);
            rx[suite.ordinal()] = SrtpSession.create(policy);
        }
    }

    void run(byte[] data) {
        if (data.length < 2) {
            return;
        }
        int control = data[0] & 0xFF;
        SrtpSuite suite = SrtpSuite.values()[(control & 0x7) % SrtpSuite.values().length];
        boolean rtcp = (control & 0x8) != 0;
        byte[] packet = Arrays.copyOfRange(data, 1, data.length);
        if ((control & 0x10) == 0) {
            unprotect(suite, rtcp, packet);
        } else {
            roundTrip(suite, rtcp, packet, control >>> 5);
        }
    }

    private void unprotect(SrtpSuite suite, boolean rtcp, byte[] packet) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(packet.length);
            MemorySegment.copy(packet, 0, s, ValueLayout.JAVA_BYTE, 0, packet.length);
            SrtpSession session = rx[suite.ordinal()];
            int n = rtcp ? session.unprotectRtcp(s, 0, packet.length) : session.unprotectRtp(s, 0, packet.length);
            check(n < 0 ? n >= -SrtpStatus.COUNT : n <= packet.length - 4, "status " + n);
        }
    }

    /** Fresh sessions each time: exactly this packet, no replay state or stream cap in the way. */
    private void roundTrip(SrtpSuite suite, boolean rtcp, byte[] packet, int flip) {
        SrtpPolicy p = rx[suite.ordinal()].policy();
        try (Arena arena = Arena.ofConfined(); SrtpSession session = SrtpSession.create(p);
             SrtpSession receiver = SrtpSession.create(p)) {
            int capacity = packet.length + session.overhead();
            MemorySegment s = arena.allocate(capacity);
            MemorySegment.copy(packet, 0, s, ValueLayout.JAVA_BYTE, 0, packet.length);
            int n = rtcp ? session.protectRtcp(s, 0, packet.length, capacity)
                    : session.protectRtp(s, 0, packet.length, capacity);
            if (n < 0) {
                return; // not RTP or RTCP
            }
            byte[] sent = s.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
            if (flip < 7) {
                int at = (rtcp ? 8 : 12) + flip * 7919 % Math.max(1, n - (rtcp ? 8 : 12));
                if (at < n) {
                    s.set(ValueLayout.JAVA_BYTE, at, (byte) (sent[at] ^ 0x20));
                    int bad = rtcp ? receiver.unprotectRtcp(s, 0, n) : receiver.unprotectRtp(s, 0, n);
                    check(bad < 0, "a changed byte at " + at + " of " + n + " passed: " + bad);
                    MemorySegment.copy(sent, 0, s, ValueLayout.JAVA_BYTE, 0, n);
                }
            }
            int m = rtcp ? receiver.unprotectRtcp(s, 0, n) : receiver.unprotectRtp(s, 0, n);
            check(m == packet.length, suite + " round trip gave " + SrtpStatus.name(m));
            check(Arrays.equals(packet, s.asSlice(0, m).toArray(ValueLayout.JAVA_BYTE)), "round trip changed bytes");
        }
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }

    @Override
    public void close() {
        for (SrtpSession session : rx) {
            session.close();
        }
    }
}
