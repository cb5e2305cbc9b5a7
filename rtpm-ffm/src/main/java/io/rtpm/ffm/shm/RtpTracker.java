package io.rtpm.ffm.shm;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

import static io.rtpm.ffm.shm.ShmLayout.C_RTP_ACTIVE;
import static io.rtpm.ffm.shm.ShmLayout.C_RTP_BAD_SEQ;
import static io.rtpm.ffm.shm.ShmLayout.C_RTP_CYCLES;
import static io.rtpm.ffm.shm.ShmLayout.C_RTP_MAX_SEQ16;
import static io.rtpm.ffm.shm.ShmLayout.C_RTP_SEEN_HI;
import static io.rtpm.ffm.shm.ShmLayout.C_RTP_SEEN_LO;
import static io.rtpm.ffm.shm.ShmLayout.H_RTP_DUPLICATES;
import static io.rtpm.ffm.shm.ShmLayout.H_RTP_LOST;
import static io.rtpm.ffm.shm.ShmLayout.H_RTP_MAX_SEQ;
import static io.rtpm.ffm.shm.ShmLayout.H_RTP_NOT_RTP;
import static io.rtpm.ffm.shm.ShmLayout.H_RTP_REORDERS;
import static io.rtpm.ffm.shm.ShmLayout.H_RTP_RESETS;
import static io.rtpm.ffm.shm.ShmLayout.H_RTP_SSRC;

/**
 * RTP sequence tracking on push, the module's algorithm (docs/ABI.md "RTP tracking"): RFC 3550
 * A.1 on the latest SSRC with MAX_DROPOUT 3000 and MAX_MISORDER 100, no probation, and a window of
 * the last 128 extended sequence numbers to tell duplicates from late packets.
 *
 * <p>All state lives in the ring file (a producer that replaces a dead one goes on where it
 * stopped) and changes only through the {@link Journal}, inside the push's atomic step. A push
 * batch reads it once ({@link #begin()}), tracks its packets in fields and stores what changed once
 * ({@link #flush()}) before each commit: a few journal entries per batch instead of five or six per
 * packet.
 */
final class RtpTracker {

    static final int MAX_DROPOUT = 3000;
    static final int MAX_MISORDER = 100;
    static final int SEQ_MOD = 1 << 16;
    static final int WINDOW = 128;

    static final int META_RTP = io.rtpm.ffm.abi.RtpMgrIoctl.RTPM_META_RTP();
    static final int META_NOT_RTP = io.rtpm.ffm.abi.RtpMgrIoctl.RTPM_META_NOT_RTP();

    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

    private final MemorySegment seg;
    private final long control;
    private final Journal j;

    /** What the last {@link #track} found, for the slot's meta line. */
    int flags;
    int extSeq;
    int timestamp;
    int ssrc;

    // the file's state between begin() and flush() (the lock holder's copy)
    private boolean active;
    private int curSsrc;
    private int max16;
    private int cycles;
    private int badSeq;
    private int maxSeq;
    private long seenLo;
    private long seenHi;
    private long notRtp;
    private long resets;
    private long duplicates;
    private long lost;
    private long reorders;

    /**
     * @param seg     the ring file (header at 0)
     * @param control the control region's offset
     * @param journal the journal of the step the push runs in
     */
    RtpTracker(MemorySegment seg, long control, Journal journal) {
        this.seg = seg;
        this.control = control;
        this.j = journal;
    }

    private int c32(long f) {
        return (int) INT.get(seg, control + f);
    }

    private long c64(long f) {
        return (long) LONG.get(seg, control + f);
    }

    private int h32(long f) {
        return (int) INT.get(seg, f);
    }

    private long h64(long f) {
        return (long) LONG.get(seg, f);
    }

    /** Reads the tracker's state from the file; the caller holds the lock. */
    void begin() {
        active = c32(C_RTP_ACTIVE) != 0;
        curSsrc = h32(H_RTP_SSRC);
        max16 = c32(C_RTP_MAX_SEQ16);
        cycles = c32(C_RTP_CYCLES);
        badSeq = c32(C_RTP_BAD_SEQ);
        maxSeq = h32(H_RTP_MAX_SEQ);
        seenLo = c64(C_RTP_SEEN_LO);
        seenHi = c64(C_RTP_SEEN_HI);
        notRtp = h64(H_RTP_NOT_RTP);
        resets = h64(H_RTP_RESETS);
        duplicates = h64(H_RTP_DUPLICATES);
        lost = h64(H_RTP_LOST);
        reorders = h64(H_RTP_REORDERS);
    }

