// SPDX-License-Identifier: MIT
/*
 * mmap_test.c - the shared region of rtp_mgr: which mmap calls are refused
 * (and with which errno), that the header mirrors the layout and the
 * counters, that slot metas follow each slot's state, that payload bytes
 * cross from producer to consumer, and that scribbling on the region does
 * not fool the kernel.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "rtpm_util.h"

#define ORDER	4
#define SLOTS	(1u << ORDER)
#define PAYLOAD	1000

FIXTURE(mm) {
	int admin;
	struct rtpm_sess p, c;
	struct rtpm_layout lay;
	long pg;
};

FIXTURE_SETUP(mm)
{
	self->admin = -1;
	self->p.fd = self->c.fd = -1;
	self->pg = getpagesize();
	rtpm_ring_clean(RING);
	self->admin = rtpm_open();
	ASSERT_EQ(0, rtpm_configure(self->admin, RING, ORDER, PAYLOAD,
				    RTPM_DROP_TAIL, 0));
	ASSERT_EQ(0, rtpm_layout(self->admin, RING, &self->lay));
}

FIXTURE_TEARDOWN(mm)
{
	rtpm_sess_close(&self->p);
	rtpm_sess_close(&self->c);
	if (self->admin >= 0) {
		if (!_metadata->failed)
			ASSERT_INVARIANTS(self->admin, RING);
		close(self->admin);
	}
	rtpm_ring_clean(RING);
}

static void *map(int fd, size_t len, int prot, int flags, off_t off)
{
	return mmap(NULL, len, prot, flags, fd, off);
}

#define EXPECT_MAP_ERR(err, fd, len, prot, flags, off) do {		\
	void *m_ = map(fd, len, prot, flags, off);			\
	EXPECT_EQ(MAP_FAILED, m_);					\
	if (m_ == MAP_FAILED)						\
		EXPECT_EQ(err, errno);					\
	else								\
		munmap(m_, len);					\
} while (0)

/* mmap on a session that is not attached: ENOTCONN (also "before configure"). */
TEST_F(mm, mmap_unattached_enotconn)
{
	int fd = rtpm_open();

	EXPECT_MAP_ERR(ENOTCONN, fd, self->lay.mmap_size,
		       PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	EXPECT_MAP_ERR(ENOTCONN, fd, self->pg, PROT_READ, MAP_SHARED, 0);
	/* An unconfigured ring cannot be attached, so cannot be mapped. */
	rtpm_ring_clean(RING);
	EXPECT_EQ(-ENODATA, rtpm_attach(fd, RING, RTPM_ROLE_PRODUCER));
	EXPECT_MAP_ERR(ENOTCONN, fd, self->lay.mmap_size,
		       PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	close(fd);
}

/* Only the exact length at offset 0, shared, without PROT_EXEC. */
TEST_F(mm, mmap_bounds)
{
	size_t len = self->lay.mmap_size;
	int fd = rtpm_open();
	void *m;

	ASSERT_EQ(0, rtpm_attach(fd, RING, RTPM_ROLE_PRODUCER));
	EXPECT_MAP_ERR(EINVAL, fd, len - self->pg, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	EXPECT_MAP_ERR(EINVAL, fd, len + self->pg, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	EXPECT_MAP_ERR(EINVAL, fd, self->pg, PROT_READ, MAP_SHARED, 0);
	EXPECT_MAP_ERR(EINVAL, fd, 2 * len, PROT_READ, MAP_SHARED, 0);
	EXPECT_MAP_ERR(EINVAL, fd, len, PROT_READ | PROT_WRITE, MAP_SHARED, self->pg);
	EXPECT_MAP_ERR(EINVAL, fd, len - self->pg, PROT_READ, MAP_SHARED, self->pg);
	EXPECT_MAP_ERR(EINVAL, fd, len, PROT_READ, MAP_SHARED, 1024L * self->pg);
	EXPECT_MAP_ERR(EINVAL, fd, len, PROT_READ | PROT_WRITE, MAP_PRIVATE, 0);
	EXPECT_MAP_ERR(EINVAL, fd, len, PROT_READ, MAP_PRIVATE, 0);
	EXPECT_MAP_ERR(EPERM, fd, len, PROT_READ | PROT_EXEC, MAP_SHARED, 0);
	EXPECT_MAP_ERR(EPERM, fd, len, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_SHARED, 0);

	m = map(fd, len, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	ASSERT_NE(MAP_FAILED, m);
	/* The last byte is there; the mapping cannot grow or become executable. */
	(void)((volatile uint8_t *)m)[len - 1];
	EXPECT_EQ(MAP_FAILED, mremap(m, len, len + self->pg, MREMAP_MAYMOVE));
	EXPECT_EQ(MAP_FAILED, mremap(m, len, 2 * len, 0));
	EXPECT_EQ(-1, mprotect(m, len, PROT_READ | PROT_EXEC));
	ASSERT_OK(munmap(m, len));
	close(fd);
}

/*
 * A monitor on @fd maps read-only: PROT_WRITE is EACCES, MAP_PRIVATE EINVAL,
 * PROT_READ works, and writing cannot be added later.
 */
static void monitor_maps_read_only(struct th_meta *_metadata, int fd, size_t len)
{
	volatile struct rtpm_ring_header *h;
	void *m;

	ASSERT_EQ(0, rtpm_attach(fd, RING, RTPM_ROLE_MONITOR));
	EXPECT_MAP_ERR(EACCES, fd, len, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	EXPECT_MAP_ERR(EACCES, fd, len, PROT_WRITE, MAP_SHARED, 0);
	EXPECT_MAP_ERR(EINVAL, fd, len, PROT_READ, MAP_PRIVATE, 0);
	m = map(fd, len, PROT_READ, MAP_SHARED, 0);
	ASSERT_NE(MAP_FAILED, m);
	h = m;
	EXPECT_EQ(RTPM_RING_MAGIC, h->magic);
	EXPECT_EQ(-1, mprotect(m, len, PROT_READ | PROT_WRITE));
	EXPECT_EQ(EACCES, errno);
	ASSERT_OK(munmap(m, len));
}

TEST_F(mm, monitor_mapping_is_read_only)
{
	int fd = rtpm_open();

	monitor_maps_read_only(_metadata, fd, self->lay.mmap_size);
	close(fd);
}

/* The same on a file opened read-only (it has VM_MAYSHARE, not VM_SHARED). */
TEST_F(mm, monitor_maps_read_only_file)
{
	int fd = open(RTPM_DEVICE_PATH, O_RDONLY | O_CLOEXEC);

	ASSERT_LE(0, fd);
	monitor_maps_read_only(_metadata, fd, self->lay.mmap_size);
	close(fd);
}

/* The header's constant line mirrors GET_LAYOUT and the ABI. */
TEST_F(mm, header_mirrors_layout)
{
	volatile struct rtpm_ring_header *h;
	struct rtpm_layout *l = &self->lay;

	ASSERT_EQ(0, rtpm_sess_open(&self->c, RING, RTPM_ROLE_MONITOR));
	h = rtpm_hdr(&self->c);
	EXPECT_EQ(RTPM_RING_MAGIC, h->magic);
	EXPECT_EQ(RTPM_ABI_MAJOR, h->abi_major);
	EXPECT_LE(RTPM_ABI_MINOR, h->abi_minor);
	EXPECT_EQ(RING, h->ring_id);
	EXPECT_EQ(l->order, h->order);
	EXPECT_EQ(l->slot_count, h->slot_count);
	EXPECT_EQ(l->slot_stride, h->slot_stride);
	EXPECT_EQ(l->max_payload, h->max_payload);
	EXPECT_EQ(l->slots_offset, h->slots_offset);
	EXPECT_EQ(l->mmap_size, h->mmap_size);
	EXPECT_EQ(l->meta_size, h->meta_size);
	EXPECT_EQ(l->drop_policy, h->drop_policy);
	EXPECT_EQ(l->flags, h->flags);
	EXPECT_EQ(0, h->reserved0);
	EXPECT_EQ(0, h->state);
	EXPECT_EQ(SLOTS, h->free);
	EXPECT_EQ(0, h->pushed + h->popped + h->released + h->ready + h->in_flight);
	/* Every slot starts FREE. */
	for (uint32_t i = 0; i < SLOTS; i++)
		EXPECT_EQ(RTPM_SLOT_FREE, rtpm_meta(&self->c, i)->state);
}

/* Checks the header's counters against one GET_STATS snapshot. */
static void check_header(struct th_meta *_metadata, int admin,
			 volatile struct rtpm_ring_header *h)
{
	struct rtpm_stats st;

	ASSERT_EQ(0, rtpm_stats(admin, RING, &st));
	EXPECT_EQ(st.state, h->state);
	EXPECT_EQ(st.pushed, h->pushed);
	EXPECT_EQ(st.bytes_in, h->bytes_in);
	EXPECT_EQ(st.free, h->free);
	EXPECT_EQ(st.drops, h->drops);
	EXPECT_EQ(st.overruns, h->overruns);
	EXPECT_EQ(st.popped, h->popped);
	EXPECT_EQ(st.released, h->released);
	EXPECT_EQ(st.bytes_out, h->bytes_out);
	EXPECT_EQ(st.ready, h->ready);
	EXPECT_EQ(st.in_flight, h->in_flight);
	EXPECT_EQ(st.rtp_lost, h->rtp_lost);
	EXPECT_EQ(st.rtp_duplicates, h->rtp_duplicates);
	EXPECT_EQ(st.rtp_reorders, h->rtp_reorders);
	EXPECT_EQ(st.rtp_resets, h->rtp_resets);
	EXPECT_EQ(st.rtp_not_rtp, h->rtp_not_rtp);
	EXPECT_EQ(st.rtp_ssrc, h->rtp_ssrc);
	EXPECT_EQ(st.rtp_max_seq, h->rtp_max_seq);
}

/*
 * Payload crosses from the producer's mapping to the consumer's; the slot
 * meta follows FREE -> FILLING -> READY -> CONSUMED -> FREE; the header
 * counters match GET_STATS after each step.
 */
TEST_F(mm, slot_meta_follows_state)
{
	volatile struct rtpm_ring_header *hp, *hc;
	volatile struct rtpm_slot_meta *mp, *mc;
	uint8_t pkt[PAYLOAD];
	uint32_t idx, got, len, i;
	uint64_t ns0, ns1;
	struct timespec ts;

	ASSERT_EQ(0, rtpm_sess_open(&self->p, RING, RTPM_ROLE_PRODUCER));
	ASSERT_EQ(0, rtpm_sess_open(&self->c, RING, RTPM_ROLE_CONSUMER));
	hp = rtpm_hdr(&self->p);
	hc = rtpm_hdr(&self->c);
	ASSERT_EQ(0, rtpm_ref(self->admin, RTPM_IOC_START, RING));
	EXPECT_EQ(RTPM_STATE_RUNNING, hc->state);
	check_header(_metadata, self->admin, hc);

	for (i = 0; i < 3 * SLOTS; i++) {
		ASSERT_EQ(0, rtpm_claim(self->p.fd, &idx));
		mp = rtpm_meta(&self->p, idx);
		mc = rtpm_meta(&self->c, idx);
		EXPECT_EQ(RTPM_SLOT_FILLING, mc->state);
		len = 12 + (i * 97) % (PAYLOAD - 11);
		rtp_write_header(pkt, 1000 + i, 160 * i, 0xc0ffee, 96);
		for (uint32_t k = 12; k < len; k++)
			pkt[k] = (uint8_t)(k * 31 + i);
		memcpy(rtpm_payload(&self->p, idx), pkt, len);
		mp->user_tag = 0xfeed000000000000ull | i;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		ns0 = ts.tv_sec * 1000000000ull + ts.tv_nsec;
		ASSERT_EQ(0, rtpm_push(self->p.fd, idx, len));
		clock_gettime(CLOCK_MONOTONIC, &ts);
		ns1 = ts.tv_sec * 1000000000ull + ts.tv_nsec;
		EXPECT_EQ(RTPM_SLOT_READY, mc->state);
		EXPECT_EQ(len, mc->len);
		EXPECT_EQ(1000 + i, mc->rtp_seq);
		EXPECT_EQ(160 * i, mc->rtp_timestamp);
		EXPECT_EQ(0xc0ffee, mc->rtp_ssrc);
		EXPECT_EQ(RTPM_META_RTP, mc->flags);
		EXPECT_LE(ns0, mc->push_ns);
		EXPECT_GE(ns1, mc->push_ns);
		check_header(_metadata, self->admin, hp);

		ASSERT_EQ(0, rtpm_pop(self->c.fd, &got, &len));
		ASSERT_EQ(idx, got);
		EXPECT_EQ(RTPM_SLOT_CONSUMED, mp->state);
		EXPECT_EQ(0, memcmp(pkt, rtpm_payload(&self->c, got), len));
		/* user_tag is the producer's: the kernel leaves it alone. */
		EXPECT_EQ(0xfeed000000000000ull | i, mc->user_tag);
		check_header(_metadata, self->admin, hc);
		ASSERT_EQ(0, rtpm_release(self->c.fd, got));
		EXPECT_EQ(RTPM_SLOT_FREE, mc->state);
		EXPECT_EQ(RTPM_SLOT_FREE, mp->state);
		check_header(_metadata, self->admin, hc);
		if (_metadata->failed)
			break;
	}
	EXPECT_EQ(3 * SLOTS, hc->pushed);
	EXPECT_EQ(0, hc->rtp_lost);
	EXPECT_EQ(3 * SLOTS + 999, hc->rtp_max_seq);
	ASSERT_EQ(0, rtpm_ref(self->admin, RTPM_IOC_STOP, RING));
	EXPECT_EQ(0, hc->state);
}

/* Metas follow the other transitions too: abort, flush, reclaim, head drop. */
TEST_F(mm, slot_meta_follows_abort_flush_reclaim_head_drop)
{
	volatile struct rtpm_slot_meta *m;
	uint32_t a, b, c, x, len, k;
	int cons;

	ASSERT_EQ(0, rtpm_sess_open(&self->p, RING, RTPM_ROLE_PRODUCER));
	ASSERT_EQ(0, rtpm_ref(self->admin, RTPM_IOC_START, RING));
	ASSERT_EQ(0, rtpm_claim(self->p.fd, &a));
	ASSERT_EQ(0, rtpm_release(self->p.fd, a));		/* abort */
	EXPECT_EQ(RTPM_SLOT_FREE, rtpm_meta(&self->p, a)->state);
	ASSERT_EQ(0, rtpm_claim(self->p.fd, &b));
	ASSERT_EQ(0, rtpm_push(self->p.fd, b, 12));
	ASSERT_EQ(0, rtpm_ref(self->admin, RTPM_IOC_STOP, RING));
	ASSERT_EQ(0, rtpm_ref(self->admin, RTPM_IOC_START, RING));	/* flush */
	EXPECT_EQ(RTPM_SLOT_FREE, rtpm_meta(&self->p, b)->state);
	/* A consumer that goes while holding a slot: reclaimed, FREE. */
	cons = rtpm_open();
	ASSERT_EQ(0, rtpm_attach(cons, RING, RTPM_ROLE_CONSUMER));
	ASSERT_EQ(0, rtpm_claim(self->p.fd, &c));
	ASSERT_EQ(0, rtpm_push(self->p.fd, c, 12));
	ASSERT_EQ(0, rtpm_pop(cons, &x, &len));
	EXPECT_EQ(RTPM_SLOT_CONSUMED, rtpm_meta(&self->p, c)->state);
	close(cons);
	EXPECT_EQ(RTPM_SLOT_FREE, rtpm_meta(&self->p, c)->state);
	/* Every slot's meta agrees with the gauges. */
	for (k = 0; k < SLOTS; k++)
		EXPECT_EQ(RTPM_SLOT_FREE, rtpm_meta(&self->p, k)->state);
	rtpm_sess_close(&self->p);

	/* HEAD: the recycled slot goes READY -> FILLING. */
	ASSERT_EQ(0, rtpm_ref(self->admin, RTPM_IOC_STOP, RING));
	ASSERT_EQ(0, rtpm_configure(self->admin, RING, 1, 64, RTPM_DROP_HEAD, 0));
	ASSERT_EQ(0, rtpm_ref(self->admin, RTPM_IOC_START, RING));
	ASSERT_EQ(0, rtpm_sess_open(&self->p, RING, RTPM_ROLE_PRODUCER));
	ASSERT_EQ(0, rtpm_claim(self->p.fd, &a));
	ASSERT_EQ(0, rtpm_push(self->p.fd, a, 12));
	ASSERT_EQ(0, rtpm_claim(self->p.fd, &b));
	ASSERT_EQ(0, rtpm_push(self->p.fd, b, 12));
	ASSERT_EQ(0, rtpm_claim(self->p.fd, &x));
	EXPECT_EQ(a, x);
	m = rtpm_meta(&self->p, a);
	EXPECT_EQ(RTPM_SLOT_FILLING, m->state);
	EXPECT_EQ(RTPM_SLOT_READY, rtpm_meta(&self->p, b)->state);
	EXPECT_EQ(1, rtpm_hdr(&self->p)->ready);
	EXPECT_EQ(1, rtpm_hdr(&self->p)->drops);
}

/* Short or non-RTP payloads are flagged NOT_RTP in the meta. */
TEST_F(mm, meta_flags_not_rtp)
{
	uint32_t idx, got, len;
	uint8_t *pl;

	ASSERT_EQ(0, rtpm_sess_open(&self->p, RING, RTPM_ROLE_PRODUCER | RTPM_ROLE_CONSUMER));
	ASSERT_EQ(0, rtpm_ref(self->admin, RTPM_IOC_START, RING));
	ASSERT_EQ(0, rtpm_claim(self->p.fd, &idx));
	pl = rtpm_payload(&self->p, idx);
	rtp_write_header(pl, 1, 2, 3, 96);
	pl[0] = 0x40;	/* version 1 */
	ASSERT_EQ(0, rtpm_push(self->p.fd, idx, 12));
	EXPECT_EQ(RTPM_META_NOT_RTP, rtpm_meta(&self->p, idx)->flags);
	ASSERT_EQ(0, rtpm_pop(self->p.fd, &got, &len));
	ASSERT_EQ(0, rtpm_release(self->p.fd, got));
	ASSERT_EQ(0, rtpm_claim(self->p.fd, &idx));
	rtp_write_header(rtpm_payload(&self->p, idx), 1, 2, 3, 96);
	ASSERT_EQ(0, rtpm_push(self->p.fd, idx, 11));	/* too short */
	EXPECT_EQ(RTPM_META_NOT_RTP, rtpm_meta(&self->p, idx)->flags);
	EXPECT_EQ(2, rtpm_hdr(&self->p)->rtp_not_rtp);
	ASSERT_EQ(0, rtpm_pop(self->p.fd, &got, &len));
	ASSERT_EQ(0, rtpm_release(self->p.fd, got));
}

/* The kernel keeps the truth: scribbled metas and header fool nothing. */
TEST_F(mm, scribbles_do_not_fool_the_kernel)
{
	volatile struct rtpm_ring_header *h;
	struct rtpm_stats st;
	uint32_t idx, got, len, i;

	ASSERT_EQ(0, rtpm_sess_open(&self->p, RING, RTPM_ROLE_PRODUCER));
	ASSERT_EQ(0, rtpm_sess_open(&self->c, RING, RTPM_ROLE_CONSUMER));
	ASSERT_EQ(0, rtpm_ref(self->admin, RTPM_IOC_START, RING));
	h = rtpm_hdr(&self->p);
	/* Claim every slot's meta says READY and the header says all is free. */
	for (i = 0; i < SLOTS; i++) {
		rtpm_meta(&self->p, i)->state = RTPM_SLOT_READY;
		rtpm_meta(&self->p, i)->len = ~0u;
	}
	memset((void *)h, 0xff, sizeof(*h));
	EXPECT_EQ(-EAGAIN, rtpm_pop(self->c.fd, &got, &len));
	EXPECT_EQ(-EBADSLT, rtpm_push(self->p.fd, 3, 12));
	ASSERT_EQ(0, rtpm_claim(self->p.fd, &idx));
	rtpm_meta(&self->p, idx)->state = RTPM_SLOT_FREE;
	rtpm_meta(&self->p, idx)->len = 5;
	ASSERT_EQ(0, rtpm_push(self->p.fd, idx, 20));
	ASSERT_EQ(0, rtpm_pop(self->c.fd, &got, &len));
	EXPECT_EQ(idx, got);
	EXPECT_EQ(20, len);
	rtpm_meta(&self->p, idx)->state = RTPM_SLOT_FREE;
	EXPECT_EQ(-EBADSLT, rtpm_push(self->p.fd, idx, 20));
	ASSERT_EQ(0, rtpm_release(self->c.fd, got));
	ASSERT_EQ(0, rtpm_stats(self->admin, RING, &st));
	EXPECT_EQ(1, st.pushed);
	EXPECT_EQ(1, st.released);
	EXPECT_EQ(SLOTS, st.free);
	EXPECT_EQ(2, st.invalid);
	/* The kernel rewrote what it owns on the way. */
	EXPECT_EQ(1, h->released);
	EXPECT_EQ(SLOTS, h->free);
}

/* A mapping is not inherited across fork (VM_DONTCOPY). */
TEST_F(mm, mapping_not_inherited_by_fork)
{
	volatile uint8_t *m;
	int status;
	pid_t pid;

	ASSERT_EQ(0, rtpm_sess_open(&self->p, RING, RTPM_ROLE_PRODUCER));
	m = self->p.map;
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		(void)m[0];	/* must fault: the range is not mapped here */
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status));
	if (WIFSIGNALED(status))
		EXPECT_EQ(SIGSEGV, WTERMSIG(status));
	/* The parent's mapping is untouched. */
	EXPECT_EQ(RTPM_RING_MAGIC, rtpm_hdr(&self->p)->magic);
}

/*
 * MADV_DOFORK makes the child share the mapping (the module does not use
 * VM_IO, for get_user_pages' sake), and the child's mapping then keeps the
 * session, its roles and slots, after the parent closed and unmapped.
 */
TEST_F(mm, madv_dofork_child_keeps_the_session)
{
	struct rtpm_stats st;
	int go[2], ready[2], status;
	uint32_t idx;
	char b = 0;
	pid_t pid;

	ASSERT_EQ(0, rtpm_sess_open(&self->p, RING, RTPM_ROLE_PRODUCER));
	ASSERT_EQ(0, rtpm_ref(self->admin, RTPM_IOC_START, RING));
	ASSERT_EQ(0, rtpm_claim(self->p.fd, &idx));
	ASSERT_OK(madvise(self->p.map, self->p.lay.mmap_size, MADV_DOFORK));
	ASSERT_OK(pipe(go));
	ASSERT_OK(pipe(ready));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(self->p.fd);	/* only the mapping keeps the session */
		if (rtpm_hdr(&self->p)->magic != RTPM_RING_MAGIC)
			_exit(2);
		if (write(ready[1], &b, 1) != 1 || read(go[0], &b, 1) != 1)
			_exit(3);
		_exit(rtpm_meta(&self->p, idx)->state == RTPM_SLOT_FILLING ? 0 : 4);
	}
	ASSERT_EQ(1, read(ready[0], &b, 1));
	rtpm_sess_close(&self->p);	/* the parent's fd and mapping go */
	ASSERT_EQ(0, rtpm_stats(self->admin, RING, &st));
	EXPECT_EQ(1, st.sessions);
	EXPECT_EQ(1, st.mappings);
	EXPECT_EQ(1, st.filling);
	ASSERT_EQ(1, write(go[1], &b, 1));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	/* The child's exit ended the session: its claim was aborted. */
	ASSERT_EQ(0, rtpm_stats(self->admin, RING, &st));
	EXPECT_EQ(0, st.sessions);
	EXPECT_EQ(0, st.mappings);
	EXPECT_EQ(0, st.filling);
	EXPECT_EQ(1, st.aborted);
	close(go[0]);
	close(go[1]);
	close(ready[0]);
	close(ready[1]);
}

/* Mappings are counted; the last munmap ends a closed session. */
TEST_F(mm, mapping_count_and_session_lifetime)
{
	struct rtpm_stats st;
	struct rtpm_sess m1, m2;

	ASSERT_EQ(0, rtpm_sess_open(&m1, RING, RTPM_ROLE_MONITOR));
	ASSERT_EQ(0, rtpm_sess_open(&m2, RING, RTPM_ROLE_MONITOR));
	ASSERT_EQ(0, rtpm_stats(self->admin, RING, &st));
	EXPECT_EQ(2, st.mappings);
	EXPECT_EQ(2, st.sessions);
	close(m1.fd);
	m1.fd = -1;
	ASSERT_EQ(0, rtpm_stats(self->admin, RING, &st));
	EXPECT_EQ(2, st.sessions);
	EXPECT_EQ(-EBUSY, rtpm_ref(self->admin, RTPM_IOC_UNCONFIGURE, RING));
	rtpm_sess_close(&m1);
	ASSERT_EQ(0, rtpm_stats(self->admin, RING, &st));
	EXPECT_EQ(1, st.mappings);
	EXPECT_EQ(1, st.sessions);
	/* Detach and re-attach are refused while mapped. */
	EXPECT_EQ(-EBUSY, rtpm_ioc(m2.fd, RTPM_IOC_DETACH, NULL));
	EXPECT_EQ(-EBUSY, rtpm_attach(m2.fd, RING, RTPM_ROLE_MONITOR));
	rtpm_sess_close(&m2);
	ASSERT_EQ(0, rtpm_stats(self->admin, RING, &st));
	EXPECT_EQ(0, st.mappings);
	EXPECT_EQ(0, st.sessions);
}

TEST_HARNESS_MAIN
