// SPDX-License-Identifier: GPL-2.0
/*
 * uring_relay: the io_uring calibration relay of calls-performance.md (a calibration, not a
 * design to copy). Each of T worker threads owns one io_uring (SINGLE_ISSUER, DEFER_TASKRUN,
 * a 64k-entry completion queue) for its calls (call i on thread i % T):
 *   - one multishot RECVMSG per leg socket, all drawing from one provided-buffer ring of 8,192
 *     buffers of 2 KiB (--buffers N: fewer, to see the ring run dry); the kernel writes io_uring_recvmsg_out, the source address and the
 *     payload into the buffer it picks;
 *   - each datagram received becomes a SENDMSG of its payload, in place, out of the other leg's
 *     socket to that leg's remote; the buffer goes back to the ring when the send completes;
 *   - every submission of a round goes in one io_uring_submit_and_wait: one system call for
 *     many sockets' packets, which is what per-socket epoll cannot do.
 * A multishot receive that ends (no IORING_CQE_F_MORE, e.g. -ENOBUFS when the buffer ring ran
 * dry) is armed again and counted.
 *
 * Usage: see relay_calls.h (relay_usage). Writes the calls file once every worker has armed its
 * receives; on SIGTERM stops, writes the per-leg counters (--stats-file) and exits 0.
 */
#define _GNU_SOURCE
#include <liburing.h>
#include <sys/mman.h>

#include "relay_calls.h"

#define BGID 0
#define SEND_TAG (1ull << 63)

struct send_slot {
	struct msghdr h;
	struct iovec iov;
};

struct worker {
	struct relay *r;
	uint32_t index;
	pthread_t thread;
	struct io_uring ring;
	struct io_uring_buf_ring *br;
	unsigned char *bufs;
	struct send_slot *slot;		/* one per buffer id: a send in flight holds its buffer */
	struct msghdr tmpl;		/* what every multishot receive asks for: the source address */
	unsigned returned;		/* buffers given back this round, published at its end */
	uint64_t rearms, enobufs, errors;
};

static volatile int workers_armed;
static pthread_mutex_t armed_lock = PTHREAD_MUTEX_INITIALIZER;

static struct io_uring_sqe *get_sqe(struct worker *w)
{
	struct io_uring_sqe *sqe;

	while (!(sqe = io_uring_get_sqe(&w->ring)))
		io_uring_submit(&w->ring);	/* the submission queue is full: flush it */
	return sqe;
}

static void arm(struct worker *w, uint32_t leg)
{
	struct io_uring_sqe *sqe = get_sqe(w);

	io_uring_prep_recvmsg_multishot(sqe, w->r->leg[leg].fd, &w->tmpl, 0);
	sqe->flags |= IOSQE_BUFFER_SELECT;
	sqe->buf_group = BGID;
	io_uring_sqe_set_data64(sqe, leg);
}

static void give_back(struct worker *w, unsigned bid)
{
	io_uring_buf_ring_add(w->br, w->bufs + (size_t)bid * RELAY_SLOT, RELAY_SLOT, bid,
			      io_uring_buf_ring_mask(w->r->buffers), w->returned++);
}

static void on_recv(struct worker *w, struct io_uring_cqe *cqe)
{
	uint32_t leg = (uint32_t)cqe->user_data;
	struct leg *in = &w->r->leg[leg], *out = &w->r->leg[leg ^ 1];

	if (cqe->res >= 0 && (cqe->flags & IORING_CQE_F_BUFFER)) {
		unsigned bid = cqe->flags >> IORING_CQE_BUFFER_SHIFT;
		void *buf = w->bufs + (size_t)bid * RELAY_SLOT;
		struct io_uring_recvmsg_out *o = io_uring_recvmsg_validate(buf, cqe->res, &w->tmpl);
		struct send_slot *s = &w->slot[bid];
		struct io_uring_sqe *sqe;

		if (!o || (o->flags & MSG_TRUNC)) {
			w->errors++;
			give_back(w, bid);
		} else {
			in->rx++;
			s->iov.iov_base = io_uring_recvmsg_payload(o, &w->tmpl);
			s->iov.iov_len = io_uring_recvmsg_payload_length(o, cqe->res, &w->tmpl);
			memset(&s->h, 0, sizeof(s->h));
			s->h.msg_name = &out->remote;
			s->h.msg_namelen = sizeof(out->remote);
			s->h.msg_iov = &s->iov;
			s->h.msg_iovlen = 1;
			sqe = get_sqe(w);
			io_uring_prep_sendmsg(sqe, out->fd, &s->h, 0);
			io_uring_sqe_set_data64(sqe, SEND_TAG | (uint64_t)(leg ^ 1) << 16 | bid);
		}
	} else if (cqe->res == -ENOBUFS) {
		w->enobufs++;
	} else if (cqe->res < 0) {
		w->errors++;
	}
	if (!(cqe->flags & IORING_CQE_F_MORE)) {
		w->rearms++;
		if (!relay_stop)
			arm(w, leg);
	}
}

