package io.rtpm.srtp;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Plain RTP and RTCP packets for the SRTP tests: two SSRCs, sequence numbers that wrap (so the
 * ROC moves), some reordering within the replay window, CSRCs and header extensions now and then,
 * payloads of 0 to 400 bytes.
 */
final class TestPackets {

    private TestPackets() {
    }

    static List<byte[]> rtp(long seed, int count) {
        Random r = new Random(seed);
        List<byte[]> out = new ArrayList<>();
        int[] seq = {65_400, 12};
        int[] ssrc = {0x1234_5678, 0xCAFE_BABE};
        for (int i = 0; i < count; i++) {
            int k = i & 1;
            int csrcs = r.nextInt(8) == 0 ? r.nextInt(3) : 0;
            int ext = r.nextInt(6) == 0 ? 1 + r.nextInt(3) : -1;
            int payload = r.nextInt(10) == 0 ? 0 : r.nextInt(400);
            int h = 12 + 4 * csrcs + (ext >= 0 ? 4 + 4 * ext : 0);
            byte[] p = new byte[h + payload];
            r.nextBytes(p);
            p[0] = (byte) (0x80 | (ext >= 0 ? 0x10 : 0) | csrcs);
            p[1] = (byte) (r.nextInt(128));
            p[2] = (byte) (seq[k] >>> 8);
            p[3] = (byte) seq[k];
            seq[k] = (seq[k] + 1) & 0xFFFF;
            putInt(p, 8, ssrc[k]);
            if (ext >= 0) {
                int at = 12 + 4 * csrcs;
                p[at] = (byte) 0xBE;
                p[at + 1] = (byte) 0xDE;
                p[at + 2] = 0;
                p[at + 3] = (byte) ext;
            }
            out.add(p);
        }
        for (int i = 0; i + 6 < count; i += 17) { // reorder a little, well inside the window
            Collections.swap(out, i, i + 6);
        }
        return out;
    }

    static List<byte[]> rtcp(long seed, int count) {
        Random r = new Random(seed);
        List<byte[]> out = new ArrayList<>();
        int[] ssrc = {0x1234_5678, 0xCAFE_BABE};
        for (int i = 0; i < count; i++) {
            int words = 1 + r.nextInt(40);
            byte[] p = new byte[4 + 4 * words];
            r.nextBytes(p);
            p[0] = (byte) 0x80;
            p[1] = (byte) (r.nextBoolean() ? 200 : 201);
            p[2] = (byte) ((words) >>> 8);
            p[3] = (byte) words;
            putInt(p, 4, ssrc[i & 1]);
            out.add(p);
        }
        return out;
    }

    private static void putInt(byte[] p, int at, int v) {
        p[at] = (byte) (v >>> 24);
        p[at + 1] = (byte) (v >>> 16);
        p[at + 2] = (byte) (v >>> 8);
        p[at + 3] = (byte) v;
    }
}
