// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The cfgguard authors.
 *
 * watch's event parsing, formatting and accounting (tools/event.c), fed
 * generic netlink messages built with libnl as the kernel builds them, and
 * then broken: attributes missing, short, long, unterminated, overrunning
 * the message. The comm is the VFIO user's to choose: a forged one must
 * not forge a field, and no byte of it may reach a terminal raw.
 */
#include <endian.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <linux/cfgguard.h>

#include "check.h"
#include "event.h"

#define FAMILY 0x20
#define TS "2026-11-24T02:43:14.665054Z"

static const struct ctl_event base = {
	.bdf = "0000:00:10.0",
	.op = CFGGUARD_OP_WRITE,
	.offset = 0x281,
	.size = 1,
	.has_value = true,
	.value = 0x5a,
	.result = CFGGUARD_RESULT_BLOCKED,
	.mode = CFGGUARD_MODE_ENFORCE,
	.source = CFGGUARD_SOURCE_DEVICE,
	.pid = 212,
	.comm = "vfio-cfg",
	.timestamp = 12036587438ULL,
	.seq = 6,
	.suppressed = 0,
};

/* An attribute to replace with raw bytes, or to leave out (len < 0). */
struct bad {
	int type;
	const void *data;
	int len;
};

static int put(struct nl_msg *msg, const struct bad *bad, int type,
	       const void *data, int len)
{
	if (bad && bad->type == type) {
		if (bad->len < 0)
			return 0;
		data = bad->data;
		len = bad->len;
	}
	return nla_put(msg, type, len, data);
}

/* The attributes in the kernel's order (module/events.c). */
static struct nl_msg *build_cmd(const struct ctl_event *ev, const struct bad *bad,
				uint8_t cmd)
{
	struct nl_msg *msg = nlmsg_alloc();

	CHECK(msg != NULL);
	CHECK(genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, FAMILY, 0, 0, cmd,
			  CFGGUARD_FAMILY_VERSION) != NULL);
	CHECK_EQ(put(msg, bad, CFGGUARD_A_EVENT_BDF, ev->bdf, strlen(ev->bdf) + 1) ||
		 put(msg, bad, CFGGUARD_A_EVENT_OP, &ev->op, 4) ||
		 put(msg, bad, CFGGUARD_A_EVENT_OFFSET, &ev->offset, 2) ||
		 put(msg, bad, CFGGUARD_A_EVENT_SIZE, &ev->size, 2) ||
		 (ev->has_value &&
		  put(msg, bad, CFGGUARD_A_EVENT_VALUE, &ev->value, 4)) ||
		 put(msg, bad, CFGGUARD_A_EVENT_RESULT, &ev->result, 4) ||
		 put(msg, bad, CFGGUARD_A_EVENT_MODE, &ev->mode, 4) ||
		 put(msg, bad, CFGGUARD_A_EVENT_SOURCE, &ev->source, 4) ||
		 put(msg, bad, CFGGUARD_A_EVENT_PID, &ev->pid, 4) ||
		 put(msg, bad, CFGGUARD_A_EVENT_COMM, ev->comm, strlen(ev->comm) + 1) ||
		 put(msg, bad, CFGGUARD_A_EVENT_TIMESTAMP, &ev->timestamp, 8) ||
		 put(msg, bad, CFGGUARD_A_EVENT_SEQ, &ev->seq, 8) ||
		 put(msg, bad, CFGGUARD_A_EVENT_SUPPRESSED, &ev->suppressed, 8), 0);
	return msg;
}

static struct nl_msg *build(const struct ctl_event *ev, const struct bad *bad)
{
	return build_cmd(ev, bad, CFGGUARD_CMD_ACCESS);
}

static int parse_msg(struct nl_msg *msg, struct ctl_event *ev)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	int ret = event_parse(nlh, nlh->nlmsg_len, ev);

	nlmsg_free(msg);
	return ret;
}

/* Parses what build() makes of ev, which must parse. */
static struct ctl_event roundtrip(const struct ctl_event *ev)
{
	struct ctl_event out;

	CHECK_EQ(parse_msg(build(ev, NULL), &out), 0);
	return out;
}

static char *format(const struct ctl_event *ev, bool json)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	CHECK(f != NULL);
	if (json)
		event_print_json(f, ev, TS);
	else
		event_print_human(f, ev, TS);
	fclose(f);
	return buf;
}

static void check_format(const struct ctl_event *ev, bool json, const char *want)
{
	char *got = format(ev, json);

	CHECK_STR(got, want);
	free(got);
}

