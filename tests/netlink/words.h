/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The cfgguard authors.
 *
 * The attribute words of a cfgguard request, as tests write them:
 *
 *   bdf=<string> vendor=<n> device=<n> default=<n> size=<n> mode=<n>
 *   range=<start>,<len>,<action>[,<wmask>]   a well-formed range
 *   range-nolen=<start>,<action>             a range without its length
 *   attr<type>=<n>                           any u32 attribute, top level
 *   range-attr<type>=<n>                     a range holding only that
 *
 * nl-raw builds its message with libnl, nl-fuzz byte by byte; both parse
 * the words here and write through their own attr_writer.
 */
#ifndef CFGGUARD_TESTS_WORDS_H
#define CFGGUARD_TESTS_WORDS_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/cfgguard.h>

struct attr_writer {
	void *ctx;
	void (*put)(void *ctx, uint16_t type, const void *data, size_t len);
	void *(*nest_start)(void *ctx, uint16_t type);
	void (*nest_end)(void *ctx, void *nest);
};

static inline void word_put_u16(const struct attr_writer *w, uint16_t type,
				unsigned long v)
{
	uint16_t u16 = v;

	w->put(w->ctx, type, &u16, sizeof(u16));
}

static inline void word_put_u32(const struct attr_writer *w, uint16_t type,
				unsigned long v)
{
	uint32_t u32 = v;

	w->put(w->ctx, type, &u32, sizeof(u32));
}

static inline void word_put_range(const struct attr_writer *w, const char *val,
				  int fields)
{
	unsigned int start = 0, len = 0, action = 0, wmask = 0;
	void *nest = w->nest_start(w->ctx, CFGGUARD_A_DEV_RANGE);
	int n;

	if (fields == 2) {
		sscanf(val, "%i,%i", &start, &action);
	} else {
		n = sscanf(val, "%i,%i,%i,%i", &start, &len, &action, &wmask);
		fields = n == 4 ? 4 : 3;
	}
	word_put_u16(w, CFGGUARD_A_RANGE_START, start);
	if (fields > 2)
		word_put_u16(w, CFGGUARD_A_RANGE_LEN, len);
	word_put_u32(w, CFGGUARD_A_RANGE_ACTION, action);
	if (fields == 4)
		word_put_u32(w, CFGGUARD_A_RANGE_WMASK, wmask);
	w->nest_end(w->ctx, nest);
}

/* Writes one word's attribute; -1 if the word is not one of the above. */
static inline int put_word(const struct attr_writer *w, const char *word)
{
	const char *val = strchr(word, '=');
	size_t name_len = val ? (size_t)(val - word) : 0;
	unsigned int type;
	char name[32];

	if (!val || name_len >= sizeof(name))
		return -1;
	memcpy(name, word, name_len);
	name[name_len] = '\0';
	val++;
	if (!strcmp(name, "bdf")) {
		w->put(w->ctx, CFGGUARD_A_DEV_BDF, val, strlen(val) + 1);
	} else if (!strcmp(name, "vendor")) {
		word_put_u16(w, CFGGUARD_A_DEV_VENDOR, strtoul(val, NULL, 0));
	} else if (!strcmp(name, "device")) {
		word_put_u16(w, CFGGUARD_A_DEV_DEVICE, strtoul(val, NULL, 0));
	} else if (!strcmp(name, "size")) {
		word_put_u16(w, CFGGUARD_A_DEV_CFG_SIZE, strtoul(val, NULL, 0));
	} else if (!strcmp(name, "default")) {
		word_put_u32(w, CFGGUARD_A_DEV_DEFAULT_ACTION, strtoul(val, NULL, 0));
	} else if (!strcmp(name, "mode")) {
		word_put_u32(w, CFGGUARD_A_DEV_MODE, strtoul(val, NULL, 0));
	} else if (!strcmp(name, "range")) {
		word_put_range(w, val, 4);
	} else if (!strcmp(name, "range-nolen")) {
		word_put_range(w, val, 2);
	} else if (sscanf(name, "range-attr%u", &type) == 1) {
		void *nest = w->nest_start(w->ctx, CFGGUARD_A_DEV_RANGE);

		word_put_u32(w, type, strtoul(val, NULL, 0));
		w->nest_end(w->ctx, nest);
	} else if (sscanf(name, "attr%u", &type) == 1) {
		word_put_u32(w, type, strtoul(val, NULL, 0));
	} else {
		return -1;
	}
	return 0;
}

#endif
