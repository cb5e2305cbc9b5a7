// SPDX-License-Identifier: GPL-2.0
/*
 * epoll_relay: the C epoll relay of the engine's shape, the reference the engine is measured
 * against. T worker threads, call i on thread i % T (optionally pinned); each thread has its own
 * epoll set of its calls' legs (level-triggered) and, per ready leg, one recvmmsg of up to 32
 * datagrams and one sendmmsg of them out of the other leg to its remote. A system call per ready
 * socket each way: what limits this shape with many calls at 50 packets/s each.
 *
 * Usage: see relay_calls.h (relay_usage). Writes the calls file once every leg is bound and the
 * workers run; on SIGTERM stops, writes the per-leg counters (--stats-file) and exits 0.
 */
#define _GNU_SOURCE
#include <sys/epoll.h>

#include "relay_calls.h"

#define MAX_EVENTS 256

struct worker {
	struct relay *r;
	uint32_t index;
	int epfd;
	pthread_t thread;
};

static void forward(struct leg *in, struct leg *out, struct mmsghdr *msgs, struct iovec *iov)
{
	int n, sent = 0, k;

	for (k = 0; k < RELAY_BATCH; k++) {
		iov[k].iov_len = RELAY_SLOT;
		msgs[k].msg_hdr.msg_name = NULL;
		msgs[k].msg_hdr.msg_namelen = 0;
	}
	n = recvmmsg(in->fd, msgs, RELAY_BATCH, MSG_DONTWAIT, NULL);
	if (n <= 0)
		return;
	in->rx += n;
	for (k = 0; k < n; k++) {
		iov[k].iov_len = msgs[k].msg_len;
		msgs[k].msg_hdr.msg_name = &out->remote;
		msgs[k].msg_hdr.msg_namelen = sizeof(out->remote);
	}
	while (sent < n) {
		int r = sendmmsg(out->fd, msgs + sent, n - sent, 0);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			/* the first datagram could not go (a full send buffer): count it, drop it */
			out->tx_errors++;
			sent++;
			continue;
		}
		out->tx += r;
		sent += r;
	}
}

static void *work(void *arg)
{
	static __thread unsigned char buf[RELAY_BATCH][RELAY_SLOT];
	struct worker *w = arg;
	struct relay *r = w->r;
	struct epoll_event ev[MAX_EVENTS];
	struct mmsghdr msgs[RELAY_BATCH];
	struct iovec iov[RELAY_BATCH];
	int k;

	if (r->pin)
		relay_pin(w->index);
	memset(msgs, 0, sizeof(msgs));
	for (k = 0; k < RELAY_BATCH; k++) {
		iov[k].iov_base = buf[k];
		msgs[k].msg_hdr.msg_iov = &iov[k];
		msgs[k].msg_hdr.msg_iovlen = 1;
	}
	while (!relay_stop) {
		int n = epoll_wait(w->epfd, ev, MAX_EVENTS, 200);

		for (k = 0; k < n; k++) {
			uint32_t l = ev[k].data.u32;

			forward(&r->leg[l], &r->leg[l ^ 1], msgs, iov);
		}
	}
	return NULL;
}

int main(int argc, char **argv)
{
	struct relay r;
	struct worker *w;
	uint32_t i, t;

	relay_setup(&r, argc, argv);
	w = calloc(r.threads, sizeof(*w));
	if (!w) {
		fprintf(stderr, "epoll_relay: out of memory\n");
		return 1;
	}
	for (t = 0; t < r.threads; t++) {
		w[t].r = &r;
		w[t].index = t;
		w[t].epfd = epoll_create1(EPOLL_CLOEXEC);
		if (w[t].epfd < 0) {
			perror("epoll_relay: epoll_create1");
			return 1;
		}
	}
	for (i = 0; i < 2 * r.calls; i++) {
		struct epoll_event ev = { .events = EPOLLIN, .data.u32 = i };

		if (epoll_ctl(w[(i / 2) % r.threads].epfd, EPOLL_CTL_ADD, r.leg[i].fd, &ev)) {
			perror("epoll_relay: epoll_ctl");
			return 1;
		}
	}
	for (t = 0; t < r.threads; t++) {
		if (pthread_create(&w[t].thread, NULL, work, &w[t])) {
			fprintf(stderr, "epoll_relay: cannot start worker %u\n", t);
			return 1;
		}
	}
	relay_write_calls(&r, "epoll_relay");
	for (t = 0; t < r.threads; t++)
		pthread_join(w[t].thread, NULL);
	relay_write_stats(&r);
	return 0;
}
