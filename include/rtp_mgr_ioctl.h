/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * rtp_mgr_ioctl.h - the one ABI of /dev/rtp_mgr.
 *
 * Shared by the kernel module, the C selftests and the Java bindings
 * (jextract reads this file: every constant is an object-like macro).
 *
 * Rules that keep this ABI stable:
 *  - only __u32/__u64 fields, naturally aligned, no enums, no bitfields,
 *    no implicit padding; user addresses travel as __u64;
 *  - every reserved field must be zero on input (else -EINVAL) and is
 *    zeroed on output;
 *  - a struct never grows (_IOW/_IOR encode its size): new fields take
 *    reserved words or come with a new ioctl;
 *  - RTPM_ABI_MAJOR changes only on an incompatible change; user space needs
 *    an equal major and a kernel minor >= the minor it was built against.
 *
 * docs/ABI.md describes every ioctl, its errors, the mmap layout, the slot
 * state machine, the counters and their invariants.
 */
#ifndef _UAPI_RTP_MGR_IOCTL_H
#define _UAPI_RTP_MGR_IOCTL_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define RTPM_ABI_MAJOR		1
#define RTPM_ABI_MINOR		2	/* 1: RTPM_POLL_STOPPED; 2: ring access */

#define RTPM_DEVICE_NAME	"rtp_mgr"
#define RTPM_DEVICE_PATH	"/dev/rtp_mgr"

/* Value of rtpm_ring_header.magic: "RTPM" read as a little-endian u32. */
#define RTPM_RING_MAGIC		0x4d505452

/* Limits fixed by the ABI (module parameters may only tighten the byte caps). */
#define RTPM_ORDER_MIN		1	/* 2 slots */
#define RTPM_ORDER_MAX		16	/* 65536 slots */
#define RTPM_PAYLOAD_MIN	12	/* an RTP fixed header */
#define RTPM_PAYLOAD_MAX	65507	/* largest UDP/IPv4 payload */
#define RTPM_SLOT_ALIGN		64	/* slots and their payloads start on cache lines */
#define RTPM_BATCH_MAX		1024	/* entries in one batch call */

/* Session roles (rtpm_attach.roles). One producer and one consumer per ring. */
#define RTPM_ROLE_PRODUCER	0x1	/* claim, push, release (abort) of FILLING slots */
#define RTPM_ROLE_CONSUMER	0x2	/* pop, release of CONSUMED slots */
#define RTPM_ROLE_MONITOR	0x4	/* stats, read-only mmap, poll; any number */
#define RTPM_ROLES_ALL		0x7

/* Drop policy (rtpm_config.drop_policy). */
#define RTPM_DROP_TAIL		0	/* claim on a full ring fails with -ENOBUFS */
#define RTPM_DROP_HEAD		1	/* claim on a full ring recycles the oldest READY slot */

/* rtpm_config.flags */
#define RTPM_CFG_NO_RTP_TRACKING	0x1	/* RTP sequence tracking is on unless set */
#define RTPM_CFG_ACCESS			0x2	/* access_gid and access_mode are given */
#define RTPM_CFG_FLAGS_ALL		0x3

/*
 * Ring access (rtpm_config.access_mode), the read and write bits of a file's
 * mode (S_IRUSR .. S_IWOTH): the owner's, the group's, everybody else's.
 * ATTACH as monitor needs read, as producer or consumer write. Without
 * RTPM_CFG_ACCESS a ring is RTPM_ACCESS_DEFAULT: its owner's alone.
 */
#define RTPM_ACCESS_MODE_ALL		0666
#define RTPM_ACCESS_DEFAULT		0600

/* Slot states, as mirrored in rtpm_slot_meta.state. */
#define RTPM_SLOT_FREE		0
#define RTPM_SLOT_FILLING	1	/* claimed, owned by the producer */
#define RTPM_SLOT_READY		2	/* pushed, owned by the ring */
#define RTPM_SLOT_CONSUMED	3	/* popped, owned by the consumer */

/* rtpm_slot_meta.flags, set by the kernel on push. */
#define RTPM_META_RTP		0x1	/* parsed as RTP: rtp_* fields are valid */
#define RTPM_META_NOT_RTP	0x2	/* not RTP v2, or RTCP (RFC 5761 section 4) */

