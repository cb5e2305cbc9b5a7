package io.rtpm.ffm.kernel;

import java.lang.foreign.MemorySegment;

import io.rtpm.ffm.AbiVersion;
import io.rtpm.ffm.Backend;
import io.rtpm.ffm.DropPolicy;
import io.rtpm.ffm.RingInfo;
import io.rtpm.ffm.RingLayout;
import io.rtpm.ffm.RingStats;
import io.rtpm.ffm.abi.RtpMgrIoctl;
import io.rtpm.ffm.abi.rtpm_info;
import io.rtpm.ffm.abi.rtpm_layout;
import io.rtpm.ffm.abi.rtpm_stats;

/**
 * The ioctl numbers and struct conversions of include/rtp_mgr_ioctl.h, over the jextract
 * bindings in {@code io.rtpm.ffm.abi}.
 */
final class KernelAbi {

    // jextract evaluates the _IOR/_IOW macros to these numbers.
    static final long IOC_INFO = RtpMgrIoctl.RTPM_IOC_INFO();
    static final long IOC_ATTACH = RtpMgrIoctl.RTPM_IOC_ATTACH();
    static final long IOC_DETACH = Integer.toUnsignedLong(RtpMgrIoctl.RTPM_IOC_DETACH());
    static final long IOC_CONFIGURE = RtpMgrIoctl.RTPM_IOC_CONFIGURE();
    static final long IOC_UNCONFIGURE = RtpMgrIoctl.RTPM_IOC_UNCONFIGURE();
    static final long IOC_GET_LAYOUT = RtpMgrIoctl.RTPM_IOC_GET_LAYOUT();
    static final long IOC_START = RtpMgrIoctl.RTPM_IOC_START();
    static final long IOC_STOP = RtpMgrIoctl.RTPM_IOC_STOP();
    static final long IOC_GET_STATS = RtpMgrIoctl.RTPM_IOC_GET_STATS();
    static final long IOC_RESET_STATS = RtpMgrIoctl.RTPM_IOC_RESET_STATS();
    static final long IOC_CLAIM = RtpMgrIoctl.RTPM_IOC_CLAIM();
    static final long IOC_PUSH = RtpMgrIoctl.RTPM_IOC_PUSH();
    static final long IOC_POP = RtpMgrIoctl.RTPM_IOC_POP();
    static final long IOC_RELEASE = RtpMgrIoctl.RTPM_IOC_RELEASE();
    static final long IOC_CLAIM_BATCH = RtpMgrIoctl.RTPM_IOC_CLAIM_BATCH();
    static final long IOC_PUSH_BATCH = RtpMgrIoctl.RTPM_IOC_PUSH_BATCH();
    static final long IOC_POP_BATCH = RtpMgrIoctl.RTPM_IOC_POP_BATCH();
    static final long IOC_RELEASE_BATCH = RtpMgrIoctl.RTPM_IOC_RELEASE_BATCH();

    static final int RING_MAGIC = RtpMgrIoctl.RTPM_RING_MAGIC();
    static final int STATE_RUNNING = RtpMgrIoctl.RTPM_STATE_RUNNING();
    static final int CFG_NO_RTP_TRACKING = RtpMgrIoctl.RTPM_CFG_NO_RTP_TRACKING();

    /**
     * The version this library speaks ({@link AbiVersion#CURRENT}): it attaches with it and needs
     * a module that serves it. The header's minor may be newer; a session keeps the semantics of
     * the minor it attached with (minor 0: a stopped ring polls POLLHUP, which the waits rely on).
     */
    static final AbiVersion SPOKEN_ABI = AbiVersion.CURRENT;

    private KernelAbi() {
    }

    static RingInfo info(MemorySegment s) {
        return new RingInfo(Backend.KERNEL,
                new AbiVersion(rtpm_info.abi_major(s), rtpm_info.abi_minor(s)),
                rtpm_info.max_rings(s), rtpm_info.order_min(s), rtpm_info.order_max(s),
                rtpm_info.payload_min(s), rtpm_info.payload_max(s), rtpm_info.slot_align(s),
                rtpm_info.max_ring_bytes(s), rtpm_info.max_total_bytes(s),
                rtpm_info.used_total_bytes(s), rtpm_info.batch_max(s), rtpm_info.header_size(s),
                rtpm_info.slot_meta_size(s), rtpm_info.page_size(s));
    }

    static RingLayout layout(MemorySegment s) {
        return new RingLayout(rtpm_layout.ring_id(s), rtpm_layout.order(s),
                rtpm_layout.slot_count(s), rtpm_layout.slot_stride(s), rtpm_layout.max_payload(s),
                rtpm_layout.header_size(s), rtpm_layout.meta_size(s),
                DropPolicy.of(rtpm_layout.drop_policy(s)),
                (rtpm_layout.flags(s) & CFG_NO_RTP_TRACKING) == 0, rtpm_layout.mmap_size(s),
                rtpm_layout.header_offset(s), rtpm_layout.slots_offset(s));
    }

    static RingStats stats(MemorySegment s) {
        return new RingStats(rtpm_stats.ring_id(s), (rtpm_stats.state(s) & STATE_RUNNING) != 0,
                rtpm_stats.configured(s) != 0, rtpm_stats.slot_count(s),
                rtpm_stats.pushed(s), rtpm_stats.popped(s), rtpm_stats.released(s),
                rtpm_stats.bytes_in(s), rtpm_stats.bytes_out(s), rtpm_stats.overruns(s),
                rtpm_stats.drops(s), rtpm_stats.head_drops(s), rtpm_stats.flushed(s),
                rtpm_stats.reclaimed(s), rtpm_stats.aborted(s), rtpm_stats.underruns(s),
                rtpm_stats.rtp_lost(s), rtpm_stats.rtp_duplicates(s), rtpm_stats.rtp_reorders(s),
                rtpm_stats.rtp_resets(s), rtpm_stats.rtp_not_rtp(s), rtpm_stats.invalid(s),
                rtpm_stats.free(s), rtpm_stats.filling(s), rtpm_stats.ready(s),
                rtpm_stats.in_flight(s), rtpm_stats.rtp_ssrc(s), rtpm_stats.rtp_max_seq(s),
                rtpm_stats.sessions(s), rtpm_stats.mappings(s));
    }
}
