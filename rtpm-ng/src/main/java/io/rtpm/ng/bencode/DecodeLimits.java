package io.rtpm.ng.bencode;

/**
 * Bounds on what a decoder accepts, so that a hostile message costs at most linear work in
 * {@code maxBytes}: nesting depth (the decoders recurse), total size, and the number of values.
 *
 * @param maxBytes    the largest body, in bytes
 * @param maxDepth    the deepest nesting of lists and dictionaries (the top-level dictionary is 1)
 * @param maxElements the most values in one message, at every level together
 */
public record DecodeLimits(int maxBytes, int maxDepth, int maxElements) {

    /**
     * What an ng server needs: 256 KiB (a UDP datagram is at most 64 KiB; TCP may carry more SDP),
     * 32 levels (real ng messages use 4: sdp-attr's dictionaries of lists), 65,536 values.
     */
    public static final DecodeLimits NG = new DecodeLimits(256 * 1024, 32, 65_536);

    /** Checks that every bound is positive. */
    public DecodeLimits {
        if (maxBytes < 1 || maxDepth < 1 || maxElements < 1) {
            throw new IllegalArgumentException("limits must be positive: " + maxBytes + ", "
                    + maxDepth + ", " + maxElements);
        }
    }
}
