// SPDX-License-Identifier: MIT
/*
 * reclaim_test.c - sessions that end without cleaning up: a child that opened
 * its own sessions is killed with SIGKILL while holding FILLING and CONSUMED
 * slots (and a mapping); the kernel must free them, count them (aborted,
 * reclaimed), free the roles, and keep the invariants. Also: a child killed
 * in the middle of a stream of batches, and a session shared across fork.
 */
#define _GNU_SOURCE
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "rtpm_util.h"

#define ORDER	4
#define SLOTS	(1u << ORDER)

FIXTURE(rc) {
	int admin;
};

FIXTURE_SETUP(rc)
{
	self->admin = -1;
	rtpm_ring_clean(RING);
	self->admin = rtpm_open();
	ASSERT_EQ(0, rtpm_configure(self->admin, RING, ORDER, 200, RTPM_DROP_TAIL, 0));
	ASSERT_EQ(0, rtpm_ref(self->admin, RTPM_IOC_START, RING));
}

FIXTURE_TEARDOWN(rc)
{
	if (self->admin >= 0)
		close(self->admin);
	rtpm_ring_clean(RING);
}

/* Child side of the kill -9 test: set up the holdings, report, wait to die. */
static void holder_child(int wfd, int mapped, int one_session)
{
	struct rtpm_sess ps, cs;
	struct rtpm_slot_desc d[5];
	uint32_t done, k;
	int p, c, rc;

	if (mapped) {
		rc = rtpm_sess_open(&ps, RING, one_session ?
				    RTPM_ROLE_PRODUCER | RTPM_ROLE_CONSUMER :
				    RTPM_ROLE_PRODUCER);
		if (rc)
			_exit(10);
		p = ps.fd;
		if (one_session) {
			c = p;
		} else {
			if (rtpm_sess_open(&cs, RING, RTPM_ROLE_CONSUMER))
				_exit(11);
			c = cs.fd;
		}
	} else {
		p = rtpm_open();
		c = one_session ? p : rtpm_open();
		if (rtpm_attach(p, RING, one_session ?
				RTPM_ROLE_PRODUCER | RTPM_ROLE_CONSUMER :
				RTPM_ROLE_PRODUCER))
			_exit(12);
		if (!one_session && rtpm_attach(c, RING, RTPM_ROLE_CONSUMER))
			_exit(13);
	}
	/* 5 claimed, 3 pushed, 2 of those popped: 2 FILLING, 1 READY, 2 CONSUMED. */
	if (rtpm_batch(p, RTPM_IOC_CLAIM_BATCH, RING, d, 5, 0, &done) || done != 5)
		_exit(14);
	for (k = 0; k < 3; k++)
		d[k].len = 12 + k;
	if (rtpm_batch(p, RTPM_IOC_PUSH_BATCH, RING, d, 3, 0, &done) || done != 3)
		_exit(15);
	if (rtpm_batch(c, RTPM_IOC_POP_BATCH, RING, d, 2, 0, &done) || done != 2)
		_exit(16);
	if (write(wfd, "r", 1) != 1)
		_exit(17);
	for (;;)
		pause();
}

static void kill9_while_holding(struct th_meta *_metadata, int admin,
				int mapped, int one_session)
{
	struct rtpm_stats st;
	int pfd[2], status;
	uint32_t x, len;
	char ch;
	pid_t pid;

	ASSERT_OK(pipe(pfd));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(pfd[0]);
		holder_child(pfd[1], mapped, one_session);
	}
	close(pfd[1]);
	ASSERT_EQ(1, read(pfd[0], &ch, 1));
	close(pfd[0]);
	ASSERT_EQ(0, rtpm_stats(admin, RING, &st));
	EXPECT_EQ(2, st.filling);
	EXPECT_EQ(2, st.in_flight);
	EXPECT_EQ(1, st.ready);
	EXPECT_EQ(one_session ? 1 : 2, st.sessions);
	EXPECT_EQ(mapped ? (one_session ? 1 : 2) : 0, st.mappings);

	ASSERT_OK(kill(pid, SIGKILL));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);

	ASSERT_EQ(0, rtpm_stats(admin, RING, &st));
	EXPECT_EQ(0, st.filling);
	EXPECT_EQ(0, st.in_flight);
	EXPECT_EQ(1, st.ready);		/* READY belongs to the ring: it stays */
	EXPECT_EQ(SLOTS - 1, st.free);
	EXPECT_EQ(2, st.aborted);
	EXPECT_EQ(2, st.reclaimed);
	EXPECT_EQ(0, st.released);
	EXPECT_EQ(0, st.sessions);
	EXPECT_EQ(0, st.mappings);
	ASSERT_INVARIANTS(admin, RING);

	/* The roles are free again and the READY packet is still there. */
	{
		int p = rtpm_open(), c = rtpm_open();

		EXPECT_EQ(0, rtpm_attach(p, RING, RTPM_ROLE_PRODUCER));
		EXPECT_EQ(0, rtpm_attach(c, RING, RTPM_ROLE_CONSUMER));
		ASSERT_EQ(0, rtpm_pop(c, &x, &len));
		EXPECT_EQ(14, len);
		ASSERT_EQ(0, rtpm_release(c, x));
		close(p);
		close(c);
	}
	/* Unconfigure is possible: nothing pins the ring. */
	ASSERT_EQ(0, rtpm_ref(admin, RTPM_IOC_STOP, RING));
	EXPECT_EQ(0, rtpm_ref(admin, RTPM_IOC_UNCONFIGURE, RING));
}

