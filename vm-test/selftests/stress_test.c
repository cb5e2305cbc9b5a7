// SPDX-License-Identifier: MIT
/*
 * stress_test.c - a producer and a consumer move RTPM_STRESS_PACKETS
 * (default 1,000,000) packets through one ring, as two threads and as two
 * processes, in batches, spinning briefly on the mapped header before
 * sleeping in poll() (a wake-up costs ~80 us under qemu TCG).
 *
 * Each packet carries an RTP header (sequence = packet number), its own
 * 32-bit packet number and a checksum of its body, so the consumer
 * detects any loss, duplicate, reorder or corruption at once. At the end the
 * counters must be exact: pushed, popped, released, bytes, overruns and
 * underruns as both sides counted them, no drops, no RTP loss.
 */
#define _GNU_SOURCE
#include <poll.h>
#include <pthread.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "rtpm_util.h"

#define ORDER		10
#define PAYLOAD		160
#define BATCH		64
#define MIN_LEN		20	/* RTP header, packet number, checksum */
#define SSRC		0x5eed5eedu
#define SPIN_NS		1000000	/* spin this long before sleeping in poll() */
#define STUCK_S		10	/* no progress for this long is a failure */

/* Deterministic length of packet @i: MIN_LEN .. PAYLOAD, whole words. */
static uint32_t pkt_len(uint32_t i)
{
	return MIN_LEN + 4 * ((i * 2654435761u >> 7) % ((PAYLOAD - MIN_LEN) / 4 + 1));
}

/* FNV-1a over 32-bit words: a quarter of the byte loop's work under TCG. */
static uint32_t body_sum(const uint8_t *p, uint32_t len)
{
	uint32_t h = 2166136261u, w, k;

	for (k = 0; k < len; k += 4) {
		memcpy(&w, p + k, 4);
		h = (h ^ w) * 16777619u;
	}
	return h;
}

static void pkt_fill(uint8_t *p, uint32_t i, uint32_t len)
{
	uint32_t k, w;

	rtp_write_header(p, (uint16_t)i, i * 160, SSRC, 96);
	memcpy(p + 12, &i, 4);
	for (k = MIN_LEN; k < len; k += 4) {
		w = i * 0x9e3779b9u + k * 0x85ebca6bu;
		memcpy(p + k, &w, 4);
	}
	w = body_sum(p + MIN_LEN, len - MIN_LEN);
	memcpy(p + 16, &w, 4);
}

/* What each side saw; written by its thread or process, read at the end. */
struct side {
	uint64_t packets;
	uint64_t bytes;
	uint64_t enobufs;	/* claims that found the ring full */
	uint64_t underruns;	/* empty pops right after a non-empty one */
	uint64_t sleeps;	/* times it had to poll() */
	char err[256];
};

struct stress {
	uint32_t ring;
	uint64_t n;
	struct side prod, cons;
};

#define side_fail(s, ...) first_error((s)->err, sizeof((s)->err), __VA_ARGS__)

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/*
 * Waits until @ready() says so: a brief spin on the mapped header (the other
 * side is usually mid-batch), then poll(). Fails after STUCK_S seconds of
 * nothing, rather than hanging.
 */
static int wait_for(struct rtpm_sess *s, short ev,
		    int (*ready)(volatile struct rtpm_ring_header *),
		    struct side *side)
{
	volatile struct rtpm_ring_header *h = rtpm_hdr(s);
	struct pollfd pfd = { .fd = s->fd, .events = ev };
	uint64_t until = mono_ns() + SPIN_NS;
	int k, n;

	do {
		for (k = 0; k < 64; k++) {
			if (ready(h))
				return 0;
			__builtin_ia32_pause();
		}
	} while (mono_ns() < until);
	side->sleeps++;
	n = poll(&pfd, 1, STUCK_S * 1000);
	if (n == 1 && (pfd.revents & ev))
		return 0;
	side_fail(side, "poll(%s) = %d revents 0x%x after %llu packets: stuck",
		  ev == POLLIN ? "POLLIN" : "POLLOUT", n, pfd.revents,
		  (unsigned long long)side->packets);
	return -1;
}

static int has_free(volatile struct rtpm_ring_header *h) { return h->free > 0; }
static int has_ready(volatile struct rtpm_ring_header *h) { return h->ready > 0; }

