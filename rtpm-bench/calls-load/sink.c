// SPDX-License-Identifier: GPL-2.0
/*
 * sink: receives what the relay sends to every endpoint of a calls file and checks each packet.
 *
 * One socket bound to 0.0.0.0:P (P the endpoints' common port) receives for all endpoints; the
 * IP_PKTINFO control message says which endpoint a datagram was sent to (its destination
 * address), SO_TIMESTAMPNS when the kernel received it. Per packet it checks:
 *   - the source: what call i's B endpoint receives must come from the relay's B side of call i,
 *     what its A endpoint receives from the relay's A side (symmetric RTP); else wrong_src;
 *   - the route: the payload's call and direction are the receiving endpoint's (else misrouted,
 *     not counted as received);
 *   - the RTP header: SSRC, sequence number and timestamp are the stream's (else bad_rtp);
 *   - duplicates, by packet number per stream.
 * Every one-way latency sample is kept; percentiles are exact (nearest rank over all of them).
 *
 * Ends MAX_SECS after start, or once gen's counts file exists and either every packet gen sent
 * arrived or no receive returned anything for IDLE_MS. The socket's wait is bounded by SO_RCVTIMEO (a
 * blocking recvmmsg ignores its own timeout until a datagram arrives).
 *
 * Usage: sink CALLS_FILE SECONDS GEN_COUNTS OUT_PREFIX [--idle-ms N] [--max-secs N] [--rtcp]
 * Writes OUT_PREFIX.tsv (per call and direction) and OUT_PREFIX.json (the summary, also printed
 * on stdout). Says "ready" on stderr once bound.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "calls_file.h"
#include "wire.h"
#include "../lib/percentile.h"

#define BATCH 64
#define SLOT 2048

struct stream {
	uint32_t sent, send_errors, rtcp_sent;	/* from gen's counts file */
	uint32_t received, dups, wrong_src, misrouted, bad_rtp, beyond;
	uint32_t rtcp_received, rtcp_wrong_src;
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/*
 * One sink per endpoint port on this host: SO_REUSEADDR (which gen needs to share the port)
 * would also let a second sink bind it, and the kernel would hand each datagram to one of the
 * two. A lock file held for the sink's life makes a second one fail instead.
 */
static void lock_port(uint16_t port)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/tmp/calls-load-sink-%u.lock", port);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
	if (fd < 0 || flock(fd, LOCK_EX | LOCK_NB)) {
		fprintf(stderr, "sink: another sink holds port %u (%s): one calls-load run at a time\n",
			port, path);
		exit(1);
	}
	/* the fd stays open, and the lock held, until the sink exits */
}

static int endpoint_socket(uint16_t port)
{
	struct sockaddr_in me = { .sin_family = AF_INET, .sin_port = htons(port) };
	struct timeval tv = { 0, 100000 };
	int fd = socket(AF_INET, SOCK_DGRAM, 0), one = 1, k = 32 << 20;

	if (fd < 0) {
		perror("sink: socket");
		exit(1);
	}
	/* FORCE passes rmem_max (root): the sink must never be what drops */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &k, sizeof(k)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &k, sizeof(k));
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_RXQ_OVFL, &one, sizeof(one));
	setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (bind(fd, (struct sockaddr *)&me, sizeof(me))) {
		fprintf(stderr, "sink: bind 0.0.0.0:%u: %s\n", port, strerror(errno));
		exit(1);
	}
	return fd;
}

/* gen's per-stream counts; 0 when read, -1 when not (yet) there */
static int read_gen_counts(const char *path, struct stream *st, uint64_t streams)
{
	FILE *f = fopen(path, "r");
	char line[256], dir[4];
	unsigned long call, sent, errs, rtcp;
	uint64_t s;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lu %3s %lu %lu %lu", &call, dir, &sent, &errs, &rtcp) != 5)
			continue;	/* the header */
		s = 2ull * call + (dir[0] == 'B');
		if (s < streams) {
			st[s].sent = sent;
			st[s].send_errors = errs;
			st[s].rtcp_sent = rtcp;
		}
	}
	fclose(f);
	return 0;
}

struct rx {
	uint64_t stamp_rx;
	uint32_t dst;		/* the endpoint address it was sent to (network order) */
	uint32_t ovfl;
	int has_dst;
};

