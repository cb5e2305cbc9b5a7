// SPDX-License-Identifier: MIT
/*
 * bench_client.c - the C side of the vm-test hook kernel-bench: one producer
 * thread and one consumer thread stream packets through a real rtp_mgr ring,
 * one slot per call or in batches, and count their own system calls.
 *
 * Not a selftest (run_all does not run it): vm-test/hooks/kernel-bench builds
 * and runs it beside the Java client io.rtpm.bench.ring.KernelPathClient,
 * which does exactly the same work through rtpm-ffm:
 *
 *   producer: wait until the mapped header shows `want` FREE slots (spin, at
 *             most SPIN_NS), claim up to `want`; none: poll(POLLOUT), retry;
 *             write 172 bytes per slot (an RTP header and a packet counter),
 *             push them.
 *   consumer: the same with READY and pop; read the 172 bytes back, check the
 *             counter (in order, none lost), release them.
 *
 * With B = 1 the single-slot calls are used, with B > 1 the batch calls; the
 * spin before each call lets a batch fill instead of paying a syscall for a
 * part of one. Each measured run is bracketed by GET_STATS calls (the
 * hook's strace pass counts the calls between them) and checked against the
 * module's counters.
 *
 * Usage: bench_client RING PACKETS WARMUP TRACED GOFILE|- B [B ...]
 * For each B: WARMUP unmeasured packets, then PACKETS timed ones. With a
 * GOFILE, it then prints "kernel-bench: trace now", waits for that file to
 * exist (the hook has attached strace meanwhile) and streams TRACED packets
 * per B. One line per run:
 *   kernel-bench: client=c pass=timed|traced batch=B packets=N ns=T
 *   prod_calls=.. prod_waits=.. cons_calls=.. cons_waits=..
 * Exit 0, or 1 with a message on any failure (wrong data, an ioctl error).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stddef.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "rtp_mgr_ioctl.h"

#define PKT		172		/* RTP header + 20 ms of PCMU */
#define COUNTER_AT	12		/* the packet counter, after the RTP header */
#define ORDER		10
#define SPIN_NS		1000000L	/* longest spin for a batch to fill */
#define POLL_MS		100
/*
 * Idle after each warm-up: the Java client needs it for its JIT (two busy threads leave the
 * guest's 2 vCPUs no time to compile what the warm-up queued); both clients do it alike.
 */
#define IDLE_S		1

struct side {
	int fd;
	uint8_t *map;
	size_t map_size;
	struct rtpm_slot_desc d[RTPM_BATCH_MAX];
	unsigned long calls;	/* claim/push or pop/release ioctls */
	unsigned long waits;	/* polls */
};

static struct rtpm_layout lay;
static uint32_t ring;
static unsigned long packets;
static uint32_t batch;
static const char *failure;

static void die(const char *what, int err)
{
	fprintf(stderr, "bench_client: %s: %s\n", what, strerror(err));
	exit(1);
}

static long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

static int ioc(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) < 0 ? -errno : 0;
}

static void ring_ref(int fd, unsigned long cmd)
{
	struct rtpm_ring_ref r = { .ring_id = ring };

	ioc(fd, cmd, &r);	/* stop/unconfigure of an idle ring: errors expected */
}

static void stats(int fd, struct rtpm_stats *st)
{
	int r;

	memset(st, 0, sizeof(*st));
	st->ring_id = ring;
	r = ioc(fd, RTPM_IOC_GET_STATS, st);
	if (r)
		die("GET_STATS", -r);
}

