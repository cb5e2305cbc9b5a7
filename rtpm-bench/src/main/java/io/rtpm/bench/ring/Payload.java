package io.rtpm.bench.ring;

import io.rtpm.rtp.RtpGenerator;
import io.rtpm.rtp.RtpStreamConfig;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The per-packet work every ring benchmark does, the same for rtpm, Agrona and JCTools: the
 * producer copies one 172-byte PCMU RTP packet into the ring and stamps its sequence number; the
 * consumer copies the 172 bytes out and reads the sequence number back. Source and sink are
 * native memory, so every ring pays the same memcpy.
 */
final class Payload {

    /** Bytes per packet: RTP header (12) plus 20 ms of PCMU (160), the relay's packet size. */
    static final int SIZE = 172;

    private static final ValueLayout.OfShort BE_SHORT =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    /** The packet written into the ring. */
    final MemorySegment source;
    /** Where the consumer copies a packet to. */
    final MemorySegment sink;
    private int seq;

    /**
     * @param arena where to allocate source and sink (alive as long as the benchmark state)
     */
    Payload(Arena arena) {
        source = arena.allocate(SIZE, 64);
        sink = arena.allocate(SIZE, 64);
        int n = new RtpGenerator(RtpStreamConfig.pcmu20ms(0x5EED, 1, 0)).next(source, 0, SIZE);
        if (n != SIZE) {
            throw new IllegalStateException("PCMU packet is " + n + " bytes, expected " + SIZE);
        }
    }

    /**
     * Writes the next packet into {@code dst} at {@code offset}.
     *
     * @param dst a slot's payload (or a ring buffer)
     * @param offset where the packet starts in it
     */
    void write(MemorySegment dst, long offset) {
        MemorySegment.copy(source, 0, dst, offset, SIZE);
        dst.set(BE_SHORT, offset + 2, (short) seq++);
    }

    /**
     * Reads a packet out of {@code src} at {@code offset}.
     *
     * @param src a slot's payload (or a ring buffer)
     * @param offset where the packet starts in it
     * @return its RTP sequence number (for the Blackhole)
     */
    int read(MemorySegment src, long offset) {
        MemorySegment.copy(src, offset, sink, 0, SIZE);
        return sink.get(BE_SHORT, 2);
    }
}
