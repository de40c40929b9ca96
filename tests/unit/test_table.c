// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The cfgguard authors.
 *
 * The table file parser: good files, the canonical round trip, and every
 * kind of bad input, each with its exact message.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "table.h"

static struct table table, again;
static char err[512];

static int parse(const char *text)
{
	err[0] = '\0';
	return table_parse_buffer(text, strlen(text), "t.table", &table, err,
				  sizeof(err));
}

static void refused(const char *text, const char *msg)
{
	CHECK_EQ(parse(text), -1);
	CHECK_STR(err, msg);
}

static void test_good(void)
{
	CHECK_EQ(parse("# e1000e\n"
		       "size 4096\n"
		       "default deny   # the rest\n"
		       "0x40+8 read-only\n"
		       "0x00-0x3f allow\n"
		       "\n"
		       "\t0x298 deny\n"
		       "0xc8+2 allow wmask=0x0003\n"
		       "665+1 allow\r\n"), 0);
	CHECK_EQ(table.default_action, TABLE_DENY);
	CHECK_EQ(table.cfg_size, 4096);
	CHECK_EQ(table.nr_ranges, 5);
	CHECK_EQ(table.ranges[0].start, 0);	/* sorted */
	CHECK_EQ(table.ranges[0].len, 0x40);
	CHECK_EQ(table.ranges[0].line, 5);
	CHECK_EQ(table.ranges[1].start, 0x40);
	CHECK_EQ(table.ranges[1].action, TABLE_READ_ONLY);
	CHECK_EQ(table.ranges[2].start, 0xc8);
	CHECK(table.ranges[2].has_wmask);
	CHECK_EQ(table.ranges[2].wmask, 3);
	CHECK_EQ(table.ranges[3].start, 0x298);
	CHECK_EQ(table.ranges[3].len, 1);
	CHECK_EQ(table.ranges[4].start, 0x299);	/* decimal */
	CHECK_EQ(table.ranges[4].line, 9);
}

static void test_defaults(void)
{
	CHECK_EQ(parse("0xfff allow\n"), 0);
	CHECK_EQ(table.default_action, TABLE_ALLOW);
	CHECK_EQ(table.cfg_size, 0);
	CHECK_EQ(parse("default deny\n"), 0);	/* no ranges: fine */
	CHECK_EQ(table.nr_ranges, 0);
	CHECK_EQ(parse("0x0-0xfff deny\n"), 0);
	CHECK_EQ(table.ranges[0].len, 4096);
}

static void test_round_trip(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	CHECK_EQ(parse("default read-only\nsize 256\n0x10+4 deny\n0x20+2 allow wmask=0x0f0f\n"), 0);
	f = open_memstream(&buf, &len);
	table_print(f, &table);
	fclose(f);
	CHECK_STR(buf, "default read-only\nsize 256\n0x010-0x013 deny\n0x020-0x021 allow wmask=0x0f0f\n");
	CHECK_EQ(table_parse_buffer(buf, len, "printed", &again, err, sizeof(err)), 0);
	for (unsigned int i = 0; i < table.nr_ranges; i++)
		again.ranges[i].line = table.ranges[i].line;
	CHECK(!memcmp(&table, &again, sizeof(table)));
	free(buf);
}

static void test_bad(void)
{
	refused("default allow\n0x1g deny\n", "t.table:2: bad offset: '0x1g'");
	refused("0x deny\n", "t.table:1: bad offset: '0x'");
	refused("4096 deny\n", "t.table:1: bad offset: '4096'");
	refused("0x10-0x8 deny\n", "t.table:1: bad range end: '0x10-0x8'");
	refused("0x10+0 deny\n", "t.table:1: bad range length: '0x10+0'");
	refused("0xff0+32 deny\n", "t.table:1: range ends past 4096: '0xff0+32'");
	refused("0xf00-0x1000 deny\n", "t.table:1: range ends past 4096: '0xf00-0x1000'");
	refused("size 256\n0x100 deny\n", "t.table:2: range ends past size 256: '0x100+1'");
	refused("size 512\n", "t.table:1: size must be 256 or 4096: '512'");
	refused("0x40 alow\n", "t.table:1: unknown action: 'alow'");
	refused("0x40\n", "t.table:1: missing action: '0x40'");
	refused("deny 0x40\n", "t.table:1: unknown word: 'deny'");
	refused("0x40 deny extra\n", "t.table:1: unknown word: 'extra'");
	refused("0x40 allow wmask=0xff extra\n", "t.table:1: unknown word: 'extra'");
	refused("0x40 allow a b c d\n", "t.table:1: too many words: 'c'");
	refused("default deny\ndefault allow\n", "t.table:2: a second default: 'default'");
	refused("default\n", "t.table:1: default needs one action: 'default'");
	refused("", "t.table:1: empty table: ''");
	refused("# only a comment\n\n", "t.table:1: empty table: ''");
	refused("0x40+8 deny\n0x44+4 allow\n", "t.table:2: range overlaps line 1: '0x44+4'");
	refused("0x44+4 allow\n0x40+8 deny\n", "t.table:2: range overlaps line 1: '0x40+8'");
	refused("0x40+3 allow wmask=0xff\n", "t.table:1: a write mask needs a range of 1, 2 or 4 bytes: '0x40+3'");
	refused("0x40+2 allow wmask=0x10000\n", "t.table:1: write mask wider than its range: 'wmask=0x10000'");
	refused("0x40 deny wmask=0x1\n", "t.table:1: deny drops every write, a write mask is meaningless: 'wmask=0x1'");
	refused("0x40 read-only wmask=0x1\n", "t.table:1: read-only drops every write, a write mask is meaningless: 'wmask=0x1'");
	refused("0x40 allow wmask=zz\n", "t.table:1: bad write mask: 'wmask=zz'");
	refused("0x40 allow\x01\n", "t.table:1: not a text line: '\\x01'");
	refused("-5 deny\n", "t.table:1: unknown word: '-5'");
	refused("0x40 d\xc3\xa9ny\n", "t.table:1: not a text line: '\\xc3'");
}

