// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The cfgguard authors.
 *
 * Events, from the bytes the kernel sent to the lines watch prints. The
 * comm in an event is whatever the VFIO user named its thread, and it
 * takes one prctl(PR_SET_NAME) to put a quote, a newline or a terminal
 * escape in it: every string an event carries is escaped on the way out.
 */
#include <endian.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/cfgguard.h>
#include <linux/genetlink.h>

#include "event.h"

/*
 * watch parses and prints a hundred thousand events a second: the
 * attributes are checked in one walk, without libnl's general parser and
 * its policy tables, which cost more than all the rest of an event.
 */

/* Each attribute's exact payload size; strings: their longest. */
static const uint8_t attr_size[CFGGUARD_A_EVENT_MAX + 1] = {
	[CFGGUARD_A_EVENT_BDF]		= CTL_BDF_SIZE,
	[CFGGUARD_A_EVENT_OP]		= 4,
	[CFGGUARD_A_EVENT_OFFSET]	= 2,
	[CFGGUARD_A_EVENT_SIZE]		= 2,
	[CFGGUARD_A_EVENT_VALUE]	= 4,
	[CFGGUARD_A_EVENT_RESULT]	= 4,
	[CFGGUARD_A_EVENT_MODE]		= 4,
	[CFGGUARD_A_EVENT_SOURCE]	= 4,
	[CFGGUARD_A_EVENT_PID]		= 4,
	[CFGGUARD_A_EVENT_COMM]		= EVENT_COMM_SIZE,
	[CFGGUARD_A_EVENT_TIMESTAMP]	= 8,
	[CFGGUARD_A_EVENT_SEQ]		= 8,
	[CFGGUARD_A_EVENT_SUPPRESSED]	= 8,
};

#define ATTR_BIT(type) (1u << (type))
#define STRING_ATTRS (ATTR_BIT(CFGGUARD_A_EVENT_BDF) | ATTR_BIT(CFGGUARD_A_EVENT_COMM))
/* every attribute but value */
#define REQUIRED_ATTRS ((ATTR_BIT(CFGGUARD_A_EVENT_MAX + 1) - 1) & \
			~ATTR_BIT(0) & ~ATTR_BIT(CFGGUARD_A_EVENT_PAD) & \
			~ATTR_BIT(CFGGUARD_A_EVENT_VALUE))

/* Whether an attribute of a known type has the size and shape it must. */
static bool attr_valid(const struct nlattr *nla, int type)
{
	int len = nla->nla_len - NLA_HDRLEN;

	if (!(ATTR_BIT(type) & STRING_ATTRS))
		return !attr_size[type] || len == attr_size[type];
	return len >= 1 && len <= attr_size[type] &&
	       ((const char *)nla + NLA_HDRLEN)[len - 1] == '\0';
}

static uint64_t attr_uint(const struct nlattr *nla, size_t size)
{
	const char *data = (const char *)nla + NLA_HDRLEN;
	uint64_t u64;
	uint32_t u32;
	uint16_t u16;

	switch (size) {
	case 2:
		memcpy(&u16, data, 2);
		return u16;
	case 4:
		memcpy(&u32, data, 4);
		return u32;
	default:
		memcpy(&u64, data, 8);
		return u64;
	}
}

/* The string without its NUL; attr_valid() saw it fits @dst. */
static void attr_string(char *dst, const struct nlattr *nla)
{
	memcpy(dst, (const char *)nla + NLA_HDRLEN, nla->nla_len - NLA_HDRLEN - 1);
}

