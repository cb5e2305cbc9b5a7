/* SPDX-License-Identifier: MIT */
/*
 * rtpm_util.h - small helpers shared by the rtp_mgr selftests: ioctl
 * wrappers that return -errno, ring set-up and clean-up, the stats
 * invariants of docs/ABI.md, and slot access through the mapping.
 */
#ifndef RTPM_UTIL_H
#define RTPM_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/ioctl.h>

#include "harness.h"
#include "rtp_mgr_ioctl.h"

/* The ring most tests use; rings are global, tests run one at a time. */
#define RING	0

/* ioctl that returns 0 or -errno, so that tests compare errnos directly. */
static inline int rtpm_ioc(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) < 0 ? -errno : 0;
}

/* One open of /dev/rtp_mgr; fails the test (not skips) when absent. */
int rtpm_open(void);
int rtpm_info(struct rtpm_info *info);

/* Stop and unconfigure @ring, ignoring ENODATA: a known, empty start. */
void rtpm_ring_clean(uint32_t ring);

int rtpm_configure(int fd, uint32_t ring, uint32_t order, uint32_t payload,
		   uint32_t policy, uint32_t flags);
int rtpm_attach(int fd, uint32_t ring, uint32_t roles);
/* Attaches as a client built against ABI minor @minor would. */
int rtpm_attach_minor(int fd, uint32_t ring, uint32_t roles, uint32_t minor);
int rtpm_ref(int fd, unsigned long cmd, uint32_t ring);
int rtpm_layout(int fd, uint32_t ring, struct rtpm_layout *lay);
int rtpm_stats(int fd, uint32_t ring, struct rtpm_stats *st);

int rtpm_claim(int fd, uint32_t *index);
int rtpm_push(int fd, uint32_t index, uint32_t len);
int rtpm_pop(int fd, uint32_t *index, uint32_t *len);
int rtpm_release(int fd, uint32_t index);
/* A batch call; *done gets the batch's done field (may be NULL). */
int rtpm_batch(int fd, unsigned long cmd, uint32_t ring,
	       struct rtpm_slot_desc *d, uint32_t count, uint32_t dropped,
	       uint32_t *done);

/*
 * Checks the invariants of docs/ABI.md on one snapshot; returns NULL or a
 * description of the first one broken.
 */
const char *rtpm_invariants_broken(const struct rtpm_stats *st);

/* Fetches stats and fails the test on a broken invariant. */
#define ASSERT_INVARIANTS(fd, ring) do {				\
	struct rtpm_stats st_inv_;					\
	const char *why_;						\
	ASSERT_EQ(0, rtpm_stats(fd, ring, &st_inv_));			\
	why_ = rtpm_invariants_broken(&st_inv_);			\
	if (why_)							\
		th_fail_at(_metadata, __FILE__, __LINE__, true,		\
			   "invariant broken: %s", why_);		\
} while (0)

/*
 * The sum of every configured ring's mmap_size (GET_LAYOUT), and in
 * *@used INFO's used_total_bytes read just after: with no configure or
 * unconfigure running, docs/ABI.md says the two are equal.
 */
uint64_t rtpm_rings_bytes(uint64_t *used);

/* Fails the test unless used_total_bytes is the sum of the rings' sizes. */
#define ASSERT_BYTES_EXACT() do {					\
	uint64_t used_, sum_ = rtpm_rings_bytes(&used_);		\
	if (used_ != sum_)						\
		th_fail_at(_metadata, __FILE__, __LINE__, true,		\
			   "used_total_bytes %llu, rings' mmap sizes %llu",\
			   (unsigned long long)used_,			\
			   (unsigned long long)sum_);			\
} while (0)

/* A session with its mapping. */
struct rtpm_sess {
	int fd;
	struct rtpm_layout lay;
	uint8_t *map;
};

/* Opens, attaches with @roles and maps (read-only for monitors). */
int rtpm_sess_open(struct rtpm_sess *s, uint32_t ring, uint32_t roles);
void rtpm_sess_close(struct rtpm_sess *s);

static inline volatile struct rtpm_ring_header *rtpm_hdr(struct rtpm_sess *s)
{
	return (volatile struct rtpm_ring_header *)s->map;
}

static inline volatile struct rtpm_slot_meta *rtpm_meta(struct rtpm_sess *s,
							 uint32_t index)
{
	return (volatile struct rtpm_slot_meta *)(s->map + s->lay.slots_offset +
		(size_t)index * s->lay.slot_stride);
}

static inline uint8_t *rtpm_payload(struct rtpm_sess *s, uint32_t index)
{
	return s->map + s->lay.slots_offset +
		(size_t)index * s->lay.slot_stride + s->lay.meta_size;
}

/* Writes a 12-byte RTP v2 header (payload type 96) at @p. */
void rtp_write_header(uint8_t *p, uint16_t seq, uint32_t ts, uint32_t ssrc,
		      uint8_t pt);

/* FNV-1a, for payload checksums. */
uint32_t fnv1a(const uint8_t *p, size_t n);

/*
 * Records the first error of a worker thread in @buf (later ones are
 * dropped: the first is the cause). Threads cannot use ASSERT_*.
 */
void first_error(char *buf, size_t n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Reads an unsigned number from the environment, or @def. */
uint64_t env_u64(const char *name, uint64_t def);

#endif /* RTPM_UTIL_H */
