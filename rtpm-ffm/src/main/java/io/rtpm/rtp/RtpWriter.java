package io.rtpm.rtp;

import static io.rtpm.rtp.Wire.putI32;
import static io.rtpm.rtp.Wire.putU16;
import static io.rtpm.rtp.Wire.putU8;
import static io.rtpm.rtp.Wire.u8;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * Builds an RTP packet in place, in order: {@link #header}, {@link #addCsrc} (any number up to
 * 15), optionally {@link #beginExtension} / {@link #addElement} / {@link #endExtension}, then
 * {@link #payload}, optionally {@link #padding}, and {@link #finish()}.
 *
 * <p>Reusable and allocation-free. Writing past the capacity throws
 * {@link IndexOutOfBoundsException} naming the capacity; calling steps out of order throws
 * {@link IllegalStateException} naming the step that was expected.
 */
public final class RtpWriter {

    private static final int S_IDLE = 0;
    private static final int S_CSRC = 1;
    private static final int S_EXTENSION = 2;
    private static final int S_PAYLOAD = 3;
    private static final int S_PADDED = 4;
    private static final int S_HEADER_DONE = 5;

    private MemorySegment segment = MemorySegment.NULL;
    private long base;
    private int capacity;
    private int pos;
    private int state = S_IDLE;
    private int extensionForm;
    private int extensionStart;

    /** Creates a writer; call {@link #wrap} before use. */
    public RtpWriter() {
    }

    /**
     * Targets {@code capacity} bytes of {@code segment} from {@code offset}.
     *
     * @param segment where to write
     * @param offset the first byte of the packet
     * @param capacity how many bytes may be written
     * @return this writer
     */
    public RtpWriter wrap(MemorySegment segment, long offset, int capacity) {
        Objects.checkFromIndexSize(offset, capacity, segment.byteSize());
        this.segment = segment;
        this.base = offset;
        this.capacity = capacity;
        this.pos = 0;
        this.state = S_IDLE;
        return this;
    }

    /**
     * Writes the 12-byte fixed header (version 2, no padding, no extension, no CSRC yet).
     *
     * @param marker the marker bit
     * @param payloadType 0..127
     * @param sequenceNumber low 16 bits used
     * @param timestamp raw 32 bits
     * @param ssrc raw 32 bits
     * @return this writer
     */
    public RtpWriter header(boolean marker, int payloadType, int sequenceNumber, int timestamp,
            int ssrc) {
        if ((payloadType & ~0x7F) != 0) {
            throw new IllegalArgumentException("payload type " + payloadType + " is not in 0..127");
        }
        if (state != S_IDLE) {
            throw new IllegalStateException("header() starts a packet: call wrap() first");
        }
        room(RtpPacket.FIXED_HEADER_SIZE);
        putU8(segment, base, RtpPacket.VERSION << 6);
        putU8(segment, base + 1, (marker ? 0x80 : 0) | payloadType);
        putU16(segment, base + 2, sequenceNumber);
        putI32(segment, base + 4, timestamp);
        putI32(segment, base + 8, ssrc);
        pos = RtpPacket.FIXED_HEADER_SIZE;
        state = S_CSRC;
        return this;
    }

    /**
     * Appends one CSRC and bumps the count.
     *
     * @param csrc raw 32 bits
     * @return this writer
     */
    public RtpWriter addCsrc(int csrc) {
        expect(S_CSRC, "addCsrc() goes right after header()");
        final int b0 = u8(segment, base);
        if ((b0 & 0x0F) == 15) {
            throw new IllegalStateException("an RTP packet holds at most 15 CSRCs");
        }
        room(4);
        putI32(segment, base + pos, csrc);
        pos += 4;
        putU8(segment, base, b0 + 1);
        return this;
    }

    /**
     * Starts an RFC 8285 header extension.
     *
     * @param twoByte false for the one-byte form (ids 1..14, 1..16 bytes), true for the two-byte
     *     form (ids 1..255, 0..255 bytes)
     * @return this writer
     */
    public RtpWriter beginExtension(boolean twoByte) {
        expect(S_CSRC, "beginExtension() goes after header() and the CSRCs");
        room(4);
        extensionStart = pos;
        extensionForm = twoByte ? ExtensionElements.FORM_TWO_BYTE : ExtensionElements.FORM_ONE_BYTE;
        putU16(segment, base + pos, twoByte ? RtpPacket.TWO_BYTE_PROFILE : RtpPacket.ONE_BYTE_PROFILE);
        putU16(segment, base + pos + 2, 0);
        putU8(segment, base, u8(segment, base) | 0x10);
        pos += 4;
        state = S_EXTENSION;
        return this;
    }

    /**
     * Appends one extension element.
     *
     * @param id 1..14 (one-byte form) or 1..255 (two-byte form)
     * @param data the element's bytes
     * @param dataOffset where they start in {@code data}
     * @param dataLength 1..16 (one-byte form) or 0..255 (two-byte form)
     * @return this writer
     */
    public RtpWriter addElement(int id, MemorySegment data, long dataOffset, int dataLength) {
        expect(S_EXTENSION, "addElement() goes between beginExtension() and endExtension()");
        if (extensionForm == ExtensionElements.FORM_ONE_BYTE) {
            if (id < 1 || id > 14 || dataLength < 1 || dataLength > 16) {
                throw new IllegalArgumentException("one-byte extension elements take id 1..14 and"
                        + " 1..16 bytes, got id " + id + " with " + dataLength
                        + " bytes: use beginExtension(true) for the two-byte form");
            }
            room(1 + dataLength);
            putU8(segment, base + pos, id << 4 | (dataLength - 1));
            pos += 1;
        } else {
            if (id < 1 || id > 255 || dataLength < 0 || dataLength > 255) {
                throw new IllegalArgumentException("two-byte extension elements take id 1..255 and"
                        + " 0..255 bytes, got id " + id + " with " + dataLength + " bytes");
            }
            room(2 + dataLength);
            putU8(segment, base + pos, id);
            putU8(segment, base + pos + 1, dataLength);
            pos += 2;
        }
        MemorySegment.copy(data, dataOffset, segment, base + pos, dataLength);
        pos += dataLength;
        return this;
    }

    /**
     * Appends one extension element from a heap array (wraps it; for control paths).
     *
     * @param id the element id
     * @param data the element's bytes, all of them
     * @return this writer
     */
    public RtpWriter addElement(int id, byte[] data) {
        return addElement(id, MemorySegment.ofArray(data), 0, data.length);
    }

    /**
     * Pads the extension with zero bytes to a 32-bit boundary and writes its length.
     *
     * @return this writer
     */
    public RtpWriter endExtension() {
        expect(S_EXTENSION, "endExtension() closes beginExtension()");
        final int pad = -(pos - extensionStart) & 3;
        room(pad);
        Wire.fill(segment, base + pos, pad, (byte) 0);
        pos += pad;
        final int words = (pos - extensionStart - 4) / 4;
        if (words > 0xFFFF) {
            throw new IllegalStateException("header extension of " + words + " words exceeds 65535");
        }
        putU16(segment, base + extensionStart + 2, words);
        state = S_HEADER_DONE; // only payload and padding may follow
        return this;
    }

    /**
     * Copies the payload in.
     *
     * @param src the payload's memory
     * @param srcOffset where it starts
     * @param length its length
     * @return this writer
     */
    public RtpWriter payload(MemorySegment src, long srcOffset, int length) {
        headerDone("payload()");
        room(length);
        MemorySegment.copy(src, srcOffset, segment, base + pos, length);
        pos += length;
        state = S_PAYLOAD;
        return this;
    }

    /**
     * Copies the payload in from a heap array (wraps it; for control paths).
     *
     * @param payload the payload
     * @return this writer
     */
    public RtpWriter payload(byte[] payload) {
        return payload(MemorySegment.ofArray(payload), 0, payload.length);
    }

    /**
     * Leaves {@code length} payload bytes as they are in the target (the caller fills them, for
     * example straight from a codec), and moves past them.
     *
     * @param length the payload length
     * @return this writer
     */
    public RtpWriter skipPayload(int length) {
        headerDone("skipPayload()");
        room(length);
        pos += length;
        state = S_PAYLOAD;
        return this;
    }

    /**
     * Appends RTP padding: {@code count - 1} zero bytes and the count, and sets the P bit.
     *
     * @param count 1..255, including the count byte
     * @return this writer
     */
    public RtpWriter padding(int count) {
        headerDone("padding()");
        if (count < 1 || count > 255) {
            throw new IllegalArgumentException("padding count " + count + " is not in 1..255");
        }
        room(count);
        Wire.fill(segment, base + pos, count - 1, (byte) 0);
        putU8(segment, base + pos + count - 1, count);
        putU8(segment, base, u8(segment, base) | 0x20);
        pos += count;
        state = S_PADDED;
        return this;
    }

    /**
     * Ends the packet.
     *
     * @return its length in bytes
     */
    public int finish() {
        if (state == S_IDLE) {
            throw new IllegalStateException("finish() before header(): nothing was written");
        }
        if (state == S_EXTENSION) {
            throw new IllegalStateException("finish() inside an extension: call endExtension()");
        }
        state = S_IDLE;
        return pos;
    }

    /**
     * How many bytes have been written so far.
     *
     * @return the position relative to the packet start
     */
    public int position() {
        return pos;
    }

    private void headerDone(String step) {
        if (state == S_IDLE || state == S_EXTENSION || state == S_PADDED) {
            throw new IllegalStateException(step + " goes after header() (and endExtension()),"
                    + " before padding()");
        }
    }

    private void expect(int wanted, String rule) {
        if (state != wanted) {
            throw new IllegalStateException(rule);
        }
    }

    private void room(int n) {
        if (n > capacity - pos) {
            throw new IndexOutOfBoundsException("RTP packet needs " + (pos + n)
                    + " bytes but the target holds " + capacity + ": wrap a larger buffer");
        }
    }
}
