// SPDX-License-Identifier: GPL-2.0
/*
 * mmsg_relay: the single-threaded C reference relay. One recvmmsg (MSG_WAITFORONE: it returns
 * as soon as one datagram is there, with whatever else is queued, up to the batch) and one
 * sendmmsg of the same buffers per round: two syscalls per batch, no copy, no queue.
 *
 * Usage: mmsg_relay RXPORT DSTHOST DSTPORT
 */
#define _GNU_SOURCE
#include "common.h"

int main(int argc, char **argv)
{
	static unsigned char buf[RELAY_BATCH][RELAY_SLOT];
	struct mmsghdr msgs[RELAY_BATCH];
	struct iovec iov[RELAY_BATCH];
	struct sockaddr_in dst;
	int rx, tx, k;

	rx = relay_setup(argc, argv, &dst, &tx);
	memset(msgs, 0, sizeof(msgs));
	for (k = 0; k < RELAY_BATCH; k++) {
		iov[k].iov_base = buf[k];
		msgs[k].msg_hdr.msg_iov = &iov[k];
		msgs[k].msg_hdr.msg_iovlen = 1;
	}
	while (!relay_stop) {
		int n, off;

		for (k = 0; k < RELAY_BATCH; k++) {
			iov[k].iov_len = RELAY_SLOT;
			msgs[k].msg_hdr.msg_name = NULL;
			msgs[k].msg_hdr.msg_namelen = 0;
		}
		n = recvmmsg(rx, msgs, RELAY_BATCH, MSG_WAITFORONE, NULL);
		if (n <= 0)
			continue;
		for (k = 0; k < n; k++) {
			iov[k].iov_len = msgs[k].msg_len;
			msgs[k].msg_hdr.msg_name = &dst;
			msgs[k].msg_hdr.msg_namelen = sizeof(dst);
		}
		for (off = 0; off < n;) {
			int r = sendmmsg(tx, msgs + off, n - off, 0);

			if (r > 0)
				off += r;
			else if (errno != EINTR)
				off++;	/* skip the refused one, as rtpm does */
		}
	}
	return 0;
}
