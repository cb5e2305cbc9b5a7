// SPDX-License-Identifier: MIT
/*
 * poll_test.c - poll() and epoll on rtp_mgr sessions: EPOLLIN for a
 * consumer when a slot is READY, EPOLLOUT for a producer when one can be
 * claimed, on a stopped ring EPOLLHUP for sessions attached with ABI minor
 * 0 and RTPM_POLL_STOPPED (EPOLLPRI, maskable) for minor 1, EPOLLERR when
 * not attached. Sleepers are woken from another thread; epoll, level- and
 * edge-triggered, also when added before ATTACH or kept across a re-ATTACH.
 */
#define _GNU_SOURCE
#include <poll.h>
#include <pthread.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include "rtpm_util.h"

#define SLOTS	4

FIXTURE(pl) {
	int admin, p, c;
};

FIXTURE_SETUP(pl)
{
	self->admin = self->p = self->c = -1;
	rtpm_ring_clean(RING);
	self->admin = rtpm_open();
	ASSERT_EQ(0, rtpm_configure(self->admin, RING, 2, 64, RTPM_DROP_TAIL, 0));
	self->p = rtpm_open();
	self->c = rtpm_open();
	/* Minor 0 clients, as before RTPM_POLL_STOPPED: their contract holds. */
	ASSERT_EQ(0, rtpm_attach_minor(self->p, RING, RTPM_ROLE_PRODUCER, 0));
	ASSERT_EQ(0, rtpm_attach_minor(self->c, RING, RTPM_ROLE_CONSUMER, 0));
	ASSERT_EQ(0, rtpm_ref(self->admin, RTPM_IOC_START, RING));
}

FIXTURE_TEARDOWN(pl)
{
	if (self->p >= 0)
		close(self->p);
	if (self->c >= 0)
		close(self->c);
	if (self->admin >= 0) {
		if (!_metadata->failed)
			ASSERT_INVARIANTS(self->admin, RING);
		close(self->admin);
	}
	rtpm_ring_clean(RING);
}

static short revents(int fd, short events, int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = events };
	int n = poll(&p, 1, timeout_ms);

	return n < 0 ? -1 : n == 0 ? 0 : p.revents;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A thread that sleeps in poll() and reports what woke it and when. */
struct sleeper {
	pthread_t th;
	int fd;
	short events;
	int use_epoll;
	int ep;			/* >= 0: wait on this epoll set, made by the test */
	volatile int entered;
	short got;
	double woke_at;
};

static void *sleeper_main(void *arg)
{
	struct sleeper *s = arg;

	s->entered = 1;
	if (s->ep >= 0) {
		struct epoll_event out;
		int n = epoll_wait(s->ep, &out, 1, 5000);

		s->got = n == 1 ? (short)out.events : (short)n;
	} else if (s->use_epoll) {
		struct epoll_event ev = { .events = (uint32_t)s->events }, out;
		int ep = epoll_create1(0), n;

		epoll_ctl(ep, EPOLL_CTL_ADD, s->fd, &ev);
		n = epoll_wait(ep, &out, 1, 5000);
		s->got = n == 1 ? (short)out.events : (short)n;
		close(ep);
	} else {
		s->got = revents(s->fd, s->events, 5000);
	}
	s->woke_at = now_s();
	return NULL;
}

static void sleeper_run(struct sleeper *s)
{
	pthread_create(&s->th, NULL, sleeper_main, s);
	while (!s->entered)
		usleep(1000);
	/* Let it reach the wait queue: a missed wake-up then shows as a 5 s timeout. */
	usleep(50000);
}

static void sleeper_start(struct sleeper *s, int fd, short events, int use_epoll)
{
	memset(s, 0, sizeof(*s));
	s->fd = fd;
	s->events = events;
	s->use_epoll = use_epoll;
	s->ep = -1;
	sleeper_run(s);
}

/* A sleeper in epoll_wait() on the set @ep that the test prepared. */
static void sleeper_start_ep(struct sleeper *s, int ep)
{
	memset(s, 0, sizeof(*s));
	s->fd = -1;
	s->ep = ep;
	sleeper_run(s);
}

static double sleeper_join(struct sleeper *s, double t_event)
{
	pthread_join(s->th, NULL);
	return s->woke_at - t_event;
}

