// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The cfgguard authors. */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "ipc.h"
#include "subcommands.h"

struct stats_ctx {
	bool json;
	unsigned int n;
};

static int stats_one(const struct ctl_dev *dev, void *arg)
{
	struct stats_ctx *ctx = arg;

	if (ctx->json) {
		printf("%s{\"bdf\":\"%s\"", ctx->n ? "," : "", dev->bdf);
		for (int i = 0; i < CTL_NR_STATS; i++)
			printf(",\"%s\":%" PRIu64, stats_names[i], dev->stats[i]);
		printf("}");
	} else {
		printf("%s%s:\n", ctx->n ? "\n" : "", dev->bdf);
		printf("  read:  %" PRIu64 " allowed, %" PRIu64 " blocked, %" PRIu64 " audited\n",
		       dev->stats[0], dev->stats[1], dev->stats[2]);
		printf("  write: %" PRIu64 " allowed, %" PRIu64 " blocked, %" PRIu64 " masked, %" PRIu64 " audited\n",
		       dev->stats[3], dev->stats[4], dev->stats[5], dev->stats[6]);
		printf("  events: %" PRIu64 " suppressed by the rate limit, %" PRIu64 " lost\n",
		       dev->stats[7], dev->stats[8]);
	}
	ctx->n++;
	return 0;
}

int stats_main(int argc, const char *argv[])
{
	struct stats_ctx ctx = { 0 };
	const char *bdf = NULL;
	bool reset = false;
	struct ipc_error e;
	struct ctl_dev dev;
	struct ctl_key key;
	char what[64];
	int ret;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			ctx.json = true;
		} else if (!strcmp(argv[i], "--reset")) {
			reset = true;
		} else if (!bdf && !key_parse(argv[i], &key) && !key.model) {
			bdf = key.bdf;
		} else {
			fprintf(stderr, "Usage: %s %s [<BDF>] [--json] [--reset]\n",
				prog_name, argv[0]);
			return 1;
		}
	}
	if (reset) {
		if (!bdf) {
			fprintf(stderr, "--reset needs a device address\n");
			return 1;
		}
		if (ipc_stats_reset(bdf, &e)) {
			snprintf(what, sizeof(what), "Unable to reset the counters of %s", bdf);
			ipc_perror(what, &e);
			return 1;
		}
		return 0;
	}
	if (ctx.json)
		printf("[");
	if (bdf) {
		ret = ipc_dev_get(bdf, &dev, &e);
		if (!ret)
			stats_one(&dev, &ctx);
	} else {
		ret = ipc_dev_dump(stats_one, &ctx, &e);
	}
	if (ctx.json)
		printf("]\n");
	if (ret) {
		ipc_perror("Unable to read counters", &e);
		return 1;
	}
	return 0;
}
