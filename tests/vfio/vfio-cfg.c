// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The cfgguard authors.
 *
 * vfio-cfg: opens a PCI device through VFIO the way QEMU does (container,
 * group, device fd, config region info) and performs config-space accesses
 * given as arguments, printing one line per access for tests to compare.
 *
 *   vfio-cfg <BDF> <op>...
 *     r<N>:<off>          read N (1, 2, 4) bytes        -> "r4 0x000 = 0x10d38086"
 *     w<N>:<off>=<val>    write N bytes                 -> "w1 0x298 <- 0x5a"
 *     dump[:<len>]        read <len> bytes (default: the region) in one pread,
 *                         printed as hex, 16 bytes a line
 *     caps                1/2/4-byte reads, and writes of the inverted value
 *                         followed by a read back and a restore, at the first
 *                         register of every standard and extended capability
 *     loop<N>:<op>        repeat one r/w op N times, print nothing but a count
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/pci_regs.h>
#include <linux/vfio.h>

#include "vfio-dev.h"

static struct vfio_dev dev;

static void die(const char *what)
{
	fprintf(stderr, "vfio-cfg: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void usage(void)
{
	fprintf(stderr, "Usage: vfio-cfg <BDF> {r<N>:<off> | w<N>:<off>=<val> | dump[:<len>] | caps | loop<N>:<op>}...\n");
	exit(2);
}

static uint32_t cfg_read(unsigned int off, unsigned int size)
{
	uint32_t val = 0;
	ssize_t ret;

	ret = pread(dev.fd, &val, size, dev.cfg_offset + off);
	if (ret != (ssize_t)size) {
		fprintf(stderr, "vfio-cfg: pread %u@0x%x returned %zd: %s\n",
			size, off, ret, ret < 0 ? strerror(errno) : "short");
		exit(1);
	}
	return val;
}

static void cfg_write(unsigned int off, unsigned int size, uint32_t val)
{
	ssize_t ret;

	ret = pwrite(dev.fd, &val, size, dev.cfg_offset + off);
	if (ret != (ssize_t)size) {
		fprintf(stderr, "vfio-cfg: pwrite %u@0x%x returned %zd: %s\n",
			size, off, ret, ret < 0 ? strerror(errno) : "short");
		exit(1);
	}
}

static uint32_t size_mask(unsigned int size)
{
	return size == 4 ? 0xffffffffu : (1u << (8 * size)) - 1;
}

static void dump(unsigned int len)
{
	unsigned char *buf = malloc(len);
	ssize_t ret;

	if (!buf)
		die("malloc");
	ret = pread(dev.fd, buf, len, dev.cfg_offset);
	if (ret != (ssize_t)len) {
		fprintf(stderr, "vfio-cfg: pread of %u bytes returned %zd: %s\n",
			len, ret, ret < 0 ? strerror(errno) : "short");
		exit(1);
	}
	for (unsigned int i = 0; i < len; i++)
		printf("%02x%c", buf[i], i % 16 == 15 || i == len - 1 ? '\n' : ' ');
	free(buf);
}

static void probe_register(const char *what, unsigned int off)
{
	for (unsigned int size = 1; size <= 4; size *= 2) {
		uint32_t before = cfg_read(off, size), after;

		cfg_write(off, size, ~before & size_mask(size));
		after = cfg_read(off, size);
		cfg_write(off, size, before);
		printf("%s@0x%03x r%u=0x%0*x inverted-write-reads 0x%0*x\n",
		       what, off, size, size * 2, before, size * 2, after);
	}
}

static void caps(void)
{
	unsigned int pos, guard = 0;
	char what[32];

	if (!(cfg_read(PCI_STATUS, 2) & PCI_STATUS_CAP_LIST))
		return;
	for (pos = cfg_read(PCI_CAPABILITY_LIST, 1) & ~3u;
	     pos >= 0x40 && guard++ < 48;
	     pos = cfg_read(pos + PCI_CAP_LIST_NEXT, 1) & ~3u) {
		snprintf(what, sizeof(what), "cap%02x",
			 cfg_read(pos + PCI_CAP_LIST_ID, 1));
		probe_register(what, pos);
	}
	if (dev.cfg_size <= PCI_CFG_SPACE_SIZE)
		return;
	for (pos = PCI_CFG_SPACE_SIZE, guard = 0; pos && guard++ < 480;) {
		uint32_t header = cfg_read(pos, 4);

		if (!header || header == 0xffffffffu)
			break;
		snprintf(what, sizeof(what), "ecap%04x", PCI_EXT_CAP_ID(header));
		probe_register(what, pos);
		pos = PCI_EXT_CAP_NEXT(header);
		if (pos < PCI_CFG_SPACE_SIZE)
			break;
	}
}

static bool parse_access(const char *op, char *dir, unsigned int *size,
			 unsigned int *off, uint32_t *val)
{
	char *end;

	if (op[0] != 'r' && op[0] != 'w')
		return false;
	*dir = op[0];
	*size = strtoul(op + 1, &end, 10);
	if ((*size != 1 && *size != 2 && *size != 4) || *end != ':')
		return false;
	*off = strtoul(end + 1, &end, 0);
	if (*off + *size > dev.cfg_size)
		return false;
	if (*dir == 'r')
		return *end == '\0';
	if (*end != '=')
		return false;
	*val = strtoul(end + 1, &end, 0);
	return *end == '\0';
}

static void run(const char *op)
{
	unsigned int size, off;
	uint32_t val = 0;
	char dir;

	if (!strcmp(op, "caps")) {
		caps();
	} else if (!strncmp(op, "dump", 4)) {
		unsigned long len = op[4] == ':' ? strtoul(op + 5, NULL, 0) : dev.cfg_size;

		if (!len || len > dev.cfg_size)
			usage();
		dump(len);
	} else if (!strncmp(op, "loop", 4)) {
		char *end;
		unsigned long n = strtoul(op + 4, &end, 10);

		if (*end != ':' || !parse_access(end + 1, &dir, &size, &off, &val))
			usage();
		for (unsigned long i = 0; i < n; i++) {
			if (dir == 'r')
				cfg_read(off, size);
			else
				cfg_write(off, size, val);
		}
		printf("%s x%lu done\n", end + 1, n);
	} else if (parse_access(op, &dir, &size, &off, &val)) {
		if (dir == 'r') {
			printf("r%u 0x%03x = 0x%0*x\n", size, off, size * 2,
			       cfg_read(off, size));
		} else {
			cfg_write(off, size, val);
			printf("w%u 0x%03x <- 0x%0*x\n", size, off, size * 2, val);
		}
	} else {
		usage();
	}
}

int main(int argc, char *argv[])
{
	if (argc < 3)
		usage();
	vfio_dev_open(argv[1], &dev);
	for (int i = 2; i < argc; i++)
		run(argv[i]);
	return 0;
}
