/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel-neutral core of one rtp_mgr ring.
 *
 * This file holds every rule of docs/ABI.md that does not need the kernel:
 * slot ownership, the FREE and READY FIFOs, drop policies, start/stop,
 * session-end reclaim, counters and their invariants, and RTP tracking
 * (RFC 3550 A.1). rtp_mgr.c wraps it with locking, user copies and mmap;
 * tests/ compiles it on the host with stub types under ASan and UBSan.
 *
 * Concurrency contract: every rtpm_core_*() call is made with the ring's
 * lock held (the module's spinlock; the host tests are single-threaded).
 * Like netmap, the ring changes only inside a system call, so the core needs
 * no barriers: the syscall boundary orders user space's payload writes
 * before push and the kernel's mirror writes before the caller sees the
 * return value.
 *
 * Trust: the authoritative state (FIFOs, per-slot state and length) lives
 * in kernel memory.  The mmap region is a mirror that the core writes with
 * WRITE_ONCE (monitors may read it concurrently; tearing a u64 would show
 * nonsense) and never reads back.  The one exception is a pushed payload:
 * its first RTPM_RTP_HDR_LEN bytes are copied once into a local buffer and
 * parsed from there, so user space rewriting them meanwhile changes nothing.
 *
 * FIFOs hold slot indices with free-running u32 head and tail, masked on
 * access (as in AF_XDP); each slot index sits in at most one FIFO, so a
 * FIFO of slot_count entries can never overflow.
 */
#ifndef _RTP_MGR_RING_H
#define _RTP_MGR_RING_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/overflow.h>
#include <linux/string.h>
#else
#include "kstub.h"	/* tests/kstub.h: user-space stand-ins */
#endif

#include "rtp_mgr_ioctl.h"

/* RFC 3550 A.1 constants, as docs/ABI.md fixes them. */
#define RTPM_RTP_HDR_LEN	12
#define RTPM_RTP_SEQ_MOD	(1U << 16)
#define RTPM_RTP_MAX_DROPOUT	3000
#define RTPM_RTP_MAX_MISORDER	100
#define RTPM_RTP_WINDOW		128	/* sequence numbers remembered for duplicates */

/* Return values of rtpm_core_check(): which invariant broke. */
#define RTPM_CHECK_OK		0
#define RTPM_CHECK_GAUGES	1	/* free + filling + ready + in_flight != slot_count */
#define RTPM_CHECK_PUSHED	2	/* pushed != popped + ready + flushed + head_drops */
#define RTPM_CHECK_POPPED	3	/* popped != released + reclaimed + in_flight */
#define RTPM_CHECK_STATES	4	/* per-slot states disagree with FIFOs or gauges */

/**
 * struct rtpm_geom - where things are in a ring's mmap region.
 * @slot_count: 2^order slots.
 * @slot_stride: bytes from one slot to the next, a multiple of RTPM_SLOT_ALIGN.
 * @meta_size: bytes of struct rtpm_slot_meta before each payload.
 * @slots_offset: offset of slot 0, page aligned.
 * @mmap_size: total bytes, a multiple of the page size.
 */
struct rtpm_geom {
	u32 slot_count;
	u32 slot_stride;
	u32 meta_size;
	u64 slots_offset;
	u64 mmap_size;
};

/**
 * rtpm_geom_compute() - lay out a ring of 2^@order slots.
 * @order: log2 of the slot count, RTPM_ORDER_MIN..RTPM_ORDER_MAX.
 * @max_payload: payload bytes per slot, RTPM_PAYLOAD_MIN..RTPM_PAYLOAD_MAX.
 * @page_size: the mmap granule (a power of two).
 * @g: filled on success.
 *
 * Return: 0, -EINVAL for an order or payload outside the ABI's limits, or
 * -E2BIG if the region's size does not fit in 64 bits.
 */
static inline int rtpm_geom_compute(u32 order, u32 max_payload, u64 page_size,
				    struct rtpm_geom *g)
{
	u64 stride, slots_bytes, end;

	if (order < RTPM_ORDER_MIN || order > RTPM_ORDER_MAX)
		return -EINVAL;
	if (max_payload < RTPM_PAYLOAD_MIN || max_payload > RTPM_PAYLOAD_MAX)
		return -EINVAL;
	g->slot_count = 1U << order;
	g->meta_size = sizeof(struct rtpm_slot_meta);
	/* Cannot overflow: both terms are far below 2^32 by the checks above. */
	stride = (u64)g->meta_size + max_payload;
	stride = (stride + RTPM_SLOT_ALIGN - 1) & ~(u64)(RTPM_SLOT_ALIGN - 1);
	g->slot_stride = (u32)stride;
	g->slots_offset = (sizeof(struct rtpm_ring_header) + page_size - 1) &
			  ~(page_size - 1);
	if (check_mul_overflow(stride, (u64)g->slot_count, &slots_bytes) ||
	    check_add_overflow(g->slots_offset, slots_bytes, &end) ||
	    check_add_overflow(end, page_size - 1, &end))
		return -E2BIG;
	g->mmap_size = end & ~(page_size - 1);
	return 0;
}

/* A FIFO of slot indices; see the top of the file. */
struct rtpm_fifo {
	u32 *idx;	/* slot_count entries */
	u32 mask;	/* slot_count - 1 */
	u32 head;	/* next entry out */
	u32 tail;	/* next entry in */
};

static inline u32 rtpm_fifo_len(const struct rtpm_fifo *f)
{
	return f->tail - f->head;
}

static inline bool rtpm_fifo_is_empty(const struct rtpm_fifo *f)
{
	return f->tail == f->head;
}

/* The caller guarantees room: a slot index is in at most one FIFO. */
static inline void rtpm_fifo_in(struct rtpm_fifo *f, u32 index)
{
	f->idx[f->tail++ & f->mask] = index;
}

/* The caller guarantees the FIFO is not empty. */
static inline u32 rtpm_fifo_out(struct rtpm_fifo *f)
{
	return f->idx[f->head++ & f->mask];
}

/**
 * struct rtpm_rtp - RFC 3550 A.1 state for the latest SSRC, plus counters.
 * @lost: sequence numbers skipped by forward jumps.
 * @duplicates: packets whose sequence number was seen in the window.
 * @reorders: late packets not seen before.
 * @resets: SSRC changes and resynchronisations.
 * @not_rtp: short packets, version != 2, RTCP.
 * @seen: bit i set when sequence number max_seq - i was seen.
 * @cycles: sequence number wraps, in units of RTPM_RTP_SEQ_MOD.
 * @bad_seq: A.1's bad_seq; RTPM_RTP_SEQ_MOD + 1 when none is pending.
 * @ssrc: the SSRC tracked.
 * @max_seq: highest sequence number seen (16 bits).
 * @active: an SSRC is being tracked.
 */
struct rtpm_rtp {
	u64 lost;
	u64 duplicates;
	u64 reorders;
	u64 resets;
	u64 not_rtp;
	u64 seen[RTPM_RTP_WINDOW / 64];
	u32 cycles;
	u32 bad_seq;
	u32 ssrc;
	u16 max_seq;
	bool active;
};

/**
 * struct rtpm_rtp_pkt - what rtpm_rtp_track() learned about one packet.
 * @ext_seq: extended sequence number: the one nearest the highest seen.
 * @timestamp: RTP timestamp.
 * @ssrc: RTP SSRC.
 */
struct rtpm_rtp_pkt {
	u32 ext_seq;
	u32 timestamp;
	u32 ssrc;
};

static inline u32 rtpm_rtp_ext_max(const struct rtpm_rtp *t)
{
	return t->cycles + t->max_seq;
}

/* A.1 init_seq(): @seq becomes the only sequence number seen. */
static inline void rtpm_rtp_init_seq(struct rtpm_rtp *t, u32 ssrc, u16 seq)
{
	t->ssrc = ssrc;
	t->max_seq = seq;
	t->cycles = 0;
	t->bad_seq = RTPM_RTP_SEQ_MOD + 1;
	t->seen[0] = 1;
	t->seen[1] = 0;
	t->active = true;
}

/* Slide the window forward by @d sequence numbers and mark the new head. */
static inline void rtpm_rtp_window_advance(struct rtpm_rtp *t, u32 d)
{
	if (d >= RTPM_RTP_WINDOW) {
		t->seen[1] = 0;
		t->seen[0] = 0;
	} else if (d >= 64) {
		t->seen[1] = t->seen[0] << (d - 64);
		t->seen[0] = 0;
	} else if (d > 0) {
		t->seen[1] = (t->seen[1] << d) | (t->seen[0] >> (64 - d));
		t->seen[0] <<= d;
	}
	t->seen[0] |= 1;
}

/* Mark @back numbers behind max_seq as seen; return whether it already was. */
static inline bool rtpm_rtp_window_test_set(struct rtpm_rtp *t, u32 back)
{
	u64 bit = (u64)1 << (back % 64);
	u64 *word = &t->seen[back / 64];
	bool was = *word & bit;

	*word |= bit;
	return was;
}

static inline u32 rtpm_get_be32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

/**
 * rtpm_rtp_track() - account one pushed packet (docs/ABI.md, RTP tracking).
 * @t: tracker state and counters.
 * @hdr: the packet's first min(@len, RTPM_RTP_HDR_LEN) bytes, a private copy.
 * @len: the packet's length.
 * @pkt: filled when the packet is RTP.
 *
 * Return: RTPM_META_RTP or RTPM_META_NOT_RTP, for rtpm_slot_meta.flags.
 */
static inline u32 rtpm_rtp_track(struct rtpm_rtp *t, const u8 *hdr, u32 len,
				 struct rtpm_rtp_pkt *pkt)
{
	u16 seq, udelta;

	/* RFC 5761 section 4: payload types 64..95 with the marker bit are RTCP. */
	if (len < RTPM_RTP_HDR_LEN || hdr[0] >> 6 != 2 ||
	    (hdr[1] >= 192 && hdr[1] <= 223)) {
		t->not_rtp++;
		return RTPM_META_NOT_RTP;
	}
	seq = (u16)(hdr[2] << 8 | hdr[3]);
	pkt->timestamp = rtpm_get_be32(hdr + 4);
	pkt->ssrc = rtpm_get_be32(hdr + 8);

	if (!t->active || pkt->ssrc != t->ssrc) {
		/* The producer validates sources: accept a new SSRC at once. */
		if (t->active)
			t->resets++;
		rtpm_rtp_init_seq(t, pkt->ssrc, seq);
		pkt->ext_seq = seq;
		return RTPM_META_RTP;
	}

	udelta = (u16)(seq - t->max_seq);
	if (udelta == 0) {
		t->duplicates++;
	} else if (udelta < RTPM_RTP_MAX_DROPOUT) {
		/* In order, with a permissible gap. */
		if (seq < t->max_seq)
			t->cycles += RTPM_RTP_SEQ_MOD;
		t->lost += udelta - 1;
		t->max_seq = seq;
		rtpm_rtp_window_advance(t, udelta);
	} else if (udelta <= RTPM_RTP_SEQ_MOD - RTPM_RTP_MAX_MISORDER) {
		/*
		 * A very large jump: believe it only when the next packet
		 * follows it (the sender restarted without telling us).
		 */
		if (seq == t->bad_seq) {
			t->resets++;
			rtpm_rtp_init_seq(t, t->ssrc, seq);
		} else {
			t->bad_seq = (seq + 1U) & (RTPM_RTP_SEQ_MOD - 1);
		}
	} else {
		/* Late by 1..MAX_MISORDER - 1: inside the window. */
		if (rtpm_rtp_window_test_set(t, RTPM_RTP_SEQ_MOD - udelta))
			t->duplicates++;
		else
			t->reorders++;
	}
	pkt->ext_seq = rtpm_rtp_ext_max(t) + (u32)(s32)(s16)(u16)(seq - t->max_seq);
	return RTPM_META_RTP;
}

/* Kernel-private per-slot state; the mmap copy is only a mirror of it. */
struct rtpm_slot {
	u32 state;	/* RTPM_SLOT_* */
	u32 len;	/* as pushed */
};

/* Counters since configure or the last reset (names as in struct rtpm_stats). */
struct rtpm_counters {
	u64 pushed;
	u64 popped;
	u64 released;
	u64 bytes_in;
	u64 bytes_out;
	u64 overruns;
	u64 drops;
	u64 head_drops;
	u64 flushed;
	u64 reclaimed;
	u64 aborted;
	u64 underruns;
	u64 invalid;
};

/**
 * struct rtpm_core - the authoritative state of one configured ring.
 * @slot_count: number of slots, a power of two.
 * @max_payload: payload bytes per slot.
 * @drop_policy: RTPM_DROP_*.
 * @flags: RTPM_CFG_*.
 * @geom: the mmap layout.
 * @slots: per-slot state and length, @slot_count entries.
 * @free: FREE slots, oldest released first.
 * @ready: READY slots in push order.
 * @filling: slots in FILLING.
 * @in_flight: slots in CONSUMED.
 * @running: RTPM_STATE_RUNNING.
 * @last_pop_found: the previous pop found a READY slot (for underruns).
 * @c: counters.
 * @rtp: RTP tracker.
 * @hdr: the mirror header at the start of the region.
 * @region: the mmap region, @geom.mmap_size bytes.
 */
struct rtpm_core {
	u32 slot_count;
	u32 max_payload;
	u32 drop_policy;
	u32 flags;
	struct rtpm_geom geom;
	struct rtpm_slot *slots;
	struct rtpm_fifo free;
	struct rtpm_fifo ready;
	u32 filling;
	u32 in_flight;
	bool running;
	bool last_pop_found;
	struct rtpm_counters c;
	struct rtpm_rtp rtp;
	struct rtpm_ring_header *hdr;
	u8 *region;
};

static inline struct rtpm_slot_meta *
rtpm_core_meta(const struct rtpm_core *core, u32 index)
{
	return (struct rtpm_slot_meta *)(core->region + core->geom.slots_offset +
					 (u64)index * core->geom.slot_stride);
}

static inline const u8 *rtpm_core_payload(const struct rtpm_core *core, u32 index)
{
	return (const u8 *)rtpm_core_meta(core, index) + core->geom.meta_size;
}

/* Move slot @index to @state and mirror that (and its length) into its meta. */
static inline void rtpm_core_set_state(struct rtpm_core *core, u32 index,
				       u32 state, u32 len)
{
	struct rtpm_slot_meta *m = rtpm_core_meta(core, index);

	core->slots[index].state = state;
	core->slots[index].len = len;
	WRITE_ONCE(m->len, len);
	WRITE_ONCE(m->state, state);
}

static inline void rtpm_core_to_free(struct rtpm_core *core, u32 index)
{
	rtpm_core_set_state(core, index, RTPM_SLOT_FREE, 0);
	rtpm_fifo_in(&core->free, index);
}

/**
 * rtpm_core_publish() - mirror the counters and gauges into the header.
 * @core: the ring.
 *
 * Called once before the ring lock is dropped, so a batch costs one header
 * update rather than one per slot.
 */
static inline void rtpm_core_publish(struct rtpm_core *core)
{
	struct rtpm_ring_header *h = core->hdr;

	WRITE_ONCE(h->pushed, core->c.pushed);
	WRITE_ONCE(h->bytes_in, core->c.bytes_in);
	WRITE_ONCE(h->state, core->running ? RTPM_STATE_RUNNING : 0);
	WRITE_ONCE(h->free, rtpm_fifo_len(&core->free));
	WRITE_ONCE(h->drops, core->c.drops);
	WRITE_ONCE(h->overruns, core->c.overruns);
	WRITE_ONCE(h->popped, core->c.popped);
	WRITE_ONCE(h->released, core->c.released);
	WRITE_ONCE(h->bytes_out, core->c.bytes_out);
	WRITE_ONCE(h->ready, rtpm_fifo_len(&core->ready));
	WRITE_ONCE(h->in_flight, core->in_flight);
	WRITE_ONCE(h->rtp_lost, core->rtp.lost);
	WRITE_ONCE(h->rtp_duplicates, core->rtp.duplicates);
	WRITE_ONCE(h->rtp_reorders, core->rtp.reorders);
	WRITE_ONCE(h->rtp_resets, core->rtp.resets);
	WRITE_ONCE(h->rtp_not_rtp, core->rtp.not_rtp);
	WRITE_ONCE(h->rtp_ssrc, core->rtp.ssrc);
	WRITE_ONCE(h->rtp_max_seq, rtpm_rtp_ext_max(&core->rtp));
}

/**
 * struct rtpm_core_mem - memory a ring needs, allocated by the caller.
 * @slots: slot_count entries.
 * @free_idx: slot_count entries.
 * @ready_idx: slot_count entries.
 * @region: geom.mmap_size bytes, zeroed.
 */
struct rtpm_core_mem {
	struct rtpm_slot *slots;
	u32 *free_idx;
	u32 *ready_idx;
	u8 *region;
};

/**
 * rtpm_core_init() - start a configured ring: stopped, all slots FREE,
 * counters zero, header mirror written.
 * @core: the ring.
 * @cfg: a validated configuration (rtpm_geom_compute() accepted it).
 * @geom: its layout.
 * @mem: memory sized for @geom.
 */
static inline void rtpm_core_init(struct rtpm_core *core,
				  const struct rtpm_config *cfg,
				  const struct rtpm_geom *geom,
				  const struct rtpm_core_mem *mem)
{
	struct rtpm_ring_header *h;
	u32 i;

	memset(core, 0, sizeof(*core));
	core->slot_count = geom->slot_count;
	core->max_payload = cfg->max_payload;
	core->drop_policy = cfg->drop_policy;
	core->flags = cfg->flags;
	core->geom = *geom;
	core->slots = mem->slots;
	core->free.idx = mem->free_idx;
	core->free.mask = geom->slot_count - 1;
	core->ready.idx = mem->ready_idx;
	core->ready.mask = geom->slot_count - 1;
	core->region = mem->region;
	core->hdr = (struct rtpm_ring_header *)mem->region;
	core->rtp.bad_seq = RTPM_RTP_SEQ_MOD + 1;

	for (i = 0; i < core->slot_count; i++)
		rtpm_core_to_free(core, i);

	h = core->hdr;
	WRITE_ONCE(h->magic, RTPM_RING_MAGIC);
	WRITE_ONCE(h->abi_major, RTPM_ABI_MAJOR);
	WRITE_ONCE(h->abi_minor, RTPM_ABI_MINOR);
	WRITE_ONCE(h->ring_id, cfg->ring_id);
	WRITE_ONCE(h->order, cfg->order);
	WRITE_ONCE(h->slot_count, geom->slot_count);
	WRITE_ONCE(h->slot_stride, geom->slot_stride);
	WRITE_ONCE(h->max_payload, cfg->max_payload);
	WRITE_ONCE(h->slots_offset, geom->slots_offset);
	WRITE_ONCE(h->mmap_size, geom->mmap_size);
	WRITE_ONCE(h->meta_size, geom->meta_size);
	WRITE_ONCE(h->drop_policy, cfg->drop_policy);
	WRITE_ONCE(h->flags, cfg->flags);
	rtpm_core_publish(core);
}

static inline u32 rtpm_core_ready_count(const struct rtpm_core *core)
{
	return rtpm_fifo_len(&core->ready);
}

/* A claim can succeed now: what EPOLLOUT reports to a producer. */
static inline bool rtpm_core_can_claim(const struct rtpm_core *core)
{
	if (!core->running)
		return false;
	if (!rtpm_fifo_is_empty(&core->free))
		return true;
	return core->drop_policy == RTPM_DROP_HEAD &&
	       !rtpm_fifo_is_empty(&core->ready);
}

/**
 * rtpm_core_claim() - FREE -> FILLING (or, under RTPM_DROP_HEAD with no FREE
 * slot, the oldest READY -> FILLING).
 * @core: the ring.
 * @index: the claimed slot.
 *
 * Return: 0, -EPIPE when stopped, -ENOBUFS when nothing can be claimed.
 */
static inline int rtpm_core_claim(struct rtpm_core *core, u32 *index)
{
	u32 i;

	if (!core->running)
		return -EPIPE;
	if (!rtpm_fifo_is_empty(&core->free)) {
		i = rtpm_fifo_out(&core->free);
	} else {
		core->c.overruns++;
		if (core->drop_policy != RTPM_DROP_HEAD ||
		    rtpm_fifo_is_empty(&core->ready))
			return -ENOBUFS;
		/*
		 * A READY slot belongs to the ring until pop hands it to the
		 * consumer, and pop runs under the same lock: recycling the
		 * oldest one takes it from nobody.
		 */
		i = rtpm_fifo_out(&core->ready);
		core->c.head_drops++;
		core->c.drops++;
	}
	rtpm_core_set_state(core, i, RTPM_SLOT_FILLING, 0);
	core->filling++;
	*index = i;
	return 0;
}

/* The producer discarded @n packets it could not place (RTPM_DROP_TAIL). */
static inline void rtpm_core_count_drops(struct rtpm_core *core, u32 n)
{
	core->c.drops += n;
}

/* A data-plane request the caller rejected (EINVAL, EPERM, EFAULT). */
static inline void rtpm_core_count_invalid(struct rtpm_core *core)
{
	core->c.invalid++;
}

static inline void rtpm_core_mirror_rtp(struct rtpm_core *core, u32 index,
					u32 flags, const struct rtpm_rtp_pkt *p,
					u64 now_ns)
{
	struct rtpm_slot_meta *m = rtpm_core_meta(core, index);

	WRITE_ONCE(m->rtp_seq, p->ext_seq);
	WRITE_ONCE(m->rtp_timestamp, p->timestamp);
	WRITE_ONCE(m->rtp_ssrc, p->ssrc);
	WRITE_ONCE(m->flags, flags);
	WRITE_ONCE(m->push_ns, now_ns);
}

/**
 * rtpm_core_push() - FILLING -> READY with @len bytes of payload.
 * @core: the ring.
 * @index: a FILLING slot.
 * @len: payload bytes, 0..max_payload.
 * @now_ns: CLOCK_MONOTONIC, mirrored as push_ns.
 *
 * Return: 0, -EPIPE (stopped), -ERANGE (index), -EBADSLT (not FILLING) or
 * -EMSGSIZE (len); the last three count as invalid.
 */
static inline int rtpm_core_push(struct rtpm_core *core, u32 index, u32 len,
				 u64 now_ns)
{
	struct rtpm_rtp_pkt pkt = { 0 };
	u8 head[RTPM_RTP_HDR_LEN];
	u32 flags = 0;
	int err;

	if (!core->running)
		return -EPIPE;
	if (index >= core->slot_count)
		err = -ERANGE;
	else if (core->slots[index].state != RTPM_SLOT_FILLING)
		err = -EBADSLT;
	else if (len > core->max_payload)
		err = -EMSGSIZE;
	else
		err = 0;
	if (err) {
		core->c.invalid++;
		return err;
	}

	if (!(core->flags & RTPM_CFG_NO_RTP_TRACKING)) {
		/* Read once: user space may rewrite the payload meanwhile. */
		memcpy(head, rtpm_core_payload(core, index),
		       len < sizeof(head) ? len : sizeof(head));
		flags = rtpm_rtp_track(&core->rtp, head, len, &pkt);
	}
	rtpm_core_mirror_rtp(core, index, flags, &pkt, now_ns);
	rtpm_core_set_state(core, index, RTPM_SLOT_READY, len);
	rtpm_fifo_in(&core->ready, index);
	core->filling--;
	core->c.pushed++;
	core->c.bytes_in += len;
	return 0;
}

/**
 * rtpm_core_pop() - the oldest READY -> CONSUMED.
 * @core: the ring.
 * @index: the popped slot.
 * @len: its length as pushed.
 *
 * Return: 0, or -EAGAIN (nothing READY, running) / -EPIPE (nothing READY,
 * stopped); the first empty pop after a successful one counts an underrun.
 */
static inline int rtpm_core_pop(struct rtpm_core *core, u32 *index, u32 *len)
{
	u32 i;

	if (rtpm_fifo_is_empty(&core->ready)) {
		if (core->last_pop_found)
			core->c.underruns++;
		core->last_pop_found = false;
		return core->running ? -EAGAIN : -EPIPE;
	}
	i = rtpm_fifo_out(&core->ready);
	*index = i;
	*len = core->slots[i].len;
	rtpm_core_set_state(core, i, RTPM_SLOT_CONSUMED, *len);
	core->in_flight++;
	core->c.popped++;
	core->c.bytes_out += *len;
	core->last_pop_found = true;
	return 0;
}

/**
 * rtpm_core_release() - CONSUMED -> FREE (consumer) or FILLING -> FREE
 * (producer: abort).
 * @core: the ring.
 * @index: the slot.
 * @producer: the caller holds the producer role.
 * @consumer: the caller holds the consumer role.
 *
 * Works whether the ring runs or not.
 * Return: 0, -ERANGE (index) or -EBADSLT (not held by the caller's roles);
 * errors count as invalid.
 */
static inline int rtpm_core_release(struct rtpm_core *core, u32 index,
				    bool producer, bool consumer)
{
	u32 state;

	if (index >= core->slot_count) {
		core->c.invalid++;
		return -ERANGE;
	}
	state = core->slots[index].state;
	if (state == RTPM_SLOT_CONSUMED && consumer) {
		core->in_flight--;
		core->c.released++;
	} else if (state == RTPM_SLOT_FILLING && producer) {
		core->filling--;
		core->c.aborted++;
	} else {
		core->c.invalid++;
		return -EBADSLT;
	}
	rtpm_core_to_free(core, index);
	return 0;
}

/**
 * rtpm_core_session_end() - a session with these roles went: its FILLING
 * slots are aborted and its CONSUMED slots reclaimed.
 * @core: the ring.
 * @producer: the session was the producer.
 * @consumer: the session was the consumer.
 *
 * A ring has one producer and one consumer, so every FILLING slot is the
 * producer's and every CONSUMED slot the consumer's.
 * Return: the number of slots freed.
 */
static inline u32 rtpm_core_session_end(struct rtpm_core *core, bool producer,
					bool consumer)
{
	u32 i, n = 0;

	for (i = 0; i < core->slot_count; i++) {
		u32 state = core->slots[i].state;

		if (state == RTPM_SLOT_FILLING && producer) {
			core->filling--;
			core->c.aborted++;
		} else if (state == RTPM_SLOT_CONSUMED && consumer) {
			core->in_flight--;
			core->c.reclaimed++;
		} else {
			continue;
		}
		rtpm_core_to_free(core, i);
		n++;
	}
	return n;
}

/**
 * rtpm_core_start() - run the ring; a stopped ring first flushes the READY
 * slots of its earlier run. Idempotent.
 * @core: the ring.
 */
static inline void rtpm_core_start(struct rtpm_core *core)
{
	if (core->running)
		return;
	while (!rtpm_fifo_is_empty(&core->ready)) {
		rtpm_core_to_free(core, rtpm_fifo_out(&core->ready));
		core->c.flushed++;
	}
	core->running = true;
}

/* Stop the ring. Idempotent. */
static inline void rtpm_core_stop(struct rtpm_core *core)
{
	core->running = false;
}

/**
 * rtpm_core_reset_stats() - zero every counter, keeping the invariants:
 * pushed = ready + in_flight, popped = in_flight.
 * @core: the ring.
 *
 * The tracker's SSRC and sequence state stay: they are state, not counters.
 */
static inline void rtpm_core_reset_stats(struct rtpm_core *core)
{
	memset(&core->c, 0, sizeof(core->c));
	core->rtp.lost = 0;
	core->rtp.duplicates = 0;
	core->rtp.reorders = 0;
	core->rtp.resets = 0;
	core->rtp.not_rtp = 0;
	core->c.pushed = (u64)rtpm_fifo_len(&core->ready) + core->in_flight;
	core->c.popped = core->in_flight;
}

/**
 * rtpm_core_stats() - fill the counter and gauge fields of @s.
 * @core: the ring.
 * @s: zeroed by the caller, which also fills ring_id, configured, sessions
 *     and mappings.
 */
static inline void rtpm_core_stats(const struct rtpm_core *core,
				   struct rtpm_stats *s)
{
	s->state = core->running ? RTPM_STATE_RUNNING : 0;
	s->slot_count = core->slot_count;
	s->pushed = core->c.pushed;
	s->popped = core->c.popped;
	s->released = core->c.released;
	s->bytes_in = core->c.bytes_in;
	s->bytes_out = core->c.bytes_out;
	s->overruns = core->c.overruns;
	s->drops = core->c.drops;
	s->head_drops = core->c.head_drops;
	s->flushed = core->c.flushed;
	s->reclaimed = core->c.reclaimed;
	s->aborted = core->c.aborted;
	s->underruns = core->c.underruns;
	s->rtp_lost = core->rtp.lost;
	s->rtp_duplicates = core->rtp.duplicates;
	s->rtp_reorders = core->rtp.reorders;
	s->rtp_resets = core->rtp.resets;
	s->rtp_not_rtp = core->rtp.not_rtp;
	s->invalid = core->c.invalid;
	s->free = rtpm_fifo_len(&core->free);
	s->filling = core->filling;
	s->ready = rtpm_fifo_len(&core->ready);
	s->in_flight = core->in_flight;
	s->rtp_ssrc = core->rtp.ssrc;
	s->rtp_max_seq = rtpm_rtp_ext_max(&core->rtp);
}

/**
 * rtpm_core_check() - verify the invariants of docs/ABI.md, and that the
 * FIFOs and per-slot states agree. O(slot_count).
 * @core: the ring.
 *
 * Return: RTPM_CHECK_OK or the RTPM_CHECK_* of the first broken invariant.
 */
static inline int rtpm_core_check(const struct rtpm_core *core)
{
	u32 nfree = rtpm_fifo_len(&core->free);
	u32 nready = rtpm_fifo_len(&core->ready);
	const struct rtpm_counters *c = &core->c;
	u32 count[4] = { 0 };
	u32 i;

	if ((u64)nfree + core->filling + nready + core->in_flight !=
	    core->slot_count)
		return RTPM_CHECK_GAUGES;
	if (c->pushed != c->popped + nready + c->flushed + c->head_drops)
		return RTPM_CHECK_PUSHED;
	if (c->popped != c->released + c->reclaimed + core->in_flight)
		return RTPM_CHECK_POPPED;
	for (i = 0; i < core->slot_count; i++) {
		if (core->slots[i].state > RTPM_SLOT_CONSUMED)
			return RTPM_CHECK_STATES;
		count[core->slots[i].state]++;
	}
	if (count[RTPM_SLOT_FREE] != nfree || count[RTPM_SLOT_READY] != nready ||
	    count[RTPM_SLOT_FILLING] != core->filling ||
	    count[RTPM_SLOT_CONSUMED] != core->in_flight)
		return RTPM_CHECK_STATES;
	for (i = 0; i < nfree; i++)
		if (core->slots[core->free.idx[(core->free.head + i) &
					       core->free.mask]].state !=
		    RTPM_SLOT_FREE)
			return RTPM_CHECK_STATES;
	for (i = 0; i < nready; i++)
		if (core->slots[core->ready.idx[(core->ready.head + i) &
						core->ready.mask]].state !=
		    RTPM_SLOT_READY)
			return RTPM_CHECK_STATES;
	return RTPM_CHECK_OK;
}

#endif /* _RTP_MGR_RING_H */
