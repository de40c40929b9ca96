// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The cfgguard authors.
 *
 * The table file format (see cfgguard-table(5)):
 *
 *	# comments run from '#' to the end of the line
 *	size 4096		optional: the device's config size, 256 or 4096
 *	default deny		optional, at most once: action for uncovered
 *				bytes; allow when absent
 *	0x00-0x3f allow		a range, start-end inclusive
 *	0x40+8 read-only	a range, start+length
 *	0x298 deny		one byte
 *	0xc8+2 allow wmask=0x0003
 *				a write mask: only these bits of a write reach
 *				the device (allow ranges of 1, 2 or 4 bytes)
 *
 * Numbers are decimal or 0x-prefixed hex. Actions: allow, read-only, deny.
 * Ranges may come in any order but must not overlap. Errors name the file,
 * the line, what is wrong and the offending token, and nothing is loaded.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "table.h"

#define TABLE_MAX_FILE	(1024 * 1024)
#define TABLE_MAX_LINE	255

static const char *const action_names[] = {
	[TABLE_ALLOW] = "allow",
	[TABLE_READ_ONLY] = "read-only",
	[TABLE_DENY] = "deny",
};

const char *table_action_name(enum table_action action)
{
	return action <= TABLE_DENY ? action_names[action] : "unknown";
}

struct parser {
	const char *name;
	unsigned int line;
	char *err;
	size_t err_len;
};

/*
 * The token may be any bytes of the file (a line too long is echoed before
 * its text is checked): each one that is not printable ASCII is shown as
 * \xNN, so a message never carries a control character to a terminal.
 */
static int fail(struct parser *p, const char *token, size_t token_len,
		const char *what, ...)
{
	char msg[160], safe[32 * 4 + 1];
	size_t n = 0;
	va_list ap;

	va_start(ap, what);
	vsnprintf(msg, sizeof(msg), what, ap);
	va_end(ap);
	if (token_len > 32)
		token_len = 32;
	for (size_t i = 0; token && i < token_len; i++) {
		unsigned char c = token[i];

		if (isprint(c))
			safe[n++] = c;
		else
			n += snprintf(safe + n, sizeof(safe) - n, "\\x%02x", c);
	}
	safe[n] = '\0';
	snprintf(p->err, p->err_len, "%s:%u: %s: '%s'", p->name, p->line,
		 msg, safe);
	return -1;
}

/* Decimal or 0x-hex, nothing else; false on junk or overflow past max. */
static bool parse_number(const char *s, size_t len, unsigned long max,
			 unsigned long *val)
{
	unsigned long v = 0;
	unsigned int base = 10;
	size_t i = 0;

	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
	}
	if (i == len)
		return false;
	for (; i < len; i++) {
		int d;

		if (isdigit((unsigned char)s[i]))
			d = s[i] - '0';
		else if (base == 16 && isxdigit((unsigned char)s[i]))
			d = tolower((unsigned char)s[i]) - 'a' + 10;
		else
			return false;
		v = v * base + d;
		if (v > max)
			return false;
	}
	*val = v;
	return true;
}

static bool parse_action(const char *s, size_t len, enum table_action *action)
{
	for (unsigned int a = TABLE_ALLOW; a <= TABLE_DENY; a++)
		if (strlen(action_names[a]) == len && !strncmp(s, action_names[a], len)) {
			*action = a;
			return true;
		}
	return false;
}

/* Splits a line into at most 4 words; false, with the 5th, if more. */
static bool split(char *line, const char *words[5], size_t lens[5],
		  unsigned int *n)
{
	char *s = line;

	*n = 0;
	for (;;) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s || *s == '#')
			return true;
		words[*n] = s;
		while (*s && *s != ' ' && *s != '\t' && *s != '#')
			s++;
		lens[*n] = s - words[*n];
		if (*n == 4)
			return false;
		(*n)++;
	}
}

