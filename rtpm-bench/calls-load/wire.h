/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One call's two RTP streams as gen writes them and sink checks them.
 *
 * A stream is (call, dir): dir 0 is A -> B, dir 1 is B -> A; stream id = 2 * call + dir.
 * Each stream has its own SSRC, first sequence number and first timestamp, derived from the
 * stream id (so both tools agree without talking), and packet n of a stream carries
 * seq = seq0 + n (mod 2^16), timestamp = ts0 + 160 n (8 kHz, 20 ms of G.711).
 *
 * After the 12-byte RTP header gen writes (big-endian unless said):
 *   12: u32 call index        16: u32 dir (0 or 1)      20: u32 packet number n
 *   24: u64 send time, ns since the epoch (CLOCK_REALTIME, host order: both ends share the host)
 */
#ifndef CALLS_LOAD_WIRE_H
#define CALLS_LOAD_WIRE_H

#include <stdint.h>

#define WIRE_CALL	12
#define WIRE_DIR	16
#define WIRE_N		20
#define WIRE_STAMP	24
#define WIRE_MIN	32

#define RTP_SIZE	172	/* 12-byte header + 160 bytes of PCMU */
#define RTP_PPS		50	/* packets/s per stream (one every 20 ms) */
#define RTP_TS_STEP	160

static inline uint64_t wire_mix(uint64_t x)
{
	/* splitmix64's finaliser: well spread, cheap, the same in both tools */
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

static inline uint32_t wire_ssrc(uint32_t stream)
{
	uint32_t s = (uint32_t)wire_mix(stream);

	return s ? s : 1;
}

static inline uint16_t wire_seq0(uint32_t stream)
{
	return (uint16_t)(wire_mix(stream) >> 32);
}

static inline uint32_t wire_ts0(uint32_t stream)
{
	return (uint32_t)(wire_mix(stream) >> 16);
}

static inline void wire_put32(unsigned char *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static inline uint32_t wire_get32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

#endif
