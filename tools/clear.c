// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The cfgguard authors. */
#include <stdio.h>

#include "ipc.h"
#include "subcommands.h"

int clear_main(int argc, const char *argv[])
{
	char key_name[32], what[64];
	struct ipc_error e;
	struct ctl_key key;

	if (argc != 2) {
		fprintf(stderr, "Usage: %s %s <BDF|vendor:device>\n", prog_name, argv[0]);
		return 1;
	}
	if (key_parse(argv[1], &key)) {
		fprintf(stderr, "Not a device address or vendor:device: `%s'\n", argv[1]);
		return 1;
	}
	key_format(&key, key_name, sizeof(key_name));
	if (ipc_table_del(&key, &e)) {
		snprintf(what, sizeof(what), "Unable to clear the table of %s", key_name);
		ipc_perror(what, &e);
		return 1;
	}
	return 0;
}