static int parse_range(struct parser *p, struct table *t, const char **w,
		       size_t *l, unsigned int n)
{
	const char *sep = memchr(w[0], '-', l[0]);
	const char *plus = memchr(w[0], '+', l[0]);
	struct table_range *r;
	unsigned long start, end, len, mask;
	enum table_action action;

	if (sep || plus) {
		const char *second = (sep ? sep : plus) + 1;
		size_t first_len = (sep ? sep : plus) - w[0];

		if (!parse_number(w[0], first_len, TABLE_CFG_SPACE_MAX - 1, &start))
			return fail(p, w[0], first_len ? first_len : l[0], "bad offset");
		if (!parse_number(second, w[0] + l[0] - second, 0xffff, &len) ||
		    (sep && len < start) || (plus && !len))
			return fail(p, w[0], l[0], sep ? "bad range end" : "bad range length");
		end = sep ? len : start + len - 1;
	} else {
		if (!parse_number(w[0], l[0], TABLE_CFG_SPACE_MAX - 1, &start))
			return fail(p, w[0], l[0], "bad offset");
		end = start;
	}
	if (end >= TABLE_CFG_SPACE_MAX)
		return fail(p, w[0], l[0], "range ends past %u", TABLE_CFG_SPACE_MAX);
	if (n < 2)
		return fail(p, w[0], l[0], "missing action");
	if (!parse_action(w[1], l[1], &action))
		return fail(p, w[1], l[1], "unknown action");
	if (t->nr_ranges == TABLE_MAX_RANGES)
		return fail(p, w[0], l[0], "more than %u ranges", TABLE_MAX_RANGES);

	r = &t->ranges[t->nr_ranges];
	memset(r, 0, sizeof(*r));
	r->start = start;
	r->len = end - start + 1;
	r->action = action;
	r->line = p->line;
	if (n >= 3) {
		if (l[2] < 7 || strncmp(w[2], "wmask=", 6))
			return fail(p, w[2], l[2], "unknown word");
		if (!parse_number(w[2] + 6, l[2] - 6, 0xffffffff, &mask))
			return fail(p, w[2], l[2], "bad write mask");
		if (action == TABLE_DENY)
			return fail(p, w[2], l[2], "deny drops every write, a write mask is meaningless");
		if (action == TABLE_READ_ONLY)
			return fail(p, w[2], l[2], "read-only drops every write, a write mask is meaningless");
		if (r->len != 1 && r->len != 2 && r->len != 4)
			return fail(p, w[0], l[0], "a write mask needs a range of 1, 2 or 4 bytes");
		if (r->len < 4 && mask >> (8 * r->len))
			return fail(p, w[2], l[2], "write mask wider than its range");
		r->has_wmask = true;
		r->wmask = mask;
	}
	if (n == 4)
		return fail(p, w[3], l[3], "unknown word");
	t->nr_ranges++;
	return 0;
}

static int parse_line(struct parser *p, struct table *t, char *line,
		      bool *seen_default, bool *seen_size)
{
	const char *w[5];
	size_t l[5];
	unsigned int n;
	unsigned long size;

	for (char *c = line; *c; c++)
		if (!isprint((unsigned char)*c) && *c != '\t') {
			char byte[8];

			snprintf(byte, sizeof(byte), "\\x%02x", (unsigned char)*c);
			return fail(p, byte, strlen(byte), "not a text line");
		}
	if (!split(line, w, l, &n))
		return fail(p, w[4], l[4], "too many words");
	if (!n)
		return 0;

	if (l[0] == 7 && !strncmp(w[0], "default", 7)) {
		if (*seen_default)
			return fail(p, w[0], l[0], "a second default");
		if (n != 2)
			return fail(p, w[0], l[0], "default needs one action");
		if (!parse_action(w[1], l[1], &t->default_action))
			return fail(p, w[1], l[1], "unknown action");
		*seen_default = true;
		return 0;
	}
	if (l[0] == 4 && !strncmp(w[0], "size", 4)) {
		if (*seen_size)
			return fail(p, w[0], l[0], "a second size");
		if (n != 2 || !parse_number(w[1], l[1], TABLE_CFG_SPACE_MAX, &size) ||
		    (size != 256 && size != 4096))
			return fail(p, n == 2 ? w[1] : w[0], n == 2 ? l[1] : l[0],
				    "size must be 256 or 4096");
		t->cfg_size = size;
		t->cfg_size_line = p->line;
		*seen_size = true;
		return 0;
	}
	if (!isdigit((unsigned char)w[0][0]))
		return fail(p, w[0], l[0], "unknown word");
	return parse_range(p, t, w, l, n);
}

static int range_cmp(const void *a, const void *b)
{
	const struct table_range *ra = a, *rb = b;

	return (int)ra->start - (int)rb->start;
}