int event_parse(const struct nlmsghdr *nlh, size_t len, struct ctl_event *ev)
{
	const struct nlattr *tb[CFGGUARD_A_EVENT_MAX + 1];
	const struct genlmsghdr *gnlh;
	const struct nlattr *nla;
	unsigned int seen = 0;
	int rem;

	if (len < NLMSG_HDRLEN || nlh->nlmsg_len > len ||
	    nlh->nlmsg_len < NLMSG_LENGTH(GENL_HDRLEN))
		return -EPROTO;
	gnlh = NLMSG_DATA(nlh);
	if (gnlh->cmd != CFGGUARD_CMD_ACCESS)
		return -ENOMSG;
	nla = (const struct nlattr *)((const char *)gnlh + GENL_HDRLEN);
	rem = nlh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);

	/*
	 * As the kernel walks attributes: the last of a type counts, types
	 * this tool does not know (a newer module's) are skipped, and one
	 * that overruns the message makes it malformed.
	 */
	for (; rem >= NLA_HDRLEN && nla->nla_len >= NLA_HDRLEN && nla->nla_len <= rem;
	     rem -= NLA_ALIGN(nla->nla_len),
	     nla = (const struct nlattr *)((const char *)nla + NLA_ALIGN(nla->nla_len))) {
		int type = nla->nla_type & NLA_TYPE_MASK;

		if (type > CFGGUARD_A_EVENT_MAX)
			continue;
		if (!attr_valid(nla, type))
			return -EPROTO;
		tb[type] = nla;
		seen |= ATTR_BIT(type);
	}
	if (rem > 0 || (seen & REQUIRED_ATTRS) != REQUIRED_ATTRS)
		return -EPROTO;

	memset(ev, 0, sizeof(*ev));
	attr_string(ev->bdf, tb[CFGGUARD_A_EVENT_BDF]);
	if (!ev->bdf[0])
		return -EPROTO;
	attr_string(ev->comm, tb[CFGGUARD_A_EVENT_COMM]);
	ev->op = attr_uint(tb[CFGGUARD_A_EVENT_OP], 4);
	ev->offset = attr_uint(tb[CFGGUARD_A_EVENT_OFFSET], 2);
	ev->size = attr_uint(tb[CFGGUARD_A_EVENT_SIZE], 2);
	ev->has_value = seen & ATTR_BIT(CFGGUARD_A_EVENT_VALUE);
	if (ev->has_value)
		ev->value = attr_uint(tb[CFGGUARD_A_EVENT_VALUE], 4);
	ev->result = attr_uint(tb[CFGGUARD_A_EVENT_RESULT], 4);
	ev->mode = attr_uint(tb[CFGGUARD_A_EVENT_MODE], 4);
	ev->source = attr_uint(tb[CFGGUARD_A_EVENT_SOURCE], 4);
	ev->pid = attr_uint(tb[CFGGUARD_A_EVENT_PID], 4);
	ev->timestamp = attr_uint(tb[CFGGUARD_A_EVENT_TIMESTAMP], 8);
	ev->seq = attr_uint(tb[CFGGUARD_A_EVENT_SEQ], 8);
	ev->suppressed = attr_uint(tb[CFGGUARD_A_EVENT_SUPPRESSED], 8);
	return 0;
}

/* A newer module's values print as "unknown", not as a failure. */
static const char *name_of(const char *const *names, unsigned int n, uint32_t v)
{
	return v < n ? names[v] : "unknown";
}

#define NAME(names, v) name_of(names, sizeof(names) / sizeof(names[0]), v)

static const char *const op_names[] = { "read", "write" };
static const char *const result_names[] = { "blocked", "masked", "audited" };
static const char *const mode_names[] = { "enforce", "audit", "off" };
static const char *const source_names[] = { "default", "model", "device" };

