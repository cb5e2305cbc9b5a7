package io.rtpm.rtp.rtcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rtpm.rtp.ParserExercise;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

class RtcpPropertiesTest {

    private final ParserExercise exercise = new ParserExercise();

    @Provide
    Arbitrary<ReportBlock> blocks() {
        final Arbitrary<Integer> any = Arbitraries.integers();
        return Combinators.combine(any, Arbitraries.integers().between(0, 255),
                Arbitraries.integers().between(-0x800000, 0x7FFFFF), any, any, any, any)
                .as(ReportBlock::new);
    }

    private static int build(MemorySegment buf, boolean sender, int ssrc, long ntp,
            List<ReportBlock> blocks, String cname, String reason, int[] lost) {
        final RtcpWriter w = new RtcpWriter().wrap(buf, 0, (int) buf.byteSize());
        if (sender) {
            w.senderReport(ssrc, ntp, (int) ntp, 7, 8);
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

    @Property(tries = 1000)
    void parseOfBuildGivesBackEveryField(@ForAll boolean sender, @ForAll int ssrc,
            @ForAll long ntp, @ForAll @Size(max = 31) List<@From("blocks") ReportBlock> blocks,
            @ForAll @StringLength(max = 255) String cname,
            @ForAll @StringLength(max = 60) String reason,
            @ForAll @Size(max = 40) List<@IntRange(max = 65535) Integer> lostSeqs) {
        final String c = fitUtf8(cname, 255);
        final int[] lost = new TreeSet<>(lostSeqs).stream().mapToInt(Integer::intValue).toArray();
        final MemorySegment buf = MemorySegment.ofArray(new byte[4096]);
        final int len = build(buf, sender, ssrc, ntp, blocks, c, reason, lost);
        final MemorySegment exact = MemorySegment.ofArray(buf.asSlice(0, len).toArray(ValueLayout.JAVA_BYTE));
        assertEquals(RtcpCheck.OK, RtcpCompound.validate(exact, 0, len, true));

        final RtcpCompound it = new RtcpCompound().wrap(exact, 0, len);
        assertTrue(it.next());
        RtcpPacket p = it.packet();
        assertEquals(sender ? RtcpPacket.SR : RtcpPacket.RR, p.packetType());
        assertEquals(ssrc, p.senderSsrc());
        if (sender) {
            assertEquals(ntp, p.ntpTimestamp());
        }
        assertEquals(blocks.size(), p.count());
        for (int i = 0; i < blocks.size(); i++) {
            assertEquals(blocks.get(i), p.reportBlock(i));
        }
        assertTrue(it.next());
        final SdesItems items = new SdesItems().reset(it.packet());
        assertTrue(items.nextChunk());
        assertTrue(items.nextItem());
        assertEquals(c, items.itemText());
        assertFalse(items.nextItem());
        if (lost.length > 0) {
            assertTrue(it.next());
            p = it.packet();
            assertTrue(p.isNack());
            final List<Integer> unpacked = new ArrayList<>();
            for (int i = 0; i < p.nackCount(); i++) {
                unpacked.add(p.nackPid(i));
                for (int bit = 0; bit < 16; bit++) {
                    if ((p.nackBlp(i) & 1 << bit) != 0) {
                        unpacked.add((p.nackPid(i) + bit + 1) & 0xFFFF);
                    }
                }
            }
            assertEquals(new ArrayList<>(new TreeSet<>(lostSeqs)), unpacked);
        }
        assertTrue(it.next());
        assertTrue(it.packet().isPli());
        assertTrue(it.next());
        assertEquals(fitUtf8(reason, 255), it.packet().byeReason());
        assertFalse(it.next());
        assertEquals(RtcpCheck.OK, it.stoppedBy());
    }

    private static String fitUtf8(String s, int max) {
        String t = s;
        while (t.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > max) {
            t = t.substring(0, t.length() - 1);
        }
        return t;
    }

    @Property(tries = 2000)
    void aMutatedCompoundIsCheckedWithoutThrowingOrReadingPastTheEnd(
            @ForAll @Size(max = 4) List<@From("blocks") ReportBlock> blocks,
            @ForAll @IntRange(max = 4095) int where, @ForAll byte what,
            @ForAll @IntRange(max = 8) int cut) {
        final MemorySegment buf = MemorySegment.ofArray(new byte[1024]);
        final int len = build(buf, true, 1, 2, blocks, "c", "r", new int[] {1, 3});
        final byte[] bytes = buf.asSlice(0, len).toArray(ValueLayout.JAVA_BYTE);
        bytes[where % len] = what;
        exercise.run(java.util.Arrays.copyOf(bytes, Math.max(0, len - cut)));
    }
}