/*
 * Exactly one line, its only control character the newline ending it;
 * JSON may carry valid UTF-8, the human line ASCII only.
 */
static void check_one_line(const char *s, bool ascii)
{
	size_t len = strlen(s);

	CHECK(len > 0 && s[len - 1] == '\n');
	for (size_t i = 0; i + 1 < len; i++) {
		unsigned char c = s[i];

		CHECK(c >= 0x20 && c != 0x7f);
		CHECK(!ascii || c < 0x7f);
	}
}

#define check_one_clean_line(s) check_one_line(s, true)

/* What watch printed before the split, byte for byte: VM tests grep it. */
static void test_formats(void)
{
	struct ctl_event ev = roundtrip(&base);

	CHECK(!memcmp(&ev, &base, sizeof(ev)));
	check_format(&ev, false, TS " 0000:00:10.0 write 0x281+1 value=0x5a blocked mode=enforce table=device pid=212 comm=vfio-cfg seq=6\n");
	check_format(&ev, true, "{\"event\":\"access\",\"ts\":\"" TS "\",\"ktime_ns\":12036587438,"
		     "\"bdf\":\"0000:00:10.0\",\"op\":\"write\",\"offset\":641,\"size\":1,\"value\":90,"
		     "\"result\":\"blocked\",\"mode\":\"enforce\",\"table\":\"device\",\"pid\":212,"
		     "\"comm\":\"vfio-cfg\",\"seq\":6,\"suppressed\":0}\n");

	ev.op = CFGGUARD_OP_READ;
	ev.has_value = false;
	ev.size = 4;
	ev.offset = 0x280;
	ev.suppressed = 7;
	ev.result = 9;	/* a newer module's */
	ev = roundtrip(&ev);
	CHECK(!ev.has_value);
	check_format(&ev, false, TS " 0000:00:10.0 read 0x280+4 unknown mode=enforce table=device pid=212 comm=vfio-cfg seq=6 suppressed=7\n");
	check_format(&ev, true, "{\"event\":\"access\",\"ts\":\"" TS "\",\"ktime_ns\":12036587438,"
		     "\"bdf\":\"0000:00:10.0\",\"op\":\"read\",\"offset\":640,\"size\":4,"
		     "\"result\":\"unknown\",\"mode\":\"enforce\",\"table\":\"device\",\"pid\":212,"
		     "\"comm\":\"vfio-cfg\",\"seq\":6,\"suppressed\":7}\n");
}

static void test_lost_lines(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	event_print_lost(f, false, TS, "0000:00:10.0", 2);
	event_print_lost(f, false, TS, NULL, 0);
	event_print_lost(f, true, TS, "0000:00:10.0", 2);
	event_print_lost(f, true, TS, NULL, 0);
	event_print_lost(f, false, TS, "a b\n", 1);
	fclose(f);
	CHECK_STR(buf, TS " 0000:00:10.0 lost 2 events: the receive buffer overflowed\n"
		  TS " events lost: the receive buffer overflowed\n"
		  "{\"event\":\"lost\",\"ts\":\"" TS "\",\"bdf\":\"0000:00:10.0\",\"count\":2}\n"
		  "{\"event\":\"lost\",\"ts\":\"" TS "\",\"bdf\":null,\"count\":0}\n"
		  TS " a\\x20b\\x0a lost 1 events: the receive buffer overflowed\n");
	free(buf);
}

/*
 * The journal's reading of an entry (its native protocol): each field a
 * valid name, once, and as the protocol's binary form when it holds a
 * newline. Returns the value of @key, NUL-terminated in @out.
 */
