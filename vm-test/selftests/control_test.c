// SPDX-License-Identifier: MIT
/*
 * control_test.c - the control-plane ioctls of rtp_mgr (INFO, ATTACH,
 * DETACH, CONFIGURE, UNCONFIGURE, GET_LAYOUT, START, STOP, GET_STATS,
 * RESET_STATS): normal use, and every bad request of docs/ABI.md with its
 * exact errno, boundaries swept on both sides.
 */
#define _GNU_SOURCE
#include <sys/mman.h>
#include <unistd.h>

#include "rtpm_util.h"

FIXTURE(ctl) {
	int fd;
	struct rtpm_info info;
};

FIXTURE_SETUP(ctl)
{
	self->fd = -1;
	rtpm_ring_clean(RING);
	ASSERT_EQ(0, rtpm_info(&self->info));
	self->fd = rtpm_open();
}

FIXTURE_TEARDOWN(ctl)
{
	if (self->fd >= 0)
		close(self->fd);
	rtpm_ring_clean(RING);
}

static uint64_t round_up(uint64_t x, uint64_t a)
{
	return (x + a - 1) / a * a;
}

/* The least any layout of this shape can take: slots alone plus a page. */
static uint64_t ring_bytes_lower_bound(uint32_t order, uint32_t payload)
{
	return ((uint64_t)1 << order) *
		round_up(sizeof(struct rtpm_slot_meta) + payload, RTPM_SLOT_ALIGN) +
		getpagesize();
}

/* INFO reports the ABI version and the limits fixed by the header. */
TEST_F(ctl, info_reports_abi_and_limits)
{
	struct rtpm_info *i = &self->info;
	int k;

	EXPECT_EQ(RTPM_ABI_MAJOR, i->abi_major);
	EXPECT_LE(RTPM_ABI_MINOR, i->abi_minor);
	EXPECT_LE(1, i->max_rings);
	EXPECT_EQ(RTPM_ORDER_MIN, i->order_min);
	EXPECT_EQ(RTPM_ORDER_MAX, i->order_max);
	EXPECT_EQ(RTPM_PAYLOAD_MIN, i->payload_min);
	EXPECT_EQ(RTPM_PAYLOAD_MAX, i->payload_max);
	EXPECT_EQ(RTPM_SLOT_ALIGN, i->slot_align);
	EXPECT_EQ(RTPM_BATCH_MAX, i->batch_max);
	EXPECT_EQ(sizeof(struct rtpm_ring_header), i->header_size);
	EXPECT_EQ(sizeof(struct rtpm_slot_meta), i->slot_meta_size);
	EXPECT_EQ((uint32_t)getpagesize(), i->page_size);
	EXPECT_LT(0, i->max_ring_bytes);
	EXPECT_LE(i->max_ring_bytes, i->max_total_bytes);
	EXPECT_LE(i->used_total_bytes, i->max_total_bytes);
	EXPECT_LE(1, i->max_rings_per_user);
	EXPECT_LE(i->max_rings_per_user, i->max_rings);
	for (k = 0; k < 7; k++)
		EXPECT_EQ(0, i->reserved[k]);
	TH_LOG("max_rings %u max_ring_bytes %llu max_total_bytes %llu",
	       i->max_rings, (unsigned long long)i->max_ring_bytes,
	       (unsigned long long)i->max_total_bytes);
}

/* Output structs come back fully written: garbage sent in is overwritten. */
TEST_F(ctl, info_overwrites_garbage)
{
	struct rtpm_info i;

	memset(&i, 0xa5, sizeof(i));
	ASSERT_EQ(0, rtpm_ioc(self->fd, RTPM_IOC_INFO, &i));
	EXPECT_EQ(0, memcmp(&i, &self->info, offsetof(struct rtpm_info, used_total_bytes)));
	EXPECT_EQ(self->info.max_rings_per_user, i.max_rings_per_user);
	for (int k = 0; k < 7; k++)
		EXPECT_EQ(0, i.reserved[k]);
}

