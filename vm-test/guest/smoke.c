// SPDX-License-Identifier: GPL-2.0
/*
 * rtpm-smoke: one short, complete use of /dev/rtp_mgr: configure a ring, attach, map it,
 * move one packet through claim/push/pop/release, then undo everything. Run once after the
 * first insmod and, through smoke_use(), in every load/use/unload cycle (cycles.c), so each
 * cycle allocates, maps and frees a ring before rmmod. The full coverage lives in
 * vm-test/selftests; this only has to fail loudly when a fresh module cannot do the round trip.
 *
 * Exit status 0 on success; 1 with a line on stderr naming the failed step otherwise.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "rtp_mgr_ioctl.h"
#include "smoke.h"

#define SMOKE_ORDER	2
#define SMOKE_PAYLOAD	64

/* A variable, not the macro: with minor 0 the check would read as "unsigned < 0" to gcc. */
static const unsigned int abi_minor_needed = RTPM_ABI_MINOR;

static int fail(const char *step)
{
	fprintf(stderr, "rtpm-smoke: %s: %s\n", step, strerror(errno));
	return -1;
}

#define XIOCTL(cmd, arg) \
	do { \
		if (ioctl(fd, cmd, arg) != 0) \
			return fail(#cmd); \
	} while (0)

/* The ring is left unconfigured and the device closed on success; not on failure (the
 * caller stops there and the selftests or rmmod report what was left behind). */
int smoke_use(const char *dev)
{
	int fd;
	struct rtpm_info info = { 0 };
	struct rtpm_config cfg = { 0 };
	struct rtpm_attach att = { 0 };
	struct rtpm_layout lay = { 0 };
	struct rtpm_ring_ref ref = { 0 };
	struct rtpm_slot_desc in = { 0 }, out = { 0 };
	unsigned char *map, *payload;
	unsigned int i;

	fd = open(dev, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return fail(dev);
	XIOCTL(RTPM_IOC_INFO, &info);
	if (info.abi_major != RTPM_ABI_MAJOR || info.abi_minor < abi_minor_needed) {
		fprintf(stderr, "rtpm-smoke: module ABI %u.%u, these tests need %u.>=%u\n",
			info.abi_major, info.abi_minor, RTPM_ABI_MAJOR, RTPM_ABI_MINOR);
		return -1;
	}

	cfg.ring_id = 0;
	cfg.order = SMOKE_ORDER;
	cfg.max_payload = SMOKE_PAYLOAD;
	cfg.drop_policy = RTPM_DROP_TAIL;
	XIOCTL(RTPM_IOC_CONFIGURE, &cfg);
	att.ring_id = 0;
	att.roles = RTPM_ROLE_PRODUCER | RTPM_ROLE_CONSUMER;
	att.abi_major = RTPM_ABI_MAJOR;
	att.abi_minor = RTPM_ABI_MINOR;
	XIOCTL(RTPM_IOC_ATTACH, &att);
	lay.ring_id = 0;
	XIOCTL(RTPM_IOC_GET_LAYOUT, &lay);
	map = mmap(NULL, lay.mmap_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED)
		return fail("mmap");

	XIOCTL(RTPM_IOC_START, &ref);
	XIOCTL(RTPM_IOC_CLAIM, &in);
	if (in.index >= lay.slot_count) {
		fprintf(stderr, "rtpm-smoke: CLAIM gave slot %u of %u\n", in.index, lay.slot_count);
		return -1;
	}
	payload = map + lay.slots_offset + (size_t)in.index * lay.slot_stride + lay.meta_size;
	for (i = 0; i < SMOKE_PAYLOAD; i++)
		payload[i] = (unsigned char)(i * 7 + 1);
	in.len = SMOKE_PAYLOAD;
	XIOCTL(RTPM_IOC_PUSH, &in);
	XIOCTL(RTPM_IOC_POP, &out);
	if (out.index != in.index || out.len != SMOKE_PAYLOAD) {
		fprintf(stderr, "rtpm-smoke: POP gave slot %u len %u, pushed slot %u len %u\n",
			out.index, out.len, in.index, SMOKE_PAYLOAD);
		return -1;
	}
	for (i = 0; i < SMOKE_PAYLOAD; i++) {
		if (payload[i] != (unsigned char)(i * 7 + 1)) {
			fprintf(stderr, "rtpm-smoke: payload byte %u changed\n", i);
			return -1;
		}
	}
	XIOCTL(RTPM_IOC_RELEASE, &out);
	XIOCTL(RTPM_IOC_STOP, &ref);

	if (munmap(map, lay.mmap_size) != 0)
		return fail("munmap");
	XIOCTL(RTPM_IOC_DETACH, NULL);
	XIOCTL(RTPM_IOC_UNCONFIGURE, &ref);
	if (close(fd) != 0)
		return fail("close");
	return 0;
}

#ifndef SMOKE_NO_MAIN
int main(int argc, char **argv)
{
	return smoke_use(argc > 1 ? argv[1] : RTPM_DEVICE_PATH) ? 1 : 0;
}
#endif
