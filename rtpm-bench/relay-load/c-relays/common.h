/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What both C reference relays share: argument parsing and the sockets, set up as rtpm stream
 * sets up its own (4 MiB receive buffer, forced past rmem_max when root), so that only the
 * forwarding loop differs between the relays compared.
 */
#ifndef RELAY_C_COMMON_H
#define RELAY_C_COMMON_H

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>

#define RELAY_BATCH 32		/* rtpm's default batch */
#define RELAY_SLOT 2048

static volatile sig_atomic_t relay_stop;

static void relay_on_signal(int sig)
{
	(void)sig;
	relay_stop = 1;
}

/* SIGTERM/SIGINT end the relay; no SA_RESTART, so blocked calls return EINTR */
static void relay_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = relay_on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
}

/* usage: NAME RXPORT DSTHOST DSTPORT; opens the receive socket, fills dst, returns rx fd */
static int relay_setup(int argc, char **argv, struct sockaddr_in *dst, int *txfd)
{
	struct sockaddr_in me = { .sin_family = AF_INET };
	/* a receive timeout lets the loops see relay_stop even if a signal is missed */
	struct timeval tv = { 0, 200000 };
	int fd, buf = 4 << 20;

	if (argc < 4) {
		fprintf(stderr, "usage: %s RXPORT DSTHOST DSTPORT\n", argv[0]);
		exit(2);
	}
	memset(dst, 0, sizeof(*dst));
	dst->sin_family = AF_INET;
	dst->sin_port = htons(atoi(argv[3]));
	if (inet_pton(AF_INET, argv[2], &dst->sin_addr) != 1) {
		fprintf(stderr, "%s: '%s' is not an IPv4 address\n", argv[0], argv[2]);
		exit(2);
	}
	me.sin_port = htons(atoi(argv[1]));
	inet_pton(AF_INET, "127.0.0.1", &me.sin_addr);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	*txfd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0 || *txfd < 0) {
		perror("socket");
		exit(1);
	}
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &buf, sizeof(buf)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buf, sizeof(buf));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (bind(fd, (struct sockaddr *)&me, sizeof(me))) {
		fprintf(stderr, "%s: bind 127.0.0.1:%s: %s\n", argv[0], argv[1], strerror(errno));
		exit(1);
	}
	relay_signals();
	fprintf(stderr, "relaying\n");
	return fd;
}

#endif