/* Level-triggered state: each side sees its own readiness only. */
TEST_F(pl, readiness_levels)
{
	uint32_t idx[SLOTS], x, len;
	int k;

	EXPECT_EQ(0, revents(self->c, POLLIN, 0));
	EXPECT_EQ(POLLOUT, revents(self->p, POLLOUT, 0));
	ASSERT_EQ(0, rtpm_claim(self->p, &idx[0]));
	ASSERT_EQ(0, rtpm_push(self->p, idx[0], 12));
	EXPECT_EQ(POLLIN, revents(self->c, POLLIN, 0));
	EXPECT_EQ(POLLIN, revents(self->c, POLLIN, 0));	/* still READY */
	for (k = 1; k < SLOTS; k++)
		ASSERT_EQ(0, rtpm_claim(self->p, &idx[k]));
	EXPECT_EQ(0, revents(self->p, POLLOUT, 0));	/* full */
	ASSERT_EQ(0, rtpm_pop(self->c, &x, &len));
	EXPECT_EQ(0, revents(self->c, POLLIN, 0));	/* drained */
	EXPECT_EQ(0, revents(self->p, POLLOUT, 0));	/* held, not FREE */
	ASSERT_EQ(0, rtpm_release(self->c, x));
	EXPECT_EQ(POLLOUT, revents(self->p, POLLOUT, 0));
	for (k = 1; k < SLOTS; k++)
		ASSERT_EQ(0, rtpm_release(self->p, idx[k]));
}

/* A consumer asleep in poll() wakes when a packet is pushed. */
TEST_F(pl, pollin_wakes_consumer)
{
	struct sleeper s;
	uint32_t idx;
	double t, lat;

	ASSERT_EQ(0, rtpm_claim(self->p, &idx));
	sleeper_start(&s, self->c, POLLIN, 0);
	t = now_s();
	ASSERT_EQ(0, rtpm_push(self->p, idx, 12));
	lat = sleeper_join(&s, t);
	EXPECT_EQ(POLLIN, s.got);
	EXPECT_GT(1.0, lat);
	TH_LOG("wake-up latency %.0f us", lat * 1e6);
}

/* A producer asleep on a full ring wakes when the consumer releases. */
TEST_F(pl, pollout_wakes_producer)
{
	struct sleeper s;
	uint32_t idx, k, x, len;
	double t, lat;

	for (k = 0; k < SLOTS; k++) {
		ASSERT_EQ(0, rtpm_claim(self->p, &idx));
		ASSERT_EQ(0, rtpm_push(self->p, idx, 12));
	}
	ASSERT_EQ(0, rtpm_pop(self->c, &x, &len));
	sleeper_start(&s, self->p, POLLOUT, 0);
	t = now_s();
	ASSERT_EQ(0, rtpm_release(self->c, x));
	lat = sleeper_join(&s, t);
	EXPECT_EQ(POLLOUT, s.got);
	EXPECT_GT(1.0, lat);
}

/* The same through epoll. */
TEST_F(pl, epoll_wakes_consumer)
{
	struct sleeper s;
	uint32_t idx;
	double t;

	ASSERT_EQ(0, rtpm_claim(self->p, &idx));
	sleeper_start(&s, self->c, EPOLLIN, 1);
	t = now_s();
	ASSERT_EQ(0, rtpm_push(self->p, idx, 12));
	EXPECT_GT(1.0, sleeper_join(&s, t));
	EXPECT_EQ(EPOLLIN, s.got);
}

/* STOP wakes sleepers on both sides with POLLHUP; START clears it. */
TEST_F(pl, stop_wakes_with_pollhup)
{
	struct sleeper sc, sp;
	uint32_t idx, k;
	double t;

	for (k = 0; k < SLOTS; k++)
		ASSERT_EQ(0, rtpm_claim(self->p, &idx));
	sleeper_start(&sc, self->c, POLLIN, 0);
	sleeper_start(&sp, self->p, POLLOUT, 0);
	t = now_s();
	ASSERT_EQ(0, rtpm_ref(self->admin, RTPM_IOC_STOP, RING));
	EXPECT_GT(1.0, sleeper_join(&sc, t));
	EXPECT_GT(1.0, sleeper_join(&sp, t));
	EXPECT_TRUE(sc.got > 0 && (sc.got & POLLHUP));
	EXPECT_TRUE(sp.got > 0 && (sp.got & POLLHUP));
	EXPECT_TRUE(revents(self->c, POLLIN, 0) & POLLHUP);
	ASSERT_EQ(0, rtpm_ref(self->admin, RTPM_IOC_START, RING));
	EXPECT_EQ(0, revents(self->c, POLLIN, 0));
}

