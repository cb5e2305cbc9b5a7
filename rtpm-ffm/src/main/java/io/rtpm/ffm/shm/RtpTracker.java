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
 * stopped) and changes only through the {@link Journal}, inside the push's atomic step.
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

    /**
     * Tracks one pushed packet from its first bytes (copied once by the caller), step for step as
     * {@code rtpm_rtp_track()} in kernel-module/rtp_mgr_ring.h.
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
            j.add64(H_RTP_NOT_RTP, 1);
            flags = META_NOT_RTP;
            return;
        }
        flags = META_RTP;
        timestamp = ts;
        ssrc = pktSsrc;
        boolean active = c32(C_RTP_ACTIVE) != 0;
        if (!active || (int) INT.get(seg, H_RTP_SSRC) != pktSsrc) {
            // the producer validates sources: accept a new SSRC at once
            if (active) {
                j.add64(H_RTP_RESETS, 1);
            }
            init(pktSsrc, seq);
            extSeq = seq;
            return;
        }
        int max = c32(C_RTP_MAX_SEQ16);
        int udelta = (seq - max) & 0xffff;
        if (udelta == 0) {
            j.add64(H_RTP_DUPLICATES, 1);
        } else if (udelta < MAX_DROPOUT) {
            // in order, with a permissible gap
            int cycles = c32(C_RTP_CYCLES);
            if (seq < max) {
                cycles += SEQ_MOD;
                j.put32(control + C_RTP_CYCLES, cycles);
            }
            j.add64(H_RTP_LOST, udelta - 1);
            j.put32(control + C_RTP_MAX_SEQ16, seq);
            j.put32(H_RTP_MAX_SEQ, cycles + seq);
            shift(udelta);
        } else if (udelta <= SEQ_MOD - MAX_MISORDER) {
            // a very large jump: believe it only when the next packet follows it
            if (seq == c32(C_RTP_BAD_SEQ)) {
                j.add64(H_RTP_RESETS, 1);
                init(pktSsrc, seq);
            } else {
                j.put32(control + C_RTP_BAD_SEQ, (seq + 1) & (SEQ_MOD - 1));
            }
        } else {
            // late by 1..MAX_MISORDER - 1: inside the window
            if (testAndSet(SEQ_MOD - udelta)) {
                j.add64(H_RTP_DUPLICATES, 1);
            } else {
                j.add64(H_RTP_REORDERS, 1);
            }
        }
        int newMax = c32(C_RTP_MAX_SEQ16);
        extSeq = c32(C_RTP_CYCLES) + newMax + (short) (seq - newMax);
    }

    /** RFC 3550 A.1 init_seq: {@code seq} becomes the only sequence number seen. */
    private void init(int pktSsrc, int seq) {
        j.put32(control + C_RTP_ACTIVE, 1);
        j.put32(H_RTP_SSRC, pktSsrc);
        j.put32(control + C_RTP_MAX_SEQ16, seq);
        j.put32(control + C_RTP_CYCLES, 0);
        j.put32(control + C_RTP_BAD_SEQ, SEQ_MOD + 1);
        j.put32(H_RTP_MAX_SEQ, seq);
        j.put64(control + C_RTP_SEEN_LO, 1L);
        j.put64(control + C_RTP_SEEN_HI, 0L);
    }

    /** Moves the window forward by {@code d} and marks the new highest number seen. */
    private void shift(int d) {
        long lo = c64(C_RTP_SEEN_LO);
        long hi = c64(C_RTP_SEEN_HI);
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
        j.put64(control + C_RTP_SEEN_LO, lo | 1L);
        j.put64(control + C_RTP_SEEN_HI, hi);
    }

    /** Marks {@code back} numbers behind the highest as seen; tells whether it already was. */
    private boolean testAndSet(int back) {
        long f = back < 64 ? C_RTP_SEEN_LO : C_RTP_SEEN_HI;
        long w = c64(f);
        long bit = 1L << (back & 63);
        j.put64(control + f, w | bit);
        return (w & bit) != 0;
    }
}
