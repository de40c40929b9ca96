// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The cfgguard authors.
 *
 * watch's handling of the event datagrams the kernel multicasts
 * (tools/event.c, tools/learn.c): parsed, accounted per device, learned
 * from, and printed both ways. The first input byte says how the rest
 * makes a datagram:
 *
 *	bit 0 clear: one message built here, its nlmsghdr (exact length, the
 *		family's type) and genlmsghdr (cmd: the second byte), the rest
 *		of the input its attributes
 *	bit 0 set: the rest of the input is the datagram, walked as
 *		watch's receive() walks it
 *
 * The datagram is a heap block of its exact size. Beyond not crashing,
 * event_parse() must agree with libnl's nla_parse() under the policy it
 * replaced (reference_parse() below) on every message, and the lines keep
 * event.h's promises to whoever reads them: a JSON line is
 * one valid JSON object in valid UTF-8 with every field once; a human
 * line is printable ASCII that splits into its fields at spaces, whatever
 * the comm and address the kernel relayed.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/cfgguard.h>
#include <netlink/attr.h>
#include <netlink/msg.h>

#include "event.h"
#include "fuzz.h"
#include "learn.h"

#define TS	"2026-11-24T02:43:14.665054Z"

static struct learn l;

/* Length of the UTF-8 sequence at s (RFC 3629), 0 if not one. */
CHECKER static size_t utf8_seq(const unsigned char *s, size_t n)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t len;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4;
	else
		return 0;
	if (s[0] == 0xe0)
		lo = 0xa0;
	else if (s[0] == 0xed)
		hi = 0x9f;
	else if (s[0] == 0xf0)
		lo = 0x90;
	else if (s[0] == 0xf4)
		hi = 0x8f;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++, lo = 0x80, hi = 0xbf)
		if (s[i] < lo || s[i] > hi)
			return 0;
	return len;
}

/* A JSON string at *p (RFC 8259), raw DEL refused as watch promises. */
CHECKER static bool json_str(const char **p, const char *end)
{
	const char *s = *p;

	if (s == end || *s++ != '"')
		return false;
	while (s < end && *s != '"') {
		unsigned char c = *s;
		size_t n;

		if (c < 0x20 || c == 0x7f)
			return false;
		if (c == '\\') {
			if (++s == end)
				return false;
			if (*s == 'u') {
				if (end - s < 5)
					return false;
				for (int i = 1; i <= 4; i++)
					if (!strchr("0123456789abcdefABCDEF", s[i]) || !s[i])
						return false;
				s += 5;
			} else if (*s && strchr("\"\\/bfnrt", *s)) {
				s++;
			} else {
				return false;
			}
			continue;
		}
		n = utf8_seq((const unsigned char *)s, end - s);
		if (!n)
			return false;
		s += n;
	}
	if (s == end)
		return false;
	*p = s + 1;
	return true;
}

/* A number without sign, fraction or exponent, as watch writes them. */
CHECKER static bool json_uint(const char **p, const char *end)
{
	const char *s = *p;

	if (s == end || *s < '0' || *s > '9' || (*s == '0' && s + 1 < end &&
						 s[1] >= '0' && s[1] <= '9'))
		return false;
	while (s < end && *s >= '0' && *s <= '9')
		s++;
	*p = s;
	return true;
}

/* One flat object and a newline, its keys those of names, each once. */
CHECKER static void check_json(const char *line, size_t len,
			       const char *const *names, unsigned int nr)
{
	const char *p = line, *end = line + len;
	bool seen[24] = { false };

	REQUIRE(nr <= 24);
	REQUIRE(len >= 3 && line[len - 1] == '\n' && *p++ == '{');
	end--;
	for (;;) {
		const char *key = p + 1;
		unsigned int i;

		REQUIRE(json_str(&p, end));
		for (i = 0; i < nr; i++)
			if ((size_t)(p - 1 - key) == strlen(names[i]) &&
			    !strncmp(key, names[i], p - 1 - key))
				break;
		REQUIRE(i < nr && !seen[i]);
		seen[i] = true;
		REQUIRE(p < end && *p++ == ':');
		if (p < end && *p == '"')
			REQUIRE(json_str(&p, end));
		else if (end - p >= 4 && !strncmp(p, "null", 4))
			p += 4;
		else
			REQUIRE(json_uint(&p, end));
		REQUIRE(p < end);
		if (*p == '}')
			break;
		REQUIRE(*p++ == ',');
	}
	REQUIRE(p + 1 == end);
}

/* Printable ASCII, one newline at its end, nr_spaces spaces. */
CHECKER static void check_human(const char *line, size_t len,
				unsigned int nr_spaces)
{
	unsigned int spaces = 0;

	REQUIRE(len && line[len - 1] == '\n');
	for (size_t i = 0; i + 1 < len; i++) {
		REQUIRE(line[i] >= 0x20 && line[i] < 0x7f);
		spaces += line[i] == ' ';
	}
	REQUIRE(spaces == nr_spaces);
}

