// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The cfgguard authors.
 *
 * gen-table: a starting table from a device's config space, sized by the
 * same code (module/layout.c) that gives the module its default table.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "devcfg.h"
#include "ipc.h"
#include "subcommands.h"

static int cap_cmp(const void *a, const void *b)
{
	const struct cfgguard_cap *ca = a, *cb = b;

	return (int)ca->start - (int)cb->start;
}

int gen_table_main(int argc, const char *argv[])
{
	struct devcfg *cfg;
	struct ctl_key key;

	if (argc != 2) {
		fprintf(stderr, "Usage: %s %s <BDF>\n", prog_name, argv[0]);
		return 1;
	}
	if (key_parse(argv[1], &key) || key.model) {
		fprintf(stderr, "Not a device address: `%s'\n", argv[1]);
		return 1;
	}
	cfg = calloc(1, sizeof(*cfg));
	if (!cfg) {
		perror("calloc");
		return 1;
	}
	if (devcfg_read(key.bdf, cfg)) {
		fprintf(stderr, "Unable to read the config space of %s: %s\n",
			key.bdf, strerror(errno));
		free(cfg);
		return 1;
	}

	printf("# cfgguard table for %s (%02x%02x:%02x%02x), written by %s %s.\n",
	       key.bdf, cfg->bytes[1], cfg->bytes[0], cfg->bytes[3],
	       cfg->bytes[2], prog_name, argv[0]);
	printf("# The header and every capability are allowed; vfio-pci still\n"
	       "# virtualises and filters them. Every other byte is denied: add\n"
	       "# ranges for the hidden registers the device's driver needs.\n");
	printf("size %u\ndefault deny\n", cfg->size);
	/* in address order; a capability overlapping another is clipped */
	qsort(cfg->layout.caps, cfg->layout.nr_caps, sizeof(cfg->layout.caps[0]),
	      cap_cmp);
	for (unsigned int i = 0, next = 0; i < cfg->layout.nr_caps; i++) {
		const struct cfgguard_cap *cap = &cfg->layout.caps[i];
		unsigned int start = cap->start > next ? cap->start : next;
		unsigned int end = cap->start + cap->len;

		if (end <= start)
			continue;
		printf("0x%03x-0x%03x allow\t# %s%s\n", start, end - 1,
		       cap->extended ? "extended: " : "", cfgguard_cap_name(cap));
		next = end;
	}
	free(cfg);
	return 0;
}
