// SPDX-License-Identifier: MIT
/*
 * rtp_vec_test.c - drives the real module with the RTP tracking vectors of
 * kernel-module/tests/rtp_tracking.vec (its format is described at its top):
 * each case gets a freshly configured ring; every packet is pushed through
 * the mapping (and popped and released, so the ring never fills); each
 * "expect" line is compared with GET_STATS and with the header mirror.
 *
 * The file: the first argument, else RTPM_VEC, else the repository's copy.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <unistd.h>

#include "rtpm_util.h"

#ifndef RTPM_VEC_DEFAULT
#define RTPM_VEC_DEFAULT "kernel-module/tests/rtp_tracking.vec"
#endif

#define VEC_PAYLOAD	256

struct vec_run {
	int admin;
	struct rtpm_sess s;
	uint32_t flags;		/* RTPM_CFG_* for every case */
	unsigned int cases, packets, expects;
};

static const char *vec_path(void)
{
	const char *p = getenv("RTPM_VEC");

	if (th_argc > 0)
		return th_argv[0];
	return p && *p ? p : RTPM_VEC_DEFAULT;
}

static void vec_new_case(struct th_meta *_metadata, struct vec_run *v)
{
	int rc;

	rtpm_sess_close(&v->s);
	rc = rtpm_ref(v->admin, RTPM_IOC_STOP, RING);
	ASSERT_TRUE(rc == 0 || rc == -ENODATA);
	ASSERT_EQ(0, rtpm_configure(v->admin, RING, 2, VEC_PAYLOAD,
				    RTPM_DROP_TAIL, v->flags));
	ASSERT_EQ(0, rtpm_ref(v->admin, RTPM_IOC_START, RING));
	ASSERT_EQ(0, rtpm_sess_open(&v->s, RING,
				    RTPM_ROLE_PRODUCER | RTPM_ROLE_CONSUMER));
	v->cases++;
}

static void vec_push(struct th_meta *_metadata, struct vec_run *v,
		     const uint8_t *pkt, uint32_t len)
{
	uint32_t idx, got, glen;

	ASSERT_EQ(0, rtpm_claim(v->s.fd, &idx));
	memcpy(rtpm_payload(&v->s, idx), pkt, len);
	ASSERT_EQ(0, rtpm_push(v->s.fd, idx, len));
	ASSERT_EQ(0, rtpm_pop(v->s.fd, &got, &glen));
	ASSERT_EQ(idx, got);
	ASSERT_EQ(len, glen);
	ASSERT_EQ(0, rtpm_release(v->s.fd, got));
	v->packets++;
}

static int parse_u64(const char *s, uint64_t *out)
{
	char *end;

	if (!s || !*s)
		return -1;
	errno = 0;
	*out = strtoull(s, &end, 0);
	return errno || *end ? -1 : 0;
}

