package io.rtpm.rtp.rtcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rtpm.rtp.ParserExercise;
import io.rtpm.rtp.RandomCase;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Properties of the RTCP writer and parsers over generated compounds ({@link RandomCase}: seeded,
 * leaning to edge values; a failure names the seed that replays it).
 */
class RtcpPropertiesTest {

    private final ParserExercise exercise = new ParserExercise();

    /** A compound SR or RR, SDES with a CNAME, NACK when something was lost, PLI and BYE. */
    private record Compound(boolean sender, int ssrc, long ntp, int rtpTimestamp, int packets,
            int octets, List<ReportBlock> blocks, String cname, String reason, int[] lost) {

        static Compound draw(RandomCase c, int maxBlocks, int maxText, int maxLost) {
            final List<ReportBlock> blocks = new ArrayList<>();
            for (int n = c.intIn(0, maxBlocks); n > 0; n--) {
                blocks.add(new ReportBlock(c.anyInt(), c.intIn(0, 255),
                        c.intIn(-0x800000, 0x7FFFFF), c.anyInt(), c.anyInt(), c.anyInt(),
                        c.anyInt()));
            }
            return new Compound(c.bool(), c.anyInt(), c.anyLong(), c.anyInt(), c.anyInt(),
                    c.anyInt(), blocks, c.utf8(maxText), c.utf8(maxText), lost(c, maxLost));
        }

        /**
         * Distinct lost sequence numbers, ascending in sequence-number order within half the
         * number space: dense runs (one NACK entry holds 17), sparse ones, and runs across the
         * 65535 to 0 wrap.
         */
        private static int[] lost(RandomCase c, int max) {
            final int count = c.intIn(0, max);
            final int span = Math.max(count, c.oneOf(count, 17, 18, 2000, 32768));
            final TreeSet<Integer> offsets = new TreeSet<>();
            while (offsets.size() < count) {
                offsets.add(c.intIn(0, span - 1));
            }
            final int start = c.oneIn(4) ? 65535 - c.intIn(0, 40) : c.intIn(0, 65535);
            return offsets.stream().mapToInt(off -> (start + off) & 0xFFFF).toArray();
        }

        /** Writes the compound at the start of {@code buf} and returns its length. */
        int build(MemorySegment buf) {
            final RtcpWriter w = new RtcpWriter().wrap(buf, 0, (int) buf.byteSize());
            if (sender) {
                w.senderReport(ssrc, ntp, rtpTimestamp, packets, octets);
            } else {
                w.receiverReport(ssrc);
            }
            blocks.forEach(w::addReportBlock);
            w.sdes().addSdesChunk(ssrc).addSdesItem(SdesItems.CNAME, cname);
            if (lost.length > 0) {
                w.nack(ssrc, ~ssrc, lost, lost.length);
            }
            w.pli(ssrc, ~ssrc);
            return w.bye(reason, ssrc).finish();
        }
    }

