package io.rtpm.srtp;

import java.util.Arrays;

/**
 * The streams of one session by SSRC, up to a cap: open addressing over an int array, so that a
 * lookup allocates nothing. Streams are only added (a session lives as long as its leg's keys);
 * a stream's SRTP and SRTCP contexts share its slot.
 */
final class StreamTable {

    private final int[] ssrcs;
    private final int[] slots;
    private final int mask;
    private final SrtpContext[] rtp;
    private final SrtcpContext[] rtcp;
    private int size;

    StreamTable(int maxStreams) {
        int buckets = Integer.highestOneBit(Math.max(2, maxStreams) * 2 - 1) << 1;
        ssrcs = new int[buckets];
        slots = new int[buckets];
        Arrays.fill(slots, -1);
        mask = buckets - 1;
        rtp = new SrtpContext[maxStreams];
        rtcp = new SrtcpContext[maxStreams];
    }

    /** @return the stream's slot, or -1 when the SSRC has none */
    int find(int ssrc) {
        for (int b = hash(ssrc) & mask; ; b = (b + 1) & mask) {
            int slot = slots[b];
            if (slot < 0 || ssrcs[b] == ssrc) {
                return slot;
            }
        }
    }

    /** @return the stream's slot, a new one for a new SSRC, or -1 when that would pass the cap */
    int findOrAdd(int ssrc) {
        int slot = find(ssrc);
        return slot >= 0 ? slot : full() ? -1 : add(ssrc);
    }

    /** @return whether another SSRC would pass the cap */
    boolean full() {
        return size == rtp.length;
    }

    /** Adds a stream the table has not got and has room for; @return its slot. */
    int add(int ssrc) {
        int b = hash(ssrc) & mask;
        while (slots[b] >= 0) {
            b = (b + 1) & mask;
        }
        int slot = size++;
        ssrcs[b] = ssrc;
        slots[b] = slot;
        rtp[slot] = new SrtpContext();
        rtcp[slot] = new SrtcpContext();
        return slot;
    }

    SrtpContext rtp(int slot) {
        return rtp[slot];
    }

    SrtcpContext rtcp(int slot) {
        return rtcp[slot];
    }

    /** @return how many streams there are */
    int size() {
        return size;
    }

    private static int hash(int ssrc) {
        return ssrc * 0x9E3779B9 >>> 7 ^ ssrc; // SSRCs are random, but a peer may pick 1, 2, 3
    }
}