/* Producer and consumer sessions in the killed child, not mapped. */
TEST_F(rc, kill9_two_sessions)
{
	kill9_while_holding(_metadata, self->admin, 0, 0);
}

/* The same, with both sessions mapped (the mapping holds them too). */
TEST_F(rc, kill9_two_mapped_sessions)
{
	kill9_while_holding(_metadata, self->admin, 1, 0);
}

/* One session with both roles, mapped. */
TEST_F(rc, kill9_one_mapped_session_both_roles)
{
	kill9_while_holding(_metadata, self->admin, 1, 1);
}

/*
 * The child of kill9_mid_stream: streams batches through a P|C session,
 * always holding the second half of its last pop, and says "go" once it
 * holds something.
 */
static void streaming_child(int wfd)
{
	struct rtpm_slot_desc d[32], rel[32];
	uint32_t done, k, n_rel = 0, hold;
	struct rtpm_sess s;
	bool told = false;

	if (rtpm_sess_open(&s, RING, RTPM_ROLE_PRODUCER | RTPM_ROLE_CONSUMER))
		_exit(10);
	for (;;) {
		rtpm_batch(s.fd, RTPM_IOC_CLAIM_BATCH, RING, d, 32, 0, &done);
		if (done > 32)	/* not written: nothing claimed */
			done = 0;
		for (k = 0; k < done; k++) {
			rtp_write_header(rtpm_payload(&s, d[k].index), k, k, 7, 96);
			d[k].len = 12 + k;
		}
		if (done)
			rtpm_batch(s.fd, RTPM_IOC_PUSH_BATCH, RING, d, done, 0, &done);
		if (rtpm_batch(s.fd, RTPM_IOC_POP_BATCH, RING, d, 16, 0, &done) || done > 16)
			continue;
		/* Release what was held before and the first half of this pop. */
		hold = done - done / 2;
		for (k = 0; k < done / 2; k++)
			rel[n_rel++] = d[k];
		if (n_rel)
			rtpm_batch(s.fd, RTPM_IOC_RELEASE_BATCH, RING, rel, n_rel, 0, NULL);
		n_rel = 0;
		for (k = done / 2; k < done; k++)
			rel[n_rel++] = d[k];
		if (hold && !told) {
			told = true;
			if (write(wfd, "g", 1) != 1)
				_exit(12);
		}
	}
}

/* A child streaming batches is killed at random moments while it holds slots. */
TEST_F(rc, kill9_mid_stream)
{
	uint64_t reclaimed = 0;
	struct rtpm_stats st;
	int round, status, pfd[2];
	pid_t pid;
	char ch;

	srand(env_u64("RTPM_RECLAIM_SEED", 1234));
	for (round = 0; round < 20; round++) {
		ASSERT_OK(pipe(pfd));
		pid = fork();
		ASSERT_LE(0, pid);
		if (pid == 0) {
			close(pfd[0]);
			streaming_child(pfd[1]);
		}
		close(pfd[1]);
		ASSERT_EQ(1, read(pfd[0], &ch, 1));
		close(pfd[0]);
		usleep(rand() % 20000);
		ASSERT_OK(kill(pid, SIGKILL));
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		ASSERT_TRUE(WIFSIGNALED(status));
		ASSERT_EQ(0, rtpm_stats(self->admin, RING, &st));
		EXPECT_EQ(0, st.filling);
		EXPECT_EQ(0, st.in_flight);
		EXPECT_EQ(0, st.sessions);
		EXPECT_EQ(0, st.mappings);
		/* It held at least one popped slot when it died. */
		EXPECT_LT(reclaimed, st.reclaimed);
		reclaimed = st.reclaimed;
		ASSERT_INVARIANTS(self->admin, RING);
		if (_metadata->failed)
			break;
	}
	TH_LOG("after 20 kills: pushed %llu popped %llu released %llu reclaimed %llu aborted %llu",
	       (unsigned long long)st.pushed, (unsigned long long)st.popped,
	       (unsigned long long)st.released, (unsigned long long)st.reclaimed,
	       (unsigned long long)st.aborted);
	EXPECT_EQ(st.popped, st.released + st.reclaimed);
}

/* A session inherited across fork lives until its last holder closes it. */
TEST_F(rc, session_shared_across_fork)
{
	struct rtpm_stats st;
	int fd = rtpm_open(), pfd[2], status;
	uint32_t idx;
	pid_t pid;
	char ch;

	ASSERT_EQ(0, rtpm_attach(fd, RING, RTPM_ROLE_PRODUCER));
	ASSERT_EQ(0, rtpm_claim(fd, &idx));
	ASSERT_OK(pipe(pfd));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(pfd[1]);
		/* Hold the inherited fd until the parent says go. */
		if (read(pfd[0], &ch, 1) != 1)
			_exit(1);
		_exit(0);
	}
	close(pfd[0]);
	close(fd);
	ASSERT_EQ(0, rtpm_stats(self->admin, RING, &st));
	EXPECT_EQ(1, st.sessions);
	EXPECT_EQ(1, st.filling);
	ASSERT_EQ(1, write(pfd[1], "g", 1));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_EQ(0, rtpm_stats(self->admin, RING, &st));
	EXPECT_EQ(0, st.sessions);
	EXPECT_EQ(0, st.filling);
	EXPECT_EQ(1, st.aborted);
	close(pfd[1]);
}

TEST_HARNESS_MAIN
