// SPDX-License-Identifier: MIT
/*
 * srtp-peer: libsrtp2 on the other side of rtpm's SRTP interop test (io.rtpm.srtp.LibSrtpInteropTest).
 *
 *   srtp-peer protect|unprotect rtp|rtcp SUITE KEY_HEX [MKI_HEX]
 *   srtp-peer bench SUITE KEY_HEX SIZE COUNT
 *
 * Reads one packet a line in hex from stdin and writes one line for each to stdout: the
 * processed packet in hex, or "ERR <libsrtp status>". KEY_HEX is the master key followed by
 * the master salt; SRTP_PEER_RTCP_AUTH_ONLY=1 in the environment leaves SRTCP unencrypted
 * (authenticated only). One session: ssrc_any_outbound to protect, ssrc_any_inbound to unprotect,
 * replay window 128. "bench" times COUNT packets of SIZE bytes (RTP, one SSRC, sequence
 * numbers counting up) as rtpm's SrtpBench and SrtpCpuTime do: protect, and protect plus
 * unprotect, in thread CPU time per packet.
 */
#include <srtp2/srtp.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_PACKET 8192

static int suite_policy(const char *suite, srtp_crypto_policy_t *rtp, srtp_crypto_policy_t *rtcp)
{
	if (!strcmp(suite, "AES_CM_128_HMAC_SHA1_80")) {
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(rtp);
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(rtcp);
	} else if (!strcmp(suite, "AES_CM_128_HMAC_SHA1_32")) {
		/* RFC 4568 6.2.2: SRTCP keeps the 80-bit tag */
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(rtp);
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(rtcp);
	} else if (!strcmp(suite, "AES_256_CM_HMAC_SHA1_80")) {
		srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80(rtp);
		srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80(rtcp);
	} else if (!strcmp(suite, "AEAD_AES_128_GCM")) {
		srtp_crypto_policy_set_aes_gcm_128_16_auth(rtp);
		srtp_crypto_policy_set_aes_gcm_128_16_auth(rtcp);
	} else if (!strcmp(suite, "AEAD_AES_256_GCM")) {
		srtp_crypto_policy_set_aes_gcm_256_16_auth(rtp);
		srtp_crypto_policy_set_aes_gcm_256_16_auth(rtcp);
	} else {
		return -1;
	}
	return 0;
}

static int unhex(const char *hex, unsigned char *out, size_t max)
{
	size_t n = strlen(hex);

	while (n && (hex[n - 1] == '\n' || hex[n - 1] == '\r'))
		n--;
	if (n % 2 || n / 2 > max)
		return -1;
	for (size_t i = 0; i < n / 2; i++) {
		unsigned int b;

		if (sscanf(hex + 2 * i, "%2x", &b) != 1)
			return -1;
		out[i] = (unsigned char)b;
	}
	return (int)(n / 2);
}

static srtp_t session(const char *suite, const char *key_hex, const char *mki_hex, int outbound)
{
	static unsigned char key[64], mki[128];
	static srtp_master_key_t master;
	static srtp_master_key_t *masters[1] = { &master };
	srtp_policy_t policy;
	srtp_t ctx;
	int mki_len = 0;

	memset(&policy, 0, sizeof(policy));
	if (suite_policy(suite, &policy.rtp, &policy.rtcp) || unhex(key_hex, key, sizeof(key)) < 0 ||
	    (mki_hex && (mki_len = unhex(mki_hex, mki, sizeof(mki))) <= 0)) {
		fprintf(stderr, "srtp-peer: bad suite, key or MKI\n");
		exit(2);
	}
	/* SRTCP authenticated but not encrypted (E flag clear), as rtpm's encryptRtcp=false */
	if (getenv("SRTP_PEER_RTCP_AUTH_ONLY"))
		policy.rtcp.sec_serv = sec_serv_auth;
	policy.ssrc.type = outbound ? ssrc_any_outbound : ssrc_any_inbound;
	policy.window_size = 128;
	if (mki_len) {
		master.key = key;
		master.mki_id = mki;
		master.mki_size = (unsigned int)mki_len;
		policy.keys = masters;
		policy.num_master_keys = 1;
	} else {
		policy.key = key;
	}
	if (srtp_create(&ctx, &policy) != srtp_err_status_ok) {
		fprintf(stderr, "srtp-peer: srtp_create failed\n");
		exit(1);
	}
	return ctx;
}

