// SPDX-License-Identifier: MIT
/*
 * data_test.c - the data plane of rtp_mgr: claim, push, pop and release,
 * single and batch; slot ownership errors; stop/start/flush; both drop
 * policies; underruns; the stats invariants after every scenario.
 */
#define _GNU_SOURCE
#include <sys/mman.h>
#include <unistd.h>

#include "rtpm_util.h"

#define ORDER	3
#define SLOTS	(1u << ORDER)
#define PAYLOAD	256

FIXTURE(dp) {
	int admin;
	int p;		/* producer session */
	int c;		/* consumer session */
};

static void dp_setup(struct th_meta *_metadata, FIXTURE_DATA(dp) *self,
		     uint32_t policy)
{
	self->admin = self->p = self->c = -1;
	rtpm_ring_clean(RING);
	self->admin = rtpm_open();
	ASSERT_EQ(0, rtpm_configure(self->admin, RING, ORDER, PAYLOAD, policy,
				    RTPM_CFG_NO_RTP_TRACKING));
	self->p = rtpm_open();
	self->c = rtpm_open();
	ASSERT_EQ(0, rtpm_attach(self->p, RING, RTPM_ROLE_PRODUCER));
	ASSERT_EQ(0, rtpm_attach(self->c, RING, RTPM_ROLE_CONSUMER));
	ASSERT_EQ(0, rtpm_ref(self->admin, RTPM_IOC_START, RING));
}

static void dp_teardown(struct th_meta *_metadata, FIXTURE_DATA(dp) *self)
{
	/* Every scenario ends with the invariants holding. */
	if (self->admin >= 0 && !_metadata->failed)
		ASSERT_INVARIANTS(self->admin, RING);
	if (self->p >= 0)
		close(self->p);
	if (self->c >= 0)
		close(self->c);
	if (self->admin >= 0 && !_metadata->failed) {
		struct rtpm_stats st;

		/* With both sessions gone nothing may stay held. */
		ASSERT_EQ(0, rtpm_stats(self->admin, RING, &st));
		EXPECT_EQ(0, st.filling);
		EXPECT_EQ(0, st.in_flight);
		EXPECT_EQ(0, st.sessions);
		ASSERT_INVARIANTS(self->admin, RING);
	}
	if (self->admin >= 0)
		close(self->admin);
	rtpm_ring_clean(RING);
}

FIXTURE_SETUP(dp) { dp_setup(_metadata, self, RTPM_DROP_TAIL); }
FIXTURE_TEARDOWN(dp) { dp_teardown(_metadata, self); }

/* The head-drop variant of the same fixture (same layout, so it reuses dp's code). */
FIXTURE(hd) { int admin, p, c; };
FIXTURE_SETUP(hd) { dp_setup(_metadata, (FIXTURE_DATA(dp) *)self, RTPM_DROP_HEAD); }
FIXTURE_TEARDOWN(hd) { dp_teardown(_metadata, (FIXTURE_DATA(dp) *)self); }

#define STATS(st) ASSERT_EQ(0, rtpm_stats(self->admin, RING, &(st)))

/* One packet through every state, with the gauges and counters at each step. */
TEST_F(dp, single_round_trip)
{
	struct rtpm_slot_desc d = { .index = 77, .len = 77 };
	struct rtpm_stats st;
	uint32_t idx, pidx, len;

	ASSERT_EQ(0, rtpm_ioc(self->p, RTPM_IOC_CLAIM, &d));
	EXPECT_GT(SLOTS, d.index);
	EXPECT_EQ(PAYLOAD, d.len);
	idx = d.index;
	STATS(st);
	EXPECT_EQ(1, st.filling);
	EXPECT_EQ(SLOTS - 1, st.free);
	ASSERT_EQ(0, rtpm_push(self->p, idx, 100));
	STATS(st);
	EXPECT_EQ(0, st.filling);
	EXPECT_EQ(1, st.ready);
	EXPECT_EQ(1, st.pushed);
	EXPECT_EQ(100, st.bytes_in);
	ASSERT_EQ(0, rtpm_pop(self->c, &pidx, &len));
	EXPECT_EQ(idx, pidx);
	EXPECT_EQ(100, len);
	STATS(st);
	EXPECT_EQ(0, st.ready);
	EXPECT_EQ(1, st.in_flight);
	EXPECT_EQ(1, st.popped);
	EXPECT_EQ(100, st.bytes_out);
	ASSERT_EQ(0, rtpm_release(self->c, idx));
	STATS(st);
	EXPECT_EQ(SLOTS, st.free);
	EXPECT_EQ(1, st.released);
	EXPECT_EQ(0, st.invalid);
	EXPECT_EQ(0, st.aborted);
}

/* Pop order is push order, whatever order the slots were claimed in. */
TEST_F(dp, pop_order_is_push_order)
{
	uint32_t idx[4], order[4] = { 2, 0, 3, 1 }, got, len;
	int k;

	for (k = 0; k < 4; k++)
		ASSERT_EQ(0, rtpm_claim(self->p, &idx[k]));
	for (k = 0; k < 4; k++)
		ASSERT_EQ(0, rtpm_push(self->p, idx[order[k]], 20 + order[k]));
	for (k = 0; k < 4; k++) {
		ASSERT_EQ(0, rtpm_pop(self->c, &got, &len));
		EXPECT_EQ(idx[order[k]], got);
		EXPECT_EQ(20 + order[k], len);
	}
	/* Release in yet another order. */
	for (k = 3; k >= 0; k--)
		ASSERT_EQ(0, rtpm_release(self->c, idx[k]));
}

