package io.rtpm.ffm.shm;

import io.rtpm.ffm.RingConfig;
import io.rtpm.ffm.RingSession;
import io.rtpm.ffm.RingStats;
import io.rtpm.ffm.Role;
import io.rtpm.ffm.Slot;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * kernel-module/tests/rtp_tracking.vec through the user-space ring: the same packets, pushed
 * through real slots of a freshly configured ring per case, must give the module's counters.
 */
class RtpTrackingVectorTest {

    private static final ValueLayout.OfShort BE16 =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt BE32 =
            ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    /** The vector file: -Drtpm.vec, else found by walking up from the working directory. */
    static Path vectorFile() {
        String p = System.getProperty("rtpm.vec");
        if (p != null) {
            return Path.of(p);
        }
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path f = d.resolve("kernel-module/tests/rtp_tracking.vec");
            if (Files.isRegularFile(f)) {
                return f;
            }
        }
        throw new AssertionError("kernel-module/tests/rtp_tracking.vec not found above "
                + Path.of("").toAbsolutePath() + ": run from the repository or pass -Drtpm.vec=");
    }

    private static long num(String s) {
        return s.startsWith("0x") ? Long.parseLong(s.substring(2), 16) : Long.parseLong(s);
    }

    @Test
    void everyVectorGivesTheModuleCounters() throws IOException {
        Path file = vectorFile();
        List<String> lines = Files.readAllLines(file);
        int cases = 0;
        int expects = 0;
        try (ShmDir dir = new ShmDir(); ShmRingDevice dev = ShmRingDevice.open(dir.path)) {
            RingSession s = null;
            String name = null;
            try {
                for (int n = 0; n < lines.size(); n++) {
                    String line = lines.get(n).replaceFirst("#.*", "").trim();
                    if (line.isEmpty()) {
                        continue;
                    }
                    String[] f = line.split("\\s+");
                    String where = file.getFileName() + ":" + (n + 1) + " (case " + name + ")";
                    switch (f[0]) {
                        case "case" -> {
                            if (s != null) {
                                s.close();
                                dev.stop(0);
                            }
                            name = f[1];
                            dev.configure(RingConfig.of(0, 2, 64));
                            dev.start(0);
                            s = dev.attach(0, Role.PRODUCER, Role.CONSUMER);
                            cases++;
                        }
                        case "rtp" -> push(s, where, rtp(num(f[1]), num(f[2]), num(f[3])));
                        case "raw" -> push(s, where, f[1].equals("-") ? new byte[0]
                                : HexFormat.of().parseHex(f[1]));
                        case "expect" -> {
                            assertNotNull(s, where + ": expect before any case");
                            check(s.stats(), f, where);
                            expects++;
                        }
                        default -> fail(where + ": unknown directive " + f[0]);
                    }
                }
            } finally {
                if (s != null) {
                    s.close();
                }
            }
        }
        // a truncated or emptied vector file must not pass quietly
        assertTrue(cases >= 15, "only " + cases + " cases in " + file);
        assertTrue(expects >= cases, "only " + expects + " expects for " + cases + " cases");
    }

    private static byte[] rtp(long ssrc, long seq, long ts) {
        byte[] b = new byte[12];
        MemorySegment m = MemorySegment.ofArray(b);
        m.set(ValueLayout.JAVA_BYTE, 0, (byte) 0x80);
        m.set(ValueLayout.JAVA_BYTE, 1, (byte) 96);
        m.set(BE16, 2, (short) seq);
        m.set(BE32, 4, (int) ts);
        m.set(BE32, 8, (int) ssrc);
        return b;
    }

    /** Pushes one packet through a real slot, then pops and releases it so the ring never fills. */
    private static void push(RingSession s, String where, byte[] pkt) {
        assertNotNull(s, where + ": packet before any case");
        Slot c = s.claim();
        assertNotNull(c, where);
        MemorySegment.copy(MemorySegment.ofArray(pkt), 0, c.payload(), 0, pkt.length);
        s.push(c, pkt.length);
        Slot p = s.pop();
        assertEquals(c.index(), p.index(), where);
        if (pkt.length >= 12 && (pkt[0] & 0xc0) == 0x80 && !((pkt[1] & 0xff) >= 192 && (pkt[1] & 0xff) <= 223)) {
            assertEquals(Slot.META_RTP, p.rtpFlags(), where);
            assertEquals(MemorySegment.ofArray(pkt).get(BE32, 8), p.rtpSsrc(), where);
            assertEquals(MemorySegment.ofArray(pkt).get(BE32, 4), p.rtpTimestamp(), where);
            assertEquals(Short.toUnsignedInt(MemorySegment.ofArray(pkt).get(BE16, 2)),
                    p.rtpSequence() & 0xffff, where + ": the extended number ends in the packet's");
        } else {
            assertEquals(Slot.META_NOT_RTP, p.rtpFlags(), where);
        }
        s.release(p);
    }

    private static void check(RingStats st, String[] f, String where) {
        List<String> keys = new ArrayList<>();
        for (int i = 1; i < f.length; i++) {
            String[] kv = f[i].split("=", 2);
            keys.add(kv[0]);
            long want = num(kv[1]);
            long got = switch (kv[0]) {
                case "lost" -> st.rtpLost();
                case "duplicates" -> st.rtpDuplicates();
                case "reorders" -> st.rtpReorders();
                case "resets" -> st.rtpResets();
                case "not_rtp" -> st.rtpNotRtp();
                case "ssrc" -> Integer.toUnsignedLong(st.rtpSsrc());
                case "max_seq" -> Integer.toUnsignedLong(st.rtpMaxSeq());
                default -> throw new AssertionError(where + ": unknown key " + kv[0]);
            };
            assertEquals(want, got, where + ": " + kv[0]);
        }
        assertEquals(List.of("lost", "duplicates", "reorders", "resets", "not_rtp", "ssrc", "max_seq"),
                keys, where + ": all seven keys, in order");
    }
}