/*
 * What poll reports on a stopped ring to a session attached with abi_minor
 * >= 1: POLLPRI's value (EPOLLPRI), which a poller asks for or not, so a
 * level-triggered poller of EPOLLIN or EPOLLOUT alone does not spin while
 * the ring is stopped. Sessions attached with abi_minor 0 get EPOLLHUP
 * instead, which poll always reports, as before.
 */
#define RTPM_POLL_STOPPED	0x0002

/* rtpm_ring_header.state bits. */
#define RTPM_STATE_RUNNING	0x1

/* Returned by RTPM_IOC_INFO; describes the module and its limits. */
struct rtpm_info {
	__u32 abi_major;
	__u32 abi_minor;
	__u32 max_rings;	/* ring ids are 0 .. max_rings - 1 */
	__u32 order_min;
	__u32 order_max;
	__u32 payload_min;
	__u32 payload_max;
	__u32 slot_align;
	__u64 max_ring_bytes;	/* cap on one ring's mmap size */
	__u64 max_total_bytes;	/* cap on all rings together */
	__u64 used_total_bytes;	/* bytes allocated now */
	__u32 batch_max;
	__u32 header_size;	/* sizeof(struct rtpm_ring_header) */
	__u32 slot_meta_size;	/* sizeof(struct rtpm_slot_meta) */
	__u32 page_size;
	__u32 max_rings_per_user;	/* rings one uid may own (CAP_NET_ADMIN: any) */
	__u32 reserved[7];
};

/*
 * RTPM_IOC_ATTACH: bind this open file to a ring with roles. The caller's ABI
 * version is checked: -EPROTO unless abi_major matches and abi_minor is not
 * newer than the module's. The session then behaves as that minor
 * documents (minor 0: a stopped ring polls EPOLLHUP; 1: RTPM_POLL_STOPPED).
 * -EACCES unless the ring's access_mode grants the caller the roles.
 */
struct rtpm_attach {
	__u32 ring_id;
	__u32 roles;		/* RTPM_ROLE_* */
	__u32 abi_major;
	__u32 abi_minor;
	__u32 reserved[4];
};

/*
 * Ring-addressed commands (START, STOP, UNCONFIGURE, RESET_STATS) take this;
 * they need no attachment, so one process can start a ring another streams.
 * They need the ring's owner or CAP_NET_ADMIN (-EPERM).
 */
struct rtpm_ring_ref {
	__u32 ring_id;
	__u32 reserved;
};

/*
 * RTPM_IOC_CONFIGURE: allocate (or replace) a ring's memory. The caller
 * becomes the owner of an unconfigured ring (at most max_rings_per_user
 * rings per uid, else -EDQUOT); replacing needs the owner or CAP_NET_ADMIN,
 * and the owner stays.
 */
struct rtpm_config {
	__u32 ring_id;
	__u32 order;		/* 2^order slots */
	__u32 max_payload;	/* bytes of payload per slot */
	__u32 drop_policy;	/* RTPM_DROP_* */
	__u32 flags;		/* RTPM_CFG_* */
	__u32 access_gid;	/* RTPM_CFG_ACCESS: a group of the caller's */
	__u32 access_mode;	/* RTPM_CFG_ACCESS: RTPM_ACCESS_MODE_ALL bits */
	__u32 reserved;
};

/*
 * RTPM_IOC_GET_LAYOUT: where things are in the mmap region. Only ring_id is
 * read; every other word is output only (ignored on input, written whole),
 * so none of them can become an input flag: new inputs need a new ioctl.
 */
struct rtpm_layout {
	__u32 ring_id;		/* in */
	__u32 order;
	__u32 slot_count;
	__u32 slot_stride;	/* bytes from one slot to the next */
	__u32 max_payload;
	__u32 header_size;	/* bytes of rtpm_ring_header at header_offset */
	__u32 meta_size;	/* payload starts meta_size bytes into a slot */
	__u32 drop_policy;
	__u32 flags;		/* RTPM_CFG_* as configured */
	__u32 reserved0;
	__u64 mmap_size;	/* the only length mmap accepts (page multiple) */
	__u64 header_offset;	/* always 0 */
	__u64 slots_offset;	/* page aligned */
	__u32 owner_uid;	/* who configured it, in the caller's namespace */
	__u32 access_gid;
	__u32 access_mode;	/* RTPM_ACCESS_MODE_ALL bits */
	__u32 reserved1;
	__u64 reserved[2];
};