/* Runs every case of the file; tracking off expects all RTP counters at 0. */
static void vec_run_file(struct th_meta *_metadata, uint32_t flags)
{
	static const char *const keys[] = { "lost", "duplicates", "reorders",
					     "resets", "not_rtp", "ssrc", "max_seq" };
	const char *path = vec_path();
	FILE *f = fopen(path, "r");
	struct vec_run v = { .flags = flags, .s = { .fd = -1 } };
	char line[1024], casename[128] = "";
	int lineno = 0;

	if (!f)
		th_fail_at(_metadata, __FILE__, __LINE__, true,
			   "cannot open the vector file %s: %s (set RTPM_VEC)",
			   path, strerror(errno));
	rtpm_ring_clean(RING);
	v.admin = rtpm_open();
	while (fgets(line, sizeof(line), f)) {
		char *hash = strchr(line, '#'), *tok[12], *save = NULL, *t;
		int n = 0;

		lineno++;
		if (hash)
			*hash = 0;
		for (t = strtok_r(line, " \t\r\n", &save); t && n < 12;
		     t = strtok_r(NULL, " \t\r\n", &save))
			tok[n++] = t;
		if (!n)
			continue;
		if (!strcmp(tok[0], "case") && n == 2) {
			snprintf(casename, sizeof(casename), "%s", tok[1]);
			vec_new_case(_metadata, &v);
		} else if (!casename[0]) {
			th_fail_at(_metadata, __FILE__, __LINE__, true,
				   "%s:%d: '%s' before any case", path, lineno, tok[0]);
		} else if (!strcmp(tok[0], "rtp") && n == 4) {
			uint64_t ssrc = 0, seq = 0, ts = 0;
			uint8_t pkt[12];

			if (parse_u64(tok[1], &ssrc) || parse_u64(tok[2], &seq) ||
			    parse_u64(tok[3], &ts) || ssrc > 0xffffffffu ||
			    seq > 0xffff || ts > 0xffffffffu)
				th_fail_at(_metadata, __FILE__, __LINE__, true,
					   "%s:%d: bad rtp line", path, lineno);
			rtp_write_header(pkt, seq, ts, ssrc, 96);
			vec_push(_metadata, &v, pkt, 12);
		} else if (!strcmp(tok[0], "raw") && n == 2) {
			uint8_t pkt[VEC_PAYLOAD];
			size_t len = 0, k, hl = strlen(tok[1]);

			if (strcmp(tok[1], "-")) {
				if (hl % 2 || hl / 2 > sizeof(pkt))
					th_fail_at(_metadata, __FILE__, __LINE__, true,
						   "%s:%d: bad raw length", path, lineno);
				for (k = 0; k < hl; k += 2) {
					unsigned int byte;

					if (!isxdigit((unsigned char)tok[1][k]) ||
					    !isxdigit((unsigned char)tok[1][k + 1]) ||
					    sscanf(tok[1] + k, "%2x", &byte) != 1)
						th_fail_at(_metadata, __FILE__, __LINE__, true,
							   "%s:%d: bad hex", path, lineno);
					pkt[len++] = byte;
				}
			}
			vec_push(_metadata, &v, pkt, len);
		} else if (!strcmp(tok[0], "expect") && n == 8) {
			uint64_t want[7] = { 0 };
			struct rtpm_stats st;
			volatile struct rtpm_ring_header *h = rtpm_hdr(&v.s);
			uint64_t got[7], mir[7];
			int k;

			for (k = 0; k < 7; k++) {
				size_t kl = strlen(keys[k]);

				if (strncmp(tok[k + 1], keys[k], kl) ||
				    tok[k + 1][kl] != '=' ||
				    parse_u64(tok[k + 1] + kl + 1, &want[k]))
					th_fail_at(_metadata, __FILE__, __LINE__, true,
						   "%s:%d: expected '%s=N' as field %d",
						   path, lineno, keys[k], k + 1);
			}
			if (flags & RTPM_CFG_NO_RTP_TRACKING)
				memset(want, 0, sizeof(want));
			ASSERT_EQ(0, rtpm_stats(v.admin, RING, &st));
			got[0] = st.rtp_lost;
			got[1] = st.rtp_duplicates;
			got[2] = st.rtp_reorders;
			got[3] = st.rtp_resets;
			got[4] = st.rtp_not_rtp;
			got[5] = st.rtp_ssrc;
			got[6] = st.rtp_max_seq;
			mir[0] = h->rtp_lost;
			mir[1] = h->rtp_duplicates;
			mir[2] = h->rtp_reorders;
			mir[3] = h->rtp_resets;
			mir[4] = h->rtp_not_rtp;
			mir[5] = h->rtp_ssrc;
			mir[6] = h->rtp_max_seq;
			for (k = 0; k < 7; k++) {
				if (want[k] != got[k])
					th_fail_at(_metadata, __FILE__, __LINE__, false,
						   "%s:%d case %s: %s: expected %llu, stats say %llu",
						   path, lineno, casename, keys[k],
						   (unsigned long long)want[k],
						   (unsigned long long)got[k]);
				if (got[k] != mir[k])
					th_fail_at(_metadata, __FILE__, __LINE__, false,
						   "%s:%d case %s: %s: stats %llu, header mirror %llu",
						   path, lineno, casename, keys[k],
						   (unsigned long long)got[k],
						   (unsigned long long)mir[k]);
			}
			ASSERT_INVARIANTS(v.admin, RING);
			v.expects++;
		} else {
			th_fail_at(_metadata, __FILE__, __LINE__, true,
				   "%s:%d: cannot read '%s' (%d fields)",
				   path, lineno, tok[0], n);
		}
	}
	fclose(f);
	rtpm_sess_close(&v.s);
	close(v.admin);
	rtpm_ring_clean(RING);
	TH_LOG("%s: %u cases, %u packets, %u expects", path, v.cases,
	       v.packets, v.expects);
	/* A file that checks nothing must not pass. */
	EXPECT_LT(0, v.cases);
	EXPECT_LE(v.cases, v.expects);
}

/* Every case of the vector file, tracking on: counters as the file says. */
TEST(vectors_tracking_on)
{
	vec_run_file(_metadata, 0);
}

/* The same packets with RTPM_CFG_NO_RTP_TRACKING: every RTP counter stays 0. */
TEST(vectors_tracking_off)
{
	vec_run_file(_metadata, RTPM_CFG_NO_RTP_TRACKING);
}

TEST_HARNESS_MAIN
