// SPDX-License-Identifier: GPL-2.0
/*
 * ring_test.c - host unit tests of rtp_mgr_ring.h, run under ASan and UBSan.
 *
 * Every test drives the core through the same calls the module makes and,
 * after every step, checks the invariants of docs/ABI.md (rtpm_core_check)
 * and that the mmap mirror agrees with the kernel-private state.
 * The RTP tracker is driven by rtp_tracking.vec (path in argv[1]).
 *
 * Output: one "ok"/"not ok" line a test, then "N passed, N failed".
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "rtp_mgr_ring.h"

static const char *cur_test;
static int cur_failed;

#define FAIL(fmt, ...)							\
	do {								\
		fprintf(stderr, "%s:%d: %s: " fmt "\n", __FILE__,	\
			__LINE__, cur_test, ##__VA_ARGS__);		\
		cur_failed = 1;						\
	} while (0)

/* Expected value first, as in kselftest. */
#define EXPECT_EQ(exp, act)						\
	do {								\
		long long e_ = (long long)(exp), a_ = (long long)(act);	\
		if (e_ != a_)						\
			FAIL("%s == %lld, expected %s == %lld", #act,	\
			     a_, #exp, e_);				\
	} while (0)

#define EXPECT_TRUE(cond)						\
	do {								\
		if (!(cond))						\
			FAIL("expected %s", #cond);			\
	} while (0)

#define PAGE 4096
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

struct ring {
	struct rtpm_core core;
	struct rtpm_core_mem mem;
	struct rtpm_geom geom;
};

static struct ring *ring_new(u32 order, u32 payload, u32 policy, u32 flags)
{
	struct rtpm_config cfg = {
		.ring_id = 3, .order = order, .max_payload = payload,
		.drop_policy = policy, .flags = flags,
	};
	struct ring *r = calloc(1, sizeof(*r));
	int err;

	if (!r)
		abort();
	err = rtpm_geom_compute(order, payload, PAGE, &r->geom);
	if (err) {
		fprintf(stderr, "geom(%u, %u): %d\n", order, payload, err);
		abort();
	}
	r->mem.slots = calloc(r->geom.slot_count, sizeof(*r->mem.slots));
	r->mem.free_idx = calloc(r->geom.slot_count, sizeof(u32));
	r->mem.ready_idx = calloc(r->geom.slot_count, sizeof(u32));
	r->mem.region = calloc(1, r->geom.mmap_size);
	if (!r->mem.slots || !r->mem.free_idx || !r->mem.ready_idx ||
	    !r->mem.region)
		abort();
	rtpm_core_init(&r->core, &cfg, &r->geom, &r->mem);
	return r;
}

static void ring_free(struct ring *r)
{
	free(r->mem.slots);
	free(r->mem.free_idx);
	free(r->mem.ready_idx);
	free(r->mem.region);
	free(r);
}

static struct rtpm_stats stats(const struct ring *r)
{
	struct rtpm_stats s;

	memset(&s, 0, sizeof(s));
	rtpm_core_stats(&r->core, &s);
	return s;
}

/*
 * After every step, as the module does before unlocking: publish, then the
 * invariants must hold and the mirror must match the private state.
 */
static void step(struct ring *r)
{
	const struct rtpm_ring_header *h = r->core.hdr;
	struct rtpm_stats s;
	u32 i;

	rtpm_core_publish(&r->core);
	EXPECT_EQ(RTPM_CHECK_OK, rtpm_core_check(&r->core));
	s = stats(r);
	EXPECT_EQ(s.free + s.filling + s.ready + s.in_flight, s.slot_count);
	EXPECT_EQ(s.pushed, s.popped + s.ready + s.flushed + s.head_drops);
	EXPECT_EQ(s.popped, s.released + s.reclaimed + s.in_flight);
	EXPECT_EQ(RTPM_RING_MAGIC, h->magic);
	EXPECT_EQ(s.pushed, h->pushed);
	EXPECT_EQ(s.popped, h->popped);
	EXPECT_EQ(s.released, h->released);
	EXPECT_EQ(s.bytes_in, h->bytes_in);
	EXPECT_EQ(s.bytes_out, h->bytes_out);
	EXPECT_EQ(s.drops, h->drops);
	EXPECT_EQ(s.overruns, h->overruns);
	EXPECT_EQ(s.free, h->free);
	EXPECT_EQ(s.ready, h->ready);
	EXPECT_EQ(s.in_flight, h->in_flight);
	EXPECT_EQ(s.state, h->state);
	EXPECT_EQ(s.rtp_lost, h->rtp_lost);
	EXPECT_EQ(s.rtp_not_rtp, h->rtp_not_rtp);
	EXPECT_EQ(s.rtp_max_seq, h->rtp_max_seq);
	for (i = 0; i < r->core.slot_count; i++) {
		const struct rtpm_slot_meta *m = rtpm_core_meta(&r->core, i);

		EXPECT_EQ(r->core.slots[i].state, m->state);
		EXPECT_EQ(r->core.slots[i].len, m->len);
	}
}

static u32 claim_ok(struct ring *r)
{
	u32 idx = ~0U;

	EXPECT_EQ(0, rtpm_core_claim(&r->core, &idx));
	EXPECT_TRUE(idx < r->core.slot_count);
	step(r);
	return idx;
}

static void push_ok(struct ring *r, u32 idx, u32 len)
{
	EXPECT_EQ(0, rtpm_core_push(&r->core, idx, len, 1234));
	step(r);
}

static u32 pop_ok(struct ring *r, u32 *len)
{
	u32 idx = ~0U, l = ~0U;

	EXPECT_EQ(0, rtpm_core_pop(&r->core, &idx, &l));
	step(r);
	if (len)
		*len = l;
	return idx;
}

static void release_ok(struct ring *r, u32 idx, bool producer, bool consumer)
{
	EXPECT_EQ(0, rtpm_core_release(&r->core, idx, producer, consumer));
	step(r);
}

static u32 free_slot(const struct ring *r)
{
	u32 i;

	for (i = 0; i < r->core.slot_count; i++)
		if (r->core.slots[i].state == RTPM_SLOT_FREE)
			return i;
	FAIL("no FREE slot");
	return 0;
}

/* ------------------------------------------------------------------ */

static void test_geom_limits(void)
{
	struct rtpm_geom g;

	EXPECT_EQ(-EINVAL, rtpm_geom_compute(RTPM_ORDER_MIN - 1, 100, PAGE, &g));
	EXPECT_EQ(-EINVAL, rtpm_geom_compute(RTPM_ORDER_MAX + 1, 100, PAGE, &g));
	EXPECT_EQ(-EINVAL, rtpm_geom_compute(4, RTPM_PAYLOAD_MIN - 1, PAGE, &g));
	EXPECT_EQ(-EINVAL, rtpm_geom_compute(4, RTPM_PAYLOAD_MAX + 1, PAGE, &g));
	EXPECT_EQ(0, rtpm_geom_compute(RTPM_ORDER_MIN, RTPM_PAYLOAD_MIN, PAGE, &g));
	EXPECT_EQ(2, g.slot_count);
	EXPECT_EQ(64 + 64, g.slot_stride);	/* 64 + 12 rounded up */
	EXPECT_EQ(PAGE, g.slots_offset);
	EXPECT_EQ(2 * PAGE, g.mmap_size);

	/* The largest ring: 65536 slots of 65507 bytes exceed 4 GiB. */
	EXPECT_EQ(0, rtpm_geom_compute(RTPM_ORDER_MAX, RTPM_PAYLOAD_MAX, PAGE, &g));
	EXPECT_EQ(65536, g.slot_count);
	EXPECT_EQ(65600, g.slot_stride);
	EXPECT_EQ(0, g.slot_stride % RTPM_SLOT_ALIGN);
	EXPECT_EQ(PAGE + 65536ULL * 65600, g.mmap_size);
	EXPECT_EQ(0, g.mmap_size % PAGE);

	/* Every stride is aligned and holds meta + payload. */
	for (u32 p = RTPM_PAYLOAD_MIN; p < 300; p++) {
		EXPECT_EQ(0, rtpm_geom_compute(3, p, PAGE, &g));
		EXPECT_EQ(0, g.slot_stride % RTPM_SLOT_ALIGN);
		EXPECT_TRUE(g.slot_stride >= g.meta_size + p);
		EXPECT_TRUE(g.slot_stride < g.meta_size + p + RTPM_SLOT_ALIGN);
		EXPECT_TRUE(g.mmap_size >= g.slots_offset + 8ULL * g.slot_stride);
	}

	/* Sizes that do not fit in 64 bits are refused, not wrapped. */
	EXPECT_EQ(-E2BIG, rtpm_geom_compute(RTPM_ORDER_MAX, 100, 1ULL << 63, &g));
}

static void test_init_state(void)
{
	struct ring *r = ring_new(3, 200, RTPM_DROP_TAIL, 0);
	const struct rtpm_ring_header *h = r->core.hdr;
	struct rtpm_stats s;

	step(r);
	s = stats(r);
	EXPECT_EQ(8, s.slot_count);
	EXPECT_EQ(8, s.free);
	EXPECT_EQ(0, s.state);
	EXPECT_EQ(RTPM_ABI_MAJOR, h->abi_major);
	EXPECT_EQ(RTPM_ABI_MINOR, h->abi_minor);
	EXPECT_EQ(3, h->ring_id);
	EXPECT_EQ(3, h->order);
	EXPECT_EQ(8, h->slot_count);
	EXPECT_EQ(r->geom.slot_stride, h->slot_stride);
	EXPECT_EQ(200, h->max_payload);
	EXPECT_EQ(r->geom.slots_offset, h->slots_offset);
	EXPECT_EQ(r->geom.mmap_size, h->mmap_size);
	EXPECT_EQ(sizeof(struct rtpm_slot_meta), h->meta_size);
	ring_free(r);
}

/* A stopped ring: claim and push fail, pop fails, release still works. */
static void test_stopped_ring(void)
{
	struct ring *r = ring_new(2, 100, RTPM_DROP_TAIL, 0);
	u32 idx, len, a, b, c;

	EXPECT_EQ(-EPIPE, rtpm_core_claim(&r->core, &idx));
	EXPECT_EQ(-EPIPE, rtpm_core_pop(&r->core, &idx, &len));
	step(r);

	rtpm_core_start(&r->core);
	a = claim_ok(r);
	b = claim_ok(r);
	c = claim_ok(r);
	push_ok(r, a, 10);
	push_ok(r, b, 20);
	idx = pop_ok(r, NULL);
	EXPECT_EQ(a, idx);

	rtpm_core_stop(&r->core);
	step(r);
	EXPECT_EQ(0, stats(r).state);
	EXPECT_EQ(-EPIPE, rtpm_core_claim(&r->core, &idx));
	EXPECT_EQ(-EPIPE, rtpm_core_push(&r->core, c, 5, 0));
	EXPECT_TRUE(!rtpm_core_can_claim(&r->core));
	/* What is still READY can be popped, then EPIPE. */
	idx = pop_ok(r, &len);
	EXPECT_EQ(b, idx);
	EXPECT_EQ(20, len);
	EXPECT_EQ(-EPIPE, rtpm_core_pop(&r->core, &idx, &len));
	/* Release works while stopped: consumer's slots and producer's abort. */
	release_ok(r, a, false, true);
	release_ok(r, b, false, true);
	release_ok(r, c, true, false);
	EXPECT_EQ(1, stats(r).aborted);
	EXPECT_EQ(2, stats(r).released);
	EXPECT_EQ(4, stats(r).free);
	/* Stop is idempotent. */
	rtpm_core_stop(&r->core);
	step(r);
	ring_free(r);
}

/* The full cycle over a whole ring, pop order = push order, any release order. */
static void test_cycle_fifo_order(void)
{
	struct ring *r = ring_new(3, 100, RTPM_DROP_TAIL, 0);
	u32 idx[8], popped[8], seen = 0, i, len, x;
	struct rtpm_stats s;

	rtpm_core_start(&r->core);
	step(r);
	for (i = 0; i < 8; i++) {
		idx[i] = claim_ok(r);
		EXPECT_TRUE(!(seen & (1U << idx[i])));	/* all distinct */
		seen |= 1U << idx[i];
	}
	EXPECT_EQ(8, stats(r).filling);
	EXPECT_TRUE(!rtpm_core_can_claim(&r->core));
	EXPECT_EQ(-ENOBUFS, rtpm_core_claim(&r->core, &x));
	step(r);
	EXPECT_EQ(1, stats(r).overruns);
	EXPECT_EQ(0, stats(r).drops);

	/* Push in a shuffled order: pop must follow push order. */
	for (i = 0; i < 8; i++)
		push_ok(r, idx[(i * 3) % 8], 10 + i);
	for (i = 0; i < 8; i++) {
		popped[i] = pop_ok(r, &len);
		EXPECT_EQ(idx[(i * 3) % 8], popped[i]);
		EXPECT_EQ(10 + i, len);
	}
	EXPECT_EQ(-EAGAIN, rtpm_core_pop(&r->core, &x, &len));
	/* Release in another order. */
	for (i = 0; i < 8; i++)
		release_ok(r, popped[(i * 5) % 8], false, true);
	s = stats(r);
	EXPECT_EQ(8, s.pushed);
	EXPECT_EQ(8, s.popped);
	EXPECT_EQ(8, s.released);
	EXPECT_EQ(8 * 10 + 28, s.bytes_in);
	EXPECT_EQ(s.bytes_in, s.bytes_out);
	EXPECT_EQ(8, s.free);
	EXPECT_EQ(0, s.invalid);
	ring_free(r);
}

static void test_push_errors(void)
{
	struct ring *r = ring_new(2, 100, RTPM_DROP_TAIL, 0);
	u32 a, b, len;

	rtpm_core_start(&r->core);
	a = claim_ok(r);
	EXPECT_EQ(-ERANGE, rtpm_core_push(&r->core, 4, 10, 0));
	EXPECT_EQ(-ERANGE, rtpm_core_push(&r->core, ~0U, 10, 0));
	EXPECT_EQ(-EBADSLT, rtpm_core_push(&r->core, (a + 1) % 4, 10, 0)); /* FREE */
	EXPECT_EQ(-EMSGSIZE, rtpm_core_push(&r->core, a, 101, 0));
	step(r);
	EXPECT_EQ(4, stats(r).invalid);
	EXPECT_EQ(1, stats(r).filling);		/* the failed pushes left it FILLING */
	push_ok(r, a, 100);			/* the last valid length */
	EXPECT_EQ(-EBADSLT, rtpm_core_push(&r->core, a, 10, 0)); /* READY: double push */
	b = pop_ok(r, &len);
	EXPECT_EQ(a, b);
	EXPECT_EQ(100, len);
	EXPECT_EQ(-EBADSLT, rtpm_core_push(&r->core, a, 10, 0)); /* CONSUMED */
	step(r);
	EXPECT_EQ(6, stats(r).invalid);
	EXPECT_EQ(1, stats(r).rtp_not_rtp);	/* 100 zero bytes: version 0 */
	/* Length 0 is a valid (empty, not RTP) packet. */
	a = claim_ok(r);
	push_ok(r, a, 0);
	EXPECT_EQ(2, stats(r).rtp_not_rtp);
	ring_free(r);
}

static void test_release_errors(void)
{
	struct ring *r = ring_new(2, 100, RTPM_DROP_TAIL, 0);
	u32 a, b, c;

	rtpm_core_start(&r->core);
	a = claim_ok(r);
	b = claim_ok(r);
	push_ok(r, b, 1);
	c = pop_ok(r, NULL);
	EXPECT_EQ(b, c);

	EXPECT_EQ(-ERANGE, rtpm_core_release(&r->core, 4, true, true));
	/* A FILLING slot is the producer's, a CONSUMED one the consumer's. */
	EXPECT_EQ(-EBADSLT, rtpm_core_release(&r->core, a, false, true));
	EXPECT_EQ(-EBADSLT, rtpm_core_release(&r->core, b, true, false));
	/* A monitor holds nothing. */
	EXPECT_EQ(-EBADSLT, rtpm_core_release(&r->core, a, false, false));
	/* A FREE slot was never held. */
	EXPECT_EQ(-EBADSLT, rtpm_core_release(&r->core, free_slot(r), true, true));
	step(r);
	EXPECT_EQ(5, stats(r).invalid);

	release_ok(r, b, false, true);
	EXPECT_EQ(-EBADSLT, rtpm_core_release(&r->core, b, false, true)); /* double */
	release_ok(r, a, true, false);					  /* abort */
	EXPECT_EQ(-EBADSLT, rtpm_core_release(&r->core, a, true, false)); /* double */
	step(r);
	EXPECT_EQ(1, stats(r).released);
	EXPECT_EQ(1, stats(r).aborted);
	EXPECT_EQ(7, stats(r).invalid);

	/* A session with both roles releases both kinds. */
	a = claim_ok(r);
	b = claim_ok(r);
	push_ok(r, b, 1);
	pop_ok(r, NULL);
	release_ok(r, a, true, true);
	release_ok(r, b, true, true);
	EXPECT_EQ(4, stats(r).free);
	ring_free(r);
}

/* underruns: once per transition to empty, never for the first pop. */
static void test_underruns(void)
{
	struct ring *r = ring_new(2, 100, RTPM_DROP_TAIL, 0);
	u32 a, x, len;

	rtpm_core_start(&r->core);
	EXPECT_EQ(-EAGAIN, rtpm_core_pop(&r->core, &x, &len));
	EXPECT_EQ(-EAGAIN, rtpm_core_pop(&r->core, &x, &len));
	step(r);
	EXPECT_EQ(0, stats(r).underruns);
	a = claim_ok(r);
	push_ok(r, a, 1);
	a = pop_ok(r, NULL);
	release_ok(r, a, false, true);
	EXPECT_EQ(-EAGAIN, rtpm_core_pop(&r->core, &x, &len));
	EXPECT_EQ(-EAGAIN, rtpm_core_pop(&r->core, &x, &len));
	step(r);
	EXPECT_EQ(1, stats(r).underruns);
	a = claim_ok(r);
	push_ok(r, a, 1);
	pop_ok(r, NULL);
	rtpm_core_stop(&r->core);
	EXPECT_EQ(-EPIPE, rtpm_core_pop(&r->core, &x, &len));	/* stopped counts too */
	step(r);
	EXPECT_EQ(2, stats(r).underruns);
	ring_free(r);
}

/* START flushes READY slots of the earlier run; a second START does not. */
static void test_start_flush(void)
{
	struct ring *r = ring_new(3, 100, RTPM_DROP_TAIL, 0);
	u32 a, b, c, d;
	struct rtpm_stats s;

	rtpm_core_start(&r->core);
	a = claim_ok(r);
	b = claim_ok(r);
	c = claim_ok(r);
	d = claim_ok(r);
	push_ok(r, a, 1);
	push_ok(r, b, 2);
	push_ok(r, c, 3);
	EXPECT_EQ(a, pop_ok(r, NULL));
	rtpm_core_start(&r->core);		/* running: idempotent, no flush */
	step(r);
	EXPECT_EQ(0, stats(r).flushed);
	rtpm_core_stop(&r->core);
	step(r);
	rtpm_core_start(&r->core);
	step(r);
	s = stats(r);
	EXPECT_EQ(2, s.flushed);		/* b and c */
	EXPECT_EQ(0, s.ready);
	EXPECT_EQ(1, s.in_flight);		/* a stays with the consumer */
	EXPECT_EQ(1, s.filling);		/* d stays with the producer */
	EXPECT_EQ(RTPM_STATE_RUNNING, s.state);
	push_ok(r, d, 4);
	EXPECT_EQ(d, pop_ok(r, NULL));
	release_ok(r, a, false, true);
	release_ok(r, d, false, true);
	ring_free(r);
}

/* HEAD drop: a claim on a full ring recycles the oldest READY slot. */
static void test_head_drop(void)
{
	struct ring *r = ring_new(2, 100, RTPM_DROP_HEAD, 0);
	u32 idx[4], i, x, len;
	struct rtpm_stats s;

	rtpm_core_start(&r->core);
	for (i = 0; i < 4; i++) {
		idx[i] = claim_ok(r);
		push_ok(r, idx[i], i + 1);
	}
	EXPECT_TRUE(rtpm_core_can_claim(&r->core));
	x = claim_ok(r);
	EXPECT_EQ(idx[0], x);		/* the oldest */
	s = stats(r);
	EXPECT_EQ(1, s.head_drops);
	EXPECT_EQ(1, s.drops);
	EXPECT_EQ(1, s.overruns);
	EXPECT_EQ(3, s.ready);
	EXPECT_EQ(1, s.filling);
	push_ok(r, x, 9);
	/* Pop order: the remaining old ones, then the new one. */
	EXPECT_EQ(idx[1], pop_ok(r, &len));
	EXPECT_EQ(2, len);
	EXPECT_EQ(idx[2], pop_ok(r, NULL));
	EXPECT_EQ(idx[3], pop_ok(r, NULL));
	EXPECT_EQ(x, pop_ok(r, &len));
	EXPECT_EQ(9, len);
	/* Nothing FREE, nothing READY: fails like TAIL. */
	EXPECT_TRUE(!rtpm_core_can_claim(&r->core));
	EXPECT_EQ(-ENOBUFS, rtpm_core_claim(&r->core, &x));
	step(r);
	s = stats(r);
	EXPECT_EQ(2, s.overruns);
	EXPECT_EQ(1, s.head_drops);
	EXPECT_EQ(5, s.pushed);
	ring_free(r);
}

/* TAIL drop: the producer reports what it discarded; counted as drops. */
static void test_tail_drop_report(void)
{
	struct ring *r = ring_new(1, 100, RTPM_DROP_TAIL, 0);
	u32 x;

	rtpm_core_start(&r->core);
	push_ok(r, claim_ok(r), 1);
	push_ok(r, claim_ok(r), 1);
	EXPECT_TRUE(!rtpm_core_can_claim(&r->core));
	EXPECT_EQ(-ENOBUFS, rtpm_core_claim(&r->core, &x));
	EXPECT_EQ(-ENOBUFS, rtpm_core_claim(&r->core, &x));
	rtpm_core_count_drops(&r->core, 7);
	step(r);
	EXPECT_EQ(2, stats(r).overruns);
	EXPECT_EQ(7, stats(r).drops);
	EXPECT_EQ(0, stats(r).head_drops);
	EXPECT_EQ(2, stats(r).ready);		/* nothing READY was touched */
	ring_free(r);
}

/* A session that ends: its FILLING slots abort, its CONSUMED ones reclaim. */
static void test_session_end(void)
{
	struct ring *r = ring_new(3, 100, RTPM_DROP_TAIL, 0);
	u32 f1, f2, c1, c2, rd;
	struct rtpm_stats s;

	rtpm_core_start(&r->core);
	f1 = claim_ok(r);
	f2 = claim_ok(r);
	c1 = claim_ok(r);
	c2 = claim_ok(r);
	rd = claim_ok(r);
	push_ok(r, c1, 1);
	push_ok(r, c2, 1);
	push_ok(r, rd, 1);
	pop_ok(r, NULL);
	pop_ok(r, NULL);

	/* A monitor ending frees nothing. */
	EXPECT_EQ(0, rtpm_core_session_end(&r->core, false, false));
	step(r);
	/* The consumer ends. */
	EXPECT_EQ(2, rtpm_core_session_end(&r->core, false, true));
	step(r);
	s = stats(r);
	EXPECT_EQ(2, s.reclaimed);
	EXPECT_EQ(0, s.in_flight);
	EXPECT_EQ(2, s.filling);
	EXPECT_EQ(1, s.ready);
	/* The producer ends. */
	EXPECT_EQ(2, rtpm_core_session_end(&r->core, true, false));
	step(r);
	s = stats(r);
	EXPECT_EQ(2, s.aborted);
	EXPECT_EQ(0, s.filling);
	EXPECT_EQ(1, s.ready);		/* READY belongs to the ring: kept */
	EXPECT_EQ(7, s.free);
	EXPECT_EQ(RTPM_SLOT_FREE, r->core.slots[f1].state);
	EXPECT_EQ(RTPM_SLOT_FREE, r->core.slots[f2].state);
	/* A new consumer gets the READY slot. */
	EXPECT_EQ(rd, pop_ok(r, NULL));
	/* One session with both roles. */
	f1 = claim_ok(r);
	EXPECT_EQ(2, rtpm_core_session_end(&r->core, true, true));
	step(r);
	EXPECT_EQ(8, stats(r).free);
	ring_free(r);
}

/* RESET_STATS zeroes counters and keeps every invariant, in any state. */
static void test_reset_stats(void)
{
	struct ring *r = ring_new(3, 100, RTPM_DROP_HEAD, 0);
	u32 i, a, b, x, len;
	struct rtpm_stats s;

	rtpm_core_start(&r->core);
	for (i = 0; i < 6; i++)
		push_ok(r, claim_ok(r), 12);
	a = pop_ok(r, NULL);
	b = pop_ok(r, NULL);
	release_ok(r, a, false, true);
	x = claim_ok(r);			/* one FILLING */
	claim_ok(r);
	claim_ok(r);				/* a head drop */
	EXPECT_EQ(-EBADSLT, rtpm_core_push(&r->core, b, 1, 0));
	rtpm_core_count_drops(&r->core, 3);
	rtpm_core_stop(&r->core);
	rtpm_core_start(&r->core);		/* a flush */
	step(r);
	push_ok(r, x, 12);

	rtpm_core_reset_stats(&r->core);
	step(r);
	s = stats(r);
	EXPECT_EQ(s.ready + s.in_flight, s.pushed);
	EXPECT_EQ(s.in_flight, s.popped);
	EXPECT_EQ(0, s.released);
	EXPECT_EQ(0, s.bytes_in);
	EXPECT_EQ(0, s.bytes_out);
	EXPECT_EQ(0, s.overruns);
	EXPECT_EQ(0, s.drops);
	EXPECT_EQ(0, s.head_drops);
	EXPECT_EQ(0, s.flushed);
	EXPECT_EQ(0, s.reclaimed);
	EXPECT_EQ(0, s.aborted);
	EXPECT_EQ(0, s.underruns);
	EXPECT_EQ(0, s.invalid);
	EXPECT_EQ(0, s.rtp_not_rtp);
	EXPECT_EQ(1, s.in_flight);
	EXPECT_EQ(1, s.ready);
	/* Everything still works and balances afterwards. */
	EXPECT_EQ(x, pop_ok(r, &len));
	release_ok(r, b, false, true);
	release_ok(r, x, false, true);
	rtpm_core_session_end(&r->core, true, true);
	step(r);
	s = stats(r);
	EXPECT_EQ(8, s.free);
	EXPECT_EQ(s.popped, s.released + s.reclaimed);
	ring_free(r);
}

/* The mirror: payload and user_tag are user space's; push fills the RTP meta. */
static void test_mirror_meta(void)
{
	struct ring *r = ring_new(2, 100, RTPM_DROP_TAIL, 0);
	static const u8 rtp[12] = { 0x80, 0x60, 0x12, 0x34, 0xde, 0xad, 0xbe,
				    0xef, 0x01, 0x02, 0x03, 0x04 };
	struct rtpm_slot_meta *m;
	u32 a;

	rtpm_core_start(&r->core);
	a = claim_ok(r);
	m = rtpm_core_meta(&r->core, a);
	EXPECT_EQ(RTPM_SLOT_FILLING, m->state);
	m->user_tag = 0x1122334455667788ULL;
	memcpy((u8 *)m + m->len + r->core.geom.meta_size, rtp, sizeof(rtp));
	EXPECT_EQ(0, rtpm_core_push(&r->core, a, 12, 777));
	step(r);
	EXPECT_EQ(RTPM_SLOT_READY, m->state);
	EXPECT_EQ(12, m->len);
	EXPECT_EQ(RTPM_META_RTP, m->flags);
	EXPECT_EQ(0x1234, m->rtp_seq);
	EXPECT_EQ(0xdeadbeefU, m->rtp_timestamp);
	EXPECT_EQ(0x01020304U, m->rtp_ssrc);
	EXPECT_EQ(777, m->push_ns);
	EXPECT_EQ(0x1122334455667788ULL, m->user_tag);
	EXPECT_EQ(a, pop_ok(r, NULL));
	EXPECT_EQ(RTPM_SLOT_CONSUMED, m->state);
	release_ok(r, a, false, true);
	EXPECT_EQ(RTPM_SLOT_FREE, m->state);
	EXPECT_EQ(0x1122334455667788ULL, m->user_tag);

	/* Scribbling over the mirror changes nothing the kernel decides... */
	m->state = RTPM_SLOT_FILLING;
	r->core.hdr->free = 0;
	r->core.hdr->slot_count = 1;
	EXPECT_EQ(-EBADSLT, rtpm_core_push(&r->core, a, 12, 0));
	EXPECT_EQ(4, stats(r).free);
	EXPECT_EQ(0, rtpm_core_check(&r->core));
	/* ...and the next publish rewrites the live words (metas: their next transition). */
	rtpm_core_publish(&r->core);
	EXPECT_EQ(4, r->core.hdr->free);
	m->state = RTPM_SLOT_FREE;
	r->core.hdr->slot_count = 4;
	step(r);
	ring_free(r);
}

/* With tracking off nothing is parsed: no RTP counters, meta flags 0. */
static void test_tracking_off(void)
{
	struct ring *r = ring_new(2, 100, RTPM_DROP_TAIL, RTPM_CFG_NO_RTP_TRACKING);
	u32 a;

	rtpm_core_start(&r->core);
	a = claim_ok(r);
	push_ok(r, a, 0);			/* would be not_rtp */
	EXPECT_EQ(0, rtpm_core_meta(&r->core, a)->flags);
	EXPECT_EQ(0, stats(r).rtp_not_rtp);
	ring_free(r);
}

/* Only the pushed length is parsed, not stale bytes after it. */
static void test_rtp_reads_only_len(void)
{
	struct ring *r = ring_new(2, 100, RTPM_DROP_TAIL, 0);
	static const u8 rtp[12] = { 0x80, 0x60, 0, 1, 0, 0, 0, 0, 0, 0, 0, 9 };
	u32 a;

	rtpm_core_start(&r->core);
	a = claim_ok(r);
	memcpy((u8 *)rtpm_core_payload(&r->core, a), rtp, sizeof(rtp));
	push_ok(r, a, 11);
	EXPECT_EQ(RTPM_META_NOT_RTP, rtpm_core_meta(&r->core, a)->flags);
	EXPECT_EQ(1, stats(r).rtp_not_rtp);
	EXPECT_EQ(0, stats(r).rtp_ssrc);
	ring_free(r);
}

/* Slot metas carry the extended sequence number nearest the highest seen. */
static void test_rtp_ext_seq(void)
{
	static const u16 seqs[] = { 65534, 65535, 0, 65535, 1, 65533 };
	static const u32 ext[] = { 65534, 65535, 65536, 65535, 65537, 65533 };
	struct ring *r = ring_new(3, 100, RTPM_DROP_TAIL, 0);
	u8 p[12] = { 0x80, 0x60, 0, 0, 0, 0, 0, 7, 0, 0, 0, 9 };
	u32 i, a;

	rtpm_core_start(&r->core);
	for (i = 0; i < ARRAY_SIZE(seqs); i++) {
		a = claim_ok(r);
		p[2] = seqs[i] >> 8;
		p[3] = (u8)seqs[i];
		memcpy((u8 *)rtpm_core_payload(&r->core, a), p, sizeof(p));
		push_ok(r, a, sizeof(p));
		EXPECT_EQ(ext[i], rtpm_core_meta(&r->core, a)->rtp_seq);
		EXPECT_EQ(7, rtpm_core_meta(&r->core, a)->rtp_timestamp);
		EXPECT_EQ(9, rtpm_core_meta(&r->core, a)->rtp_ssrc);
		release_ok(r, pop_ok(r, NULL), false, true);
	}
	EXPECT_EQ(65537, stats(r).rtp_max_seq);
	EXPECT_EQ(1, stats(r).rtp_duplicates);	/* the second 65535 */
	EXPECT_EQ(1, stats(r).rtp_reorders);	/* 65533, never seen */
	ring_free(r);
}

/* Deterministic random walk against a model of the ring; invariants every step. */
static void test_random_walk(void)
{
	static u32 model_ready[1 << 5];
	u32 mhead = 0, mtail = 0, seed = 12345, n, i, idx, len, held;
	struct ring *r;

	for (u32 policy = RTPM_DROP_TAIL; policy <= RTPM_DROP_HEAD; policy++) {
		r = ring_new(5, 64, policy, 0);
		mhead = 0;
		mtail = 0;
		rtpm_core_start(&r->core);
		for (n = 0; n < 20000 && !cur_failed; n++) {
			seed = seed * 1103515245 + 12345;
			i = (seed >> 16) % 32;
			switch ((seed >> 8) % 8) {
			case 0:
			case 1:
				if (!rtpm_core_claim(&r->core, &idx) &&
				    policy == RTPM_DROP_HEAD &&
				    mtail - mhead == r->core.ready.tail - r->core.ready.head + 1)
					mhead++;	/* recycled the model's oldest */
				break;
			case 2:
			case 3:
				if (r->core.slots[i].state == RTPM_SLOT_FILLING) {
					EXPECT_EQ(0, rtpm_core_push(&r->core, i, i, n));
					model_ready[mtail++ % 32] = i;
				} else {
					EXPECT_EQ(-EBADSLT, rtpm_core_push(&r->core, i, 1, n));
				}
				break;
			case 4:
				if (!rtpm_core_pop(&r->core, &idx, &len)) {
					EXPECT_EQ(model_ready[mhead++ % 32], idx);
					EXPECT_EQ(idx, len);
				} else {
					EXPECT_EQ(mhead, mtail);
				}
				break;
			case 5:
			case 6:
				held = r->core.slots[i].state;
				held = held == RTPM_SLOT_FILLING ||
				       held == RTPM_SLOT_CONSUMED;
				EXPECT_EQ(held ? 0 : -EBADSLT,
					  rtpm_core_release(&r->core, i, true, true));
				break;
			default:
				if (i == 0) {
					rtpm_core_stop(&r->core);
					rtpm_core_start(&r->core);
					mhead = mtail;	/* flushed */
				} else if (i == 1) {
					rtpm_core_reset_stats(&r->core);
				} else if (i == 2) {
					rtpm_core_session_end(&r->core, true, true);
				}
				break;
			}
			step(r);
			EXPECT_EQ(mtail - mhead, stats(r).ready);
		}
		ring_free(r);
	}
}

/* ------------------------------------------------------------------ */
/* rtp_tracking.vec                                                    */

static const char *vec_path = "rtp_tracking.vec";

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool parse_num(const char *s, u64 *v)
{
	char *end;

	if (!s || !*s)
		return false;
	*v = strtoull(s, &end, 0);
	return *end == '\0';
}

/* Push one packet through claim, push, pop and release. */
static void vec_push(struct ring *r, const u8 *pkt, u32 len, int line)
{
	u32 a, b, l;

	if (rtpm_core_claim(&r->core, &a)) {
		FAIL("line %d: claim failed", line);
		return;
	}
	memcpy((u8 *)rtpm_core_payload(&r->core, a), pkt, len);
	EXPECT_EQ(0, rtpm_core_push(&r->core, a, len, 0));
	step(r);
	EXPECT_EQ(0, rtpm_core_pop(&r->core, &b, &l));
	EXPECT_EQ(a, b);
	EXPECT_EQ(len, l);
	release_ok(r, b, false, true);
}

static void test_rtp_vectors(void)
{
	static const char *const keys[] = { "lost", "duplicates", "reorders",
		"resets", "not_rtp", "ssrc", "max_seq" };
	char buf[512], *tok[12], *save, *hash;
	int line = 0, cases = 0, expects = 0, ntok;
	struct ring *r = NULL;
	FILE *f = fopen(vec_path, "r");

	if (!f) {
		FAIL("cannot open %s", vec_path);
		return;
	}
	while (fgets(buf, sizeof(buf), f)) {
		line++;
		hash = strchr(buf, '#');
		if (hash)
			*hash = '\0';
		ntok = 0;
		for (char *t = strtok_r(buf, " \t\r\n", &save); t && ntok < 12;
		     t = strtok_r(NULL, " \t\r\n", &save))
			tok[ntok++] = t;
		if (!ntok)
			continue;
		if (!strcmp(tok[0], "case") && ntok == 2) {
			if (r)
				ring_free(r);
			r = ring_new(2, 1500, RTPM_DROP_TAIL, 0);
			rtpm_core_start(&r->core);
			cases++;
		} else if (!r) {
			FAIL("line %d: '%s' before any case", line, tok[0]);
			break;
		} else if (!strcmp(tok[0], "rtp") && ntok == 4) {
			u64 ssrc, seq, ts;
			u8 p[12] = { 0x80, 0x60 };
			u32 a;

			if (!parse_num(tok[1], &ssrc) || !parse_num(tok[2], &seq) ||
			    !parse_num(tok[3], &ts) || ssrc > UINT32_MAX ||
			    seq > 0xffff || ts > UINT32_MAX) {
				FAIL("line %d: bad rtp line", line);
				break;
			}
			p[2] = seq >> 8;
			p[3] = seq;
			for (int k = 0; k < 4; k++) {
				p[4 + k] = ts >> (24 - 8 * k);
				p[8 + k] = ssrc >> (24 - 8 * k);
			}
			a = r->core.free.idx[r->core.free.head & r->core.free.mask];
			vec_push(r, p, sizeof(p), line);
			EXPECT_EQ(RTPM_META_RTP, rtpm_core_meta(&r->core, a)->flags);
			EXPECT_EQ(ssrc, rtpm_core_meta(&r->core, a)->rtp_ssrc);
			EXPECT_EQ(ts, rtpm_core_meta(&r->core, a)->rtp_timestamp);
		} else if (!strcmp(tok[0], "raw") && ntok == 2) {
			u8 p[256];
			size_t n = strcmp(tok[1], "-") ? strlen(tok[1]) : 0;

			if (n % 2 || n / 2 > sizeof(p)) {
				FAIL("line %d: bad raw line", line);
				break;
			}
			for (size_t k = 0; k < n / 2; k++) {
				int hi = hexval(tok[1][2 * k]), lo = hexval(tok[1][2 * k + 1]);

				if (hi < 0 || lo < 0) {
					FAIL("line %d: bad hex", line);
					goto out;
				}
				p[k] = (u8)(hi << 4 | lo);
			}
			vec_push(r, p, (u32)(n / 2), line);
		} else if (!strcmp(tok[0], "expect") && ntok == 8) {
			struct rtpm_stats s = stats(r);
			u64 got[7] = { s.rtp_lost, s.rtp_duplicates, s.rtp_reorders,
				       s.rtp_resets, s.rtp_not_rtp, s.rtp_ssrc,
				       s.rtp_max_seq };

			for (int k = 0; k < 7; k++) {
				size_t kl = strlen(keys[k]);
				u64 want;

				if (strncmp(tok[k + 1], keys[k], kl) ||
				    tok[k + 1][kl] != '=' ||
				    !parse_num(tok[k + 1] + kl + 1, &want)) {
					FAIL("line %d: expected %s=N", line, keys[k]);
					goto out;
				}
				if (want != got[k])
					FAIL("line %d: %s = %" PRIu64 ", expected %" PRIu64,
					     line, keys[k], got[k], want);
			}
			expects++;
		} else {
			FAIL("line %d: cannot parse '%s'", line, tok[0]);
			break;
		}
	}
out:
	if (r)
		ring_free(r);
	fclose(f);
	/* A truncated or emptied vector file must not pass quietly. */
	if (cases < 15 || expects < 25)
		FAIL("only %d cases and %d expect lines in %s", cases, expects,
		     vec_path);
}

static const struct {
	const char *name;
	void (*fn)(void);
} tests[] = {
	{ "geom_limits", test_geom_limits },
	{ "init_state", test_init_state },
	{ "stopped_ring", test_stopped_ring },
	{ "cycle_fifo_order", test_cycle_fifo_order },
	{ "push_errors", test_push_errors },
	{ "release_errors", test_release_errors },
	{ "underruns", test_underruns },
	{ "start_flush", test_start_flush },
	{ "head_drop", test_head_drop },
	{ "tail_drop_report", test_tail_drop_report },
	{ "session_end", test_session_end },
	{ "reset_stats", test_reset_stats },
	{ "mirror_meta", test_mirror_meta },
	{ "tracking_off", test_tracking_off },
	{ "rtp_reads_only_len", test_rtp_reads_only_len },
	{ "rtp_ext_seq", test_rtp_ext_seq },
	{ "random_walk", test_random_walk },
	{ "rtp_vectors", test_rtp_vectors },
};

int main(int argc, char **argv)
{
	int passed = 0, failed = 0;
	size_t i;

	if (argc > 1)
		vec_path = argv[1];
	printf("1..%zu\n", ARRAY_SIZE(tests));
	for (i = 0; i < ARRAY_SIZE(tests); i++) {
		cur_test = tests[i].name;
		cur_failed = 0;
		tests[i].fn();
		printf("%s %zu - %s\n", cur_failed ? "not ok" : "ok", i + 1,
		       tests[i].name);
		if (cur_failed)
			failed++;
		else
			passed++;
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
