// SPDX-License-Identifier: MIT
/*
 * fuzz_test.c - two threads send mutated versions of valid rtp_mgr requests
 * (sizes, fields, pointers, command numbers, call order) while a third
 * scribbles on the mapped header and slot metas. Every errno that comes back
 * must be one docs/ABI.md lists for that call, and the stats invariants must
 * hold whenever they are sampled and at the end.
 *
 * Seed: the first argument, else RTPM_FUZZ_SEED, else a fixed default; it is
 * printed. Calls: RTPM_FUZZ_CALLS (default 120000, both threads together).
 * Rings stay under 1 MiB (mutated sizes above that are pulled back) so the
 * run stays short under qemu TCG.
 */
#define _GNU_SOURCE
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/mman.h>
#include <unistd.h>

#include "rtpm_util.h"

#define FUZZ_ORDER	6
#define FUZZ_PAYLOAD	1000
#define RING_CAP	(1u << 20)	/* bytes: no ring above this is made */
#define HELD_MAX	64
#define DEFAULT_SEED	0x5eedf00dull

/* errno bit sets (errnos go up to ENOTCONN 107), from docs/ABI.md's table. */
typedef unsigned __int128 errset;
#define B(e)	((errset)1 << (e))
#define OK	((errset)1)	/* bit 0: success */
#define A_INFO	(OK | B(EFAULT))
#define A_ATT	(OK | B(EINVAL) | B(EPROTO) | B(ENODATA) | B(EBUSY) | B(EFAULT))
#define A_DET	(OK | B(ENOTCONN) | B(EBUSY))
#define A_CFG	(OK | B(EINVAL) | B(E2BIG) | B(ENOSPC) | B(ENOMEM) | B(EBUSY) | B(EFAULT))
#define A_UNCFG	(OK | B(EINVAL) | B(ENODATA) | B(EBUSY) | B(EFAULT))
#define A_LAY	(OK | B(EINVAL) | B(ENODATA) | B(EFAULT))
#define A_RUN	(OK | B(EINVAL) | B(ENODATA) | B(EFAULT))
#define A_STATS	(OK | B(EINVAL) | B(EFAULT))
#define A_CLAIM	(OK | B(ENOTCONN) | B(EPERM) | B(EPIPE) | B(ENOBUFS) | B(EFAULT))
#define A_PUSH	(OK | B(ENOTCONN) | B(EPERM) | B(EPIPE) | B(ERANGE) | B(EBADSLT) | \
		 B(EMSGSIZE) | B(EFAULT))
#define A_POP	(OK | B(ENOTCONN) | B(EPERM) | B(EAGAIN) | B(EPIPE) | B(EFAULT))
#define A_REL	(OK | B(ENOTCONN) | B(ERANGE) | B(EBADSLT) | B(EFAULT))
#define A_BATCH	B(EINVAL)	/* added to a data call's set for its batch form */

static const struct {
	unsigned long cmd;
	errset allowed;
	const char *name;
} cmds[] = {
	{ RTPM_IOC_INFO, A_INFO, "INFO" },
	{ RTPM_IOC_ATTACH, A_ATT, "ATTACH" },
	{ RTPM_IOC_DETACH, A_DET, "DETACH" },
	{ RTPM_IOC_CONFIGURE, A_CFG, "CONFIGURE" },
	{ RTPM_IOC_UNCONFIGURE, A_UNCFG, "UNCONFIGURE" },
	{ RTPM_IOC_GET_LAYOUT, A_LAY, "GET_LAYOUT" },
	{ RTPM_IOC_START, A_RUN, "START" },
	{ RTPM_IOC_STOP, A_RUN, "STOP" },
	{ RTPM_IOC_GET_STATS, A_STATS, "GET_STATS" },
	{ RTPM_IOC_RESET_STATS, A_STATS, "RESET_STATS" },
	{ RTPM_IOC_CLAIM, A_CLAIM, "CLAIM" },
	{ RTPM_IOC_PUSH, A_PUSH, "PUSH" },
	{ RTPM_IOC_POP, A_POP, "POP" },
	{ RTPM_IOC_RELEASE, A_REL, "RELEASE" },
	{ RTPM_IOC_CLAIM_BATCH, A_CLAIM | A_BATCH, "CLAIM_BATCH" },
	{ RTPM_IOC_PUSH_BATCH, A_PUSH | A_BATCH, "PUSH_BATCH" },
	{ RTPM_IOC_POP_BATCH, A_POP | A_BATCH, "POP_BATCH" },
	{ RTPM_IOC_RELEASE_BATCH, A_REL | A_BATCH, "RELEASE_BATCH" },
};
#define N_CMDS (sizeof(cmds) / sizeof(cmds[0]))