static bool journal_field(const char *entry, size_t len, const char *key,
			  char *out, size_t out_size)
{
	const char *p = entry, *end = entry + len;
	bool found = false;
	char seen[64][32];
	int nseen = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', end - p), *eq;
		size_t name_len, value_len;
		const char *value;

		CHECK(nl);
		eq = memchr(p, '=', nl - p);
		name_len = (eq ? eq : nl) - p;
		CHECK(name_len > 0 && name_len < 32 && p[0] != '_');
		for (size_t i = 0; i < name_len; i++)
			CHECK((p[i] >= 'A' && p[i] <= 'Z') || (p[i] >= '0' && p[i] <= '9') ||
			      p[i] == '_');
		for (int i = 0; i < nseen; i++)
			CHECK(strlen(seen[i]) != name_len || memcmp(seen[i], p, name_len));
		CHECK(nseen < 64);
		memcpy(seen[nseen], p, name_len);
		seen[nseen++][name_len] = '\0';
		if (eq) {
			value = eq + 1;
			value_len = nl - value;
			p = nl + 1;
		} else {
			uint64_t le;

			CHECK(end - nl >= 9);
			memcpy(&le, nl + 1, 8);
			value_len = le64toh(le);
			value = nl + 9;
			CHECK(value_len <= (size_t)(end - value) - 1 && value[value_len] == '\n');
			/* the binary form only where the text form cannot do */
			CHECK(memchr(value, '\n', value_len));
			p = value + value_len + 1;
		}
		if (strlen(key) == name_len && !memcmp(key, seen[nseen - 1], name_len)) {
			CHECK(value_len < out_size);
			memcpy(out, value, value_len);
			out[value_len] = '\0';
			found = true;
		}
	}
	return found;
}

static void check_journal(const struct ctl_event *ev, const char *want, size_t want_len)
{
	char entry[EVENT_JOURNAL_MAX + 1];
	size_t len = event_journal(entry, ev);

	CHECK(len <= EVENT_JOURNAL_MAX);
	CHECK_EQ(len, want_len);
	CHECK(!memcmp(entry, want, len));
}

#define CHECK_JOURNAL(ev, lit) check_journal(ev, lit, sizeof(lit) - 1)

/* watch --journal's entries, byte for byte, and hostile ones field by field */
static void test_journal(void)
{
	struct ctl_event ev = base;
	char entry[EVENT_JOURNAL_MAX], value[EVENT_JOURNAL_MAX];
	size_t len;

	CHECK_JOURNAL(&ev, "PRIORITY=4\nSYSLOG_IDENTIFIER=cfgguard-watch\n"
		      "MESSAGE_ID=932af28157244ea8a9c1627d9b5f03d8\n"
		      "MESSAGE=0000:00:10.0 write 0x281+1 value=0x5a blocked mode=enforce table=device pid=212 comm=vfio-cfg seq=6\n"
		      "CFGGUARD_EVENT=access\nCFGGUARD_KTIME_NS=12036587438\nCFGGUARD_BDF=0000:00:10.0\n"
		      "CFGGUARD_OP=write\nCFGGUARD_OFFSET=641\nCFGGUARD_SIZE=1\nCFGGUARD_VALUE=90\n"
		      "CFGGUARD_RESULT=blocked\nCFGGUARD_MODE=enforce\nCFGGUARD_TABLE=device\n"
		      "CFGGUARD_PID=212\nCFGGUARD_COMM=vfio-cfg\nCFGGUARD_SEQ=6\nCFGGUARD_SUPPRESSED=0\n");

	ev.op = CFGGUARD_OP_READ;
	ev.has_value = false;
	ev.size = 4;
	ev.offset = 0x280;
	ev.result = CFGGUARD_RESULT_AUDITED;
	ev.mode = CFGGUARD_MODE_AUDIT;
	ev.suppressed = 7;
	strcpy(ev.comm, "a\nb=c");
	CHECK_JOURNAL(&ev, "PRIORITY=5\nSYSLOG_IDENTIFIER=cfgguard-watch\n"
		      "MESSAGE_ID=932af28157244ea8a9c1627d9b5f03d8\n"
		      "MESSAGE=0000:00:10.0 read 0x280+4 audited mode=audit table=device pid=212 comm=a\\x0ab=c seq=6 suppressed=7\n"
		      "CFGGUARD_EVENT=access\nCFGGUARD_KTIME_NS=12036587438\nCFGGUARD_BDF=0000:00:10.0\n"
		      "CFGGUARD_OP=read\nCFGGUARD_OFFSET=640\nCFGGUARD_SIZE=4\n"
		      "CFGGUARD_RESULT=audited\nCFGGUARD_MODE=audit\nCFGGUARD_TABLE=device\n"
		      "CFGGUARD_PID=212\nCFGGUARD_COMM\n\x05\0\0\0\0\0\0\0a\nb=c\nCFGGUARD_SEQ=6\nCFGGUARD_SUPPRESSED=7\n");

	/* every byte a comm can hold, at its longest, and the longest bdf */
	for (int c = 1; c < 256; c++) {
		ev = base;
		memset(ev.comm, c, sizeof(ev.comm) - 1);
		ev.comm[sizeof(ev.comm) - 1] = '\0';
		memset(ev.bdf, c == '\n' ? 'f' : c, sizeof(ev.bdf) - 1);
		ev.bdf[sizeof(ev.bdf) - 1] = '\0';
		ev.seq = ev.suppressed = ev.timestamp = UINT64_MAX;
		len = event_journal(entry, &ev);
		CHECK(len <= EVENT_JOURNAL_MAX);
		CHECK(journal_field(entry, len, "CFGGUARD_COMM", value, sizeof(value)));
		CHECK_STR(value, ev.comm);
		CHECK(journal_field(entry, len, "CFGGUARD_BDF", value, sizeof(value)));
		CHECK_STR(value, ev.bdf);
		CHECK(journal_field(entry, len, "CFGGUARD_SEQ", value, sizeof(value)));
		CHECK_STR(value, "18446744073709551615");
		CHECK(journal_field(entry, len, "MESSAGE", value, sizeof(value)));
		strcat(value, "\n");
		check_one_clean_line(value);
	}

	len = event_journal_lost(entry, "0000:00:10.0", 2);
	CHECK_EQ(len, sizeof("PRIORITY=4\nSYSLOG_IDENTIFIER=cfgguard-watch\n"
			     "MESSAGE_ID=c2fee1ade8364aff845082ae45fe678a\n"
			     "MESSAGE=0000:00:10.0 lost 2 events: the receive buffer overflowed\n"
			     "CFGGUARD_EVENT=lost\nCFGGUARD_BDF=0000:00:10.0\nCFGGUARD_COUNT=2\n") - 1);
	CHECK(!memcmp(entry, "PRIORITY=4\nSYSLOG_IDENTIFIER=cfgguard-watch\n"
		      "MESSAGE_ID=c2fee1ade8364aff845082ae45fe678a\n"
		      "MESSAGE=0000:00:10.0 lost 2 events: the receive buffer overflowed\n"
		      "CFGGUARD_EVENT=lost\nCFGGUARD_BDF=0000:00:10.0\nCFGGUARD_COUNT=2\n", len));
	len = event_journal_lost(entry, NULL, 0);
	CHECK(journal_field(entry, len, "MESSAGE", value, sizeof(value)));
	CHECK_STR(value, "events lost: the receive buffer overflowed");
	CHECK(!journal_field(entry, len, "CFGGUARD_BDF", value, sizeof(value)));
	CHECK(journal_field(entry, len, "CFGGUARD_COUNT", value, sizeof(value)));
	CHECK_STR(value, "0");
}

