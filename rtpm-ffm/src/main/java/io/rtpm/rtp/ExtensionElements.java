package io.rtpm.rtp;

import static io.rtpm.rtp.Wire.u8;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * A reusable cursor over the RFC 8285 header extension elements of a validated
 * {@link RtpPacket}: one-byte ({@code 0xBEDE}) and two-byte ({@code 0x100X}) forms.
 *
 * <p>Usage, allocation-free:
 * <pre>{@code
 * ExtensionElements e = new ExtensionElements();
 * for (e.reset(packet); e.next(); ) { use(e.id(), e.dataOffset(), e.dataLength()); }
 * if (e.find(packet, 3)) { int level = e.dataByte(0); }
 * }</pre>
 *
 * <p>Padding bytes (id 0) are skipped one byte at a time. In the one-byte form id 15 ends
 * processing (RFC 8285 section 4.2). An element that claims more data than the extension holds ends the iteration and
 * sets {@link #malformed()}; nothing past the extension is read.
 */
public final class ExtensionElements {

    /** The extension is not in an RFC 8285 form (or absent): no elements. */
    public static final int FORM_NONE = 0;
    /** RFC 8285 one-byte header form. */
    public static final int FORM_ONE_BYTE = 1;
    /** RFC 8285 two-byte header form. */
    public static final int FORM_TWO_BYTE = 2;

    private MemorySegment segment = MemorySegment.NULL;
    private long base;
    private int form;
    private int pos;
    private int end;
    private int id;
    private int dataOffset;
    private int dataLength;
    private boolean malformed;

    /** Creates a cursor; call {@link #reset(RtpPacket)} before use. */
    public ExtensionElements() {
    }

    /**
     * Positions the cursor before the first element of {@code packet} (which must have passed
     * {@link RtpPacket#validate()}).
     *
     * @param packet the packet
     * @return this cursor
     */
    public ExtensionElements reset(RtpPacket packet) {
        segment = packet.segment();
        base = packet.offset();
        malformed = false;
        id = 0;
        dataOffset = 0;
        dataLength = 0;
        final int profile = packet.extensionProfile();
        if (profile == RtpPacket.ONE_BYTE_PROFILE) {
            form = FORM_ONE_BYTE;
        } else if (profile >= 0
                && (profile & RtpPacket.TWO_BYTE_PROFILE_MASK) == RtpPacket.TWO_BYTE_PROFILE) {
            form = FORM_TWO_BYTE;
        } else {
            form = FORM_NONE;
        }
        pos = packet.extensionDataOffset();
        end = form == FORM_NONE ? pos : pos + packet.extensionDataLength();
        return this;
    }

    /**
     * The form of the extension {@link #reset(RtpPacket)} found.
     *
     * @return {@link #FORM_NONE}, {@link #FORM_ONE_BYTE} or {@link #FORM_TWO_BYTE}
     */
    public int form() {
        return form;
    }

    /**
     * Moves to the next element.
     *
     * @return false when there are no more (or the rest is malformed)
     */
    public boolean next() {
        while (pos < end) {
            final int b = u8(segment, base + pos);
            if (b == 0) {
                pos++; // padding between or after elements
                continue;
            }
            final int len;
            final int hdr;
            if (form == FORM_ONE_BYTE) {
                if (b >>> 4 == 0) {
                    pos++; // id 0 is reserved for padding: skip the byte whatever its length says
                    continue;
                }
                if (b >>> 4 == 15) {
                    pos = end; // reserved id: stop processing this extension
                    return false;
                }
                id = b >>> 4;
                len = (b & 0x0F) + 1;
                hdr = 1;
            } else {
                if (pos + 2 > end) {
                    return stopMalformed();
                }
                id = b;
                len = u8(segment, base + pos + 1);
                hdr = 2;
            }
            if (pos + hdr + len > end) {
                return stopMalformed();
            }
            dataOffset = pos + hdr;
            dataLength = len;
            pos = dataOffset + len;
            return true;
        }
        return false;
    }

    private boolean stopMalformed() {
        malformed = true;
        pos = end;
        return false;
    }

    /**
     * Positions the cursor on the first element with id {@code wanted}.
     *
     * @param packet a validated packet
     * @param wanted the element id (1..14 one-byte, 1..255 two-byte)
     * @return true when found
     */
    public boolean find(RtpPacket packet, int wanted) {
        reset(packet);
        while (next()) {
            if (id == wanted) {
                return true;
            }
        }
        return false;
    }

    /**
     * The current element's id.
     *
     * @return the id
     */
    public int id() {
        return id;
    }

    /**
     * Where the current element's data starts, relative to the packet.
     *
     * @return the offset in bytes
     */
    public int dataOffset() {
        return dataOffset;
    }

    /**
     * The current element's data length.
     *
     * @return 1..16 (one-byte form) or 0..255 (two-byte form)
     */
    public int dataLength() {
        return dataLength;
    }

    /**
     * One byte of the current element's data.
     *
     * @param index 0 .. {@link #dataLength()} - 1
     * @return 0..255
     */
    public int dataByte(int index) {
        Objects.checkIndex(index, dataLength);
        return u8(segment, base + dataOffset + index);
    }

    /**
     * Copies the current element's data (allocates; for tests and control paths).
     *
     * @return the data bytes
     */
    public byte[] data() {
        return segment.asSlice(base + dataOffset, dataLength).toArray(ValueLayout.JAVA_BYTE);
    }

    /**
     * Tells whether iteration stopped at an element that ran past the extension.
     *
     * @return true when the extension was malformed
     */
    public boolean malformed() {
        return malformed;
    }
}
