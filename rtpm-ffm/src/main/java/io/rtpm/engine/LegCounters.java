package io.rtpm.engine;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * The layout of one leg's counter block and its single-writer accessors, in the style of
 * Agrona's counters: the worker that owns the leg is the only writer and stores each word with
 * release semantics; any thread (or another process mapping the counter file) reads with
 * acquire, with no lock and no allocation. A block is {@link #BLOCK} bytes, on its own cache
 * lines:
 *
 * <pre>
 *   0  state (0 free, 1 live)      8  generation (changes on every reuse)
 *  16  label length               20  label (UTF-8, call id and leg, up to 104 bytes)
 * 128  rx packets, rx bytes, tx packets, tx bytes, RTCP rx, RTCP tx, last rx (nanoTime),
 *      STUN, DTLS, other non-RTP                                     (10 words)
 * 208  drops, one word per {@link DropCause}                          (16 words reserved)
 * 336  SSRC entries: ssrc (bit 32: present), received, extended max, lost, jitter (-1: no clock rate)
 *      x {@link #SSRC_ENTRIES}
 * 416  receive errors, send errors (other than "nothing now"), the last errno, receives
 *      re-armed after the provided-buffer ring ran dry (io_uring)
 * </pre>
 *
 * A reader checks the generation before and after reading a block; a change means the leg was
 * replaced meanwhile.
 */
final class LegCounters {

    static final int BLOCK = 512;
    static final long STATE = 0;
    static final long GENERATION = 8;
    static final long LABEL_LENGTH = 16;
    static final long LABEL = 20;
    static final int LABEL_MAX = 104;

    static final long RX_PACKETS = 128;
    static final long RX_BYTES = 136;
    static final long TX_PACKETS = 144;
    static final long TX_BYTES = 152;
    static final long RTCP_RX = 160;
    static final long RTCP_TX = 168;
    static final long LAST_RX_NANOS = 176;
    static final long STUN = 184;
    static final long DTLS = 192;
    static final long OTHER_NON_RTP = 200;
    static final long DROPS = 208;
    static final long SSRCS = 336;
    static final int SSRC_ENTRIES = 2;
    static final long SSRC_ENTRY = 40;
    static final long SSRC_ID = 0;
    /** Set in the SSRC_ID word of a used entry (the SSRC is its low 32 bits). */
    static final long SSRC_PRESENT = 1L << 32;
    static final long SSRC_RECEIVED = 8;
    static final long SSRC_EXT_MAX = 16;
    static final long SSRC_LOST = 24;
    static final long SSRC_JITTER = 32;
    static final long RECEIVE_ERRORS = 416;
    static final long SEND_ERRORS = 424;
    static final long LAST_ERRNO = 432;
    static final long RECEIVE_REARMS = 440;

    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

    static {
        if (DropCause.values().length > 16 || SSRCS + SSRC_ENTRIES * SSRC_ENTRY > RECEIVE_ERRORS || RECEIVE_REARMS + 8 > BLOCK) {
            throw new ExceptionInInitializerError("leg counter block overflows");
        }
    }

    private LegCounters() {
    }

    /** Adds to a word (the owning worker only). */
    static void add(MemorySegment s, long block, long field, long delta) {
        long at = block + field;
        LONG.setRelease(s, at, (long) LONG.get(s, at) + delta);
    }

    /** Sets a word (the owning worker only). */
    static void set(MemorySegment s, long block, long field, long value) {
        LONG.setRelease(s, block + field, value);
    }

    /** Reads a word (any thread). */
    static long get(MemorySegment s, long block, long field) {
        return (long) LONG.getAcquire(s, block + field);
    }

    /** Counts a drop (the owning worker only). */
    static void drop(MemorySegment s, long block, DropCause cause, long n) {
        add(s, block, DROPS + 8L * cause.ordinal(), n);
    }

    /** @return the drops of one cause (any thread) */
    static long drops(MemorySegment s, long block, DropCause cause) {
        return get(s, block, DROPS + 8L * cause.ordinal());
    }

    /** Clears a block and makes it live with a new generation and its UTF-8 label (the owning worker only). */
    static void open(MemorySegment s, long block, byte[] b) {
        long generation = get(s, block, GENERATION) + 1;
        set(s, block, STATE, 0);
        for (long o = 16; o < BLOCK; o += 8) {
            set(s, block, o, 0); // word by word: no slice, nothing allocated
        }
        int n = Math.min(b.length, LABEL_MAX);
        for (int i = 0; i < n; i++) {
            s.set(ValueLayout.JAVA_BYTE, block + LABEL + i, b[i]);
        }
        s.set(ValueLayout.JAVA_INT, block + LABEL_LENGTH, n);
        for (int i = 0; i < SSRC_ENTRIES; i++) {
            set(s, block, SSRCS + i * SSRC_ENTRY + SSRC_JITTER, -1);
        }
        set(s, block, GENERATION, generation);
        set(s, block, STATE, 1);
    }

    /** Marks a block free (the owning worker only); its words stay readable until reuse. */
    static void close(MemorySegment s, long block) {
        set(s, block, STATE, 0);
    }
}