static void attach(struct side *s, uint32_t role)
{
	struct rtpm_attach a = {
		.ring_id = ring, .roles = role,
		.abi_major = RTPM_ABI_MAJOR, .abi_minor = RTPM_ABI_MINOR,
	};
	int r;

	s->fd = open(RTPM_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	if (s->fd < 0)
		die("open " RTPM_DEVICE_PATH " (is rtp_mgr loaded?)", errno);
	r = ioc(s->fd, RTPM_IOC_ATTACH, &a);
	if (r)
		die("ATTACH", -r);
	s->map_size = lay.mmap_size;
	s->map = mmap(NULL, s->map_size, PROT_READ | PROT_WRITE, MAP_SHARED, s->fd, 0);
	if (s->map == MAP_FAILED)
		die("mmap", errno);
}

static uint8_t *payload(struct side *s, uint32_t index)
{
	return s->map + lay.slots_offset + (size_t)index * lay.slot_stride + lay.meta_size;
}

/* A header gauge, written by the kernel under its lock: read it once. */
static uint32_t gauge(struct side *s, size_t offset)
{
	return __atomic_load_n((uint32_t *)(s->map + offset), __ATOMIC_ACQUIRE);
}

/*
 * Reads the clock only every 1024 turns: in the guest clock_gettime may be a real system call
 * (no usable TSC under TCG), which would make the spin a syscall loop.
 */
static void spin_until(struct side *s, size_t offset, uint32_t want)
{
	unsigned int turn = 0;
	long t0;

	if (gauge(s, offset) >= want)
		return;
	t0 = now_ns();
	while (gauge(s, offset) < want) {
		__builtin_ia32_pause();
		if (!(++turn & 1023) && now_ns() - t0 >= SPIN_NS)
			break;
	}
}

static void wait_for(struct side *s, short events)
{
	struct pollfd p = { .fd = s->fd, .events = events };

	s->waits++;
	if (poll(&p, 1, POLL_MS) < 0 && errno != EINTR)
		die("poll", errno);
}

/*
 * Takes up to want slots: claim (producer) or pop (consumer), single or batch.
 * Returns how many (0: the ring is full, or empty: the call's expected errno).
 */
static uint32_t take(struct side *s, uint32_t want, unsigned long one, unsigned long many,
		     int expected)
{
	uint32_t done = 0;
	int r;

	s->calls++;
	if (batch == 1) {
		r = ioc(s->fd, one, &s->d[0]);
		done = r == 0;
	} else {
		struct rtpm_batch b = {
			.ring_id = ring, .count = want, .descs = (uintptr_t)s->d,
		};

		r = ioc(s->fd, many, &b);
		done = b.done;
	}
	if (r && r != -expected)
		die(one == RTPM_IOC_CLAIM ? "claim" : "pop", -r);
	return done;
}

/* Hands n slots back: push (producer) or release (consumer). */
static void hand_back(struct side *s, uint32_t n, unsigned long one, unsigned long many)
{
	int r;

	s->calls++;
	if (batch == 1) {
		r = ioc(s->fd, one, &s->d[0]);
	} else {
		struct rtpm_batch b = {
			.ring_id = ring, .count = n, .descs = (uintptr_t)s->d,
		};

		r = ioc(s->fd, many, &b);
		if (!r && b.done != n)
			r = -EIO;
	}
	if (r)
		die(one == RTPM_IOC_PUSH ? "push" : "release", -r);
}

static const uint8_t rtp_template[PKT] = { 0x80, 0x00 };	/* V=2, PT 0 (PCMU) */

static void *produce(void *arg)
{
	struct side *s = arg;
	unsigned long sent = 0;

	while (sent < packets && !__atomic_load_n(&failure, __ATOMIC_RELAXED)) {
		uint32_t want = packets - sent < batch ? packets - sent : batch;
		uint32_t n, i;

		spin_until(s, offsetof(struct rtpm_ring_header, free), want);
		n = take(s, want, RTPM_IOC_CLAIM, RTPM_IOC_CLAIM_BATCH, ENOBUFS);
		if (!n) {
			wait_for(s, POLLOUT);
			continue;
		}
		for (i = 0; i < n; i++) {
			uint8_t *p = payload(s, s->d[i].index);
			uint32_t c = sent + i;

			memcpy(p, rtp_template, PKT);
			p[2] = c >> 8;
			p[3] = c;
			memcpy(p + COUNTER_AT, &c, sizeof(c));
			s->d[i].len = PKT;
		}
		hand_back(s, n, RTPM_IOC_PUSH, RTPM_IOC_PUSH_BATCH);
		sent += n;
	}
	return NULL;
}

static void *consume(void *arg)
{
	struct side *s = arg;
	unsigned long got = 0;
	uint8_t copy[PKT];

	while (got < packets) {
		uint32_t want = packets - got < batch ? packets - got : batch;
		uint32_t n, i, c;

		spin_until(s, offsetof(struct rtpm_ring_header, ready), want);
		n = take(s, want, RTPM_IOC_POP, RTPM_IOC_POP_BATCH, EAGAIN);
		if (!n) {
			wait_for(s, POLLIN);
			continue;
		}
		for (i = 0; i < n; i++) {
			memcpy(copy, payload(s, s->d[i].index), PKT);
			memcpy(&c, copy + COUNTER_AT, sizeof(c));
			if (s->d[i].len != PKT || c != (uint32_t)(got + i)) {
				__atomic_store_n(&failure, "a packet came out wrong (length, order or content)",
						 __ATOMIC_RELAXED);
				return NULL;
			}
		}
		hand_back(s, n, RTPM_IOC_RELEASE, RTPM_IOC_RELEASE_BATCH);
		got += n;
	}
	return NULL;
}

/* Streams `count` packets at the current batch size; returns the elapsed ns. */
static long stream(struct side *prod, struct side *cons, unsigned long count)
{
	pthread_t tp, tc;
	long t0;

	packets = count;
	prod->calls = prod->waits = cons->calls = cons->waits = 0;
	t0 = now_ns();
	if (pthread_create(&tc, NULL, consume, cons) || pthread_create(&tp, NULL, produce, prod))
		die("pthread_create", EAGAIN);
	pthread_join(tp, NULL);
	pthread_join(tc, NULL);
	if (failure) {
		fprintf(stderr, "bench_client: batch %u: %s\n", batch, failure);
		exit(1);
	}
	return now_ns() - t0;
}

/* The module's counters must show exactly the packets streamed, and nothing held. */
static void check(const struct rtpm_stats *before, const struct rtpm_stats *after, unsigned long n)
{
	if (after->pushed - before->pushed == n && after->popped - before->popped == n &&
	    after->released - before->released == n && after->invalid == before->invalid &&
	    !after->ready && !after->in_flight && !after->filling)
		return;
	fprintf(stderr, "bench_client: batch %u: the module counted pushed %llu popped %llu released %llu invalid +%llu (expected %lu each, 0 invalid) and left ready %u in_flight %u filling %u\n",
		batch, (unsigned long long)(after->pushed - before->pushed),
		(unsigned long long)(after->popped - before->popped),
		(unsigned long long)(after->released - before->released),
		(unsigned long long)(after->invalid - before->invalid), n,
		after->ready, after->in_flight, after->filling);
	exit(1);
}

int main(int argc, char **argv)
{
	struct rtpm_config cfg = { .order = ORDER, .max_payload = PKT };
	struct side *prod, *cons;
	struct rtpm_stats before, after;
	unsigned long n, warm, traced;
	const char *go;
	int ctl, r, a, pass;

	if (argc < 7) {
		fprintf(stderr, "usage: bench_client RING PACKETS WARMUP TRACED GOFILE|- BATCH [BATCH ...]\n");
		return 2;
	}
	ring = strtoul(argv[1], NULL, 0);
	n = strtoul(argv[2], NULL, 0);
	warm = strtoul(argv[3], NULL, 0);
	traced = strtoul(argv[4], NULL, 0);
	go = strcmp(argv[5], "-") ? argv[5] : NULL;
	prod = calloc(1, sizeof(*prod));
	cons = calloc(1, sizeof(*cons));
	ctl = open(RTPM_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	if (!prod || !cons || ctl < 0)
		die("open " RTPM_DEVICE_PATH " (is rtp_mgr loaded?)", errno);
	ring_ref(ctl, RTPM_IOC_STOP);
	ring_ref(ctl, RTPM_IOC_UNCONFIGURE);
	cfg.ring_id = ring;
	r = ioc(ctl, RTPM_IOC_CONFIGURE, &cfg);
	if (r)
		die("CONFIGURE", -r);
	lay.ring_id = ring;
	r = ioc(ctl, RTPM_IOC_GET_LAYOUT, &lay);
	if (r)
		die("GET_LAYOUT", -r);
	r = ioc(ctl, RTPM_IOC_START, &(struct rtpm_ring_ref){ .ring_id = ring });
	if (r)
		die("START", -r);
	attach(prod, RTPM_ROLE_PRODUCER);
	attach(cons, RTPM_ROLE_CONSUMER);

	/* the timed runs, then (with a go file) the traced runs, each bracketed by GET_STATS */
	for (pass = 0; pass < (go ? 2 : 1); pass++) {
		if (pass == 1) {
			printf("kernel-bench: trace now\n");
			fflush(stdout);
			for (a = 0; access(go, F_OK); a++) {
				if (a > 60000)
					die("no go file within 600 s", ETIMEDOUT);
				usleep(10000);
			}
		}
		for (a = 6; a < argc; a++) {
			unsigned long count = pass ? traced : n;
			long ns;

			batch = strtoul(argv[a], NULL, 0);
			if (batch < 1 || batch > RTPM_BATCH_MAX)
				die("batch size out of 1..RTPM_BATCH_MAX", EINVAL);
			if (warm && !pass) {
				stream(prod, cons, warm);
				sleep(IDLE_S);	/* as the Java client, see IDLE_S */
			}
			stats(ctl, &before);	/* marker: the measured run starts */
			ns = stream(prod, cons, count);
			stats(ctl, &after);	/* marker: it ended */
			check(&before, &after, count);
			printf("kernel-bench: client=c pass=%s batch=%u packets=%lu ns=%ld prod_calls=%lu prod_waits=%lu cons_calls=%lu cons_waits=%lu\n",
			       pass ? "traced" : "timed", batch, count, ns, prod->calls, prod->waits,
			       cons->calls, cons->waits);
			fflush(stdout);
		}
	}
	munmap(prod->map, prod->map_size);
	munmap(cons->map, cons->map_size);
	close(prod->fd);
	close(cons->fd);
	ring_ref(ctl, RTPM_IOC_STOP);
	ring_ref(ctl, RTPM_IOC_UNCONFIGURE);
	close(ctl);
	return 0;
}
