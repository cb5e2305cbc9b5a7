package io.rtpm.rtp;

import static io.rtpm.rtp.Wire.i32;
import static io.rtpm.rtp.Wire.putI32;
import static io.rtpm.rtp.Wire.putU16;
import static io.rtpm.rtp.Wire.putU8;
import static io.rtpm.rtp.Wire.u16;
import static io.rtpm.rtp.Wire.u8;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A reusable, zero-copy view of one RTP packet (RFC 3550 section 5.1) inside a
 * {@link MemorySegment}: a ring slot, a heap array or a {@link ByteBuffer}.
 *
 * <p>The view holds only (segment, offset, length); it copies nothing and allocates nothing after
 * {@link #wrap(MemorySegment, long, int)}. Wrap, call {@link #validate()}, and read fields only
 * when it returns {@link RtpCheck#OK}: the accessors of the variable parts (CSRC list, extension,
 * padding, payload) trust the lengths that {@code validate} has checked, and stay inside
 * {@code [offset, offset + length)} only for a validated packet. The fixed-header accessors need
 * just {@code length >= 12}. Setters write through to the underlying memory.
 *
 * <p>32-bit fields (timestamp, SSRC, CSRC) are returned as their raw bits in an {@code int};
 * use {@link Integer#toUnsignedLong(int)} for the unsigned value.
 *
 * <p>Not thread-safe: one view per thread.
 */
public final class RtpPacket {

    /** The only RTP version this view accepts. */
    public static final int VERSION = 2;
    /** Size of the fixed header: V/P/X/CC, M/PT, sequence number, timestamp, SSRC. */
    public static final int FIXED_HEADER_SIZE = 12;
    /** The header extension profile of RFC 8285 one-byte elements. */
    public static final int ONE_BYTE_PROFILE = 0xBEDE;
    /** The header extension profile of RFC 8285 two-byte elements (low 4 bits: appbits). */
    public static final int TWO_BYTE_PROFILE = 0x1000;
    /** Mask that selects the fixed part of {@link #TWO_BYTE_PROFILE}. */
    public static final int TWO_BYTE_PROFILE_MASK = 0xFFF0;

    private MemorySegment segment = MemorySegment.NULL;
    private long offset;
    private int length;

    /** Creates an unwrapped view; call one of the {@code wrap} methods before use. */
    public RtpPacket() {
    }

    /**
     * Points this view at {@code length} bytes of {@code segment} from {@code offset}.
     *
     * @param segment the memory holding the packet
     * @param offset where the packet starts in {@code segment}
     * @param length how many bytes the packet has
     * @return this view
     * @throws IndexOutOfBoundsException if the range is not inside the segment
     */
    public RtpPacket wrap(MemorySegment segment, long offset, int length) {
        Objects.checkFromIndexSize(offset, length, segment.byteSize());
        this.segment = segment;
        this.offset = offset;
        this.length = length;
        return this;
    }

    /**
     * Points this view at a whole segment.
     *
     * @param segment the packet's bytes, exactly
     * @return this view
     * @throws IllegalArgumentException if the segment is 2 GiB or more
     */
    public RtpPacket wrap(MemorySegment segment) {
        if (segment.byteSize() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("segment of " + segment.byteSize()
                    + " bytes is no packet: wrap a slice of it with wrap(segment, offset, length)");
        }
        return wrap(segment, 0, (int) segment.byteSize());
    }

    /**
     * Points this view at part of a heap array (through {@link MemorySegment#ofArray(byte[])}).
     *
     * @param array the bytes
     * @param offset where the packet starts
     * @param length how many bytes it has
     * @return this view
     */
    public RtpPacket wrap(byte[] array, int offset, int length) {
        return wrap(MemorySegment.ofArray(array), offset, length);
    }

    /**
     * Points this view at the bytes between the buffer's position and limit (through
     * {@link MemorySegment#ofBuffer(java.nio.Buffer)}); the buffer's position is not moved.
     *
     * @param buffer the bytes
     * @return this view
     */
    public RtpPacket wrap(ByteBuffer buffer) {
        return wrap(MemorySegment.ofBuffer(buffer));
    }

    /**
     * The segment this view reads.
     *
     * @return the segment
     */
    public MemorySegment segment() {
        return segment;
    }

    /**
     * Where the packet starts in {@link #segment()}.
     *
     * @return the offset in bytes
     */
    public long offset() {
        return offset;
    }

    /**
     * The packet's length, header to last padding byte.
     *
     * @return the length in bytes
     */
    public int length() {
        return length;
    }

    /**
     * Changes the packet's length (after appending or trimming bytes in place).
     *
     * @param newLength the new length
     * @throws IndexOutOfBoundsException if it would leave the segment
     */
    public void length(int newLength) {
        Objects.checkFromIndexSize(offset, newLength, segment.byteSize());
        this.length = newLength;
    }

    /**
     * Checks that the bytes are a well-formed RTP packet: RFC 3550 A.1's header checks and every
     * length field inside the packet. Never throws, never allocates.
     *
     * @return {@link RtpCheck#OK} or the first reason it is not
     */
    public RtpCheck validate() {
        if (length < FIXED_HEADER_SIZE) {
            return RtpCheck.TRUNCATED;
        }
        final int b0 = u8(segment, offset);
        if (b0 >>> 6 != VERSION) {
            return RtpCheck.BAD_VERSION;
        }
        final int b1 = u8(segment, offset + 1);
        if (b1 == 200 || b1 == 201) {
            return RtpCheck.RTCP_PAYLOAD_TYPE;
        }
        int header = FIXED_HEADER_SIZE + 4 * (b0 & 0x0F);
        if (header > length) {
            return RtpCheck.CSRC_PAST_END;
        }
        if ((b0 & 0x10) != 0) {
            if (header + 4 > length) {
                return RtpCheck.EXTENSION_HEADER_PAST_END;
            }
            header += 4 + 4 * u16(segment, offset + header + 2);
            if (header > length) {
                return RtpCheck.EXTENSION_PAST_END;
            }
        }
        if ((b0 & 0x20) != 0) {
            final int pad = u8(segment, offset + length - 1);
            if (pad == 0) {
                return RtpCheck.PADDING_ZERO;
            }
            if (pad > length - header) {
                return RtpCheck.PADDING_PAST_END;
            }
        }
        return RtpCheck.OK;
    }

    // ---- fixed header (needs length >= 12)

    /**
     * The version field (2 bits).
     *
     * @return 0..3; 2 for RTP
     */
    public int version() {
        return u8(segment, offset) >>> 6;
    }

    /**
     * The padding bit: the last byte counts padding bytes at the end of the payload.
     *
     * @return true when set
     */
    public boolean hasPadding() {
        return (u8(segment, offset) & 0x20) != 0;
    }

    /**
     * The extension bit: a header extension follows the CSRC list.
     *
     * @return true when set
     */
    public boolean hasExtension() {
        return (u8(segment, offset) & 0x10) != 0;
    }

    /**
     * The CSRC count (4 bits).
     *
     * @return 0..15
     */
    public int csrcCount() {
        return u8(segment, offset) & 0x0F;
    }

    /**
     * The marker bit.
     *
     * @return true when set
     */
    public boolean marker() {
        return (u8(segment, offset + 1) & 0x80) != 0;
    }

    /**
     * The payload type (7 bits).
     *
     * @return 0..127
     */
    public int payloadType() {
        return u8(segment, offset + 1) & 0x7F;
    }

    /**
     * The sequence number.
     *
     * @return 0..65535
     */
    public int sequenceNumber() {
        return u16(segment, offset + 2);
    }

    /**
     * The RTP timestamp, raw 32 bits.
     *
     * @return the timestamp
     */
    public int timestamp() {
        return i32(segment, offset + 4);
    }

    /**
     * The synchronisation source, raw 32 bits.
     *
     * @return the SSRC
     */
    public int ssrc() {
        return i32(segment, offset + 8);
    }

    // ---- variable parts (need a validated packet)

    /**
     * One contributing source.
     *
     * @param index 0 .. {@link #csrcCount()} - 1
     * @return the CSRC, raw 32 bits
     * @throws IndexOutOfBoundsException if {@code index} is not below the CSRC count
     */
    public int csrc(int index) {
        Objects.checkIndex(index, csrcCount());
        return i32(segment, offset + FIXED_HEADER_SIZE + 4L * index);
    }

    /**
     * Where the header extension's 4-byte header starts, relative to the packet (valid when
     * {@link #hasExtension()}).
     *
     * @return the offset in bytes
     */
    public int extensionHeaderOffset() {
        return FIXED_HEADER_SIZE + 4 * csrcCount();
    }

    /**
     * The header extension's 16-bit profile ("defined by profile" field).
     *
     * @return the profile, or -1 when there is no extension
     */
    public int extensionProfile() {
        return hasExtension() ? u16(segment, offset + extensionHeaderOffset()) : -1;
    }

    /**
     * Where the header extension's data starts, relative to the packet.
     *
     * @return the offset in bytes (just past its 4-byte header)
     */
    public int extensionDataOffset() {
        return extensionHeaderOffset() + 4;
    }

    /**
     * The header extension's data length (its length field times 4).
     *
     * @return the length in bytes, 0 when there is no extension
     */
    public int extensionDataLength() {
        return hasExtension() ? 4 * u16(segment, offset + extensionHeaderOffset() + 2) : 0;
    }

    /**
     * The whole header: fixed part, CSRC list and extension.
     *
     * @return the length in bytes
     */
    public int headerLength() {
        final int h = extensionHeaderOffset();
        return hasExtension() ? h + 4 + 4 * u16(segment, offset + h + 2) : h;
    }

    /**
     * The number of padding bytes at the end (including the count byte itself).
     *
     * @return 0 when the padding bit is clear
     */
    public int paddingLength() {
        return hasPadding() ? u8(segment, offset + length - 1) : 0;
    }

    /**
     * Where the payload starts, relative to the packet.
     *
     * @return {@link #headerLength()}
     */
    public int payloadOffset() {
        return headerLength();
    }

    /**
     * The payload's length: the packet minus header and padding.
     *
     * @return the length in bytes
     */
    public int payloadLength() {
        return length - headerLength() - paddingLength();
    }

    /**
     * The payload as a slice (allocates the slice object; hot paths use {@link #payloadOffset()}
     * and {@link #payloadLength()} with {@link #segment()} instead).
     *
     * @return a view of the payload bytes
     */
    public MemorySegment payload() {
        return segment.asSlice(offset + payloadOffset(), payloadLength());
    }

    // ---- setters (write through)

    /**
     * Sets the marker bit.
     *
     * @param marker the new value
     */
    public void marker(boolean marker) {
        final int b1 = u8(segment, offset + 1);
        putU8(segment, offset + 1, marker ? b1 | 0x80 : b1 & 0x7F);
    }

    /**
     * Sets the payload type.
     *
     * @param payloadType 0..127
     * @throws IllegalArgumentException if out of range
     */
    public void payloadType(int payloadType) {
        if ((payloadType & ~0x7F) != 0) {
            throw new IllegalArgumentException("payload type " + payloadType + " is not in 0..127");
        }
        putU8(segment, offset + 1, (u8(segment, offset + 1) & 0x80) | payloadType);
    }

    /**
     * Sets the sequence number (low 16 bits of the argument).
     *
     * @param seq the sequence number
     */
    public void sequenceNumber(int seq) {
        putU16(segment, offset + 2, seq);
    }

    /**
     * Sets the timestamp.
     *
     * @param ts raw 32 bits
     */
    public void timestamp(int ts) {
        putI32(segment, offset + 4, ts);
    }

    /**
     * Sets the SSRC.
     *
     * @param ssrc raw 32 bits
     */
    public void ssrc(int ssrc) {
        putI32(segment, offset + 8, ssrc);
    }

    /**
     * Overwrites one CSRC in place (the count does not change).
     *
     * @param index 0 .. {@link #csrcCount()} - 1
     * @param csrc raw 32 bits
     */
    public void csrc(int index, int csrc) {
        Objects.checkIndex(index, csrcCount());
        putI32(segment, offset + FIXED_HEADER_SIZE + 4L * index, csrc);
    }

    /**
     * Sets the version, padding, extension bits and CSRC count byte in one write (the layout of
     * what follows is the caller's business; {@link RtpWriter} keeps it consistent).
     *
     * @param version 0..3
     * @param padding the padding bit
     * @param extension the extension bit
     * @param csrcCount 0..15
     */
    public void firstByte(int version, boolean padding, boolean extension, int csrcCount) {
        if ((version & ~3) != 0 || (csrcCount & ~0x0F) != 0) {
            throw new IllegalArgumentException("version " + version + " must be 0..3 and CSRC count "
                    + csrcCount + " 0..15");
        }
        putU8(segment, offset,
                version << 6 | (padding ? 0x20 : 0) | (extension ? 0x10 : 0) | csrcCount);
    }

    @Override
    public String toString() {
        if (length < FIXED_HEADER_SIZE) {
            return "RtpPacket[length=" + length + "]";
        }
        return "RtpPacket[v=" + version() + " pt=" + payloadType() + " m=" + marker()
                + " seq=" + sequenceNumber() + " ts=" + Integer.toUnsignedString(timestamp())
                + " ssrc=0x" + Integer.toHexString(ssrc()) + " cc=" + csrcCount()
                + " x=" + hasExtension() + " length=" + length + "]";
    }
}