/*
 * One slot in a single or batch data call.
 *  claim:   out index; out len = max_payload.
 *  push:    in index (a FILLING slot), in len (bytes of payload written).
 *  pop:     out index, out len (as pushed; trust this, not the mmap copy).
 *  release: in index (a CONSUMED slot, or a FILLING one to abort a claim);
 *           len is ignored, whatever it holds (a popped descriptor is
 *           released as it is), so it can never become a flag.
 */
struct rtpm_slot_desc {
	__u32 index;
	__u32 len;
};

/*
 * Batch call: entries are processed in order and processing stops at the
 * first entry that fails; done says how many succeeded and the call returns
 * that entry's errno (0 when all are done). A pop batch returns what is
 * READY, up to count, and fails with -EAGAIN only when nothing is.
 */
struct rtpm_batch {
	__u32 ring_id;		/* must equal the attached ring */
	__u32 count;		/* entries at descs, 1 .. RTPM_BATCH_MAX */
	__u64 descs;		/* user address of struct rtpm_slot_desc[count] */
	__u32 done;		/* out */
	__u32 dropped;		/* claim only: packets the producer discarded
				 * since its last call (counted as drops) */
	__u32 reserved[2];
};

/*
 * RTPM_IOC_GET_STATS: one consistent snapshot, taken under the ring lock.
 * Only ring_id is read; the rest is output only, as in rtpm_layout.
 */
struct rtpm_stats {
	__u32 ring_id;		/* in */
	__u32 state;		/* RTPM_STATE_* */
	__u32 slot_count;
	__u32 configured;	/* 1 when the ring has memory */
	/* counters, since configure or the last RTPM_IOC_RESET_STATS */
	__u64 pushed;
	__u64 popped;
	__u64 released;
	__u64 bytes_in;		/* payload bytes pushed */
	__u64 bytes_out;	/* payload bytes popped */
	__u64 overruns;		/* claims that found the ring full */
	__u64 drops;		/* packets lost to a full ring: reported by the
				 * producer, plus head drops */
	__u64 head_drops;	/* READY slots recycled by RTPM_DROP_HEAD */
	__u64 flushed;		/* READY slots discarded by start */
	__u64 reclaimed;	/* CONSUMED slots freed when their session went */
	__u64 aborted;		/* FILLING slots released or freed unpushed */
	__u64 underruns;	/* transitions to empty seen by a pop */
	__u64 rtp_lost;		/* sequence numbers skipped (RFC 3550 A.1) */
	__u64 rtp_duplicates;
	__u64 rtp_reorders;	/* late packets not seen before */
	__u64 rtp_resets;	/* SSRC changes and sequence resynchronisations */
	__u64 rtp_not_rtp;	/* not RTP version 2, or RTCP */
	__u64 invalid;		/* rejected data-plane requests */
	/* gauges: free + filling + ready + in_flight == slot_count */
	__u32 free;
	__u32 filling;
	__u32 ready;
	__u32 in_flight;	/* CONSUMED */
	__u32 rtp_ssrc;		/* SSRC being tracked */
	__u32 rtp_max_seq;	/* highest sequence number seen, extended (A.1) */
	__u32 sessions;		/* sessions attached */
	__u32 mappings;		/* live mmaps of the ring */
	__u64 reserved[6];
};

/*
 * The shared region starts with this header (read-only to user space in
 * intent: the kernel rewrites it and never reads it back). Producer- and
 * consumer-side words sit on separate cache lines.
 */
