package io.rtpm.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Properties of the RTP writer and parsers over generated packets and bytes ({@link RandomCase}:
 * seeded, leaning to edge values; a failure names the seed that replays it).
 */
class RtpPropertiesTest {

    /** Room for the largest generated packet: 12 + 60 + 4 + 8 * 257 + 3 + 300 + 255 bytes. */
    private static final int CAPACITY = 4096;

    private final ParserExercise exercise = new ParserExercise();

    /** What a generated packet is made of; {@code form} 0 means no header extension. */
    private record Spec(boolean marker, int pt, int seq, int ts, int ssrc, int[] csrcs, int form,
            int[] ids, byte[][] elements, byte[] payload, int padding) {

        static Spec draw(RandomCase c) {
            final boolean marker = c.bool();
            int pt = c.oneIn(8) ? c.oneOf(72, 73) : c.intIn(0, 127);
            while (marker && (pt == 72 || pt == 73)) { // with the marker those read as RTCP SR/RR
                pt = c.intIn(0, 127);
            }
            final int[] csrcs = new int[c.intIn(0, 15)];
            Arrays.setAll(csrcs, i -> c.anyInt());
            final int form = c.intIn(0, 2);
            final int count = form == 0 ? 0 : c.intIn(0, 8);
            final int[] ids = new int[count];
            final byte[][] elements = new byte[count][];
            for (int i = 0; i < count; i++) {
                // one-byte form: id 1..14, 1..16 bytes; two-byte form: id 1..255, 0..255 bytes
                ids[i] = form == 1 ? c.intIn(1, 14) : c.intIn(1, 255);
                elements[i] = c.bytesOfLength(form == 1 ? c.intIn(1, 16) : c.intIn(0, 255));
            }
            return new Spec(marker, pt, c.intIn(0, 65535), c.anyInt(), c.anyInt(), csrcs, form,
                    ids, elements, c.bytes(300), c.intIn(0, 255));
        }

        /** Writes the packet at the start of {@code buf} and returns its length. */
        int build(MemorySegment buf) {
            final RtpWriter w = new RtpWriter().wrap(buf, 0, (int) buf.byteSize())
                    .header(marker, pt, seq, ts, ssrc);
            for (int csrc : csrcs) {
                w.addCsrc(csrc);
            }
            if (form != 0) {
                w.beginExtension(form == 2);
                for (int i = 0; i < ids.length; i++) {
                    w.addElement(ids[i], elements[i]);
                }
                w.endExtension();
            }
            w.payload(payload);
            if (padding > 0) {
                w.padding(padding);
            }
            return w.finish();
        }
    }

