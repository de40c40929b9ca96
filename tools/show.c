// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The cfgguard authors. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipc.h"
#include "subcommands.h"
#include "table.h"

struct show_ctx {
	bool json;
	unsigned int n;
};

/* Human form: the table file format, so `show` output loads as it is. */
static int show_one(const struct ctl_key *key, const struct table *table,
		    void *arg)
{
	struct show_ctx *ctx = arg;
	char name[32];

	key_format(key, name, sizeof(name));
	if (!ctx->json) {
		printf("%s# table for %s %s\n", ctx->n ? "\n" : "",
		       key->model ? "model" : "device", name);
		table_print(stdout, table);
	} else {
		printf("%s{\"key\":\"%s\",\"kind\":\"%s\",\"default\":\"%s\"",
		       ctx->n ? "," : "[", name, key->model ? "model" : "device",
		       table_action_name(table->default_action));
		if (table->cfg_size)
			printf(",\"cfg_size\":%u", table->cfg_size);
		printf(",\"ranges\":[");
		for (unsigned int i = 0; i < table->nr_ranges; i++) {
			const struct table_range *r = &table->ranges[i];

			printf("%s{\"start\":%u,\"len\":%u,\"action\":\"%s\"",
			       i ? "," : "", r->start, r->len,
			       table_action_name(r->action));
			if (r->has_wmask)
				printf(",\"wmask\":%u", r->wmask);
			printf("}");
		}
		printf("]}");
	}
	ctx->n++;
	return 0;
}

int show_main(int argc, const char *argv[])
{
	struct show_ctx ctx = { 0 };
	struct table *table = NULL;
	const char *arg = NULL;
	char what[64];
	struct ipc_error e;
	struct ctl_key key;
	int ret;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			ctx.json = true;
		} else if (!arg && !key_parse(argv[i], &key)) {
			arg = argv[i];
		} else {
			fprintf(stderr, "Usage: %s %s [<BDF|vendor:device>] [--json]\n",
				prog_name, argv[0]);
			return 1;
		}
	}
	if (arg) {
		table = calloc(1, sizeof(*table));
		if (!table) {
			perror("calloc");
			return 1;
		}
		ret = ipc_table_get(&key, table, &e);
		if (!ret)
			show_one(&key, table, &ctx);
		free(table);
	} else {
		ret = ipc_table_dump(show_one, &ctx, &e);
	}
	/* JSON opens with the first table: a refusal prints nothing */
	if (ret) {
		snprintf(what, sizeof(what), "Unable to show %s", arg ? arg : "tables");
		ipc_perror(what, &e);
		return 1;
	}
	if (ctx.json)
		printf("%s]\n", ctx.n ? "" : "[");
	return 0;
}
