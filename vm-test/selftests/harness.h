/* SPDX-License-Identifier: MIT */
/*
 * harness.h - a small test harness in the shape of the kernel's kselftest
 * harness (TEST, FIXTURE, TEST_F, ASSERT_*, EXPECT_*), written for rtp_mgr.
 *
 * Each test runs in its own forked child, in its own process group, under a
 * per-test timeout; the parent prints TAP 13. ASSERT_* ends the test body
 * (the fixture teardown still runs, through longjmp); EXPECT_* records the
 * failure and goes on. Both only work in the test's main thread: worker
 * threads report through their own return values.
 *
 * A binary accepts -t NAME (run only that test, repeatable), -l (list) and
 * -h; the arguments after the options are left in th_argc/th_argv.
 * Exit status: 0 all passed or skipped, 1 something failed.
 */
#ifndef RTPM_HARNESS_H
#define RTPM_HARNESS_H

#include <errno.h>
#include <inttypes.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#define TH_DEFAULT_TIMEOUT	30	/* seconds */

struct th_meta {
	const char *name;
	bool failed;
	bool skipped;
	bool in_body;		/* ASSERT may longjmp to the teardown */
	jmp_buf env;
	char skip_reason[160];
};

struct th_test {
	const char *name;
	void (*fn)(struct th_meta *m);
	unsigned int timeout;
	struct th_test *next;
};

void th_register(struct th_test *t);
void th_fail_at(struct th_meta *m, const char *file, int line,
		bool fatal, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
void th_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void th_skip(struct th_meta *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3), noreturn));

/* The running test, for helpers that have no th_meta at hand. */
extern struct th_meta *th_current;
/* Arguments left after the harness's options (e.g. a fuzzer's seed). */
extern int th_argc;
extern char **th_argv;

#define TH_REGISTER(fn_, name_, timeout_)				\
	static struct th_test th_test_##fn_ = {				\
		.name = name_, .fn = fn_, .timeout = timeout_ };	\
	__attribute__((constructor)) static void th_reg_##fn_(void)	\
	{ th_register(&th_test_##fn_); }

#define TEST_TIMEOUT(name, secs)					\
	static void th_body_##name(struct th_meta *_metadata);		\
	static void th_run_##name(struct th_meta *m)			\
	{								\
		if (!setjmp(m->env)) {					\
			m->in_body = true;				\
			th_body_##name(m);				\
		}							\
		m->in_body = false;					\
	}								\
	TH_REGISTER(th_run_##name, #name, secs)				\
	static void th_body_##name(struct th_meta __attribute__((unused)) *_metadata)

#define TEST(name) TEST_TIMEOUT(name, TH_DEFAULT_TIMEOUT)

#define FIXTURE(fx)		struct th_fx_##fx
#define FIXTURE_DATA(fx)	struct th_fx_##fx
#define FIXTURE_SETUP(fx)						\
	static void th_setup_##fx(struct th_meta __attribute__((unused)) *_metadata, \
				  FIXTURE_DATA(fx) __attribute__((unused)) *self)
#define FIXTURE_TEARDOWN(fx)						\
	static void th_teardown_##fx(struct th_meta __attribute__((unused)) *_metadata, \
				     FIXTURE_DATA(fx) __attribute__((unused)) *self)

/*
 * Setup runs as part of the body (an ASSERT there skips the test body but
 * still tears down what was set up); teardown always runs, once.
 */
#define TEST_F_TIMEOUT(fx, name, secs)					\
	static void th_body_##fx##_##name(struct th_meta *_metadata,	\
					  FIXTURE_DATA(fx) *self);	\
	static void th_run_##fx##_##name(struct th_meta *m)		\
	{								\
		static FIXTURE_DATA(fx) self;				\
		memset(&self, 0, sizeof(self));				\
		if (!setjmp(m->env)) {					\
			m->in_body = true;				\
			th_setup_##fx(m, &self);			\
			th_body_##fx##_##name(m, &self);		\
		}							\
		m->in_body = false;					\
		th_teardown_##fx(m, &self);				\
	}								\
	TH_REGISTER(th_run_##fx##_##name, #fx "." #name, secs)		\
	static void th_body_##fx##_##name(struct th_meta __attribute__((unused)) *_metadata, \
					  FIXTURE_DATA(fx) __attribute__((unused)) *self)

#define TEST_F(fx, name) TEST_F_TIMEOUT(fx, name, TH_DEFAULT_TIMEOUT)

#define SKIP(fmt, ...) th_skip(_metadata, fmt, ##__VA_ARGS__)
#define TH_LOG(fmt, ...) th_log(fmt, ##__VA_ARGS__)

/* Expected value first, as in the kernel's harness. */
#define TH_CMP(fatal, exp, op, seen) do {				\
	__typeof__(exp) th_e_ = (exp);					\
	__typeof__(seen) th_s_ = (seen);				\
	if (!((int64_t)th_e_ op (int64_t)th_s_))			\
		th_fail_at(_metadata, __FILE__, __LINE__, fatal,	\
			   "%s " #op " %s: expected %" PRId64		\
			   " (0x%" PRIx64 ") " #op " %" PRId64		\
			   " (0x%" PRIx64 ")", #exp, #seen,		\
			   (int64_t)th_e_, (uint64_t)th_e_,		\
			   (int64_t)th_s_, (uint64_t)th_s_);		\
} while (0)

#define ASSERT_EQ(e, s) TH_CMP(true, e, ==, s)
#define ASSERT_NE(e, s) TH_CMP(true, e, !=, s)
#define ASSERT_LT(e, s) TH_CMP(true, e, <, s)
#define ASSERT_LE(e, s) TH_CMP(true, e, <=, s)
#define ASSERT_GT(e, s) TH_CMP(true, e, >, s)
#define ASSERT_GE(e, s) TH_CMP(true, e, >=, s)
#define EXPECT_EQ(e, s) TH_CMP(false, e, ==, s)
#define EXPECT_NE(e, s) TH_CMP(false, e, !=, s)
#define EXPECT_LE(e, s) TH_CMP(false, e, <=, s)
#define EXPECT_GE(e, s) TH_CMP(false, e, >=, s)
#define EXPECT_LT(e, s) TH_CMP(false, e, <, s)
#define EXPECT_GT(e, s) TH_CMP(false, e, >, s)

#define ASSERT_TRUE(c) do { if (!(c))					\
	th_fail_at(_metadata, __FILE__, __LINE__, true, "%s", #c); } while (0)
#define EXPECT_TRUE(c) do { if (!(c))					\
	th_fail_at(_metadata, __FILE__, __LINE__, false, "%s", #c); } while (0)
#define ASSERT_FALSE(c) ASSERT_TRUE(!(c))
#define EXPECT_FALSE(c) EXPECT_TRUE(!(c))

/* A system call that must succeed: says which one failed and why. */
#define ASSERT_OK(call) do {						\
	errno = 0;							\
	if ((call) < 0)							\
		th_fail_at(_metadata, __FILE__, __LINE__, true,		\
			   "%s failed: %s", #call, strerror(errno));	\
} while (0)

#define TEST_HARNESS_MAIN						\
	int main(int argc, char **argv) { return th_main(argc, argv); }

int th_main(int argc, char **argv);

/*
 * Optional check run once before any test (a weak default passes): returns
 * non-zero and fills @why when nothing can run, e.g. the device is missing;
 * the binary then prints "Bail out!" and fails.
 */
int th_precheck(char *why, size_t n);

#endif /* RTPM_HARNESS_H */