static void parse_cmsgs(struct msghdr *h, struct rx *rx)
{
	struct cmsghdr *c;

	rx->stamp_rx = 0;
	rx->has_dst = 0;
	for (c = CMSG_FIRSTHDR(h); c; c = CMSG_NXTHDR(h, c)) {
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_TIMESTAMPNS) {
			struct timespec ts;

			memcpy(&ts, CMSG_DATA(c), sizeof(ts));
			rx->stamp_rx = (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
		} else if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_RXQ_OVFL) {
			memcpy(&rx->ovfl, CMSG_DATA(c), sizeof(rx->ovfl));
		} else if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
			struct in_pktinfo pi;

			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			rx->dst = pi.ipi_addr.s_addr;
			rx->has_dst = 1;
		}
	}
}

/* the first packet from a wrong source, for the summary: what came from where instead */
static void describe_wrong(char *out, size_t len, uint32_t call, uint64_t stream,
			   const struct sockaddr_in *got, const struct sockaddr_in *want)
{
	char g[INET_ADDRSTRLEN], w[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &got->sin_addr, g, sizeof(g));
	inet_ntop(AF_INET, &want->sin_addr, w, sizeof(w));
	snprintf(out, len, "call %u %s from %s:%u, not %s:%u", call, stream & 1 ? "BA" : "AB", g,
		 ntohs(got->sin_port), w, ntohs(want->sin_port));
}

static int same_addr(const struct sockaddr_in *a, const struct sockaddr_in *b, int port_offset)
{
	return a->sin_addr.s_addr == b->sin_addr.s_addr &&
	       ntohs(a->sin_port) == ntohs(b->sin_port) + port_offset;
}

