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
	const char *name = argc >= 2 ? argv[1] : NULL;
	struct table *table = NULL;
	struct ctl_key key;
	char err[512];
	FILE *f = NULL;
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
	table = calloc(1, sizeof(*table));
	if (!table) {
		perror("calloc");
		return 1;
	}
	f = strcmp(name, "-") ? fopen(name, "r") : stdin;
	if (!f) {
		fprintf(stderr, "Unable to open `%s': %s\n", name, strerror(errno));
		goto out;
	}
	if (!strcmp(name, "-"))
		name = "<stdin>";
	if (table_parse(f, name, table, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		goto out;
	}
	if (argc == 3 && table_fits_device(table, name, key.bdf))
		goto out;
	ret = 0;
out:
	if (f && f != stdin)
		fclose(f);
	free(table);
	return ret;
}