static void on_send(struct worker *w, struct io_uring_cqe *cqe)
{
	struct leg *out = &w->r->leg[(uint32_t)(cqe->user_data >> 16) & 0x7fffffff];

	if (cqe->res >= 0)
		out->tx++;
	else
		out->tx_errors++;
	give_back(w, cqe->user_data & 0xffff);
}

static int setup(struct worker *w)
{
	struct io_uring_params p = { .flags = IORING_SETUP_CQSIZE | IORING_SETUP_SINGLE_ISSUER |
					      IORING_SETUP_DEFER_TASKRUN,
				     .cq_entries = 65536 };
	struct io_uring_buf_reg reg = { .ring_entries = w->r->buffers, .bgid = BGID };
	size_t br_size = w->r->buffers * sizeof(struct io_uring_buf);
	int ret;
	unsigned i;

	ret = io_uring_queue_init_params(4096, &w->ring, &p);
	if (ret) {
		fprintf(stderr, "uring_relay: io_uring_queue_init_params: %s (io_uring blocked by seccomp, or a kernel before 6.1?)\n",
			strerror(-ret));
		return -1;
	}
	w->br = mmap(NULL, br_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	w->bufs = malloc((size_t)w->r->buffers * RELAY_SLOT);
	w->slot = calloc(w->r->buffers, sizeof(*w->slot));
	if (w->br == MAP_FAILED || !w->bufs || !w->slot) {
		fprintf(stderr, "uring_relay: out of memory\n");
		return -1;
	}
	io_uring_buf_ring_init(w->br);
	reg.ring_addr = (unsigned long)w->br;
	ret = io_uring_register_buf_ring(&w->ring, &reg, 0);
	if (ret) {
		fprintf(stderr, "uring_relay: io_uring_register_buf_ring: %s\n", strerror(-ret));
		return -1;
	}
	for (i = 0; i < w->r->buffers; i++)
		give_back(w, i);
	io_uring_buf_ring_advance(w->br, w->returned);
	w->returned = 0;
	w->tmpl.msg_namelen = sizeof(struct sockaddr_in);
	for (i = w->index; i < w->r->calls; i += w->r->threads) {
		arm(w, 2 * i);
		arm(w, 2 * i + 1);
	}
	io_uring_submit(&w->ring);
	return 0;
}

static void *work(void *arg)
{
	struct worker *w = arg;
	struct __kernel_timespec ts = { 0, 200000000 };
	int ok;

	if (w->r->pin)
		relay_pin(w->index);
	/* DEFER_TASKRUN: the ring belongs to the thread that submits, so it is made here */
	ok = !setup(w);
	pthread_mutex_lock(&armed_lock);
	workers_armed += ok ? 1 : -1000;
	pthread_mutex_unlock(&armed_lock);
	if (!ok)
		return NULL;
	while (!relay_stop) {
		struct io_uring_cqe *cqe;
		unsigned head, n = 0;

		io_uring_submit_and_wait_timeout(&w->ring, &cqe, 1, &ts, NULL);
		io_uring_for_each_cqe(&w->ring, head, cqe) {
			n++;
			if (cqe->user_data & SEND_TAG)
				on_send(w, cqe);
			else
				on_recv(w, cqe);
		}
		io_uring_cq_advance(&w->ring, n);
		if (w->returned) {
			io_uring_buf_ring_advance(w->br, w->returned);
			w->returned = 0;
		}
	}
	return NULL;
}

int main(int argc, char **argv)
{
	struct relay r;
	struct worker *w;
	uint64_t rearms = 0, enobufs = 0, errors = 0;
	uint32_t t;

	relay_setup(&r, argc, argv);
	w = calloc(r.threads, sizeof(*w));
	if (!w) {
		fprintf(stderr, "uring_relay: out of memory\n");
		return 1;
	}
	for (t = 0; t < r.threads; t++) {
		w[t].r = &r;
		w[t].index = t;
		if (pthread_create(&w[t].thread, NULL, work, &w[t])) {
			fprintf(stderr, "uring_relay: cannot start worker %u\n", t);
			return 1;
		}
	}
	for (;;) {
		int n;

		pthread_mutex_lock(&armed_lock);
		n = workers_armed;
		pthread_mutex_unlock(&armed_lock);
		if (n < 0)
			return 1;
		if (n == (int)r.threads)
			break;
		usleep(1000);
	}
	relay_write_calls(&r, "uring_relay");
	for (t = 0; t < r.threads; t++) {
		pthread_join(w[t].thread, NULL);
		rearms += w[t].rearms;
		enobufs += w[t].enobufs;
		errors += w[t].errors;
	}
	relay_write_stats(&r);
	fprintf(stderr, "uring_relay: multishot re-arms %llu (-ENOBUFS %llu), receive errors %llu\n",
		(unsigned long long)rearms, (unsigned long long)enobufs, (unsigned long long)errors);
	return 0;
}
