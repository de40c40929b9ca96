// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The cfgguard authors.
 *
 * cfgguard-ctl: loads valid-region tables into cfgguard-vfio-pci and shows
 * what it guards. One file per subcommand; this one only dispatches.
 */
#include <stdio.h>
#include <string.h>

#include "subcommands.h"

#define CFGGUARD_CTL_VERSION "0.1.0"

const char *prog_name;

static const struct {
	const char *name;
	int (*main)(int argc, const char *argv[]);
	const char *description;
} subcommands[] = {
	{ "list", list_main, "Lists the devices bound to cfgguard-vfio-pci and what guards them" },
	{ "show", show_main, "Shows loaded tables" },
	{ "load-table", load_table_main, "Loads a table for a device or a device model" },
	{ "clear", clear_main, "Unloads the table of a device or a device model" },
	{ "check", check_main, "Checks a table file without loading it, optionally against a device" },
	{ "apply", apply_main, "Makes the loaded tables those of a directory of table files" },
	{ "mode", mode_main, "Sets a device's mode: enforce, audit or off" },
	{ "gen-table", gen_table_main, "Writes a starting table from a device's capabilities" },
	{ "watch", watch_main, "Streams blocked, masked and audited accesses as they happen" },
	{ "stats", stats_main, "Shows or resets a device's counters" },
};

static void show_usage(FILE *file)
{
	fprintf(file, "Usage: %s <cmd> [<args>]\n\n", prog_name);
	fprintf(file, "Available subcommands:\n");
	for (size_t i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		fprintf(file, "  %s: %s\n", subcommands[i].name,
			subcommands[i].description);
	fprintf(file, "You may pass `--help' to any of these subcommands to view usage.\n");
}

int main(int argc, const char *argv[])
{
	prog_name = argv[0];

	if (argc == 2 && (!strcmp(argv[1], "-v") || !strcmp(argv[1], "--version") ||
			  !strcmp(argv[1], "version"))) {
		printf("cfgguard-ctl v%s\n", CFGGUARD_CTL_VERSION);
		return 0;
	}
	if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
			  !strcmp(argv[1], "help"))) {
		show_usage(stdout);
		return 0;
	}
	if (argc == 1) {
		static const char *list_args[] = { "list", NULL };

		return list_main(1, list_args);
	}
	for (size_t i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		if (!strcmp(argv[1], subcommands[i].name))
			return subcommands[i].main(argc - 1, argv + 1);

	fprintf(stderr, "Invalid subcommand: `%s'\n", argv[1]);
	show_usage(stderr);
	return 1;
}