/* A bad user pointer gives EFAULT on every ioctl that takes a struct. */
TEST_F(ctl, bad_pointer_efault)
{
	static const unsigned long cmds[] = {
		RTPM_IOC_INFO, RTPM_IOC_ATTACH, RTPM_IOC_CONFIGURE,
		RTPM_IOC_UNCONFIGURE, RTPM_IOC_GET_LAYOUT, RTPM_IOC_START,
		RTPM_IOC_STOP, RTPM_IOC_GET_STATS, RTPM_IOC_RESET_STATS,
	};
	void *ro = mmap(NULL, getpagesize(), PROT_READ,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	void *bad[] = { NULL, (void *)1, (void *)-4096L,
			(void *)0xffff888000000000UL };
	size_t c, b;

	ASSERT_NE(MAP_FAILED, ro);
	for (c = 0; c < sizeof(cmds) / sizeof(cmds[0]); c++)
		for (b = 0; b < sizeof(bad) / sizeof(bad[0]); b++)
			EXPECT_EQ(-EFAULT, rtpm_ioc(self->fd, cmds[c], bad[b]));
	/* Output-only structs in read-only memory cannot be written. */
	EXPECT_EQ(-EFAULT, rtpm_ioc(self->fd, RTPM_IOC_INFO, ro));
	EXPECT_EQ(-EFAULT, rtpm_ioc(self->fd, RTPM_IOC_GET_STATS, ro));
	munmap(ro, getpagesize());
}

/* Unknown commands, foreign magic and wrong encoded sizes give ENOTTY. */
TEST_F(ctl, unknown_cmd_enotty)
{
	struct rtpm_stats big;	/* large enough for every wrong size below */
	static const unsigned long cmds[] = {
		0,
		_IO(RTPM_IOC_MAGIC, 0x7f),
		_IO(RTPM_IOC_MAGIC, 0x0a),
		_IO(RTPM_IOC_MAGIC, 0x14),
		_IO(RTPM_IOC_MAGIC, 0x1c),
		_IO(RTPM_IOC_MAGIC, 0xff),
		_IO('x', 0x00),
		_IO(RTPM_IOC_MAGIC + 1, 0x00),
		/* right number, wrong direction or size */
		_IOR(RTPM_IOC_MAGIC, 0x00, __u64),
		_IOW(RTPM_IOC_MAGIC, 0x00, struct rtpm_info),
		_IOR(RTPM_IOC_MAGIC, 0x01, struct rtpm_attach),
		_IOW(RTPM_IOC_MAGIC, 0x03, struct rtpm_layout),
		_IOR(RTPM_IOC_MAGIC, 0x08, struct rtpm_stats),
		_IO(RTPM_IOC_MAGIC, 0x06),
		_IOWR(RTPM_IOC_MAGIC, 0x10, struct rtpm_slot_desc),
		_IOWR(RTPM_IOC_MAGIC, 0x18, struct rtpm_slot_desc),
		_IOW(RTPM_IOC_MAGIC, 0x02, __u32),
		RTPM_IOC_INFO + 1,
		TCGETS,
		FIONREAD,
	};
	size_t c;

	for (c = 0; c < sizeof(cmds) / sizeof(cmds[0]); c++) {
		memset(&big, 0, sizeof(big));
		if (rtpm_ioc(self->fd, cmds[c], &big) != -ENOTTY)
			TH_LOG("cmd #%zu = 0x%lx", c, cmds[c]);
		EXPECT_EQ(-ENOTTY, rtpm_ioc(self->fd, cmds[c], &big));
	}
}

/* CONFIGURE, then GET_LAYOUT and GET_STATS describe a stopped, empty ring. */
TEST_F(ctl, configure_and_layout)
{
	struct rtpm_layout l;
	struct rtpm_stats st;
	uint64_t used0 = self->info.used_total_bytes;
	struct rtpm_info after;
	int k;

	ASSERT_EQ(0, rtpm_configure(self->fd, RING, 5, 1500, RTPM_DROP_HEAD,
				    RTPM_CFG_NO_RTP_TRACKING));
	memset(&l, 0xff, sizeof(l));	/* only ring_id is read */
	l.ring_id = RING;
	ASSERT_EQ(0, rtpm_ioc(self->fd, RTPM_IOC_GET_LAYOUT, &l));
	EXPECT_EQ(RING, l.ring_id);
	EXPECT_EQ(5, l.order);
	EXPECT_EQ(32, l.slot_count);
	EXPECT_EQ(1500, l.max_payload);
	EXPECT_EQ(RTPM_DROP_HEAD, l.drop_policy);
	EXPECT_EQ(RTPM_CFG_NO_RTP_TRACKING, l.flags);
	EXPECT_EQ(sizeof(struct rtpm_ring_header), l.header_size);
	EXPECT_LE(sizeof(struct rtpm_slot_meta), l.meta_size);
	EXPECT_EQ(0, l.meta_size % RTPM_SLOT_ALIGN);
	EXPECT_LE(l.meta_size + l.max_payload, l.slot_stride);
	EXPECT_EQ(0, l.slot_stride % RTPM_SLOT_ALIGN);
	EXPECT_EQ(0, l.header_offset);
	EXPECT_LE(l.header_size, l.slots_offset);
	EXPECT_EQ(0, l.slots_offset % getpagesize());
	EXPECT_EQ(0, l.mmap_size % getpagesize());
	EXPECT_LE(l.slots_offset + (uint64_t)l.slot_count * l.slot_stride, l.mmap_size);
	/* No more than the page the last slot ends in. */
	EXPECT_GT(l.slots_offset + (uint64_t)l.slot_count * l.slot_stride +
		  getpagesize(), l.mmap_size);
	/* Configured by root with the default access: owner only. */
	EXPECT_EQ(0, l.owner_uid);
	EXPECT_EQ(0, l.access_gid);
	EXPECT_EQ(RTPM_ACCESS_DEFAULT, l.access_mode);
	EXPECT_EQ(0, l.reserved0);
	EXPECT_EQ(0, l.reserved1);
	for (k = 0; k < 2; k++)
		EXPECT_EQ(0, l.reserved[k]);

	memset(&st, 0xff, sizeof(st));
	st.ring_id = RING;
	ASSERT_EQ(0, rtpm_ioc(self->fd, RTPM_IOC_GET_STATS, &st));
	EXPECT_EQ(RING, st.ring_id);
	EXPECT_EQ(1, st.configured);
	EXPECT_EQ(0, st.state);
	EXPECT_EQ(32, st.slot_count);
	EXPECT_EQ(32, st.free);
	EXPECT_EQ(0, st.pushed + st.popped + st.released + st.bytes_in +
		  st.bytes_out + st.overruns + st.drops + st.head_drops +
		  st.flushed + st.reclaimed + st.aborted + st.underruns +
		  st.rtp_lost + st.rtp_duplicates + st.rtp_reorders +
		  st.rtp_resets + st.rtp_not_rtp + st.invalid);
	EXPECT_EQ(0, st.filling + st.ready + st.in_flight + st.sessions + st.mappings);
	for (k = 0; k < 6; k++)
		EXPECT_EQ(0, st.reserved[k]);

	ASSERT_EQ(0, rtpm_info(&after));
	EXPECT_LE(used0 + l.mmap_size, after.used_total_bytes);
	EXPECT_LE(l.mmap_size, after.max_ring_bytes);

	/* Unconfigure gives the memory back. */
	ASSERT_EQ(0, rtpm_ref(self->fd, RTPM_IOC_UNCONFIGURE, RING));
	ASSERT_EQ(0, rtpm_info(&after));
	EXPECT_EQ(used0, after.used_total_bytes);
	ASSERT_EQ(0, rtpm_stats(self->fd, RING, &st));
	EXPECT_EQ(0, st.configured);
	EXPECT_EQ(-ENODATA, rtpm_layout(self->fd, RING, &l));
}

/* order: 0 and 17.. are EINVAL; 1..16 configure unless over the byte cap. */
TEST_F(ctl, configure_order_boundaries)
{
	static const uint32_t bad[] = { 0, 17, 18, 31, 32, 64, 0x80000001u, ~0u };
	struct rtpm_layout l;
	uint32_t o;
	size_t k;
	int rc;

	for (k = 0; k < sizeof(bad) / sizeof(bad[0]); k++)
		EXPECT_EQ(-EINVAL, rtpm_configure(self->fd, RING, bad[k], 12,
						  RTPM_DROP_TAIL, 0));
	for (o = RTPM_ORDER_MIN; o <= RTPM_ORDER_MAX; o++) {
		uint64_t lb = ring_bytes_lower_bound(o, RTPM_PAYLOAD_MIN);

		rc = rtpm_configure(self->fd, RING, o, RTPM_PAYLOAD_MIN,
				    RTPM_DROP_TAIL, 0);
		if (lb > self->info.max_ring_bytes) {
			EXPECT_EQ(-E2BIG, rc);
			continue;
		}
		if (rc == -E2BIG) {
			/* Allowed only if the module's layout is larger. */
			TH_LOG("order %u: E2BIG at lower bound %llu", o,
			       (unsigned long long)lb);
			continue;
		}
		ASSERT_EQ(0, rc);
		ASSERT_EQ(0, rtpm_layout(self->fd, RING, &l));
		EXPECT_EQ(o, l.order);
		EXPECT_EQ(1u << o, l.slot_count);
		EXPECT_LE(l.mmap_size, self->info.max_ring_bytes);
	}
	/* The last valid order must work at least for a small ring. */
	EXPECT_EQ(0, rtpm_configure(self->fd, RING, RTPM_ORDER_MIN,
				    RTPM_PAYLOAD_MIN, RTPM_DROP_TAIL, 0));
}

/* max_payload: 11 and 65508.. are EINVAL; 12 and 65507 work. */
TEST_F(ctl, configure_payload_boundaries)
{
	static const uint32_t bad[] = { 0, 1, 11, 65508, 65536, 1u << 31, ~0u };
	static const uint32_t good[] = { 12, 13, 63, 64, 65, 1500, 65507 };
	struct rtpm_layout l;
	size_t k;

	for (k = 0; k < sizeof(bad) / sizeof(bad[0]); k++)
		EXPECT_EQ(-EINVAL, rtpm_configure(self->fd, RING, 1, bad[k],
						  RTPM_DROP_TAIL, 0));
	for (k = 0; k < sizeof(good) / sizeof(good[0]); k++) {
		ASSERT_EQ(0, rtpm_configure(self->fd, RING, 1, good[k],
					    RTPM_DROP_TAIL, 0));
		ASSERT_EQ(0, rtpm_layout(self->fd, RING, &l));
		EXPECT_EQ(good[k], l.max_payload);
		EXPECT_LE(l.meta_size + good[k], l.slot_stride);
		EXPECT_EQ(0, l.slot_stride % RTPM_SLOT_ALIGN);
	}
}

/* Sizes whose byte count overflows 32 bits, or exceeds the cap: E2BIG. */
TEST_F(ctl, configure_size_overflow_e2big)
{
	struct rtpm_stats st;

	/* 2^16 slots of ~64 KiB: 4 GiB, 2^32 overflows a u32 product. */
	ASSERT_LT(ring_bytes_lower_bound(16, 65507) - 1, (uint64_t)1 << 40);
	if (ring_bytes_lower_bound(16, 65507) > self->info.max_ring_bytes)
		EXPECT_EQ(-E2BIG, rtpm_configure(self->fd, RING, 16, 65507,
						 RTPM_DROP_TAIL, 0));
	if (ring_bytes_lower_bound(16, 65472) > self->info.max_ring_bytes)
		EXPECT_EQ(-E2BIG, rtpm_configure(self->fd, RING, 16, 65472,
						 RTPM_DROP_TAIL, 0));
	/* The smallest order whose ring is certainly over the cap. */
	for (uint32_t o = 1; o <= 16; o++) {
		if (ring_bytes_lower_bound(o, 65507) > self->info.max_ring_bytes) {
			EXPECT_EQ(-E2BIG, rtpm_configure(self->fd, RING, o, 65507,
							 RTPM_DROP_TAIL, 0));
			break;
		}
	}
	/* A failed configure leaves the ring unconfigured. */
	ASSERT_EQ(0, rtpm_stats(self->fd, RING, &st));
	EXPECT_EQ(0, st.configured);
}

/* Ring id, drop policy, flags and reserved words are all checked. */
TEST_F(ctl, configure_bad_fields_einval)
{
	struct rtpm_config c;
	int k;

	EXPECT_EQ(-EINVAL, rtpm_configure(self->fd, self->info.max_rings, 2, 100, 0, 0));
	EXPECT_EQ(-EINVAL, rtpm_configure(self->fd, ~0u, 2, 100, 0, 0));
	EXPECT_EQ(-EINVAL, rtpm_configure(self->fd, RING, 2, 100, 2, 0));
	EXPECT_EQ(-EINVAL, rtpm_configure(self->fd, RING, 2, 100, ~0u, 0));
	/* The first flag bit no minor defines. */
	EXPECT_EQ(-EINVAL, rtpm_configure(self->fd, RING, 2, 100, 0,
					  RTPM_CFG_FLAGS_ALL + 1));
	EXPECT_EQ(-EINVAL, rtpm_configure(self->fd, RING, 2, 100, 0, 0x80000000u));
	EXPECT_EQ(-EINVAL, rtpm_configure(self->fd, RING, 2, 100, 0,
					  ~(uint32_t)RTPM_CFG_FLAGS_ALL));
	/* The three words after flags: reserved, or without RTPM_CFG_ACCESS. */
	for (k = 0; k < 3; k++) {
		memset(&c, 0, sizeof(c));
		c.ring_id = RING;
		c.order = 2;
		c.max_payload = 100;
		*(k == 0 ? &c.access_gid : k == 1 ? &c.access_mode : &c.reserved) =
			1u << (k * 7);
		EXPECT_EQ(-EINVAL, rtpm_ioc(self->fd, RTPM_IOC_CONFIGURE, &c));
	}
	/* The last valid ring id works. */
	EXPECT_EQ(0, rtpm_configure(self->fd, self->info.max_rings - 1, 1, 12, 0, 0));
	rtpm_ring_clean(self->info.max_rings - 1);
}

/* Configure replaces a stopped, unattached ring and resets its counters. */
TEST_F(ctl, configure_replaces_and_resets)
{
	struct rtpm_stats st;
	struct rtpm_layout l;
	uint32_t idx;
	int p = rtpm_open();

	ASSERT_EQ(0, rtpm_configure(self->fd, RING, 2, 200, 0, 0));
	ASSERT_EQ(0, rtpm_attach(p, RING, RTPM_ROLE_PRODUCER | RTPM_ROLE_CONSUMER));
	ASSERT_EQ(0, rtpm_ref(self->fd, RTPM_IOC_START, RING));
	ASSERT_EQ(0, rtpm_claim(p, &idx));
	ASSERT_EQ(0, rtpm_push(p, idx, 20));
	ASSERT_EQ(0, rtpm_ref(self->fd, RTPM_IOC_STOP, RING));
	close(p);
	ASSERT_EQ(0, rtpm_stats(self->fd, RING, &st));
	EXPECT_EQ(1, st.pushed);

	ASSERT_EQ(0, rtpm_configure(self->fd, RING, 3, 300, RTPM_DROP_HEAD, 0));
	ASSERT_EQ(0, rtpm_layout(self->fd, RING, &l));
	EXPECT_EQ(8, l.slot_count);
	EXPECT_EQ(300, l.max_payload);
	EXPECT_EQ(RTPM_DROP_HEAD, l.drop_policy);
	ASSERT_EQ(0, rtpm_stats(self->fd, RING, &st));
	EXPECT_EQ(0, st.pushed);
	EXPECT_EQ(0, st.bytes_in);
	EXPECT_EQ(0, st.ready);
	EXPECT_EQ(8, st.free);
	EXPECT_EQ(0, st.state);
}

/* Configure is refused while a session is attached, or while running. */
TEST_F(ctl, configure_busy)
{
	int a = rtpm_open();

	ASSERT_EQ(0, rtpm_configure(self->fd, RING, 2, 100, 0, 0));
	ASSERT_EQ(0, rtpm_attach(a, RING, RTPM_ROLE_MONITOR));
	EXPECT_EQ(-EBUSY, rtpm_configure(self->fd, RING, 2, 100, 0, 0));
	EXPECT_EQ(-EBUSY, rtpm_ref(self->fd, RTPM_IOC_UNCONFIGURE, RING));
	ASSERT_EQ(0, rtpm_ioc(a, RTPM_IOC_DETACH, NULL));
	EXPECT_EQ(0, rtpm_configure(self->fd, RING, 2, 100, 0, 0));

	ASSERT_EQ(0, rtpm_ref(self->fd, RTPM_IOC_START, RING));
	EXPECT_EQ(-EBUSY, rtpm_configure(self->fd, RING, 3, 100, 0, 0));
	ASSERT_EQ(0, rtpm_ref(self->fd, RTPM_IOC_STOP, RING));
	EXPECT_EQ(0, rtpm_configure(self->fd, RING, 3, 100, 0, 0));
	close(a);
}

/* A mapping keeps its session (and so EBUSY) after the fd is closed. */
TEST_F(ctl, configure_busy_while_mapped)
{
	struct rtpm_sess s;
	struct rtpm_stats st;
	size_t len;
	void *map;

	ASSERT_EQ(0, rtpm_configure(self->fd, RING, 2, 100, 0, 0));
	ASSERT_EQ(0, rtpm_sess_open(&s, RING, RTPM_ROLE_PRODUCER));
	map = s.map;
	len = s.lay.mmap_size;
	close(s.fd);
	ASSERT_EQ(0, rtpm_stats(self->fd, RING, &st));
	EXPECT_EQ(1, st.sessions);
	EXPECT_EQ(1, st.mappings);
	EXPECT_EQ(-EBUSY, rtpm_configure(self->fd, RING, 2, 100, 0, 0));
	EXPECT_EQ(-EBUSY, rtpm_ref(self->fd, RTPM_IOC_UNCONFIGURE, RING));
	/* The producer role is still taken by the mapped session. */
	EXPECT_EQ(-EBUSY, rtpm_attach(self->fd, RING, RTPM_ROLE_PRODUCER));
	ASSERT_OK(munmap(map, len));
	ASSERT_EQ(0, rtpm_stats(self->fd, RING, &st));
	EXPECT_EQ(0, st.sessions);
	EXPECT_EQ(0, st.mappings);
	EXPECT_EQ(0, rtpm_configure(self->fd, RING, 2, 100, 0, 0));
}

/* UNCONFIGURE: ENODATA when not configured, EINVAL on ids and reserved. */
TEST_F(ctl, unconfigure_errors)
{
	struct rtpm_ring_ref r = { .ring_id = RING, .reserved = 1 };

	EXPECT_EQ(-ENODATA, rtpm_ref(self->fd, RTPM_IOC_UNCONFIGURE, RING));
	ASSERT_EQ(0, rtpm_configure(self->fd, RING, 1, 12, 0, 0));
	EXPECT_EQ(-EINVAL, rtpm_ioc(self->fd, RTPM_IOC_UNCONFIGURE, &r));
	EXPECT_EQ(-EINVAL, rtpm_ref(self->fd, RTPM_IOC_UNCONFIGURE, self->info.max_rings));
	EXPECT_EQ(-EINVAL, rtpm_ref(self->fd, RTPM_IOC_UNCONFIGURE, ~0u));
	EXPECT_EQ(0, rtpm_ref(self->fd, RTPM_IOC_UNCONFIGURE, RING));
	EXPECT_EQ(-ENODATA, rtpm_ref(self->fd, RTPM_IOC_UNCONFIGURE, RING));
}

/* GET_LAYOUT: EINVAL for ring ids, ENODATA when unconfigured. */
TEST_F(ctl, layout_errors)
{
	struct rtpm_layout l;

	EXPECT_EQ(-ENODATA, rtpm_layout(self->fd, RING, &l));
	EXPECT_EQ(-EINVAL, rtpm_layout(self->fd, self->info.max_rings, &l));
	EXPECT_EQ(-EINVAL, rtpm_layout(self->fd, ~0u, &l));
}

/* START/STOP: idempotent, ENODATA before configure, state visible in stats. */
TEST_F(ctl, start_stop)
{
	struct rtpm_ring_ref r = { .ring_id = RING, .reserved = 0x100 };
	struct rtpm_stats st;

	/* Start before configure. */
	EXPECT_EQ(-ENODATA, rtpm_ref(self->fd, RTPM_IOC_START, RING));
	EXPECT_EQ(-ENODATA, rtpm_ref(self->fd, RTPM_IOC_STOP, RING));
	EXPECT_EQ(-EINVAL, rtpm_ref(self->fd, RTPM_IOC_START, self->info.max_rings));
	EXPECT_EQ(-EINVAL, rtpm_ref(self->fd, RTPM_IOC_STOP, ~0u));
	ASSERT_EQ(0, rtpm_configure(self->fd, RING, 1, 12, 0, 0));
	EXPECT_EQ(-EINVAL, rtpm_ioc(self->fd, RTPM_IOC_START, &r));
	EXPECT_EQ(-EINVAL, rtpm_ioc(self->fd, RTPM_IOC_STOP, &r));

	ASSERT_EQ(0, rtpm_ref(self->fd, RTPM_IOC_START, RING));
	ASSERT_EQ(0, rtpm_stats(self->fd, RING, &st));
	EXPECT_EQ(RTPM_STATE_RUNNING, st.state);
	EXPECT_EQ(0, rtpm_ref(self->fd, RTPM_IOC_START, RING));
	ASSERT_EQ(0, rtpm_stats(self->fd, RING, &st));
	EXPECT_EQ(RTPM_STATE_RUNNING, st.state);

	ASSERT_EQ(0, rtpm_ref(self->fd, RTPM_IOC_STOP, RING));
	ASSERT_EQ(0, rtpm_stats(self->fd, RING, &st));
	EXPECT_EQ(0, st.state);
	/* Double stop. */
	EXPECT_EQ(0, rtpm_ref(self->fd, RTPM_IOC_STOP, RING));
	ASSERT_EQ(0, rtpm_stats(self->fd, RING, &st));
	EXPECT_EQ(0, st.state);
}

/* State persists in the ring: a session that goes does not stop it. */
TEST_F(ctl, running_state_outlives_sessions)
{
	struct rtpm_stats st;
	int a = rtpm_open();

	ASSERT_EQ(0, rtpm_configure(self->fd, RING, 1, 12, 0, 0));
	ASSERT_EQ(0, rtpm_attach(a, RING, RTPM_ROLE_PRODUCER));
	ASSERT_EQ(0, rtpm_ref(a, RTPM_IOC_START, RING));
	close(a);
	ASSERT_EQ(0, rtpm_stats(self->fd, RING, &st));
	EXPECT_EQ(RTPM_STATE_RUNNING, st.state);
	EXPECT_EQ(0, st.sessions);
}

/* GET_STATS works on unconfigured rings; EINVAL only on ring ids. */
TEST_F(ctl, stats_unconfigured_and_errors)
{
	struct rtpm_stats st;

	memset(&st, 0x5a, sizeof(st));
	st.ring_id = RING;
	ASSERT_EQ(0, rtpm_ioc(self->fd, RTPM_IOC_GET_STATS, &st));
	EXPECT_EQ(0, st.configured);
	EXPECT_EQ(0, st.slot_count);
	EXPECT_EQ(0, st.state);
	for (int k = 0; k < 6; k++)
		EXPECT_EQ(0, st.reserved[k]);
	EXPECT_EQ(-EINVAL, rtpm_stats(self->fd, self->info.max_rings, &st));
	EXPECT_EQ(-EINVAL, rtpm_stats(self->fd, ~0u, &st));
}

/* RESET_STATS zeroes counters but keeps the invariants with slots held. */
TEST_F(ctl, reset_stats_keeps_invariants)
{
	struct rtpm_ring_ref r = { .ring_id = RING, .reserved = 1 };
	struct rtpm_stats st;
	uint32_t idx[6], len;
	int p = rtpm_open(), c = rtpm_open(), k;

	ASSERT_EQ(0, rtpm_configure(self->fd, RING, 3, 100, 0, 0));
	ASSERT_EQ(0, rtpm_attach(p, RING, RTPM_ROLE_PRODUCER));
	ASSERT_EQ(0, rtpm_attach(c, RING, RTPM_ROLE_CONSUMER));
	ASSERT_EQ(0, rtpm_ref(self->fd, RTPM_IOC_START, RING));
	for (k = 0; k < 6; k++) {
		ASSERT_EQ(0, rtpm_claim(p, &idx[k]));
		if (k < 5)
			ASSERT_EQ(0, rtpm_push(p, idx[k], 10 + k));
	}
	for (k = 0; k < 3; k++)
		ASSERT_EQ(0, rtpm_pop(c, &idx[k], &len));
	ASSERT_EQ(0, rtpm_release(c, idx[0]));
	/* Now: 1 filling, 2 ready, 2 in flight, 3 free. */
	ASSERT_INVARIANTS(self->fd, RING);

	EXPECT_EQ(-EINVAL, rtpm_ioc(self->fd, RTPM_IOC_RESET_STATS, &r));
	EXPECT_EQ(-EINVAL, rtpm_ref(self->fd, RTPM_IOC_RESET_STATS, self->info.max_rings));
	ASSERT_EQ(0, rtpm_ref(self->fd, RTPM_IOC_RESET_STATS, RING));
	ASSERT_EQ(0, rtpm_stats(self->fd, RING, &st));
	EXPECT_EQ(1, st.filling);
	EXPECT_EQ(2, st.ready);
	EXPECT_EQ(2, st.in_flight);
	EXPECT_EQ(3, st.free);
	EXPECT_EQ(4, st.pushed);	/* ready + in_flight */
	EXPECT_EQ(2, st.popped);	/* in_flight */
	EXPECT_EQ(0, st.released + st.bytes_in + st.bytes_out + st.overruns +
		  st.drops + st.head_drops + st.flushed + st.reclaimed +
		  st.aborted + st.underruns + st.invalid + st.rtp_lost +
		  st.rtp_duplicates + st.rtp_reorders + st.rtp_resets +
		  st.rtp_not_rtp);
	EXPECT_EQ(RTPM_STATE_RUNNING, st.state);
	ASSERT_INVARIANTS(self->fd, RING);

	/* Draining after the reset keeps them too. */
	ASSERT_EQ(0, rtpm_release(c, idx[1]));
	ASSERT_EQ(0, rtpm_release(c, idx[2]));
	ASSERT_EQ(0, rtpm_push(p, idx[5], 1));
	for (k = 0; k < 3; k++) {
		ASSERT_EQ(0, rtpm_pop(c, &idx[k], &len));
		ASSERT_EQ(0, rtpm_release(c, idx[k]));
	}
	ASSERT_EQ(0, rtpm_stats(self->fd, RING, &st));
	EXPECT_EQ(5, st.pushed);
	EXPECT_EQ(5, st.popped);
	EXPECT_EQ(5, st.released);
	EXPECT_EQ(8, st.free);
	ASSERT_INVARIANTS(self->fd, RING);
	close(p);
	close(c);
}

/* ATTACH: roles, ring ids, reserved words, ABI version, unconfigured ring. */
TEST_F(ctl, attach_errors)
{
	struct rtpm_attach a;
	int k;

	EXPECT_EQ(-ENODATA, rtpm_attach(self->fd, RING, RTPM_ROLE_MONITOR));
	ASSERT_EQ(0, rtpm_configure(self->fd, RING, 1, 12, 0, 0));
	EXPECT_EQ(-EINVAL, rtpm_attach(self->fd, RING, 0));
	EXPECT_EQ(-EINVAL, rtpm_attach(self->fd, RING, 0x8));
	EXPECT_EQ(-EINVAL, rtpm_attach(self->fd, RING, RTPM_ROLES_ALL | 0x8));
	EXPECT_EQ(-EINVAL, rtpm_attach(self->fd, RING, ~0u));
	EXPECT_EQ(-EINVAL, rtpm_attach(self->fd, self->info.max_rings, RTPM_ROLE_MONITOR));
	EXPECT_EQ(-EINVAL, rtpm_attach(self->fd, ~0u, RTPM_ROLE_MONITOR));
	for (k = 0; k < 4; k++) {
		a = (struct rtpm_attach){ .ring_id = RING, .roles = RTPM_ROLE_MONITOR,
			.abi_major = RTPM_ABI_MAJOR, .abi_minor = RTPM_ABI_MINOR };
		a.reserved[k] = 0x10;
		EXPECT_EQ(-EINVAL, rtpm_ioc(self->fd, RTPM_IOC_ATTACH, &a));
	}
	a = (struct rtpm_attach){ .ring_id = RING, .roles = RTPM_ROLE_MONITOR,
		.abi_major = RTPM_ABI_MAJOR + 1, .abi_minor = 0 };
	EXPECT_EQ(-EPROTO, rtpm_ioc(self->fd, RTPM_IOC_ATTACH, &a));
	a.abi_major = 0;
	EXPECT_EQ(-EPROTO, rtpm_ioc(self->fd, RTPM_IOC_ATTACH, &a));
	a.abi_major = RTPM_ABI_MAJOR;
	a.abi_minor = self->info.abi_minor + 1;
	EXPECT_EQ(-EPROTO, rtpm_ioc(self->fd, RTPM_IOC_ATTACH, &a));
	/* An older minor is fine. */
	a.abi_minor = 0;
	EXPECT_EQ(0, rtpm_ioc(self->fd, RTPM_IOC_ATTACH, &a));
}

/* One producer and one consumer per ring; any number of monitors. */
TEST_F(ctl, attach_roles_exclusive)
{
	struct rtpm_stats st;
	int s[6], k;

	ASSERT_EQ(0, rtpm_configure(self->fd, RING, 1, 12, 0, 0));
	for (k = 0; k < 6; k++)
		s[k] = rtpm_open();
	ASSERT_EQ(0, rtpm_attach(s[0], RING, RTPM_ROLE_PRODUCER));
	EXPECT_EQ(-EBUSY, rtpm_attach(s[1], RING, RTPM_ROLE_PRODUCER));
	EXPECT_EQ(-EBUSY, rtpm_attach(s[1], RING, RTPM_ROLES_ALL));
	ASSERT_EQ(0, rtpm_attach(s[1], RING, RTPM_ROLE_CONSUMER | RTPM_ROLE_MONITOR));
	EXPECT_EQ(-EBUSY, rtpm_attach(s[2], RING, RTPM_ROLE_CONSUMER));
	for (k = 2; k < 6; k++)
		EXPECT_EQ(0, rtpm_attach(s[k], RING, RTPM_ROLE_MONITOR));
	ASSERT_EQ(0, rtpm_stats(self->fd, RING, &st));
	EXPECT_EQ(6, st.sessions);

	/* Roles come free when their session ends or detaches. */
	close(s[0]);
	ASSERT_EQ(0, rtpm_ioc(s[1], RTPM_IOC_DETACH, NULL));
	EXPECT_EQ(0, rtpm_attach(s[2], RING, RTPM_ROLE_PRODUCER | RTPM_ROLE_CONSUMER));
	ASSERT_EQ(0, rtpm_stats(self->fd, RING, &st));
	EXPECT_EQ(4, st.sessions);
	for (k = 1; k < 6; k++)
		close(s[k]);
	ASSERT_EQ(0, rtpm_stats(self->fd, RING, &st));
	EXPECT_EQ(0, st.sessions);
}

/* Re-attach moves an unmapped session; a mapped one gets EBUSY. */
TEST_F(ctl, reattach_and_detach)
{
	struct rtpm_layout l;
	uint32_t other = self->info.max_rings > 1 ? RING + 1 : RING;
	void *map;

	ASSERT_EQ(0, rtpm_configure(self->fd, RING, 1, 12, 0, 0));
	if (other != RING)
		ASSERT_EQ(0, rtpm_configure(self->fd, other, 1, 12, 0, 0));
	EXPECT_EQ(-ENOTCONN, rtpm_ioc(self->fd, RTPM_IOC_DETACH, NULL));
	ASSERT_EQ(0, rtpm_attach(self->fd, RING, RTPM_ROLE_PRODUCER));
	EXPECT_EQ(0, rtpm_attach(self->fd, other, RTPM_ROLE_CONSUMER));
	ASSERT_EQ(0, rtpm_layout(self->fd, other, &l));
	map = mmap(NULL, l.mmap_size, PROT_READ | PROT_WRITE, MAP_SHARED, self->fd, 0);
	ASSERT_NE(MAP_FAILED, map);
	EXPECT_EQ(-EBUSY, rtpm_attach(self->fd, RING, RTPM_ROLE_PRODUCER));
	EXPECT_EQ(-EBUSY, rtpm_ioc(self->fd, RTPM_IOC_DETACH, NULL));
	ASSERT_OK(munmap(map, l.mmap_size));
	EXPECT_EQ(0, rtpm_ioc(self->fd, RTPM_IOC_DETACH, NULL));
	EXPECT_EQ(-ENOTCONN, rtpm_ioc(self->fd, RTPM_IOC_DETACH, NULL));
	if (other != RING) {
		close(self->fd);
		self->fd = -1;
		rtpm_ring_clean(other);
	}
}

/* A failed re-attach leaves the session detached, its roles free. */
TEST_F(ctl, failed_reattach_detaches)
{
	struct rtpm_stats st;
	uint32_t idx;
	int o = rtpm_open();

	ASSERT_EQ(0, rtpm_configure(self->fd, RING, 1, 12, 0, 0));
	ASSERT_EQ(0, rtpm_ref(self->fd, RTPM_IOC_START, RING));
	ASSERT_EQ(0, rtpm_attach(self->fd, RING, RTPM_ROLE_PRODUCER));
	ASSERT_EQ(0, rtpm_claim(self->fd, &idx));
	/* The new attach fails on its target: another, unconfigured ring. */
	ASSERT_LT(1, self->info.max_rings);
	rtpm_ring_clean(RING + 1);
	EXPECT_EQ(-ENODATA, rtpm_attach(self->fd, RING + 1, RTPM_ROLE_PRODUCER));
	EXPECT_EQ(-ENOTCONN, rtpm_claim(self->fd, &idx));
	EXPECT_EQ(-ENOTCONN, rtpm_ioc(self->fd, RTPM_IOC_DETACH, NULL));
	ASSERT_EQ(0, rtpm_stats(self->fd, RING, &st));
	EXPECT_EQ(0, st.sessions);
	EXPECT_EQ(0, st.filling);
	EXPECT_EQ(1, st.aborted);
	EXPECT_EQ(0, rtpm_attach(o, RING, RTPM_ROLE_PRODUCER));
	/* A successful re-attach of the same session swaps its roles. */
	EXPECT_EQ(0, rtpm_attach(o, RING, RTPM_ROLE_CONSUMER));
	EXPECT_EQ(0, rtpm_attach(self->fd, RING, RTPM_ROLE_PRODUCER));
	ASSERT_EQ(0, rtpm_stats(self->fd, RING, &st));
	EXPECT_EQ(2, st.sessions);
	close(o);
}

/* Data-plane calls need an attached session with the right role. */
TEST_F(ctl, data_calls_need_session_and_role)
{
	struct rtpm_slot_desc d[2] = { { 0, 12 }, { 1, 12 } };
	struct rtpm_stats st;
	uint32_t idx, len;
	int m = rtpm_open(), p = rtpm_open(), c = rtpm_open();

	ASSERT_EQ(0, rtpm_configure(self->fd, RING, 1, 12, 0, 0));
	ASSERT_EQ(0, rtpm_ref(self->fd, RTPM_IOC_START, RING));
	/* Not attached. */
	EXPECT_EQ(-ENOTCONN, rtpm_claim(self->fd, &idx));
	EXPECT_EQ(-ENOTCONN, rtpm_push(self->fd, 0, 12));
	EXPECT_EQ(-ENOTCONN, rtpm_pop(self->fd, &idx, &len));
	EXPECT_EQ(-ENOTCONN, rtpm_release(self->fd, 0));
	EXPECT_EQ(-ENOTCONN, rtpm_batch(self->fd, RTPM_IOC_CLAIM_BATCH, RING, d, 1, 0, NULL));
	EXPECT_EQ(-ENOTCONN, rtpm_batch(self->fd, RTPM_IOC_PUSH_BATCH, RING, d, 1, 0, NULL));
	EXPECT_EQ(-ENOTCONN, rtpm_batch(self->fd, RTPM_IOC_POP_BATCH, RING, d, 1, 0, NULL));
	EXPECT_EQ(-ENOTCONN, rtpm_batch(self->fd, RTPM_IOC_RELEASE_BATCH, RING, d, 1, 0, NULL));

	ASSERT_EQ(0, rtpm_attach(m, RING, RTPM_ROLE_MONITOR));
	ASSERT_EQ(0, rtpm_attach(p, RING, RTPM_ROLE_PRODUCER));
	ASSERT_EQ(0, rtpm_attach(c, RING, RTPM_ROLE_CONSUMER));
	EXPECT_EQ(-EPERM, rtpm_claim(m, &idx));
	EXPECT_EQ(-EPERM, rtpm_claim(c, &idx));
	EXPECT_EQ(-EPERM, rtpm_batch(c, RTPM_IOC_CLAIM_BATCH, RING, d, 1, 0, NULL));
	EXPECT_EQ(-EPERM, rtpm_pop(m, &idx, &len));
	EXPECT_EQ(-EPERM, rtpm_pop(p, &idx, &len));
	EXPECT_EQ(-EPERM, rtpm_batch(p, RTPM_IOC_POP_BATCH, RING, d, 1, 0, NULL));
	ASSERT_EQ(0, rtpm_claim(p, &idx));
	EXPECT_EQ(-EPERM, rtpm_push(c, idx, 12));
	EXPECT_EQ(-EPERM, rtpm_push(m, idx, 12));
	EXPECT_EQ(-EPERM, rtpm_batch(c, RTPM_IOC_PUSH_BATCH, RING, d, 1, 0, NULL));
	/* Release checks ownership, not the role: a slot not held. */
	EXPECT_EQ(-EBADSLT, rtpm_release(m, idx));
	EXPECT_EQ(-EBADSLT, rtpm_release(c, idx));
	ASSERT_EQ(0, rtpm_stats(self->fd, RING, &st));
	EXPECT_EQ(11, st.invalid);	/* 9 EPERM, 2 EBADSLT */
	EXPECT_EQ(1, st.filling);
	ASSERT_INVARIANTS(self->fd, RING);
	close(m);
	close(p);
	close(c);
	ASSERT_EQ(0, rtpm_stats(self->fd, RING, &st));
	EXPECT_EQ(0, st.filling);
	EXPECT_EQ(1, st.aborted);
}

TEST_HARNESS_MAIN
