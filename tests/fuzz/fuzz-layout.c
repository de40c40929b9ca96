// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The cfgguard authors.
 *
 * The capability walker (module/layout.c, built for userspace as the unit
 * tests build it) fed raw config spaces: an input of up to 256 bytes is a
 * 256-byte space, a longer one a 4096-byte space, zero-filled past the
 * input. Each space is walked by 6.1's and 6.12's vfio-pci rules (from
 * their release strings, as cfgguard-ctl derives them; between them they
 * take every branch the rules steer); the map is cut into ranges as
 * gen-table cuts it (tools/devcfg.c), and gen-table's table of them must
 * load. The space and the map are heap blocks of their exact size, so a
 * read or write past either is caught.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/pci_regs.h>

#include "devcfg.h"
#include "fuzz.h"
#include "layout.h"
#include "table.h"

/* Debian 12's kernels, as uname -r names them */
#define RELEASE_6_1	"6.1.0-56-amd64"
#define RELEASE_6_12	"6.12.117+deb12-amd64"

static struct cfgguard_layout_rules rules[2];
static struct cfgguard_layout layout;
static struct devcfg_range ranges[4096];
static struct table table;
static char text[4096 * 48];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	REQUIRE(!cfgguard_layout_rules_for_release(RELEASE_6_1, &rules[0]));
	REQUIRE(rules[0].exp_v2_len == 0x32 && !rules[0].dvsec);
	REQUIRE(!cfgguard_layout_rules_for_release(RELEASE_6_12, &rules[1]));
	REQUIRE(rules[1].exp_v2_len == 0x34 && rules[1].dvsec);
	return 0;
}

CHECKER static void check_layout(unsigned int size)
{
	unsigned int std = 0, ext = 0;

	REQUIRE(layout.cfg_size == size);
	REQUIRE(layout.nr_caps >= 1 && layout.nr_caps <= CFGGUARD_MAX_CAPS);
	REQUIRE(layout.caps[0].id == 0 && !layout.caps[0].extended &&
		layout.caps[0].start == 0 && layout.caps[0].len == 0x40);
	for (unsigned int i = 1; i < layout.nr_caps; i++) {
		const struct cfgguard_cap *cap = &layout.caps[i];

		REQUIRE(cap->len && cap->start + cap->len <= size);
		REQUIRE(cfgguard_cap_name(cap));
		if (cap->extended) {
			REQUIRE(size == 4096);
			REQUIRE(cap->start >= 0x100 && !(cap->start & 3));
			REQUIRE(!cap->placeholder || cap->len == 4);
			ext++;
		} else {
			REQUIRE(cap->start < 0x100 && !cap->placeholder);
			REQUIRE(cap->id && cap->id <= PCI_CAP_ID_MAX);
			std++;
		}
	}
	REQUIRE(std <= CFGGUARD_MAX_STD_CAPS && ext <= CFGGUARD_MAX_EXT_CAPS);
}

/* gen-table's lines (tools/gen-table.c), which load-table must take. */
CHECKER static void check_ranges(const uint8_t *map, unsigned int size)
{
	unsigned int n, len;
	char err[256];

	n = devcfg_map_ranges(map, size, ranges, size);
	REQUIRE(n <= size);
	len = snprintf(text, sizeof(text), "size %u\ndefault deny\n", size);
	for (unsigned int i = 0; i < n; i++) {
		const struct devcfg_range *r = &ranges[i];

		REQUIRE(r->start <= r->end && r->end < size);
		REQUIRE(!i || r->start > ranges[i - 1].end);
		REQUIRE((r->start < 0x100) == (r->end < 0x100));
		REQUIRE(r->extended == (r->start >= 0x100));
		REQUIRE(r->id != CFGGUARD_LAYOUT_MAP_RAW && r->name);
		for (unsigned int b = r->start; b <= r->end; b++)
			REQUIRE(map[b] == r->id);
		len += snprintf(text + len, sizeof(text) - len,
				"0x%03x-0x%03x allow\t# %s%s\n", r->start, r->end,
				r->extended && r->id != CFGGUARD_LAYOUT_MAP_VIRT ?
				"extended: " : "", r->name);
		REQUIRE(len < sizeof(text));
	}
	/* a chain of ~1000 tiny capabilities has more runs than a table */
	if (n > TABLE_MAX_RANGES) {
		REQUIRE(table_parse_buffer(text, len, "gen-table", &table, err,
					   sizeof(err)) == -1);
		REQUIRE(strstr(err, "more than 1024 ranges"));
		return;
	}
	REQUIRE(!table_parse_buffer(text, len, "gen-table", &table, err,
				    sizeof(err)));
	REQUIRE(table.nr_ranges == n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned int cfg_size = size <= 256 ? 256 : 4096;
	uint8_t *cfg = calloc(1, cfg_size), *map = malloc(cfg_size);
	static uint8_t last[4096];

	REQUIRE(cfg && map);
	memcpy(cfg, data, size < cfg_size ? size : cfg_size);
	for (unsigned int r = 0; r < sizeof(rules) / sizeof(rules[0]); r++) {
		REQUIRE(!cfgguard_layout_parse(cfg, cfg_size, &rules[r], &layout));
		check_layout(cfg_size);
		cfgguard_layout_map(&layout, cfg_size, map);
		/* the rules differ on PCIe v2 and DVSEC alone: often one map */
		if (r && !memcmp(map, last, cfg_size))
			continue;
		check_ranges(map, cfg_size);
		memcpy(last, map, cfg_size);
	}
	/* another size is refused, not walked */
	REQUIRE(cfgguard_layout_parse(cfg, 64, &rules[0], &layout) == -EINVAL);
	free(map);
	free(cfg);
	return 0;
}
