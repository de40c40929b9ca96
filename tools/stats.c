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
		printf("%s{\"bdf\":\"%s\"", ctx->n ? "," : "[", dev->bdf);
		for (int i = 0; i < CTL_NR_STATS; i++)
			printf(",\"%s\":%" PRIu64, stats_names[i], dev->stats[i]);
		printf("}");
	} else {
		printf("%s%s:\n", ctx->n ? "\n" : "", dev->bdf);
		printf("  read:  %" PRIu64 " allowed, %" PRIu64 " blocked, %" PRIu64 " audited\n",
		       dev->stats[CTL_STAT(READ_ALLOWED)],
		       dev->stats[CTL_STAT(READ_BLOCKED)],
		       dev->stats[CTL_STAT(READ_AUDITED)]);
		printf("  write: %" PRIu64 " allowed, %" PRIu64 " blocked, %" PRIu64 " masked, %" PRIu64 " audited\n",
		       dev->stats[CTL_STAT(WRITE_ALLOWED)],
		       dev->stats[CTL_STAT(WRITE_BLOCKED)],
		       dev->stats[CTL_STAT(WRITE_MASKED)],
		       dev->stats[CTL_STAT(WRITE_AUDITED)]);
		/* each access above but the allowed, again: by its event */
		printf("  events: %" PRIu64 " sent, %" PRIu64 " suppressed by the rate limit, %" PRIu64 " lost, %" PRIu64 " unwatched\n",
		       dev->stats[CTL_STAT(EVENTS)],
		       dev->stats[CTL_STAT(SUPPRESSED)],
		       dev->stats[CTL_STAT(LOST)],
		       dev->stats[CTL_STAT(UNWATCHED)]);
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
		if (ipc_stats_reset(bdf, &dev, &e)) {
			snprintf(what, sizeof(what), "Unable to reset the counters of %s", bdf);
			ipc_perror(what, &e);
			return 1;
		}
		/* what the reset took: with the next reading, every access once */
		if (!dev.bdf[0])
			return 0;
		stats_one(&dev, &ctx);
		if (ctx.json)
			printf("]\n");
		return 0;
	}
	if (bdf) {
		ret = ipc_dev_get(bdf, &dev, &e);
		if (!ret)
			stats_one(&dev, &ctx);
	} else {
		ret = ipc_dev_dump(stats_one, &ctx, &e);
	}
	/* JSON opens with the first device: a refusal prints nothing */
	if (ret) {
		ipc_perror("Unable to read counters", &e);
		return 1;
	}
	if (ctx.json)
		printf("%s]\n", ctx.n ? "" : "[");
	return 0;
}