/* Length of the well-formed UTF-8 sequence at s (RFC 3629), 0 if none. */
static size_t utf8_len(const unsigned char *s, uint32_t *cp)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n;

	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		*cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		*cp = s[0] & 0x0f;
		if (s[0] == 0xe0)
			lo = 0xa0;	/* overlong */
		else if (s[0] == 0xed)
			hi = 0x9f;	/* surrogates */
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		*cp = s[0] & 0x07;
		if (s[0] == 0xf0)
			lo = 0x90;	/* overlong */
		else if (s[0] == 0xf4)
			hi = 0x8f;	/* past U+10FFFF */
	} else {
		return 0;
	}
	/* the NUL that ends the string is no continuation byte */
	for (size_t i = 1; i < n; i++) {
		if (s[i] < lo || s[i] > hi)
			return 0;
		*cp = *cp << 6 | (s[i] & 0x3f);
		lo = 0x80;
		hi = 0xbf;
	}
	return n;
}

/*
 * A JSON line is built in memory and written with one fwrite(): stdio's
 * per-call lock and printf's format parsing cost more than all the rest
 * of an event. Literals are copied by their known length.
 */
#define PUT(p, lit) (memcpy((p), (lit), sizeof(lit) - 1), (p) + sizeof(lit) - 1)

static char *put_str(char *p, const char *s)
{
	size_t n = strlen(s);

	memcpy(p, s, n);
	return p + n;
}

static char *put_u64(char *p, uint64_t v)
{
	char digits[20];
	int n = 0;

	do
		digits[n++] = '0' + v % 10;
	while (v /= 10);
	while (n)
		*p++ = digits[--n];
	return p;
}

static char *put_unicode_escape(char *p, uint32_t cp)
{
	static const char hex[] = "0123456789abcdef";

	p = PUT(p, "\\u");
	for (int shift = 12; shift >= 0; shift -= 4)
		*p++ = hex[cp >> shift & 0xf];
	return p;
}

/*
 * Valid UTF-8 passes as it is but for C1 controls and U+2028/U+2029,
 * which are escaped as themselves; a byte of no valid sequence becomes
 * \u00XX, which a reader sees as the Latin-1 character of that byte.
 * DEL is escaped too: JSON allows it raw, terminals do not. At most
 * JSON_STRING_MAX(strlen(s)) bytes.
 */
#define JSON_STRING_MAX(len) (6 * (len) + 2)

static char *put_json_string(char *p, const char *s)
{
	const unsigned char *c = (const unsigned char *)s;

	*p++ = '"';
	while (*c) {
		uint32_t cp;
		size_t n;

		if (*c >= 0x20 && *c < 0x7f && *c != '"' && *c != '\\') {
			*p++ = *c++;
			continue;
		}
		switch (*c) {
		case '"':
			p = PUT(p, "\\\"");
			break;
		case '\\':
			p = PUT(p, "\\\\");
			break;
		case '\b':
			p = PUT(p, "\\b");
			break;
		case '\f':
			p = PUT(p, "\\f");
			break;
		case '\n':
			p = PUT(p, "\\n");
			break;
		case '\r':
			p = PUT(p, "\\r");
			break;
		case '\t':
			p = PUT(p, "\\t");
			break;
		default:
			n = *c < 0x80 ? 0 : utf8_len(c, &cp);
			if (!n) {
				p = put_unicode_escape(p, *c);
				break;
			}
			if (cp < 0xa0 || cp == 0x2028 || cp == 0x2029) {
				p = put_unicode_escape(p, cp);
			} else {
				memcpy(p, c, n);
				p += n;
			}
			c += n;
			continue;
		}
		c++;
	}
	*p++ = '"';
	return p;
}

/*
 * The human line's escaper, into memory: at most 4 * strlen(s) bytes. No
 * control character, space, backslash or non-ASCII byte passes raw.
 */
static char *put_human(char *p, const char *s)
{
	static const char hex[] = "0123456789abcdef";

	for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
		if (*c > ' ' && *c < 0x7f && *c != '\\') {
			*p++ = *c;
			continue;
		}
		p = PUT(p, "\\x");
		*p++ = hex[*c >> 4];
		*p++ = hex[*c & 0xf];
	}
	return p;
}