/* Claimed slots are distinct and all slots can be claimed, no more (TAIL). */
TEST_F(dp, claim_on_full_enobufs)
{
	struct rtpm_stats st;
	uint32_t idx[SLOTS], seen = 0, x;
	unsigned int k;

	for (k = 0; k < SLOTS; k++) {
		ASSERT_EQ(0, rtpm_claim(self->p, &idx[k]));
		ASSERT_GT(SLOTS, idx[k]);
		EXPECT_EQ(0, seen & (1u << idx[k]));
		seen |= 1u << idx[k];
	}
	EXPECT_EQ(-ENOBUFS, rtpm_claim(self->p, &x));
	EXPECT_EQ(-ENOBUFS, rtpm_claim(self->p, &x));
	STATS(st);
	EXPECT_EQ(2, st.overruns);
	EXPECT_EQ(0, st.free);
	EXPECT_EQ(SLOTS, st.filling);
	/* Full of READY slots is full too. */
	for (k = 0; k < SLOTS; k++)
		ASSERT_EQ(0, rtpm_push(self->p, idx[k], 12));
	EXPECT_EQ(-ENOBUFS, rtpm_claim(self->p, &x));
	STATS(st);
	EXPECT_EQ(3, st.overruns);
	EXPECT_EQ(0, st.drops);
	EXPECT_EQ(SLOTS, st.ready);
	EXPECT_EQ(0, st.invalid);
}

/* The producer reports its discarded packets in the next claim batch. */
TEST_F(dp, claim_batch_reports_dropped)
{
	struct rtpm_slot_desc d[2];
	struct rtpm_stats st;
	uint32_t done;

	ASSERT_EQ(0, rtpm_batch(self->p, RTPM_IOC_CLAIM_BATCH, RING, d, 2, 5, &done));
	EXPECT_EQ(2, done);
	ASSERT_EQ(0, rtpm_batch(self->p, RTPM_IOC_CLAIM_BATCH, RING, d, 1, 7, &done));
	STATS(st);
	EXPECT_EQ(12, st.drops);
	EXPECT_EQ(0, st.overruns);
	EXPECT_EQ(0, st.head_drops);
	/* dropped on any other batch is EINVAL. */
	EXPECT_EQ(-EINVAL, rtpm_batch(self->p, RTPM_IOC_PUSH_BATCH, RING, d, 1, 1, &done));
	EXPECT_EQ(-EINVAL, rtpm_batch(self->c, RTPM_IOC_POP_BATCH, RING, d, 1, 1, &done));
	EXPECT_EQ(-EINVAL, rtpm_batch(self->c, RTPM_IOC_RELEASE_BATCH, RING, d, 1, 1, &done));
	STATS(st);
	EXPECT_EQ(12, st.drops);
	EXPECT_EQ(3, st.invalid);
}

/* PUSH: index range, slot state and length, each with its errno. */
TEST_F(dp, push_errors)
{
	struct rtpm_stats st;
	uint32_t a, b, f = 0, len;

	ASSERT_EQ(0, rtpm_claim(self->p, &a));
	ASSERT_EQ(0, rtpm_claim(self->p, &b));
	while (f == a || f == b)
		f++;
	EXPECT_EQ(-ERANGE, rtpm_push(self->p, SLOTS, 12));	/* first invalid */
	EXPECT_EQ(-ERANGE, rtpm_push(self->p, ~0u, 12));
	EXPECT_EQ(-ERANGE, rtpm_push(self->p, 1u << 31, 12));
	/* A FREE slot: not FILLING. */
	EXPECT_EQ(-EBADSLT, rtpm_push(self->p, f, 12));
	EXPECT_EQ(-EMSGSIZE, rtpm_push(self->p, a, PAYLOAD + 1));
	EXPECT_EQ(-EMSGSIZE, rtpm_push(self->p, a, ~0u));
	STATS(st);
	EXPECT_EQ(6, st.invalid);
	EXPECT_EQ(2, st.filling);
	/* The last valid length, and a short (not RTP) one. */
	EXPECT_EQ(0, rtpm_push(self->p, a, PAYLOAD));
	EXPECT_EQ(0, rtpm_push(self->p, b, 0));
	/* Pushing twice: READY is not FILLING. */
	EXPECT_EQ(-EBADSLT, rtpm_push(self->p, a, 12));
	ASSERT_EQ(0, rtpm_pop(self->c, &a, &len));
	EXPECT_EQ(PAYLOAD, len);
	/* CONSUMED is not FILLING either. */
	EXPECT_EQ(-EBADSLT, rtpm_push(self->p, a, 12));
	ASSERT_EQ(0, rtpm_pop(self->c, &b, &len));
	EXPECT_EQ(0, len);
	STATS(st);
	EXPECT_EQ(8, st.invalid);
	EXPECT_EQ(PAYLOAD, st.bytes_in);
	EXPECT_EQ(PAYLOAD, st.bytes_out);
	ASSERT_EQ(0, rtpm_release(self->c, a));
	ASSERT_EQ(0, rtpm_release(self->c, b));
}

