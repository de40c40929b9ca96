// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The cfgguard authors. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipc.h"
#include "subcommands.h"
#include "table.h"

int load_table_main(int argc, const char *argv[])
{
	const char *name = argc == 3 ? argv[2] : NULL;
	char err[512], key_name[32], what[64];
	struct table *table = NULL;
	struct ipc_error e;
	struct ctl_key key;
	FILE *f = NULL;
	int ret = 1;

	if (argc != 3) {
		fprintf(stderr, "Usage: %s %s <BDF|vendor:device> <file|->\n",
			prog_name, argv[0]);
		return 1;
	}
	if (key_parse(argv[1], &key)) {
		fprintf(stderr, "Not a device address or vendor:device: `%s'\n", argv[1]);
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
	key_format(&key, key_name, sizeof(key_name));
	if (ipc_table_set(&key, table, &e)) {
		snprintf(what, sizeof(what), "Unable to load table for %s", key_name);
		ipc_perror(what, &e);
		if (e.range >= 0 && (unsigned int)e.range < table->nr_ranges)
			fprintf(stderr, "%s:%u: the range the kernel refused\n",
				name, table->ranges[e.range].line);
		goto out;
	}
	ret = 0;
out:
	if (f && f != stdin)
		fclose(f);
	free(table);
	return ret;
}