static int check(struct parser *p, struct table *t, bool seen_default)
{
	if (!t->nr_ranges && !seen_default) {
		p->line = 1;
		return fail(p, "", 0, "empty table");
	}
	qsort(t->ranges, t->nr_ranges, sizeof(t->ranges[0]), range_cmp);
	for (unsigned int i = 0; i < t->nr_ranges; i++) {
		const struct table_range *r = &t->ranges[i];
		char token[24];

		snprintf(token, sizeof(token), "0x%x+%u", r->start, r->len);
		p->line = r->line;
		if (t->cfg_size && r->start + r->len > t->cfg_size)
			return fail(p, token, strlen(token), "range ends past size %u",
				    t->cfg_size);
		if (i && r->start < t->ranges[i - 1].start + t->ranges[i - 1].len) {
			const struct table_range *a = &t->ranges[i - 1];

			/* name the later line, pointing back at the earlier */
			if (a->line > r->line) {
				p->line = a->line;
				snprintf(token, sizeof(token), "0x%x+%u", a->start, a->len);
				return fail(p, token, strlen(token),
					    "range overlaps line %u", r->line);
			}
			return fail(p, token, strlen(token), "range overlaps line %u",
				    a->line);
		}
	}
	return 0;
}

int table_parse_buffer(const char *buf, size_t len, const char *name,
		       struct table *table, char *err, size_t err_len)
{
	struct parser p = { .name = name, .err = err, .err_len = err_len };
	bool seen_default = false, seen_size = false;
	char line[TABLE_MAX_LINE + 2];
	size_t pos = 0;

	memset(table, 0, sizeof(*table));
	table->default_action = TABLE_ALLOW;
	while (pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t n = (nl ? (size_t)(nl - buf) : len) - pos;

		p.line++;
		if (n > TABLE_MAX_LINE)
			return fail(&p, buf + pos, n, "line longer than %u characters",
				    TABLE_MAX_LINE);
		if (memchr(buf + pos, '\0', n))
			return fail(&p, "\\x00", 4, "not a text line");
		memcpy(line, buf + pos, n);
		line[n] = '\0';
		if (n && line[n - 1] == '\r')
			line[n - 1] = '\0';
		if (parse_line(&p, table, line, &seen_default, &seen_size))
			return -1;
		pos += n + 1;
	}
	return check(&p, table, seen_default);
}

int table_parse(FILE *f, const char *name, struct table *table, char *err,
		size_t err_len)
{
	char *buf = malloc(TABLE_MAX_FILE + 1);
	size_t len;
	int ret;

	if (!buf) {
		snprintf(err, err_len, "%s: %s", name, strerror(ENOMEM));
		return -1;
	}
	len = fread(buf, 1, TABLE_MAX_FILE + 1, f);
	if (ferror(f)) {
		snprintf(err, err_len, "%s: %s", name, strerror(errno));
		ret = -1;
	} else if (len > TABLE_MAX_FILE) {
		snprintf(err, err_len, "%s: larger than %u bytes", name, TABLE_MAX_FILE);
		ret = -1;
	} else {
		ret = table_parse_buffer(buf, len, name, table, err, err_len);
	}
	free(buf);
	return ret;
}

void table_print(FILE *f, const struct table *table)
{
	fprintf(f, "default %s\n", table_action_name(table->default_action));
	if (table->cfg_size)
		fprintf(f, "size %u\n", table->cfg_size);
	for (unsigned int i = 0; i < table->nr_ranges; i++) {
		const struct table_range *r = &table->ranges[i];

		fprintf(f, "0x%03x-0x%03x %s", r->start, r->start + r->len - 1,
			table_action_name(r->action));
		if (r->has_wmask)
			fprintf(f, " wmask=0x%0*x", r->len * 2, r->wmask);
		fprintf(f, "\n");
	}
}

const char *table_source_name(const char *path)
{
	return strcmp(path, "-") ? path : "<stdin>";
}

struct table *table_read(const char *path, char *err, size_t err_len)
{
	struct table *table = calloc(1, sizeof(*table));
	FILE *f;
	int ret;

	if (!table) {
		snprintf(err, err_len, "%s: %s", table_source_name(path),
			 strerror(errno));
		return NULL;
	}
	f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	if (!f) {
		snprintf(err, err_len, "Unable to open `%s': %s", path,
			 strerror(errno));
		free(table);
		return NULL;
	}
	ret = table_parse(f, table_source_name(path), table, err, err_len);
	if (f != stdin)
		fclose(f);
	if (ret) {
		free(table);
		return NULL;
	}
	return table;
}
