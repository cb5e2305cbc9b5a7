// SPDX-License-Identifier: GPL-2.0
/*
 * gen: the calls generator. Plays both endpoints of every call in a calls file: A of call i
 * sends G.711-timed RTP (172 bytes, 50 packets/s) to the relay's A side, B to its B side.
 *
 * One socket serves every endpoint: it is bound to BIND:P (P the endpoints' common port, BIND
 * a loopback address no endpoint uses, so that only the sink's 0.0.0.0:P socket receives what
 * the relay sends back), and each datagram carries an IP_PKTINFO control message whose
 * ipi_spec_dst is its endpoint's address, so the relay sees it come from that endpoint's
 * ip:P. sendmmsg sends up to BATCH of them in one system call, whatever the number of calls.
 *
 * Open loop: the 2N streams are spread evenly over each 20 ms, packet g of the run being due
 * at t0 + g * 20 ms / 2N; gen sleeps until the next one is due (a spinning generator would take
 * a core from the relay) and sends what is due. A batch sent more than LATE_US after its first
 * packet fell due is counted late: a generator that falls behind bunches its load.
 *
 * Usage: gen CALLS_FILE SECONDS COUNTS_OUT [--batch N] [--bind IP] [--late-us N] [--rtcp]
 *   --rtcp: also one RTCP sender report per stream every 5 s, from the endpoint's port P+1 to
 *   the relay side's port + 1.
 * Writes per-stream counts to COUNTS_OUT (TSV "call dir sent errors rtcp_sent", written to a
 * temporary name and renamed: the sink waits for it) and one JSON line on stdout.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "calls_file.h"
#include "wire.h"

#define MAX_BATCH 64
#define SR_PERIOD_NS 5000000000ull

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static uint64_t now_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static int endpoint_socket(const char *bind_ip, uint16_t port)
{
	struct sockaddr_in me = { .sin_family = AF_INET, .sin_port = htons(port) };
	int fd = socket(AF_INET, SOCK_DGRAM, 0), one = 1, k = 4 << 20;

	if (fd < 0 || inet_pton(AF_INET, bind_ip, &me.sin_addr) != 1) {
		fprintf(stderr, "gen: socket for %s:%u failed\n", bind_ip, port);
		exit(1);
	}
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &k, sizeof(k)))
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &k, sizeof(k));
	/* the sink holds 0.0.0.0:port; both sides set SO_REUSEADDR to share the port */
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&me, sizeof(me))) {
		fprintf(stderr, "gen: bind %s:%u: %s\n", bind_ip, port, strerror(errno));
		exit(1);
	}
	return fd;
}

/* the control message that makes the kernel send from SRC */
static void set_source(char *ctrl, struct msghdr *h, const struct sockaddr_in *src)
{
	struct cmsghdr *c;
	struct in_pktinfo pi = { .ipi_spec_dst = src->sin_addr };

	h->msg_control = ctrl;
	h->msg_controllen = CMSG_SPACE(sizeof(pi));
	c = CMSG_FIRSTHDR(h);
	c->cmsg_level = IPPROTO_IP;
	c->cmsg_type = IP_PKTINFO;
	c->cmsg_len = CMSG_LEN(sizeof(pi));
	memcpy(CMSG_DATA(c), &pi, sizeof(pi));
}

/* one RTCP sender report (RFC 3550 6.4.1, no report blocks) for packet count n of stream s */
static int send_sr(int fd, const struct calls *calls, uint32_t s, uint32_t n)
{
	const struct call *c = &calls->call[s / 2];
	struct sockaddr_in src = (s & 1) ? c->b : c->a, dst = (s & 1) ? c->relay_b : c->relay_a;
	unsigned char p[28];
	char ctrl[CMSG_SPACE(sizeof(struct in_pktinfo))];
	struct iovec iov = { p, sizeof(p) };
	struct msghdr h = { .msg_name = &dst, .msg_namelen = sizeof(dst), .msg_iov = &iov,
			    .msg_iovlen = 1 };
	uint64_t t = now_ns(CLOCK_REALTIME);
	uint64_t frac = ((t % 1000000000ull) << 32) / 1000000000ull;

	dst.sin_port = htons(ntohs(dst.sin_port) + 1);
	p[0] = 0x80;
	p[1] = 200;
	p[2] = 0;
	p[3] = 6;
	wire_put32(p + 4, wire_ssrc(s));
	wire_put32(p + 8, (uint32_t)(t / 1000000000ull + 2208988800ull));	/* NTP seconds */
	wire_put32(p + 12, (uint32_t)frac);
	wire_put32(p + 16, wire_ts0(s) + n * RTP_TS_STEP);
	wire_put32(p + 20, n);
	wire_put32(p + 24, n * (RTP_SIZE - 12));
	set_source(ctrl, &h, &src);
	return sendmsg(fd, &h, 0) == (ssize_t)sizeof(p) ? 0 : -1;
}

