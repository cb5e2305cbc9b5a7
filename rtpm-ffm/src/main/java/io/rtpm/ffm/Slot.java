package io.rtpm.ffm;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import io.rtpm.ffm.abi.RtpMgrIoctl;
import io.rtpm.ffm.abi.rtpm_slot_meta;

/**
 * A zero-copy view of one slot of a mapped ring: its payload as a {@link MemorySegment} slice of
 * the mapping, and the metadata the ring writes on every transition ({@code rtpm_slot_meta}).
 *
 * <p>A session makes one {@code Slot} per index when it maps the ring and hands out the same
 * object every time that index is claimed or popped: nothing is allocated per packet. A slot is
 * valid between claim and push/release (producer) or pop and release (consumer); touching it
 * outside that window reads or corrupts another packet. The payload slice spans the slot's whole
 * capacity; {@link #length()} says how much of it holds the packet.
 *
 * <p>The constructor is for backends; applications get slots from a {@link RingSession}.
 */
public final class Slot {

    // Offsets in struct rtpm_slot_meta, from the bindings the drift test checks.
    private static final long META_STATE = rtpm_slot_meta.state$offset();
    private static final long META_LEN = rtpm_slot_meta.len$offset();
    private static final long META_RTP_SEQ = rtpm_slot_meta.rtp_seq$offset();
    private static final long META_RTP_TIMESTAMP = rtpm_slot_meta.rtp_timestamp$offset();
    private static final long META_RTP_SSRC = rtpm_slot_meta.rtp_ssrc$offset();
    private static final long META_FLAGS = rtpm_slot_meta.flags$offset();
    private static final long META_PUSH_NS = rtpm_slot_meta.push_ns$offset();
    private static final long META_USER_TAG = rtpm_slot_meta.user_tag$offset();

    /** {@code rtpm_slot_meta.flags}: the payload parsed as RTP; the rtp fields are valid. */
    public static final int META_RTP = RtpMgrIoctl.RTPM_META_RTP();
    /** {@code rtpm_slot_meta.flags}: not RTP version 2, or RTCP. */
    public static final int META_NOT_RTP = RtpMgrIoctl.RTPM_META_NOT_RTP();

    private final int index;
    private final MemorySegment meta;
    private final MemorySegment payload;
    private final long payloadAddress;
    private int length;

    /**
     * @param index the slot's index in the ring
     * @param slot the slot's bytes in the mapping: metadata, then payload
     * @param metaSize bytes of metadata before the payload
     * @param maxPayload the payload capacity
     */
    public Slot(int index, MemorySegment slot, int metaSize, int maxPayload) {
        this.index = index;
        this.meta = slot.asSlice(0, metaSize);
        this.payload = slot.asSlice(metaSize, maxPayload);
        this.payloadAddress = payload.address();
    }

    /** @return the slot's index in the ring, as the ring's calls and stats name it */
    public int index() {
        return index;
    }

    /**
     * @return the payload area: {@code maxPayload} bytes of the mapping (no copy). Receive a
     *         datagram straight into it after a claim; send it straight from it after a pop.
     */
    public MemorySegment payload() {
        return payload;
    }

    /**
     * @return the payload's native address, for building I/O vectors without touching the
     *         mapping's shared arena on every call (as recvmmsg/sendmmsg wrappers need). Valid
     *         only until the session is closed, and unchecked: the thread passing it to a native
     *         call must not race the session's close (RingSession, "Close")
     */
    public long payloadAddress() {
        return payloadAddress;
    }

    /** @return the payload capacity in bytes */
    public int capacity() {
        return (int) payload.byteSize();
    }

    /**
     * @return after a pop, the length the producer pushed (from the ring, not the shared copy);
     *         after a claim, what {@link #length(int)} set, else 0
     */
    public int length() {
        return length;
    }

    /**
     * Sets how many payload bytes to push (a batch push reads it).
     *
     * @param length {@code 0 .. capacity()}
     * @return this slot
     * @throws IndexOutOfBoundsException when out of range
     */
    public Slot length(int length) {
        if (length < 0 || length > payload.byteSize()) {
            throw new IndexOutOfBoundsException("slot " + index + ": length " + length
                    + " is outside 0.." + payload.byteSize());
        }
        this.length = length;
        return this;
    }

    /**
     * For backends: records a length the ring reported (pop) or reset (claim), unchecked.
     *
     * @param length the length
     */
    public void setLengthFromRing(int length) {
        this.length = length;
    }

    /** @return the metadata the ring mirrors for this slot ({@code rtpm_slot_meta}); read-only in intent */
    public MemorySegment meta() {
        return meta;
    }

    /** @return the slot state in the shared mirror ({@code RTPM_SLOT_*}) */
    public int metaState() {
        return meta.get(ValueLayout.JAVA_INT, META_STATE);
    }

    /** @return the length in the shared mirror (prefer {@link #length()}) */
    public int metaLength() {
        return meta.get(ValueLayout.JAVA_INT, META_LEN);
    }

    /** @return {@link #META_RTP} and/or {@link #META_NOT_RTP}, set on push */
    public int rtpFlags() {
        return meta.get(ValueLayout.JAVA_INT, META_FLAGS);
    }

    /** @return the extended RTP sequence number (valid with {@link #META_RTP}) */
    public int rtpSequence() {
        return meta.get(ValueLayout.JAVA_INT, META_RTP_SEQ);
    }

    /** @return the RTP timestamp (valid with {@link #META_RTP}) */
    public int rtpTimestamp() {
        return meta.get(ValueLayout.JAVA_INT, META_RTP_TIMESTAMP);
    }

    /** @return the RTP SSRC (valid with {@link #META_RTP}) */
    public int rtpSsrc() {
        return meta.get(ValueLayout.JAVA_INT, META_RTP_SSRC);
    }

    /** @return CLOCK_MONOTONIC nanoseconds at push (comparable with {@link System#nanoTime()} on Linux) */
    public long pushNanos() {
        return meta.get(ValueLayout.JAVA_LONG, META_PUSH_NS);
    }

    /** @return the producer's own tag, carried unchanged to the consumer */
    public long userTag() {
        return meta.get(ValueLayout.JAVA_LONG, META_USER_TAG);
    }

    /**
     * Sets the producer's own tag (between claim and push).
     *
     * @param tag any value
     */
    public void userTag(long tag) {
        meta.set(ValueLayout.JAVA_LONG, META_USER_TAG, tag);
    }

    @Override
    public String toString() {
        return "Slot[" + index + ", length " + length + "/" + payload.byteSize() + "]";
    }
}
