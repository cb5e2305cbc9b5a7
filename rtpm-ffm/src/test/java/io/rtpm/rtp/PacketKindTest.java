package io.rtpm.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class PacketKindTest {

    private static PacketKind kind(int b0, int b1) {
        return PacketKind.classify(MemorySegment.ofArray(new byte[] {(byte) b0, (byte) b1}), 0, 2);
    }

    @Test
    void secondByteSplitsRtpFromRtcpAtTheRfc5761Boundaries() {
        assertEquals(PacketKind.RTP, kind(0x80, 191));
        assertEquals(PacketKind.RTCP, kind(0x80, 192));
        assertEquals(PacketKind.RTCP, kind(0x81, 200));
        assertEquals(PacketKind.RTCP, kind(0x80, 223));
        assertEquals(PacketKind.RTP, kind(0x80, 224));
        assertEquals(PacketKind.RTP, kind(0x80, 0x80 | 96));
    }

    @Test
    void firstByteRangesFollowRfc7983() {
        final PacketKind[] want = new PacketKind[256];
        for (int b = 0; b < 256; b++) {
            want[b] = b <= 3 ? PacketKind.STUN
                    : b >= 16 && b <= 19 ? PacketKind.ZRTP
                    : b >= 20 && b <= 63 ? PacketKind.DTLS
                    : b >= 64 && b <= 79 ? PacketKind.TURN_CHANNEL
                    : b >= 128 && b <= 191 ? PacketKind.RTP
                    : PacketKind.UNKNOWN;
        }
        for (int b = 0; b < 256; b++) {
            assertEquals(want[b], kind(b, 0), "first byte " + b);
        }
    }

    @Test
    void neverReadsPastTheDatagram() {
        final MemorySegment one = MemorySegment.ofArray(new byte[] {(byte) 0x80});
        assertEquals(PacketKind.UNKNOWN, PacketKind.classify(one, 0, 1));
        assertEquals(PacketKind.UNKNOWN, PacketKind.classify(one, 0, 0));
    }
}