/* RELEASE: range, slots not held, double release, the producer's abort. */
/*
 * RELEASE's len is ignored, not reserved (docs/ABI.md): a pop's descriptor
 * is released as it came back, single and batched, whatever len holds.
 */
TEST_F(dp, release_len_is_ignored)
{
	struct rtpm_slot_desc d[2];
	struct rtpm_stats st;
	uint32_t a, b, done;

	ASSERT_EQ(0, rtpm_claim(self->p, &a));
	ASSERT_EQ(0, rtpm_claim(self->p, &b));
	ASSERT_EQ(0, rtpm_push(self->p, a, 12));
	d[0] = (struct rtpm_slot_desc){ .index = b, .len = 0xffffffffu };
	ASSERT_EQ(0, rtpm_ioc(self->p, RTPM_IOC_RELEASE, &d[0]));	/* abort */
	ASSERT_EQ(0, rtpm_batch(self->c, RTPM_IOC_POP_BATCH, RING, d, 2, 0, &done));
	ASSERT_EQ(1, done);
	EXPECT_EQ(12, d[0].len);
	d[0].len = 0x80000000u;
	ASSERT_EQ(0, rtpm_batch(self->c, RTPM_IOC_RELEASE_BATCH, RING, d, 1, 0, &done));
	EXPECT_EQ(1, done);
	STATS(st);
	EXPECT_EQ(1, st.released);
	EXPECT_EQ(1, st.aborted);
	EXPECT_EQ(0, st.invalid);
	EXPECT_EQ(SLOTS, st.free);
}

TEST_F(dp, release_errors_and_abort)
{
	struct rtpm_stats st;
	uint32_t a, b, x, len;

	EXPECT_EQ(-ERANGE, rtpm_release(self->c, SLOTS));
	EXPECT_EQ(-ERANGE, rtpm_release(self->p, ~0u));
	EXPECT_EQ(-EBADSLT, rtpm_release(self->c, 0));	/* FREE */
	EXPECT_EQ(-EBADSLT, rtpm_release(self->p, 0));
	ASSERT_EQ(0, rtpm_claim(self->p, &a));
	ASSERT_EQ(0, rtpm_claim(self->p, &b));
	/* The consumer does not hold the producer's FILLING slot. */
	EXPECT_EQ(-EBADSLT, rtpm_release(self->c, a));
	ASSERT_EQ(0, rtpm_push(self->p, a, 12));
	/* READY belongs to the ring: nobody may release it. */
	EXPECT_EQ(-EBADSLT, rtpm_release(self->p, a));
	EXPECT_EQ(-EBADSLT, rtpm_release(self->c, a));
	ASSERT_EQ(0, rtpm_pop(self->c, &x, &len));
	ASSERT_EQ(a, x);
	/* The producer does not hold the consumer's CONSUMED slot. */
	EXPECT_EQ(-EBADSLT, rtpm_release(self->p, a));
	ASSERT_EQ(0, rtpm_release(self->c, a));
	/* Double release. */
	EXPECT_EQ(-EBADSLT, rtpm_release(self->c, a));
	/* Abort a claim; then it is not held any more. */
	ASSERT_EQ(0, rtpm_release(self->p, b));
	EXPECT_EQ(-EBADSLT, rtpm_release(self->p, b));
	EXPECT_EQ(-EBADSLT, rtpm_push(self->p, b, 12));
	STATS(st);
	EXPECT_EQ(1, st.aborted);
	EXPECT_EQ(1, st.released);
	EXPECT_EQ(SLOTS, st.free);
	EXPECT_EQ(11, st.invalid);
}

/* A session with both roles aborts FILLING and frees CONSUMED slots. */
TEST(both_roles_in_one_session)
{
	struct rtpm_stats st;
	uint32_t a, b, x, len;
	int admin, s;

	rtpm_ring_clean(RING);
	admin = rtpm_open();
	s = rtpm_open();
	ASSERT_EQ(0, rtpm_configure(admin, RING, 2, 64, RTPM_DROP_TAIL, 0));
	ASSERT_EQ(0, rtpm_attach(s, RING, RTPM_ROLE_PRODUCER | RTPM_ROLE_CONSUMER));
	ASSERT_EQ(0, rtpm_ref(admin, RTPM_IOC_START, RING));
	ASSERT_EQ(0, rtpm_claim(s, &a));
	ASSERT_EQ(0, rtpm_claim(s, &b));
	ASSERT_EQ(0, rtpm_push(s, a, 40));
	ASSERT_EQ(0, rtpm_pop(s, &x, &len));
	EXPECT_EQ(a, x);
	EXPECT_EQ(0, rtpm_release(s, b));	/* abort */
	EXPECT_EQ(0, rtpm_release(s, a));	/* consumed */
	ASSERT_EQ(0, rtpm_stats(admin, RING, &st));
	EXPECT_EQ(1, st.aborted);
	EXPECT_EQ(1, st.released);
	EXPECT_EQ(4, st.free);
	close(s);
	close(admin);
	rtpm_ring_clean(RING);
}

