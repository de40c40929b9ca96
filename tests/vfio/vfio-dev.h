/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The cfgguard authors. */
#ifndef CFGGUARD_TEST_VFIO_DEV_H
#define CFGGUARD_TEST_VFIO_DEV_H

#include <stdint.h>

struct vfio_dev {
	int fd;
	uint64_t cfg_offset;	/* of the config region in the device fd */
	uint64_t cfg_size;
};

/*
 * Opens a device the way QEMU does: container, group, device fd, config
 * region info; with VFIO_CDEV in the environment, the device's cdev bound
 * to an iommufd instead. Exits with a message on failure.
 */
void vfio_dev_open(const char *bdf, struct vfio_dev *dev);

#endif
