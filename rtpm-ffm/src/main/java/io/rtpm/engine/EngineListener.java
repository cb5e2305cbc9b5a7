package io.rtpm.engine;

import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;

import io.rtpm.rtp.PacketKind;

/**
 * What the engine tells its owner. Every method is called on the worker thread that carries the
 * call, between packets: it must return quickly and must not call back into the engine's
 * blocking methods (hand the event to another thread instead). The defaults do nothing.
 */
public interface EngineListener {

    /**
     * A leg's endpoint was learned and confirmed.
     *
     * @param call the call
     * @param leg the leg's index
     * @param source where its peer sends from, now where it is sent to
     */
    default void onLatched(Call call, int leg, InetSocketAddress source) {
    }

    /**
     * A confirmed leg moved to a new source ({@link LegSpec#mediaHandover()}).
     *
     * @param call the call
     * @param leg the leg's index
     * @param source the new source
     */
    default void onHandover(Call call, int leg, InetSocketAddress source) {
    }

    /**
     * A leg's RTP switched to a new SSRC (also for its first).
     *
     * @param call the call
     * @param leg the leg's index
     * @param ssrc the new SSRC
     */
    default void onSsrcChange(Call call, int leg, int ssrc) {
    }

    /**
     * A STUN, DTLS or other non-RTP datagram arrived ({@link NonRtpPolicy#DELIVER}).
     *
     * @param call the call
     * @param leg the leg it arrived on
     * @param kind what it is
     * @param datagram its bytes: valid only during this call (copy what you keep)
     * @param source where it came from
     */
    default void onNonRtp(Call call, int leg, PacketKind kind, MemorySegment datagram,
            InetSocketAddress source) {
    }

    /**
     * A call ended; its ports are released.
     *
     * @param call the call
     * @param reason why
     */
    default void onCallEnded(Call call, CallEndReason reason) {
    }

    /**
     * A receive or send failed with something other than "nothing now" (counted too).
     *
     * @param call the call
     * @param leg the leg
     * @param operation "recvmmsg" or "sendmmsg"
     * @param errno the error
     */
    default void onError(Call call, int leg, String operation, int errno) {
    }
}
