/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the C comparison relays share: their arguments, one socket per leg (bound, non-blocking,
 * 1 MiB socket buffers, as the engine's legs), the calls file they write and the per-leg
 * counters they write at exit. Only the forwarding loop differs between them.
 *
 * Call i has leg A (socket RELAY_IP:PORT_BASE + 2i, remote A_NET.hi.lo:ENDPOINT_PORT) and leg B
 * (RELAY_IP:PORT_BASE + 2i + 1, remote B_NET.hi.lo:ENDPOINT_PORT), hi.lo = i / 256, i % 256.
 * What arrives on leg A goes out of leg B's socket to B's remote, and the reverse (symmetric
 * RTP); remotes are fixed, no learning, no source check.
 */
#ifndef CALLS_LOAD_RELAY_CALLS_H
#define CALLS_LOAD_RELAY_CALLS_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define RELAY_BATCH 32
#define RELAY_SLOT 2048
#define RELAY_SOCKBUF (1 << 20)

struct leg {
	int fd;
	struct sockaddr_in local, remote;
	/* single writer: the leg's worker thread; read by main after the workers are joined */
	uint64_t rx, tx, tx_errors;
};

struct relay {
	uint32_t calls, threads;
	uint32_t buffers;	/* uring_relay: provided buffers per worker (power of two) */
	int pin;
	const char *calls_file, *stats_file;
	struct leg *leg;	/* 2 * calls: leg 2i is call i's A side, 2i + 1 its B side */
};

static volatile sig_atomic_t relay_stop;

static void relay_on_signal(int sig)
{
	(void)sig;
	relay_stop = 1;
}

static void relay_usage(const char *name)
{
	fprintf(stderr, "usage: %s --calls N --calls-file FILE [--threads T] [--pin] [--relay-ip IP] [--port-base P]\n"
		"       [--endpoint-port P] [--a-net X.Y] [--b-net X.Y] [--stats-file FILE] [--buffers N (uring_relay)]\n", name);
	exit(2);
}

static void relay_addr(struct sockaddr_in *sa, const char *ip, unsigned port)
{
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_port = htons(port);
	if (inet_pton(AF_INET, ip, &sa->sin_addr) != 1) {
		fprintf(stderr, "relay: '%s' is not an IPv4 address\n", ip);
		exit(2);
	}
}

/* Parses the arguments and binds every leg's socket; exits with a message on failure. */
static void relay_setup(struct relay *r, int argc, char **argv)
{
	const char *relay_ip = "127.0.0.1", *a_net = "127.2", *b_net = "127.3";
	unsigned long port_base = 12000, endpoint_port = 41000;
	struct sigaction sa;
	uint32_t i;
	int k;

	memset(r, 0, sizeof(*r));
	r->threads = 1;
	r->buffers = 8192;
	for (k = 1; k < argc; k++) {
		const char *v = k + 1 < argc ? argv[k + 1] : NULL;

		if (!strcmp(argv[k], "--pin")) {
			r->pin = 1;
			continue;
		}
		if (!v)
			relay_usage(argv[0]);
		if (!strcmp(argv[k], "--calls"))
			r->calls = strtoul(v, NULL, 10);
		else if (!strcmp(argv[k], "--buffers"))
			r->buffers = strtoul(v, NULL, 10);
		else if (!strcmp(argv[k], "--threads"))
			r->threads = strtoul(v, NULL, 10);
		else if (!strcmp(argv[k], "--calls-file"))
			r->calls_file = v;
		else if (!strcmp(argv[k], "--stats-file"))
			r->stats_file = v;
		else if (!strcmp(argv[k], "--relay-ip"))
			relay_ip = v;
		else if (!strcmp(argv[k], "--port-base"))
			port_base = strtoul(v, NULL, 10);
		else if (!strcmp(argv[k], "--endpoint-port"))
			endpoint_port = strtoul(v, NULL, 10);
		else if (!strcmp(argv[k], "--a-net"))
			a_net = v;
		else if (!strcmp(argv[k], "--b-net"))
			b_net = v;
		else
			relay_usage(argv[0]);
		k++;
	}
	if (!r->calls || r->calls > 65536 || !r->calls_file || r->threads < 1 || r->threads > 64 ||
	    port_base < 1024 || port_base + 2ull * r->calls > 65536 || !endpoint_port ||
	    endpoint_port > 65535 || r->buffers < 1 || r->buffers > 32768 ||
	    (r->buffers & (r->buffers - 1))) {
		fprintf(stderr, "%s: need --calls 1..65536 and --calls-file; --threads 1..64; ports within 1024..65535; --buffers a power of two <= 32768\n",
			argv[0]);
		exit(2);
	}
	r->leg = calloc(2ull * r->calls, sizeof(*r->leg));
	if (!r->leg) {
		fprintf(stderr, "%s: out of memory\n", argv[0]);
		exit(1);
	}
	for (i = 0; i < 2 * r->calls; i++) {
		struct leg *l = &r->leg[i];
		int buf = RELAY_SOCKBUF;
		char ip[32];

		snprintf(ip, sizeof(ip), "%s.%u.%u", i & 1 ? b_net : a_net, (i / 2) >> 8, (i / 2) & 255);
		relay_addr(&l->remote, ip, endpoint_port);
		relay_addr(&l->local, relay_ip, port_base + i);
		l->fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (l->fd < 0) {
			fprintf(stderr, "%s: socket for leg %u: %s (RLIMIT_NOFILE? two fds a call)\n",
				argv[0], i, strerror(errno));
			exit(1);
		}
		setsockopt(l->fd, SOL_SOCKET, SO_RCVBUF, &buf, sizeof(buf));
		setsockopt(l->fd, SOL_SOCKET, SO_SNDBUF, &buf, sizeof(buf));
		if (bind(l->fd, (struct sockaddr *)&l->local, sizeof(l->local))) {
			fprintf(stderr, "%s: bind %s:%lu: %s\n", argv[0], relay_ip, port_base + i,
				strerror(errno));
			exit(1);
		}
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = relay_on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
}

static const char *relay_str(const struct sockaddr_in *sa, char *buf, size_t len)
{
	char ip[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &sa->sin_addr, ip, sizeof(ip));
	snprintf(buf, len, "%s:%u", ip, ntohs(sa->sin_port));
	return buf;
}

/* The calls file (README.md), written to a temporary name and renamed once complete. */
static void relay_write_calls(const struct relay *r, const char *relay_name)
{
	char tmp[4096], s1[32], s2[32], s3[32], s4[32];
	FILE *f;
	uint32_t i;

	snprintf(tmp, sizeof(tmp), "%s.tmp", r->calls_file);
	f = fopen(tmp, "w");
	if (!f) {
		fprintf(stderr, "relay: %s: %s\n", tmp, strerror(errno));
		exit(1);
	}
	fprintf(f, "# %s, %u calls, %u threads%s\n# pid %d\n", relay_name, r->calls, r->threads,
		r->pin ? ", pinned" : "", (int)getpid());
	for (i = 0; i < r->calls; i++) {
		const struct leg *a = &r->leg[2 * i], *b = &r->leg[2 * i + 1];

		fprintf(f, "%u %s %s %s %s\n", i, relay_str(&a->remote, s1, sizeof(s1)),
			relay_str(&b->remote, s2, sizeof(s2)), relay_str(&a->local, s3, sizeof(s3)),
			relay_str(&b->local, s4, sizeof(s4)));
	}
	if (fclose(f) || rename(tmp, r->calls_file)) {
		fprintf(stderr, "relay: writing %s: %s\n", r->calls_file, strerror(errno));
		exit(1);
	}
}

/* Per call and direction: what the relay received on one leg and sent out of the other. */
static void relay_write_stats(const struct relay *r)
{
	FILE *f;
	uint32_t i;

	if (!r->stats_file)
		return;
	f = fopen(r->stats_file, "w");
	if (!f) {
		fprintf(stderr, "relay: %s: %s\n", r->stats_file, strerror(errno));
		return;
	}
	fprintf(f, "call\tdir\treceived\tsent\tsend_errors\n");
	for (i = 0; i < r->calls; i++) {
		const struct leg *a = &r->leg[2 * i], *b = &r->leg[2 * i + 1];

		fprintf(f, "%u\tAB\t%llu\t%llu\t%llu\n", i, (unsigned long long)a->rx,
			(unsigned long long)b->tx, (unsigned long long)b->tx_errors);
		fprintf(f, "%u\tBA\t%llu\t%llu\t%llu\n", i, (unsigned long long)b->rx,
			(unsigned long long)a->tx, (unsigned long long)a->tx_errors);
	}
	fclose(f);
}

/* Pins the calling thread to CPU (thread index mod the CPUs it may run on). */
static void relay_pin(uint32_t index)
{
	cpu_set_t allowed, one;
	int n = 0, c;

	if (sched_getaffinity(0, sizeof(allowed), &allowed))
		return;
	n = CPU_COUNT(&allowed);
	index %= n;
	for (c = 0; c < CPU_SETSIZE; c++) {
		if (CPU_ISSET(c, &allowed) && index-- == 0) {
			CPU_ZERO(&one);
			CPU_SET(c, &one);
			pthread_setaffinity_np(pthread_self(), sizeof(one), &one);
			return;
		}
	}
}

#endif
