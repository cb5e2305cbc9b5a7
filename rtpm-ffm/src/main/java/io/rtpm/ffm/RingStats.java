package io.rtpm.ffm;

/**
 * One consistent snapshot of a ring's counters and gauges ({@code struct rtpm_stats}); see
 * docs/ABI.md for each counter. Counters run since configure or the last reset.
 *
 * @param ringId the ring
 * @param running whether the ring is started
 * @param configured whether the ring has memory
 * @param slotCount slots in the ring (0 when unconfigured)
 * @param pushed slots pushed
 * @param popped slots popped
 * @param released slots released by the consumer
 * @param bytesIn payload bytes pushed
 * @param bytesOut payload bytes popped
 * @param overruns claims that found no FREE slot
 * @param drops packets lost to a full ring (reported by the producer, plus head drops)
 * @param headDrops READY slots recycled by {@link DropPolicy#HEAD}
 * @param flushed READY slots discarded by start
 * @param reclaimed CONSUMED slots freed when their session ended
 * @param aborted FILLING slots released unpushed or freed when their session ended
 * @param underruns transitions to empty seen by a pop
 * @param rtpLost sequence numbers skipped
 * @param rtpDuplicates packets seen before
 * @param rtpReorders late packets not seen before
 * @param rtpResets SSRC changes and resynchronisations
 * @param rtpNotRtp pushes that were not RTP v2, or were RTCP
 * @param invalid rejected data-plane requests
 * @param free FREE slots now
 * @param filling FILLING slots now
 * @param ready READY slots now
 * @param inFlight CONSUMED slots now
 * @param rtpSsrc the SSRC being tracked (unsigned)
 * @param rtpMaxSeq the highest extended sequence number seen (unsigned)
 * @param sessions sessions attached
 * @param mappings live mappings of the ring
 */
public record RingStats(int ringId, boolean running, boolean configured, int slotCount,
        long pushed, long popped, long released, long bytesIn, long bytesOut, long overruns,
        long drops, long headDrops, long flushed, long reclaimed, long aborted, long underruns,
        long rtpLost, long rtpDuplicates, long rtpReorders, long rtpResets, long rtpNotRtp,
        long invalid, int free, int filling, int ready, int inFlight, int rtpSsrc, int rtpMaxSeq,
        int sessions, int mappings) {

    /**
     * Checks the three invariants of docs/ABI.md.
     *
     * @return null when they hold, else a description of the first one broken, with the values
     */
    public String invariantViolation() {
        if ((long) free + filling + ready + inFlight != slotCount) {
            return "free " + free + " + filling " + filling + " + ready " + ready + " + in_flight "
                    + inFlight + " != slot_count " + slotCount;
        }
        if (pushed != popped + ready + flushed + headDrops) {
            return "pushed " + pushed + " != popped " + popped + " + ready " + ready + " + flushed "
                    + flushed + " + head_drops " + headDrops;
        }
        if (popped != released + reclaimed + inFlight) {
            return "popped " + popped + " != released " + released + " + reclaimed " + reclaimed
                    + " + in_flight " + inFlight;
        }
        return null;
    }
}
