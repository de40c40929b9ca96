// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The cfgguard authors.
 *
 * check: a table file checked as load-table checks it, without loading it:
 * for an operator's own CI, where there is no module and no privilege.
 * With a device address, also against that device, as the kernel will.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fit.h"
#include "ipc.h"
#include "subcommands.h"
#include "table.h"

static void check_usage(FILE *f, const char *cmd)
{
	fprintf(f, "Usage: %s %s <file|-> [<BDF>]\n", prog_name, cmd);
}

int check_main(int argc, const char *argv[])
{
	const char *name;
	struct table *table;
	struct ctl_key key;
	char err[512];
	int ret = 1;

	if (argc == 2 && !strcmp(argv[1], "--help")) {
		check_usage(stdout, argv[0]);
		return 0;
	}
	if (argc != 2 && argc != 3) {
		check_usage(stderr, argv[0]);
		return 1;
	}
	if (argc == 3 && (key_parse(argv[2], &key) || key.model)) {
		fprintf(stderr, "Not a device address: `%s'\n", argv[2]);
		return 1;
	}
	table = table_read(argv[1], err, sizeof(err));
	if (!table) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	name = table_source_name(argv[1]);
	if (argc == 3 && table_fits_device(table, name, key.bdf))
		goto out;
	ret = 0;
out:
	free(table);
	return ret;
}