int main(int argc, char **argv)
{
	static unsigned char buf[BATCH][SLOT];
	static char ctrl[BATCH][256];
	static struct sockaddr_in from[BATCH];
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	uint64_t idle_ns = 500000000ull, max_ns, started, last = 0, nlat = 0, cap_lat;
	uint64_t streams, uniq = 0, stray = 0, sent_total = 0, s, per_stream_cap;
	uint32_t *lat, ovfl = 0, rtcp_ovfl = 0;
	unsigned char *seen;
	struct stream *st;
	struct calls calls;
	const char *gen_counts, *prefix;
	double secs, max_secs = 0;
	int fd, rtcp_fd = -1, k, rtcp_on = 0, have_counts = 0, next_check = 0;
	char path[4096], first_wrong[160] = "";
	FILE *f;

	if (argc < 5) {
		fprintf(stderr, "usage: sink CALLS_FILE SECONDS GEN_COUNTS OUT_PREFIX [--idle-ms N] [--max-secs N] [--rtcp]\n");
		return 2;
	}
	secs = atof(argv[2]);
	gen_counts = argv[3];
	prefix = argv[4];
	for (k = 5; k < argc; k++) {
		if (!strcmp(argv[k], "--rtcp"))
			rtcp_on = 1;
		else if (!strcmp(argv[k], "--idle-ms") && k + 1 < argc)
			idle_ns = strtoull(argv[++k], NULL, 10) * 1000000ull;
		else if (!strcmp(argv[k], "--max-secs") && k + 1 < argc)
			max_secs = atof(argv[++k]);
		else {
			fprintf(stderr, "sink: unknown argument '%s'\n", argv[k]);
			return 2;
		}
	}
	if (secs <= 0 || secs > 3600) {
		fprintf(stderr, "sink: SECONDS must be in (0, 3600]\n");
		return 2;
	}
	if (max_secs <= 0)
		max_secs = secs + 15;
	max_ns = (uint64_t)(max_secs * 1e9);
	if (calls_read(argv[1], &calls) || calls_index(&calls))
		return 2;
	streams = 2ull * calls.n;
	per_stream_cap = (uint64_t)(secs * RTP_PPS) + 64;
	cap_lat = streams * per_stream_cap;
	st = calloc(streams, sizeof(*st));
	seen = calloc(streams * ((per_stream_cap + 7) / 8), 1);
	lat = malloc(cap_lat * sizeof(*lat));
	if (!st || !seen || !lat) {
		fprintf(stderr, "sink: out of memory for %llu streams\n", (unsigned long long)streams);
		return 1;
	}
	lock_port(calls.endpoint_port);
	fd = endpoint_socket(calls.endpoint_port);
	if (rtcp_on)
		rtcp_fd = endpoint_socket(calls.endpoint_port + 1);
	fprintf(stderr, "ready\n");
	fflush(stderr);

	memset(msgs, 0, sizeof(msgs));
	for (k = 0; k < BATCH; k++) {
		iov[k].iov_base = buf[k];
		msgs[k].msg_hdr.msg_iov = &iov[k];
		msgs[k].msg_hdr.msg_iovlen = 1;
		msgs[k].msg_hdr.msg_name = &from[k];
		msgs[k].msg_hdr.msg_control = ctrl[k];
	}
	started = now_ns();
	for (;;) {
		uint64_t now = now_ns();
		int r, which;

		if (now - started > max_ns)
			break;
		if (--next_check <= 0) {
			next_check = 64;
			if (!have_counts && !read_gen_counts(gen_counts, st, streams)) {
				have_counts = 1;
				for (s = 0; s < streams; s++)
					sent_total += st[s].sent;
			}
		}
		if (have_counts && (uniq >= sent_total || (now > last && now - last > idle_ns)))
			break;
		for (which = 0; which < (rtcp_on ? 2 : 1); which++) {
			int sock = which ? rtcp_fd : fd;

			for (k = 0; k < BATCH; k++) {
				iov[k].iov_len = SLOT;
				msgs[k].msg_hdr.msg_namelen = sizeof(from[k]);
				msgs[k].msg_hdr.msg_controllen = sizeof(ctrl[k]);
			}
			/* RTCP is a trickle: never wait on it */
			r = recvmmsg(sock, msgs, BATCH, which ? MSG_DONTWAIT : MSG_WAITFORONE, NULL);
			if (r <= 0) {
				next_check = 0;	/* SO_RCVTIMEO or EINTR: look at the clock again */
				continue;
			}
			/*
			 * idle is counted from the last receive that returned something, not from
			 * the last packet's arrival stamp: a sink behind its queue reads packets
			 * that arrived long ago, and must not stop while the queue still holds some
			 */
			last = now_ns();
			for (k = 0; k < r; k++) {
				const unsigned char *p = buf[k];
				uint32_t len = msgs[k].msg_len, call, pn, stream;
				const struct call *c;
				struct stream *x;
				struct rx rx = { .ovfl = which ? rtcp_ovfl : ovfl };
				uint64_t stamp;
				int e;

				parse_cmsgs(&msgs[k].msg_hdr, &rx);
				if (which)
					rtcp_ovfl = rx.ovfl;
				else
					ovfl = rx.ovfl;
				e = rx.has_dst ? calls_endpoint(&calls, rx.dst) : -1;
				if (e < 0) {
					stray++;
					continue;
				}
				call = e / 2;
				c = &calls.call[call];
				/* B (side 1) receives stream A -> B (dir 0), A receives B -> A */
				stream = 2 * call + !(e & 1);
				x = &st[stream];
				if (which) {
					x->rtcp_received++;
					if (!same_addr(&from[k], (e & 1) ? &c->relay_b : &c->relay_a, 1))
						x->rtcp_wrong_src++;
					continue;
				}
				if (len < WIRE_MIN) {
					stray++;
					continue;
				}
				if (!same_addr(&from[k], (e & 1) ? &c->relay_b : &c->relay_a, 0)) {
					if (!x->wrong_src && !first_wrong[0])
						describe_wrong(first_wrong, sizeof(first_wrong), call,
							       stream, &from[k], (e & 1) ? &c->relay_b : &c->relay_a);
					x->wrong_src++;
				}
				if (wire_get32(p + WIRE_CALL) != call || wire_get32(p + WIRE_DIR) != stream % 2) {
					x->misrouted++;
					continue;
				}
				pn = wire_get32(p + WIRE_N);
				if (len != RTP_SIZE || wire_get32(p + 8) != wire_ssrc(stream) ||
				    ((p[2] << 8) | p[3]) != (uint16_t)(wire_seq0(stream) + pn) ||
				    wire_get32(p + 4) != wire_ts0(stream) + pn * RTP_TS_STEP)
					x->bad_rtp++;
				if (pn >= per_stream_cap) {
					x->beyond++;
					continue;
				}
				{
					unsigned char *bits = seen + stream * ((per_stream_cap + 7) / 8);

					if (bits[pn / 8] & (1u << (pn % 8))) {
						x->dups++;
						continue;
					}
					bits[pn / 8] |= 1u << (pn % 8);
				}
				x->received++;
				uniq++;
				if (!rx.stamp_rx)
					rx.stamp_rx = now_ns();
				memcpy(&stamp, p + WIRE_STAMP, sizeof(stamp));
				/* a negative delay cannot happen on one clock; clamp rather than wrap */
				if (nlat < cap_lat)
					lat[nlat++] = rx.stamp_rx > stamp ?
						(rx.stamp_rx - stamp > UINT32_MAX ? UINT32_MAX :
						 rx.stamp_rx - stamp) : 0;
			}
		}
	}
	if (!have_counts && !read_gen_counts(gen_counts, st, streams)) {
		have_counts = 1;
		for (s = 0; s < streams; s++)
			sent_total += st[s].sent;
	}

	{
		uint64_t t_dups = 0, t_wrong = 0, t_mis = 0, t_bad = 0, t_beyond = 0, t_lost = 0;
		uint64_t t_rtcp_sent = 0, t_rtcp_rx = 0, t_rtcp_wrong = 0, t_errs = 0, lossy = 0;
		char json[2048];

		snprintf(path, sizeof(path), "%s.tsv", prefix);
		f = fopen(path, "w");
		if (!f) {
			fprintf(stderr, "sink: %s: %s\n", path, strerror(errno));
			return 1;
		}
		fprintf(f, "call\tdir\tsent\treceived\tlost\tdups\twrong_src\tmisrouted\tbad_rtp\tsend_errors\trtcp_sent\trtcp_received\trtcp_wrong_src\n");
		for (s = 0; s < streams; s++) {
			const struct stream *x = &st[s];
			int64_t lost = (int64_t)x->sent - x->received;

			fprintf(f, "%llu\t%s\t%u\t%u\t%lld\t%u\t%u\t%u\t%u\t%u\t%u\t%u\t%u\n",
				(unsigned long long)s / 2, s & 1 ? "BA" : "AB", x->sent, x->received,
				(long long)lost, x->dups, x->wrong_src, x->misrouted, x->bad_rtp,
				x->send_errors, x->rtcp_sent, x->rtcp_received, x->rtcp_wrong_src);
			t_lost += lost > 0 ? lost : 0;
			lossy += lost != 0;
			t_dups += x->dups;
			t_wrong += x->wrong_src;
			t_mis += x->misrouted;
			t_bad += x->bad_rtp;
			t_beyond += x->beyond;
			t_errs += x->send_errors;
			t_rtcp_sent += x->rtcp_sent;
			t_rtcp_rx += x->rtcp_received;
			t_rtcp_wrong += x->rtcp_wrong_src;
		}
		fclose(f);
		lat_sort(lat, nlat);
		snprintf(json, sizeof(json),
			 "{\"calls\":%u,\"streams\":%llu,\"gen_counts\":%s,\"sent\":%llu,\"received\":%llu,"
			 "\"lost\":%llu,\"streams_with_loss\":%llu,\"dups\":%llu,\"wrong_src\":%llu,"
			 "\"misrouted\":%llu,\"bad_rtp\":%llu,\"beyond\":%llu,\"stray\":%llu,"
			 "\"send_errors\":%llu,\"sink_drops\":%u,\"rtcp_sent\":%llu,\"rtcp_received\":%llu,"
			 "\"rtcp_wrong_src\":%llu,\"rtcp_sink_drops\":%u,\"first_wrong_src\":\"%s\","
			 "\"lat_us\":{\"n\":%llu,\"min\":%.1f,\"p50\":%.1f,\"p90\":%.1f,\"p99\":%.1f,"
			 "\"p999\":%.1f,\"max\":%.1f}}",
			 calls.n, (unsigned long long)streams, have_counts ? "true" : "false",
			 (unsigned long long)sent_total, (unsigned long long)uniq,
			 (unsigned long long)t_lost, (unsigned long long)lossy,
			 (unsigned long long)t_dups, (unsigned long long)t_wrong,
			 (unsigned long long)t_mis, (unsigned long long)t_bad,
			 (unsigned long long)t_beyond, (unsigned long long)stray,
			 (unsigned long long)t_errs, ovfl, (unsigned long long)t_rtcp_sent,
			 (unsigned long long)t_rtcp_rx, (unsigned long long)t_rtcp_wrong, rtcp_ovfl, first_wrong,
			 (unsigned long long)nlat, lat_pct(lat, nlat, 0), lat_pct(lat, nlat, 0.5),
			 lat_pct(lat, nlat, 0.9), lat_pct(lat, nlat, 0.99), lat_pct(lat, nlat, 0.999),
			 lat_pct(lat, nlat, 1));
		snprintf(path, sizeof(path), "%s.json", prefix);
		f = fopen(path, "w");
		if (!f || fprintf(f, "%s\n", json) < 0 || fclose(f)) {
			fprintf(stderr, "sink: writing %s failed\n", path);
			return 1;
		}
		printf("%s\n", json);
	}
	return have_counts ? 0 : 3;
}
