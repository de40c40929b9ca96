/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The cfgguard authors.
 *
 * The kernel's fail_nth (Documentation/fault-injection): a test program
 * arms it right before the one system call under test, so that the N-th
 * fault-injectable call that system call makes fails, and then says whether
 * the fault was reached. Armed from the FAIL_NTH environment variable;
 * without it, nothing happens.
 */
#ifndef CFGGUARD_FAIL_NTH_H
#define CFGGUARD_FAIL_NTH_H

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int fail_nth_fd = -1;

/* Opened ahead: opening the file is itself a fault-injectable call. */
static inline void fail_nth_prepare(void)
{
	if (!getenv("FAIL_NTH"))
		return;
	fail_nth_fd = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
	if (fail_nth_fd < 0) {
		perror("/proc/thread-self/fail-nth");
		exit(2);
	}
}

static inline void fail_nth_arm(void)
{
	const char *n = getenv("FAIL_NTH");

	if (fail_nth_fd < 0)
		return;
	if (pwrite(fail_nth_fd, n, strlen(n), 0) != (ssize_t)strlen(n)) {
		perror("fail-nth");
		exit(2);
	}
}

/*
 * Prints "fault injected" when the N-th call failed, "fault unreached"
 * when the system call made fewer than N (unless FAIL_NTH_QUIET is set),
 * disarms, and returns whether the fault was injected.
 */
static inline int fail_nth_report(void)
{
	char buf[16] = "";

	if (fail_nth_fd < 0)
		return 0;
	if (pread(fail_nth_fd, buf, sizeof(buf) - 1, 0) <= 0) {
		perror("fail-nth");
		exit(2);
	}
	if (getenv("FAIL_NTH_QUIET") == NULL)
		fprintf(stderr, "fault %s\n", atoi(buf) ? "unreached" : "injected");
	if (pwrite(fail_nth_fd, "0", 1, 0) != 1) {
		perror("fail-nth");
		exit(2);
	}
	return !atoi(buf);
}

#endif
