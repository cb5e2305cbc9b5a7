// SPDX-License-Identifier: MIT
/*
 * access_test.c - who may do what to a ring (ABI 1.2): the owner that
 * configure records, the group and mode it takes, the checks at attach
 * (EACCES), start, stop, reset, reconfigure and unconfigure (EPERM), the
 * per-uid ring cap (EDQUOT), and /proc/driver/rtp_mgr showing a ring only
 * to readers. Two unprivileged users act in forked children that open the
 * device as root (the node is 0600) and then drop every privilege: the
 * module judges the caller's credentials, not the opener's.
 */
#define _GNU_SOURCE
#include <grp.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rtpm_util.h"

#define USER_A	60001
#define USER_B	60002
#define GROUP_G	60100	/* a group A and sometimes B belong to */

struct who {
	uid_t uid;
	gid_t gid;
	int in_g;	/* member of GROUP_G */
};

static const struct who A = { USER_A, USER_A, 1 };
static const struct who B = { USER_B, USER_B, 0 };
static const struct who B_IN_G = { USER_B, USER_B, 1 };

static int fails;	/* in the child: checks that failed */
static int spare_fd;	/* in the child: a second open of the node, as root */

#define CHECK(exp, expr) do {						\
	long e_ = (exp), v_ = (expr);					\
	if (e_ != v_) {							\
		printf("# %s:%d: uid %d: %s: expected %ld, got %ld\n",	\
		       __FILE__, __LINE__, (int)getuid(), #expr, e_, v_); \
		fails++;						\
	}								\
} while (0)

/*
 * Runs @fn(fd, arg) in a child that opened the device as root and then
 * became @w, without any capability. Return: how many checks failed there.
 */
