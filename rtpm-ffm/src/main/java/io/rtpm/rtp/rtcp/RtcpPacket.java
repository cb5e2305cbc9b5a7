package io.rtpm.rtp.rtcp;

import static io.rtpm.rtp.Wire.i32;
import static io.rtpm.rtp.Wire.u16;
import static io.rtpm.rtp.Wire.u8;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A reusable, zero-copy view of one RTCP packet (RFC 3550 section 6, RFC 4585 section 6): the
 * common header and the fields of SR, RR, SDES (through {@link SdesItems}), BYE, APP, generic
 * NACK and PLI.
 *
 * <p>Wrap it (usually through {@link RtcpCompound#next()}), call {@link #check()}, and read the
 * type's fields only when it returns {@link RtcpCheck#OK}; then every accessor stays inside the
 * packet. The accessors of one type on a packet of another read meaningless values, not foreign
 * memory, as long as the packet was checked. 32-bit fields come as raw bits in an {@code int}.
 */
public final class RtcpPacket {

    /** Sender report. */
    public static final int SR = 200;
    /** Receiver report. */
    public static final int RR = 201;
    /** Source description. */
    public static final int SDES = 202;
    /** Goodbye. */
    public static final int BYE = 203;
    /** Application-defined. */
    public static final int APP = 204;
    /** Transport-layer feedback (RFC 4585). */
    public static final int RTPFB = 205;
    /** Payload-specific feedback (RFC 4585). */
    public static final int PSFB = 206;
    /** RTPFB format of the generic NACK (RFC 4585 6.2.1). */
    public static final int FMT_NACK = 1;
    /** PSFB format of the picture loss indication (RFC 4585 6.3.1). */
    public static final int FMT_PLI = 1;
    /** The common header: V/P/count, packet type, length. */
    public static final int HEADER_SIZE = 4;
    /** Where an SR's first report block starts. */
    public static final int SR_BLOCKS_OFFSET = 28;
    /** Where an RR's first report block starts. */
    public static final int RR_BLOCKS_OFFSET = 8;

    private MemorySegment segment = MemorySegment.NULL;
    private long offset;
    private int available;

    /** Creates an unwrapped view. */
    public RtcpPacket() {
    }

    /**
     * Points this view at a packet; {@code available} bounds every read (the packet's own length
     * field may claim less, see {@link #packetLength()}).
     *
     * @param segment the memory
     * @param offset where the packet starts
     * @param available bytes from {@code offset} that belong to the datagram
     * @return this view
     */
    public RtcpPacket wrap(MemorySegment segment, long offset, int available) {
        Objects.checkFromIndexSize(offset, available, segment.byteSize());
        this.segment = segment;
        this.offset = offset;
        this.available = available;
        return this;
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
     * @return the offset
     */
    public long offset() {
        return offset;
    }

    /**
     * Checks this packet: common header, length inside the datagram, padding, and the fixed part
     * and lists of SR, RR, SDES, BYE, APP, RTPFB and PSFB. Other packet types pass when their
     * length fits (RFC 3550 says to ignore unknown types). Never throws, never allocates.
     *
     * @return {@link RtcpCheck#OK} or the first problem
     */
    public RtcpCheck check() {
        return check(segment, offset, available);
    }

    /**
     * Checks one RTCP packet at {@code offset} as {@link #check()} does, without a view.
     *
     * @param s the memory
     * @param offset where the packet starts
     * @param available bytes from {@code offset} that belong to the datagram
     * @return {@link RtcpCheck#OK} or the first problem
     */
    public static RtcpCheck check(MemorySegment s, long offset, int available) {
        if (available < HEADER_SIZE) {
            return RtcpCheck.TRUNCATED;
        }
        final int b0 = u8(s, offset);
        if (b0 >>> 6 != 2) {
            return RtcpCheck.BAD_VERSION;
        }
        final int len = 4 * (u16(s, offset + 2) + 1);
        if (len > available) {
            return RtcpCheck.LENGTH_PAST_END;
        }
        int end = len;
        if ((b0 & 0x20) != 0) {
            final int pad = u8(s, offset + len - 1);
            if (pad == 0 || pad > len - HEADER_SIZE) {
                return RtcpCheck.PADDING_INVALID;
            }
            end -= pad;
        }
        final int count = b0 & 0x1F;
        switch (u8(s, offset + 1)) {
            case SR:
                return end < SR_BLOCKS_OFFSET ? RtcpCheck.TRUNCATED
                        : SR_BLOCKS_OFFSET + ReportBlock.SIZE * count > end
                                ? RtcpCheck.REPORT_BLOCKS_PAST_END : RtcpCheck.OK;
            case RR:
                return end < RR_BLOCKS_OFFSET ? RtcpCheck.TRUNCATED
                        : RR_BLOCKS_OFFSET + ReportBlock.SIZE * count > end
                                ? RtcpCheck.REPORT_BLOCKS_PAST_END : RtcpCheck.OK;
            case SDES:
                return SdesItems.walk(s, offset, end, count) ? RtcpCheck.OK : RtcpCheck.SDES_MALFORMED;
            case BYE:
                return checkBye(s, offset, end, count);
            case APP:
                return end < 12 ? RtcpCheck.APP_TOO_SHORT : RtcpCheck.OK;
            case RTPFB:
            case PSFB:
                return end < 12 ? RtcpCheck.FEEDBACK_TOO_SHORT : RtcpCheck.OK;
            default:
                return RtcpCheck.OK;
        }
    }

    private static RtcpCheck checkBye(MemorySegment s, long offset, int end, int count) {
        final int list = HEADER_SIZE + 4 * count;
        if (list > end) {
            return RtcpCheck.BYE_MALFORMED;
        }
        if (list < end && list + 1 + u8(s, offset + list) > end) {
            return RtcpCheck.BYE_MALFORMED;
        }
        return RtcpCheck.OK;
    }

    // ---- common header

    /**
     * The version field.
     *
     * @return 0..3; 2 for RTCP
     */
    public int version() {
        return u8(segment, offset) >>> 6;
    }

    /**
     * The padding bit.
     *
     * @return true when set
     */
    public boolean hasPadding() {
        return (u8(segment, offset) & 0x20) != 0;
    }

    /**
     * The 5-bit count field: report count (SR/RR), source count (SDES/BYE), subtype (APP) or
     * feedback message type (RTPFB/PSFB).
     *
     * @return 0..31
     */
    public int count() {
        return u8(segment, offset) & 0x1F;
    }

    /**
     * The packet type.
     *
     * @return 0..255, e.g. {@link #SR}
     */
    public int packetType() {
        return u8(segment, offset + 1);
    }

    /**
     * The packet's length from its length field (in 32-bit words minus one, converted).
     *
     * @return bytes, header and padding included
     */
    public int packetLength() {
        return 4 * (u16(segment, offset + 2) + 1);
    }

    /**
     * Padding bytes at the end of this packet.
     *
     * @return 0 when the padding bit is clear
     */
    public int paddingLength() {
        return hasPadding() ? u8(segment, offset + packetLength() - 1) : 0;
    }

    /**
     * The packet's length without padding.
     *
     * @return bytes
     */
    public int contentLength() {
        return packetLength() - paddingLength();
    }

    /**
     * The first SSRC after the header: the sender of SR, RR, APP, RTPFB and PSFB.
     *
     * @return raw 32 bits
     */
    public int senderSsrc() {
        return i32(segment, offset + 4);
    }

    // ---- SR sender info

    /**
     * SR: the NTP timestamp, 32.32 fixed point seconds since 1900.
     *
     * @return the raw 64 bits
     */
    public long ntpTimestamp() {
        return (long) i32(segment, offset + 8) << 32 | Integer.toUnsignedLong(i32(segment, offset + 12));
    }

    /**
     * SR: the RTP timestamp that corresponds to {@link #ntpTimestamp()}.
     *
     * @return raw 32 bits
     */
    public int rtpTimestamp() {
        return i32(segment, offset + 16);
    }

    /**
     * SR: packets sent since the start.
     *
     * @return raw 32 bits
     */
    public int senderPacketCount() {
        return i32(segment, offset + 20);
    }

    /**
     * SR: payload octets sent since the start.
     *
     * @return raw 32 bits
     */
    public int senderOctetCount() {
        return i32(segment, offset + 24);
    }

    // ---- SR/RR report blocks

    private long block(int index) {
        Objects.checkIndex(index, count());
        return offset + (packetType() == SR ? SR_BLOCKS_OFFSET : RR_BLOCKS_OFFSET)
                + (long) ReportBlock.SIZE * index;
    }

    /**
     * SR/RR: the SSRC a report block is about.
     *
     * @param index 0 .. {@link #count()} - 1
     * @return raw 32 bits
     */
    public int reportSsrc(int index) {
        return i32(segment, block(index));
    }

    /**
     * SR/RR: fraction lost of a report block.
     *
     * @param index 0 .. {@link #count()} - 1
     * @return 0..255 (fixed point /256)
     */
    public int fractionLost(int index) {
        return u8(segment, block(index) + 4);
    }

    /**
     * SR/RR: cumulative number of packets lost, sign-extended from 24 bits.
     *
     * @param index 0 .. {@link #count()} - 1
     * @return -8388608..8388607
     */
    public int cumulativeLost(int index) {
        return i32(segment, block(index) + 4) << 8 >> 8;
    }

    /**
     * SR/RR: extended highest sequence number received.
     *
     * @param index 0 .. {@link #count()} - 1
     * @return raw 32 bits
     */
    public int extendedHighestSequence(int index) {
        return i32(segment, block(index) + 8);
    }

    /**
     * SR/RR: interarrival jitter, RTP timestamp units.
     *
     * @param index 0 .. {@link #count()} - 1
     * @return raw 32 bits
     */
    public int jitter(int index) {
        return i32(segment, block(index) + 12);
    }

    /**
     * SR/RR: last SR timestamp (middle 32 bits of its NTP time).
     *
     * @param index 0 .. {@link #count()} - 1
     * @return raw 32 bits
     */
    public int lastSr(int index) {
        return i32(segment, block(index) + 16);
    }

    /**
     * SR/RR: delay since the last SR, in 1/65536 s.
     *
     * @param index 0 .. {@link #count()} - 1
     * @return raw 32 bits
     */
    public int delaySinceLastSr(int index) {
        return i32(segment, block(index) + 20);
    }

    /**
     * SR/RR: a report block as a value (allocates; for control paths and tests).
     *
     * @param index 0 .. {@link #count()} - 1
     * @return the block
     */
    public ReportBlock reportBlock(int index) {
        return new ReportBlock(reportSsrc(index), fractionLost(index), cumulativeLost(index),
                extendedHighestSequence(index), jitter(index), lastSr(index),
                delaySinceLastSr(index));
    }

    // ---- BYE

    /**
     * BYE: one of the leaving sources.
     *
     * @param index 0 .. {@link #count()} - 1
     * @return raw 32 bits
     */
    public int byeSsrc(int index) {
        Objects.checkIndex(index, count());
        return i32(segment, offset + HEADER_SIZE + 4L * index);
    }

    /**
     * BYE: the reason's length.
     *
     * @return bytes, 0 when there is no reason
     */
    public int byeReasonLength() {
        final int list = HEADER_SIZE + 4 * count();
        return list < contentLength() ? u8(segment, offset + list) : 0;
    }

    /**
     * BYE: where the reason's text starts, relative to the packet.
     *
     * @return the offset
     */
    public int byeReasonOffset() {
        return HEADER_SIZE + 4 * count() + 1;
    }

    /**
     * BYE: the reason, decoded as UTF-8 (allocates).
     *
     * @return the reason, empty when none
     */
    public String byeReason() {
        final int len = byeReasonLength();
        return len == 0 ? "" : text(byeReasonOffset(), len); // no reason: offset is past the end
    }

    // ---- APP

    /**
     * APP: the four ASCII characters of the name, as 32 bits.
     *
     * @return raw 32 bits
     */
    public int appName() {
        return i32(segment, offset + 8);
    }

    /**
     * APP: where the application data starts, relative to the packet.
     *
     * @return 12
     */
    public int appDataOffset() {
        return 12;
    }

    /**
     * APP: the application data's length.
     *
     * @return bytes
     */
    public int appDataLength() {
        return contentLength() - 12;
    }

    // ---- RTPFB / PSFB (RFC 4585 6.1)

    /**
     * RTPFB/PSFB: the media source the feedback is about.
     *
     * @return raw 32 bits
     */
    public int mediaSsrc() {
        return i32(segment, offset + 8);
    }

    /**
     * Generic NACK: how many FCI entries (PID + BLP) there are.
     *
     * @return the count
     */
    public int nackCount() {
        return (contentLength() - 12) / 4;
    }

    /**
     * Generic NACK: the packet ID (a lost sequence number) of an entry.
     *
     * @param index 0 .. {@link #nackCount()} - 1
     * @return 0..65535
     */
    public int nackPid(int index) {
        Objects.checkIndex(index, nackCount());
        return u16(segment, offset + 12 + 4L * index);
    }

    /**
     * Generic NACK: the bitmask of following lost packets of an entry (bit i: PID + i + 1).
     *
     * @param index 0 .. {@link #nackCount()} - 1
     * @return 0..65535
     */
    public int nackBlp(int index) {
        Objects.checkIndex(index, nackCount());
        return u16(segment, offset + 14 + 4L * index);
    }

    /**
     * Tells whether this is a generic NACK.
     *
     * @return true for RTPFB with FMT 1
     */
    public boolean isNack() {
        return packetType() == RTPFB && count() == FMT_NACK;
    }

    /**
     * Tells whether this is a picture loss indication.
     *
     * @return true for PSFB with FMT 1
     */
    public boolean isPli() {
        return packetType() == PSFB && count() == FMT_PLI;
    }

    String text(int relOffset, int length) {
        final byte[] b = new byte[length];
        MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, offset + relOffset, b, 0, length);
        return new String(b, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "RtcpPacket[pt=" + packetType() + " count=" + count() + " length="
                + packetLength() + "]";
    }
}