enum { C_INFO, C_ATT, C_DET, C_CFG, C_UNCFG, C_LAY, C_START, C_STOP, C_STATS,
       C_RESET, C_CLAIM, C_PUSH, C_POP, C_REL, C_CLAIM_B, C_PUSH_B, C_POP_B,
       C_REL_B, C_MMAP, C_POLL, C_N };

/* Relative frequency of each operation: the data plane dominates. */
static const unsigned int weight[C_N] = {
	[C_INFO] = 1, [C_ATT] = 3, [C_DET] = 2, [C_CFG] = 2, [C_UNCFG] = 1,
	[C_LAY] = 2, [C_START] = 4, [C_STOP] = 1, [C_STATS] = 3, [C_RESET] = 1,
	[C_CLAIM] = 10, [C_PUSH] = 10, [C_POP] = 10, [C_REL] = 10,
	[C_CLAIM_B] = 8, [C_PUSH_B] = 8, [C_POP_B] = 8, [C_REL_B] = 8,
	[C_MMAP] = 1, [C_POLL] = 2,
};

struct shared {
	struct rtpm_info info;
	uint32_t ring2;		/* a second ring, free for (un)configure */
	void *ro_page;		/* a read-only page: outputs must EFAULT */
	void *hole;		/* an unmapped page */
	atomic_int stop_scribbling;
	atomic_ullong calls;
};

struct worker {
	pthread_t th;
	struct shared *sh;
	struct rtpm_sess main;	/* mapped session: producer or consumer */
	int spare;		/* unmapped session, attached at random */
	uint32_t roles;
	uint64_t rng;
	uint64_t n_calls;
	uint64_t errno_seen[140];
	uint32_t held[HELD_MAX];	/* slots this worker believes it holds */
	uint32_t n_held;
	char err[512];
};

static uint64_t rnd(uint64_t *s)
{
	/* xorshift64*: small, fast, reproducible from the seed. */
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ull;
}

static uint32_t pick(uint64_t *s, uint32_t n)
{
	return n ? rnd(s) % n : 0;
}

/* Interesting values for a mutated 32-bit field. */
static uint32_t edge(uint64_t *s, uint32_t slots)
{
	static const uint32_t v[] = { 0, 1, 2, 11, 12, 16, 17, 64, 1023, 1024,
				      1025, 65507, 65508, 0x7fffffff, 0x80000000,
				      0xffffffff };

	switch (pick(s, 4)) {
	case 0:
		return slots - 1;
	case 1:
		return slots;
	default:
		return v[pick(s, sizeof(v) / sizeof(v[0]))];
	}
}

static uint64_t ring_lower_bound(uint32_t order, uint32_t payload)
{
	if (order > 31)
		return ~0ull;
	return ((uint64_t)1 << order) * ((sizeof(struct rtpm_slot_meta) + payload + 63) / 64 * 64);
}

static void held_add(struct worker *w, uint32_t idx)
{
	if (w->n_held < HELD_MAX)
		w->held[w->n_held++] = idx;
}

static uint32_t held_take(struct worker *w)
{
	uint32_t k, idx;

	if (!w->n_held)
		return pick(&w->rng, w->main.lay.slot_count + 2);
	k = pick(&w->rng, w->n_held);
	idx = w->held[k];
	w->held[k] = w->held[--w->n_held];
	return idx;
}

#define worker_fail(w, ...) first_error((w)->err, sizeof((w)->err), __VA_ARGS__)

static errset allowed_for(unsigned long cmd, const char **name)
{
	size_t k;

	for (k = 0; k < N_CMDS; k++)
		if (cmds[k].cmd == cmd) {
			*name = cmds[k].name;
			return cmds[k].allowed;
		}
	*name = "unknown";
	return B(ENOTTY);
}

/* A bad pointer of some kind, or NULL when the ro page is not suitable. */
static void *bad_ptr(struct worker *w, int output)
{
	switch (pick(&w->rng, output ? 5 : 4)) {
	case 0:
		return NULL;
	case 1:
		return (void *)1;
	case 2:
		return (void *)0xffff888000000000ull;
	case 3:
		return w->sh->hole;
	default:
		return w->sh->ro_page;
	}
}