/*
 * A strict parser's view, when python3 is there: each line of json must
 * parse, with "result" "blocked" and "comm" the bytes of the hex line
 * alike, read as UTF-8 where they are and as Latin-1 bytes where not.
 */
static const char verify_py[] =
	"import json, sys\n"
	"def latin1(e):\n"
	"    return (''.join(chr(b) for b in e.object[e.start:e.end]), e.end)\n"
	"import codecs\n"
	"codecs.register_error('latin1', latin1)\n"
	"lines = open(sys.argv[1], encoding='utf-8').read().splitlines()\n"
	"comms = open(sys.argv[2]).read().split()\n"
	"assert len(lines) == len(comms), (len(lines), len(comms))\n"
	"for line, comm in zip(lines, comms):\n"
	"    o = json.loads(line)\n"
	"    want = bytes.fromhex(comm).decode('utf-8', 'latin1')\n"
	"    assert o['result'] == 'blocked', line\n"
	"    assert o['comm'] == want, (line, want)\n"
	"    assert o['bdf'] == '0000:00:10.0', line\n"
	"print('python3: %d lines parse strictly' % len(lines))\n";

struct strict {
	char json[64], hex[64], py[64];
	FILE *jf, *hf;
	unsigned int n;
};

static void strict_open(struct strict *s)
{
	int fd;

	strcpy(s->json, "/tmp/test_event.json.XXXXXX");
	strcpy(s->hex, "/tmp/test_event.hex.XXXXXX");
	strcpy(s->py, "/tmp/test_event.py.XXXXXX");
	CHECK((fd = mkstemp(s->json)) >= 0);
	CHECK((s->jf = fdopen(fd, "w")) != NULL);
	CHECK((fd = mkstemp(s->hex)) >= 0);
	CHECK((s->hf = fdopen(fd, "w")) != NULL);
	s->n = 0;
}

static void strict_add(struct strict *s, const struct ctl_event *ev)
{
	event_print_json(s->jf, ev, TS);
	for (const unsigned char *p = (const unsigned char *)ev->comm; *p; p++)
		fprintf(s->hf, "%02x", *p);
	fputc('\n', s->hf);
	s->n++;
}

