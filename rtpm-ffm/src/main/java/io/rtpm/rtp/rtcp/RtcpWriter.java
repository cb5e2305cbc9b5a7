package io.rtpm.rtp.rtcp;

import static io.rtpm.rtp.Wire.putI32;
import static io.rtpm.rtp.Wire.putU16;
import static io.rtpm.rtp.Wire.putU8;
import static io.rtpm.rtp.Wire.u8;

import io.rtpm.rtp.Wire;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Builds a compound RTCP packet in place. Each {@code senderReport}, {@code receiverReport},
 * {@code sdes}, {@code bye}, {@code app}, {@code nack} and {@code pli} call closes the packet
 * before it (writing its length field) and starts a new one; {@link #addReportBlock} and
 * {@link #addSdesChunk}/{@link #addSdesItem} add to the open SR/RR or SDES; {@link #finish()}
 * closes the last and returns the datagram's length.
 *
 * <p>Report blocks and NACK entries are written from primitives, so building an SR/RR from
 * {@link io.rtpm.rtp.stats.ReceiverStatistics} allocates nothing. Writing past the capacity
 * throws {@link IndexOutOfBoundsException} naming the size needed.
 */
public final class RtcpWriter {

    private MemorySegment segment = MemorySegment.NULL;
    private long base;
    private int capacity;
    private int pos;
    private int packetStart = -1;
    private int packetType;
    private boolean chunkOpen;

    /** Creates a writer; call {@link #wrap} before use. */
    public RtcpWriter() {
    }

    /**
     * Targets {@code capacity} bytes of {@code segment} from {@code offset}.
     *
     * @param segment where to write
     * @param offset the datagram's first byte
     * @param capacity bytes available
     * @return this writer
     */
    public RtcpWriter wrap(MemorySegment segment, long offset, int capacity) {
        Objects.checkFromIndexSize(offset, capacity, segment.byteSize());
        this.segment = segment;
        this.base = offset;
        this.capacity = capacity;
        this.pos = 0;
        this.packetStart = -1;
        this.chunkOpen = false;
        return this;
    }

    /**
     * Starts a sender report; add report blocks with {@link #addReportBlock}.
     *
     * @param ssrc the sender
     * @param ntpTimestamp 32.32 NTP time the report was sent
     * @param rtpTimestamp the RTP timestamp of the same instant
     * @param packetCount packets sent so far
     * @param octetCount payload octets sent so far
     * @return this writer
     */
    public RtcpWriter senderReport(int ssrc, long ntpTimestamp, int rtpTimestamp, int packetCount,
            int octetCount) {
        start(RtcpPacket.SR, 0, RtcpPacket.SR_BLOCKS_OFFSET);
        putI32(segment, base + packetStart + 4, ssrc);
        putI32(segment, base + packetStart + 8, (int) (ntpTimestamp >>> 32));
        putI32(segment, base + packetStart + 12, (int) ntpTimestamp);
        putI32(segment, base + packetStart + 16, rtpTimestamp);
        putI32(segment, base + packetStart + 20, packetCount);
        putI32(segment, base + packetStart + 24, octetCount);
        return this;
    }

    /**
     * Starts a receiver report; add report blocks with {@link #addReportBlock}.
     *
     * @param ssrc the reporter
     * @return this writer
     */
    public RtcpWriter receiverReport(int ssrc) {
        start(RtcpPacket.RR, 0, RtcpPacket.RR_BLOCKS_OFFSET);
        putI32(segment, base + packetStart + 4, ssrc);
        return this;
    }

    /**
     * Appends a report block to the open SR or RR.
     *
     * @param ssrc the source reported on
     * @param fractionLost 0..255
     * @param cumulativeLost signed 24 bits
     * @param extendedHighestSequence raw 32 bits
     * @param jitter RTP timestamp units
     * @param lastSr middle 32 bits of the last SR's NTP time
     * @param delaySinceLastSr 1/65536 s
     * @return this writer
     */
    public RtcpWriter addReportBlock(int ssrc, int fractionLost, int cumulativeLost,
            int extendedHighestSequence, int jitter, int lastSr, int delaySinceLastSr) {
        if (packetType != RtcpPacket.SR && packetType != RtcpPacket.RR || packetStart < 0) {
            throw new IllegalStateException("addReportBlock() needs an open senderReport() or"
                    + " receiverReport()");
        }
        final int b0 = u8(segment, base + packetStart);
        if ((b0 & 0x1F) == 31) {
            throw new IllegalStateException("an SR/RR holds at most 31 report blocks: start"
                    + " another RR for the rest");
        }
        room(ReportBlock.SIZE);
        final long at = base + pos;
        putI32(segment, at, ssrc);
        putI32(segment, at + 4, (fractionLost & 0xFF) << 24 | (cumulativeLost & 0xFFFFFF));
        putI32(segment, at + 8, extendedHighestSequence);
        putI32(segment, at + 12, jitter);
        putI32(segment, at + 16, lastSr);
        putI32(segment, at + 20, delaySinceLastSr);
        putU8(segment, base + packetStart, b0 + 1);
        pos += ReportBlock.SIZE;
        return this;
    }

    /**
     * Appends a report block to the open SR or RR.
     *
     * @param b the block
     * @return this writer
     */
    public RtcpWriter addReportBlock(ReportBlock b) {
        return addReportBlock(b.ssrc(), b.fractionLost(), b.cumulativeLost(),
                b.extendedHighestSequence(), b.jitter(), b.lastSr(), b.delaySinceLastSr());
    }

    /**
     * Starts an SDES packet; add chunks with {@link #addSdesChunk} and items with
     * {@link #addSdesItem}.
     *
     * @return this writer
     */
    public RtcpWriter sdes() {
        start(RtcpPacket.SDES, 0, RtcpPacket.HEADER_SIZE);
        return this;
    }

    /**
     * Starts a chunk in the open SDES packet.
     *
     * @param ssrc the source the items describe
     * @return this writer
     */
    public RtcpWriter addSdesChunk(int ssrc) {
        if (packetType != RtcpPacket.SDES || packetStart < 0) {
            throw new IllegalStateException("addSdesChunk() needs an open sdes()");
        }
        closeChunk();
        final int b0 = u8(segment, base + packetStart);
        if ((b0 & 0x1F) == 31) {
            throw new IllegalStateException("an SDES packet holds at most 31 chunks");
        }
        room(4);
        putI32(segment, base + pos, ssrc);
        pos += 4;
        putU8(segment, base + packetStart, b0 + 1);
        chunkOpen = true;
        return this;
    }

    /**
     * Adds an item to the open chunk.
     *
     * @param type 1..255, e.g. {@link SdesItems#CNAME}
     * @param text the value, at most 255 bytes in UTF-8
     * @return this writer
     */
    public RtcpWriter addSdesItem(int type, String text) {
        if (!chunkOpen) {
            throw new IllegalStateException("addSdesItem() needs an open addSdesChunk()");
        }
        if (type < 1 || type > 255) {
            throw new IllegalArgumentException("SDES item type " + type + " is not in 1..255");
        }
        final byte[] b = text.getBytes(StandardCharsets.UTF_8);
        if (b.length > 255) {
            throw new IllegalArgumentException("SDES item of " + b.length
                    + " bytes: at most 255 fit");
        }
        room(2 + b.length);
        putU8(segment, base + pos, type);
        putU8(segment, base + pos + 1, b.length);
        MemorySegment.copy(MemorySegment.ofArray(b), 0, segment, base + pos + 2, b.length);
        pos += 2 + b.length;
        return this;
    }

    /**
     * Adds a BYE packet.
     *
     * @param reason why (empty for none), at most 255 bytes in UTF-8
     * @param ssrcs the leaving sources, at most 31
     * @return this writer
     */
    public RtcpWriter bye(String reason, int... ssrcs) {
        if (ssrcs.length > 31) {
            throw new IllegalArgumentException(ssrcs.length + " SSRCs: a BYE holds at most 31");
        }
        final byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        if (r.length > 255) {
            throw new IllegalArgumentException("BYE reason of " + r.length
                    + " bytes: at most 255 fit");
        }
        start(RtcpPacket.BYE, ssrcs.length, RtcpPacket.HEADER_SIZE + 4 * ssrcs.length);
        for (int i = 0; i < ssrcs.length; i++) {
            putI32(segment, base + packetStart + 4 + 4L * i, ssrcs[i]);
        }
        if (r.length > 0) {
            room(1 + r.length);
            putU8(segment, base + pos, r.length);
            MemorySegment.copy(MemorySegment.ofArray(r), 0, segment, base + pos + 1, r.length);
            pos += 1 + r.length;
        }
        return this;
    }

    /**
     * Adds an APP packet.
     *
     * @param subtype 0..31
     * @param ssrc the sender
     * @param name exactly four ASCII characters
     * @param data application data, a multiple of 4 bytes
     * @return this writer
     */
    public RtcpWriter app(int subtype, int ssrc, String name, byte[] data) {
        final byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        if ((subtype & ~0x1F) != 0 || n.length != 4 || (data.length & 3) != 0) {
            throw new IllegalArgumentException("APP needs subtype 0..31 (got " + subtype
                    + "), a 4-character ASCII name (got '" + name + "') and data in whole"
                    + " 32-bit words (got " + data.length + " bytes)");
        }
        start(RtcpPacket.APP, subtype, 12 + data.length);
        putI32(segment, base + packetStart + 4, ssrc);
        MemorySegment.copy(MemorySegment.ofArray(n), 0, segment, base + packetStart + 8, 4);
        MemorySegment.copy(MemorySegment.ofArray(data), 0, segment, base + packetStart + 12,
                data.length);
        return this;
    }

    /**
     * Adds a generic NACK (RFC 4585 6.2.1) for lost sequence numbers, packed into PID/BLP pairs.
     *
     * @param senderSsrc who sends the feedback
     * @param mediaSsrc the source that lost packets
     * @param lost lost sequence numbers, ascending in sequence-number order (wrap allowed)
     * @param count how many of {@code lost} to use
     * @return this writer
     */
    public RtcpWriter nack(int senderSsrc, int mediaSsrc, int[] lost, int count) {
        Objects.checkFromIndexSize(0, count, lost.length);
        start(RtcpPacket.RTPFB, RtcpPacket.FMT_NACK, 12);
        putI32(segment, base + packetStart + 4, senderSsrc);
        putI32(segment, base + packetStart + 8, mediaSsrc);
        int i = 0;
        while (i < count) {
            final int pid = lost[i++] & 0xFFFF;
            int blp = 0;
            while (i < count) {
                final int d = (lost[i] - pid) & 0xFFFF;
                if (d < 1 || d > 16) {
                    break;
                }
                blp |= 1 << (d - 1);
                i++;
            }
            room(4);
            putU16(segment, base + pos, pid);
            putU16(segment, base + pos + 2, blp);
            pos += 4;
        }
        return this;
    }

    /**
     * Adds a picture loss indication (RFC 4585 6.3.1).
     *
     * @param senderSsrc who sends the feedback
     * @param mediaSsrc the source whose picture was lost
     * @return this writer
     */
    public RtcpWriter pli(int senderSsrc, int mediaSsrc) {
        start(RtcpPacket.PSFB, RtcpPacket.FMT_PLI, 12);
        putI32(segment, base + packetStart + 4, senderSsrc);
        putI32(segment, base + packetStart + 8, mediaSsrc);
        return this;
    }

    /**
     * Closes the last packet.
     *
     * @return the compound packet's length in bytes
     */
    public int finish() {
        close();
        return pos;
    }

    /**
     * Closes the last packet with RTCP padding (only the last packet of a compound may be padded).
     *
     * @param count padding bytes, 4..252 and a multiple of 4 (keeps the 32-bit alignment)
     * @return the compound packet's length in bytes
     */
    public int finishPadded(int count) {
        if (count < 4 || count > 252 || (count & 3) != 0) {
            throw new IllegalArgumentException("RTCP padding of " + count
                    + " bytes: use a multiple of 4 from 4 to 252");
        }
        if (packetStart < 0) {
            throw new IllegalStateException("finishPadded() needs a packet to pad");
        }
        closeChunk();
        alignBody();
        room(count);
        Wire.fill(segment, base + pos, count - 1, (byte) 0);
        putU8(segment, base + pos + count - 1, count);
        pos += count;
        putU8(segment, base + packetStart, u8(segment, base + packetStart) | 0x20);
        close();
        return pos;
    }

    private void start(int type, int count, int fixedSize) {
        close();
        room(fixedSize);
        packetStart = pos;
        packetType = type;
        putU8(segment, base + pos, 2 << 6 | count);
        putU8(segment, base + pos + 1, type);
        putU16(segment, base + pos + 2, 0);
        pos += fixedSize;
    }

    private void closeChunk() {
        if (chunkOpen) {
            // null item, then zero padding up to the next 32-bit boundary (RFC 3550 6.5)
            final int pad = 4 - (pos & 3);
            room(pad);
            Wire.fill(segment, base + pos, pad, (byte) 0);
            pos += pad;
            chunkOpen = false;
        }
    }

    private void close() {
        if (packetStart < 0) {
            return;
        }
        closeChunk();
        alignBody();
        putU16(segment, base + packetStart + 2, (pos - packetStart) / 4 - 1);
        packetStart = -1;
    }

    private void alignBody() {
        final int pad = -(pos - packetStart) & 3; // BYE reason and the like: zeros to 32 bits
        room(pad);
        Wire.fill(segment, base + pos, pad, (byte) 0);
        pos += pad;
    }

    private void room(int n) {
        if (n > capacity - pos) {
            throw new IndexOutOfBoundsException("RTCP packet needs " + (pos + n)
                    + " bytes but the target holds " + capacity + ": wrap a larger buffer");
        }
    }
}