/* Pop on empty: EAGAIN while running; underruns count transitions only. */
TEST_F(dp, pop_on_empty_and_underruns)
{
	struct rtpm_stats st;
	uint64_t u0;
	uint32_t a, x, len;
	int k;

	EXPECT_EQ(-EAGAIN, rtpm_pop(self->c, &x, &len));
	STATS(st);
	u0 = st.underruns;
	EXPECT_EQ(0, u0);	/* nothing was found before: no transition */
	for (k = 1; k <= 3; k++) {
		ASSERT_EQ(0, rtpm_claim(self->p, &a));
		ASSERT_EQ(0, rtpm_push(self->p, a, 12));
		ASSERT_EQ(0, rtpm_pop(self->c, &x, &len));
		ASSERT_EQ(0, rtpm_release(self->c, x));
		EXPECT_EQ(-EAGAIN, rtpm_pop(self->c, &x, &len));
		EXPECT_EQ(-EAGAIN, rtpm_pop(self->c, &x, &len));
		STATS(st);
		EXPECT_EQ(u0 + k, st.underruns);
	}
	/* A short pop batch found something: only the next empty pop counts. */
	{
		struct rtpm_slot_desc d[4];
		uint32_t done;

		ASSERT_EQ(0, rtpm_claim(self->p, &a));
		ASSERT_EQ(0, rtpm_push(self->p, a, 12));
		ASSERT_EQ(0, rtpm_batch(self->c, RTPM_IOC_POP_BATCH, RING, d, 4, 0, &done));
		EXPECT_EQ(1, done);
		STATS(st);
		EXPECT_EQ(u0 + 3, st.underruns);
		ASSERT_EQ(0, rtpm_release(self->c, d[0].index));
		EXPECT_EQ(-EAGAIN, rtpm_batch(self->c, RTPM_IOC_POP_BATCH, RING, d, 4, 0, &done));
		STATS(st);
		EXPECT_EQ(u0 + 4, st.underruns);
	}
	EXPECT_EQ(0, st.invalid);	/* an empty pop is not invalid */
}

/* Batches: done counts successes; the first bad entry's errno is returned. */
TEST_F(dp, batch_semantics)
{
	struct rtpm_slot_desc d[SLOTS + 2];
	struct rtpm_stats st;
	uint32_t done, k, claimed[SLOTS];

	memset(d, 0xee, sizeof(d));
	ASSERT_EQ(0, rtpm_batch(self->p, RTPM_IOC_CLAIM_BATCH, RING, d, 3, 0, &done));
	EXPECT_EQ(3, done);
	for (k = 0; k < 3; k++) {
		EXPECT_GT(SLOTS, d[k].index);
		EXPECT_EQ(PAYLOAD, d[k].len);
		claimed[k] = d[k].index;
	}
	EXPECT_NE(d[0].index, d[1].index);
	EXPECT_NE(d[1].index, d[2].index);
	EXPECT_NE(d[0].index, d[2].index);

	/* Push three, the second one bad (too long): done 1, EMSGSIZE. */
	d[0].len = 30;
	d[1].len = PAYLOAD + 1;
	d[2].len = 32;
	EXPECT_EQ(-EMSGSIZE, rtpm_batch(self->p, RTPM_IOC_PUSH_BATCH, RING, d, 3, 0, &done));
	EXPECT_EQ(1, done);
	/* Resume from the bad entry, now fixed; the third is out of range. */
	d[1].len = 31;
	d[3] = (struct rtpm_slot_desc){ .index = SLOTS, .len = 12 };
	EXPECT_EQ(-ERANGE, rtpm_batch(self->p, RTPM_IOC_PUSH_BATCH, RING, d + 1, 3, 0, &done));
	EXPECT_EQ(2, done);
	STATS(st);
	EXPECT_EQ(3, st.ready);
	EXPECT_EQ(93, st.bytes_in);

	/* Pop asks for more than is READY: gets the 3, call succeeds. */
	memset(d, 0xee, sizeof(d));
	ASSERT_EQ(0, rtpm_batch(self->c, RTPM_IOC_POP_BATCH, RING, d, SLOTS, 0, &done));
	EXPECT_EQ(3, done);
	for (k = 0; k < 3; k++) {
		EXPECT_EQ(claimed[k], d[k].index);
		EXPECT_EQ(30 + k, d[k].len);
	}
	/* Nothing READY: EAGAIN, done 0. */
	EXPECT_EQ(-EAGAIN, rtpm_batch(self->c, RTPM_IOC_POP_BATCH, RING, d + 4, 2, 0, &done));
	EXPECT_EQ(0, done);

	/* Release with a double entry: the second copy fails. */
	d[3] = d[0];
	EXPECT_EQ(-EBADSLT, rtpm_batch(self->c, RTPM_IOC_RELEASE_BATCH, RING, d, 4, 0, &done));
	EXPECT_EQ(3, done);
	STATS(st);
	EXPECT_EQ(SLOTS, st.free);
	EXPECT_EQ(3, st.released);
	EXPECT_EQ(3, st.invalid);	/* EMSGSIZE, ERANGE, EBADSLT */

	/* Claim more than is free: all free slots, then ENOBUFS. */
	EXPECT_EQ(-ENOBUFS, rtpm_batch(self->p, RTPM_IOC_CLAIM_BATCH, RING, d, SLOTS + 2, 0, &done));
	EXPECT_EQ(SLOTS, done);
	STATS(st);
	EXPECT_EQ(1, st.overruns);
	EXPECT_EQ(SLOTS, st.filling);
	/* Abort them all in one batch. */
	EXPECT_EQ(0, rtpm_batch(self->p, RTPM_IOC_RELEASE_BATCH, RING, d, SLOTS, 0, &done));
	EXPECT_EQ(SLOTS, done);
	STATS(st);
	EXPECT_EQ(SLOTS, st.aborted);
}

