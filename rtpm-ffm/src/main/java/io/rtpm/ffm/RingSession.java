package io.rtpm.ffm;

import java.lang.foreign.MemorySegment;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One attachment to a ring with roles: the data path.
 *
 * <h2>Threading</h2>
 * One producer thread and one consumer thread per ring is the supported model. A session is
 * used by one thread at a time: the producer's session by the producer thread, the consumer's by
 * the consumer thread (a session holding both roles by one thread). Sessions of the same ring
 * may be used from different threads or processes concurrently.
 *
 * <h2>Close</h2>
 * {@link #close()} may run on any thread, also while another thread is in a call on this
 * session (both backends): it waits for the calls in flight (a wait ends within a slice of
 * 50-100 ms and throws {@link NotAttachedException}), and only then unmaps the ring and frees the
 * session. Any call made after it throws {@link NotAttachedException}. What the session handed
 * out lives until the close: the {@link #map()} segment and {@link Slot} views then throw
 * IllegalStateException on access (the arena is closed; no stray memory access), and a raw
 * {@link Slot#payloadAddress()} must not be used after it at all: nothing can check it, so
 * the thread that uses one must not race the close (end its I/O, then close).
 *
 * <h2>Data path</h2>
 * Producer: {@link #claim()} a FREE slot, write its {@link Slot#payload()}, {@link #push} it
 * with a length; or {@link #release} it unpushed (abort). Consumer: {@link #pop()} the oldest
 * READY slot, read it, {@link #release} it. The batch forms do the same for many slots in one
 * call and allocate nothing per packet. The expected outcomes (ring full, ring empty) are return
 * values; errors are {@link RtpmException}s: {@link RingStoppedException} once the ring is
 * stopped (pop only after it is drained), {@link InvalidSlotException} for a slot not held.
 */
public interface RingSession extends AutoCloseable {

    /** @return the ring this session is attached to */
    int ringId();

    /** @return the roles it attached with */
    Set<Role> roles();

    /** @return the backend behind it */
    Backend backend();

    /** @return the ring's layout as it was when this session attached */
    RingLayout layout();

    /**
     * Maps the ring (once; later calls return the same segment). Read-write for a producer or
     * consumer, read-only for a monitor-only session. The mapping is released by {@link #close()}.
     * The data calls map the ring themselves when needed.
     *
     * @return the whole shared region ({@link RingLayout#mmapSize()} bytes)
     */
    MemorySegment map();

    /**
     * Claims one FREE slot (PRODUCER).
     *
     * @return the slot, its length reset to 0; or null when the ring is full (counted as an
     *         overrun; with {@link DropPolicy#HEAD} the oldest READY slot is taken instead)
     * @throws RingStoppedException when the ring is stopped
     */
    Slot claim();

    /**
     * Pushes a claimed slot with {@code length} payload bytes (PRODUCER); the slot is then the
     * ring's.
     *
     * @param slot a slot this session claimed
     * @param length payload bytes, {@code 0 .. maxPayload}
     * @throws InvalidSlotException when the slot is not FILLING for this session or too long
     * @throws RingStoppedException when the ring is stopped (the slot stays claimed)
     */
    void push(Slot slot, int length);

    /**
     * Pops the oldest READY slot (CONSUMER).
     *
     * @return the slot with the pushed length, or null when nothing is READY
     * @throws RingStoppedException when the ring is stopped and nothing is READY
     */
    Slot pop();

    /**
     * Releases a slot: a popped one when done with it (CONSUMER), or a claimed one unpushed
     * (PRODUCER: abort). Works on a stopped ring.
     *
     * @param slot a slot this session holds
     * @throws InvalidSlotException when this session does not hold it (e.g. double release)
     */
    void release(Slot slot);

    /**
     * Makes a reusable batch for this session's batch calls.
     *
     * @param capacity slots per call, {@code 1 .. RingInfo.batchMax()}
     * @return the batch
     */
    SlotBatch newBatch(int capacity);

    /**
     * Claims up to {@code max} slots into {@code batch}, replacing its contents (PRODUCER).
     *
     * @param batch a batch of this session
     * @param max at most this many, {@code 1 .. batch.capacity()}
     * @param dropped packets the producer discarded since its last claim because the ring was
     *        full (counted in {@code drops}); 0 if none
     * @return how many were claimed (0 when the ring is full)
     * @throws RingStoppedException when the ring is stopped and nothing was claimed
     */
    int claim(SlotBatch batch, int max, int dropped);

    /**
     * Pushes every slot of {@code batch} with its {@link Slot#length()} (PRODUCER).
     *
     * @param batch claimed slots of this session
     * @return {@code batch.size()}
     * @throws RtpmException at the first entry that fails; {@link SlotBatch#done()} says how
     *         many were pushed before it
     */
    int push(SlotBatch batch);

    /**
     * Pops up to {@code max} READY slots, oldest first, into {@code batch} (CONSUMER).
     *
     * @param batch a batch of this session
     * @param max at most this many, {@code 1 .. batch.capacity()}
     * @return how many were popped (0 when nothing is READY)
     * @throws RingStoppedException when the ring is stopped and nothing is READY
     */
    int pop(SlotBatch batch, int max);

    /**
     * Releases every slot of {@code batch} (CONSUMER: popped slots; PRODUCER: abort claims).
     *
     * @param batch slots this session holds
     * @return {@code batch.size()}
     * @throws RtpmException at the first entry that fails; {@link SlotBatch#done()} says how
     *         many were released before it
     */
    int release(SlotBatch batch);

    /**
     * Waits until a pop would not return null: a slot is READY, or the ring is stopped (pop then
     * throws {@link RingStoppedException} once drained). Sleeps in the kernel, burns no core.
     *
     * @param timeout how long at most (0: just check)
     * @param unit its unit
     * @return true when ready, false on timeout
     */
    boolean awaitReadable(long timeout, TimeUnit unit);

    /**
     * Waits until a claim would not return null: a slot can be claimed, or the ring is stopped.
     *
     * @param timeout how long at most (0: just check)
     * @param unit its unit
     * @return true when ready, false on timeout
     */
    boolean awaitWritable(long timeout, TimeUnit unit);

    /**
     * Reads the stats of this session's ring (any role may).
     *
     * @return one consistent snapshot
     */
    RingStats stats();

    /**
     * Detaches: waits for calls in flight on other threads, unmaps the ring (slot views become
     * invalid) and ends the session; slots it still holds are freed by the ring (claimed ones
     * count as aborted, popped ones as reclaimed). Idempotent; see "Close" above.
     */
    @Override
    void close();
}
