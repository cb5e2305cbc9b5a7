package io.rtpm.ffm;

import java.util.Objects;

/**
 * What {@link RingDevice#configure} allocates: {@code 2^order} slots of {@code maxPayload} bytes.
 * The ranges are checked by the ring against {@link RingInfo}; this record only rejects values
 * no ring accepts.
 *
 * @param ringId the ring, {@code 0 .. RingInfo.maxRings() - 1}
 * @param order log2 of the slot count ({@code RingInfo.orderMin() .. orderMax()})
 * @param maxPayload payload bytes per slot ({@code RingInfo.payloadMin() .. payloadMax()})
 * @param dropPolicy what a claim on a full ring does
 * @param rtpTracking whether pushes are parsed as RTP and counted (RFC 3550 A.1)
 */
public record RingConfig(int ringId, int order, int maxPayload, DropPolicy dropPolicy, boolean rtpTracking) {

    /** Validates what no ring would accept and rejects a null policy. */
    public RingConfig {
        Objects.requireNonNull(dropPolicy, "dropPolicy");
        if (ringId < 0) {
            throw new InvalidArgumentException("configure ring " + ringId, 0, "ringId", "must be >= 0");
        }
        if (order < 0 || order > 30) {
            throw new InvalidArgumentException("configure ring " + ringId, 0, "order",
                    order + " is out of range: see RingInfo.orderMin()..orderMax()");
        }
        if (maxPayload < 0) {
            throw new InvalidArgumentException("configure ring " + ringId, 0, "maxPayload", "must be >= 0");
        }
    }

    /**
     * A ring with tail drop and RTP tracking on: the defaults of {@code rtpm configure}.
     *
     * @param ringId the ring
     * @param order log2 of the slot count
     * @param maxPayload payload bytes per slot
     * @return the configuration
     */
    public static RingConfig of(int ringId, int order, int maxPayload) {
        return new RingConfig(ringId, order, maxPayload, DropPolicy.TAIL, true);
    }

    /** @return the number of slots, {@code 2^order} */
    public int slotCount() {
        return 1 << order;
    }

    /**
     * @param policy the drop policy
     * @return a copy with that policy
     */
    public RingConfig withDropPolicy(DropPolicy policy) {
        return new RingConfig(ringId, order, maxPayload, policy, rtpTracking);
    }

    /**
     * @param on whether to track RTP
     * @return a copy with RTP tracking on or off
     */
    public RingConfig withRtpTracking(boolean on) {
        return new RingConfig(ringId, order, maxPayload, dropPolicy, on);
    }
}
