package io.rtpm.ffm;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * A reusable list of slots for the batch calls of one {@link RingSession}: made once with
 * {@link RingSession#newBatch(int)}, refilled by every claim or pop batch, so the hot path
 * allocates nothing per packet.
 *
 * <p>Typical consumer loop: {@code pop(batch, n)}, send from {@code batch.get(i).payload()},
 * then {@code release(batch)}. Producer: {@code claim(batch, n, dropped)}, receive into the
 * payloads, set each slot's {@link Slot#length(int) length}, then {@code push(batch)}.
 *
 * <p>Not thread-safe: a batch belongs to the one thread that plays its role.
 */
public final class SlotBatch {

    private final Object owner;
    private final Slot[] slots;
    private final MemorySegment descriptors;
    private int size;
    private int done;

    /**
     * For backends.
     *
     * @param owner the session that made it (calls check it)
     * @param capacity how many slots it holds at most
     * @param descriptors the backend's native scratch for this batch (e.g. the kernel's
     *        {@code rtpm_slot_desc[capacity]}), or {@link MemorySegment#NULL}
     */
    public SlotBatch(Object owner, int capacity, MemorySegment descriptors) {
        this.owner = Objects.requireNonNull(owner, "owner");
        this.slots = new Slot[capacity];
        this.descriptors = Objects.requireNonNull(descriptors, "descriptors");
    }

    /** @return how many slots it holds at most */
    public int capacity() {
        return slots.length;
    }

    /** @return how many slots it holds now */
    public int size() {
        return size;
    }

    /**
     * @param i {@code 0 .. size() - 1}
     * @return the i-th slot
     */
    public Slot get(int i) {
        Objects.checkIndex(i, size);
        return slots[i];
    }

    /** Empties the batch (the slots stay held by the session). */
    public void clear() {
        size = 0;
        done = 0;
    }

    /**
     * Appends a slot, e.g. to release slots popped one at a time in a single call.
     *
     * @param slot a slot this session holds
     * @return this batch
     * @throws IllegalStateException when full
     */
    public SlotBatch add(Slot slot) {
        if (size == slots.length) {
            throw new IllegalStateException("batch is full (" + slots.length + " slots): release or push it first");
        }
        slots[size++] = Objects.requireNonNull(slot, "slot");
        return this;
    }

    /**
     * @return after a push or release batch, how many entries succeeded (all, unless the call
     *         threw; then the failing entry is {@code get(done())})
     */
    public int done() {
        return done;
    }

    /**
     * For backends: the native scratch given at construction.
     *
     * @return the descriptor array
     */
    public MemorySegment descriptors() {
        return descriptors;
    }

    /**
     * For backends: checks that this batch belongs to a session.
     *
     * @param session the calling session
     * @throws IllegalArgumentException when it was made by another session
     */
    public void checkOwner(Object session) {
        if (owner != session) {
            throw new IllegalArgumentException("this batch was made by another session: use one from this session's newBatch");
        }
    }

    /**
     * For backends: checks that {@code session} made this batch and that a claim or pop of
     * {@code max} slots fits in it. The message is built only on failure (hot path).
     *
     * @param session the calling session
     * @param max the slots asked for
     * @param op the call, for the message (e.g. "pop batch")
     * @param ring the ring, for the message
     * @return {@code max}
     * @throws InvalidArgumentException when {@code max} is outside {@code 1 .. capacity()}
     */
    public int checkMax(Object session, int max, String op, String ring) {
        checkOwner(session);
        if (max < 1 || max > slots.length) {
            throw new InvalidArgumentException(op + " on " + ring, 0, "max", max + " is outside 1.."
                    + slots.length + " (the batch's capacity)");
        }
        return max;
    }

    /**
     * For backends: stores the i-th slot of a claim or pop result.
     *
     * @param i the position
     * @param slot the slot
     */
    public void set(int i, Slot slot) {
        slots[i] = slot;
    }

    /**
     * For backends: sets how many slots a claim or pop returned.
     *
     * @param size the count
     */
    public void setSize(int size) {
        this.size = size;
    }

    /**
     * For backends: records how many entries a push or release processed.
     *
     * @param done the count
     */
    public void setDone(int done) {
        this.done = done;
    }
}