/*
 * The module writes user memory only where a call says it does: a batch's
 * `done` entries (never the rest of count, never past it), the header's
 * done word (nothing else of the header) and one descriptor for a single
 * call. A write past them would corrupt whatever the caller keeps there,
 * e.g. a JVM's native heap, far from the call.
 */
TEST_F(dp, results_are_written_only_where_reported)
{
	struct {
		struct rtpm_batch b;
		uint8_t canary[32];
	} h;
	struct rtpm_slot_desc d[SLOTS + 4], one[2];
	uint32_t done, k;
	uint8_t *p;

	/* Two READY slots; a pop batch asking for SLOTS + 2 gets those two. */
	for (k = 0; k < 2; k++) {
		ASSERT_EQ(0, rtpm_batch(self->p, RTPM_IOC_CLAIM_BATCH, RING, d, 1, 0, &done));
		d[0].len = 12;
		ASSERT_EQ(0, rtpm_batch(self->p, RTPM_IOC_PUSH_BATCH, RING, d, 1, 0, &done));
	}
	memset(d, 0xa5, sizeof(d));
	memset(&h, 0xa5, sizeof(h));
	h.b = (struct rtpm_batch){ .ring_id = RING, .count = SLOTS + 2,
				   .descs = (uintptr_t)d, .done = ~0u };
	ASSERT_EQ(0, ioctl(self->c, RTPM_IOC_POP_BATCH, &h.b));
	EXPECT_EQ(2, h.b.done);
	EXPECT_EQ(RING, h.b.ring_id);
	EXPECT_EQ(SLOTS + 2, h.b.count);
	EXPECT_EQ((uintptr_t)d, h.b.descs);
	EXPECT_EQ(0, h.b.dropped);
	EXPECT_EQ(0, h.b.reserved[0] | h.b.reserved[1]);
	for (p = h.canary; p < h.canary + sizeof(h.canary); p++)
		EXPECT_EQ(0xa5, *p);
	for (p = (uint8_t *)&d[2]; p < (uint8_t *)(d + SLOTS + 4); p++)
		EXPECT_EQ(0xa5, *p);
	EXPECT_EQ(0, rtpm_batch(self->c, RTPM_IOC_RELEASE_BATCH, RING, d, 2, 0, &done));

	/* A claim batch on a ring with 3 free slots: 3 entries, then ENOBUFS. */
	ASSERT_EQ(0, rtpm_batch(self->p, RTPM_IOC_CLAIM_BATCH, RING, d, SLOTS - 3, 0, &done));
	memset(d, 0xa5, sizeof(d));
	EXPECT_EQ(-ENOBUFS, rtpm_batch(self->p, RTPM_IOC_CLAIM_BATCH, RING, d, SLOTS, 0, &done));
	EXPECT_EQ(3, done);
	for (p = (uint8_t *)&d[3]; p < (uint8_t *)(d + SLOTS + 4); p++)
		EXPECT_EQ(0xa5, *p);

	/* A single pop writes one descriptor, not the next. */
	d[0].len = 12;
	ASSERT_EQ(0, rtpm_batch(self->p, RTPM_IOC_PUSH_BATCH, RING, d, 1, 0, &done));
	memset(one, 0xa5, sizeof(one));
	ASSERT_EQ(0, ioctl(self->c, RTPM_IOC_POP, &one[0]));
	EXPECT_EQ(d[0].index, one[0].index);
	EXPECT_EQ(12, one[0].len);
	for (p = (uint8_t *)&one[1]; p < (uint8_t *)(one + 2); p++)
		EXPECT_EQ(0xa5, *p);
	EXPECT_EQ(0, rtpm_release(self->c, one[0].index));
	/* The 7 slots still claimed are aborted when the producer closes. */
}

