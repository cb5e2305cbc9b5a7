package io.rtpm.ng.sdp;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/** Seeded random SDP bodies that the parser must accept: known lines valid, the rest arbitrary. */
final class RandomSdp {

    private static final String[] ATTRS = {"sendrecv", "sendonly", "recvonly", "inactive", "rtcp-mux",
        "ptime:20", "fmtp:101 0-16", "rtpmap:0 PCMU/8000", "rtpmap:111 opus/48000/2", "rtcp:9",
        "rtcp:40001 IN IP4 10.0.0.9", "ice-ufrag:F7gI", "ice-pwd:x9cml/YzichV2+XlhiMu8g",
        "candidate:1 1 UDP 2130706431 10.0.0.1 8998 typ host", "end-of-candidates",
        "crypto:1 AES_CM_128_HMAC_SHA1_32 inline:NzB4d1BINUAvLEw6UzF3WSJ+PSdFcGdUJShpX1Zj|2^20|1:32",
        "mid:0", "extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level", "x-unknown", "group:BUNDLE 0"};

    private final SplittableRandom rnd;

    RandomSdp(long seed) {
        rnd = new SplittableRandom(seed);
    }

    byte[] next() {
        final StringBuilder sb = new StringBuilder();
        line(sb, "v=0");
        line(sb, "o=" + word() + " " + rnd.nextLong(0, Long.MAX_VALUE) + " " + rnd.nextInt(1 << 30)
                + " IN IP4 " + address());
        line(sb, "s=" + (rnd.nextInt(4) == 0 ? "" : text()));
        final boolean sessionC = rnd.nextBoolean();
        if (sessionC) {
            line(sb, "c=IN " + (rnd.nextBoolean() ? "IP4 " : "IP6 ") + address());
        }
        line(sb, "t=0 0");
        for (int i = rnd.nextInt(3); i > 0; i--) {
            extra(sb);
        }
        for (int m = rnd.nextInt(4); m > 0; m--) {
            final int port = rnd.nextInt(6) == 0 ? 0 : rnd.nextInt(1, 65536);
            line(sb, "m=" + (rnd.nextBoolean() ? "audio" : "video") + " " + port
                    + (rnd.nextInt(8) == 0 ? "/2" : "") + " RTP/AVP" + (rnd.nextBoolean() ? "F" : "")
                    + " 0 8 101");
            if (!sessionC || rnd.nextBoolean()) {
                line(sb, "c=IN IP4 " + address());
            }
            for (int i = rnd.nextInt(6); i > 0; i--) {
                if (rnd.nextInt(4) == 0) {
                    extra(sb);
                } else {
                    line(sb, "a=" + ATTRS[rnd.nextInt(ATTRS.length)]);
                }
            }
        }
        if (rnd.nextInt(5) == 0) {
            sb.append("\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private void extra(StringBuilder sb) {
        final String[] types = {"i=", "u=", "e=", "b=AS:", "k=clear:", "z=", "x=", "a=x-"};
        line(sb, types[rnd.nextInt(types.length)] + text());
    }

    private void line(StringBuilder sb, String l) {
        sb.append(l).append(switch (rnd.nextInt(10)) {
            case 0 -> "\n";
            default -> "\r\n";
        });
    }

    private String word() {
        return rnd.nextBoolean() ? "-" : "user" + rnd.nextInt(100);
    }

    private String address() {
        return "10." + rnd.nextInt(256) + "." + rnd.nextInt(256) + "." + rnd.nextInt(256);
    }

    /** Any bytes but CR, LF and NUL, including non-UTF-8 ones. */
    private String text() {
        final StringBuilder t = new StringBuilder();
        for (int i = rnd.nextInt(1, 12); i > 0; i--) {
            char c;
            do {
                c = (char) rnd.nextInt(1, 256);
            } while (c == '\r' || c == '\n');
            t.append(c);
        }
        return t.toString();
    }
}
