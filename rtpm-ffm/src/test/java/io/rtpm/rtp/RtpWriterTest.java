package io.rtpm.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

class RtpWriterTest {

    private final MemorySegment buf = MemorySegment.ofArray(new byte[256]);
    private final RtpWriter w = new RtpWriter();

    private byte[] built(int len) {
        return buf.asSlice(0, len).toArray(ValueLayout.JAVA_BYTE);
    }

    @Test
    void buildsTheRfc8285OneByteFigureByteForByte() {
        final int len = w.wrap(buf, 0, 256).header(false, 0, 1, 2, 3)
                .beginExtension(false)
                .addElement(1, Hex.bytes("A1"))
                .addElement(2, Hex.bytes("B1B2"))
                .addElement(3, Hex.bytes("C1C2C3C4"))
                .endExtension().payload(Hex.bytes("FF")).finish();
        // the figure pads between elements; a writer may pad only at the end, so compare by parse
        final RtpPacket p = new RtpPacket().wrap(buf, 0, len);
        assertEquals(RtpCheck.OK, p.validate());
        final ExtensionElements e = new ExtensionElements().reset(p);
        final StringBuilder seen = new StringBuilder();
        while (e.next()) {
            seen.append(e.id()).append(':').append(java.util.HexFormat.of().formatHex(e.data())).append(' ');
        }
        assertEquals("1:a1 2:b1b2 3:c1c2c3c4 ", seen.toString());
        assertEquals(12 + 4 + 12 + 1, len); // header, extension header, 10 element bytes padded to 12, payload
    }

    @Test
    void buildsCsrcsTwoByteExtensionPayloadAndPaddingExactly() {
        final int len = w.wrap(buf, 0, 256).header(true, 111, 0xFFFF, -2, 0x0A0B0C0D)
                .addCsrc(0x11).addCsrc(0x22)
                .beginExtension(true).addElement(200, new byte[0]).addElement(7, Hex.bytes("0102"))
                .endExtension()
                .payload(Hex.bytes("DEADBEEF")).padding(4).finish();
        assertArrayEquals(Hex.bytes("B2 EF FFFF FFFFFFFE 0A0B0C0D 00000011 00000022"
                + " 1000 0002 C8 00 07 02 01 02 00 00  DEADBEEF 00 00 00 04"), built(len));
    }

    @Test
    void refusesWhatRtpCannotCarry() {
        w.wrap(buf, 0, 256).header(false, 0, 0, 0, 0);
        for (int i = 0; i < 15; i++) {
            w.addCsrc(i);
        }
        assertThrows(IllegalStateException.class, () -> w.addCsrc(99));
        w.beginExtension(false);
        assertThrows(IllegalArgumentException.class, () -> w.addElement(15, new byte[1]));
        assertThrows(IllegalArgumentException.class, () -> w.addElement(1, new byte[17]));
        assertThrows(IllegalStateException.class, () -> w.finish());
        w.wrap(buf, 0, 20).header(false, 0, 0, 0, 0);
        assertThrows(IndexOutOfBoundsException.class, () -> w.payload(new byte[9]));
        assertThrows(IllegalStateException.class, () -> new RtpWriter().wrap(buf, 0, 8).finish());
    }
}