    private static byte[] bytes(MemorySegment s, int length) {
        return s.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE);
    }

    @Test
    void parseOfBuildGivesBackEveryFieldAndBuildOfParseTheSameBytes() {
        RandomCase.forEach(0x52_54_50_01L, 1500, c -> {
            final Spec spec = Spec.draw(c);
            final MemorySegment buf = MemorySegment.ofArray(new byte[CAPACITY]);
            final int len = spec.build(buf);

            final RtpPacket p = new RtpPacket().wrap(MemorySegment.ofArray(bytes(buf, len)));
            assertEquals(RtpCheck.OK, p.validate());
            assertEquals(spec.marker(), p.marker());
            assertEquals(spec.pt(), p.payloadType());
            assertEquals(spec.seq(), p.sequenceNumber());
            assertEquals(spec.ts(), p.timestamp());
            assertEquals(spec.ssrc(), p.ssrc());
            assertEquals(spec.csrcs().length, p.csrcCount());
            for (int i = 0; i < spec.csrcs().length; i++) {
                assertEquals(spec.csrcs()[i], p.csrc(i), "CSRC " + i);
            }
            assertEquals(spec.form() != 0, p.hasExtension());
            final ExtensionElements e = new ExtensionElements().reset(p);
            assertEquals(spec.form(), e.form());
            for (int i = 0; i < spec.ids().length; i++) {
                assertTrue(e.next(), "element " + i);
                assertEquals(spec.ids()[i], e.id(), "element " + i);
                assertArrayEquals(spec.elements()[i], e.data(), "element " + i);
            }
            assertFalse(e.next());
            assertFalse(e.malformed());
            assertArrayEquals(spec.payload(), p.payload().toArray(ValueLayout.JAVA_BYTE));
            assertEquals(spec.padding(), p.paddingLength());

            // build of parse: the parsed view, written again, is the same packet byte for byte
            final MemorySegment again = MemorySegment.ofArray(new byte[CAPACITY]);
            final RtpWriter w2 = new RtpWriter().wrap(again, 0, CAPACITY).header(p.marker(),
                    p.payloadType(), p.sequenceNumber(), p.timestamp(), p.ssrc());
            for (int i = 0; i < p.csrcCount(); i++) {
                w2.addCsrc(p.csrc(i));
            }
            if (p.hasExtension()) {
                w2.beginExtension(e.form() == ExtensionElements.FORM_TWO_BYTE);
                for (e.reset(p); e.next(); ) {
                    w2.addElement(e.id(), p.segment(), p.offset() + e.dataOffset(),
                            e.dataLength());
                }
                w2.endExtension();
            }
            w2.payload(p.segment(), p.offset() + p.payloadOffset(), p.payloadLength());
            if (p.hasPadding()) {
                w2.padding(p.paddingLength());
            }
            assertEquals(len, w2.finish());
            assertArrayEquals(bytes(buf, len), bytes(again, len));
            exercise.run(p.segment().toArray(ValueLayout.JAVA_BYTE));
        });
    }

    @Test
    void anyBytesAreCheckedWithoutThrowingOrReadingPastTheEnd() {
        RandomCase.forEach(0x52_54_50_02L, 3000, c -> exercise.run(c.bytes(300)));
    }

    @Test
    void rtpShapedBytesToo() {
        RandomCase.forEach(0x52_54_50_03L, 3000, c -> {
            final byte[] data = c.bytesOfLength(c.intIn(1, 120));
            // version 2, any P/X/CC: reaches the length checks
            data[0] = (byte) (0x80 | c.intIn(0, 0x3F));
            if (data.length >= 4 && c.oneIn(4)) {
                // an RTCP packet type (SR..APP) and a length field that fits: reaches RTCP bodies
                data[1] = (byte) c.intIn(200, 204);
                final int words = data.length / 4 - 1;
                data[2] = (byte) (words >> 8);
                data[3] = (byte) words;
            }
            exercise.run(data);
        });
    }

    @Test
    void aMutatedPacketIsCheckedWithoutThrowingOrReadingPastTheEnd() {
        RandomCase.forEach(0x52_54_50_04L, 2000, c -> {
            final MemorySegment buf = MemorySegment.ofArray(new byte[CAPACITY]);
            final int len = Spec.draw(c).build(buf);
            final int header = new RtpPacket().wrap(buf, 0, len).payloadOffset();
            final int cc = buf.get(ValueLayout.JAVA_BYTE, 0) & 0x0F;
            // half the cases lose up to 8 bytes or gain up to 8 zeros
            final int resize = c.bool() ? 0 : c.intIn(-8, 8);
            final byte[] data = Arrays.copyOf(bytes(buf, len), len + resize);
            // one length or count that is just off where the parsers must catch it, or bytes
            // overwritten, mostly in the headers
            switch (c.intIn(0, 3)) {
                case 0 -> {
                    data[0] |= 0x20;
                    data[data.length - 1] = (byte) (data.length - header + c.intIn(-1, 1));
                }
                case 1 -> data[0] = (byte) (data[0] & 0xF0 | (cc + c.oneOf(-1, 1)) & 0x0F);
                case 2 -> { // the low byte of the extension's length in words
                    final int at = RtpPacket.FIXED_HEADER_SIZE + 4 * cc + 3;
                    if ((data[0] & 0x10) != 0 && at < data.length) {
                        data[at] = (byte) (data[at] + c.oneOf(-1, 1));
                    }
                }
                default -> {
                    for (int n = c.intIn(1, 3); n > 0; n--) {
                        final int where = c.oneIn(2) ? c.intIn(0, Math.min(data.length, 20) - 1)
                                : c.intIn(0, data.length - 1);
                        data[where] = (byte) c.anyInt();
                    }
                }
            }
            exercise.run(data);
        });
    }
}
