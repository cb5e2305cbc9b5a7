package io.rtpm.engine;

/**
 * A set of RTP payload types (0..127) as two bit words: what the payload-type filter tests per
 * packet without allocating. Immutable.
 *
 * @param low  types 0..63, bit n for type n
 * @param high types 64..127, bit n for type 64 + n
 */
public record PayloadTypes(long low, long high) {

    /** The empty set. */
    public static final PayloadTypes NONE = new PayloadTypes(0, 0);

    /**
     * @param types payload types, each 0..127
     * @return the set of them
     */
    public static PayloadTypes of(int... types) {
        long lo = 0;
        long hi = 0;
        for (int t : types) {
            if ((t & ~0x7F) != 0) {
                throw new IllegalArgumentException("payload type " + t + " is not in 0..127");
            }
            if (t < 64) {
                lo |= 1L << t;
            } else {
                hi |= 1L << (t - 64);
            }
        }
        return new PayloadTypes(lo, hi);
    }

    /** @return whether {@code type} (0..127) is in the set */
    public boolean contains(int type) {
        return type < 64 ? (low >>> type & 1) != 0 : (high >>> (type - 64) & 1) != 0;
    }

    /** @return the union of both sets */
    public PayloadTypes union(PayloadTypes other) {
        return new PayloadTypes(low | other.low, high | other.high);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("{");
        for (int t = 0; t < 128; t++) {
            if (contains(t)) {
                s.append(s.length() > 1 ? "," : "").append(t);
            }
        }
        return s.append('}').toString();
    }
}
