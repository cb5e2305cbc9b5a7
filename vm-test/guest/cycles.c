// SPDX-License-Identifier: GPL-2.0
/*
 * rtpm-cycles: load/use/unload rtp_mgr N times (issue 2 asks for 100), run in the guest by
 * vm-test/guest/run-tests after the selftests, with the module unloaded.
 *
 * Usage: rtpm-cycles N MODULE.ko
 *
 * Each cycle: finit_module, /dev/rtp_mgr must be there, smoke_use() must pass, delete_module,
 * the node must be gone. One process does it all: forking insmod, a test and rmmod per cycle
 * costs ~0.35 s under TCG, which would make 100 cycles the slowest part of the run.
 * Stops at the first failure and names the cycle.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "rtp_mgr_ioctl.h"
#include "smoke.h"

static int node_is_char_dev(void)
{
	struct stat st;

	return stat(RTPM_DEVICE_PATH, &st) == 0 && S_ISCHR(st.st_mode);
}

int main(int argc, char **argv)
{
	long n, i;
	int ko;

	if (argc != 3 || (n = strtol(argv[1], NULL, 10)) < 1) {
		fprintf(stderr, "usage: rtpm-cycles N MODULE.ko\n");
		return 2;
	}
	ko = open(argv[2], O_RDONLY | O_CLOEXEC);
	if (ko < 0) {
		fprintf(stderr, "rtpm-cycles: %s: %s\n", argv[2], strerror(errno));
		return 1;
	}
	for (i = 1; i <= n; i++) {
		if (syscall(SYS_finit_module, ko, "", 0) != 0) {
			fprintf(stderr, "rtpm-cycles: load failed in cycle %ld of %ld: %s\n", i, n,
				strerror(errno));
			return 1;
		}
		if (!node_is_char_dev()) {
			fprintf(stderr, "rtpm-cycles: %s missing after load in cycle %ld of %ld\n",
				RTPM_DEVICE_PATH, i, n);
			return 1;
		}
		if (smoke_use(RTPM_DEVICE_PATH) != 0) {
			fprintf(stderr, "rtpm-cycles: use failed in cycle %ld of %ld\n", i, n);
			return 1;
		}
		/* O_NONBLOCK as rmmod: fail at once if something still holds the module. */
		if (syscall(SYS_delete_module, "rtp_mgr", O_NONBLOCK) != 0) {
			fprintf(stderr, "rtpm-cycles: unload failed in cycle %ld of %ld: %s\n", i, n,
				strerror(errno));
			return 1;
		}
		if (access(RTPM_DEVICE_PATH, F_OK) == 0) {
			fprintf(stderr, "rtpm-cycles: %s still there after unload in cycle %ld of %ld\n",
				RTPM_DEVICE_PATH, i, n);
			return 1;
		}
	}
	printf("rtpm-cycles: %ld load/use/unload cycles passed\n", n);
	return 0;
}