static void strict_check(struct strict *s)
{
	char cmd[256];
	int fd, status;

	fclose(s->jf);
	fclose(s->hf);
	CHECK((fd = mkstemp(s->py)) >= 0);
	CHECK(write(fd, verify_py, sizeof(verify_py) - 1) == sizeof(verify_py) - 1);
	close(fd);
	snprintf(cmd, sizeof(cmd), "python3 %s %s %s", s->py, s->json, s->hex);
	fflush(stdout);
	status = system(cmd);
	unlink(s->json);
	unlink(s->hex);
	unlink(s->py);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
		printf("event: no python3, %u JSON lines checked by text only\n", s->n);
		return;
	}
	CHECK_EQ(status, 0);
}

/* prctl(PR_SET_NAME, "x\",\"result\":\"al") must not make "result" "al". */
static void test_forged_comm(struct strict *s)
{
	struct ctl_event ev = base;
	char *line;

	strcpy(ev.comm, "x\",\"result\":\"al");
	ev = roundtrip(&ev);
	CHECK_STR(ev.comm, "x\",\"result\":\"al");
	line = format(&ev, true);
	CHECK(strstr(line, ",\"comm\":\"x\\\",\\\"result\\\":\\\"al\",\"seq\":6,") != NULL);
	/* one "result" key: the real one */
	CHECK(strstr(line, "\"result\":\"blocked\"") != NULL);
	CHECK(strstr(strstr(line, "\"result\":") + 1, "\"result\":") == NULL);
	free(line);
	strict_add(s, &ev);
	check_format(&ev, false, TS " 0000:00:10.0 write 0x281+1 value=0x5a blocked mode=enforce table=device pid=212 comm=x\",\"result\":\"al seq=6\n");

	/* the human line's fields split at spaces: a comm cannot add one */
	strcpy(ev.comm, "CPU 0/KVM seq=1");
	check_format(&ev, false, TS " 0000:00:10.0 write 0x281+1 value=0x5a blocked mode=enforce table=device pid=212 comm=CPU\\x200/KVM\\x20seq=1 seq=6\n");
	strict_add(s, &ev);
}

