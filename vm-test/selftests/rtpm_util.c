// SPDX-License-Identifier: MIT
/* rtpm_util.c - see rtpm_util.h. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "rtpm_util.h"

int rtpm_open(void)
{
	int fd = open(RTPM_DEVICE_PATH, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		th_fail_at(th_current, __FILE__, __LINE__, true,
			   "open %s: %s (is rtp_mgr loaded?)",
			   RTPM_DEVICE_PATH, strerror(errno));
	return fd;
}

/* Every rtp_mgr test needs the device: say so once, not once per test. */
int th_precheck(char *why, size_t n)
{
	int fd = open(RTPM_DEVICE_PATH, O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		snprintf(why, n, "cannot open %s: %s (is rtp_mgr loaded?)",
			 RTPM_DEVICE_PATH, strerror(errno));
		return -1;
	}
	close(fd);
	return 0;
}

int rtpm_info(struct rtpm_info *info)
{
	int fd = rtpm_open(), rc;

	memset(info, 0, sizeof(*info));
	rc = rtpm_ioc(fd, RTPM_IOC_INFO, info);
	close(fd);
	return rc;
}

void rtpm_ring_clean(uint32_t ring)
{
	int fd = rtpm_open(), rc;

	rc = rtpm_ref(fd, RTPM_IOC_STOP, ring);
	if (rc && rc != -ENODATA)
		th_fail_at(th_current, __FILE__, __LINE__, true,
			   "clean ring %u: stop: %s", ring, strerror(-rc));
	rc = rtpm_ref(fd, RTPM_IOC_UNCONFIGURE, ring);
	if (rc && rc != -ENODATA)
		th_fail_at(th_current, __FILE__, __LINE__, true,
			   "clean ring %u: unconfigure: %s (a session left over?)",
			   ring, strerror(-rc));
	close(fd);
}

int rtpm_configure(int fd, uint32_t ring, uint32_t order, uint32_t payload,
		   uint32_t policy, uint32_t flags)
{
	struct rtpm_config c = {
		.ring_id = ring, .order = order, .max_payload = payload,
		.drop_policy = policy, .flags = flags,
	};

	return rtpm_ioc(fd, RTPM_IOC_CONFIGURE, &c);
}

int rtpm_attach_minor(int fd, uint32_t ring, uint32_t roles, uint32_t minor)
{
	struct rtpm_attach a = {
		.ring_id = ring, .roles = roles,
		.abi_major = RTPM_ABI_MAJOR, .abi_minor = minor,
	};

	return rtpm_ioc(fd, RTPM_IOC_ATTACH, &a);
}

int rtpm_attach(int fd, uint32_t ring, uint32_t roles)
{
	return rtpm_attach_minor(fd, ring, roles, RTPM_ABI_MINOR);
}

int rtpm_ref(int fd, unsigned long cmd, uint32_t ring)
{
	struct rtpm_ring_ref r = { .ring_id = ring };

	return rtpm_ioc(fd, cmd, &r);
}

int rtpm_layout(int fd, uint32_t ring, struct rtpm_layout *lay)
{
	memset(lay, 0, sizeof(*lay));
	lay->ring_id = ring;
	return rtpm_ioc(fd, RTPM_IOC_GET_LAYOUT, lay);
}

int rtpm_stats(int fd, uint32_t ring, struct rtpm_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->ring_id = ring;
	return rtpm_ioc(fd, RTPM_IOC_GET_STATS, st);
}

uint64_t rtpm_rings_bytes(uint64_t *used)
{
	struct rtpm_layout lay;
	struct rtpm_info info;
	uint64_t sum = 0;
	int fd = rtpm_open();

	memset(&info, 0, sizeof(info));
	if (rtpm_ioc(fd, RTPM_IOC_INFO, &info))
		th_fail_at(th_current, __FILE__, __LINE__, true, "INFO: %s",
			   strerror(errno));
	for (uint32_t r = 0; r < info.max_rings; r++)
		if (!rtpm_layout(fd, r, &lay))
			sum += lay.mmap_size;
	if (rtpm_ioc(fd, RTPM_IOC_INFO, &info))
		th_fail_at(th_current, __FILE__, __LINE__, true, "INFO: %s",
			   strerror(errno));
	close(fd);
	*used = info.used_total_bytes;
	return sum;
}

int rtpm_claim(int fd, uint32_t *index)
{
	struct rtpm_slot_desc d = { .index = ~0u };
	int rc = rtpm_ioc(fd, RTPM_IOC_CLAIM, &d);

	*index = d.index;
	return rc;
}

int rtpm_push(int fd, uint32_t index, uint32_t len)
{
	struct rtpm_slot_desc d = { .index = index, .len = len };

	return rtpm_ioc(fd, RTPM_IOC_PUSH, &d);
}