/* A stopped ring with READY slots: the consumer still sees POLLIN, and HUP. */
TEST_F(pl, stopped_with_ready_slots)
{
	uint32_t idx, x, len;
	short r;

	ASSERT_EQ(0, rtpm_claim(self->p, &idx));
	ASSERT_EQ(0, rtpm_push(self->p, idx, 12));
	ASSERT_EQ(0, rtpm_ref(self->admin, RTPM_IOC_STOP, RING));
	r = revents(self->c, POLLIN, 0);
	EXPECT_TRUE(r > 0 && (r & POLLHUP) && (r & POLLIN));
	ASSERT_EQ(0, rtpm_pop(self->c, &x, &len));
	r = revents(self->c, POLLIN, 0);
	EXPECT_TRUE(r > 0 && (r & POLLHUP) && !(r & POLLIN));
	ASSERT_EQ(0, rtpm_release(self->c, x));
}

/* A session that is not attached polls EPOLLERR. */
TEST_F(pl, unattached_pollerr)
{
	int fd = rtpm_open();
	short r = revents(fd, POLLIN | POLLOUT, 0);

	EXPECT_TRUE(r > 0 && (r & POLLERR));
	ASSERT_EQ(0, rtpm_ioc(self->c, RTPM_IOC_DETACH, NULL));
	r = revents(self->c, POLLIN, 0);
	EXPECT_TRUE(r > 0 && (r & POLLERR));
	close(fd);
}

/* An epoll set watching @fd for @events. */
static int epoll_for(int fd, uint32_t events)
{
	struct epoll_event ev = { .events = events };
	int ep = epoll_create1(EPOLL_CLOEXEC);

	if (ep >= 0 && epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev)) {
		close(ep);
		return -1;
	}
	return ep;
}

static int epoll_now(int ep)
{
	struct epoll_event out;
	int n = epoll_wait(ep, &out, 1, 0);

	return n == 1 ? (int)out.events : n;
}

/* A consumer asleep in epoll_wait() on @ep wakes with EPOLLIN when @p pushes. */
static void push_wakes(struct th_meta *_metadata, int p, int ep)
{
	struct sleeper s;
	uint32_t idx;
	double t;

	ASSERT_EQ(0, rtpm_claim(p, &idx));
	sleeper_start_ep(&s, ep);
	t = now_s();
	ASSERT_EQ(0, rtpm_push(p, idx, 12));
	EXPECT_GT(1.0, sleeper_join(&s, t));
	EXPECT_EQ(EPOLLIN, s.got);
}

/*
 * A consumer whose fd joined an epoll set before it attached (epoll polls
 * a file once, at EPOLL_CTL_ADD) is woken by a push.
 */
static void added_before_attach(struct th_meta *_metadata,
				FIXTURE_DATA(pl) *self, uint32_t et)
{
	int fd = rtpm_open(), ep = epoll_for(fd, EPOLLIN | et);

	ASSERT_LE(0, ep);
	EXPECT_EQ(EPOLLERR, epoll_now(ep));	/* detached */
	close(self->c);
	self->c = -1;
	ASSERT_EQ(0, rtpm_attach(fd, RING, RTPM_ROLE_CONSUMER));
	EXPECT_EQ(0, epoll_now(ep));		/* running, nothing READY */
	push_wakes(_metadata, self->p, ep);
	/* Level-triggered reports it again, edge-triggered once. */
	EXPECT_EQ(et ? 0 : EPOLLIN, epoll_now(ep));
	close(ep);
	close(fd);
}

TEST_F(pl, epoll_lt_added_before_attach)
{
	added_before_attach(_metadata, self, 0);
}

TEST_F(pl, epoll_et_added_before_attach)
{
	added_before_attach(_metadata, self, EPOLLET);
}

/*
 * A consumer that re-attaches from ring 1 to ring 0 under the same epoll
 * registration is woken by ring 0's push, and no longer by ring 1's.
 */