static void test_limits(void)
{
	static char big[64 * 1024];
	size_t n = 0;
	char line[300];

	memset(line, 'a', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\0';
	refused(line, "t.table:1: line longer than 255 characters: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'");

	CHECK_EQ(table_parse_buffer("0x40 deny\n\0", 11, "t.table", &table, err,
				    sizeof(err)), -1);
	CHECK_STR(err, "t.table:2: not a text line: '\\x00'");

	for (unsigned int i = 0; i <= TABLE_MAX_RANGES; i++)
		n += snprintf(big + n, sizeof(big) - n, "%u deny\n", i * 2);
	CHECK_EQ(table_parse_buffer(big, n, "t.table", &table, err, sizeof(err)), -1);
	CHECK_STR(err, "t.table:1025: more than 1024 ranges: '2048'");
}

/* Whatever is wrong with a line, no byte of it reaches the terminal raw. */
static void test_safe_messages(void)
{
	static char buf[300];
	const char head[] = "\x1b[2J\r\0\x9b";
	size_t n = sizeof(head) - 1;

	/* too long, and the length is checked before the text */
	memcpy(buf, head, n);
	memset(buf + n, 'a', sizeof(buf) - n);
	CHECK_EQ(table_parse_buffer(buf, sizeof(buf), "t.table", &table, err,
				    sizeof(err)), -1);
	CHECK_STR(err, "t.table:1: line longer than 255 characters: '\\x1b[2J\\x0d\\x00\\x9baaaaaaaaaaaaaaaaaaaaaaaaa'");
	for (const char *c = err; *c; c++)
		CHECK(*c >= 0x20 && *c < 0x7f);

	/* the same at the 32nd byte, where the echo ends */
	memset(buf, 'a', sizeof(buf));
	buf[31] = '\x1b';
	CHECK_EQ(table_parse_buffer(buf, sizeof(buf), "t.table", &table, err,
				    sizeof(err)), -1);
	CHECK_STR(err, "t.table:1: line longer than 255 characters: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\\x1b'");
}

/* 1 MB of garbage fails at its first bad line, whatever the bytes. */
static void test_garbage(void)
{
	size_t len = 1024 * 1024;
	char *buf = malloc(len);
	FILE *f;

	CHECK(buf != NULL);
	srand(42);
	for (unsigned int round = 0; round < 20; round++) {
		for (size_t i = 0; i < len; i++)
			buf[i] = rand();
		CHECK_EQ(table_parse_buffer(buf, len, "garbage", &table, err, sizeof(err)), -1);
		CHECK(!strncmp(err, "garbage:", 8));
		for (const char *c = err; *c; c++)
			CHECK(*c >= 0x20 && *c < 0x7f);
	}
	/* the file reader: the same, and a file past the size limit */
	f = tmpfile();
	CHECK(f != NULL);
	fwrite(buf, 1, len, f);
	rewind(f);
	CHECK_EQ(table_parse(f, "garbage", &table, err, sizeof(err)), -1);
	CHECK(!strncmp(err, "garbage:", 8));
	fwrite(buf, 1, 16, f);
	rewind(f);
	CHECK_EQ(table_parse(f, "huge", &table, err, sizeof(err)), -1);
	CHECK_STR(err, "huge: larger than 1048576 bytes");
	fclose(f);
	free(buf);
}

int main(void)
{
	test_good();
	test_defaults();
	test_round_trip();
	test_bad();
	test_limits();
	test_safe_messages();
	test_garbage();
	printf("table: all checks passed\n");
	return 0;
}