static const char *const access_keys[] = {
	"event", "ts", "ktime_ns", "bdf", "op", "offset", "size", "value",
	"result", "mode", "table", "pid", "comm", "seq", "suppressed",
};
static const char *const lost_keys[] = { "event", "ts", "bdf", "count" };

static void print_event(const struct ctl_event *ev, uint64_t lost)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	f = open_memstream(&buf, &len);
	REQUIRE(f);
	event_print_json(f, ev, TS);
	REQUIRE(!fclose(f));
	check_json(buf, len, access_keys, 15);
	/* every key but value, which only a write of up to 4 bytes has */
	REQUIRE(strstr(buf, "\"value\":") ? ev->has_value : !ev->has_value);
	free(buf);

	f = open_memstream(&buf, &len);
	REQUIRE(f);
	event_print_human(f, ev, TS);
	REQUIRE(!fclose(f));
	check_human(buf, len, 9 + ev->has_value + !!ev->suppressed);
	free(buf);

	/* on the heap, of its documented size: ASan sees any overrun */
	buf = malloc(EVENT_JOURNAL_MAX);
	REQUIRE(buf);
	len = event_journal(buf, ev);
	REQUIRE(len <= EVENT_JOURNAL_MAX && buf[len - 1] == '\n');
	REQUIRE(!memcmp(buf, "PRIORITY=", 9));
	/* MESSAGE is one clean line: the human escaper's */
	for (const char *m = strstr(buf, "\nMESSAGE=") + 9; *m != '\n'; m++)
		REQUIRE(*m >= ' ' && *m < 0x7f);
	if (lost) {
		len = event_journal_lost(buf, ev->bdf, lost);
		REQUIRE(len <= EVENT_JOURNAL_MAX && buf[len - 1] == '\n');
	}
	free(buf);

	if (!lost)
		return;
	f = open_memstream(&buf, &len);
	REQUIRE(f);
	event_print_lost(f, true, TS, ev->bdf, lost);
	REQUIRE(!fclose(f));
	check_json(buf, len, lost_keys, 4);
	free(buf);
	f = open_memstream(&buf, &len);
	REQUIRE(f);
	event_print_lost(f, false, TS, ev->bdf, lost);
	REQUIRE(!fclose(f));
	check_human(buf, len, 8);
	free(buf);
}

/*
 * What event_parse() was before it walked the attributes itself, on
 * libnl's nla_parse() and a policy: the reference it must agree with.
 */
#define FIXED(t, n) { .type = (t), .minlen = (n), .maxlen = (n) }
static struct nla_policy reference_policy[CFGGUARD_A_EVENT_MAX + 1] = {
	[CFGGUARD_A_EVENT_BDF]		= { .type = NLA_STRING, .maxlen = CTL_BDF_SIZE },
	[CFGGUARD_A_EVENT_OP]		= FIXED(NLA_U32, 4),
	[CFGGUARD_A_EVENT_OFFSET]	= FIXED(NLA_U16, 2),
	[CFGGUARD_A_EVENT_SIZE]		= FIXED(NLA_U16, 2),
	[CFGGUARD_A_EVENT_VALUE]	= FIXED(NLA_U32, 4),
	[CFGGUARD_A_EVENT_RESULT]	= FIXED(NLA_U32, 4),
	[CFGGUARD_A_EVENT_MODE]		= FIXED(NLA_U32, 4),
	[CFGGUARD_A_EVENT_SOURCE]	= FIXED(NLA_U32, 4),
	[CFGGUARD_A_EVENT_PID]		= FIXED(NLA_U32, 4),
	[CFGGUARD_A_EVENT_COMM]		= { .type = NLA_STRING, .maxlen = EVENT_COMM_SIZE },
	[CFGGUARD_A_EVENT_TIMESTAMP]	= FIXED(NLA_U64, 8),
	[CFGGUARD_A_EVENT_SEQ]		= FIXED(NLA_U64, 8),
	[CFGGUARD_A_EVENT_SUPPRESSED]	= FIXED(NLA_U64, 8),
};

CHECKER static int reference_parse(const struct nlmsghdr *nlh, size_t len,
				   struct ctl_event *ev)
{
	static const int required[] = {
		CFGGUARD_A_EVENT_BDF, CFGGUARD_A_EVENT_OP, CFGGUARD_A_EVENT_OFFSET,
		CFGGUARD_A_EVENT_SIZE, CFGGUARD_A_EVENT_RESULT, CFGGUARD_A_EVENT_MODE,
		CFGGUARD_A_EVENT_SOURCE, CFGGUARD_A_EVENT_PID, CFGGUARD_A_EVENT_COMM,
		CFGGUARD_A_EVENT_TIMESTAMP, CFGGUARD_A_EVENT_SEQ,
		CFGGUARD_A_EVENT_SUPPRESSED,
	};
	struct nlattr *tb[CFGGUARD_A_EVENT_MAX + 1];
	const struct genlmsghdr *gnlh;
	const struct nlattr *nla;
	struct nlattr *attrs;
	int attrlen, rem;

