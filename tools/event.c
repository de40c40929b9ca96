// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The cfgguard authors.
 *
 * Events, from the bytes the kernel sent to the lines watch prints. The
 * comm in an event is whatever the VFIO user named its thread, and it
 * takes one prctl(PR_SET_NAME) to put a quote, a newline or a terminal
 * escape in it: every string an event carries is escaped on the way out.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <linux/cfgguard.h>
#include <linux/genetlink.h>

#include "event.h"

static const struct nla_policy event_policy[CFGGUARD_A_EVENT_MAX + 1] = {
	[CFGGUARD_A_EVENT_BDF]		= { .type = NLA_STRING, .maxlen = CTL_BDF_SIZE },
	[CFGGUARD_A_EVENT_OP]		= CTL_NLA_FIXED(NLA_U32, 4),
	[CFGGUARD_A_EVENT_OFFSET]	= CTL_NLA_FIXED(NLA_U16, 2),
	[CFGGUARD_A_EVENT_SIZE]		= CTL_NLA_FIXED(NLA_U16, 2),
	[CFGGUARD_A_EVENT_VALUE]	= CTL_NLA_FIXED(NLA_U32, 4),
	[CFGGUARD_A_EVENT_RESULT]	= CTL_NLA_FIXED(NLA_U32, 4),
	[CFGGUARD_A_EVENT_MODE]		= CTL_NLA_FIXED(NLA_U32, 4),
	[CFGGUARD_A_EVENT_SOURCE]	= CTL_NLA_FIXED(NLA_U32, 4),
	[CFGGUARD_A_EVENT_PID]		= CTL_NLA_FIXED(NLA_U32, 4),
	[CFGGUARD_A_EVENT_COMM]		= { .type = NLA_STRING, .maxlen = EVENT_COMM_SIZE },
	[CFGGUARD_A_EVENT_TIMESTAMP]	= CTL_NLA_FIXED(NLA_U64, 8),
	[CFGGUARD_A_EVENT_SEQ]		= CTL_NLA_FIXED(NLA_U64, 8),
	[CFGGUARD_A_EVENT_SUPPRESSED]	= CTL_NLA_FIXED(NLA_U64, 8),
};

static const int event_required[] = {
	CFGGUARD_A_EVENT_BDF, CFGGUARD_A_EVENT_OP, CFGGUARD_A_EVENT_OFFSET,
	CFGGUARD_A_EVENT_SIZE, CFGGUARD_A_EVENT_RESULT, CFGGUARD_A_EVENT_MODE,
	CFGGUARD_A_EVENT_SOURCE, CFGGUARD_A_EVENT_PID, CFGGUARD_A_EVENT_COMM,
	CFGGUARD_A_EVENT_TIMESTAMP, CFGGUARD_A_EVENT_SEQ,
	CFGGUARD_A_EVENT_SUPPRESSED,
};

int event_parse(const struct nlmsghdr *nlh, size_t len, struct ctl_event *ev)
{
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

	/* nla_parse stops quietly at an attribute that overruns the message */
	nla_for_each_attr(nla, attrs, attrlen, rem)
		;
	if (rem > 0)
		return -EPROTO;
	if (nla_parse(tb, CFGGUARD_A_EVENT_MAX, attrs, attrlen, event_policy))
		return -EPROTO;
	for (size_t i = 0; i < sizeof(event_required) / sizeof(event_required[0]); i++)
		if (!tb[event_required[i]])
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
 * Valid UTF-8 passes as it is but for C1 controls and U+2028/U+2029,
 * which are escaped as themselves; a byte of no valid sequence becomes
 * \u00XX, which a reader sees as the Latin-1 character of that byte.
 * DEL is escaped too: JSON allows it raw, terminals do not.
 */
void json_string(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', f);
	while (*p) {
		uint32_t cp;
		size_t n;

		switch (*p) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\b':
			fputs("\\b", f);
			break;
		case '\f':
			fputs("\\f", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		default:
			n = *p < 0x80 ? 1 : utf8_len(p, &cp);
			if (*p < 0x20 || *p == 0x7f || !n) {
				fprintf(f, "\\u%04x", *p);
			} else if (*p < 0x80) {
				fputc(*p, f);
			} else {
				if (cp < 0xa0 || cp == 0x2028 || cp == 0x2029)
					fprintf(f, "\\u%04x", (unsigned int)cp);
				else
					fwrite(p, 1, n, f);
				p += n;
				continue;
			}
		}
		p++;
	}
	fputc('"', f);
}

void human_string(FILE *f, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p > ' ' && *p < 0x7f && *p != '\\')
			fputc(*p, f);
		else
			fprintf(f, "\\x%02x", *p);
}

void event_print_json(FILE *f, const struct ctl_event *ev, const char *ts)
{
	fputs("{\"event\":\"access\",\"ts\":", f);
	json_string(f, ts);
	fprintf(f, ",\"ktime_ns\":%" PRIu64 ",\"bdf\":", ev->timestamp);
	json_string(f, ev->bdf);
	fprintf(f, ",\"op\":\"%s\",\"offset\":%u,\"size\":%u",
		NAME(op_names, ev->op), ev->offset, ev->size);
	if (ev->has_value)
		fprintf(f, ",\"value\":%u", ev->value);
	fprintf(f, ",\"result\":\"%s\",\"mode\":\"%s\",\"table\":\"%s\",\"pid\":%u,\"comm\":",
		NAME(result_names, ev->result), NAME(mode_names, ev->mode),
		NAME(source_names, ev->source), ev->pid);
	json_string(f, ev->comm);
	fprintf(f, ",\"seq\":%" PRIu64 ",\"suppressed\":%" PRIu64 "}\n",
		ev->seq, ev->suppressed);
}

void event_print_human(FILE *f, const struct ctl_event *ev, const char *ts)
{
	fprintf(f, "%s ", ts);
	human_string(f, ev->bdf);
	fprintf(f, " %s 0x%03x+%u", NAME(op_names, ev->op), ev->offset, ev->size);
	/* as wide as the access; a value comes with 4 bytes at most */
	if (ev->has_value)
		fprintf(f, " value=0x%0*x", ev->size <= 4 ? ev->size * 2 : 8,
			ev->value);
	fprintf(f, " %s mode=%s table=%s pid=%u comm=",
		NAME(result_names, ev->result), NAME(mode_names, ev->mode),
		NAME(source_names, ev->source), ev->pid);
	human_string(f, ev->comm);
	fprintf(f, " seq=%" PRIu64, ev->seq);
	if (ev->suppressed)
		fprintf(f, " suppressed=%" PRIu64, ev->suppressed);
	fputc('\n', f);
}

void event_print_lost(FILE *f, bool json, const char *ts, const char *bdf,
		      uint64_t count)
{
	if (json) {
		fputs("{\"event\":\"lost\",\"ts\":", f);
		json_string(f, ts);
		fputs(",\"bdf\":", f);
		if (bdf)
			json_string(f, bdf);
		else
			fputs("null", f);
		fprintf(f, ",\"count\":%" PRIu64 "}\n", count);
	} else if (bdf) {
		fprintf(f, "%s ", ts);
		human_string(f, bdf);
		fprintf(f, " lost %" PRIu64 " events: the receive buffer overflowed\n",
			count);
	} else {
		fprintf(f, "%s events lost: the receive buffer overflowed\n", ts);
	}
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