int rtpm_pop(int fd, uint32_t *index, uint32_t *len)
{
	struct rtpm_slot_desc d = { .index = ~0u, .len = ~0u };
	int rc = rtpm_ioc(fd, RTPM_IOC_POP, &d);

	*index = d.index;
	if (len)
		*len = d.len;
	return rc;
}

int rtpm_release(int fd, uint32_t index)
{
	struct rtpm_slot_desc d = { .index = index };

	return rtpm_ioc(fd, RTPM_IOC_RELEASE, &d);
}

int rtpm_batch(int fd, unsigned long cmd, uint32_t ring,
	       struct rtpm_slot_desc *d, uint32_t count, uint32_t dropped,
	       uint32_t *done)
{
	struct rtpm_batch b = {
		.ring_id = ring, .count = count,
		.descs = (uintptr_t)d, .done = ~0u, .dropped = dropped,
	};
	int rc = rtpm_ioc(fd, cmd, &b);

	if (done)
		*done = b.done;
	return rc;
}

const char *rtpm_invariants_broken(const struct rtpm_stats *st)
{
	static __thread char why[256];

	if ((uint64_t)st->free + st->filling + st->ready + st->in_flight !=
	    st->slot_count) {
		snprintf(why, sizeof(why),
			 "free %u + filling %u + ready %u + in_flight %u != slot_count %u",
			 st->free, st->filling, st->ready, st->in_flight,
			 st->slot_count);
		return why;
	}
	if (st->pushed != st->popped + st->ready + st->flushed + st->head_drops) {
		snprintf(why, sizeof(why),
			 "pushed %llu != popped %llu + ready %u + flushed %llu + head_drops %llu",
			 (unsigned long long)st->pushed,
			 (unsigned long long)st->popped, st->ready,
			 (unsigned long long)st->flushed,
			 (unsigned long long)st->head_drops);
		return why;
	}
	if (st->popped != st->released + st->reclaimed + st->in_flight) {
		snprintf(why, sizeof(why),
			 "popped %llu != released %llu + reclaimed %llu + in_flight %u",
			 (unsigned long long)st->popped,
			 (unsigned long long)st->released,
			 (unsigned long long)st->reclaimed, st->in_flight);
		return why;
	}
	if (st->configured && st->sessions == 0 &&
	    (st->filling || st->in_flight)) {
		snprintf(why, sizeof(why),
			 "no session left but filling %u, in_flight %u",
			 st->filling, st->in_flight);
		return why;
	}
	return NULL;
}

int rtpm_sess_open(struct rtpm_sess *s, uint32_t ring, uint32_t roles)
{
	int prot = PROT_READ;
	void *p;
	int rc;

	memset(s, 0, sizeof(*s));
	s->fd = rtpm_open();
	rc = rtpm_attach(s->fd, ring, roles);
	if (!rc)
		rc = rtpm_layout(s->fd, ring, &s->lay);
	if (rc)
		goto fail;
	if (roles & (RTPM_ROLE_PRODUCER | RTPM_ROLE_CONSUMER))
		prot |= PROT_WRITE;
	p = mmap(NULL, s->lay.mmap_size, prot, MAP_SHARED, s->fd, 0);
	if (p == MAP_FAILED) {
		rc = -errno;
		goto fail;
	}
	s->map = p;
	return 0;
fail:
	close(s->fd);
	s->fd = -1;
	return rc;
}

void rtpm_sess_close(struct rtpm_sess *s)
{
	if (s->map)
		munmap(s->map, s->lay.mmap_size);
	if (s->fd >= 0)
		close(s->fd);
	s->map = NULL;
	s->fd = -1;
}

void rtp_write_header(uint8_t *p, uint16_t seq, uint32_t ts, uint32_t ssrc,
		      uint8_t pt)
{
	p[0] = 0x80;		/* V=2, no padding, extension or CSRC */
	p[1] = pt & 0x7f;
	p[2] = seq >> 8;
	p[3] = seq;
	p[4] = ts >> 24;
	p[5] = ts >> 16;
	p[6] = ts >> 8;
	p[7] = ts;
	p[8] = ssrc >> 24;
	p[9] = ssrc >> 16;
	p[10] = ssrc >> 8;
	p[11] = ssrc;
}

uint32_t fnv1a(const uint8_t *p, size_t n)
{
	uint32_t h = 2166136261u;

	while (n--)
		h = (h ^ *p++) * 16777619u;
	return h;
}

void first_error(char *buf, size_t n, const char *fmt, ...)
{
	va_list ap;

	if (buf[0])
		return;
	va_start(ap, fmt);
	vsnprintf(buf, n, fmt, ap);
	va_end(ap);
}

uint64_t env_u64(const char *name, uint64_t def)
{
	const char *v = getenv(name);
	char *end;
	uint64_t x;

	if (!v || !*v)
		return def;
	errno = 0;
	x = strtoull(v, &end, 0);
	return errno || *end ? def : x;
}