static void test_control_comm(struct strict *s)
{
	static const struct {
		const char *comm, *json, *human;
	} cases[] = {
		{ "a\nb\tc\x01" "d\x7f" "e\xff", "a\\nb\\tc\\u0001d\\u007fe\\u00ff",
		  "a\\x0ab\\x09c\\x01d\\x7fe\\xff" },
		{ "\r\b\f\x1b[2J\\\"", "\\r\\b\\f\\u001b[2J\\\\\\\"",
		  "\\x0d\\x08\\x0c\\x1b[2J\\x5c\"" },
		/* valid UTF-8 passes; its C1 controls and U+2028 do not */
		{ "qemu-\xc3\xa4", "qemu-\xc3\xa4", "qemu-\\xc3\\xa4" },
		{ "\xc2\x9b" "1m\xe2\x80\xa8", "\\u009b1m\\u2028", "\\xc2\\x9b1m\\xe2\\x80\\xa8" },
		/* overlong, surrogate, cut short, past U+10FFFF, lone continuation */
		{ "\xc0\xaf", "\\u00c0\\u00af", "\\xc0\\xaf" },
		{ "\xed\xa0\x80", "\\u00ed\\u00a0\\u0080", "\\xed\\xa0\\x80" },
		{ "\xe2\x82" "a", "\\u00e2\\u0082a", "\\xe2\\x82a" },
		{ "\xf4\x90\x80\x80", "\\u00f4\\u0090\\u0080\\u0080", "\\xf4\\x90\\x80\\x80" },
		{ "\x80\xf0\x9f\x98\x80", "\\u0080\xf0\x9f\x98\x80", "\\x80\\xf0\\x9f\\x98\\x80" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ctl_event ev = base;
		char want[512];
		char *line;

		snprintf(ev.comm, sizeof(ev.comm), "%s", cases[i].comm);
		ev = roundtrip(&ev);
		CHECK_STR(ev.comm, cases[i].comm);

		line = format(&ev, true);
		snprintf(want, sizeof(want), ",\"comm\":\"%s\",\"seq\":6,", cases[i].json);
		if (!strstr(line, want)) {
			fprintf(stderr, "case %zu: %s lacks %s\n", i, line, want);
			exit(1);
		}
		free(line);
		strict_add(s, &ev);

		line = format(&ev, false);
		snprintf(want, sizeof(want), " comm=%s seq=6\n", cases[i].human);
		CHECK(strstr(line, want) != NULL);
		check_one_clean_line(line);
		free(line);
	}
}

/* Any bytes at all: the human line stays one clean line, JSON parses. */
static void test_random_comm(struct strict *s)
{
	srand(7);
	for (unsigned int round = 0; round < 500; round++) {
		struct ctl_event ev = base;
		size_t len = 1 + rand() % (EVENT_COMM_SIZE - 1);
		char *line;

		for (size_t i = 0; i < len; i++)
			ev.comm[i] = 1 + rand() % 255;
		ev.comm[len] = '\0';
		ev = roundtrip(&ev);
		line = format(&ev, false);
		check_one_clean_line(line);
		free(line);
		line = format(&ev, true);
		check_one_line(line, false);
		free(line);
		strict_add(s, &ev);
	}
}

/* Domains past 0xffff: 13 and 16 characters, whole everywhere. */
static void test_long_bdf(void)
{
	static const char *const bdfs[] = { "10000:00:10.0", "ffffffff:ff:1f.7" };
	struct event_registry reg = { 0 };

	for (size_t i = 0; i < 2; i++) {
		struct ctl_event ev = base;
		struct event_dev *dev;
		char want[128];
		char *line;

		strcpy(ev.bdf, bdfs[i]);
		ev = roundtrip(&ev);
		CHECK_STR(ev.bdf, bdfs[i]);
		line = format(&ev, false);
		snprintf(want, sizeof(want), TS " %s write 0x281+1 ", bdfs[i]);
		CHECK(!strncmp(line, want, strlen(want)));
		free(line);
		line = format(&ev, true);
		snprintf(want, sizeof(want), "\"bdf\":\"%s\",", bdfs[i]);
		CHECK(strstr(line, want) != NULL);
		free(line);

		dev = registry_add(&reg, ev.bdf);
		CHECK(dev != NULL);
		CHECK_STR(dev->bdf, bdfs[i]);
		CHECK(registry_find(&reg, bdfs[i]) == dev);
	}
	CHECK_EQ(reg.nr, 2);
	/* one that could only be cut short is refused, not mangled */
	CHECK(registry_add(&reg, "100000000:00:10.0") == NULL);
	CHECK_EQ(reg.nr, 2);
	registry_free(&reg);
}

/* SR-IOV: hundreds of VFs, each tracked on its own. */
static void test_registry(void)
{
	struct event_registry reg = { 0 };
	struct event_dev *devs[100];
	char bdf[CTL_BDF_SIZE];

	for (unsigned int i = 0; i < 100; i++) {
		/* out of order, and across domains */
		unsigned int k = (i * 37) % 100;

		snprintf(bdf, sizeof(bdf), "%04x:%02x:%02x.%u", k % 3 ? 0 : 0x10000 + k,
			 k, k % 32, k % 8);
		devs[k] = registry_add(&reg, bdf);
		CHECK(devs[k] != NULL);
		CHECK_STR(devs[k]->bdf, bdf);
	}
	CHECK_EQ(reg.nr, 100);
	for (unsigned int k = 0; k < 100; k++) {
		struct ctl_event ev = base;

		snprintf(bdf, sizeof(bdf), "%04x:%02x:%02x.%u", k % 3 ? 0 : 0x10000 + k,
			 k, k % 32, k % 8);
		CHECK(registry_find(&reg, bdf) == devs[k]);
		CHECK(registry_add(&reg, bdf) == devs[k]);
		for (unsigned int j = 0; j < k; j++)
			CHECK(devs[j] != devs[k]);
		/* each its own sequence: no device's gap is another's */
		ev.seq = k + 1;
		CHECK_EQ(event_account(devs[k], &ev), 0);
		CHECK_EQ(devs[k]->last_seq, k + 1);
	}
	for (size_t i = 1; i < reg.nr; i++)
		CHECK(strcmp(reg.devs[i - 1]->bdf, reg.devs[i]->bdf) < 0);
	CHECK_EQ(reg.nr, 100);
	CHECK(registry_find(&reg, "0000:ff:00.0") == NULL);
	registry_free(&reg);
}

static const int required[] = {
	CFGGUARD_A_EVENT_BDF, CFGGUARD_A_EVENT_OP, CFGGUARD_A_EVENT_OFFSET,
	CFGGUARD_A_EVENT_SIZE, CFGGUARD_A_EVENT_RESULT, CFGGUARD_A_EVENT_MODE,
	CFGGUARD_A_EVENT_SOURCE, CFGGUARD_A_EVENT_PID, CFGGUARD_A_EVENT_COMM,
	CFGGUARD_A_EVENT_TIMESTAMP, CFGGUARD_A_EVENT_SEQ,
	CFGGUARD_A_EVENT_SUPPRESSED,
};

static void test_missing(void)
{
	struct ctl_event ev;

	for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++) {
		struct bad bad = { .type = required[i], .len = -1 };

		memset(&ev, 0x55, sizeof(ev));
		if (parse_msg(build(&base, &bad), &ev) != -EPROTO) {
			fprintf(stderr, "an event without attribute %d parsed\n",
				required[i]);
			exit(1);
		}
	}
	/* value is for writes only */
	{
		struct bad bad = { .type = CFGGUARD_A_EVENT_VALUE, .len = -1 };

		CHECK_EQ(parse_msg(build(&base, &bad), &ev), 0);
		CHECK(!ev.has_value);
	}
	/* another command is no event, and no error either */
	CHECK_EQ(parse_msg(build_cmd(&base, NULL, CFGGUARD_CMD_DEV_GET), &ev), -ENOMSG);
}

