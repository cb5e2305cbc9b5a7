package io.rtpm.ffm;

/**
 * Where things are in a ring's shared region ({@code struct rtpm_layout}): the header at
 * {@code headerOffset}, then {@code slotCount} slots of {@code slotStride} bytes from
 * {@code slotsOffset}, each a {@code metaSize}-byte {@code rtpm_slot_meta} followed by the payload.
 *
 * @param ringId the ring
 * @param order log2 of the slot count
 * @param slotCount {@code 2^order}
 * @param slotStride bytes from one slot to the next
 * @param maxPayload payload capacity of a slot
 * @param headerSize bytes of the ring header
 * @param metaSize the payload starts this many bytes into a slot
 * @param dropPolicy as configured
 * @param rtpTracking as configured
 * @param mmapSize the region's length (a page multiple)
 * @param headerOffset always 0
 * @param slotsOffset where slot 0 starts (page aligned)
 */
public record RingLayout(int ringId, int order, int slotCount, int slotStride, int maxPayload,
        int headerSize, int metaSize, DropPolicy dropPolicy, boolean rtpTracking, long mmapSize,
        long headerOffset, long slotsOffset) {

    /**
     * @param index a slot index, {@code 0 .. slotCount - 1}
     * @return the offset of that slot's metadata in the region
     */
    public long slotOffset(int index) {
        return slotsOffset + (long) index * slotStride;
    }

    /**
     * @param index a slot index, {@code 0 .. slotCount - 1}
     * @return the offset of that slot's payload in the region
     */
    public long payloadOffset(int index) {
        return slotOffset(index) + metaSize;
    }
}
