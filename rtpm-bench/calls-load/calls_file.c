// SPDX-License-Identifier: GPL-2.0
/* Reads the calls file (format: README.md) and finds an endpoint by its address. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calls_file.h"

static int parse_addr(const char *s, struct sockaddr_in *sa)
{
	char ip[64];
	const char *colon = strrchr(s, ':');
	char *end;
	unsigned long port;

	if (!colon || colon == s || (size_t)(colon - s) >= sizeof(ip))
		return -1;
	memcpy(ip, s, colon - s);
	ip[colon - s] = 0;
	errno = 0;
	port = strtoul(colon + 1, &end, 10);
	if (errno || *end || end == colon + 1 || port == 0 || port > 65535)
		return -1;
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_port = htons(port);
	return inet_pton(AF_INET, ip, &sa->sin_addr) == 1 ? 0 : -1;
}

int calls_read(const char *path, struct calls *out)
{
	FILE *f = fopen(path, "r");
	char line[512], f1[128], f2[128], f3[128], f4[128], extra[2];
	uint32_t cap = 0, lineno = 0, i;
	unsigned long idx;

	memset(out, 0, sizeof(*out));
	if (!f) {
		fprintf(stderr, "calls file %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		struct call c;

		lineno++;
		if (line[0] == '#' || line[strspn(line, " \t\r\n")] == 0)
			continue;
		if (sscanf(line, "%lu %127s %127s %127s %127s %1s", &idx, f1, f2, f3, f4, extra) != 5 ||
		    parse_addr(f1, &c.a) || parse_addr(f2, &c.b) || parse_addr(f3, &c.relay_a) ||
		    parse_addr(f4, &c.relay_b)) {
			fprintf(stderr, "calls file %s:%u: not 'index a_ip:port b_ip:port relay_a_ip:port relay_b_ip:port'\n",
				path, lineno);
			goto fail;
		}
		if (idx >= (1u << 24)) {
			fprintf(stderr, "calls file %s:%u: index %lu is too large\n", path, lineno, idx);
			goto fail;
		}
		if (idx >= cap) {
			uint32_t ncap = cap ? cap : 1024;
			struct call *n;

			while (ncap <= idx)
				ncap *= 2;
			n = realloc(out->call, ncap * sizeof(*n));
			if (!n)
				goto oom;
			memset(n + cap, 0, (ncap - cap) * sizeof(*n));
			out->call = n;
			cap = ncap;
		}
		if (out->call[idx].a.sin_family) {
			fprintf(stderr, "calls file %s:%u: call %lu appears twice\n", path, lineno, idx);
			goto fail;
		}
		out->call[idx] = c;
		if (idx + 1 > out->n)
			out->n = idx + 1;
	}
	fclose(f);
	f = NULL;
	if (!out->n) {
		fprintf(stderr, "calls file %s: no calls\n", path);
		goto fail;
	}
	out->endpoint_port = ntohs(out->call[0].a.sin_port);
	for (i = 0; i < out->n; i++) {
		const struct call *c = &out->call[i];

		if (!c->a.sin_family) {
			fprintf(stderr, "calls file %s: call %u is missing (indexes run 0..%u)\n",
				path, i, out->n - 1);
			goto fail;
		}
		if (ntohs(c->a.sin_port) != out->endpoint_port ||
		    ntohs(c->b.sin_port) != out->endpoint_port) {
			fprintf(stderr, "calls file %s: call %u's endpoints are not on port %u like call 0's (the load tools serve every endpoint with one socket)\n",
				path, i, out->endpoint_port);
			goto fail;
		}
	}
	return 0;
oom:
	fprintf(stderr, "calls file %s: out of memory\n", path);
fail:
	if (f)
		fclose(f);
	free(out->call);
	out->call = NULL;
	return -1;
}

static uint32_t addr_hash(uint32_t a)
{
	a ^= a >> 16;
	a *= 0x45d9f3bu;
	a ^= a >> 16;
	return a;
}

int calls_index(struct calls *c)
{
	uint32_t size = 1, i, s;

	while (size < 4 * 2 * c->n)
		size *= 2;
	c->key = calloc(size, sizeof(*c->key));
	c->val = calloc(size, sizeof(*c->val));
	if (!c->key || !c->val) {
		fprintf(stderr, "calls index: out of memory\n");
		return -1;
	}
	c->mask = size - 1;
	for (i = 0; i < c->n; i++) {
		for (s = 0; s < 2; s++) {
			uint32_t addr = (s ? c->call[i].b : c->call[i].a).sin_addr.s_addr;
			uint32_t h = addr_hash(addr) & c->mask;

			while (c->key[h] && c->key[h] != addr)
				h = (h + 1) & c->mask;
			if (c->key[h] || !addr) {
				fprintf(stderr, "calls file: call %u's %c endpoint shares its address with another endpoint (each needs its own: A at 127.2.hi.lo, B at 127.3.hi.lo)\n",
					i, s ? 'B' : 'A');
				return -1;
			}
			c->key[h] = addr;
			c->val[h] = 2 * i + s;
		}
	}
	return 0;
}

int calls_endpoint(const struct calls *c, uint32_t addr)
{
	uint32_t h = addr_hash(addr) & c->mask;

	while (c->key[h]) {
		if (c->key[h] == addr)
			return c->val[h];
		h = (h + 1) & c->mask;
	}
	return -1;
}