struct rtpm_ring_header {
	/* line 0: constant while the ring is configured */
	__u32 magic;		/* RTPM_RING_MAGIC */
	__u32 abi_major;
	__u32 abi_minor;
	__u32 ring_id;
	__u32 order;
	__u32 slot_count;
	__u32 slot_stride;
	__u32 max_payload;
	__u64 slots_offset;
	__u64 mmap_size;
	__u32 meta_size;
	__u32 drop_policy;
	__u32 flags;
	__u32 reserved0;
	/* line 1: written on push, claim and start/stop */
	__u64 pushed;
	__u64 bytes_in;
	__u32 state;		/* RTPM_STATE_* */
	__u32 free;
	__u64 drops;
	__u64 overruns;
	__u64 reserved1[3];
	/* line 2: written on pop and release */
	__u64 popped;
	__u64 released;
	__u64 bytes_out;
	__u32 ready;
	__u32 in_flight;
	__u64 reserved2[4];
	/* line 3: RTP tracking, written on push */
	__u64 rtp_lost;
	__u64 rtp_duplicates;
	__u64 rtp_reorders;
	__u64 rtp_resets;
	__u64 rtp_not_rtp;
	__u32 rtp_ssrc;
	__u32 rtp_max_seq;
	__u64 reserved3[2];
};

/*
 * Each slot starts with this cache line, written by the kernel on every
 * transition; the payload follows at meta_size. user_tag is the producer's
 * own: the kernel neither reads nor changes it.
 */
struct rtpm_slot_meta {
	__u32 state;		/* RTPM_SLOT_* */
	__u32 len;
	__u32 rtp_seq;		/* extended sequence number (A.1) */
	__u32 rtp_timestamp;
	__u32 rtp_ssrc;
	__u32 flags;		/* RTPM_META_* */
	__u64 push_ns;		/* CLOCK_MONOTONIC at push */
	__u64 user_tag;
	__u32 reserved[6];
};

#define RTPM_IOC_MAGIC		0xB7

#define RTPM_IOC_INFO		_IOR(RTPM_IOC_MAGIC, 0x00, struct rtpm_info)
#define RTPM_IOC_ATTACH		_IOW(RTPM_IOC_MAGIC, 0x01, struct rtpm_attach)
#define RTPM_IOC_DETACH		_IO(RTPM_IOC_MAGIC, 0x02)
#define RTPM_IOC_CONFIGURE	_IOW(RTPM_IOC_MAGIC, 0x03, struct rtpm_config)
#define RTPM_IOC_UNCONFIGURE	_IOW(RTPM_IOC_MAGIC, 0x04, struct rtpm_ring_ref)
#define RTPM_IOC_GET_LAYOUT	_IOWR(RTPM_IOC_MAGIC, 0x05, struct rtpm_layout)
#define RTPM_IOC_START		_IOW(RTPM_IOC_MAGIC, 0x06, struct rtpm_ring_ref)
#define RTPM_IOC_STOP		_IOW(RTPM_IOC_MAGIC, 0x07, struct rtpm_ring_ref)
#define RTPM_IOC_GET_STATS	_IOWR(RTPM_IOC_MAGIC, 0x08, struct rtpm_stats)
#define RTPM_IOC_RESET_STATS	_IOW(RTPM_IOC_MAGIC, 0x09, struct rtpm_ring_ref)
#define RTPM_IOC_CLAIM		_IOR(RTPM_IOC_MAGIC, 0x10, struct rtpm_slot_desc)
#define RTPM_IOC_PUSH		_IOW(RTPM_IOC_MAGIC, 0x11, struct rtpm_slot_desc)
#define RTPM_IOC_POP		_IOR(RTPM_IOC_MAGIC, 0x12, struct rtpm_slot_desc)
#define RTPM_IOC_RELEASE	_IOW(RTPM_IOC_MAGIC, 0x13, struct rtpm_slot_desc)
#define RTPM_IOC_CLAIM_BATCH	_IOWR(RTPM_IOC_MAGIC, 0x18, struct rtpm_batch)
#define RTPM_IOC_PUSH_BATCH	_IOWR(RTPM_IOC_MAGIC, 0x19, struct rtpm_batch)
#define RTPM_IOC_POP_BATCH	_IOWR(RTPM_IOC_MAGIC, 0x1a, struct rtpm_batch)
#define RTPM_IOC_RELEASE_BATCH	_IOWR(RTPM_IOC_MAGIC, 0x1b, struct rtpm_batch)

#endif /* _UAPI_RTP_MGR_IOCTL_H */