static void follows_reattach(struct th_meta *_metadata,
			     FIXTURE_DATA(pl) *self, uint32_t et)
{
	struct rtpm_info info;
	uint32_t idx;
	int fd, ep, p1;

	ASSERT_EQ(0, rtpm_info(&info));
	if (info.max_rings < 2)
		SKIP("the module offers %u ring", info.max_rings);
	rtpm_ring_clean(RING + 1);
	ASSERT_EQ(0, rtpm_configure(self->admin, RING + 1, 2, 64, RTPM_DROP_TAIL, 0));
	ASSERT_EQ(0, rtpm_ref(self->admin, RTPM_IOC_START, RING + 1));
	p1 = rtpm_open();
	ASSERT_EQ(0, rtpm_attach(p1, RING + 1, RTPM_ROLE_PRODUCER));
	fd = rtpm_open();
	ASSERT_EQ(0, rtpm_attach(fd, RING + 1, RTPM_ROLE_CONSUMER));
	ep = epoll_for(fd, EPOLLIN | et);
	ASSERT_LE(0, ep);
	close(self->c);
	self->c = -1;
	ASSERT_EQ(0, rtpm_attach(fd, RING, RTPM_ROLE_CONSUMER));
	EXPECT_EQ(0, epoll_now(ep));
	/* Ring 1's packets are not this session's any more. */
	ASSERT_EQ(0, rtpm_claim(p1, &idx));
	ASSERT_EQ(0, rtpm_push(p1, idx, 12));
	EXPECT_EQ(0, epoll_now(ep));
	push_wakes(_metadata, self->p, ep);
	close(ep);
	close(fd);
	close(p1);
	rtpm_ring_clean(RING + 1);
}

TEST_F(pl, epoll_lt_follows_reattach)
{
	follows_reattach(_metadata, self, 0);
}

TEST_F(pl, epoll_et_follows_reattach)
{
	follows_reattach(_metadata, self, EPOLLET);
}

/*
 * Attached with minor 1, a stopped ring is RTPM_POLL_STOPPED (EPOLLPRI):
 * reported, and its sleepers woken, only when asked for, so a
 * level-triggered poller of EPOLLIN alone sleeps instead of spinning.
 */
TEST_F(pl, stopped_is_maskable_for_minor_1)
{
	struct sleeper s;
	double t;
	int fd = rtpm_open(), ep_in, ep_pri;

	EXPECT_EQ(POLLPRI, RTPM_POLL_STOPPED);
	EXPECT_EQ(EPOLLPRI, RTPM_POLL_STOPPED);
	close(self->c);
	self->c = -1;
	ASSERT_EQ(0, rtpm_attach_minor(fd, RING, RTPM_ROLE_CONSUMER, 1));
	ep_in = epoll_for(fd, EPOLLIN);
	ep_pri = epoll_for(fd, EPOLLIN | EPOLLPRI);
	ASSERT_LE(0, ep_in);
	ASSERT_LE(0, ep_pri);
	EXPECT_EQ(0, revents(fd, POLLIN | POLLPRI, 0));
	sleeper_start(&s, fd, POLLIN | POLLPRI, 0);
	t = now_s();
	ASSERT_EQ(0, rtpm_ref(self->admin, RTPM_IOC_STOP, RING));
	EXPECT_GT(1.0, sleeper_join(&s, t));
	EXPECT_EQ(POLLPRI, s.got);
	EXPECT_EQ(0, revents(fd, POLLIN, 0));
	EXPECT_EQ(POLLPRI, revents(fd, POLLIN | POLLPRI, 0));
	EXPECT_EQ(0, epoll_now(ep_in));
	EXPECT_EQ(0, epoll_now(ep_in));
	EXPECT_EQ(EPOLLPRI, epoll_now(ep_pri));
	EXPECT_EQ(EPOLLPRI, epoll_now(ep_pri));	/* level-triggered: still stopped */
	ASSERT_EQ(0, rtpm_ref(self->admin, RTPM_IOC_START, RING));
	EXPECT_EQ(0, revents(fd, POLLIN | POLLPRI, 0));
	EXPECT_EQ(0, epoll_now(ep_pri));
	close(ep_in);
	close(ep_pri);
	close(fd);
}

/* Attached with minor 0, a stopped ring stays EPOLLHUP, which epoll always reports. */
TEST_F(pl, stopped_is_pollhup_for_minor_0)
{
	int ep = epoll_for(self->c, EPOLLIN);

	ASSERT_LE(0, ep);
	ASSERT_EQ(0, rtpm_ref(self->admin, RTPM_IOC_STOP, RING));
	EXPECT_EQ(EPOLLHUP, epoll_now(ep));
	EXPECT_EQ(POLLHUP, revents(self->c, POLLIN | POLLPRI, 0));
	close(ep);
}

TEST_HARNESS_MAIN
