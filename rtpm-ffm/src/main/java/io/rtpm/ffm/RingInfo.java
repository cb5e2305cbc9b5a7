package io.rtpm.ffm;

/**
 * The provider and its limits ({@code struct rtpm_info}).
 *
 * @param backend which backend answers (never {@link Backend#AUTO})
 * @param abi the provider's ABI version
 * @param maxRings ring ids are {@code 0 .. maxRings - 1}
 * @param orderMin smallest order
 * @param orderMax largest order
 * @param payloadMin smallest max payload
 * @param payloadMax largest max payload
 * @param slotAlign slots and payloads start on multiples of this
 * @param maxRingBytes cap on one ring's mapping
 * @param maxTotalBytes cap on all rings together
 * @param usedTotalBytes bytes allocated now
 * @param batchMax entries in one batch call
 * @param headerSize bytes of the ring header
 * @param slotMetaSize bytes of per-slot metadata before the payload
 * @param pageSize the page size mappings are rounded to
 */
public record RingInfo(Backend backend, AbiVersion abi, int maxRings, int orderMin, int orderMax,
        int payloadMin, int payloadMax, int slotAlign, long maxRingBytes, long maxTotalBytes,
        long usedTotalBytes, int batchMax, int headerSize, int slotMetaSize, int pageSize) {
}