static int as_user(const struct who *w, void (*fn)(int fd, void *arg), void *arg)
{
	gid_t g = GROUP_G;
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		int fd = open(RTPM_DEVICE_PATH, O_RDWR | O_CLOEXEC);

		spare_fd = open(RTPM_DEVICE_PATH, O_RDWR | O_CLOEXEC);
		if (fd < 0 || spare_fd < 0 || setgroups(w->in_g, &g) || setresgid(w->gid, w->gid, w->gid) ||
		    setresuid(w->uid, w->uid, w->uid)) {
			printf("# cannot become uid %d: %s\n", (int)w->uid, strerror(errno));
			_exit(100);
		}
		fails = 0;
		fn(fd, arg);
		fflush(stdout);
		_exit(fails > 99 ? 99 : fails);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static int configure_access(int fd, uint32_t ring, uint32_t gid, uint32_t mode)
{
	struct rtpm_config c = {
		.ring_id = ring, .order = 2, .max_payload = 64,
		.flags = RTPM_CFG_ACCESS, .access_gid = gid, .access_mode = mode,
	};

	return rtpm_ioc(fd, RTPM_IOC_CONFIGURE, &c);
}

/* Every ring clean before and after; the rings are global. */
FIXTURE(acc) {
	struct rtpm_info info;
};

FIXTURE_SETUP(acc)
{
	ASSERT_EQ(0, rtpm_info(&self->info));
	if (self->info.max_rings < 2)
		SKIP("the module offers %u ring", self->info.max_rings);
	for (uint32_t r = 0; r < self->info.max_rings; r++)
		rtpm_ring_clean(r);
}

FIXTURE_TEARDOWN(acc)
{
	for (uint32_t r = 0; r < self->info.max_rings; r++)
		rtpm_ring_clean(r);
}

static void a_configures_default(int fd, void *arg)
{
	(void)arg;
	CHECK(0, rtpm_configure(fd, RING, 2, 64, RTPM_DROP_TAIL, 0));
}

/* Everything B tries on A's owner-only ring is refused; nothing changes. */
static void b_is_refused(int fd, void *arg)
{
	struct rtpm_layout lay;
	struct rtpm_stats st;

	(void)arg;
	CHECK(-EACCES, rtpm_attach(fd, RING, RTPM_ROLE_MONITOR));
	CHECK(-EACCES, rtpm_attach(fd, RING, RTPM_ROLE_CONSUMER));
	CHECK(-EACCES, rtpm_attach(fd, RING, RTPM_ROLE_PRODUCER));
	CHECK(-EPERM, rtpm_ref(fd, RTPM_IOC_START, RING));
	CHECK(-EPERM, rtpm_ref(fd, RTPM_IOC_STOP, RING));
	CHECK(-EPERM, rtpm_ref(fd, RTPM_IOC_RESET_STATS, RING));
	CHECK(-EPERM, rtpm_ref(fd, RTPM_IOC_UNCONFIGURE, RING));
	CHECK(-EPERM, rtpm_configure(fd, RING, 3, 64, RTPM_DROP_TAIL, 0));
	/* The shape stays readable: only the node's mode guards it. */
	CHECK(0, rtpm_layout(fd, RING, &lay));
	CHECK(4, lay.slot_count);
	CHECK(USER_A, lay.owner_uid);
	CHECK(0, rtpm_stats(fd, RING, &st));
	CHECK(0, st.state & RTPM_STATE_RUNNING);
}

/* The owner may do all of it. */
static void a_uses_its_ring(int fd, void *arg)
{
	uint32_t idx;

	(void)arg;
	CHECK(0, rtpm_ref(fd, RTPM_IOC_START, RING));
	CHECK(0, rtpm_attach(spare_fd, RING, RTPM_ROLES_ALL));
	CHECK(0, rtpm_claim(spare_fd, &idx));
	CHECK(0, rtpm_release(spare_fd, idx));
	close(spare_fd);
	CHECK(0, rtpm_ref(fd, RTPM_IOC_RESET_STATS, RING));
	CHECK(0, rtpm_ref(fd, RTPM_IOC_STOP, RING));
	CHECK(0, rtpm_configure(fd, RING, 3, 64, RTPM_DROP_TAIL, 0));
	CHECK(0, rtpm_ref(fd, RTPM_IOC_UNCONFIGURE, RING));
}

/* A ring is its configurer's alone by default; B gets EACCES and EPERM. */
TEST_F(acc, owner_only_by_default)
{
	struct rtpm_layout lay;
	int admin;

	ASSERT_EQ(0, as_user(&A, a_configures_default, NULL));
	admin = rtpm_open();
	ASSERT_EQ(0, rtpm_layout(admin, RING, &lay));
	EXPECT_EQ(USER_A, lay.owner_uid);
	EXPECT_EQ(USER_A, lay.access_gid);
	EXPECT_EQ(RTPM_ACCESS_DEFAULT, lay.access_mode);
	EXPECT_EQ(0, as_user(&B, b_is_refused, NULL));
	EXPECT_EQ(0, as_user(&B_IN_G, b_is_refused, NULL));
	/* The reconfigure B tried did not happen. */
	ASSERT_EQ(0, rtpm_layout(admin, RING, &lay));
	EXPECT_EQ(4, lay.slot_count);
	EXPECT_EQ(0, as_user(&A, a_uses_its_ring, NULL));
	close(admin);
}

/* CAP_NET_ADMIN (root here) may do everything to anybody's ring. */
TEST_F(acc, cap_net_admin_overrides)
{
	int admin = rtpm_open(), fd = rtpm_open();

	ASSERT_EQ(0, as_user(&A, a_configures_default, NULL));
	EXPECT_EQ(0, rtpm_attach(fd, RING, RTPM_ROLE_MONITOR | RTPM_ROLE_CONSUMER));
	EXPECT_EQ(0, rtpm_ref(admin, RTPM_IOC_START, RING));
	EXPECT_EQ(0, rtpm_ref(admin, RTPM_IOC_RESET_STATS, RING));
	EXPECT_EQ(0, rtpm_ref(admin, RTPM_IOC_STOP, RING));
	close(fd);
	EXPECT_EQ(0, rtpm_configure(admin, RING, 3, 64, RTPM_DROP_TAIL, 0));
	EXPECT_EQ(0, rtpm_ref(admin, RTPM_IOC_UNCONFIGURE, RING));
	close(admin);
}

static void a_configures_group_read(int fd, void *arg)
{
	(void)arg;
	/* Owner read+write, group read: monitors of group G. */
	CHECK(0, configure_access(fd, RING, GROUP_G, S_IRUSR | S_IWUSR | S_IRGRP));
}

static void member_may_monitor_only(int fd, void *arg)
{
	int fd2 = open(RTPM_DEVICE_PATH, O_RDWR | O_CLOEXEC);

	(void)arg;
	fd2 = fd2 < 0 ? -errno : 0;
	CHECK(-EACCES, rtpm_attach(fd, RING, RTPM_ROLE_CONSUMER));
	CHECK(-EACCES, rtpm_attach(fd, RING, RTPM_ROLE_MONITOR | RTPM_ROLE_PRODUCER));
	CHECK(0, rtpm_attach(fd, RING, RTPM_ROLE_MONITOR));
	CHECK(-EPERM, rtpm_ref(fd, RTPM_IOC_START, RING));	/* not the owner */
	CHECK(-EACCES, fd2);	/* the node itself stays 0600 root */
}

/* A group and mode at configure: a group member may monitor, not produce. */
TEST_F(acc, group_and_mode)
{
	ASSERT_EQ(0, as_user(&A, a_configures_group_read, NULL));
	EXPECT_EQ(0, as_user(&B_IN_G, member_may_monitor_only, NULL));
	EXPECT_EQ(0, as_user(&B, b_is_refused, NULL));
}

static void bad_access_words(int fd, void *arg)
{
	struct rtpm_config c = {
		.ring_id = RING + 1, .order = 2, .max_payload = 64,
	};

	(void)arg;
	/* A group the caller is not in: EPERM, as for chown. */
	CHECK(-EPERM, configure_access(fd, RING + 1, USER_B, S_IRUSR | S_IWUSR));
	/* Only read and write bits; no execute, set-id or sticky bits. */
	CHECK(-EINVAL, configure_access(fd, RING + 1, GROUP_G, 0700));
	CHECK(-EINVAL, configure_access(fd, RING + 1, GROUP_G, 01600));
	CHECK(-EINVAL, configure_access(fd, RING + 1, (uint32_t)-1, 0600));
	/* Without RTPM_CFG_ACCESS both words are reserved. */
	c.access_gid = GROUP_G;
	CHECK(-EINVAL, rtpm_ioc(fd, RTPM_IOC_CONFIGURE, &c));
	c.access_gid = 0;
	c.access_mode = 0600;
	CHECK(-EINVAL, rtpm_ioc(fd, RTPM_IOC_CONFIGURE, &c));
	c.access_mode = 0;
	c.reserved = 1;
	CHECK(-EINVAL, rtpm_ioc(fd, RTPM_IOC_CONFIGURE, &c));
	/* The last valid mode: everybody may everything. */
	CHECK(0, configure_access(fd, RING + 1, GROUP_G, RTPM_ACCESS_MODE_ALL));
}

static void anybody_may_attach(int fd, void *arg)
{
	(void)arg;
	CHECK(0, rtpm_attach(fd, RING + 1, RTPM_ROLES_ALL));
	CHECK(-EPERM, rtpm_ref(fd, RTPM_IOC_START, RING + 1));	/* still A's */
}

/* The access words are checked; refused configures leave no owner behind. */
TEST_F(acc, access_words_checked)
{
	uint64_t used, sum;

	ASSERT_EQ(0, as_user(&A, bad_access_words, NULL));
	sum = rtpm_rings_bytes(&used);
	EXPECT_EQ(sum, used);
	/* Mode 0666: B, in no group, may attach every role. */
	EXPECT_EQ(0, as_user(&B, anybody_may_attach, NULL));
}

static void fill_own_rings(int fd, void *arg)
{
	const struct rtpm_info *info = arg;
	uint32_t r, n = info->max_rings_per_user;

	for (r = 0; r < n; r++)
		CHECK(0, rtpm_configure(fd, r, 1, 12, RTPM_DROP_TAIL, 0));
	/* One more is over the cap, while any ring id is still free. */
	if (n < info->max_rings)
		CHECK(-EDQUOT, rtpm_configure(fd, n, 1, 12, RTPM_DROP_TAIL, 0));
	/* Reconfiguring an own ring takes no new one. */
	CHECK(0, rtpm_configure(fd, 0, 2, 12, RTPM_DROP_TAIL, 0));
	/* Giving one back makes room again. */
	CHECK(0, rtpm_ref(fd, RTPM_IOC_UNCONFIGURE, 0));
	if (n < info->max_rings)
		CHECK(0, rtpm_configure(fd, n, 1, 12, RTPM_DROP_TAIL, 0));
}

static void b_takes_one(int fd, void *arg)
{
	const struct rtpm_info *info = arg;

	/* A's cap is A's: B still configures a free ring. */
	if (info->max_rings_per_user + 1 < info->max_rings)
		CHECK(0, rtpm_configure(fd, info->max_rings - 1, 1, 12, RTPM_DROP_TAIL, 0));
}

/* No user can take every ring id: max_rings_per_user each, EDQUOT past it. */
TEST_F(acc, per_user_ring_cap)
{
	int admin;

	TH_LOG("max_rings_per_user %u of %u rings", self->info.max_rings_per_user,
	       self->info.max_rings);
	EXPECT_LE(1, self->info.max_rings_per_user);
	EXPECT_LE(self->info.max_rings_per_user, self->info.max_rings);
	ASSERT_EQ(0, as_user(&A, fill_own_rings, &self->info));
	EXPECT_EQ(0, as_user(&B, b_takes_one, &self->info));
	/* CAP_NET_ADMIN is not capped. */
	admin = rtpm_open();
	for (uint32_t r = 0; r < self->info.max_rings; r++) {
		int rc = rtpm_configure(admin, r, 1, 12, RTPM_DROP_TAIL, 0);

		EXPECT_TRUE(rc == 0 || rc == -EBUSY);
	}
	close(admin);
}

/* Counts the "ring N:" lines of /proc/driver/rtp_mgr that name @ring. */
static int proc_shows(uint32_t ring)
{
	char line[512], want[32];
	FILE *f = fopen("/proc/driver/rtp_mgr", "r");
	int n = 0;

	if (!f)
		return -errno;
	snprintf(want, sizeof(want), "ring %u: ", ring);
	while (fgets(line, sizeof(line), f))
		n += !strncmp(line, want, strlen(want));
	fclose(f);
	return n;
}

static void proc_expect(int fd, void *arg)
{
	const int *expect = arg;	/* what ring 0 and ring 1 should show */

	(void)fd;
	CHECK(expect[0], proc_shows(RING));
	CHECK(expect[1], proc_shows(RING + 1));
}

static void a_configures_two(int fd, void *arg)
{
	(void)arg;
	CHECK(0, rtpm_configure(fd, RING, 2, 64, RTPM_DROP_TAIL, 0));
	CHECK(0, configure_access(fd, RING + 1, GROUP_G, S_IRUSR | S_IWUSR | S_IRGRP));
}

/* /proc shows a ring only to those who may read it, judged by f_cred. */
TEST_F(acc, proc_shows_readers_only)
{
	static const int own[2] = { 1, 1 }, none[2] = { 0, 0 }, group[2] = { 0, 1 };

	ASSERT_EQ(0, as_user(&A, a_configures_two, NULL));
	EXPECT_EQ(1, proc_shows(RING));		/* root */
	EXPECT_EQ(1, proc_shows(RING + 1));
	EXPECT_EQ(0, as_user(&A, proc_expect, (void *)own));
	EXPECT_EQ(0, as_user(&B, proc_expect, (void *)none));
	EXPECT_EQ(0, as_user(&B_IN_G, proc_expect, (void *)group));
}

TEST_HARNESS_MAIN
