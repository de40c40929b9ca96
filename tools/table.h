/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The cfgguard authors.
 *
 * Table files: the operator's text form of a valid-region table. This file
 * knows nothing of netlink, so the CLI, the unit tests and a fuzzer share it.
 */
#ifndef CFGGUARD_TABLE_H
#define CFGGUARD_TABLE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define TABLE_CFG_SPACE_MAX	4096
#define TABLE_MAX_RANGES	1024

enum table_action {
	TABLE_ALLOW,		/* reads and writes reach the device */
	TABLE_READ_ONLY,	/* reads reach the device, writes are dropped */
	TABLE_DENY,		/* reads return zeros, writes are dropped */
};

struct table_range {
	uint16_t start;
	uint16_t len;
	enum table_action action;
	bool has_wmask;
	uint32_t wmask;		/* bits a write may change; len <= 4 */
	unsigned int line;	/* where it was written, for messages */
};

struct table {
	enum table_action default_action;
	unsigned int cfg_size;	/* from a "size" line, else 0: any device */
	unsigned int cfg_size_line;	/* that line, for messages */
	unsigned int nr_ranges;
	struct table_range ranges[TABLE_MAX_RANGES];	/* sorted by start */
};

/*
 * Parses a whole table file. On error, writes one line
 * "<name>:<line>: <what is wrong>: '<token>'" into err and returns -1;
 * the table is then unspecified.
 */
int table_parse(FILE *f, const char *name, struct table *table,
		char *err, size_t err_len);
int table_parse_buffer(const char *buf, size_t len, const char *name,
		       struct table *table, char *err, size_t err_len);

/*
 * Reads the table file at path ("-": standard input, named "<stdin>" in
 * messages) into a new table, which the caller frees. On error, NULL and
 * one line in err: the parser's, or why the file could not be read.
 */
struct table *table_read(const char *path, char *err, size_t err_len);

/* The name table_read() gives path in its messages. */
const char *table_source_name(const char *path);

/* Writes a table back in the canonical file format. */
void table_print(FILE *f, const struct table *table);

const char *table_action_name(enum table_action action);

#endif /* CFGGUARD_TABLE_H */
