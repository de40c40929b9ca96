// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The cfgguard authors.
 *
 * The table parser (tools/table.c) fed any bytes as a table file, through
 * both its entry points. Beyond not crashing, it keeps the promises
 * load-table and show rely on: an error is one line naming the file, with
 * no control character in it; a table it accepts is sorted, free of
 * overlaps, within its size, its masks where cfgguard-table(5) allows
 * them; and table_print() writes it back as a file that parses to the
 * same table.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "table.h"

#define NAME "fuzz.table"

static struct table table, again, via_file;
static unsigned long runs;

CHECKER static void check_error(const char *err)
{
	size_t n = strlen(err);

	REQUIRE(!strncmp(err, NAME ":", strlen(NAME ":")));
	for (size_t i = 0; i < n; i++)
		REQUIRE(err[i] >= 0x20 && err[i] < 0x7f);
}

CHECKER static void check_table(const struct table *t)
{
	unsigned int end = t->cfg_size ? t->cfg_size : TABLE_CFG_SPACE_MAX;

	REQUIRE(t->default_action <= TABLE_DENY);
	REQUIRE(!t->cfg_size || t->cfg_size == 256 || t->cfg_size == 4096);
	REQUIRE(t->nr_ranges <= TABLE_MAX_RANGES);
	for (unsigned int i = 0; i < t->nr_ranges; i++) {
		const struct table_range *r = &t->ranges[i];

		REQUIRE(r->action <= TABLE_DENY);
		REQUIRE(r->len && r->start + r->len <= end);
		REQUIRE(!i || r->start >= t->ranges[i - 1].start +
				       t->ranges[i - 1].len);
		if (r->has_wmask) {
			REQUIRE(r->action == TABLE_ALLOW);
			REQUIRE(r->len == 1 || r->len == 2 || r->len == 4);
			REQUIRE(r->len == 4 || !(r->wmask >> (8 * r->len)));
		} else {
			REQUIRE(!r->wmask);
		}
	}
}

/* The same table, line numbers apart. */
CHECKER static bool same(const struct table *a, const struct table *b)
{
	if (a->default_action != b->default_action ||
	    a->cfg_size != b->cfg_size || a->nr_ranges != b->nr_ranges)
		return false;
	for (unsigned int i = 0; i < a->nr_ranges; i++) {
		const struct table_range *x = &a->ranges[i], *y = &b->ranges[i];

		if (x->start != y->start || x->len != y->len ||
		    x->action != y->action || x->has_wmask != y->has_wmask ||
		    x->wmask != y->wmask)
			return false;
	}
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[256], err_file[256];
	char *printed = NULL;
	size_t printed_len = 0;
	FILE *f;
	int ret;

	ret = table_parse_buffer((const char *)data, size, NAME, &table, err,
				 sizeof(err));
	REQUIRE(ret == 0 || ret == -1);

	/*
	 * load-table's way in, a FILE read whole into a fresh 1 MiB buffer:
	 * under ASan that costs as much as ten parses, so one input in 64
	 * takes it, the first always (a crash input replays it).
	 */
	if (runs++ % 64 == 0) {
		/* fmemopen() may refuse an empty buffer */
		f = size ? fmemopen((void *)data, size, "r") :
			   fopen("/dev/null", "r");
		REQUIRE(f);
		REQUIRE(table_parse(f, NAME, &via_file, err_file,
				    sizeof(err_file)) == ret);
		fclose(f);
		if (ret)
			REQUIRE(!strcmp(err, err_file));
		else
			REQUIRE(same(&table, &via_file));
	}

	if (ret) {
		check_error(err);
		return 0;
	}
	check_table(&table);

	f = open_memstream(&printed, &printed_len);
	REQUIRE(f);
	table_print(f, &table);
	REQUIRE(!fclose(f));
	REQUIRE(table_parse_buffer(printed, printed_len, NAME, &again, err,
				   sizeof(err)) == 0);
	REQUIRE(same(&table, &again));
	free(printed);
	return 0;
}
