// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The cfgguard authors.
 *
 * The module's layout.c, built for userspace, against real config spaces
 * of the QEMU devices the VM tests use, against crafted and broken chains,
 * by the rules of 6.1's and 6.12's vfio-pci; and cfgguard-ctl's map to
 * ranges conversion (tools/devcfg.c, in the layout library).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <linux/pci_regs.h>

#include "check.h"
#include "layout.h"
#include "devcfg.h"

/* Debian 12's two kernels, as vfio-pci's sources say (see layout.c) */
static const struct cfgguard_layout_rules rules_6_1 = {
	.exp_v2_len = 0x32, .dvsec = false,
};
static const struct cfgguard_layout_rules rules_6_12 = {
	.exp_v2_len = 0x34, .dvsec = true,
};

static unsigned char cfg[4096];
static struct cfgguard_layout layout;
static unsigned char map[4096];
static struct devcfg_range ranges[4096];

static void load(const char *dir, const char *name)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.config", dir, name);
	f = fopen(path, "rb");
	CHECK(f != NULL);
	CHECK_EQ(fread(cfg, 1, sizeof(cfg), f), 4096);
	fclose(f);
}

static void parse(unsigned int size, const struct cfgguard_layout_rules *rules)
{
	CHECK_EQ(cfgguard_layout_parse(cfg, size, rules, &layout), 0);
	CHECK(layout.nr_caps <= CFGGUARD_MAX_CAPS);
	memset(map, 0xaa, sizeof(map));
	cfgguard_layout_map(&layout, size, map);
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

/* map[start..end] all equal @val */
static void expect_map(unsigned int start, unsigned int end, unsigned int val)
{
	for (unsigned int i = start; i <= end; i++)
		if (map[i] != val) {
			fprintf(stderr, "map[%#x] = %#x, expected %#x\n", i,
				map[i], val);
			CHECK_EQ(map[i], val);
		}
}

/* The ranges of the map, as gen-table writes them, one per line. */
static const char *ranges_text(unsigned int size)
{
	static char buf[16384];
	unsigned int n = devcfg_map_ranges(map, size, ranges, 4096);
	size_t len = 0;

	buf[0] = '\0';
	for (unsigned int i = 0; i < n; i++)
		len += snprintf(buf + len, sizeof(buf) - len, "0x%03x-0x%03x %s%s\n",
				ranges[i].start, ranges[i].end,
				ranges[i].extended &&
				ranges[i].id != CFGGUARD_LAYOUT_MAP_VIRT ?
				"extended: " : "", ranges[i].name);
	return buf;
}

static void test_fixtures(const char *dir)
{
	load(dir, "e1000e");	/* integrated endpoint, PCIe v1 */
	parse(4096, &rules_6_1);
	CHECK_EQ(layout.nr_caps, 7);
	CHECK_EQ(layout.pcie_flags & PCI_EXP_FLAGS_VERS, 1);
	CHECK(!layout.clipped);
	expect(0, false, 0, 0x00, 0x40, "header");
	expect(1, false, 0x01, 0xc8, 8, "Power Management");
	expect(2, false, 0x05, 0xd0, 14, "MSI");	/* 64-bit, no masking */
	expect(3, false, 0x10, 0xe0, 0xc, "PCI Express");
	expect(4, false, 0x11, 0xa0, 12, "MSI-X");
	expect(5, true, 0x01, 0x100, 0x2c, "Advanced Error Reporting");
	expect(6, true, 0x03, 0x140, 12, "Device Serial Number");
	/* the table gen-table writes for it (README, cfgguard-table(5)) */
	CHECK_STR(ranges_text(4096),
		  "0x000-0x03f header\n"
		  "0x0a0-0x0ab MSI-X\n"
		  "0x0c8-0x0cf Power Management\n"
		  "0x0d0-0x0dd MSI\n"
		  "0x0e0-0x0eb PCI Express\n"
		  "0x100-0x12b extended: Advanced Error Reporting\n"
		  "0x140-0x14b extended: Device Serial Number\n");
	expect_map(0x00, 0x3f, 0);
	expect_map(0x40, 0x9f, CFGGUARD_LAYOUT_MAP_RAW);
	expect_map(0x12c, 0x13f, CFGGUARD_LAYOUT_MAP_RAW);
	expect_map(0x14c, 0xfff, CFGGUARD_LAYOUT_MAP_RAW);
	/* a PCIe v1 capability is sized alike by both */
	parse(4096, &rules_6_12);
	CHECK_EQ(layout.nr_caps, 7);
	expect(3, false, 0x10, 0xe0, 0xc, "PCI Express");

	load(dir, "nvme");	/* no extended capabilities */
	parse(4096, &rules_6_12);
	CHECK_EQ(layout.nr_caps, 4);
	expect(1, false, 0x11, 0x40, 12, "MSI-X");
	expect(2, false, 0x10, 0x80, 0x2c, "PCI Express");	/* no link */
	expect(3, false, 0x01, 0x60, 8, "Power Management");
	expect_map(0x100, 0xfff, CFGGUARD_LAYOUT_MAP_RAW);

	/* an endpoint behind a root port: PCIe v2 with a link */
	load(dir, "virtio-net");
	parse(4096, &rules_6_1);
	CHECK_EQ(layout.nr_caps, 9);
	expect(2, false, 0x09, 0xc8, 0x14, "Vendor-Specific");	/* length byte */
	expect(5, false, 0x09, 0x94, 0x10, "Vendor-Specific");
	expect(8, false, 0x10, 0x40, 0x32, "PCI Express");
	expect_map(0x40, 0x71, PCI_CAP_ID_EXP);
	expect_map(0x72, 0x73, CFGGUARD_LAYOUT_MAP_RAW);
	parse(4096, &rules_6_12);
	CHECK_EQ(layout.nr_caps, 9);
	expect(8, false, 0x10, 0x40, 0x34, "PCI Express");
	expect_map(0x40, 0x73, PCI_CAP_ID_EXP);
}

/* A 4096-byte space with a PCIe v2 endpoint at 0x40: vfio-pci walks 0x100. */
static void pcie_device(void)
{
	memset(cfg, 0, sizeof(cfg));
	cfg[0x06] = 0x10;		/* status: capability list */
	cfg[0x34] = 0x40;
	cfg[0x40] = 0x10;		/* PCIe, v2 endpoint */
	cfg[0x42] = 0x02;
}

static void ecap(unsigned int pos, unsigned int id, unsigned int next)
{
	unsigned int header = id | 1 << 16 | next << 20;

	memcpy(&cfg[pos], &header, 4);	/* the unit tests run little-endian */
}

static void test_crafted(void)
{
	memset(cfg, 0, sizeof(cfg));
	CHECK_EQ(cfgguard_layout_parse(cfg, 512, &rules_6_12, &layout), -EINVAL);

	/* a capability list pointing at itself: walked 48 times, as vfio-pci */
	cfg[0x06] = 0x10;		/* status: capability list */
	cfg[0x34] = 0x40;
	cfg[0x40] = 0x01;		/* PM */
	cfg[0x41] = 0x40;		/* next: itself */
	parse(256, &rules_6_12);
	CHECK_EQ(layout.nr_caps, 1 + CFGGUARD_MAX_STD_CAPS);
	expect(1, false, 0x01, 0x40, 8, "Power Management");
	expect(48, false, 0x01, 0x40, 8, "Power Management");
	expect_map(0x40, 0x47, PCI_CAP_ID_PM);

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
	parse(256, &rules_6_12);
	CHECK_EQ(layout.nr_caps, 2);
	CHECK(layout.clipped);
	expect(1, false, 0x09, 0xf8, 8, "Vendor-Specific");
	expect_map(0x40, 0xf7, CFGGUARD_LAYOUT_MAP_RAW);
	expect_map(0xf8, 0xff, PCI_CAP_ID_VNDR);

	/* in a 4096-byte space it runs on into the extended space's map */
	parse(4096, &rules_6_12);
	CHECK(!layout.clipped);
	expect(1, false, 0x09, 0xf8, 0x40, "Vendor-Specific");
	expect_map(0xf8, 0x137, PCI_CAP_ID_VNDR);
	/* a run of one ID is split where the IDs become extended ones */
	CHECK_STR(ranges_text(4096),
		  "0x000-0x03f header\n"
		  "0x0f8-0x0ff Vendor-Specific\n"
		  "0x100-0x137 extended: Virtual Channel\n");

	/* overlapping capabilities: the later one wins, as in vfio-pci's map */
	memset(cfg, 0, sizeof(cfg));
	cfg[0x06] = 0x10;
	cfg[0x34] = 0x40;
	cfg[0x40] = 0x01;		/* PM, 8 bytes */
	cfg[0x41] = 0x44;
	cfg[0x44] = 0x05;		/* MSI, 10 bytes */
	cfg[0x45] = 0x3c;		/* next: inside the header */
	cfg[0x3c] = 0x09;		/* vendor-specific, 6 bytes, in the header */
	cfg[0x3e] = 0x06;
	parse(256, &rules_6_12);
	CHECK_EQ(layout.nr_caps, 4);
	expect_map(0x00, 0x3b, 0);
	expect_map(0x3c, 0x41, PCI_CAP_ID_VNDR);
	expect_map(0x42, 0x43, PCI_CAP_ID_PM);
	expect_map(0x44, 0x4d, PCI_CAP_ID_MSI);
	expect_map(0x4e, 0xff, CFGGUARD_LAYOUT_MAP_RAW);

	/* extended: a hidden first capability keeps a 4-byte placeholder */
	pcie_device();
	ecap(0x100, 0x1b, 0x200);	/* PASID: hidden by vfio-pci */
	ecap(0x200, 0x03, 0);		/* DSN */
	parse(4096, &rules_6_12);
	CHECK_EQ(layout.nr_caps, 4);
	expect(2, true, 0x1b, 0x100, 4, "unknown");
	CHECK(layout.caps[2].placeholder);
	expect(3, true, 0x03, 0x200, 12, "Device Serial Number");
	CHECK(!layout.caps[3].placeholder);
	expect_map(0x100, 0x103, 0x1b);
	expect_map(0x104, 0x1ff, CFGGUARD_LAYOUT_MAP_RAW);
	expect_map(0x200, 0x20b, 0x03);

	/* the same in a 256-byte space: no extended walk */
	parse(256, &rules_6_12);
	CHECK_EQ(layout.nr_caps, 2);

	/* no capability at 0x100: no extended walk either */
	pcie_device();
	ecap(0x200, 0x03, 0);
	parse(4096, &rules_6_12);
	CHECK_EQ(layout.nr_caps, 2);

	/* a hidden capability after the first is skipped */
	pcie_device();
	ecap(0x100, 0x03, 0x200);	/* DSN */
	ecap(0x200, 0x1b, 0x300);	/* PASID: hidden */
	ecap(0x300, 0x0e, 0);		/* ARI */
	parse(4096, &rules_6_12);
	CHECK_EQ(layout.nr_caps, 4);
	expect(3, true, 0x0e, 0x300, 8, "Alternative Routing-ID");
	expect_map(0x200, 0x2ff, CFGGUARD_LAYOUT_MAP_RAW);

	/* an extended length past the end is clipped */
	pcie_device();
	ecap(0xff0, 0x0b, 0);		/* vendor-specific, claims 0x100 */
	ecap(0x100, 0x03, 0xff0);
	cfg[0xff7] = 0x10;		/* VSEC length 0x100 */
	parse(4096, &rules_6_12);
	CHECK_EQ(layout.nr_caps, 4);
	CHECK(layout.clipped);
	expect(3, true, 0x0b, 0xff0, 0x10, "Vendor-Specific");
	expect_map(0xff0, 0xfff, PCI_EXT_CAP_ID_VNDR);
}

/* (a) every capability is kept, however many: none beyond the 96th lost */
static void test_many_caps(void)
{
	unsigned int pos, i;

	/* 480 ARI capabilities (8 bytes each) fill the extended space */
	pcie_device();
	for (pos = 0x100; pos < 0x1000; pos += 8)
		ecap(pos, PCI_EXT_CAP_ID_ARI, pos + 8 < 0x1000 ? pos + 8 : 0);
	parse(4096, &rules_6_12);
	CHECK_EQ(layout.nr_caps, 2 + 480);
	for (i = 2, pos = 0x100; i < layout.nr_caps; i++, pos += 8)
		expect(i, true, PCI_EXT_CAP_ID_ARI, pos, 8,
		       "Alternative Routing-ID");
	expect_map(0x100, 0xfff, PCI_EXT_CAP_ID_ARI);

	/* a chain looping at 0x100: vfio-pci's 960 steps, each kept */
	pcie_device();
	ecap(0x100, PCI_EXT_CAP_ID_DSN, 0x100);
	parse(4096, &rules_6_12);
	CHECK_EQ(layout.nr_caps, 2 + CFGGUARD_MAX_EXT_CAPS);
	CHECK_EQ(layout.nr_caps, CFGGUARD_MAX_CAPS - CFGGUARD_MAX_STD_CAPS + 1);
	expect(layout.nr_caps - 1, true, PCI_EXT_CAP_ID_DSN, 0x100, 12,
	       "Device Serial Number");

	/* 48 standard and 960 extended capabilities: the most there can be */
	memset(cfg, 0, sizeof(cfg));
	cfg[0x06] = 0x10;
	cfg[0x34] = 0x40;
	cfg[0x40] = 0x10;		/* PCIe, pointing at itself */
	cfg[0x41] = 0x40;
	cfg[0x42] = 0x02;
	ecap(0x100, PCI_EXT_CAP_ID_DSN, 0x100);
	parse(4096, &rules_6_12);
	CHECK_EQ(layout.nr_caps, CFGGUARD_MAX_CAPS);
}

/* (b) an extended ID's low byte is what vfio-pci's map keeps */
static void test_ecap_low_byte(void)
{
	/* an all-ones header at 0x100: its placeholder stays raw */
	pcie_device();
	memset(&cfg[0x100], 0xff, 4);	/* next: 0xffc */
	parse(4096, &rules_6_12);
	CHECK_EQ(layout.nr_caps, 3);
	expect(2, true, 0xffff, 0x100, 4, "unknown");
	CHECK(layout.caps[2].placeholder);
	expect_map(0x100, 0x103, CFGGUARD_LAYOUT_MAP_RAW);
	expect_map(0x100, 0xfff, CFGGUARD_LAYOUT_MAP_RAW);
	CHECK_STR(ranges_text(4096), "0x000-0x03f header\n"
				     "0x040-0x073 PCI Express\n");

	/* ID 0x00ff: unknown, hidden, raw */
	pcie_device();
	ecap(0x100, 0x00ff, 0x200);
	ecap(0x200, PCI_EXT_CAP_ID_DSN, 0);
	parse(4096, &rules_6_12);
	CHECK_EQ(layout.nr_caps, 4);
	expect_map(0x100, 0x1ff, CFGGUARD_LAYOUT_MAP_RAW);
	expect_map(0x200, 0x20b, PCI_EXT_CAP_ID_DSN);

	/* ID 0x01fe: its placeholder is what vfio-pci virtualises */
	pcie_device();
	ecap(0x100, 0x01fe, 0);
	parse(4096, &rules_6_12);
	expect_map(0x100, 0x103, CFGGUARD_LAYOUT_MAP_VIRT);
	CHECK_STR(ranges_text(4096), "0x000-0x03f header\n"
				     "0x040-0x073 PCI Express\n"
				     "0x100-0x103 virtualised by vfio-pci\n");

	/* ID 0x0103: truncated to AER's ID */
	pcie_device();
	ecap(0x100, 0x0103, 0);
	parse(4096, &rules_6_12);
	expect_map(0x100, 0x103, 0x03);
}

/* (c) every PCIe capability is sized by the first one's flags */
static void test_pcie_flags(void)
{
	/* a v2 endpoint, then a v1 integrated endpoint */
	pcie_device();
	cfg[0x41] = 0x80;
	cfg[0x80] = 0x10;
	cfg[0x82] = 0x91;
	parse(256, &rules_6_12);
	CHECK_EQ(layout.pcie_flags, 0x0002);
	CHECK_EQ(layout.nr_caps, 3);
	expect(1, false, 0x10, 0x40, 0x34, "PCI Express");
	expect(2, false, 0x10, 0x80, 0x34, "PCI Express");
	parse(256, &rules_6_1);
	expect(2, false, 0x10, 0x80, 0x32, "PCI Express");

	/* the other way round */
	cfg[0x42] = 0x91;
	cfg[0x82] = 0x02;
	parse(256, &rules_6_12);
	CHECK_EQ(layout.pcie_flags, 0x0091);
	expect(1, false, 0x10, 0x40, 0xc, "PCI Express");
	expect(2, false, 0x10, 0x80, 0xc, "PCI Express");

	/* v2 integrated endpoint first: no link */
	cfg[0x42] = 0x92;
	parse(256, &rules_6_12);
	expect(2, false, 0x10, 0x80, 0x2c, "PCI Express");

	/*
	 * The PCI core masks the pointers' low bits, vfio-pci does not: here
	 * vfio-pci finds a PCIe capability at 0x41 that the core does not
	 * find (0x40 is vendor-specific, pointing below 0x40), so the device
	 * has no PCIe flags: sized as a v2 endpoint.
	 */
	memset(cfg, 0, sizeof(cfg));
	cfg[0x06] = 0x10;
	cfg[0x34] = 0x41;
	cfg[0x40] = 0x09;		/* core: vendor-specific, next 0x10 */
	cfg[0x41] = 0x10;		/* vfio-pci: PCIe, next 0 */
	cfg[0x42] = 0x00;
	cfg[0x43] = 0x91;		/* its own flags: v1 integrated */
	parse(256, &rules_6_12);
	CHECK_EQ(layout.pcie_flags, 0);
	CHECK_EQ(layout.nr_caps, 2);
	expect(1, false, 0x10, 0x41, 0x34, "PCI Express");

	/* the core starts a CardBus bridge's list at 0x14, vfio-pci at 0x34 */
	memset(cfg, 0, sizeof(cfg));
	cfg[0x06] = 0x10;
	cfg[0x0e] = PCI_HEADER_TYPE_CARDBUS;
	cfg[0x14] = 0x80;
	cfg[0x34] = 0x40;
	cfg[0x40] = 0x10;		/* vfio-pci's: v1 */
	cfg[0x42] = 0x01;
	cfg[0x80] = 0x10;		/* the core's: v2 integrated */
	cfg[0x82] = 0x92;
	parse(256, &rules_6_12);
	CHECK_EQ(layout.pcie_flags, 0x0092);
	expect(1, false, 0x10, 0x40, 0x2c, "PCI Express");
}

/* (d) DVSEC: hidden by 6.1's vfio-pci, sized by its length from 6.4 */
static void test_dvsec(void)
{
	pcie_device();
	ecap(0x100, PCI_EXT_CAP_ID_DVSEC, 0x200);
	cfg[0x107] = 0x02;		/* DVSEC Length 0x20 */
	ecap(0x200, PCI_EXT_CAP_ID_DVSEC, 0);
	cfg[0x207] = 0x01;		/* 0x10 */
	parse(4096, &rules_6_12);
	CHECK_EQ(layout.nr_caps, 4);
	expect(2, true, 0x23, 0x100, 0x20, "Designated Vendor-Specific");
	expect(3, true, 0x23, 0x200, 0x10, "Designated Vendor-Specific");
	expect_map(0x100, 0x11f, PCI_EXT_CAP_ID_DVSEC);
	expect_map(0x200, 0x20f, PCI_EXT_CAP_ID_DVSEC);

	parse(4096, &rules_6_1);
	CHECK_EQ(layout.nr_caps, 3);
	expect(2, true, 0x23, 0x100, 4, "Designated Vendor-Specific");
	CHECK(layout.caps[2].placeholder);
	expect_map(0x100, 0x103, PCI_EXT_CAP_ID_DVSEC);
	expect_map(0x104, 0xfff, CFGGUARD_LAYOUT_MAP_RAW);
}

static void expect_rules(const char *release, int ret, unsigned int exp_v2_len,
			 bool dvsec)
{
	struct cfgguard_layout_rules rules;

	if (cfgguard_layout_rules_for_release(release, &rules) != ret ||
	    rules.exp_v2_len != exp_v2_len || rules.dvsec != dvsec) {
		fprintf(stderr, "rules for `%s'\n", release);
		CHECK_EQ(cfgguard_layout_rules_for_release(release, &rules), ret);
		CHECK_EQ(rules.exp_v2_len, exp_v2_len);
		CHECK_EQ(rules.dvsec, dvsec);
	}
}

static void test_rules_for_release(void)
{
	struct cfgguard_layout_rules rules;

	/* Debian 12's kernels: the two tested */
	expect_rules("6.1.0-56-amd64", 0, 0x32, false);
	expect_rules("6.12.117+deb12-amd64", 0, 0x34, true);
	CHECK_EQ(cfgguard_layout_rules_for_release("6.1.0-56-amd64", &rules), 0);
	CHECK(!memcmp(&rules, &rules_6_1, sizeof(rules)));
	CHECK_EQ(cfgguard_layout_rules_for_release("6.12.117+deb12-amd64",
						   &rules), 0);
	CHECK(!memcmp(&rules, &rules_6_12, sizeof(rules)));

	/* PCI_CAP_EXP_ENDPOINT_SIZEOF_V2: 52 before 5.17, 0x32 until 7.0 */
	expect_rules("5.10.0-35-amd64", 0, 0x34, false);
	expect_rules("5.16.20", 0, 0x34, false);
	expect_rules("5.17.0", 0, 0x32, false);
	expect_rules("6.1.192", 0, 0x32, false);
	expect_rules("6.3.13", 0, 0x32, false);
	expect_rules("6.4.0", 0, 0x32, true);
	expect_rules("6.6.129", 0, 0x32, true);
	expect_rules("6.6.130-1-lts", 0, 0x34, true);
	expect_rules("6.11.11", 0, 0x32, true);
	expect_rules("6.12", 0, 0x32, true);
	expect_rules("6.12.76", 0, 0x32, true);
	expect_rules("6.12.77", 0, 0x34, true);
	expect_rules("6.17.13+deb14-amd64", 0, 0x32, true);
	expect_rules("6.18.16", 0, 0x32, true);
	expect_rules("6.18.17", 0, 0x34, true);
	expect_rules("6.19.6-arch1-1", 0, 0x32, true);
	expect_rules("6.19.7-arch1-1", 0, 0x34, true);
	expect_rules("7.0.0", 0, 0x34, true);
	expect_rules("7.1.3-200.fc44.x86_64", 0, 0x34, true);

	/* not a release: the newest kernels' rules */
	expect_rules("", -EINVAL, 0x34, true);
	expect_rules("6", -EINVAL, 0x34, true);
	expect_rules("6.x", -EINVAL, 0x34, true);
	expect_rules("linux", -EINVAL, 0x34, true);
	expect_rules("99999.1", -EINVAL, 0x34, true);
}

static void test_map_ranges(void)
{
	unsigned int n;

	memset(map, CFGGUARD_LAYOUT_MAP_RAW, sizeof(map));
	CHECK_EQ(devcfg_map_ranges(map, 4096, ranges, 4096), 0);
	CHECK_STR(ranges_text(256), "");

	/* a map as vfio-pci may build it: every kind of byte */
	memset(map, 0, 0x40);
	memset(map + 0x40, PCI_CAP_ID_PM, 8);
	memset(map + 0x48, PCI_CAP_ID_MSIX, 12);	/* adjacent */
	map[0x60] = 0x16;				/* one byte, unnamed */
	memset(map + 0x70, CFGGUARD_LAYOUT_MAP_VIRT, 4);
	memset(map + 0xfc, PCI_CAP_ID_VNDR, 8);		/* across 0x100 */
	memset(map + 0x104, 0, 4);			/* extended ID 0 */
	memset(map + 0x200, PCI_EXT_CAP_ID_ERR, 0x2c);
	memset(map + 0x22c, PCI_EXT_CAP_ID_DSN, 12);
	memset(map + 0xff8, CFGGUARD_LAYOUT_MAP_VIRT, 8);	/* at the end */
	CHECK_STR(ranges_text(4096),
		  "0x000-0x03f header\n"
		  "0x040-0x047 Power Management\n"
		  "0x048-0x053 MSI-X\n"
		  "0x060-0x060 unknown\n"
		  "0x070-0x073 virtualised by vfio-pci\n"
		  "0x0fc-0x0ff Vendor-Specific\n"
		  "0x100-0x103 extended: Virtual Channel\n"
		  "0x104-0x107 extended: unknown\n"
		  "0x200-0x22b extended: Advanced Error Reporting\n"
		  "0x22c-0x237 extended: Device Serial Number\n"
		  "0xff8-0xfff virtualised by vfio-pci\n");
	n = devcfg_map_ranges(map, 4096, ranges, 4096);
	CHECK_EQ(n, 11);
	CHECK_EQ(ranges[4].id, CFGGUARD_LAYOUT_MAP_VIRT);
	CHECK(!ranges[5].extended);
	CHECK(ranges[6].extended);

	/* bounded by the room given, and by the size */
	CHECK_EQ(devcfg_map_ranges(map, 4096, ranges, 3), 3);
	CHECK_EQ(ranges[2].start, 0x48);
	CHECK_STR(ranges_text(256),
		  "0x000-0x03f header\n"
		  "0x040-0x047 Power Management\n"
		  "0x048-0x053 MSI-X\n"
		  "0x060-0x060 unknown\n"
		  "0x070-0x073 virtualised by vfio-pci\n"
		  "0x0fc-0x0ff Vendor-Specific\n");

	/* every byte its own range */
	for (unsigned int i = 0; i < 4096; i++)
		map[i] = i % 2 ? 0x01 : 0x05;
	CHECK_EQ(devcfg_map_ranges(map, 4096, ranges, 4096), 4096);
}

/* Random spaces: every walk ends, within the space and caps[]. */
static void test_random(void)
{
	unsigned int seed = 1, i, j, n;

	for (i = 0; i < 2000; i++) {
		for (j = 0; j < sizeof(cfg); j++) {
			seed = seed * 1103515245 + 12345;
			cfg[j] = seed >> 16;
		}
		cfg[0x06] |= 0x10;
		if (i % 2)	/* a PCIe capability first: an extended walk */
			cfg[cfg[0x34]] = PCI_CAP_ID_EXP;
		for (j = 0; j < 2; j++) {
			unsigned int size = j ? 4096 : 256;

			parse(size, j ? &rules_6_12 : &rules_6_1);
			for (n = 0; n < layout.nr_caps; n++)
				CHECK(layout.caps[n].start + layout.caps[n].len <= size);
			/* vfio-pci lets a capability overwrite the header */
			expect(0, false, 0, 0, 0x40, "header");
			CHECK(devcfg_map_ranges(map, size, ranges, 4096) <= size);
		}
	}
}

int main(int argc, char *argv[])
{
	CHECK(argc == 2);
	test_fixtures(argv[1]);
	test_crafted();
	test_many_caps();
	test_ecap_low_byte();
	test_pcie_flags();
	test_dvsec();
	test_rules_for_release();
	test_map_ranges();
	test_random();
	printf("layout: all checks passed\n");
	return 0;
}