/* The first @size - 1 bytes of @s, escaped; @size at most EVENT_TS_SIZE. */
_Static_assert(CTL_BDF_SIZE <= EVENT_TS_SIZE, "a bdf fits put_json_prefix()");
static char *put_json_prefix(char *p, const char *s, size_t size)
{
	char prefix[EVENT_TS_SIZE];
	size_t n = strnlen(s, size - 1);

	memcpy(prefix, s, n);
	prefix[n] = '\0';
	return put_json_string(p, prefix);
}

/* Literals, numbers and the escaped strings, each at its longest. */
#define EVENT_JSON_MAX (256 + 7 * 20 + JSON_STRING_MAX(EVENT_TS_SIZE) + \
			JSON_STRING_MAX(CTL_BDF_SIZE) + JSON_STRING_MAX(EVENT_COMM_SIZE))

void event_print_json(FILE *f, const struct ctl_event *ev, const char *ts)
{
	char line[EVENT_JSON_MAX], *p = line;

	p = PUT(p, "{\"event\":\"access\",\"ts\":");
	p = put_json_prefix(p, ts, EVENT_TS_SIZE);
	p = PUT(p, ",\"ktime_ns\":");
	p = put_u64(p, ev->timestamp);
	p = PUT(p, ",\"bdf\":");
	p = put_json_string(p, ev->bdf);
	p = PUT(p, ",\"op\":\"");
	p = put_str(p, NAME(op_names, ev->op));
	p = PUT(p, "\",\"offset\":");
	p = put_u64(p, ev->offset);
	p = PUT(p, ",\"size\":");
	p = put_u64(p, ev->size);
	if (ev->has_value) {
		p = PUT(p, ",\"value\":");
		p = put_u64(p, ev->value);
	}
	p = PUT(p, ",\"result\":\"");
	p = put_str(p, NAME(result_names, ev->result));
	p = PUT(p, "\",\"mode\":\"");
	p = put_str(p, NAME(mode_names, ev->mode));
	p = PUT(p, "\",\"table\":\"");
	p = put_str(p, NAME(source_names, ev->source));
	p = PUT(p, "\",\"pid\":");
	p = put_u64(p, ev->pid);
	p = PUT(p, ",\"comm\":");
	p = put_json_string(p, ev->comm);
	p = PUT(p, ",\"seq\":");
	p = put_u64(p, ev->seq);
	p = PUT(p, ",\"suppressed\":");
	p = put_u64(p, ev->suppressed);
	p = PUT(p, "}\n");
	fwrite(line, 1, p - line, f);
}

/*
 * The human line of an access and of lost events, without the receive
 * time: watch prints them after it, the journal takes them as MESSAGE.
 */
#define HUMAN_MAX (256 + 4 * CTL_BDF_SIZE + 4 * EVENT_COMM_SIZE)

static char *put_human_access(char *p, const struct ctl_event *ev)
{
	p = put_human(p, ev->bdf);
	p += sprintf(p, " %s 0x%03x+%u", NAME(op_names, ev->op), ev->offset,
		     ev->size);
	/* as wide as the access; a value comes with 4 bytes at most */
	if (ev->has_value)
		p += sprintf(p, " value=0x%0*x", ev->size <= 4 ? ev->size * 2 : 8,
			     ev->value);
	p += sprintf(p, " %s mode=%s table=%s pid=%u comm=",
		     NAME(result_names, ev->result), NAME(mode_names, ev->mode),
		     NAME(source_names, ev->source), ev->pid);
	p = put_human(p, ev->comm);
	p += sprintf(p, " seq=%" PRIu64, ev->seq);
	if (ev->suppressed)
		p += sprintf(p, " suppressed=%" PRIu64, ev->suppressed);
	return p;
}

/* bdf NULL: unknown (an overrun) */
static char *put_human_lost(char *p, const char *bdf, uint64_t count)
{
	if (!bdf)
		return PUT(p, "events lost: the receive buffer overflowed");
	p = put_human(p, bdf);
	return p + sprintf(p, " lost %" PRIu64 " events: the receive buffer overflowed",
			   count);
}