static void produce(struct rtpm_sess *s, struct stress *x)
{
	struct rtpm_slot_desc d[BATCH];
	struct side *me = &x->prod;
	uint32_t done, k, want;
	uint64_t sent = 0;
	int rc;

	while (sent < x->n && !me->err[0]) {
		want = x->n - sent < BATCH ? x->n - sent : BATCH;
		rc = rtpm_batch(s->fd, RTPM_IOC_CLAIM_BATCH, x->ring, d, want, 0, &done);
		if (rc && rc != -ENOBUFS) {
			side_fail(me, "claim batch: %s", strerror(-rc));
			break;
		}
		if (done > want) {
			side_fail(me, "claim batch done %u > count %u", done, want);
			break;
		}
		for (k = 0; k < done; k++) {
			uint32_t i = sent + k, len = pkt_len(i);

			if (d[k].index >= s->lay.slot_count) {
				side_fail(me, "claimed index %u out of range", d[k].index);
				return;
			}
			pkt_fill(rtpm_payload(s, d[k].index), i, len);
			d[k].len = len;
			me->bytes += len;
		}
		if (done) {
			uint32_t pushed;
			int prc = rtpm_batch(s->fd, RTPM_IOC_PUSH_BATCH, x->ring,
					     d, done, 0, &pushed);

			if (prc || pushed != done) {
				side_fail(me, "push batch: %s, done %u of %u",
					  strerror(-prc), pushed, done);
				break;
			}
			sent += done;
			me->packets = sent;
		}
		if (rc == -ENOBUFS) {
			me->enobufs++;
			if (wait_for(s, POLLOUT, has_free, me))
				break;
		}
	}
}

static void consume(struct rtpm_sess *s, struct stress *x)
{
	struct rtpm_slot_desc d[BATCH];
	struct side *me = &x->cons;
	uint64_t got = 0;
	bool found_before = false;
	uint32_t done, k, rel;
	int rc;

	while (got < x->n && !me->err[0]) {
		rc = rtpm_batch(s->fd, RTPM_IOC_POP_BATCH, x->ring, d, BATCH, 0, &done);
		if (rc == -EAGAIN) {
			if (done)
				side_fail(me, "pop EAGAIN with done %u", done);
			if (found_before)
				me->underruns++;
			found_before = false;
			if (wait_for(s, POLLIN, has_ready, me))
				break;
			continue;
		}
		if (rc || !done || done > BATCH) {
			side_fail(me, "pop batch: %s, done %u", strerror(-rc), done);
			break;
		}
		found_before = true;
		for (k = 0; k < done; k++) {
			uint32_t i = got + k, len = d[k].len, seq, sum;
			const uint8_t *p;

			if (d[k].index >= s->lay.slot_count) {
				side_fail(me, "popped index %u out of range", d[k].index);
				return;
			}
			p = rtpm_payload(s, d[k].index);
			memcpy(&seq, p + 12, 4);
			memcpy(&sum, p + 16, 4);
			if (seq != i) {
				side_fail(me, "packet %u: carries number %u (lost, duplicated or reordered)",
					  i, seq);
				return;
			}
			if (len != pkt_len(i) || p[2] != (uint8_t)(i >> 8) ||
			    p[3] != (uint8_t)i) {
				side_fail(me, "packet %u: len %u (want %u), rtp seq %02x%02x",
					  i, len, pkt_len(i), p[2], p[3]);
				return;
			}
			if (sum != body_sum(p + MIN_LEN, len - MIN_LEN)) {
				side_fail(me, "packet %u: checksum mismatch (corrupted)", i);
				return;
			}
			me->bytes += len;
		}
		rc = rtpm_batch(s->fd, RTPM_IOC_RELEASE_BATCH, x->ring, d, done, 0, &rel);
		if (rc || rel != done) {
			side_fail(me, "release batch: %s, done %u of %u",
				  strerror(-rc), rel, done);
			break;
		}
		got += done;
		me->packets = got;
	}
}

static void *producer_thread(void *arg)
{
	struct stress *x = arg;
	struct rtpm_sess s;
	int rc = rtpm_sess_open(&s, x->ring, RTPM_ROLE_PRODUCER);

	if (rc) {
		side_fail(&x->prod, "producer session: %s", strerror(-rc));
		return NULL;
	}
	produce(&s, x);
	rtpm_sess_close(&s);
	return NULL;
}

