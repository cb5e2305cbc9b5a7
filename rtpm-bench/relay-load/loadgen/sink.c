// SPDX-License-Identifier: GPL-2.0
/*
 * sink: the receiving end of the relay benchmark, independent of rtpm's code.
 *
 * Receives gen's packets on 127.0.0.1:PORT with recvmmsg and takes each packet's arrival time
 * from the kernel (SO_TIMESTAMPNS), so that the sink's own scheduling delays are not charged to
 * the relay. Counts unique packets by index (duplicates apart), its own socket-buffer drops
 * (SO_RXQ_OVFL: a run where the sink dropped measured the sink, not the relay) and keeps every
 * latency sample: percentiles are exact (nearest rank), per run and per second of arrival.
 *
 * Ends when EXPECT unique packets arrived, IDLE_MS after the last packet, or after MAX_SECS.
 * Usage: sink PORT EXPECT IDLE_MS MAX_SECS
 * SINK_TRACE=FILE (diagnostics): also writes one line per unique packet, "index send_ns rx_ns"
 * (CLOCK_REALTIME, the kernel's arrival stamp), to line up slow packets with a relay's own logs.
 * Says "ready" on stderr once bound; prints one JSON line on stdout at the end.
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
#include "../../lib/percentile.h"

#define BATCH 64
#define SLOT 2048

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

int main(int argc, char **argv)
{
	static unsigned char buf[BATCH][SLOT];
	static char ctrl[BATCH][128];
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	struct sockaddr_in me = { .sin_family = AF_INET };
	struct timeval tv = { 0, 50000 };
	uint64_t expect, uniq = 0, dups = 0, late = 0, first = 0, last = 0, started;
	uint64_t idle_ns, max_ns, *secs_count, nsec, s, k2;
	uint32_t *lat, *sec_of, *by_sec, ovfl = 0, *t_idx = NULL;
	uint64_t *t_send = NULL, *t_rx = NULL;
	const char *trace = getenv("SINK_TRACE");
	unsigned char *seen;
	int fd, one = 1, k, max_secs;

	if (argc < 5) {
		fprintf(stderr, "usage: sink PORT EXPECT IDLE_MS MAX_SECS\n");
		return 2;
	}
	me.sin_port = htons(atoi(argv[1]));
	inet_pton(AF_INET, "127.0.0.1", &me.sin_addr);
	expect = strtoull(argv[2], NULL, 10);
	idle_ns = strtoull(argv[3], NULL, 10) * 1000000ull;
	max_secs = atoi(argv[4]);
	max_ns = (uint64_t)max_secs * 1000000000ull;
	if (!expect || max_secs < 1) {
		fprintf(stderr, "sink: EXPECT and MAX_SECS must be positive\n");
		return 2;
	}
	lat = malloc(expect * sizeof(*lat));
	sec_of = malloc(expect * sizeof(*sec_of));
	by_sec = malloc(expect * sizeof(*by_sec));
	seen = calloc(expect / 8 + 1, 1);
	nsec = max_secs + 2;
	secs_count = calloc(nsec + 1, sizeof(*secs_count));
	if (trace) {
		t_idx = malloc(expect * sizeof(*t_idx));
		t_send = malloc(expect * sizeof(*t_send));
		t_rx = malloc(expect * sizeof(*t_rx));
	}
	if (!lat || !sec_of || !by_sec || !seen || !secs_count ||
	    (trace && (!t_idx || !t_send || !t_rx))) {
		fprintf(stderr, "sink: out of memory for %llu samples\n", (unsigned long long)expect);
		return 1;
	}

	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0) {
		perror("sink: socket");
		return 1;
	}
	k = 32 << 20;
	/* FORCE passes rmem_max (root): the sink must never be what drops */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &k, sizeof(k)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &k, sizeof(k));
	setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_RXQ_OVFL, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (bind(fd, (struct sockaddr *)&me, sizeof(me))) {
		fprintf(stderr, "sink: bind 127.0.0.1:%s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	fprintf(stderr, "ready\n");
	fflush(stderr);

	memset(msgs, 0, sizeof(msgs));
	for (k = 0; k < BATCH; k++) {
		iov[k].iov_base = buf[k];
		msgs[k].msg_hdr.msg_iov = &iov[k];
		msgs[k].msg_hdr.msg_iovlen = 1;
		msgs[k].msg_hdr.msg_control = ctrl[k];
	}
	started = now_ns();
	while (uniq < expect) {
		uint64_t now = now_ns();
		int r;

		if (now - started > max_ns || (last && now - last > idle_ns))
			break;
		for (k = 0; k < BATCH; k++) {
			iov[k].iov_len = SLOT;
			msgs[k].msg_hdr.msg_controllen = sizeof(ctrl[k]);
		}
		r = recvmmsg(fd, msgs, BATCH, MSG_WAITFORONE, NULL);
		if (r <= 0)
			continue;	/* SO_RCVTIMEO or EINTR: look at the clock again */
		for (k = 0; k < r; k++) {
			const unsigned char *p = buf[k];
			uint64_t stamp, rx = 0;
			uint32_t idx;
			struct cmsghdr *c;

			for (c = CMSG_FIRSTHDR(&msgs[k].msg_hdr); c;
			     c = CMSG_NXTHDR(&msgs[k].msg_hdr, c)) {
				if (c->cmsg_level != SOL_SOCKET)
					continue;
				if (c->cmsg_type == SO_TIMESTAMPNS) {
					struct timespec ts;

					memcpy(&ts, CMSG_DATA(c), sizeof(ts));
					rx = (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
				} else if (c->cmsg_type == SO_RXQ_OVFL) {
					memcpy(&ovfl, CMSG_DATA(c), sizeof(ovfl));
				}
			}
			if (!rx)
				rx = now_ns();
			if (msgs[k].msg_len < WIRE_MIN)
				continue;
			idx = get32(p + WIRE_INDEX);
			memcpy(&stamp, p + WIRE_STAMP, sizeof(stamp));
			if (idx >= expect) {
				late++;
				continue;
			}
			if (seen[idx / 8] & (1u << (idx % 8))) {
				dups++;
				continue;
			}
			seen[idx / 8] |= 1u << (idx % 8);
			if (!first)
				first = rx;
			last = rx;
			/* a negative delay cannot happen on one clock; clamp rather than wrap */
			lat[uniq] = rx > stamp ? (rx - stamp > UINT32_MAX ? UINT32_MAX : rx - stamp) : 0;
			if (trace) {
				t_idx[uniq] = idx;
				t_send[uniq] = stamp;
				t_rx[uniq] = rx;
			}
			s = (rx - first) / 1000000000ull;
			sec_of[uniq] = s < nsec ? s : nsec;
			uniq++;
		}
	}

	if (trace) {
		FILE *f = fopen(trace, "w");

		if (!f) {
			fprintf(stderr, "sink: %s: %s\n", trace, strerror(errno));
			return 1;
		}
		for (k2 = 0; k2 < uniq; k2++)
			fprintf(f, "%u %llu %llu\n", t_idx[k2], (unsigned long long)t_send[k2],
				(unsigned long long)t_rx[k2]);
		fclose(f);
	}
	/* per second of arrival: count, place, sort each range */
	for (k2 = 0; k2 < uniq; k2++)
		secs_count[sec_of[k2]]++;
	{
		uint64_t *at = calloc(nsec + 2, sizeof(*at));

		for (s = 0; s <= nsec; s++)
			at[s + 1] = at[s] + secs_count[s];
		for (k2 = 0; k2 < uniq; k2++)
			by_sec[at[sec_of[k2]]++] = lat[k2];
		free(at);
	}
	lat_sort(lat, uniq);
	printf("{\"expected\":%llu,\"received\":%llu,\"lost\":%llu,\"dups\":%llu,\"stray\":%llu,"
	       "\"sink_drops\":%u,\"secs\":%.6f,\"rate\":%.1f,"
	       "\"lat_us\":{\"min\":%.1f,\"p50\":%.1f,\"p90\":%.1f,\"p99\":%.1f,\"p999\":%.1f,\"max\":%.1f},"
	       "\"per_second\":[",
	       (unsigned long long)expect, (unsigned long long)uniq,
	       (unsigned long long)(expect - uniq), (unsigned long long)dups,
	       (unsigned long long)late, ovfl, (last - first) / 1e9,
	       last > first ? (uniq - 1) / ((last - first) / 1e9) : 0.0,
	       lat_pct(lat, uniq, 0), lat_pct(lat, uniq, 0.5), lat_pct(lat, uniq, 0.9), lat_pct(lat, uniq, 0.99),
	       lat_pct(lat, uniq, 0.999), lat_pct(lat, uniq, 1));
	{
		uint64_t off = 0;
		int comma = 0;

		for (s = 0; s <= nsec; s++) {
			uint32_t *r = by_sec + off;
			uint64_t n = secs_count[s];

			off += n;
			if (!n)
				continue;
			lat_sort(r, n);
			printf("%s{\"s\":%llu,\"n\":%llu,\"p50\":%.1f,\"p99\":%.1f,\"max\":%.1f}",
			       comma ? "," : "", (unsigned long long)s, (unsigned long long)n,
			       lat_pct(r, n, 0.5), lat_pct(r, n, 0.99), lat_pct(r, n, 1));
			comma = 1;
		}
	}
	printf("]}\n");
	return 0;
}
