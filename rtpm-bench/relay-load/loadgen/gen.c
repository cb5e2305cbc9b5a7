// SPDX-License-Identifier: GPL-2.0
/*
 * gen: a paced UDP load generator for the relay benchmark, independent of rtpm's code.
 *
 * Sends COUNT RTP packets (PT 0, 20 ms PCMU-sized by default) to HOST:PORT at RATE packets/s
 * (0: as fast as sendmmsg goes). Each payload carries a 32-bit packet index and the send time
 * (CLOCK_REALTIME, ns) so that the sink can compute one-way latency with the kernel's receive
 * timestamp (SO_TIMESTAMPNS, also CLOCK_REALTIME) and count loss exactly.
 *
 * Pacing sleeps (clock_nanosleep, absolute) instead of spinning: on a 2-core host a spinning
 * generator would take a core from the relay under test. Packets that fell due while asleep go
 * out in one sendmmsg, each stamped with the time of that call.
 *
 * Usage: gen HOST PORT RATE COUNT [SIZE [BATCH]]
 * Prints one JSON line: {"sent":N,"secs":S,"rate":R,"errors":E}
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "wire.h"

#define MAX_BATCH 64

static uint64_t now_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

int main(int argc, char **argv)
{
	static unsigned char buf[MAX_BATCH][2048];
	struct mmsghdr msgs[MAX_BATCH];
	struct iovec iov[MAX_BATCH];
	struct sockaddr_in dst = { .sin_family = AF_INET };
	uint64_t t0, start, end, i = 0, errors = 0;
	unsigned long size = 172, batch = 32, count;
	double rate;
	int fd, k;

	if (argc < 5) {
		fprintf(stderr, "usage: gen HOST PORT RATE COUNT [SIZE [BATCH]]\n");
		return 2;
	}
	if (inet_pton(AF_INET, argv[1], &dst.sin_addr) != 1) {
		fprintf(stderr, "gen: '%s' is not an IPv4 address\n", argv[1]);
		return 2;
	}
	dst.sin_port = htons(atoi(argv[2]));
	rate = atof(argv[3]);
	count = strtoul(argv[4], NULL, 10);
	if (argc > 5)
		size = strtoul(argv[5], NULL, 10);
	if (argc > 6)
		batch = strtoul(argv[6], NULL, 10);
	if (size < WIRE_MIN || size > sizeof(buf[0]) || batch < 1 || batch > MAX_BATCH ||
	    rate < 0 || count == 0) {
		fprintf(stderr, "gen: size must be %d..%zu, batch 1..%d, rate >= 0, count > 0\n",
			WIRE_MIN, sizeof(buf[0]), MAX_BATCH);
		return 2;
	}
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0) {
		perror("gen: socket");
		return 1;
	}
	k = 4 << 20;
	setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &k, sizeof(k));

	memset(msgs, 0, sizeof(msgs));
	for (k = 0; k < MAX_BATCH; k++) {
		memset(buf[k], 0, size);
		buf[k][0] = 0x80;	/* V=2 */
		buf[k][1] = 0;		/* PT 0, PCMU */
		put32(buf[k] + 8, 0x52544d42);	/* SSRC "RTMB" */
		iov[k].iov_base = buf[k];
		iov[k].iov_len = size;
		msgs[k].msg_hdr.msg_iov = &iov[k];
		msgs[k].msg_hdr.msg_iovlen = 1;
		msgs[k].msg_hdr.msg_name = &dst;
		msgs[k].msg_hdr.msg_namelen = sizeof(dst);
	}

	start = now_ns(CLOCK_MONOTONIC);
	t0 = start;
	while (i < count) {
		uint64_t now = now_ns(CLOCK_MONOTONIC), due, n, stamp;
		int r;

		if (rate > 0) {
			due = (uint64_t)((double)(now - t0) * rate / 1e9) + 1;
			if (due > count)
				due = count;
			if (due <= i) {
				uint64_t at = t0 + (uint64_t)((double)i * 1e9 / rate);
				struct timespec ts = { at / 1000000000ull, at % 1000000000ull };

				clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
				continue;
			}
			n = due - i;
		} else {
			n = count - i;
		}
		if (n > batch)
			n = batch;
		stamp = now_ns(CLOCK_REALTIME);
		for (k = 0; k < (int)n; k++) {
			uint64_t idx = i + k;

			buf[k][2] = idx >> 8;	/* RTP sequence number */
			buf[k][3] = idx;
			put32(buf[k] + 4, (uint32_t)(idx * 160));	/* RTP timestamp, 8 kHz */
			put32(buf[k] + WIRE_INDEX, (uint32_t)idx);
			memcpy(buf[k] + WIRE_STAMP, &stamp, sizeof(stamp));
		}
		r = sendmmsg(fd, msgs, n, 0);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			/* a full send queue or a refused port: count it as sent and lost */
			errors++;
			r = 1;
		}
		i += r;
	}
	end = now_ns(CLOCK_MONOTONIC);
	printf("{\"sent\":%llu,\"secs\":%.6f,\"rate\":%.1f,\"errors\":%llu}\n",
	       (unsigned long long)i, (end - start) / 1e9, i / ((end - start) / 1e9),
	       (unsigned long long)errors);
	return 0;
}