	if (len < NLMSG_HDRLEN || nlh->nlmsg_len > len ||
	    nlh->nlmsg_len < NLMSG_LENGTH(GENL_HDRLEN))
		return -EPROTO;
	gnlh = nlmsg_data(nlh);
	if (gnlh->cmd != CFGGUARD_CMD_ACCESS)
		return -ENOMSG;
	attrs = (struct nlattr *)((char *)gnlh + GENL_HDRLEN);
	attrlen = nlh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
	nla_for_each_attr(nla, attrs, attrlen, rem)
		;
	if (rem > 0)
		return -EPROTO;
	if (nla_parse(tb, CFGGUARD_A_EVENT_MAX, attrs, attrlen, reference_policy))
		return -EPROTO;
	for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++)
		if (!tb[required[i]])
			return -EPROTO;
	memset(ev, 0, sizeof(*ev));
	nla_strlcpy(ev->bdf, tb[CFGGUARD_A_EVENT_BDF], sizeof(ev->bdf));
	if (!ev->bdf[0])
		return -EPROTO;
	nla_strlcpy(ev->comm, tb[CFGGUARD_A_EVENT_COMM], sizeof(ev->comm));
	ev->op = nla_get_u32(tb[CFGGUARD_A_EVENT_OP]);
	ev->offset = nla_get_u16(tb[CFGGUARD_A_EVENT_OFFSET]);
	ev->size = nla_get_u16(tb[CFGGUARD_A_EVENT_SIZE]);
	ev->has_value = tb[CFGGUARD_A_EVENT_VALUE];
	if (ev->has_value)
		ev->value = nla_get_u32(tb[CFGGUARD_A_EVENT_VALUE]);
	ev->result = nla_get_u32(tb[CFGGUARD_A_EVENT_RESULT]);
	ev->mode = nla_get_u32(tb[CFGGUARD_A_EVENT_MODE]);
	ev->source = nla_get_u32(tb[CFGGUARD_A_EVENT_SOURCE]);
	ev->pid = nla_get_u32(tb[CFGGUARD_A_EVENT_PID]);
	ev->timestamp = nla_get_u64(tb[CFGGUARD_A_EVENT_TIMESTAMP]);
	ev->seq = nla_get_u64(tb[CFGGUARD_A_EVENT_SEQ]);
	ev->suppressed = nla_get_u64(tb[CFGGUARD_A_EVENT_SUPPRESSED]);
	return 0;
}

/* watch's on_message(), with --learn's bookkeeping besides. */
static void on_message(struct event_registry *reg, const struct nlmsghdr *nlh,
		       size_t len, bool *first)
{
	struct event_dev *dev;
	struct ctl_event ev;
	uint64_t lost = 0;
	int ret;

	struct ctl_event ref;

	memset(&ev, 0xa5, sizeof(ev));
	memset(&ref, 0x5a, sizeof(ref));
	ret = event_parse(nlh, len, &ev);
	REQUIRE(ret == 0 || ret == -ENOMSG || ret == -EPROTO);
	REQUIRE(ret == reference_parse(nlh, len, &ref));
	if (ret)
		return;
	REQUIRE(!memcmp(&ev, &ref, sizeof(ev)));
	REQUIRE(ev.bdf[0] && memchr(ev.bdf, '\0', sizeof(ev.bdf)));
	REQUIRE(memchr(ev.comm, '\0', sizeof(ev.comm)));
	dev = registry_add(reg, ev.bdf);
	REQUIRE(dev && registry_find(reg, ev.bdf) == dev);
	lost = event_account(dev, &ev);
	REQUIRE(dev->last_seq >= ev.seq);
	if (*first) {
		learn_start(&l, dev->bdf, ev.seq ? ev.seq - 1 : 0,
			    (uint64_t[CTL_NR_STATS]){ 0 });
		*first = false;
	}
	learn_event(&l, &ev);
	print_event(&ev, lost);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct event_registry reg = { 0 };
	bool first = true;
	struct nlmsghdr *nlh;
	uint8_t *buf;
	int len;

	if (size < 2 || size > 65536)
		return 0;
	buf = fuzz_genl_message(data, size, data[0] & 1, &len);

	/* watch's receive() */
	for (nlh = (struct nlmsghdr *)buf; nlmsg_ok(nlh, len);
	     nlh = nlmsg_next(nlh, &len))
		if (nlh->nlmsg_type == FUZZ_FAMILY)
			on_message(&reg, nlh, len, &first);

	if (!first) {
		FILE *null = fopen("/dev/null", "w");

		REQUIRE(null);
		learn_stop(&l, l.highest, (uint64_t[CTL_NR_STATS]){ 0 });
		learn_drained(&l);
		learn_complete(&l, null);
		fclose(null);
	}
	registry_free(&reg);
	free(buf);
	return 0;
}