/* Batch header errors: count, ring id, reserved words, pointers. */
TEST_F(dp, batch_header_errors)
{
	static const unsigned long cmds[] = {
		RTPM_IOC_CLAIM_BATCH, RTPM_IOC_PUSH_BATCH,
		RTPM_IOC_POP_BATCH, RTPM_IOC_RELEASE_BATCH,
	};
	struct rtpm_slot_desc d[RTPM_BATCH_MAX + 1];
	struct rtpm_batch b;
	struct rtpm_stats st;
	size_t k;
	int fd, r;

	memset(d, 0, sizeof(d));
	for (k = 0; k < 4; k++) {
		fd = cmds[k] == RTPM_IOC_POP_BATCH ? self->c : self->p;
		if (cmds[k] == RTPM_IOC_RELEASE_BATCH)
			fd = self->c;
		EXPECT_EQ(-EINVAL, rtpm_batch(fd, cmds[k], RING, d, 0, 0, NULL));
		EXPECT_EQ(-EINVAL, rtpm_batch(fd, cmds[k], RING, d, RTPM_BATCH_MAX + 1, 0, NULL));
		EXPECT_EQ(-EINVAL, rtpm_batch(fd, cmds[k], RING, d, ~0u, 0, NULL));
		EXPECT_EQ(-EINVAL, rtpm_batch(fd, cmds[k], RING + 1, d, 1, 0, NULL));
		EXPECT_EQ(-EINVAL, rtpm_batch(fd, cmds[k], ~0u, d, 1, 0, NULL));
		for (r = 0; r < 2; r++) {
			b = (struct rtpm_batch){ .ring_id = RING, .count = 1,
						 .descs = (uintptr_t)d };
			b.reserved[r] = 1;
			EXPECT_EQ(-EINVAL, rtpm_ioc(fd, cmds[k], &b));
		}
		EXPECT_EQ(-EFAULT, rtpm_ioc(fd, cmds[k], NULL));
		EXPECT_EQ(-EFAULT, rtpm_ioc(fd, cmds[k], (void *)0xffff888000000000UL));
	}
	STATS(st);
	EXPECT_EQ(0, st.filling + st.ready + st.in_flight);
	EXPECT_EQ(4 * 9, st.invalid);	/* EINVAL and EFAULT both count */
}

/* Bad descriptor pointers: EFAULT on every batch, the invariants hold. */
TEST_F(dp, batch_descs_efault)
{
	void *bad[] = { NULL, (void *)1, (void *)0xffff888000000000UL };
	struct rtpm_stats st;
	uint32_t a, done;
	size_t k;

	ASSERT_EQ(0, rtpm_claim(self->p, &a));
	ASSERT_EQ(0, rtpm_push(self->p, a, 12));	/* so a pop has work */
	for (k = 0; k < 3; k++) {
		EXPECT_EQ(-EFAULT, rtpm_batch(self->p, RTPM_IOC_CLAIM_BATCH, RING, bad[k], 1, 0, &done));
		EXPECT_EQ(-EFAULT, rtpm_batch(self->p, RTPM_IOC_PUSH_BATCH, RING, bad[k], 1, 0, &done));
		EXPECT_EQ(0, done);
		EXPECT_EQ(-EFAULT, rtpm_batch(self->c, RTPM_IOC_RELEASE_BATCH, RING, bad[k], 1, 0, &done));
		EXPECT_EQ(0, done);
		ASSERT_INVARIANTS(self->admin, RING);
	}
	EXPECT_EQ(-EFAULT, rtpm_batch(self->c, RTPM_IOC_POP_BATCH, RING, NULL, 1, 0, &done));
	ASSERT_INVARIANTS(self->admin, RING);
	STATS(st);
	EXPECT_EQ(10, st.invalid);
	TH_LOG("after faulted batches: filling %u ready %u in_flight %u",
	       st.filling, st.ready, st.in_flight);
}

/* A batch of exactly RTPM_BATCH_MAX entries is accepted. */
TEST(batch_max_boundary)
{
	static struct rtpm_slot_desc d[RTPM_BATCH_MAX];
	struct rtpm_stats st;
	uint32_t done, k;
	int admin, s;

	rtpm_ring_clean(RING);
	admin = rtpm_open();
	s = rtpm_open();
	ASSERT_EQ(0, rtpm_configure(admin, RING, 10, 12, RTPM_DROP_TAIL, 0));
	ASSERT_EQ(0, rtpm_attach(s, RING, RTPM_ROLE_PRODUCER | RTPM_ROLE_CONSUMER));
	ASSERT_EQ(0, rtpm_ref(admin, RTPM_IOC_START, RING));
	ASSERT_EQ(0, rtpm_batch(s, RTPM_IOC_CLAIM_BATCH, RING, d, RTPM_BATCH_MAX, 0, &done));
	EXPECT_EQ(RTPM_BATCH_MAX, done);
	for (k = 0; k < RTPM_BATCH_MAX; k++)
		d[k].len = k % 13;
	ASSERT_EQ(0, rtpm_batch(s, RTPM_IOC_PUSH_BATCH, RING, d, RTPM_BATCH_MAX, 0, &done));
	EXPECT_EQ(RTPM_BATCH_MAX, done);
	ASSERT_EQ(0, rtpm_batch(s, RTPM_IOC_POP_BATCH, RING, d, RTPM_BATCH_MAX, 0, &done));
	EXPECT_EQ(RTPM_BATCH_MAX, done);
	ASSERT_EQ(0, rtpm_batch(s, RTPM_IOC_RELEASE_BATCH, RING, d, RTPM_BATCH_MAX, 0, &done));
	EXPECT_EQ(RTPM_BATCH_MAX, done);
	ASSERT_EQ(0, rtpm_stats(admin, RING, &st));
	EXPECT_EQ(RTPM_BATCH_MAX, st.released);
	EXPECT_EQ(RTPM_BATCH_MAX, st.free);
	ASSERT_INVARIANTS(admin, RING);
	close(s);
	close(admin);
	rtpm_ring_clean(RING);
}

