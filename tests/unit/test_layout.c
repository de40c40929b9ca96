// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The cfgguard authors.
 *
 * The module's layout.c, built for userspace, against real config spaces
 * of the QEMU devices the VM tests use, and against broken chains.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "layout.h"

static unsigned char cfg[4096];
static struct cfgguard_layout layout;

static void load(const char *dir, const char *name)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.config", dir, name);
	f = fopen(path, "rb");
	CHECK(f != NULL);
	CHECK_EQ(fread(cfg, 1, sizeof(cfg), f), 4096);
	fclose(f);
	CHECK_EQ(cfgguard_layout_parse(cfg, 4096, &layout), 0);
}

static void expect(unsigned int i, bool extended, unsigned int id,
		   unsigned int start, unsigned int len, const char *name)
{
	CHECK(i < layout.nr_caps);
	CHECK_EQ(layout.caps[i].extended, extended);
	CHECK_EQ(layout.caps[i].id, id);
	CHECK_EQ(layout.caps[i].start, start);
	CHECK_EQ(layout.caps[i].len, len);
	CHECK_STR(cfgguard_cap_name(&layout.caps[i]), name);
}

static void test_fixtures(const char *dir)
{
	load(dir, "e1000e");	/* integrated endpoint, PCIe v1 */
	CHECK_EQ(layout.nr_caps, 7);
	expect(0, false, 0, 0x00, 0x40, "header");
	expect(1, false, 0x01, 0xc8, 8, "Power Management");
	expect(2, false, 0x05, 0xd0, 14, "MSI");	/* 64-bit, no masking */
	expect(3, false, 0x10, 0xe0, 0xc, "PCI Express");
	expect(4, false, 0x11, 0xa0, 12, "MSI-X");
	expect(5, true, 0x01, 0x100, 0x2c, "Advanced Error Reporting");
	expect(6, true, 0x03, 0x140, 12, "Device Serial Number");

	load(dir, "nvme");	/* no extended capabilities */
	CHECK_EQ(layout.nr_caps, 4);
	expect(1, false, 0x11, 0x40, 12, "MSI-X");
	expect(2, false, 0x10, 0x80, 0x2c, "PCI Express");
	expect(3, false, 0x01, 0x60, 8, "Power Management");

	load(dir, "virtio-net");	/* endpoint behind a root port */
	CHECK_EQ(layout.nr_caps, 9);
	expect(2, false, 0x09, 0xc8, 0x14, "Vendor-Specific");	/* length byte */
	expect(5, false, 0x09, 0x94, 0x10, "Vendor-Specific");
	expect(8, false, 0x10, 0x40, 0x32, "PCI Express");
}

static void test_crafted(void)
{
	memset(cfg, 0, sizeof(cfg));
	CHECK_EQ(cfgguard_layout_parse(cfg, 512, &layout), -EINVAL);

	/* a capability list pointing at itself ends, bounded */
	cfg[0x06] = 0x10;		/* status: capability list */
	cfg[0x34] = 0x40;
	cfg[0x40] = 0x01;		/* PM */
	cfg[0x41] = 0x40;		/* next: itself */
	CHECK_EQ(cfgguard_layout_parse(cfg, 256, &layout), 0);
	CHECK(layout.nr_caps <= CFGGUARD_MAX_CAPS);
	expect(1, false, 0x01, 0x40, 8, "Power Management");

	/* unknown and null capabilities are hidden; a length past the end is clipped */
	memset(cfg, 0, sizeof(cfg));
	cfg[0x06] = 0x10;
	cfg[0x34] = 0x40;
	cfg[0x40] = 0x00;		/* null */
	cfg[0x41] = 0x50;
	cfg[0x50] = 0x0f;		/* secure device: vfio-pci hides it */
	cfg[0x51] = 0xf8;
	cfg[0xf8] = 0x09;		/* vendor-specific, claims 0x40 bytes */
	cfg[0xfa] = 0x40;
	CHECK_EQ(cfgguard_layout_parse(cfg, 256, &layout), 0);
	CHECK_EQ(layout.nr_caps, 2);
	expect(1, false, 0x09, 0xf8, 8, "Vendor-Specific");

	/* extended: a hidden first capability keeps a 4-byte placeholder */
	memset(cfg, 0, sizeof(cfg));
	cfg[0x06] = 0x10;
	cfg[0x34] = 0x40;
	cfg[0x40] = 0x10;		/* PCIe v2 endpoint */
	cfg[0x42] = 0x02;
	cfg[0x100] = 0x1b;		/* PASID: hidden by vfio-pci */
	cfg[0x103] = 0x20;		/* next 0x200 */
	cfg[0x200] = 0x03;		/* DSN */
	cfg[0x202] = 0x01;
	CHECK_EQ(cfgguard_layout_parse(cfg, 4096, &layout), 0);
	CHECK_EQ(layout.nr_caps, 4);
	expect(2, true, 0x1b, 0x100, 4, "unknown");
	expect(3, true, 0x03, 0x200, 12, "Device Serial Number");

	/* the same in a 256-byte space: no extended walk */
	CHECK_EQ(cfgguard_layout_parse(cfg, 256, &layout), 0);
	CHECK_EQ(layout.nr_caps, 2);
}

int main(int argc, char *argv[])
{
	CHECK(argc == 2);
	test_fixtures(argv[1]);
	test_crafted();
	printf("layout: all checks passed\n");
	return 0;
}
