package io.rtpm.srtp;

/**
 * The replay list of RFC 3711 section 3.3.2: which of the last {@link #SIZE} indices have been
 * received and authenticated, as a bitmap.
 *
 * <p>The bitmap is a ring of 64-bit words indexed by {@code index >>> 6}, as in WireGuard's
 * receive window: moving the window forward clears the words it passes and shifts nothing. One
 * word more than the window holds keeps the newest word whole. {@link #check} is asked before the
 * tag is checked (cheap rejection), {@link #accept} only after it matched, so a forged packet
 * moves nothing.
 */
final class ReplayWindow {

    /** How far behind the newest index a packet may be: libsrtp2's default, 128. */
    static final int SIZE = 128;

    private static final int WORDS = SIZE / 64 + 1 + 1; // a power of two: 4
    private static final int MASK = WORDS - 1;

    private final long[] bits = new long[WORDS];
    private long top = -1;

    /** @return whether {@code index} is new: not seen, and not older than the window */
    boolean check(long index) {
        if (index > top) {
            return true;
        }
        if (top - index >= SIZE) {
            return false;
        }
        return (bits[(int) (index >>> 6) & MASK] & (1L << index)) == 0;
    }

    /** Marks {@code index} received (it passed {@link #check} and its tag matched). */
    void accept(long index) {
        if (index > top) {
            long from = top < 0 ? (index >>> 6) - WORDS : top >>> 6;
            long to = index >>> 6;
            for (long w = Math.max(from + 1, to - WORDS + 1); w <= to; w++) {
                bits[(int) w & MASK] = 0;
            }
            top = index;
        }
        bits[(int) (index >>> 6) & MASK] |= 1L << index;
    }

    /** @return the newest index accepted, -1 before the first */
    long top() {
        return top;
    }
}
