/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The calls file: what the relay under test writes and gen and sink read (format: README.md).
 * One line per call, "index a_endpoint b_endpoint relay_a_side relay_b_side", each an
 * IPv4 ip:port; '#' starts a comment line. Indexes run 0..N-1, each once.
 */
#ifndef CALLS_LOAD_CALLS_FILE_H
#define CALLS_LOAD_CALLS_FILE_H

#include <netinet/in.h>
#include <stdint.h>

struct call {
	struct sockaddr_in a, b;		/* the endpoints (the load tools) */
	struct sockaddr_in relay_a, relay_b;	/* where A sends and hears from; the same for B */
};

struct calls {
	struct call *call;
	uint32_t n;
	uint16_t endpoint_port;	/* every endpoint's port (host order): one socket serves them */
	/* calls_index's open-addressing table: endpoint address -> 2 * call + side */
	uint32_t *key;
	int32_t *val;
	uint32_t mask;
};

/* Reads PATH; on error prints one line naming the file and line, and returns -1. */
int calls_read(const char *path, struct calls *out);

/* Endpoint lookup by IPv4 address (network order): 2 * call + side (0 = A, 1 = B), or -1. */
int calls_endpoint(const struct calls *c, uint32_t addr);

/* Builds the index calls_endpoint uses; -1 when two endpoints share an address. */
int calls_index(struct calls *c);

#endif
