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
	const char *name;
	char err[512], key_name[32], what[64];
	struct table *table;
	struct ipc_error e;
	struct ctl_key key;
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
	table = table_read(argv[2], err, sizeof(err));
	if (!table) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	name = table_source_name(argv[2]);
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
	free(table);
	return ret;
}