/*
 * Whether the kernel may write b->count descriptors at b->descs: they fit
 * in @d (also at a mutated offset), or descs is one of bad_ptr()'s values
 * (ro_page is followed by the hole; batch_max entries span at most both).
 */
static bool descs_safe(const struct worker *w, const struct rtpm_batch *b,
		       const void *d, size_t d_size)
{
	uint64_t lo = (uintptr_t)d, p = b->descs;

	if (p >= lo && p - lo <= d_size &&
	    (uint64_t)b->count * sizeof(struct rtpm_slot_desc) <= d_size - (p - lo))
		return true;
	return p == 0 || p == 1 || p == 0xffff888000000000ull ||
	       p == (uintptr_t)w->sh->hole || p == (uintptr_t)w->sh->ro_page;
}

/* Builds, mutates and sends one request; checks its errno. */
static void fuzz_one(struct worker *w)
{
	uint64_t buf64[40];	/* any rtp_mgr struct fits */
	uint8_t *buf = (uint8_t *)buf64;
	struct rtpm_slot_desc d[20];
	struct rtpm_batch *b = (struct rtpm_batch *)buf;
	struct rtpm_slot_desc *sd = (struct rtpm_slot_desc *)buf;
	uint32_t slots = w->main.lay.slot_count;
	unsigned int total = 0, r, k, op, ci;
	int fd = pick(&w->rng, 8) ? w->main.fd : w->spare;
	uint32_t ring = pick(&w->rng, 6) ? RING : (pick(&w->rng, 2) ? w->sh->ring2 :
						       edge(&w->rng, w->sh->info.max_rings));
	bool mutate = pick(&w->rng, 4) == 0;
	unsigned long cmd;
	const char *name;
	errset allowed;
	void *arg = buf;
	size_t argsz;
	int rc, e;

	for (op = 0; op < C_N; op++)
		total += weight[op];
	r = pick(&w->rng, total);
	for (op = 0; r >= weight[op]; op++)
		r -= weight[op];
	memset(buf64, 0, sizeof(buf64));
	/* Mostly calls of this worker's own role, so that many get through. */
	if (pick(&w->rng, 4)) {
		static const uint8_t as_producer[C_N] = {
			[C_POP] = C_CLAIM, [C_POP_B] = C_CLAIM_B };
		static const uint8_t as_consumer[C_N] = {
			[C_CLAIM] = C_POP, [C_PUSH] = C_REL,
			[C_CLAIM_B] = C_POP_B, [C_PUSH_B] = C_REL_B };
		const uint8_t *map = w->roles & RTPM_ROLE_PRODUCER ?
			as_producer : as_consumer;

		if (map[op])
			op = map[op];
	}

	if (op == C_MMAP) {
		size_t len = pick(&w->rng, 4) ? w->main.lay.mmap_size :
			(size_t)pick(&w->rng, 64) * 4096;
		int prot = pick(&w->rng, 4) ? PROT_READ | PROT_WRITE :
			(int)pick(&w->rng, 8);
		int flags = pick(&w->rng, 6) ? MAP_SHARED : MAP_PRIVATE;
		off_t off = pick(&w->rng, 6) ? 0 : (off_t)pick(&w->rng, 4) * 4096;
		void *m;

		if (!len)
			len = 4096;
		m = mmap(NULL, len, prot, flags, w->spare, off);
		w->n_calls++;
		atomic_fetch_add(&w->sh->calls, 1);
		if (m != MAP_FAILED) {
			munmap(m, len);
			return;
		}
		e = errno;
		if (e != ENOTCONN && e != EINVAL && e != EPERM && e != EACCES)
			worker_fail(w, "mmap(len %zu, prot %d, flags %d, off %lld): unexpected %s",
				    len, prot, flags, (long long)off, strerror(e));
		return;
	}
	if (op == C_POLL) {
		struct pollfd p = { .fd = fd, .events = POLLIN | POLLOUT };

		w->n_calls++;
		atomic_fetch_add(&w->sh->calls, 1);
		if (poll(&p, 1, 0) < 0 || (p.revents & POLLNVAL))
			worker_fail(w, "poll: revents 0x%x, %s", p.revents, strerror(errno));
		return;
	}

	ci = op;
	cmd = cmds[ci].cmd;
	argsz = _IOC_SIZE(cmd);
	switch (op) {
	case C_ATT: {
		struct rtpm_attach *a = (void *)buf;

		fd = w->spare;
		if (!pick(&w->rng, 8))
			fd = w->main.fd;	/* mapped: EBUSY */
		a->ring_id = ring;
		a->roles = pick(&w->rng, 3) ? RTPM_ROLE_MONITOR : 1 + pick(&w->rng, 7);
		a->abi_major = RTPM_ABI_MAJOR;
		a->abi_minor = RTPM_ABI_MINOR;
		break;
	}
	case C_DET:
		arg = NULL;
		if (pick(&w->rng, 4))
			fd = w->spare;
		break;
	case C_CFG: {
		struct rtpm_config *c = (void *)buf;

		c->ring_id = pick(&w->rng, 4) ? w->sh->ring2 : ring;
		c->order = 1 + pick(&w->rng, 9);
		c->max_payload = 12 + pick(&w->rng, 1489);
		c->drop_policy = pick(&w->rng, 2);
		c->flags = pick(&w->rng, 2);
		break;
	}
	case C_UNCFG: case C_START: case C_STOP: case C_RESET:
		((struct rtpm_ring_ref *)buf)->ring_id =
			op == C_UNCFG && pick(&w->rng, 4) ? w->sh->ring2 : ring;
		break;
	case C_LAY: case C_STATS:
		*(uint32_t *)buf = ring;
		break;
	case C_PUSH:
		sd->index = held_take(w);
		sd->len = pick(&w->rng, FUZZ_PAYLOAD + 2);
		break;
	case C_REL:
		sd->index = held_take(w);
		break;
	case C_CLAIM_B: case C_PUSH_B: case C_POP_B: case C_REL_B:
		b->ring_id = RING;
		b->count = 1 + pick(&w->rng, 16);
		b->descs = (uintptr_t)d;
		if (op == C_CLAIM_B && !pick(&w->rng, 8))
			b->dropped = pick(&w->rng, 5);
		for (k = 0; k < b->count; k++) {
			d[k].index = op == C_PUSH_B || op == C_REL_B ?
				held_take(w) : 0;
			d[k].len = pick(&w->rng, FUZZ_PAYLOAD + 2);
		}
		break;
	default:
		break;
	}

	if (mutate) {
		switch (pick(&w->rng, 6)) {
		case 0:	/* a bit of the struct */
			if (argsz)
				buf[pick(&w->rng, argsz)] ^= 1u << pick(&w->rng, 8);
			break;
		case 1:	/* a word of the struct to an edge value */
			if (argsz >= 4)
				((uint32_t *)buf)[pick(&w->rng, argsz / 4)] =
					edge(&w->rng, slots);
			break;
		case 2:	/* the argument pointer */
			if (arg)
				arg = bad_ptr(w, _IOC_DIR(cmd) & _IOC_READ);
			break;
		case 3:	/* the descriptor pointer or count */
			if (op >= C_CLAIM_B && op <= C_REL_B) {
				if (pick(&w->rng, 2))
					b->descs = (uintptr_t)bad_ptr(w, 1);
				else
					b->count = edge(&w->rng, slots);
				if (b->count > 20 && b->descs == (uintptr_t)d)
					b->descs = (uintptr_t)w->sh->hole;
			}
			break;
		case 4:	/* the command number */
			cmd ^= 1ul << pick(&w->rng, 32);
			break;
		default:	/* a descriptor entry */
			if (op >= C_CLAIM_B && op <= C_REL_B && b->count <= 20)
				((uint32_t *)d)[pick(&w->rng, 2 * b->count)] =
					edge(&w->rng, slots);
			break;
		}
	}
	/* Keep every ring this run makes under RING_CAP bytes. */
	if (cmd == RTPM_IOC_CONFIGURE && arg == buf) {
		struct rtpm_config *c = (void *)buf;
		uint64_t lb = ring_lower_bound(c->order, c->max_payload);

		if (c->order >= 1 && c->order <= 16 && c->max_payload >= 12 &&
		    c->max_payload <= 65507 && lb > RING_CAP &&
		    lb <= w->sh->info.max_ring_bytes)
			c->order = 1;
	}
	/*
	 * CLAIM_BATCH and POP_BATCH write descriptors wherever descs points,
	 * as they must. A flipped bit or edge word in descs can aim it at
	 * live memory of this process (seed 0x1234: d ^ 0x80, over ioctl()'s
	 * return address on this thread's stack), so a mutated descs runs
	 * only if the entries stay inside d or it is a pointer that cannot
	 * be written; anything else becomes the hole (EFAULT). Reads get the
	 * same rule so that a seed does not depend on the ASLR layout.
	 */
	if ((cmd == RTPM_IOC_PUSH_BATCH || cmd == RTPM_IOC_RELEASE_BATCH ||
	     cmd == RTPM_IOC_CLAIM_BATCH || cmd == RTPM_IOC_POP_BATCH) &&
	    arg == buf && !descs_safe(w, b, d, sizeof(d)))
		b->descs = (uintptr_t)w->sh->hole;

	allowed = allowed_for(cmd, &name);
	rc = ioctl(fd, cmd, arg);
	e = rc < 0 ? errno : 0;
	w->n_calls++;
	atomic_fetch_add(&w->sh->calls, 1);
	if (e < 140)
		w->errno_seen[e]++;
	if (rc > 0 || e >= 128 || !(allowed & (e ? B(e) : OK))) {
		worker_fail(w, "%s (cmd 0x%lx, %s) on %s fd: rc %d errno %d (%s) is not documented",
			    name, cmd, mutate ? "mutated" : "valid",
			    fd == w->main.fd ? "main" : "spare", rc, e, strerror(e));
		return;
	}
	/* Remember what this worker now holds, to build plausible requests. */
	if (e == 0 && arg == buf) {
		if (cmd == RTPM_IOC_CLAIM || cmd == RTPM_IOC_POP)
			held_add(w, sd->index);
		if ((cmd == RTPM_IOC_CLAIM_BATCH || cmd == RTPM_IOC_POP_BATCH) &&
		    b->descs == (uintptr_t)d)
			for (k = 0; k < b->done && k < 20; k++)
				held_add(w, d[k].index);
	}
	/* A batch that succeeds did all of it (a pop: what was READY). */
	if ((cmd == RTPM_IOC_CLAIM_BATCH || cmd == RTPM_IOC_PUSH_BATCH ||
	     cmd == RTPM_IOC_RELEASE_BATCH) && e == 0 && arg == buf &&
	    b->done != b->count)
		worker_fail(w, "%s succeeded with done %u of %u", name, b->done, b->count);
	if (cmd == RTPM_IOC_POP_BATCH && e == 0 && arg == buf &&
	    (b->done == 0 || b->done > b->count))
		worker_fail(w, "%s succeeded with done %u of %u", name, b->done, b->count);
}