/* A descriptor array that runs into an unmapped page: EFAULT, nothing leaks. */
TEST_F(dp, batch_descs_cross_into_unmapped_page)
{
	long pg = getpagesize();
	uint8_t *m = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct rtpm_slot_desc *d;
	struct rtpm_stats st;
	uint32_t done;
	int rc;

	ASSERT_NE(MAP_FAILED, m);
	ASSERT_OK(mprotect(m + pg, pg, PROT_NONE));
	/* Two entries fit before the hole, the third does not. */
	d = (struct rtpm_slot_desc *)(m + pg - 2 * sizeof(*d));
	rc = rtpm_batch(self->p, RTPM_IOC_CLAIM_BATCH, RING, d, 3, 0, &done);
	EXPECT_EQ(-EFAULT, rc);
	EXPECT_GE(2, done);
	/* Read-only descriptors cannot take a claim's or pop's result. */
	ASSERT_OK(mprotect(m, pg, PROT_READ));
	EXPECT_EQ(-EFAULT, rtpm_batch(self->p, RTPM_IOC_CLAIM_BATCH, RING,
				      (void *)m, 1, 0, NULL));
	ASSERT_INVARIANTS(self->admin, RING);
	STATS(st);
	TH_LOG("after EFAULT claims: filling %u free %u invalid %llu",
	       st.filling, st.free, (unsigned long long)st.invalid);
	EXPECT_LE(2, st.invalid);
	munmap(m, 2 * pg);
	/* Whatever the faulted claims left FILLING is aborted on close. */
}

