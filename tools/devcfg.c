// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The cfgguard authors. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "devcfg.h"

int devcfg_read(const char *bdf, struct devcfg *cfg)
{
	char path[128];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/config", bdf);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = pread(fd, cfg->bytes, sizeof(cfg->bytes), 0);
	close(fd);
	if (n < 0)
		return -1;
	/* unprivileged readers see only the first 64 bytes */
	if (n != 256 && n != 4096) {
		errno = n == 64 ? EPERM : EIO;
		return -1;
	}
	cfg->size = n;
	if (cfgguard_layout_parse(cfg->bytes, cfg->size, &cfg->layout)) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}
