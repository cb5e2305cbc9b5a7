package io.rtpm.engine;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Where each leg of one worker sends to: per leg slot, its RTP destination's sockaddr at 0 and
 * its RTCP destination's at 32 of a 64-byte entry of native memory, with their lengths (0: no
 * destination yet). Written from the leg's latches when they move; read by the sends. The
 * worker thread's own.
 */
final class Destinations {

    static final long STRIDE = 64;

    private final MemorySegment names;
    private final int[] length;

    Destinations(Arena arena, int capacity) {
        this.names = arena.allocate(capacity * STRIDE, 8);
        this.length = new int[capacity * 2];
    }

    /** Writes a leg's destinations from its latches (after add, update or a move). */
    void write(LegState l) {
        write(l, false);
        write(l, true);
    }

    void write(LegState l, boolean rtcp) {
        EndpointLatch latch = rtcp ? l.rtcpLatch : l.rtpLatch;
        long at = l.slot * STRIDE + (rtcp ? 32 : 0);
        length[l.slot * 2 + (rtcp ? 1 : 0)] = latch.known()
                ? LegState.writeName(names, at, l.family, latch.hi(), latch.lo(), latch.port()) : 0;
    }

    /** @return the sockaddr's length, 0 when there is nowhere to send */
    int length(int slot, boolean rtcp) {
        return length[slot * 2 + (rtcp ? 1 : 0)];
    }

    /** @return the sockaddr's native address */
    long address(int slot, boolean rtcp) {
        return names.address() + slot * STRIDE + (rtcp ? 32 : 0);
    }

    MemorySegment segment() {
        return names;
    }

    /** @return where the sockaddr starts in {@link #segment()} */
    static long offset(int slot, boolean rtcp) {
        return slot * STRIDE + (rtcp ? 32 : 0);
    }
}