/* ts (its first EVENT_TS_SIZE - 1 bytes), a space and @body, in one fwrite() */
static void print_human_line(FILE *f, const char *ts, const char *body,
			     const char *end)
{
	char line[EVENT_TS_SIZE + HUMAN_MAX + 1], *p = line;
	size_t n = strnlen(ts, EVENT_TS_SIZE - 1);

	memcpy(p, ts, n);
	p += n;
	*p++ = ' ';
	memcpy(p, body, end - body);
	p += end - body;
	*p++ = '\n';
	fwrite(line, 1, p - line, f);
}

void event_print_human(FILE *f, const struct ctl_event *ev, const char *ts)
{
	char body[HUMAN_MAX];

	print_human_line(f, ts, body, put_human_access(body, ev));
}

void event_print_lost(FILE *f, bool json, const char *ts, const char *bdf,
		      uint64_t count)
{
	char line[EVENT_JSON_MAX], *p = line;

	if (!json) {
		char body[HUMAN_MAX];

		print_human_line(f, ts, body, put_human_lost(body, bdf, count));
		return;
	}
	p = PUT(p, "{\"event\":\"lost\",\"ts\":");
	p = put_json_prefix(p, ts, EVENT_TS_SIZE);
	p = PUT(p, ",\"bdf\":");
	if (bdf)
		p = put_json_prefix(p, bdf, CTL_BDF_SIZE);
	else
		p = PUT(p, "null");
	p = PUT(p, ",\"count\":");
	p = put_u64(p, count);
	p = PUT(p, "}\n");
	fwrite(line, 1, p - line, f);
}

/*
 * The journal's native protocol (systemd's JOURNAL_NATIVE_PROTOCOL.md):
 * "KEY=value\n" a field, or, for a value holding a newline, "KEY\n", the
 * value's length as a 64-bit little-endian number, the value and "\n".
 * The message IDs let `journalctl MESSAGE_ID=` find either kind at once.
 */
#define JOURNAL_ACCESS_ID "932af28157244ea8a9c1627d9b5f03d8"
#define JOURNAL_LOST_ID "c2fee1ade8364aff845082ae45fe678a"
#define JOURNAL_HEAD "SYSLOG_IDENTIFIER=cfgguard-watch\nMESSAGE_ID="

static char *put_field(char *p, const char *key, const char *value)
{
	size_t n = strlen(value);

	p = put_str(p, key);
	if (memchr(value, '\n', n)) {
		uint64_t le = htole64(n);

		*p++ = '\n';
		memcpy(p, &le, sizeof(le));
		p += sizeof(le);
	} else {
		*p++ = '=';
	}
	memcpy(p, value, n);
	p += n;
	*p++ = '\n';
	return p;
}

static char *put_field_u64(char *p, const char *key, uint64_t v)
{
	p = put_str(p, key);
	*p++ = '=';
	p = put_u64(p, v);
	*p++ = '\n';
	return p;
}

/* MESSAGE, the fields' names and numbers, bdf and comm once more raw */
_Static_assert(EVENT_JOURNAL_MAX >= HUMAN_MAX + 512 + CTL_BDF_SIZE + EVENT_COMM_SIZE + 8,
	       "an entry fits EVENT_JOURNAL_MAX");