/* this thread's CPU time: on a shared host it counts the work, not the waits for a core */
static long long now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return t.tv_sec * 1000000000LL + t.tv_nsec;
}

/* the plain packet, written before each protect as rtpm's SrtpBench writes it */
static void write_plain(unsigned char *pkt, int size, unsigned short seq)
{
	memset(pkt, 0xab, (size_t)size);
	pkt[0] = 0x80;
	pkt[1] = 0;
	pkt[2] = (unsigned char)(seq >> 8);
	pkt[3] = (unsigned char)seq;
	memset(pkt + 8, 0x11, 4);
}

/*
 * The two shapes of rtpm's SrtpBench, on one buffer: COUNT times write and protect, then
 * COUNT times write, protect and unprotect (unprotect is the difference).
 */
static int bench(const char *suite, const char *key_hex, int size, long count)
{
	static unsigned char pkt[MAX_PACKET];
	srtp_t tx = session(suite, key_hex, NULL, 1);
	srtp_t tx2 = session(suite, key_hex, NULL, 1), rx = session(suite, key_hex, NULL, 0);
	int len;

	long long t0 = now_ns();
	for (long i = 0; i < count; i++) {
		write_plain(pkt, size, (unsigned short)i);
		len = size;
		if (srtp_protect(tx, pkt, &len) != srtp_err_status_ok)
			return 1;
	}
	long long t1 = now_ns();
	for (long i = 0; i < count; i++) {
		write_plain(pkt, size, (unsigned short)i);
		len = size;
		if (srtp_protect(tx2, pkt, &len) != srtp_err_status_ok ||
		    srtp_unprotect(rx, pkt, &len) != srtp_err_status_ok || len != size)
			return 1;
	}
	long long t2 = now_ns();
	double protect = (double)(t1 - t0) / count, round_trip = (double)(t2 - t1) / count;

	printf("%s size=%d count=%ld cpu protect_ns=%.1f protect_unprotect_ns=%.1f protect_per_s=%.0f protect_unprotect_per_s=%.0f\n",
	       suite, size, count, protect, round_trip, 1e9 / protect, 1e9 / round_trip);
	return 0;
}

int main(int argc, char **argv)
{
	static char line[2 * MAX_PACKET + 8];
	static unsigned char pkt[MAX_PACKET];

	if (srtp_init() != srtp_err_status_ok) {
		fprintf(stderr, "srtp-peer: srtp_init failed\n");
		return 1;
	}
	if (argc == 6 && !strcmp(argv[1], "bench"))
		return bench(argv[2], argv[3], atoi(argv[4]), atol(argv[5]));
	if (argc < 5 || argc > 6 || (strcmp(argv[1], "protect") && strcmp(argv[1], "unprotect")) ||
	    (strcmp(argv[2], "rtp") && strcmp(argv[2], "rtcp"))) {
		fprintf(stderr, "usage: srtp-peer protect|unprotect rtp|rtcp SUITE KEY_HEX [MKI_HEX]\n"
				"       srtp-peer bench SUITE KEY_HEX SIZE COUNT\n");
		return 2;
	}
	int protect = !strcmp(argv[1], "protect"), rtcp = !strcmp(argv[2], "rtcp");
	unsigned int use_mki = argc == 6;
	srtp_t ctx = session(argv[3], argv[4], use_mki ? argv[5] : NULL, protect);

	while (fgets(line, sizeof(line), stdin)) {
		int len = unhex(line, pkt, MAX_PACKET - 64);
		srtp_err_status_t st;

		if (len < 0) {
			fprintf(stderr, "srtp-peer: bad hex line\n");
			return 2;
		}
		if (protect)
			st = rtcp ? srtp_protect_rtcp_mki(ctx, pkt, &len, use_mki, 0)
				  : srtp_protect_mki(ctx, pkt, &len, use_mki, 0);
		else
			st = rtcp ? srtp_unprotect_rtcp_mki(ctx, pkt, &len, use_mki)
				  : srtp_unprotect_mki(ctx, pkt, &len, use_mki);
		if (st != srtp_err_status_ok) {
			printf("ERR %d\n", (int)st);
			continue;
		}
		for (int i = 0; i < len; i++)
			printf("%02x", pkt[i]);
		putchar('\n');
	}
	srtp_dealloc(ctx);
	return 0;
}
