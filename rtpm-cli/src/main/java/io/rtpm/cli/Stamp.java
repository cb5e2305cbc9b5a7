package io.rtpm.cli;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The send time {@code rtpm send} writes at the start of each RTP payload and {@code rtpm recv}
 * reads for one-way latency: the magic "rtpm", then {@link System#nanoTime()} (CLOCK_MONOTONIC on
 * Linux, so comparable between processes of one host). Payloads shorter than 12 bytes carry none.
 */
final class Stamp {

    static final int SIZE = 12;
    private static final int MAGIC = 0x7274706d; // "rtpm"
    private static final ValueLayout.OfInt BE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong BE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private Stamp() {
    }

    static void write(MemorySegment s, long at, long nanos) {
        s.set(BE32, at, MAGIC);
        s.set(BE64, at + 4, nanos);
    }

    /** @return the stamped send time, or -1 when the payload carries no stamp */
    static long read(MemorySegment s, long at, int payloadLength) {
        if (payloadLength < SIZE || s.get(BE32, at) != MAGIC) {
            return -1;
        }
        return s.get(BE64, at + 4);
    }
}
