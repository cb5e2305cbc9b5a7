// SPDX-License-Identifier: MIT
/*
 * harness.c - runs the tests registered through harness.h: one forked child
 * per test, killed (with its whole process group) at its timeout, TAP 13 out.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

/* Child exit codes, as kselftest uses them. */
#define TH_EXIT_PASS	0
#define TH_EXIT_FAIL	1
#define TH_EXIT_SKIP	4

static struct th_test *th_head, **th_tail = &th_head;
struct th_meta *th_current;
int th_argc;
char **th_argv;

void th_register(struct th_test *t)
{
	/* Constructors run in source order: keep it. */
	*th_tail = t;
	th_tail = &t->next;
}

void th_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("# ", stdout);
	vprintf(fmt, ap);
	fputc('\n', stdout);
	va_end(ap);
	fflush(stdout);
}

void th_fail_at(struct th_meta *m, const char *file, int line, bool fatal,
		const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("# %s:%d: %s: ", file, line, m ? m->name : "?");
	vprintf(fmt, ap);
	fputc('\n', stdout);
	va_end(ap);
	fflush(stdout);
	if (m)
		m->failed = true;
	if (!fatal)
		return;
	if (m && m->in_body)
		longjmp(m->env, 1);
	_exit(TH_EXIT_FAIL);
}

void th_skip(struct th_meta *m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(m->skip_reason, sizeof(m->skip_reason), fmt, ap);
	va_end(ap);
	printf("# SKIP reason: %s\n", m->skip_reason);
	fflush(stdout);
	_exit(TH_EXIT_SKIP);
}

static double th_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static volatile sig_atomic_t th_alarm_fired;
static unsigned int th_timeout_scale = 1;

/*
 * RTPM_TIMEOUT_SCALE (a whole factor, default 1) multiplies every test's
 * cap: debug kernels (KASAN, KCSAN) under TCG run the same work several
 * times slower, and a cap is there to end hangs, not to measure speed.
 * A malformed value is an error, never a silent 1.
 */
static int th_read_timeout_scale(void)
{
	const char *v = getenv("RTPM_TIMEOUT_SCALE");
	unsigned long x;
	char *end;

	if (!v || !*v)
		return 0;
	errno = 0;
	x = strtoul(v, &end, 10);
	if (errno || *end || x < 1 || x > 100) {
		printf("Bail out! RTPM_TIMEOUT_SCALE='%s' is not a whole number 1..100\n", v);
		return -1;
	}
	th_timeout_scale = x;
	return 0;
}

static void th_on_alarm(int sig)
{
	(void)sig;
	th_alarm_fired = 1;
}

/* Runs one test in a child; returns TH_EXIT_*. */
static int th_run_one(struct th_test *t)
{
	struct sigaction sa = { .sa_handler = th_on_alarm };
	int status = 0;
	pid_t pid, w;

	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		printf("# fork: %s\n", strerror(errno));
		return TH_EXIT_FAIL;
	}
	if (pid == 0) {
		struct th_meta m = { .name = t->name };

		/* Own group, so a timeout also ends the test's own children. */
		setpgid(0, 0);
		th_current = &m;
		t->fn(&m);
		fflush(stdout);
		_exit(m.failed ? TH_EXIT_FAIL : TH_EXIT_PASS);
	}
	setpgid(pid, pid);

	/* No SA_RESTART: the alarm must interrupt waitpid. */
	sigaction(SIGALRM, &sa, NULL);
	th_alarm_fired = 0;
	alarm(t->timeout * th_timeout_scale);
	for (;;) {
		w = waitpid(pid, &status, 0);
		if (w == pid)
			break;
		if (w < 0 && errno == EINTR && th_alarm_fired) {
			printf("# %s: timeout after %u s, killing it\n",
			       t->name, t->timeout * th_timeout_scale);
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			alarm(0);
			return TH_EXIT_FAIL;
		}
	}
	alarm(0);
	/* Leftover grandchildren of a failed test must not outlive it. */
	kill(-pid, SIGKILL);

	if (WIFSIGNALED(status)) {
		printf("# %s: killed by signal %d (%s)\n", t->name,
		       WTERMSIG(status), strsignal(WTERMSIG(status)));
		return TH_EXIT_FAIL;
	}
	if (WEXITSTATUS(status) == TH_EXIT_SKIP)
		return TH_EXIT_SKIP;
	return WEXITSTATUS(status) == TH_EXIT_PASS ? TH_EXIT_PASS : TH_EXIT_FAIL;
}

__attribute__((weak)) int th_precheck(char *why, size_t n)
{
	(void)why;
	(void)n;
	return 0;
}

static bool th_selected(const char *name, char **only, int n_only)
{
	int i;

	if (!n_only)
		return true;
	for (i = 0; i < n_only; i++)
		if (!strcmp(only[i], name))
			return true;
	return false;
}

int th_main(int argc, char **argv)
{
	char *only[64];
	int n_only = 0, n = 0, i = 0, pass = 0, fail = 0, skip = 0, opt;
	struct th_test *t;

	while ((opt = getopt(argc, argv, "t:lh")) != -1) {
		switch (opt) {
		case 't':
			if (n_only < 64)
				only[n_only++] = optarg;
			break;
		case 'l':
			for (t = th_head; t; t = t->next)
				printf("%s\n", t->name);
			return 0;
		default:
			printf("usage: %s [-t TEST]... [-l] [ARG]...\n", argv[0]);
			return opt == 'h' ? 0 : 2;
		}
	}
	th_argc = argc - optind;
	th_argv = argv + optind;
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (t = th_head; t; t = t->next)
		n += th_selected(t->name, only, n_only);

	printf("TAP version 13\n");
	if (th_read_timeout_scale())
		return 1;
	if (th_timeout_scale > 1)
		printf("# test time caps x%u (RTPM_TIMEOUT_SCALE)\n", th_timeout_scale);
	{
		char why[256] = "";

		if (th_precheck(why, sizeof(why))) {
			printf("Bail out! %s\n", why);
			return 1;
		}
	}
	printf("1..%d\n", n);
	for (t = th_head; t; t = t->next) {
		double t0;
		int rc;

		if (!th_selected(t->name, only, n_only))
			continue;
		i++;
		printf("# RUN %s\n", t->name);
		t0 = th_now();
		rc = th_run_one(t);
		switch (rc) {
		case TH_EXIT_PASS:
			pass++;
			printf("ok %d %s # %.2f s\n", i, t->name, th_now() - t0);
			break;
		case TH_EXIT_SKIP:
			skip++;
			printf("ok %d %s # SKIP\n", i, t->name);
			break;
		default:
			fail++;
			printf("not ok %d %s # %.2f s\n", i, t->name, th_now() - t0);
		}
	}
	printf("# Totals: pass:%d fail:%d skip:%d\n", pass, fail, skip);
	return fail ? 1 : 0;
}