/* A pop whose result cannot be copied out leaves the slots CONSUMED. */
TEST_F(dp, pop_efault_keeps_slots_consumed)
{
	long pg = getpagesize();
	void *ro = mmap(NULL, pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct rtpm_stats st;
	uint32_t a, b;

	ASSERT_NE(MAP_FAILED, ro);
	ASSERT_EQ(0, rtpm_claim(self->p, &a));
	ASSERT_EQ(0, rtpm_claim(self->p, &b));
	ASSERT_EQ(0, rtpm_push(self->p, a, 12));
	ASSERT_EQ(0, rtpm_push(self->p, b, 12));
	EXPECT_EQ(-EFAULT, rtpm_ioc(self->c, RTPM_IOC_POP, ro));
	EXPECT_EQ(-EFAULT, rtpm_batch(self->c, RTPM_IOC_POP_BATCH, RING, ro, 2, 0, NULL));
	STATS(st);
	EXPECT_EQ(st.popped, st.in_flight);
	EXPECT_EQ(2, st.in_flight + st.ready);
	ASSERT_INVARIANTS(self->admin, RING);
	close(self->c);
	self->c = -1;
	STATS(st);
	EXPECT_EQ(st.popped, st.reclaimed);
	EXPECT_EQ(0, st.in_flight);
	munmap(ro, pg);
}

/* Stopped: claim and push EPIPE; pop drains then EPIPE; release works. */
TEST_F(dp, stopped_ring_rules)
{
	struct rtpm_stats st;
	uint32_t a, b, c2, x, len;

	ASSERT_EQ(0, rtpm_claim(self->p, &a));
	ASSERT_EQ(0, rtpm_claim(self->p, &b));
	ASSERT_EQ(0, rtpm_claim(self->p, &c2));
	ASSERT_EQ(0, rtpm_push(self->p, a, 12));
	ASSERT_EQ(0, rtpm_push(self->p, b, 13));
	ASSERT_EQ(0, rtpm_ref(self->admin, RTPM_IOC_STOP, RING));
	EXPECT_EQ(-EPIPE, rtpm_claim(self->p, &x));
	EXPECT_EQ(-EPIPE, rtpm_push(self->p, c2, 12));
	EXPECT_EQ(-EPIPE, rtpm_batch(self->p, RTPM_IOC_CLAIM_BATCH, RING,
				     &(struct rtpm_slot_desc){ 0, 0 }, 1, 0, NULL));
	ASSERT_EQ(0, rtpm_pop(self->c, &x, &len));
	EXPECT_EQ(a, x);
	EXPECT_EQ(0, rtpm_release(self->c, a));
	ASSERT_EQ(0, rtpm_pop(self->c, &x, &len));
	EXPECT_EQ(b, x);
	EXPECT_EQ(13, len);
	EXPECT_EQ(-EPIPE, rtpm_pop(self->c, &x, &len));
	EXPECT_EQ(-EPIPE, rtpm_batch(self->c, RTPM_IOC_POP_BATCH, RING,
				     &(struct rtpm_slot_desc){ 0, 0 }, 1, 0, NULL));
	EXPECT_EQ(0, rtpm_release(self->c, b));
	EXPECT_EQ(0, rtpm_release(self->p, c2));	/* abort works too */
	STATS(st);
	EXPECT_EQ(0, st.state);
	EXPECT_EQ(SLOTS, st.free);
	EXPECT_EQ(1, st.aborted);
	EXPECT_EQ(0, st.flushed);
	EXPECT_EQ(0, st.invalid);	/* EPIPE is not an invalid request */
}

/* START flushes what an earlier run left READY; START while running does not. */
TEST_F(dp, start_flushes_ready)
{
	struct rtpm_stats st;
	uint32_t idx[5], x, len;
	int k;

	for (k = 0; k < 5; k++) {
		ASSERT_EQ(0, rtpm_claim(self->p, &idx[k]));
		if (k < 4)
			ASSERT_EQ(0, rtpm_push(self->p, idx[k], 12));
	}
	ASSERT_EQ(0, rtpm_pop(self->c, &x, &len));	/* one in flight */
	ASSERT_EQ(0, rtpm_ref(self->admin, RTPM_IOC_START, RING));
	STATS(st);
	EXPECT_EQ(0, st.flushed);
	EXPECT_EQ(3, st.ready);
	ASSERT_EQ(0, rtpm_ref(self->admin, RTPM_IOC_STOP, RING));
	ASSERT_EQ(0, rtpm_ref(self->admin, RTPM_IOC_START, RING));
	STATS(st);
	EXPECT_EQ(3, st.flushed);
	EXPECT_EQ(0, st.ready);
	EXPECT_EQ(1, st.in_flight);	/* held slots survive the flush */
	EXPECT_EQ(1, st.filling);
	EXPECT_EQ(SLOTS - 2, st.free);
	ASSERT_INVARIANTS(self->admin, RING);
	EXPECT_EQ(-EAGAIN, rtpm_pop(self->c, &x, &len));
	EXPECT_EQ(0, rtpm_release(self->c, idx[0]));
	EXPECT_EQ(0, rtpm_push(self->p, idx[4], 12));
	ASSERT_EQ(0, rtpm_pop(self->c, &x, &len));
	EXPECT_EQ(idx[4], x);
	EXPECT_EQ(0, rtpm_release(self->c, x));
}

/* HEAD: a claim on a full ring takes the oldest READY slot. */
TEST_F(hd, claim_recycles_oldest_ready)
{
	struct rtpm_stats st;
	uint32_t idx[SLOTS], x, len, k;

	for (k = 0; k < SLOTS; k++) {
		ASSERT_EQ(0, rtpm_claim(self->p, &idx[k]));
		ASSERT_EQ(0, rtpm_push(self->p, idx[k], 12 + k));
	}
	ASSERT_EQ(0, rtpm_claim(self->p, &x));
	EXPECT_EQ(idx[0], x);
	ASSERT_EQ(0, rtpm_claim(self->p, &x));
	EXPECT_EQ(idx[1], x);
	STATS(st);
	EXPECT_EQ(2, st.head_drops);
	EXPECT_EQ(2, st.drops);
	EXPECT_EQ(2, st.overruns);
	EXPECT_EQ(SLOTS - 2, st.ready);
	EXPECT_EQ(2, st.filling);
	ASSERT_INVARIANTS(self->admin, RING);
	/* The consumer sees the rest, oldest first. */
	for (k = 2; k < SLOTS; k++) {
		ASSERT_EQ(0, rtpm_pop(self->c, &x, &len));
		EXPECT_EQ(idx[k], x);
		EXPECT_EQ(12 + k, len);
	}
	/* Nothing FREE or READY: fails like TAIL. */
	EXPECT_EQ(-ENOBUFS, rtpm_claim(self->p, &x));
	STATS(st);
	EXPECT_EQ(3, st.overruns);	/* every claim that found no FREE slot */
	EXPECT_EQ(2, st.head_drops);
	ASSERT_INVARIANTS(self->admin, RING);
	/* A head-dropped slot is the producer's now: push and pop it. */
	ASSERT_EQ(0, rtpm_push(self->p, idx[0], 99));
	for (k = 2; k < SLOTS; k++)
		ASSERT_EQ(0, rtpm_release(self->c, idx[k]));
	ASSERT_EQ(0, rtpm_pop(self->c, &x, &len));
	EXPECT_EQ(idx[0], x);
	EXPECT_EQ(99, len);
	ASSERT_EQ(0, rtpm_release(self->c, x));
}

/* HEAD never takes a slot the consumer holds. */
TEST_F(hd, consumed_slots_are_never_recycled)
{
	uint32_t idx[SLOTS], x, len, k;
	struct rtpm_stats st;

	for (k = 0; k < SLOTS; k++) {
		ASSERT_EQ(0, rtpm_claim(self->p, &idx[k]));
		ASSERT_EQ(0, rtpm_push(self->p, idx[k], 12));
	}
	for (k = 0; k < SLOTS - 1; k++)
		ASSERT_EQ(0, rtpm_pop(self->c, &x, &len));
	ASSERT_EQ(0, rtpm_claim(self->p, &x));
	EXPECT_EQ(idx[SLOTS - 1], x);
	EXPECT_EQ(-ENOBUFS, rtpm_claim(self->p, &x));
	STATS(st);
	EXPECT_EQ(SLOTS - 1, st.in_flight);
	EXPECT_EQ(1, st.head_drops);
	EXPECT_EQ(2, st.overruns);
	for (k = 0; k < SLOTS - 1; k++)
		ASSERT_EQ(0, rtpm_release(self->c, idx[k]));
}

TEST_HARNESS_MAIN