size_t event_journal(char *buf, const struct ctl_event *ev)
{
	char *p = buf;

	/* a blocked or masked access is the guest touching what it may not */
	p = PUT(p, "PRIORITY=");
	*p++ = ev->result == CFGGUARD_RESULT_AUDITED ? '5' : '4';
	p = PUT(p, "\n" JOURNAL_HEAD JOURNAL_ACCESS_ID "\nMESSAGE=");
	p = put_human_access(p, ev);
	p = PUT(p, "\nCFGGUARD_EVENT=access\n");
	p = put_field_u64(p, "CFGGUARD_KTIME_NS", ev->timestamp);
	p = put_field(p, "CFGGUARD_BDF", ev->bdf);
	p = put_field(p, "CFGGUARD_OP", NAME(op_names, ev->op));
	p = put_field_u64(p, "CFGGUARD_OFFSET", ev->offset);
	p = put_field_u64(p, "CFGGUARD_SIZE", ev->size);
	if (ev->has_value)
		p = put_field_u64(p, "CFGGUARD_VALUE", ev->value);
	p = put_field(p, "CFGGUARD_RESULT", NAME(result_names, ev->result));
	p = put_field(p, "CFGGUARD_MODE", NAME(mode_names, ev->mode));
	p = put_field(p, "CFGGUARD_TABLE", NAME(source_names, ev->source));
	p = put_field_u64(p, "CFGGUARD_PID", ev->pid);
	p = put_field(p, "CFGGUARD_COMM", ev->comm);
	p = put_field_u64(p, "CFGGUARD_SEQ", ev->seq);
	p = put_field_u64(p, "CFGGUARD_SUPPRESSED", ev->suppressed);
	return p - buf;
}

size_t event_journal_lost(char *buf, const char *bdf, uint64_t count)
{
	char *p = buf;

	p = PUT(p, "PRIORITY=4\n" JOURNAL_HEAD JOURNAL_LOST_ID "\nMESSAGE=");
	p = put_human_lost(p, bdf, count);
	p = PUT(p, "\nCFGGUARD_EVENT=lost\n");
	if (bdf)
		p = put_field(p, "CFGGUARD_BDF", bdf);
	return put_field_u64(p, "CFGGUARD_COUNT", count) - buf;
}

static int dev_cmp(const void *bdf, const void *elem)
{
	return strcmp(bdf, (*(struct event_dev *const *)elem)->bdf);
}

struct event_dev *registry_find(const struct event_registry *reg,
				const char *bdf)
{
	struct event_dev **dev;

	if (!reg->nr)
		return NULL;
	dev = bsearch(bdf, reg->devs, reg->nr, sizeof(*reg->devs), dev_cmp);
	return dev ? *dev : NULL;
}

struct event_dev *registry_add(struct event_registry *reg, const char *bdf)
{
	struct event_dev *dev = registry_find(reg, bdf);
	size_t i;

	if (dev)
		return dev;
	/* a key cut short would be added again at every event */
	if (strlen(bdf) >= sizeof(dev->bdf))
		return NULL;
	if (reg->nr == reg->alloc) {
		size_t alloc = reg->alloc ? 2 * reg->alloc : 16;
		struct event_dev **devs = realloc(reg->devs, alloc * sizeof(*devs));

		if (!devs)
			return NULL;
		reg->devs = devs;
		reg->alloc = alloc;
	}
	dev = calloc(1, sizeof(*dev));
	if (!dev)
		return NULL;
	strcpy(dev->bdf, bdf);
	for (i = reg->nr; i > 0 && strcmp(reg->devs[i - 1]->bdf, bdf) > 0; i--)
		;
	memmove(&reg->devs[i + 1], &reg->devs[i],
		(reg->nr - i) * sizeof(*reg->devs));
	reg->devs[i] = dev;
	reg->nr++;
	return dev;
}

void registry_free(struct event_registry *reg)
{
	for (size_t i = 0; i < reg->nr; i++)
		free(reg->devs[i]);
	free(reg->devs);
	memset(reg, 0, sizeof(*reg));
}

uint64_t event_account(struct event_dev *dev, const struct ctl_event *ev)
{
	uint64_t gap;

	if (ev->seq <= dev->last_seq)
		return 0;
	gap = dev->last_seq ? ev->seq - dev->last_seq - 1 : 0;
	dev->last_seq = ev->seq;
	return gap > ev->suppressed ? gap - ev->suppressed : 0;
}