    /** Stores what {@link #track} changed since {@link #begin()} into the current step. */
    void flush() {
        j.put32(control + C_RTP_ACTIVE, active ? 1 : 0);
        j.put32(H_RTP_SSRC, curSsrc);
        j.put32(control + C_RTP_MAX_SEQ16, max16);
        j.put32(control + C_RTP_CYCLES, cycles);
        j.put32(control + C_RTP_BAD_SEQ, badSeq);
        j.put32(H_RTP_MAX_SEQ, maxSeq);
        j.put64(control + C_RTP_SEEN_LO, seenLo);
        j.put64(control + C_RTP_SEEN_HI, seenHi);
        j.put64(H_RTP_NOT_RTP, notRtp);
        j.put64(H_RTP_RESETS, resets);
        j.put64(H_RTP_DUPLICATES, duplicates);
        j.put64(H_RTP_LOST, lost);
        j.put64(H_RTP_REORDERS, reorders);
    }

    /** Journal entries {@link #flush()} writes at most. */
    static final int FLUSH_WORDS = 13;

    /**
     * Tracks one pushed packet from its first bytes (copied once by the caller), step for step as
     * {@code rtpm_rtp_track()} in kernel-module/rtp_mgr_ring.h. Between {@link #begin()} and
     * {@link #flush()}.
     *
     * @param len     the pushed length
     * @param b0      payload byte 0 (ignored when {@code len < 12})
     * @param b1      payload byte 1
     * @param seq     bytes 2..3, big-endian
     * @param ts      bytes 4..7, big-endian
     * @param pktSsrc bytes 8..11, big-endian
     */
    void track(int len, int b0, int b1, int seq, int ts, int pktSsrc) {
        extSeq = 0;
        timestamp = 0;
        ssrc = 0;
        // RFC 5761 section 4: payload types 64..95 with the marker bit are RTCP
        if (len < 12 || (b0 >>> 6) != 2 || (b1 >= 192 && b1 <= 223)) {
            notRtp++;
            flags = META_NOT_RTP;
            return;
        }
        flags = META_RTP;
        timestamp = ts;
        ssrc = pktSsrc;
        if (!active || curSsrc != pktSsrc) {
            // the producer validates sources: accept a new SSRC at once
            if (active) {
                resets++;
            }
            init(pktSsrc, seq);
            extSeq = seq;
            return;
        }
        int max = max16;
        int udelta = (seq - max) & 0xffff;
        if (udelta == 0) {
            duplicates++;
        } else if (udelta < MAX_DROPOUT) {
            // in order, with a permissible gap
            if (seq < max) {
                cycles += SEQ_MOD;
            }
            lost += udelta - 1;
            max16 = seq;
            maxSeq = cycles + seq;
            shift(udelta);
        } else if (udelta <= SEQ_MOD - MAX_MISORDER) {
            // a very large jump: believe it only when the next packet follows it
            if (seq == badSeq) {
                resets++;
                init(pktSsrc, seq);
            } else {
                badSeq = (seq + 1) & (SEQ_MOD - 1);
            }
        } else {
            // late by 1..MAX_MISORDER - 1: inside the window
            if (testAndSet(SEQ_MOD - udelta)) {
                duplicates++;
            } else {
                reorders++;
            }
        }
        int newMax = max16;
        extSeq = cycles + newMax + (short) (seq - newMax);
    }

    /** RFC 3550 A.1 init_seq: {@code seq} becomes the only sequence number seen. */
    private void init(int pktSsrc, int seq) {
        active = true;
        curSsrc = pktSsrc;
        max16 = seq;
        cycles = 0;
        badSeq = SEQ_MOD + 1;
        maxSeq = seq;
        seenLo = 1L;
        seenHi = 0L;
    }

    /** Moves the window forward by {@code d} and marks the new highest number seen. */
    private void shift(int d) {
        long lo = seenLo;
        long hi = seenHi;
        if (d >= WINDOW) {
            lo = 0;
            hi = 0;
        } else if (d >= 64) {
            hi = lo << (d - 64);
            lo = 0;
        } else {
            hi = (hi << d) | (lo >>> (64 - d));
            lo = lo << d;
        }
        seenLo = lo | 1L;
        seenHi = hi;
    }

    /** Marks {@code back} numbers behind the highest as seen; tells whether it already was. */
    private boolean testAndSet(int back) {
        long bit = 1L << (back & 63);
        long w;
        if (back < 64) {
            w = seenLo;
            seenLo = w | bit;
        } else {
            w = seenHi;
            seenHi = w | bit;
        }
        return (w & bit) != 0;
    }
}