static void *consumer_thread(void *arg)
{
	struct stress *x = arg;
	struct rtpm_sess s;
	int rc = rtpm_sess_open(&s, x->ring, RTPM_ROLE_CONSUMER);

	if (rc) {
		side_fail(&x->cons, "consumer session: %s", strerror(-rc));
		return NULL;
	}
	consume(&s, x);
	rtpm_sess_close(&s);
	return NULL;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Wall time against CPU time: under TCG on a busy host they differ a lot. */
static void log_rate(int who, double t0, uint64_t n)
{
	double wall = now_s() - t0;
	struct rusage ru;

	getrusage(who, &ru);
	TH_LOG("%.2f s wall, %.0f packets/s; CPU user %.2f s, system %.2f s", wall,
	       n / wall, ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6,
	       ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6);
}

/* The exact end state of a clean run of x->n packets. */
static void check_end(struct th_meta *_metadata, int admin, struct stress *x)
{
	struct rtpm_stats st;
	uint64_t bytes = 0, i;

	EXPECT_EQ(0, x->prod.err[0]);
	EXPECT_EQ(0, x->cons.err[0]);
	if (x->prod.err[0])
		TH_LOG("producer: %s", x->prod.err);
	if (x->cons.err[0])
		TH_LOG("consumer: %s", x->cons.err);
	for (i = 0; i < x->n; i++)
		bytes += pkt_len(i);
	ASSERT_EQ(0, rtpm_stats(admin, x->ring, &st));
	TH_LOG("%llu packets; producer full %llu times, slept %llu; consumer empty %llu times, slept %llu",
	       (unsigned long long)x->n, (unsigned long long)x->prod.enobufs,
	       (unsigned long long)x->prod.sleeps,
	       (unsigned long long)x->cons.underruns,
	       (unsigned long long)x->cons.sleeps);
	EXPECT_EQ(x->n, x->prod.packets);
	EXPECT_EQ(x->n, x->cons.packets);
	EXPECT_EQ(bytes, x->prod.bytes);
	EXPECT_EQ(bytes, x->cons.bytes);
	EXPECT_EQ(x->n, st.pushed);
	EXPECT_EQ(x->n, st.popped);
	EXPECT_EQ(x->n, st.released);
	EXPECT_EQ(bytes, st.bytes_in);
	EXPECT_EQ(bytes, st.bytes_out);
	EXPECT_EQ(x->prod.enobufs, st.overruns);
	EXPECT_EQ(x->cons.underruns, st.underruns);
	EXPECT_EQ(0, st.drops + st.head_drops + st.flushed + st.reclaimed +
		  st.aborted + st.invalid);
	EXPECT_EQ(0, st.rtp_lost);
	EXPECT_EQ(0, st.rtp_duplicates);
	EXPECT_EQ(0, st.rtp_reorders);
	EXPECT_EQ(0, st.rtp_not_rtp);
	EXPECT_EQ(0, st.rtp_resets);	/* the first source is no reset */
	EXPECT_EQ(SSRC, st.rtp_ssrc);
	EXPECT_EQ(x->n - 1, st.rtp_max_seq);
	EXPECT_EQ(st.slot_count, st.free);
	EXPECT_EQ(0, st.sessions);
	EXPECT_EQ(0, st.mappings);
	ASSERT_INVARIANTS(admin, x->ring);
}

static int stress_setup(struct th_meta *_metadata, struct stress *x)
{
	int admin;

	memset(x, 0, sizeof(*x));
	x->ring = RING;
	x->n = env_u64("RTPM_STRESS_PACKETS", 1000000);
	rtpm_ring_clean(RING);
	admin = rtpm_open();
	ASSERT_EQ(0, rtpm_configure(admin, RING, ORDER, PAYLOAD, RTPM_DROP_TAIL, 0));
	ASSERT_EQ(0, rtpm_ref(admin, RTPM_IOC_START, RING));
	return admin;
}

/* Two threads, one session each, in one process. */
TEST_TIMEOUT(two_threads_1m_packets, 90)
{
	static struct stress x;
	pthread_t tp, tc;
	int admin = stress_setup(_metadata, &x);
	double t0 = now_s();

	ASSERT_EQ(0, pthread_create(&tc, NULL, consumer_thread, &x));
	ASSERT_EQ(0, pthread_create(&tp, NULL, producer_thread, &x));
	pthread_join(tp, NULL);
	pthread_join(tc, NULL);
	log_rate(RUSAGE_SELF, t0, x.n);
	check_end(_metadata, admin, &x);
	close(admin);
	rtpm_ring_clean(RING);
}

/* Two processes, each opening its own session after fork. */
TEST_TIMEOUT(two_processes_1m_packets, 90)
{
	struct stress *x = mmap(NULL, sizeof(*x), PROT_READ | PROT_WRITE,
				MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int admin, status, k;
	pid_t pid[2];
	double t0;

	ASSERT_NE(MAP_FAILED, x);
	admin = stress_setup(_metadata, x);
	t0 = now_s();
	for (k = 0; k < 2; k++) {
		pid[k] = fork();
		ASSERT_LE(0, pid[k]);
		if (pid[k] == 0) {
			if (k == 0)
				producer_thread(x);
			else
				consumer_thread(x);
			_exit(0);
		}
	}
	for (k = 0; k < 2; k++) {
		ASSERT_EQ(pid[k], waitpid(pid[k], &status, 0));
		EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	log_rate(RUSAGE_CHILDREN, t0, x->n);
	check_end(_metadata, admin, x);
	close(admin);
	rtpm_ring_clean(RING);
}

TEST_HARNESS_MAIN
