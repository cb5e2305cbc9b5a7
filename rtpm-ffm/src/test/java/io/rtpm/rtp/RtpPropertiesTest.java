package io.rtpm.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class RtpPropertiesTest {

    private final ParserExercise exercise = new ParserExercise();

    /** Element ids and data adapted to the form's limits (one-byte: id 1..14, 1..16 bytes). */
    private static List<byte[]> fit(List<byte[]> raw, int form) {
        final List<byte[]> out = new ArrayList<>();
        for (byte[] d : raw) {
            out.add(form == 1 ? Arrays.copyOf(d, Math.max(1, Math.min(16, d.length))) : d);
        }
        return out;
    }

    private static int id(int index, int form) {
        return form == 1 ? 1 + index % 14 : 1 + index * 37 % 255;
    }

    @Property(tries = 1500)
    void parseOfBuildGivesBackEveryFieldAndBuildOfParseTheSameBytes(
            @ForAll boolean marker, @ForAll @IntRange(max = 127) int pt,
            @ForAll @IntRange(max = 65535) int seq, @ForAll int ts, @ForAll int ssrc,
            @ForAll @Size(max = 15) List<Integer> csrcs, @ForAll @IntRange(max = 2) int form,
            @ForAll @Size(max = 8) List<@Size(max = 40) byte[]> rawElements,
            @ForAll @Size(max = 300) byte[] payload, @ForAll @IntRange(max = 255) int padding) {
        Assume.that(!(marker && (pt == 72 || pt == 73))); // those read as RTCP SR/RR
        final List<byte[]> elements = fit(rawElements, form);
        final MemorySegment buf = MemorySegment.ofArray(new byte[2048]);
        final RtpWriter w = new RtpWriter().wrap(buf, 0, 2048).header(marker, pt, seq, ts, ssrc);
        csrcs.forEach(w::addCsrc);
        if (form != 0) {
            w.beginExtension(form == 2);
            for (int i = 0; i < elements.size(); i++) {
                w.addElement(id(i, form), elements.get(i));
            }
            w.endExtension();
        }
        w.payload(payload);
        if (padding > 0) {
            w.padding(padding);
        }
        final int len = w.finish();

        final RtpPacket p = new RtpPacket().wrap(MemorySegment.ofArray(
                buf.asSlice(0, len).toArray(ValueLayout.JAVA_BYTE)));
        assertEquals(RtpCheck.OK, p.validate());
        assertEquals(marker, p.marker());
        assertEquals(pt, p.payloadType());
        assertEquals(seq, p.sequenceNumber());
        assertEquals(ts, p.timestamp());
        assertEquals(ssrc, p.ssrc());
        assertEquals(csrcs.size(), p.csrcCount());
        for (int i = 0; i < csrcs.size(); i++) {
            assertEquals(csrcs.get(i), p.csrc(i));
        }
        assertEquals(form != 0, p.hasExtension());
        final ExtensionElements e = new ExtensionElements().reset(p);
        assertEquals(form, e.form());
        for (int i = 0; i < (form == 0 ? 0 : elements.size()); i++) {
            assertEquals(true, e.next(), "element " + i);
            assertEquals(id(i, form), e.id());
            assertArrayEquals(elements.get(i), e.data());
        }
        assertEquals(false, e.next());
        assertEquals(false, e.malformed());
        assertArrayEquals(payload, p.payload().toArray(ValueLayout.JAVA_BYTE));
        assertEquals(padding, p.paddingLength());

        // build of parse: the parsed view, written again, is the same packet byte for byte
        final MemorySegment again = MemorySegment.ofArray(new byte[2048]);
        final RtpWriter w2 = new RtpWriter().wrap(again, 0, 2048)
                .header(p.marker(), p.payloadType(), p.sequenceNumber(), p.timestamp(), p.ssrc());
        for (int i = 0; i < p.csrcCount(); i++) {
            w2.addCsrc(p.csrc(i));
        }
        if (p.hasExtension()) {
            w2.beginExtension(e.form() == ExtensionElements.FORM_TWO_BYTE);
            for (e.reset(p); e.next(); ) {
                w2.addElement(e.id(), p.segment(), p.offset() + e.dataOffset(), e.dataLength());
            }
            w2.endExtension();
        }
        w2.payload(p.segment(), p.offset() + p.payloadOffset(), p.payloadLength());
        if (p.hasPadding()) {
            w2.padding(p.paddingLength());
        }
        assertEquals(len, w2.finish());
        assertArrayEquals(buf.asSlice(0, len).toArray(ValueLayout.JAVA_BYTE),
                again.asSlice(0, len).toArray(ValueLayout.JAVA_BYTE));
        exercise.run(p.segment().toArray(ValueLayout.JAVA_BYTE));
    }

    @Property(tries = 3000)
    void anyBytesAreCheckedWithoutThrowingOrReadingPastTheEnd(
            @ForAll @Size(max = 300) byte[] data) {
        exercise.run(data);
    }

    @Property(tries = 3000)
    void rtpShapedBytesToo(@ForAll @Size(min = 1, max = 120) byte[] data,
            @ForAll @IntRange(max = 0x3F) int flags) {
        data[0] = (byte) (0x80 | flags); // version 2, any P/X/CC: reaches the length checks
        exercise.run(data);
    }
}
