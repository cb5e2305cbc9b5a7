package io.rtpm.ffm.shm;

import io.rtpm.ffm.abi.RtpMgrIoctl;
import io.rtpm.ffm.abi.rtpm_ring_header;
import io.rtpm.ffm.abi.rtpm_slot_meta;

/**
 * Where everything lives in a user-space ring file ({@code /dev/shm/rtpm-<ring>}).
 *
 * <p>The file starts with exactly what the module maps: {@code struct rtpm_ring_header} at 0,
 * slots (a {@code struct rtpm_slot_meta} cache line, then the payload) from the first page on, one
 * slot every {@link ShmGeometry#slotStride()} bytes, so a slot view works the same over either
 * backend. The header's counters are authoritative here (the module keeps them in kernel memory and
 * only mirrors them). The control region the module keeps in kernel memory follows at
 * {@link ShmGeometry#mmapSize()}: the ring lock, the undo journal, session records, per-slot owner
 * words and the two FIFOs. Words written by different parties sit on different cache lines.
 *
 * <p>The header and slot meta offsets come from the jextract bindings of include/rtp_mgr_ioctl.h
 * (whose drift test checks them against the C compiler), so this layout cannot drift from the
 * module's. Offsets named {@code H_*} are from the file start, {@code M_*} from a slot's start and
 * {@code C_*}/{@code R_*} from the control region's start.
 */
final class ShmLayout {

    private ShmLayout() {
    }

    /** Bytes of {@code struct rtpm_ring_header}. */
    static final int HEADER_SIZE = (int) rtpm_ring_header.sizeof();
    /** Bytes of {@code struct rtpm_slot_meta}; the payload starts this far into a slot. */
    static final int META_SIZE = (int) rtpm_slot_meta.sizeof();
    /** {@code RTPM_SLOT_ALIGN}: slots and payloads start on cache lines. */
    static final int SLOT_ALIGN = RtpMgrIoctl.RTPM_SLOT_ALIGN();
    /** The page size the layout rounds to (x86_64 and the default arm64 kernels). */
    static final int PAGE_SIZE = 4096;
    /** {@code RTPM_RING_MAGIC}. */
    static final int RING_MAGIC = RtpMgrIoctl.RTPM_RING_MAGIC();

    // struct rtpm_ring_header, line 0: constant while configured
    static final long H_MAGIC = rtpm_ring_header.magic$offset();
    static final long H_ABI_MAJOR = rtpm_ring_header.abi_major$offset();
    static final long H_ABI_MINOR = rtpm_ring_header.abi_minor$offset();
    static final long H_RING_ID = rtpm_ring_header.ring_id$offset();
    static final long H_ORDER = rtpm_ring_header.order$offset();
    static final long H_SLOT_COUNT = rtpm_ring_header.slot_count$offset();
    static final long H_SLOT_STRIDE = rtpm_ring_header.slot_stride$offset();
    static final long H_MAX_PAYLOAD = rtpm_ring_header.max_payload$offset();
    static final long H_SLOTS_OFFSET = rtpm_ring_header.slots_offset$offset();
    static final long H_MMAP_SIZE = rtpm_ring_header.mmap_size$offset();
    static final long H_META_SIZE = rtpm_ring_header.meta_size$offset();
    static final long H_DROP_POLICY = rtpm_ring_header.drop_policy$offset();
    static final long H_FLAGS = rtpm_ring_header.flags$offset();
    // line 1: written on push, claim, start/stop
    static final long H_PUSHED = rtpm_ring_header.pushed$offset();
    static final long H_BYTES_IN = rtpm_ring_header.bytes_in$offset();
    static final long H_STATE = rtpm_ring_header.state$offset();
    static final long H_FREE = rtpm_ring_header.free$offset();
    static final long H_DROPS = rtpm_ring_header.drops$offset();
    static final long H_OVERRUNS = rtpm_ring_header.overruns$offset();
    // line 2: written on pop and release
    static final long H_POPPED = rtpm_ring_header.popped$offset();
    static final long H_RELEASED = rtpm_ring_header.released$offset();
    static final long H_BYTES_OUT = rtpm_ring_header.bytes_out$offset();
    static final long H_READY = rtpm_ring_header.ready$offset();
    static final long H_IN_FLIGHT = rtpm_ring_header.in_flight$offset();
    // line 3: RTP tracking
    static final long H_RTP_LOST = rtpm_ring_header.rtp_lost$offset();
    static final long H_RTP_DUPLICATES = rtpm_ring_header.rtp_duplicates$offset();
    static final long H_RTP_REORDERS = rtpm_ring_header.rtp_reorders$offset();
    static final long H_RTP_RESETS = rtpm_ring_header.rtp_resets$offset();
    static final long H_RTP_NOT_RTP = rtpm_ring_header.rtp_not_rtp$offset();
    static final long H_RTP_SSRC = rtpm_ring_header.rtp_ssrc$offset();
    static final long H_RTP_MAX_SEQ = rtpm_ring_header.rtp_max_seq$offset();

