package io.rtpm.srtp;

import java.lang.foreign.MemorySegment;

/**
 * SRTP and SRTCP for one direction of one leg: protect what is sent, or unprotect what is
 * received, in place, with up to {@link SrtpPolicy#maxStreams()} SSRCs each with its own
 * rollover counter, replay list and SRTCP index (RFC 3711 section 3.2).
 *
 * <p>Every method works on {@code s[at, at + length)} and returns the packet's new length, or a
 * negative {@link SrtpStatus} when the packet is to be dropped (then counted in
 * {@link #counters()}; nothing is thrown for anything a packet can do). Protect writes past the
 * packet, up to {@code capacity} bytes from {@code at}: a ring slot keeps room for the tag (4,
 * 10 or 16 bytes), the SRTCP index (4) and the MKI ({@link #overhead()} says how much). Nothing
 * is allocated per packet, except the contexts of a new SSRC. The AEAD suites need the packet in
 * native memory.
 *
 * <p>Not thread-safe: a session belongs to the thread that runs its leg. Close it to free the
 * native GCM state.
 *
 * <pre>{@code
 * try (SrtpSession tx = SrtpSession.create(SrtpPolicy.of(suite, key))) {
 *     int n = tx.protectRtp(slot, 0, length, slotSize);
 *     if (n < 0) { ... SrtpStatus.name(n) ... }
 * }
 * }</pre>
 */
public final class SrtpSession implements AutoCloseable {

    private final SrtpPolicy policy;
    private final Keys keys;
    private final StreamTable streams;
    private final SrtpTransformer rtp;
    private final SrtcpTransformer rtcp;
    private final SrtpCounters counters = new SrtpCounters();

    private SrtpSession(SrtpPolicy policy) {
        this.policy = policy;
        this.keys = new Keys(policy);
        this.streams = new StreamTable(policy.maxStreams());
        this.rtp = new SrtpTransformer(policy, keys, streams);
        this.rtcp = new SrtcpTransformer(policy, keys, streams);
    }

    /**
     * A session that derives its session keys from the policy's master keys.
     *
     * @param policy the suite, keys and limits
     * @return the session
     * @throws UnsatisfiedLinkError for a GCM suite when libcrypto.so.3 is missing (the message
     *                              says what to install)
     */
    public static SrtpSession create(SrtpPolicy policy) {
        return new SrtpSession(policy);
    }

    /**
     * Protects an RTP packet.
     *
     * @param s the memory holding the packet
     * @param at where it starts
     * @param length its length
     * @param capacity the bytes from {@code at} it may grow into
     * @return the SRTP packet's length, or a negative {@link SrtpStatus}
     */
    public int protectRtp(MemorySegment s, long at, int length, int capacity) {
        return counters.count(rtp.protect(s, at, length, capacity), true);
    }

    /**
     * Unprotects an SRTP packet: authenticates it, checks it is no replay, decrypts it.
     *
     * @return the RTP packet's length, or a negative {@link SrtpStatus}
     */
    public int unprotectRtp(MemorySegment s, long at, int length) {
        return counters.count(rtp.unprotect(s, at, length), false);
    }

    /**
     * Protects an RTCP (compound) packet, giving it the stream's next SRTCP index.
     *
     * @return the SRTCP packet's length, or a negative {@link SrtpStatus}
     */
    public int protectRtcp(MemorySegment s, long at, int length, int capacity) {
        return counters.count(rtcp.protect(s, at, length, capacity), true);
    }

    /**
     * Unprotects an SRTCP packet.
     *
     * @return the RTCP packet's length, or a negative {@link SrtpStatus}
     */
    public int unprotectRtcp(MemorySegment s, long at, int length) {
        return counters.count(rtcp.unprotect(s, at, length), false);
    }

    /** @return the most bytes protect adds to a packet: SRTCP's index, the tag and the MKI */
    public int overhead() {
        return 4 + Math.max(policy.suite().rtpTagLength(), policy.suite().rtcpTagLength()) + policy.mkiLength();
    }

    /** @return what this session has counted */
    public SrtpCounters counters() {
        return counters;
    }

    /** @return how many SSRCs have contexts */
    public int streams() {
        return streams.size();
    }

    /** @return the policy */
    public SrtpPolicy policy() {
        return policy;
    }

    /** Frees the native AES-GCM contexts; the session is unusable afterwards. */
    @Override
    public void close() {
        keys.close();
    }
}
