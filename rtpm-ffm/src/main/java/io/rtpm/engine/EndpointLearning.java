package io.rtpm.engine;

/**
 * How a leg learns where its peer sends from, and so where to send to it: rtpengine's
 * {@code --endpoint-learning} algorithms, with its default ({@link #DELAYED}).
 *
 * <p>Until a source is learned the leg sends to the remote it was given (the SDP address), if
 * any. Learning never drops a packet by itself: without {@link LegSpec#strictSource()} a
 * learned leg still forwards packets from any other source, as rtpengine does; it only stops
 * <em>sending to</em> them.
 */
public enum EndpointLearning {
    /** Never learn: send to the given remote only. */
    OFF,
    /** The first packet's source is the endpoint, confirmed at once. */
    IMMEDIATE,
    /**
     * Follow the latest source for {@link EngineConfig#learningDelay()} (3 s) after the leg was
     * created or updated, then confirm the last one seen.
     */
    DELAYED,
    /**
     * As {@link #DELAYED}, but confirm the best candidate at the end of the window: a source equal
     * to the given remote (address and port) confirms at once; otherwise one with the given
     * address; otherwise the latest.
     */
    HEURISTIC
}