    // struct rtpm_slot_meta
    static final long M_STATE = rtpm_slot_meta.state$offset();
    static final long M_LEN = rtpm_slot_meta.len$offset();
    static final long M_RTP_SEQ = rtpm_slot_meta.rtp_seq$offset();
    static final long M_RTP_TIMESTAMP = rtpm_slot_meta.rtp_timestamp$offset();
    static final long M_RTP_SSRC = rtpm_slot_meta.rtp_ssrc$offset();
    static final long M_FLAGS = rtpm_slot_meta.flags$offset();
    static final long M_PUSH_NS = rtpm_slot_meta.push_ns$offset();
    static final long M_USER_TAG = rtpm_slot_meta.user_tag$offset();

    /**
     * "RTPMSHM2": a control region of this layout version. Version 2 (same layout as 1) journals
     * no slot meta-line mirrors: its rollback re-derives them, which a version 1 process would
     * not do, so the two must never share a ring file.
     */
    static final long CONTROL_MAGIC = 0x324d48534d505452L;

    // control line 0: constant
    static final long C_MAGIC = 0;
    static final long C_FILE_SIZE = 8;
    static final long C_RECORD_COUNT = 16;
    // line 1: the ring lock (a futex word)
    static final long C_LOCK = 64;
    /** Journals rolled back after their writer died (diagnostics; written by the lock holder). */
    static final long C_RECOVERIES = 72;
    /** Bumped atomically by every open: lock tokens are unique even if an opener dies early. */
    static final long C_TOKEN_SEQ = 80;
    // line 2: the futex word waiters sleep on, bumped after a change only when someone waits
    static final long C_EVENT_SEQ = 128;
    /** Bit i set: record i waits to pop (a dead waiter's bit is cleared by reclaim). */
    static final long C_READ_WAITERS = 136;
    /** Bit i set: record i waits to claim. */
    static final long C_WRITE_WAITERS = 144;
    // line 4: counters the header has no room for
    static final long C_FILLING = 256;
    /** 1 when the last pop found a READY slot (underruns count transitions to empty). */
    static final long C_POP_FOUND = 260;
    static final long C_HEAD_DROPS = 264;
    static final long C_FLUSHED = 272;
    static final long C_RECLAIMED = 280;
    static final long C_ABORTED = 288;
    static final long C_UNDERRUNS = 296;
    static final long C_INVALID = 304;
    // line 5: FIFO positions (free-running, masked on access) and role holders
    static final long C_FREE_HEAD = 320;
    static final long C_FREE_TAIL = 324;
    static final long C_READY_HEAD = 328;
    static final long C_READY_TAIL = 332;
    /** Record index + 1 of the producer session, 0 when the role is free. */
    static final long C_PRODUCER = 336;
    /** Record index + 1 of the consumer session, 0 when the role is free. */
    static final long C_CONSUMER = 340;
    static final long C_SESSIONS = 344;
    static final long C_MAPPINGS = 348;
    // line 6: RTP tracker state (RFC 3550 A.1) beyond what the header shows
    static final long C_RTP_ACTIVE = 384;
    static final long C_RTP_MAX_SEQ16 = 388;
    static final long C_RTP_CYCLES = 392;
    static final long C_RTP_BAD_SEQ = 396;
    /** Bit i set: extended sequence number (max - i) was seen; bits 0..63. */
    static final long C_RTP_SEEN_LO = 400;
    /** Bits 64..127 of the seen window. */
    static final long C_RTP_SEEN_HI = 408;
    // line 7: the undo journal's entry count; entries follow
    static final long C_JOURNAL_COUNT = 448;
    static final long C_JOURNAL = 512;
    /** Entries the journal holds: more than one step ever writes (ShmRing.CHUNK and its words). */
    static final int JOURNAL_CAPACITY = 96;
    static final int JOURNAL_ENTRY = 16;
    /** Session records, one cache line each; byte 0 of a record is its OFD lock byte. */
    static final long C_RECORDS = C_JOURNAL + (long) JOURNAL_CAPACITY * JOURNAL_ENTRY;
    static final int RECORD_COUNT = 64;
    static final int RECORD_SIZE = 64;
    static final long C_SLOT_WORDS = C_RECORDS + (long) RECORD_COUNT * RECORD_SIZE;

    // session record
    /** {@link #REC_FREE}, {@link #REC_ATTACHED} or {@link #REC_HANDLE}. */
    static final long R_STATE = 0;
    static final long R_ROLES = 4;
    /** The lock token (index + 1, generation above) of the record's current owner. */
    static final long R_TOKEN = 8;
    static final long R_PID = 12;
    static final long R_MAPPED = 16;

    static final int REC_FREE = 0;
    /** A session attached with roles. */
    static final int REC_ATTACHED = 1;
    /** A handle that is not attached (a stats reader, start/stop): alive but holds nothing. */
    static final int REC_HANDLE = 2;

    /**
     * Slot word: the authoritative state and length ({@code struct rtpm_slot}) in one word, so one
     * journal entry covers both: length in bits 0..31, state in 32..39.
     */
    static long slotWord(int len, int state) {
        return (len & 0xffffffffL) | ((long) state << 32);
    }

    static int slotLen(long word) {
        return (int) word;
    }

    static int slotState(long word) {
        return (int) (word >>> 32) & 0xff;
    }

    static long alignUp(long v, long a) {
        return (v + a - 1) & -a;
    }
}