static void test_sizes(void)
{
	static const uint8_t zeros[32];
	static const struct {
		int type, good;
	} fixed[] = {
		{ CFGGUARD_A_EVENT_OP, 4 }, { CFGGUARD_A_EVENT_OFFSET, 2 },
		{ CFGGUARD_A_EVENT_SIZE, 2 }, { CFGGUARD_A_EVENT_VALUE, 4 },
		{ CFGGUARD_A_EVENT_RESULT, 4 }, { CFGGUARD_A_EVENT_MODE, 4 },
		{ CFGGUARD_A_EVENT_SOURCE, 4 }, { CFGGUARD_A_EVENT_PID, 4 },
		{ CFGGUARD_A_EVENT_TIMESTAMP, 8 }, { CFGGUARD_A_EVENT_SEQ, 8 },
		{ CFGGUARD_A_EVENT_SUPPRESSED, 8 },
	};
	char long_comm[EVENT_COMM_SIZE + 1], unterminated[] = { 'v', 'f', 'i', 'o' };
	struct ctl_event ev;

	/* every fixed-size attribute, one byte short, a byte over, doubled, empty */
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
		int lens[] = { fixed[i].good - 1, fixed[i].good + 1, 2 * fixed[i].good, 0 };

		for (size_t j = 0; j < 4; j++) {
			struct bad bad = { fixed[i].type, zeros, lens[j] };

			if (parse_msg(build(&base, &bad), &ev) != -EPROTO) {
				fprintf(stderr, "attribute %d of %d bytes parsed\n",
					fixed[i].type, lens[j]);
				exit(1);
			}
		}
	}

	/* strings: terminated inside the attribute, within their field */
	{
		struct bad bad = { CFGGUARD_A_EVENT_COMM, unterminated, sizeof(unterminated) };

		CHECK_EQ(parse_msg(build(&base, &bad), &ev), -EPROTO);
		bad.type = CFGGUARD_A_EVENT_BDF;
		CHECK_EQ(parse_msg(build(&base, &bad), &ev), -EPROTO);
		bad.len = 0;
		CHECK_EQ(parse_msg(build(&base, &bad), &ev), -EPROTO);
		bad.data = "";	/* an address of nothing */
		bad.len = 1;
		CHECK_EQ(parse_msg(build(&base, &bad), &ev), -EPROTO);
		bad.data = "100000000:00:10.0";	/* 17 characters */
		bad.len = strlen(bad.data) + 1;
		CHECK_EQ(parse_msg(build(&base, &bad), &ev), -EPROTO);
	}
	memset(long_comm, 'c', sizeof(long_comm) - 1);
	long_comm[sizeof(long_comm) - 1] = '\0';
	{
		struct bad bad = { CFGGUARD_A_EVENT_COMM, long_comm, sizeof(long_comm) };

		CHECK_EQ(parse_msg(build(&base, &bad), &ev), -EPROTO);
		long_comm[EVENT_COMM_SIZE - 1] = '\0';	/* the longest that fits */
		bad.len = EVENT_COMM_SIZE;
		CHECK_EQ(parse_msg(build(&base, &bad), &ev), 0);
		CHECK_EQ(strlen(ev.comm), EVENT_COMM_SIZE - 1);
	}
}

