// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The cfgguard authors. */
#include <stdio.h>
#include <string.h>

#include "ipc.h"
#include "subcommands.h"

int mode_main(int argc, const char *argv[])
{
	struct ipc_error e;
	struct ctl_key key;
	char what[64];
	uint32_t mode;

	if (argc != 3) {
		fprintf(stderr, "Usage: %s %s <BDF> enforce|audit|off\n", prog_name, argv[0]);
		return 1;
	}
	if (key_parse(argv[1], &key) || key.model) {
		fprintf(stderr, "Not a device address: `%s'\n", argv[1]);
		return 1;
	}
	for (mode = 0; mode < 3; mode++)
		if (!strcmp(argv[2], mode_name(mode)))
			break;
	if (mode == 3) {
		fprintf(stderr, "Unknown mode: `%s'\n", argv[2]);
		return 1;
	}
	if (ipc_mode_set(key.bdf, mode, &e)) {
		snprintf(what, sizeof(what), "Unable to set the mode of %s", key.bdf);
		ipc_perror(what, &e);
		return 1;
	}
	return 0;
}
