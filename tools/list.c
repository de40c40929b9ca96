// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The cfgguard authors. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "ipc.h"
#include "subcommands.h"

struct list_ctx {
	bool json;
	bool begun;
	unsigned int n;
};

/* Nothing reaches stdout before the kernel has answered: a refusal is
 * reported on stderr alone. */
static void list_begin(struct list_ctx *ctx)
{
	if (ctx->begun)
		return;
	ctx->begun = true;
	if (ctx->json)
		printf("[");
	else
		printf("DEVICE        MODEL      SIZE  MODE     TABLE\n");
}

static int list_one(const struct ctl_dev *dev, void *arg)
{
	struct list_ctx *ctx = arg;

	list_begin(ctx);
	if (ctx->json)
		printf("%s{\"bdf\":\"%s\",\"vendor\":\"%04x\",\"device\":\"%04x\",\"cfg_size\":%u,\"mode\":\"%s\",\"table\":\"%s\"}",
		       ctx->n ? "," : "", dev->bdf, dev->vendor, dev->device,
		       dev->cfg_size, mode_name(dev->mode), source_name(dev->source));
	else
		printf("%s  %04x:%04x  %4u  %-7s  %s\n", dev->bdf, dev->vendor,
		       dev->device, dev->cfg_size, mode_name(dev->mode),
		       source_name(dev->source));
	ctx->n++;
	return 0;
}

int list_main(int argc, const char *argv[])
{
	struct list_ctx ctx = { 0 };
	struct ipc_error e;
	struct ctl_dev dev;
	const char *bdf = NULL;
	struct ctl_key key;
	int ret;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			ctx.json = true;
		} else if (!bdf && !key_parse(argv[i], &key) && !key.model) {
			bdf = argv[i];
		} else {
			fprintf(stderr, "Usage: %s %s [<BDF>] [--json]\n", prog_name, argv[0]);
			return 1;
		}
	}
	if (bdf) {
		ret = ipc_dev_get(key.bdf, &dev, &e);
		if (!ret)
			list_one(&dev, &ctx);
	} else {
		ret = ipc_dev_dump(list_one, &ctx, &e);
	}
	if (ret) {
		ipc_perror("Unable to list devices", &e);
		return 1;
	}
	list_begin(&ctx);
	if (ctx.json)
		printf("]\n");
	return 0;
}
