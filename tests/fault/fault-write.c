// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The cfgguard authors.
 *
 * fault-write <file> <string>: one write(2) of <string> to <file>, with
 * fail_nth armed from FAIL_NTH around that write alone (the file is opened
 * before). Prints "ok" or "error <errno name>: <message>"; the fault
 * report goes to stderr (see fail-nth.h). For sysfs writes such as bind,
 * unbind and drivers_probe, whose work runs in the writer's context.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fail-nth.h"

int main(int argc, char *argv[])
{
	ssize_t ret;
	int fd, err;

	if (argc != 3) {
		fprintf(stderr, "Usage: fault-write <file> <string>\n");
		return 2;
	}
	fd = open(argv[1], O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		perror(argv[1]);
		return 2;
	}
	fail_nth_prepare();
	fail_nth_arm();
	ret = write(fd, argv[2], strlen(argv[2]));
	err = errno;
	fail_nth_report();
	if (ret < 0)
		printf("error %d: %s\n", err, strerror(err));
	else
		printf("ok\n");
	return 0;
}
