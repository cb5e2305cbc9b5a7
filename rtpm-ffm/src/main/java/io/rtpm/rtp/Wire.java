package io.rtpm.rtp;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Big-endian (network order) field access at arbitrary byte offsets of a {@link MemorySegment}.
 *
 * <p>RTP and RTCP fields are not aligned in general (a packet may start anywhere in a ring slot),
 * so every multi-byte access goes through an unaligned big-endian layout.
 */
public final class Wire {

    /** A 16-bit big-endian field at any offset. */
    public static final ValueLayout.OfShort U16 =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    /** A 32-bit big-endian field at any offset. */
    public static final ValueLayout.OfInt U32 =
            ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private Wire() {
    }

    /**
     * Reads one unsigned byte.
     *
     * @param s the segment
     * @param at absolute byte offset in {@code s}
     * @return 0..255
     */
    public static int u8(MemorySegment s, long at) {
        return s.get(ValueLayout.JAVA_BYTE, at) & 0xFF;
    }

    /**
     * Reads an unsigned 16-bit big-endian field.
     *
     * @param s the segment
     * @param at absolute byte offset in {@code s}
     * @return 0..65535
     */
    public static int u16(MemorySegment s, long at) {
        return s.get(U16, at) & 0xFFFF;
    }

    /**
     * Reads a 32-bit big-endian field as its raw bits (use {@link Integer#toUnsignedLong(int)}
     * for the unsigned value).
     *
     * @param s the segment
     * @param at absolute byte offset in {@code s}
     * @return the 32 bits
     */
    public static int i32(MemorySegment s, long at) {
        return s.get(U32, at);
    }

    /**
     * Writes the low 8 bits of {@code v}.
     *
     * @param s the segment
     * @param at absolute byte offset in {@code s}
     * @param v the value
     */
    public static void putU8(MemorySegment s, long at, int v) {
        s.set(ValueLayout.JAVA_BYTE, at, (byte) v);
    }

    /**
     * Writes the low 16 bits of {@code v}, big-endian.
     *
     * @param s the segment
     * @param at absolute byte offset in {@code s}
     * @param v the value
     */
    public static void putU16(MemorySegment s, long at, int v) {
        s.set(U16, at, (short) v);
    }

    /**
     * Writes 32 bits, big-endian.
     *
     * @param s the segment
     * @param at absolute byte offset in {@code s}
     * @param v the value
     */
    public static void putI32(MemorySegment s, long at, int v) {
        s.set(U32, at, v);
    }

    /**
     * Sets {@code length} bytes from {@code at} to {@code value}, without creating a slice.
     *
     * @param s the segment
     * @param at absolute byte offset in {@code s}
     * @param length how many bytes
     * @param value the byte
     */
    public static void fill(MemorySegment s, long at, int length, byte value) {
        for (int i = 0; i < length; i++) {
            s.set(ValueLayout.JAVA_BYTE, at + i, value);
        }
    }
}
