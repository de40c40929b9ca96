// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The cfgguard authors.
 *
 * gen-table: a starting table from the bytes vfio-pci assigns to a device's
 * header and capabilities (its pci_config_map). For a device bound to
 * cfgguard-vfio-pci, the map the module holds: vfio-pci's own once the
 * device has been opened, else the module's walk at bind. For any other,
 * a walk of its config space by the running kernel's vfio-pci rules, with
 * the same code (module/layout.c).
 */
#include <stdio.h>
#include <stdlib.h>

#include "devcfg.h"
#include "devmap.h"
#include "ipc.h"
#include "subcommands.h"

int gen_table_main(int argc, const char *argv[])
{
	static struct devcfg_range ranges[CFGGUARD_CFG_SPACE_SIZE];
	struct devmap *m;
	struct ctl_key key;
	unsigned int n;
	int ret = 1;

	if (argc != 2) {
		fprintf(stderr, "Usage: %s %s <BDF>\n", prog_name, argv[0]);
		return 1;
	}
	if (key_parse(argv[1], &key) || key.model) {
		fprintf(stderr, "Not a device address: `%s'\n", argv[1]);
		return 1;
	}
	m = calloc(1, sizeof(*m));
	if (!m) {
		perror("calloc");
		return 1;
	}
	if (!devmap_get(key.bdf, m)) {
		printf("# cfgguard table for %s (%04x:%04x), written by %s %s\n"
		       "# from %s.\n",
		       key.bdf, m->vendor, m->device, prog_name, argv[0],
		       m->source);
		printf("# The header and every capability are allowed; vfio-pci still\n"
		       "# virtualises and filters them. Every other byte is denied: add\n"
		       "# ranges for the hidden registers the device's driver needs.\n");
		printf("size %u\ndefault deny\n", m->size);
		n = devcfg_map_ranges(m->bytes, m->size, ranges,
				      CFGGUARD_CFG_SPACE_SIZE);
		for (unsigned int i = 0; i < n; i++) {
			const struct devcfg_range *r = &ranges[i];

			printf("0x%03x-0x%03x allow\t# %s%s\n", r->start, r->end,
			       r->extended && r->id != CFGGUARD_LAYOUT_MAP_VIRT ?
			       "extended: " : "", r->name);
		}
		ret = 0;
	}
	free(m);
	return ret;
}