/* Stops and unconfigures every ring: mutated ring ids reach them all. */
static void clean_all_rings(const struct rtpm_info *info)
{
	uint32_t r;

	for (r = 0; r < info->max_rings; r++)
		rtpm_ring_clean(r);
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	uint64_t n = env_u64("RTPM_FUZZ_CALLS", 120000) / 2, i;
	struct rtpm_stats st;
	const char *why;

	for (i = 0; i < n && !w->err[0]; i++) {
		fuzz_one(w);
		if (i % 1024 == 0) {
			/* Snapshots are taken under the ring lock: always consistent. */
			if (rtpm_stats(w->main.fd, RING, &st))
				worker_fail(w, "GET_STATS failed: %s", strerror(errno));
			else if ((why = rtpm_invariants_broken(&st)))
				worker_fail(w, "after %llu calls: %s",
					    (unsigned long long)i, why);
		}
	}
	return NULL;
}

static void *scribbler_main(void *arg)
{
	struct worker *w = arg;	/* scribbles on this worker's mapping */
	uint64_t s = w->rng ^ 0xabcdef, x;
	size_t hdr = sizeof(struct rtpm_ring_header);
	size_t metas = w->main.lay.slot_count;
	volatile uint64_t *p;

	while (!atomic_load(&w->sh->stop_scribbling)) {
		x = rnd(&s);
		if (x & 1) {	/* a word of the header */
			p = (volatile uint64_t *)(w->main.map + (x >> 8) % (hdr / 8) * 8);
		} else {	/* a word of some slot's meta */
			uint8_t *m = (uint8_t *)rtpm_meta(&w->main, (x >> 8) % metas);

			p = (volatile uint64_t *)(m + (x >> 40) % 8 * 8);
		}
		*p = rnd(&s);
	}
	return NULL;
}

