/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Exact latency percentiles for the benchmarks' sinks: every sample is kept (ns, u32), sorted
 * once, and a percentile is the nearest-rank sample (the smallest sample with at least q of all
 * samples at or below it), in microseconds.
 */
#ifndef RTPM_BENCH_PERCENTILE_H
#define RTPM_BENCH_PERCENTILE_H

#include <stdint.h>
#include <stdlib.h>

static int lat_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

static inline void lat_sort(uint32_t *s, uint64_t n)
{
	qsort(s, n, sizeof(*s), lat_cmp);
}

/* nearest rank on sorted samples S[0..N), in microseconds; -1 without samples */
static inline double lat_pct(const uint32_t *s, uint64_t n, double q)
{
	uint64_t r;

	if (!n)
		return -1;
	r = (uint64_t)(q * n + 0.999999);
	if (r < 1)
		r = 1;
	if (r > n)
		r = n;
	return s[r - 1] / 1000.0;
}

#endif
