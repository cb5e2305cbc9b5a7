package io.rtpm.rtp.rtcp;

import static io.rtpm.rtp.Wire.u16;
import static io.rtpm.rtp.Wire.u8;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * Validates and iterates a compound RTCP packet (RFC 3550 section 6.1 and appendix A.2).
 *
 * <pre>{@code
 * RtcpCompound c = new RtcpCompound();
 * if (RtcpCompound.validate(seg, off, len, true).ok()) {
 *     for (c.wrap(seg, off, len); c.next(); ) { RtcpPacket p = c.packet(); ... }
 * }
 * }</pre>
 *
 * <p>Allocation-free; one instance per thread.
 */
public final class RtcpCompound {

    private final RtcpPacket packet = new RtcpPacket();
    private MemorySegment segment = MemorySegment.NULL;
    private long base;
    private int length;
    private int pos;
    private RtcpCheck stopped = RtcpCheck.OK;

    /** Creates an iterator; call {@link #wrap} before use. */
    public RtcpCompound() {
    }

    /**
     * The RFC 3550 A.2 checks, plus each packet's own ({@link RtcpPacket#check()}): version 2
     * everywhere, the lengths add up to the datagram, only the last packet padded, and, when
     * {@code requireReportFirst}, the first packet is an unpadded SR or RR. Pass false to accept
     * RFC 5506 reduced-size RTCP (a lone feedback packet, for example). Never throws or allocates.
     *
     * @param s the memory
     * @param offset where the datagram starts
     * @param length the datagram's length
     * @param requireReportFirst true for a strict RFC 3550 compound packet
     * @return {@link RtcpCheck#OK} or the first problem
     */
    public static RtcpCheck validate(MemorySegment s, long offset, int length,
            boolean requireReportFirst) {
        Objects.checkFromIndexSize(offset, length, s.byteSize());
        if (length < RtcpPacket.HEADER_SIZE) {
            return RtcpCheck.TRUNCATED;
        }
        if (requireReportFirst) {
            final int pt = u8(s, offset + 1);
            if (pt != RtcpPacket.SR && pt != RtcpPacket.RR) {
                return RtcpCheck.FIRST_NOT_REPORT;
            }
        }
        int pos = 0;
        while (pos < length) {
            final RtcpCheck c = RtcpPacket.check(s, offset + pos, length - pos);
            if (c != RtcpCheck.OK) {
                return c;
            }
            final int len = 4 * (u16(s, offset + pos + 2) + 1);
            if ((u8(s, offset + pos) & 0x20) != 0 && pos + len != length) {
                return RtcpCheck.PADDING_NOT_LAST;
            }
            pos += len;
        }
        return RtcpCheck.OK;
    }

    /**
     * Positions the iterator before the first packet of a datagram.
     *
     * @param s the memory
     * @param offset where the datagram starts
     * @param length the datagram's length
     * @return this iterator
     */
    public RtcpCompound wrap(MemorySegment s, long offset, int length) {
        Objects.checkFromIndexSize(offset, length, s.byteSize());
        segment = s;
        base = offset;
        this.length = length;
        pos = 0;
        stopped = RtcpCheck.OK;
        return this;
    }

    /**
     * Moves {@link #packet()} to the next packet that passes {@link RtcpPacket#check()}. Stops at
     * the end or at the first malformed packet ({@link #stoppedBy()} says which).
     *
     * @return false when there is no further well-formed packet
     */
    public boolean next() {
        if (pos >= length || stopped != RtcpCheck.OK) {
            return false;
        }
        final RtcpCheck c = RtcpPacket.check(segment, base + pos, length - pos);
        if (c != RtcpCheck.OK) {
            stopped = c;
            return false;
        }
        final int len = 4 * (u16(segment, base + pos + 2) + 1);
        packet.wrap(segment, base + pos, len);
        pos += len;
        return true;
    }

    /**
     * The current packet (a view reused by every {@link #next()}).
     *
     * @return the view
     */
    public RtcpPacket packet() {
        return packet;
    }

    /**
     * Why iteration stopped early.
     *
     * @return {@link RtcpCheck#OK} when it reached the end (or has not stopped yet)
     */
    public RtcpCheck stoppedBy() {
        return stopped;
    }
}
