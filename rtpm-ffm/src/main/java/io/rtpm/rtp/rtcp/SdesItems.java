package io.rtpm.rtp.rtcp;

import static io.rtpm.rtp.Wire.i32;
import static io.rtpm.rtp.Wire.u8;

import java.lang.foreign.MemorySegment;

/**
 * A reusable cursor over the chunks and items of a checked SDES packet (RFC 3550 section 6.5).
 *
 * <pre>{@code
 * for (items.reset(packet); items.nextChunk(); ) {
 *     int ssrc = items.chunkSsrc();
 *     while (items.nextItem()) { if (items.itemType() == SdesItems.CNAME) cname = items.itemText(); }
 * }
 * }</pre>
 *
 * <p>Reads never leave the packet's content, even on an unchecked packet (a malformed item ends
 * the walk).
 */
public final class SdesItems {

    /** End of a chunk's item list. */
    public static final int END = 0;
    /** Canonical end-point identifier. */
    public static final int CNAME = 1;
    /** User name. */
    public static final int NAME = 2;
    /** E-mail address. */
    public static final int EMAIL = 3;
    /** Phone number. */
    public static final int PHONE = 4;
    /** Geographic location. */
    public static final int LOC = 5;
    /** Application or tool name. */
    public static final int TOOL = 6;
    /** Notice or status. */
    public static final int NOTE = 7;
    /** Private extension (prefix length, prefix, value). */
    public static final int PRIV = 8;

    private RtcpPacket packet;
    private MemorySegment segment = MemorySegment.NULL;
    private long base;
    private int end;
    private int pos;
    private int chunksLeft;
    private boolean inChunk;
    private int chunkSsrc;
    private int itemType;
    private int itemOffset;
    private int itemLength;

    /** Creates a cursor. */
    public SdesItems() {
    }

    /**
     * Positions the cursor before the first chunk of an SDES packet.
     *
     * @param sdes the packet
     * @return this cursor
     */
    public SdesItems reset(RtcpPacket sdes) {
        packet = sdes;
        segment = sdes.segment();
        base = sdes.offset();
        end = sdes.contentLength();
        pos = RtcpPacket.HEADER_SIZE;
        chunksLeft = sdes.count();
        inChunk = false;
        return this;
    }

    /**
     * Moves to the next chunk (skipping unread items of the current one).
     *
     * @return false when there are no more chunks
     */
    public boolean nextChunk() {
        while (inChunk) {
            nextItem();
        }
        if (chunksLeft == 0 || pos + 4 > end) {
            return false;
        }
        chunkSsrc = i32(segment, base + pos);
        pos += 4;
        chunksLeft--;
        inChunk = true;
        return true;
    }

    /**
     * Moves to the next item of the current chunk.
     *
     * @return false at the chunk's end
     */
    public boolean nextItem() {
        if (!inChunk) {
            return false;
        }
        if (pos >= end) {
            return stop();
        }
        final int type = u8(segment, base + pos);
        if (type == END) {
            pos = (pos + 4) & ~3; // the null item and padding up to the next 32-bit boundary
            inChunk = false;
            return false;
        }
        if (pos + 2 > end) {
            return stop();
        }
        final int len = u8(segment, base + pos + 1);
        if (pos + 2 + len > end) {
            return stop();
        }
        itemType = type;
        itemOffset = pos + 2;
        itemLength = len;
        pos += 2 + len;
        return true;
    }

    private boolean stop() {
        inChunk = false;
        chunksLeft = 0;
        pos = end;
        return false;
    }

    /**
     * The current chunk's SSRC/CSRC.
     *
     * @return raw 32 bits
     */
    public int chunkSsrc() {
        return chunkSsrc;
    }

    /**
     * The current item's type.
     *
     * @return 1..255, e.g. {@link #CNAME}
     */
    public int itemType() {
        return itemType;
    }

    /**
     * Where the current item's text starts, relative to the packet.
     *
     * @return the offset
     */
    public int itemOffset() {
        return itemOffset;
    }

    /**
     * The current item's text length.
     *
     * @return 0..255 bytes
     */
    public int itemLength() {
        return itemLength;
    }

    /**
     * The current item's text, decoded as UTF-8 (allocates).
     *
     * @return the text
     */
    public String itemText() {
        return packet.text(itemOffset, itemLength);
    }

    /**
     * Walks all chunks of an SDES packet to check that they stay inside its content.
     *
     * @param s the memory
     * @param offset where the packet starts
     * @param end the packet's content length (without padding)
     * @param chunks the source count
     * @return true when every chunk and item fits
     */
    static boolean walk(MemorySegment s, long offset, int end, int chunks) {
        int pos = RtcpPacket.HEADER_SIZE;
        for (int c = 0; c < chunks; c++) {
            if (pos + 4 > end) {
                return false;
            }
            pos += 4;
            while (true) {
                if (pos >= end) {
                    return false; // a chunk must end with a null item
                }
                final int type = u8(s, offset + pos);
                if (type == END) {
                    pos = (pos + 4) & ~3;
                    if (pos > end) {
                        return false;
                    }
                    break;
                }
                if (pos + 2 > end || pos + 2 + u8(s, offset + pos + 1) > end) {
                    return false;
                }
                pos += 2 + u8(s, offset + pos + 1);
            }
        }
        return true;
    }
}
