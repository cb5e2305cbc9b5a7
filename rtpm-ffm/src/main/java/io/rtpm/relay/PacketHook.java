package io.rtpm.relay;

import java.lang.foreign.MemorySegment;

/**
 * An embedder's look at every packet just before the relay sends it: inspect it, rewrite it in
 * place (e.g. change the SSRC or payload type), shorten or lengthen it, or drop it.
 *
 * <p>Runs on the thread that sends (the relay's one thread by default, its TX thread with
 * {@link RelayConfig.Builder#threads(int) threads(2)}), one call per packet: keep it short and
 * allocation-free; with one thread a slow hook also holds up receiving. The
 * packet is a zero-copy view of a ring slot, valid only during the call. An exception thrown
 * here drops that packet (counted in {@link RelayStats#hookErrors()}) and the relay goes on.
 */
@FunctionalInterface
public interface PacketHook {

    /** Return value that drops the packet (counted in {@link RelayStats#hookDropped()}). */
    int DROP = -1;

    /**
     * @param packet the slot's whole payload area; the datagram is its first {@code length} bytes
     * @param length the datagram's length
     * @param rtcp true for RTCP, false for RTP
     * @return the length to send, {@code 0 .. packet.byteSize()}, or {@link #DROP}
     */
    int onPacket(MemorySegment packet, int length, boolean rtcp);
}