/* The message itself cut short or overrun, at every length. */
static void test_truncated(void)
{
	struct nl_msg *msg = build(&base, NULL);
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	uint32_t full = nlh->nlmsg_len;
	uint8_t *copy = malloc(full + 64);
	struct ctl_event ev;
	struct nlattr *last;

	CHECK(copy != NULL);
	/* fewer bytes readable than the header claims */
	for (uint32_t len = 0; len < full; len++) {
		memcpy(copy, nlh, full);
		CHECK_EQ(event_parse((struct nlmsghdr *)copy, len, &ev), -EPROTO);
	}
	/* a header that claims less: the attributes it cuts off are missing or overrun */
	for (uint32_t len = 0; len < full; len++) {
		memcpy(copy, nlh, full);
		((struct nlmsghdr *)copy)->nlmsg_len = len;
		CHECK_EQ(event_parse((struct nlmsghdr *)copy, full, &ev), -EPROTO);
	}
	/* the last attribute claims more than the message holds */
	memcpy(copy, nlh, full);
	last = (struct nlattr *)(copy + full - NLA_HDRLEN - 8);
	CHECK_EQ(nla_type(last), CFGGUARD_A_EVENT_SUPPRESSED);
	last->nla_len += 8;
	CHECK_EQ(event_parse((struct nlmsghdr *)copy, full, &ev), -EPROTO);
	/* trailing bytes that are no attribute */
	memcpy(copy, nlh, full);
	memset(copy + full, 0, 4);
	((struct nlmsghdr *)copy)->nlmsg_len = full + 4;
	CHECK_EQ(event_parse((struct nlmsghdr *)copy, full + 4, &ev), -EPROTO);
	/* and whole, it parses */
	memcpy(copy, nlh, full);
	CHECK_EQ(event_parse((struct nlmsghdr *)copy, full, &ev), 0);

	/* random damage: any outcome but a crash, and output stays clean */
	srand(11);
	for (unsigned int round = 0; round < 20000; round++) {
		memcpy(copy, nlh, full);
		for (int flips = 1 + rand() % 4; flips--;)
			copy[NLMSG_HDRLEN + rand() % (full - NLMSG_HDRLEN)] = rand();
		if (!event_parse((struct nlmsghdr *)copy, full, &ev)) {
			char *line = format(&ev, false);

			check_one_clean_line(line);
			free(line);
		}
	}
	free(copy);
	nlmsg_free(msg);
}

static uint64_t account(struct event_dev *dev, uint64_t seq, uint64_t suppressed)
{
	struct ctl_event ev = base;

	ev.seq = seq;
	ev.suppressed = suppressed;
	return event_account(dev, &ev);
}

static void test_seq(void)
{
	struct event_dev dev = { .bdf = "0000:00:10.0" };

	/* the first event is the baseline, whatever its seq */
	CHECK_EQ(account(&dev, 5, 0), 0);
	CHECK_EQ(dev.last_seq, 5);
	/* late: no loss, and no going back */
	CHECK_EQ(account(&dev, 4, 0), 0);
	CHECK_EQ(dev.last_seq, 5);
	CHECK_EQ(account(&dev, 5, 0), 0);
	CHECK_EQ(dev.last_seq, 5);
	/* 6..8 held back, and the event says so */
	CHECK_EQ(account(&dev, 9, 3), 0);
	CHECK_EQ(dev.last_seq, 9);
	/* 10..12 missing, one of them explained */
	CHECK_EQ(account(&dev, 13, 1), 2);
	CHECK_EQ(dev.last_seq, 13);
	/* the late one after a gap: still nothing */
	CHECK_EQ(account(&dev, 11, 0), 0);
	CHECK_EQ(dev.last_seq, 13);
	CHECK_EQ(account(&dev, 14, 0), 0);
	/* suppressed past the gap (a count raced the event): no loss */
	CHECK_EQ(account(&dev, 16, 5), 0);
	CHECK_EQ(account(&dev, UINT64_MAX, 0), UINT64_MAX - 17);
}

int main(void)
{
	struct strict strict;

	strict_open(&strict);
	test_formats();
	test_lost_lines();
	test_journal();
	test_forged_comm(&strict);
	test_control_comm(&strict);
	test_random_comm(&strict);
	strict_check(&strict);
	test_long_bdf();
	test_registry();
	test_missing();
	test_sizes();
	test_truncated();
	test_seq();
	printf("event: all checks passed\n");
	return 0;
}