int main(int argc, char **argv)
{
	static unsigned char buf[MAX_BATCH][RTP_SIZE];
	static char ctrl[MAX_BATCH][CMSG_SPACE(sizeof(struct in_pktinfo))];
	struct mmsghdr msgs[MAX_BATCH];
	struct iovec iov[MAX_BATCH];
	const char *bind_ip = "127.1.0.1", *out;
	unsigned long batch = 32, late_us = 1000;
	uint64_t t0, end, i = 0, total, streams, batches = 0, late = 0, max_late = 0, errors = 0;
	uint64_t sr_next = 0, sr_sent = 0, sr_errors = 0;
	uint32_t *sent, *errs, *rtcp;
	struct calls calls;
	struct sigaction sa;
	double secs;
	int fd, rtcp_fd = -1, k, rtcp_on = 0;
	char tmp[4096];
	FILE *f;

	if (argc < 4) {
		fprintf(stderr, "usage: gen CALLS_FILE SECONDS COUNTS_OUT [--batch N] [--bind IP] [--late-us N] [--rtcp]\n");
		return 2;
	}
	secs = atof(argv[2]);
	out = argv[3];
	for (k = 4; k < argc; k++) {
		if (!strcmp(argv[k], "--rtcp"))
			rtcp_on = 1;
		else if (!strcmp(argv[k], "--batch") && k + 1 < argc)
			batch = strtoul(argv[++k], NULL, 10);
		else if (!strcmp(argv[k], "--bind") && k + 1 < argc)
			bind_ip = argv[++k];
		else if (!strcmp(argv[k], "--late-us") && k + 1 < argc)
			late_us = strtoul(argv[++k], NULL, 10);
		else {
			fprintf(stderr, "gen: unknown argument '%s'\n", argv[k]);
			return 2;
		}
	}
	if (secs <= 0 || secs > 3600 || batch < 1 || batch > MAX_BATCH) {
		fprintf(stderr, "gen: SECONDS must be in (0, 3600], --batch 1..%d\n", MAX_BATCH);
		return 2;
	}
	if (calls_read(argv[1], &calls))
		return 2;
	streams = 2ull * calls.n;
	total = streams * (uint64_t)(secs * RTP_PPS);
	sent = calloc(streams, sizeof(*sent));
	errs = calloc(streams, sizeof(*errs));
	rtcp = calloc(streams, sizeof(*rtcp));
	if (!sent || !errs || !rtcp) {
		fprintf(stderr, "gen: out of memory\n");
		return 1;
	}
	fd = endpoint_socket(bind_ip, calls.endpoint_port);
	if (rtcp_on)
		rtcp_fd = endpoint_socket(bind_ip, calls.endpoint_port + 1);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	memset(msgs, 0, sizeof(msgs));
	for (k = 0; k < MAX_BATCH; k++) {
		memset(buf[k], 0, RTP_SIZE);
		buf[k][0] = 0x80;	/* V=2 */
		buf[k][1] = 0;		/* PT 0, PCMU */
		iov[k].iov_base = buf[k];
		iov[k].iov_len = RTP_SIZE;
		msgs[k].msg_hdr.msg_iov = &iov[k];
		msgs[k].msg_hdr.msg_iovlen = 1;
		msgs[k].msg_hdr.msg_namelen = sizeof(struct sockaddr_in);
	}

	t0 = now_ns(CLOCK_MONOTONIC);
	while (i < total && !stop) {
		uint64_t now = now_ns(CLOCK_MONOTONIC), due, n, stamp, at;
		int r;

		if (rtcp_on && now >= t0 + sr_next * SR_PERIOD_NS / streams) {
			uint32_t s = sr_next % streams;

			if (send_sr(rtcp_fd, &calls, s, sent[s]))
				sr_errors++;
			else
				rtcp[s]++, sr_sent++;
			sr_next++;
			continue;
		}
		due = (uint64_t)((double)(now - t0) * streams * RTP_PPS / 1e9) + 1;
		if (due > total)
			due = total;
		if (due <= i) {
			uint64_t next = t0 + (uint64_t)((double)i * 1e9 / (streams * RTP_PPS));
			struct timespec ts;

			if (rtcp_on && t0 + sr_next * SR_PERIOD_NS / streams < next)
				next = t0 + sr_next * SR_PERIOD_NS / streams;
			ts.tv_sec = next / 1000000000ull;
			ts.tv_nsec = next % 1000000000ull;
			clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
			continue;
		}
		n = due - i;
		if (n > batch)
			n = batch;
		at = t0 + (uint64_t)((double)i * 1e9 / (streams * RTP_PPS));
		if (now > at + late_us * 1000)
			late++;
		if (now > at && now - at > max_late)
			max_late = now - at;
		stamp = now_ns(CLOCK_REALTIME);
		for (k = 0; k < (int)n; k++) {
			uint64_t g = i + k;
			uint32_t s = g % streams, pn = g / streams, call = s / 2, dir = s & 1;
			const struct call *c = &calls.call[call];
			unsigned char *p = buf[k];

			p[2] = (uint8_t)((wire_seq0(s) + pn) >> 8);
			p[3] = (uint8_t)(wire_seq0(s) + pn);
			wire_put32(p + 4, wire_ts0(s) + pn * RTP_TS_STEP);
			wire_put32(p + 8, wire_ssrc(s));
			wire_put32(p + WIRE_CALL, call);
			wire_put32(p + WIRE_DIR, dir);
			wire_put32(p + WIRE_N, pn);
			memcpy(p + WIRE_STAMP, &stamp, sizeof(stamp));
			msgs[k].msg_hdr.msg_name = (void *)(dir ? &c->relay_b : &c->relay_a);
			set_source(ctrl[k], &msgs[k].msg_hdr, dir ? &c->b : &c->a);
		}
		r = sendmmsg(fd, msgs, n, 0);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			/* the first packet could not go: count it per stream and move past it */
			errs[i % streams]++;
			errors++;
			i++;
			continue;
		}
		batches++;
		for (k = 0; k < r; k++)
			sent[(i + k) % streams]++;
		i += r;
	}
	end = now_ns(CLOCK_MONOTONIC);

	snprintf(tmp, sizeof(tmp), "%s.tmp", out);
	f = fopen(tmp, "w");
	if (!f) {
		fprintf(stderr, "gen: %s: %s\n", tmp, strerror(errno));
		return 1;
	}
	fprintf(f, "call\tdir\tsent\terrors\trtcp_sent\n");
	for (uint64_t s = 0; s < streams; s++)
		fprintf(f, "%llu\t%s\t%u\t%u\t%u\n", (unsigned long long)s / 2, s & 1 ? "BA" : "AB",
			sent[s], errs[s], rtcp[s]);
	if (fclose(f) || rename(tmp, out)) {
		fprintf(stderr, "gen: writing %s: %s\n", out, strerror(errno));
		return 1;
	}
	printf("{\"calls\":%u,\"streams\":%llu,\"sent\":%llu,\"due\":%llu,\"secs\":%.6f,\"rate\":%.1f,"
	       "\"batches\":%llu,\"late_batches\":%llu,\"max_late_us\":%.1f,\"errors\":%llu,"
	       "\"rtcp_sent\":%llu,\"rtcp_errors\":%llu,\"stopped\":%s}\n",
	       calls.n, (unsigned long long)streams, (unsigned long long)(i - errors),
	       (unsigned long long)total, (end - t0) / 1e9, (i - errors) / ((end - t0) / 1e9),
	       (unsigned long long)batches, (unsigned long long)late, max_late / 1000.0,
	       (unsigned long long)errors, (unsigned long long)sr_sent,
	       (unsigned long long)sr_errors, stop ? "true" : "false");
	return 0;
}
