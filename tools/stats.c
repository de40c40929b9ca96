// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The cfgguard authors. */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipc.h"
#include "subcommands.h"

struct stats_ctx {
	bool json;
	bool prometheus;
	bool oom;
	unsigned int n;
	/* --prometheus: a family's samples must be together, so all first */
	struct ctl_dev *devs;
	size_t nr, alloc;
};

/*
 * One family per counter, as node_exporter's textfile collector and
 * promtool's lint expect; the names map to --json's in docs/json.md.
 */
static const struct {
	const char *name;
	const char *help;
	int stat;
} prom_counters[] = {
	{ "read_allowed", "Config space reads through VFIO the guard let through.",
	  CTL_STAT(READ_ALLOWED) },
	{ "read_blocked", "Config space reads the guard blocked: the VFIO user read zeros.",
	  CTL_STAT(READ_BLOCKED) },
	{ "read_audited", "Config space reads audit mode let through that its table would block.",
	  CTL_STAT(READ_AUDITED) },
	{ "write_allowed", "Config space writes through VFIO the guard let through.",
	  CTL_STAT(WRITE_ALLOWED) },
	{ "write_blocked", "Config space writes the guard dropped.",
	  CTL_STAT(WRITE_BLOCKED) },
	{ "write_masked", "Config space writes the guard let through a write mask.",
	  CTL_STAT(WRITE_MASKED) },
	{ "write_audited", "Config space writes audit mode let through that its table would block or mask.",
	  CTL_STAT(WRITE_AUDITED) },
	{ "events_sent", "Reported accesses whose event was sent, or with nobody listening, whose audit record was logged.",
	  CTL_STAT(EVENTS) },
	{ "events_suppressed", "Reported accesses whose event the rate limit held back.",
	  CTL_STAT(SUPPRESSED) },
	{ "events_lost", "Reported accesses whose event could not be built or reached no listener.",
	  CTL_STAT(LOST) },
	{ "events_unwatched", "Reported accesses while nobody listened and audit was off.",
	  CTL_STAT(UNWATCHED) },
};

/* A label value as the exposition format escapes it. */
static void prom_value(const char *value)
{
	putchar('"');
	for (const char *p = value; *p; p++) {
		if (*p == '\\' || *p == '"')
			printf("\\%c", *p);
		else if (*p == '\n')
			printf("\\n");
		else
			putchar(*p);
	}
	putchar('"');
}

/* "{device=...,model=...[,<label>=...]}" */
static void prom_labels(const struct ctl_dev *dev, const char *label,
			const char *value)
{
	char model[16];

	snprintf(model, sizeof(model), "%04x:%04x", dev->vendor, dev->device);
	printf("{device=");
	prom_value(dev->bdf);
	printf(",model=");
	prom_value(model);
	if (label) {
		printf(",%s=", label);
		prom_value(value);
	}
	putchar('}');
}

/*
 * Mode and table as state sets: 1 for the current state, 0 for the
 * others, so that a change is a value going down, not a series vanishing.
 */
static void prom_states(const struct stats_ctx *ctx, const char *name,
			const char *help, const char *label,
			const char *(*state_name)(uint32_t), bool is_mode)
{
	printf("# HELP cfgguard_%s %s\n# TYPE cfgguard_%s gauge\n", name, help, name);
	for (size_t i = 0; i < ctx->nr; i++) {
		const struct ctl_dev *dev = &ctx->devs[i];
		uint32_t cur = is_mode ? dev->mode : dev->source;

		/* enum cfgguard_mode and enum cfgguard_source have 3 each */
		for (uint32_t s = 0; s < 3; s++) {
			printf("cfgguard_%s", name);
			prom_labels(dev, label, state_name(s));
			printf(" %d\n", s == cur);
		}
	}
}

static void print_prometheus(const struct stats_ctx *ctx)
{
	for (size_t c = 0; c < sizeof(prom_counters) / sizeof(prom_counters[0]); c++) {
		printf("# HELP cfgguard_%s_total %s\n# TYPE cfgguard_%s_total counter\n",
		       prom_counters[c].name, prom_counters[c].help,
		       prom_counters[c].name);
		for (size_t i = 0; i < ctx->nr; i++) {
			printf("cfgguard_%s_total", prom_counters[c].name);
			prom_labels(&ctx->devs[i], NULL, NULL);
			printf(" %" PRIu64 "\n", ctx->devs[i].stats[prom_counters[c].stat]);
		}
	}
	prom_states(ctx, "device_mode",
		    "The device's mode: 1 for the current one of enforce, audit and off.",
		    "mode", mode_name, true);
	prom_states(ctx, "device_table",
		    "The table that guards the device: 1 for the current one of default, model and device.",
		    "table", source_name, false);
}

static int stats_one(const struct ctl_dev *dev, void *arg)
{
	struct stats_ctx *ctx = arg;

	if (ctx->prometheus) {
		if (ctx->nr == ctx->alloc) {
			size_t alloc = ctx->alloc ? 2 * ctx->alloc : 8;
			struct ctl_dev *devs = realloc(ctx->devs, alloc * sizeof(*devs));

			if (!devs) {
				ctx->oom = true;
				return 0;
			}
			ctx->devs = devs;
			ctx->alloc = alloc;
		}
		ctx->devs[ctx->nr++] = *dev;
	} else if (ctx->json) {
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
		} else if (!strcmp(argv[i], "--prometheus")) {
			ctx.prometheus = true;
		} else if (!strcmp(argv[i], "--reset")) {
			reset = true;
		} else if (!bdf && !key_parse(argv[i], &key) && !key.model) {
			bdf = key.bdf;
		} else {
			fprintf(stderr, "Usage: %s %s [<BDF>] [--json|--prometheus] [--reset]\n",
				prog_name, argv[0]);
			return 1;
		}
	}
	/* a scrape reads counters; resetting them is an operator's act */
	if (ctx.prometheus && (ctx.json || reset)) {
		fprintf(stderr, "--prometheus goes with neither --json nor --reset\n");
		return 1;
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
	if (ret)
		ipc_perror("Unable to read counters", &e);
	else if (ctx.oom)
		fprintf(stderr, "Unable to read counters: %s\n", strerror(ENOMEM));
	if (ret || ctx.oom) {
		free(ctx.devs);
		return 1;
	}
	if (ctx.json)
		printf("%s]\n", ctx.n ? "" : "[");
	if (ctx.prometheus)
		print_prometheus(&ctx);
	free(ctx.devs);
	return 0;
}