    private static byte[] bytes(MemorySegment s, int length) {
        return s.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE);
    }

    @Test
    void parseOfBuildGivesBackEveryField() {
        RandomCase.forEach(0x52_54_43_01L, 1000, c -> {
            final Compound sent = Compound.draw(c, 31, 255, 40);
            final MemorySegment buf = MemorySegment.ofArray(new byte[4096]);
            final int len = sent.build(buf);
            final MemorySegment exact = MemorySegment.ofArray(bytes(buf, len));
            assertEquals(RtcpCheck.OK, RtcpCompound.validate(exact, 0, len, true));

            final RtcpCompound it = new RtcpCompound().wrap(exact, 0, len);
            assertTrue(it.next());
            RtcpPacket p = it.packet();
            assertEquals(sent.sender() ? RtcpPacket.SR : RtcpPacket.RR, p.packetType());
            assertEquals(sent.ssrc(), p.senderSsrc());
            if (sent.sender()) {
                assertEquals(sent.ntp(), p.ntpTimestamp());
                assertEquals(sent.rtpTimestamp(), p.rtpTimestamp());
                assertEquals(sent.packets(), p.senderPacketCount());
                assertEquals(sent.octets(), p.senderOctetCount());
            }
            assertEquals(sent.blocks().size(), p.count());
            for (int i = 0; i < sent.blocks().size(); i++) {
                assertEquals(sent.blocks().get(i), p.reportBlock(i), "report block " + i);
            }
            assertTrue(it.next());
            final SdesItems items = new SdesItems().reset(it.packet());
            assertTrue(items.nextChunk());
            assertEquals(sent.ssrc(), items.chunkSsrc());
            assertTrue(items.nextItem());
            assertEquals(SdesItems.CNAME, items.itemType());
            assertEquals(sent.cname(), items.itemText());
            assertFalse(items.nextItem());
            assertFalse(items.nextChunk());
            if (sent.lost().length > 0) {
                assertTrue(it.next());
                p = it.packet();
                assertTrue(p.isNack());
                assertEquals(~sent.ssrc(), p.mediaSsrc());
                final List<Integer> unpacked = new ArrayList<>();
                for (int i = 0; i < p.nackCount(); i++) {
                    unpacked.add(p.nackPid(i));
                    for (int bit = 0; bit < 16; bit++) {
                        if ((p.nackBlp(i) & 1 << bit) != 0) {
                            unpacked.add((p.nackPid(i) + bit + 1) & 0xFFFF);
                        }
                    }
                }
                assertEquals(Arrays.stream(sent.lost()).boxed().toList(), unpacked);
            }
            assertTrue(it.next());
            assertTrue(it.packet().isPli());
            assertEquals(~sent.ssrc(), it.packet().mediaSsrc());
            assertTrue(it.next());
            p = it.packet();
            assertEquals(RtcpPacket.BYE, p.packetType());
            assertEquals(1, p.count());
            assertEquals(sent.ssrc(), p.byeSsrc(0));
            assertEquals(sent.reason(), p.byeReason());
            assertFalse(it.next());
            assertEquals(RtcpCheck.OK, it.stoppedBy());
        });
    }

    @Test
    void aMutatedCompoundIsCheckedWithoutThrowingOrReadingPastTheEnd() {
        RandomCase.forEach(0x52_54_43_02L, 2000, c -> {
            final MemorySegment buf = MemorySegment.ofArray(new byte[1024]);
            final int len = Compound.draw(c, 4, 12, 6).build(buf);
            final byte[] data = bytes(buf, len);
            final List<Integer> starts = new ArrayList<>();
            final List<Integer> ends = new ArrayList<>();
            for (RtcpCompound it = new RtcpCompound().wrap(buf, 0, len); it.next(); ) {
                starts.add((int) it.packet().offset());
                ends.add((int) it.packet().offset() + it.packet().packetLength());
            }
            // one count or length that is just off where the parsers must catch it, or bytes
            // overwritten, mostly in the packets' first words (count, type, length)
            final int packet = c.intIn(0, starts.size() - 1);
            final int start = starts.get(packet);
            final int end = ends.get(packet);
            final int count = data[start] & 0x1F;
            switch (c.intIn(0, 4)) {
                case 0 -> {
                    final int wrongCount = (count + c.oneOf(-1, 1)) & 0x1F;
                    data[start] = (byte) (data[start] & 0xE0 | wrongCount);
                }
                case 1 -> data[start + 3] = (byte) (data[start + 3] + c.oneOf(-1, 1)); // words, low
                case 2 -> { // the last packet padded by about all it holds
                    final int last = starts.getLast();
                    data[last] |= 0x20;
                    data[len - 1] = (byte) (len - last - 4 + c.intIn(-1, 1)); // 4: its header
                }
                case 3 -> { // a length byte in the body: a BYE reason's or an SDES item's
                    final int type = data[start + 1] & 0xFF;
                    final int list = start + RtcpPacket.HEADER_SIZE + 4 * count;
                    if (type == RtcpPacket.BYE && list < end) {
                        data[list] = (byte) (end - list - 1 + c.intIn(-1, 1));
                    } else if (type == RtcpPacket.SDES) {
                        data[start + 9] = (byte) (data[start + 9] + c.oneOf(-1, 1));
                    }
                }
                default -> {
                    for (int n = c.intIn(1, 3); n > 0; n--) {
                        final int where = c.bool() ? start + c.intIn(0, 3) : c.intIn(0, len - 1);
                        data[where] = (byte) c.anyInt();
                    }
                }
            }
            exercise.run(Arrays.copyOf(data, len - (c.bool() ? 0 : c.intIn(1, 8))));
        });
    }
}