TEST_TIMEOUT(fuzz_two_threads_and_scribbler, 120)
{
	static struct shared sh;
	static struct worker w[2];
	pthread_t scrib;
	uint64_t seed = env_u64("RTPM_FUZZ_SEED", DEFAULT_SEED), calls;
	struct rtpm_stats st;
	int admin, k;
	long pg = getpagesize();
	uint8_t *pages;

	if (th_argc > 0)
		seed = strtoull(th_argv[0], NULL, 0);
	TH_LOG("seed 0x%llx (rerun: fuzz_test 0x%llx, or RTPM_FUZZ_SEED=0x%llx)",
	       (unsigned long long)seed, (unsigned long long)seed,
	       (unsigned long long)seed);
	ASSERT_EQ(0, rtpm_info(&sh.info));
	sh.ring2 = sh.info.max_rings > 1 ? RING + 1 : RING;
	clean_all_rings(&sh.info);
	pages = mmap(NULL, 2 * pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, pages);
	ASSERT_OK(munmap(pages + pg, pg));
	sh.ro_page = pages;
	sh.hole = pages + pg;

	admin = rtpm_open();
	ASSERT_EQ(0, rtpm_configure(admin, RING, FUZZ_ORDER, FUZZ_PAYLOAD,
				    RTPM_DROP_HEAD, 0));
	ASSERT_EQ(0, rtpm_ref(admin, RTPM_IOC_START, RING));
	for (k = 0; k < 2; k++) {
		w[k].sh = &sh;
		w[k].rng = seed * 2 + k + 1;
		w[k].roles = k ? RTPM_ROLE_CONSUMER : RTPM_ROLE_PRODUCER;
		ASSERT_EQ(0, rtpm_sess_open(&w[k].main, RING, w[k].roles));
		w[k].spare = rtpm_open();
	}
	ASSERT_EQ(0, pthread_create(&scrib, NULL, scribbler_main, &w[0]));
	for (k = 0; k < 2; k++)
		ASSERT_EQ(0, pthread_create(&w[k].th, NULL, worker_main, &w[k]));
	for (k = 0; k < 2; k++)
		pthread_join(w[k].th, NULL);
	atomic_store(&sh.stop_scribbling, 1);
	pthread_join(scrib, NULL);

	for (k = 0; k < 2; k++) {
		if (w[k].err[0])
			TH_LOG("worker %d: %s", k, w[k].err);
		EXPECT_EQ(0, w[k].err[0]);
	}
	TH_LOG("%llu calls; errno counts (worker 0 + 1):",
	       (unsigned long long)atomic_load(&sh.calls));
	for (k = 0; k < 140; k++)
		if (w[0].errno_seen[k] + w[1].errno_seen[k])
			TH_LOG("  %-4d %-28s %llu", k, k ? strerror(k) : "success",
			       (unsigned long long)(w[0].errno_seen[k] + w[1].errno_seen[k]));
	calls = atomic_load(&sh.calls);
	EXPECT_EQ(env_u64("RTPM_FUZZ_CALLS", 120000) / 2 * 2, calls);
	/* Both main sessions must have done real work, not only failed. */
	EXPECT_LT(100, w[0].errno_seen[0]);
	EXPECT_LT(100, w[1].errno_seen[0]);

	ASSERT_INVARIANTS(admin, RING);
	for (k = 0; k < 2; k++) {
		rtpm_sess_close(&w[k].main);
		close(w[k].spare);
	}
	ASSERT_EQ(0, rtpm_stats(admin, RING, &st));
	TH_LOG("end: pushed %llu popped %llu released %llu reclaimed %llu aborted %llu "
	       "head_drops %llu invalid %llu",
	       (unsigned long long)st.pushed, (unsigned long long)st.popped,
	       (unsigned long long)st.released, (unsigned long long)st.reclaimed,
	       (unsigned long long)st.aborted, (unsigned long long)st.head_drops,
	       (unsigned long long)st.invalid);
	EXPECT_EQ(0, st.sessions);
	EXPECT_EQ(0, st.mappings);
	EXPECT_EQ(0, st.filling);
	EXPECT_EQ(0, st.in_flight);
	ASSERT_INVARIANTS(admin, RING);
	/* Mutated configures of every ring kept the byte count exact. */
	ASSERT_BYTES_EXACT();
	close(admin);
	clean_all_rings(&sh.info);
}

TEST_HARNESS_MAIN
