package io.rtpm.ffm.shm;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * The undo journal that makes every shared transition one atomic step.
 *
 * <p>The ring lock's holder changes ring state only through {@link #put32}/{@link #put64}, which
 * first append (offset, old value) to the journal in the file, then publish the entry by a release
 * store of the entry count, then store the new value with release. {@link #commit()} is the single
 * store (count = 0) that makes the whole step permanent. A holder killed between two stores leaves
 * a non-empty journal; whoever takes the lock over from the dead holder calls {@link #rollback()},
 * which restores the old values newest first, so the ring is exactly as it was before the step.
 * Rollback itself is idempotent: dying in it is recovered by the next rollback.
 *
 * <p>Words that are no ring state until a journaled word publishes them (a FILLING slot's meta
 * line, a FIFO entry beyond the tail) are stored without an entry: a rollback un-publishes them.
 * Slot words are special: each has a mirror (state and length) in its slot's meta line, derived
 * from the word, which need not be journaled (the data path does not). The holder stores a mirror
 * only after the word's own {@link #put64}, and {@link #rollback()} rewrites the mirror of every
 * slot word it restores, so a step costs one entry per slot transition instead of three
 * (measured: the journal's stores were the largest item of the relay thread's user time).
 *
 * <p>Only the lock holder uses it, so its fields need no synchronisation beyond the lock.
 */
final class Journal {

    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    /** Marks a 32-bit entry in the offset word; offsets are far below 2^62. */
    private static final long W32 = 1L << 62;

    private final MemorySegment seg;
    private final long countAt;
    private final long entriesAt;
    /** Where the slot words start and end (absolute, end exclusive); empty without a geometry. */
    private final long slotWordsFrom;
    private final long slotWordsTo;
    private final ShmGeometry geo;
    /** Entries this holder appended since its last commit (equals the shared count). */
    private int count;

    /**
     * A journal for a ring file: rollback re-derives the meta-line mirrors of the slot words.
     *
     * @param seg the mapped ring file
     * @param geo its layout
     */
    Journal(MemorySegment seg, ShmGeometry geo) {
        this(seg, geo.control(), geo);
    }

    /**
     * A journal over plain words, without slot words (for tests of the journal alone).
     *
     * @param seg     the memory
     * @param control the control region's offset in it
     */
    Journal(MemorySegment seg, long control) {
        this(seg, control, null);
    }

    private Journal(MemorySegment seg, long control, ShmGeometry geo) {
        this.seg = seg;
        this.countAt = control + ShmLayout.C_JOURNAL_COUNT;
        this.entriesAt = control + ShmLayout.C_JOURNAL;
        this.geo = geo;
        this.slotWordsFrom = geo == null ? 0 : geo.slotWords();
        this.slotWordsTo = geo == null ? 0 : geo.slotWords() + 8L * geo.slotCount();
    }

    /** Stores a 32-bit word as part of the current step. */
    void put32(long offset, int value) {
        int old = (int) INT.get(seg, offset);
        if (old != value) {
            append(offset | W32, old & 0xffffffffL);
            INT.setRelease(seg, offset, value);
        }
    }

    /** Stores a 64-bit word as part of the current step. */
    void put64(long offset, long value) {
        long old = (long) LONG.get(seg, offset);
        if (old != value) {
            append(offset, old);
            LONG.setRelease(seg, offset, value);
        }
    }

    /** Adds {@code delta} to a 64-bit counter as part of the current step. */
    void add64(long offset, long delta) {
        put64(offset, (long) LONG.get(seg, offset) + delta);
    }

    /** Adds {@code delta} to a 32-bit gauge as part of the current step. */
    void add32(long offset, int delta) {
        put32(offset, (int) INT.get(seg, offset) + delta);
    }

    /** @return entries the current step has appended so far */
    int size() {
        return count;
    }

    // small, so that C2 inlines put32/put64 with it into the ring's batch loops
    private void append(long where, long old) {
        int n = count;
        if (n == ShmLayout.JOURNAL_CAPACITY) {
            throw overflow();
        }
        long e = entriesAt + (long) n * ShmLayout.JOURNAL_ENTRY;
        LONG.set(seg, e, where);
        LONG.set(seg, e + 8, old);
        // (A) the entry is in the file before the count covers it, and the count before the store
        INT.setRelease(seg, countAt, n + 1);
        count = n + 1;
    }

    private static IllegalStateException overflow() {
        return new IllegalStateException("rtpm shm: one ring step wrote more than "
                + ShmLayout.JOURNAL_CAPACITY + " words (a bug: steps must commit more often)");
    }

    /** Makes every store since the last commit permanent: one release store. */
    void commit() {
        if (count != 0) {
            INT.setRelease(seg, countAt, 0);
            count = 0;
        }
    }

    /**
     * Undoes a dead holder's unfinished step. Call right after taking the lock over from it.
     *
     * @return how many words were restored
     */
    int rollback() {
        int n = (int) INT.getVolatile(seg, countAt);
        if (n < 0 || n > ShmLayout.JOURNAL_CAPACITY) {
            throw new IllegalStateException("rtpm shm: journal count " + n
                    + " is corrupt: the ring file was changed by something other than rtpm;"
                    + " unconfigure and configure the ring again");
        }
        for (int i = n - 1; i >= 0; i--) {
            long e = entriesAt + (long) i * ShmLayout.JOURNAL_ENTRY;
            long where = (long) LONG.get(seg, e);
            long old = (long) LONG.get(seg, e + 8);
            if ((where & W32) != 0) {
                INT.setRelease(seg, where & ~W32, (int) old);
            } else {
                LONG.setRelease(seg, where, old);
                if (where >= slotWordsFrom && where < slotWordsTo) {
                    mirror((int) ((where - slotWordsFrom) >>> 3), old);
                }
            }
        }
        INT.setVolatile(seg, countAt, 0);
        count = 0;
        return n;
    }

    /** Writes slot {@code index}'s meta-line mirror of its slot word {@code word}. */
    private void mirror(int index, long word) {
        long meta = geo.slot(index);
        INT.setRelease(seg, meta + ShmLayout.M_LEN, ShmLayout.slotLen(word));
        INT.setRelease(seg, meta + ShmLayout.M_STATE, ShmLayout.slotState(word));
    }
}
