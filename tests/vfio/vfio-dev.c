// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The cfgguard authors. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/vfio.h>

#include "vfio-dev.h"

/*
 * The device cdev and iommufd (Linux 6.6 on) are not in Debian 12's
 * linux-libc-dev (6.1): their uapi, from include/uapi/linux/vfio.h and
 * iommufd.h, which the kernel keeps stable.
 */
#ifndef VFIO_DEVICE_BIND_IOMMUFD
struct vfio_device_bind_iommufd {
	__u32 argsz;
	__u32 flags;
	__s32 iommufd;
	__u32 out_devid;
};

#define VFIO_DEVICE_BIND_IOMMUFD	_IO(VFIO_TYPE, VFIO_BASE + 18)

struct vfio_device_attach_iommufd_pt {
	__u32 argsz;
	__u32 flags;
	__u32 pt_id;
};

#define VFIO_DEVICE_ATTACH_IOMMUFD_PT	_IO(VFIO_TYPE, VFIO_BASE + 19)
#endif

struct cfgguard_iommu_ioas_alloc {
	__u32 size;
	__u32 flags;
	__u32 out_ioas_id;
};

#define CFGGUARD_IOMMU_IOAS_ALLOC	_IO(';', 0x81)

static void die(const char *what)
{
	fprintf(stderr, "vfio: %s: %s\n", what, strerror(errno));
	exit(1);
}

/*
 * The way QEMU 8.2 and later can: the device's own cdev, bound to an
 * iommufd and attached to an IO address space, no group or container.
 */
static int vfio_cdev_open(const char *bdf)
{
	struct vfio_device_bind_iommufd bind = { .argsz = sizeof(bind) };
	struct vfio_device_attach_iommufd_pt attach = { .argsz = sizeof(attach) };
	struct cfgguard_iommu_ioas_alloc ioas = { .size = sizeof(ioas) };
	char path[PATH_MAX];
	struct dirent *d;
	int fd, iommufd;
	DIR *dir;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/vfio-dev", bdf);
	dir = opendir(path);
	if (!dir)
		die(path);
	while ((d = readdir(dir)) && strncmp(d->d_name, "vfio", 4))
		;
	if (!d) {
		errno = ENOENT;
		die(path);
	}
	snprintf(path, sizeof(path), "/dev/vfio/devices/%s", d->d_name);
	closedir(dir);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		die(path);
	iommufd = open("/dev/iommu", O_RDWR | O_CLOEXEC);
	if (iommufd < 0)
		die("/dev/iommu");
	bind.iommufd = iommufd;
	if (ioctl(fd, VFIO_DEVICE_BIND_IOMMUFD, &bind))
		die("VFIO_DEVICE_BIND_IOMMUFD");
	if (ioctl(iommufd, CFGGUARD_IOMMU_IOAS_ALLOC, &ioas))
		die("IOMMU_IOAS_ALLOC");
	attach.pt_id = ioas.out_ioas_id;
	if (ioctl(fd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &attach))
		die("VFIO_DEVICE_ATTACH_IOMMUFD_PT");
	return fd;
}

void vfio_dev_open(const char *bdf, struct vfio_dev *dev)
{
	struct vfio_group_status group_status = { .argsz = sizeof(group_status) };
	struct vfio_region_info reg = { .argsz = sizeof(reg) };
	char path[PATH_MAX], link[256];
	int container, group;
	ssize_t len;
	char *name;

	if (getenv("VFIO_CDEV")) {
		dev->fd = vfio_cdev_open(bdf);
		goto region;
	}
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu_group", bdf);
	len = readlink(path, link, sizeof(link) - 1);
	if (len < 0)
		die(path);
	link[len] = '\0';
	name = strrchr(link, '/');
	snprintf(path, sizeof(path), "/dev/vfio/%s", name ? name + 1 : link);

	container = open("/dev/vfio/vfio", O_RDWR);
	if (container < 0)
		die("/dev/vfio/vfio");
	if (ioctl(container, VFIO_GET_API_VERSION) != VFIO_API_VERSION)
		die("VFIO_GET_API_VERSION");
	group = open(path, O_RDWR);
	if (group < 0)
		die(path);
	if (ioctl(group, VFIO_GROUP_GET_STATUS, &group_status))
		die("VFIO_GROUP_GET_STATUS");
	if (!(group_status.flags & VFIO_GROUP_FLAGS_VIABLE)) {
		errno = EBUSY;
		die("group not viable");
	}
	if (ioctl(group, VFIO_GROUP_SET_CONTAINER, &container))
		die("VFIO_GROUP_SET_CONTAINER");
	if (ioctl(container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU))
		die("VFIO_SET_IOMMU");
	dev->fd = ioctl(group, VFIO_GROUP_GET_DEVICE_FD, bdf);
	if (dev->fd < 0)
		die("VFIO_GROUP_GET_DEVICE_FD");
region:
	reg.index = VFIO_PCI_CONFIG_REGION_INDEX;
	if (ioctl(dev->fd, VFIO_DEVICE_GET_REGION_INFO, &reg))
		die("VFIO_DEVICE_GET_REGION_INFO");
	dev->cfg_offset = reg.offset;
	dev->cfg_size = reg.size;
}

