// SPDX-License-Identifier: GPL-2.0
/*
 * ring_relay: the two-thread C reference relay, the same shape as rtpm stream. The RX thread
 * receives a batch straight into free slots of a single-producer/single-consumer ring
 * (recvmmsg) and publishes them; the TX thread sends a batch straight from the ready slots
 * (sendmmsg) and frees them. 1024 slots of 2 KiB, as rtpm stream's default ring.
 *
 * Ordering: prod and cons run free (index = pos & MASK), each written by one thread only, on
 * its own cache line. RX fills slots, then store-release prod (A); TX load-acquire prod (A)
 * before reading the slots, and store-release cons (B) after sending from them; RX
 * load-acquire cons (B) before reusing them. An empty ring puts TX to sleep on the prod word
 * (futex) after announcing it in tx_sleeping: RX stores prod, full fence, reads tx_sleeping; TX
 * stores tx_sleeping, full fence, reads prod (C). One of the two sees the other's store, so a
 * publish never goes unnoticed; the futex re-checks prod itself. When full, RX receives into
 * scratch and drops (the ring's tail-drop policy).
 *
 * Usage: ring_relay RXPORT DSTHOST DSTPORT
 */
#define _GNU_SOURCE
#include <linux/futex.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

#define SLOTS 1024u
#define MASK (SLOTS - 1)
#define TX_SPINS 64		/* a few spins, then sleep: long spins lose on 2 cores */

static unsigned char slot[SLOTS][RELAY_SLOT];
static unsigned int slot_len[SLOTS];

static struct {
	_Alignas(64) uint32_t prod;
	_Alignas(64) uint32_t cons;
	_Alignas(64) uint32_t tx_sleeping;
} ring;

static struct sockaddr_in dst;
static int rx_fd, tx_fd;
static unsigned long long ring_full;

static long futex(uint32_t *w, int op, uint32_t val, const struct timespec *t)
{
	return syscall(SYS_futex, w, op, val, t, NULL, 0);
}

static void *tx_thread(void *arg)
{
	struct mmsghdr msgs[RELAY_BATCH];
	struct iovec iov[RELAY_BATCH];
	const struct timespec nap = { 0, 200000000 };
	uint32_t cons = 0;
	int k;

	(void)arg;
	memset(msgs, 0, sizeof(msgs));
	for (k = 0; k < RELAY_BATCH; k++) {
		msgs[k].msg_hdr.msg_iov = &iov[k];
		msgs[k].msg_hdr.msg_iovlen = 1;
		msgs[k].msg_hdr.msg_name = &dst;
		msgs[k].msg_hdr.msg_namelen = sizeof(dst);
	}
	while (!relay_stop) {
		uint32_t prod = __atomic_load_n(&ring.prod, __ATOMIC_ACQUIRE);	/* (A) */
		uint32_t n = prod - cons;
		int off, spins;

		if (!n) {
			for (spins = 0; spins < TX_SPINS && prod == cons; spins++) {
				__builtin_ia32_pause();
				prod = __atomic_load_n(&ring.prod, __ATOMIC_ACQUIRE);
			}
			if (prod != cons)
				continue;
			__atomic_store_n(&ring.tx_sleeping, 1, __ATOMIC_SEQ_CST);	/* (C) */
			prod = __atomic_load_n(&ring.prod, __ATOMIC_SEQ_CST);
			if (prod == cons)
				futex(&ring.prod, FUTEX_WAIT_PRIVATE, cons, &nap);
			__atomic_store_n(&ring.tx_sleeping, 0, __ATOMIC_RELAXED);
			continue;
		}
		if (n > RELAY_BATCH)
			n = RELAY_BATCH;
		for (k = 0; k < (int)n; k++) {
			uint32_t i = (cons + k) & MASK;

			iov[k].iov_base = slot[i];
			iov[k].iov_len = slot_len[i];
		}
		for (off = 0; off < (int)n;) {
			int r = sendmmsg(tx_fd, msgs + off, n - off, 0);

			if (r > 0)
				off += r;
			else if (errno != EINTR)
				off++;
		}
		cons += n;
		__atomic_store_n(&ring.cons, cons, __ATOMIC_RELEASE);	/* (B) */
	}
	return NULL;
}

int main(int argc, char **argv)
{
	static unsigned char scratch[RELAY_BATCH][RELAY_SLOT];
	struct mmsghdr msgs[RELAY_BATCH];
	struct iovec iov[RELAY_BATCH];
	pthread_t tx;
	uint32_t prod = 0;
	int k;

	rx_fd = relay_setup(argc, argv, &dst, &tx_fd);
	memset(msgs, 0, sizeof(msgs));
	for (k = 0; k < RELAY_BATCH; k++) {
		msgs[k].msg_hdr.msg_iov = &iov[k];
		msgs[k].msg_hdr.msg_iovlen = 1;
	}
	if (pthread_create(&tx, NULL, tx_thread, NULL)) {
		fprintf(stderr, "ring_relay: cannot start the TX thread\n");
		return 1;
	}
	while (!relay_stop) {
		uint32_t cons = __atomic_load_n(&ring.cons, __ATOMIC_ACQUIRE);	/* (B) */
		uint32_t space = SLOTS - (prod - cons);
		int want = space < RELAY_BATCH ? space : RELAY_BATCH;
		int full = !want, n;

		if (full)
			want = RELAY_BATCH;
		for (k = 0; k < want; k++) {
			iov[k].iov_base = full ? scratch[k] : slot[(prod + k) & MASK];
			iov[k].iov_len = RELAY_SLOT;
		}
		n = recvmmsg(rx_fd, msgs, want, MSG_WAITFORONE, NULL);
		if (n <= 0)
			continue;
		if (full) {
			ring_full += n;
			continue;
		}
		for (k = 0; k < n; k++)
			slot_len[(prod + k) & MASK] = msgs[k].msg_len;
		prod += n;
		__atomic_store_n(&ring.prod, prod, __ATOMIC_SEQ_CST);	/* (A), (C) */
		if (__atomic_load_n(&ring.tx_sleeping, __ATOMIC_SEQ_CST))
			futex(&ring.prod, FUTEX_WAKE_PRIVATE, 1, NULL);
	}
	pthread_join(tx, NULL);
	fprintf(stderr, "ring_relay: %llu dropped on a full ring\n", ring_full);
	return 0;
}
