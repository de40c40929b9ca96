// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The cfgguard authors.
 *
 * Writes the fuzzers' seed corpora (tests/fuzz/corpus/): netlink messages
 * as the module builds them (module/netlink.c, module/events.c, the
 * kernel's netlink_ack()), attribute by attribute in its order; config
 * spaces crafted to reach each sizing rule of layout.c; and, for each real
 * config space given, the space itself, gen-table's table of it and a
 * dev-get reply carrying its map. Not part of the tests: run it by hand
 * after a protocol change, then commit what it wrote.
 *
 *	fuzz-gen-corpus <corpus dir> <config space file>...
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/pci_regs.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <linux/cfgguard.h>

#include "devcfg.h"
#include "layout.h"

#define FAMILY	0x20
#define PORT	4242	/* cfgguard-ctl's port, in the replies */
#define SEQ	1764000000

/* the input's first byte, as fuzz-event.c and fuzz-reply.c read it */
#define EVENT_RAW	1
#define REPLY_RAW	8
enum { DEV_GET, DEV_DUMP, TABLE_GET, TABLE_DUMP, STATS_RESET, TABLE_SET,
	MODE_SET, TABLE_DEL };

static const char *dir;
static struct cfgguard_layout layout;
static struct devcfg_range ranges[4096];

#define FAIL(...) do { fprintf(stderr, __VA_ARGS__); exit(1); } while (0)

static void write_file(const char *sub, const char *name, const void *data,
		       size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s/%s", dir, sub, name);
	f = fopen(path, "wb");
	if (!f || fwrite(data, 1, len, f) != len || fclose(f))
		FAIL("%s: %s\n", path, strerror(errno));
}

/* A datagram being put together, behind its fuzzer's first byte. */
struct dgram {
	uint8_t buf[16384];
	size_t len;
};

static void dgram_start(struct dgram *d, uint8_t first)
{
	d->buf[0] = first;
	d->len = 1;
}

static void dgram_add(struct dgram *d, const void *msg, size_t len)
{
	size_t aligned = NLMSG_ALIGN(len);

	if (d->len + aligned > sizeof(d->buf))
		FAIL("datagram too long\n");
	memcpy(d->buf + d->len, msg, len);
	memset(d->buf + d->len + len, 0, aligned - len);
	d->len += aligned;
}

static void dgram_add_msg(struct dgram *d, struct nl_msg *msg)
{
	dgram_add(d, nlmsg_hdr(msg), nlmsg_hdr(msg)->nlmsg_len);
	nlmsg_free(msg);
}

static void dgram_write(struct dgram *d, const char *sub, const char *name)
{
	write_file(sub, name, d->buf, d->len);
}

/* The built form: the first byte, cmd, then the attributes alone. */
static void write_built(const char *sub, const char *name, uint8_t first,
			struct nl_msg *msg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct genlmsghdr *gnlh = nlmsg_data(nlh);
	struct dgram d;

	dgram_start(&d, first);
	d.buf[d.len++] = gnlh->cmd;
	memcpy(d.buf + d.len, genlmsg_attrdata(gnlh, 0), genlmsg_attrlen(gnlh, 0));
	d.len += genlmsg_attrlen(gnlh, 0);
	dgram_write(&d, sub, name);
	nlmsg_free(msg);
}

static struct nl_msg *family_msg(uint8_t cmd, int flags, uint32_t port,
				 uint32_t seq)
{
	struct nl_msg *msg = nlmsg_alloc_size(16384);

	if (!msg || !genlmsg_put(msg, port, seq, FAMILY, 0, flags, cmd,
				 CFGGUARD_FAMILY_VERSION))
		FAIL("nlmsg_alloc\n");
	return msg;
}

#define PUT(x) do { if (x) FAIL("%s: no room\n", #x); } while (0)

/* events */

struct event {
	const char *bdf;
	uint32_t op, result, mode, source, pid;
	uint16_t offset, size;
	bool has_value;
	uint32_t value;
	const char *comm;
	uint64_t ts, seq, suppressed;
};

static struct nl_msg *event_msg(const struct event *ev)
{
	/* multicast: port 0, seq 0 */
	struct nl_msg *msg = family_msg(CFGGUARD_CMD_ACCESS, 0, 0, 0);

	PUT(nla_put_string(msg, CFGGUARD_A_EVENT_BDF, ev->bdf));
	PUT(nla_put_u32(msg, CFGGUARD_A_EVENT_OP, ev->op));
	PUT(nla_put_u16(msg, CFGGUARD_A_EVENT_OFFSET, ev->offset));
	PUT(nla_put_u16(msg, CFGGUARD_A_EVENT_SIZE, ev->size));
	if (ev->has_value)
		PUT(nla_put_u32(msg, CFGGUARD_A_EVENT_VALUE, ev->value));
	PUT(nla_put_u32(msg, CFGGUARD_A_EVENT_RESULT, ev->result));
	PUT(nla_put_u32(msg, CFGGUARD_A_EVENT_MODE, ev->mode));
	PUT(nla_put_u32(msg, CFGGUARD_A_EVENT_SOURCE, ev->source));
	PUT(nla_put_u32(msg, CFGGUARD_A_EVENT_PID, ev->pid));
	PUT(nla_put_string(msg, CFGGUARD_A_EVENT_COMM, ev->comm));
	/* x86's nla_put_u64_64bit() adds no pad attribute */
	PUT(nla_put_u64(msg, CFGGUARD_A_EVENT_TIMESTAMP, ev->ts));
	PUT(nla_put_u64(msg, CFGGUARD_A_EVENT_SEQ, ev->seq));
	PUT(nla_put_u64(msg, CFGGUARD_A_EVENT_SUPPRESSED, ev->suppressed));
	return msg;
}

static void gen_events(void)
{
	struct event w = {
		.bdf = "0000:00:10.0", .op = CFGGUARD_OP_WRITE,
		.result = CFGGUARD_RESULT_BLOCKED, .mode = CFGGUARD_MODE_ENFORCE,
		.source = CFGGUARD_SOURCE_DEFAULT, .pid = 129, .offset = 0x298,
		.size = 1, .has_value = true, .value = 0x5a, .comm = "vfio-cfg",
		.ts = 11911067061ULL, .seq = 1,
	};
	struct event r = w, a = w, m = w, e;
	struct dgram d;

	r.op = CFGGUARD_OP_READ;
	r.has_value = false;
	r.size = 4;
	r.offset = 0x29c;
	r.seq = 2;
	a.mode = CFGGUARD_MODE_AUDIT;
	a.result = CFGGUARD_RESULT_AUDITED;
	a.source = CFGGUARD_SOURCE_DEVICE;
	a.comm = "qemu-system-x86";
	a.seq = 7;
	a.suppressed = 3;
	m.result = CFGGUARD_RESULT_MASKED;
	m.source = CFGGUARD_SOURCE_MODEL;
	m.size = 2;
	m.value = 0xbeef;
	m.offset = 0x29c;

	dgram_start(&d, EVENT_RAW);
	dgram_add_msg(&d, event_msg(&w));
	dgram_write(&d, "event", "write-blocked.bin");
	dgram_start(&d, EVENT_RAW);
	dgram_add_msg(&d, event_msg(&r));
	dgram_write(&d, "event", "read-blocked.bin");
	dgram_start(&d, EVENT_RAW);
	dgram_add_msg(&d, event_msg(&m));
	dgram_write(&d, "event", "write-masked.bin");

	/* a batch: two devices, a gap the suppressed count explains, one not */
	dgram_start(&d, EVENT_RAW);
	dgram_add_msg(&d, event_msg(&w));
	dgram_add_msg(&d, event_msg(&r));
	dgram_add_msg(&d, event_msg(&a));
	e = r;
	e.bdf = "0000:00:11.0";
	e.seq = 100;
	dgram_add_msg(&d, event_msg(&e));
	e.seq = 150;
	dgram_add_msg(&d, event_msg(&e));
	dgram_write(&d, "event", "batch.bin");

	/* hostile task names, a long PCI domain, 64-bit extremes */
	e = a;
	e.comm = "a\"b\\c\nd\x1b[2Je";
	dgram_start(&d, EVENT_RAW);
	dgram_add_msg(&d, event_msg(&e));
	dgram_write(&d, "event", "comm-escapes.bin");
	e.comm = "\xc3\xa9\xe2\x80\xa8\xf0\x9f\x98\x80\xc2\x85\xff\xed\xa0\x80";
	dgram_start(&d, EVENT_RAW);
	dgram_add_msg(&d, event_msg(&e));
	dgram_write(&d, "event", "comm-utf8.bin");
	e = w;
	e.bdf = "ffffffff:ff:1f.7";
	e.size = 4096;
	e.offset = 0xfff;
	e.ts = e.seq = e.suppressed = UINT64_MAX;
	e.op = e.result = e.mode = e.source = 7;
	dgram_start(&d, EVENT_RAW);
	dgram_add_msg(&d, event_msg(&e));
	dgram_write(&d, "event", "extremes.bin");

	/* the built form */
	write_built("event", "built-write.bin", 0, event_msg(&w));
	write_built("event", "built-read.bin", 0, event_msg(&r));
	write_built("event", "built-audited.bin", 0, event_msg(&a));
}

/* replies */

static void put_stats(struct nl_msg *msg, uint64_t base)
{
	struct nlattr *nest = nla_nest_start(msg, CFGGUARD_A_DEV_STATS | NLA_F_NESTED);

	if (!nest)
		FAIL("nest\n");
	for (int i = CFGGUARD_A_STATS_READ_ALLOWED; i <= CFGGUARD_A_STATS_MAX; i++)
		PUT(nla_put_u64(msg, i, base * i));
	nla_nest_end(msg, nest);
}

/* cfgguard_put_dev() */
static struct nl_msg *dev_msg(int flags, const char *bdf, uint16_t vendor,
			      uint16_t device, const uint8_t *map,
			      uint16_t cfg_size)
{
	struct nl_msg *msg = family_msg(CFGGUARD_CMD_DEV_GET, flags, PORT, SEQ);

	PUT(nla_put_string(msg, CFGGUARD_A_DEV_BDF, bdf));
	PUT(nla_put_u16(msg, CFGGUARD_A_DEV_VENDOR, vendor));
	PUT(nla_put_u16(msg, CFGGUARD_A_DEV_DEVICE, device));
	PUT(nla_put_u16(msg, CFGGUARD_A_DEV_CFG_SIZE, cfg_size));
	PUT(nla_put_u32(msg, CFGGUARD_A_DEV_MODE, CFGGUARD_MODE_ENFORCE));
	PUT(nla_put_u32(msg, CFGGUARD_A_DEV_SOURCE, CFGGUARD_SOURCE_DEFAULT));
	put_stats(msg, 3);
	PUT(nla_put_u64(msg, CFGGUARD_A_DEV_EVENT_SEQ, 17));
	PUT(nla_put_u32(msg, CFGGUARD_A_DEV_MAP_SOURCE, CFGGUARD_MAP_SOURCE_WALKED));
	if (map)
		PUT(nla_put(msg, CFGGUARD_A_DEV_CONFIG_MAP, cfg_size, map));
	return msg;
}

/* netlink_ack(): an ACK echoes the request's header only */
static void add_ack(struct dgram *d)
{
	struct {
		struct nlmsghdr nlh;
		struct nlmsgerr err;
	} ack = {
		.nlh = { .nlmsg_len = sizeof(ack), .nlmsg_type = NLMSG_ERROR,
			 .nlmsg_flags = NLM_F_CAPPED, .nlmsg_seq = SEQ,
			 .nlmsg_pid = PORT },
		.err = { .error = 0, .msg = { .nlmsg_len = 28, .nlmsg_type = FAMILY,
			 .nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK,
			 .nlmsg_seq = SEQ, .nlmsg_pid = PORT } },
	};

	dgram_add(d, &ack, sizeof(ack));
}

static void add_done(struct dgram *d)
{
	struct {
		struct nlmsghdr nlh;
		int ret;
	} done = {
		.nlh = { .nlmsg_len = sizeof(done), .nlmsg_type = NLMSG_DONE,
			 .nlmsg_flags = NLM_F_MULTI, .nlmsg_seq = SEQ,
			 .nlmsg_pid = PORT },
	};

	dgram_add(d, &done, sizeof(done));
}

/*
 * netlink_ack() of a failed request: the request whole (cfgguard-ctl sets
 * no NETLINK_CAP_ACK) unless capped, then the extack's attributes.
 */
static void add_error(struct dgram *d, int error, struct nl_msg *req,
		      bool capped, const char *text, int offs, int miss)
{
	struct nlmsghdr *rq = nlmsg_hdr(req);
	uint8_t buf[8192];
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	struct nlmsgerr *err = NLMSG_DATA(nlh);
	size_t len = NLMSG_LENGTH(sizeof(*err));
	struct nlattr *nla;

	memset(buf, 0, sizeof(buf));
	err->error = error;
	err->msg = *rq;
	if (!capped) {
		memcpy(buf + len, (uint8_t *)rq + NLMSG_HDRLEN,
		       rq->nlmsg_len - NLMSG_HDRLEN);
		len += NLMSG_ALIGN(rq->nlmsg_len - NLMSG_HDRLEN);
	}
	nlh->nlmsg_flags = capped ? NLM_F_CAPPED : 0;
	if (text || offs >= 0 || miss >= 0)
		nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
	if (text) {
		nla = (struct nlattr *)(buf + len);
		nla->nla_type = NLMSGERR_ATTR_MSG;
		nla->nla_len = NLA_HDRLEN + strlen(text) + 1;
		memcpy(nla + 1, text, strlen(text) + 1);
		len += NLA_ALIGN(nla->nla_len);
	}
	if (offs >= 0) {
		nla = (struct nlattr *)(buf + len);
		nla->nla_type = NLMSGERR_ATTR_OFFS;
		nla->nla_len = NLA_HDRLEN + 4;
		memcpy(nla + 1, &(uint32_t){ offs }, 4);
		len += NLA_HDRLEN + 4;
	}
	if (miss >= 0) {
		nla = (struct nlattr *)(buf + len);
		nla->nla_type = NLMSGERR_ATTR_MISS_TYPE;
		nla->nla_len = NLA_HDRLEN + 4;
		memcpy(nla + 1, &(uint32_t){ miss }, 4);
		len += NLA_HDRLEN + 4;
	}
	nlh->nlmsg_len = len;
	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_seq = rq->nlmsg_seq;
	nlh->nlmsg_pid = PORT;
	dgram_add(d, buf, len);
}

/* cfgguard-ctl's requests, as ipc.c builds them */
static struct nl_msg *request(uint8_t cmd, int flags, const char *bdf)
{
	struct nl_msg *msg = family_msg(cmd, NLM_F_REQUEST | flags, PORT, SEQ);

	if (bdf)
		PUT(nla_put_string(msg, CFGGUARD_A_DEV_BDF, bdf));
	return msg;
}

struct range {
	uint16_t start, len;
	uint32_t action;
	bool has_wmask;
	uint32_t wmask;
};

static void put_ranges(struct nl_msg *msg, const struct range *r,
		       unsigned int n, uint32_t *offs)
{
	for (unsigned int i = 0; i < n; i++) {
		struct nlattr *nest = nla_nest_start(msg, CFGGUARD_A_DEV_RANGE | NLA_F_NESTED);

		if (!nest)
			FAIL("nest\n");
		if (offs)
			offs[i] = (char *)nest - (char *)nlmsg_hdr(msg);
		PUT(nla_put_u16(msg, CFGGUARD_A_RANGE_START, r[i].start));
		PUT(nla_put_u16(msg, CFGGUARD_A_RANGE_LEN, r[i].len));
		PUT(nla_put_u32(msg, CFGGUARD_A_RANGE_ACTION, r[i].action));
		if (r[i].has_wmask)
			PUT(nla_put_u32(msg, CFGGUARD_A_RANGE_WMASK, r[i].wmask));
		nla_nest_end(msg, nest);
	}
}

/* cfgguard_put_table() */
static struct nl_msg *table_msg(int flags, const char *bdf, uint16_t vendor,
				uint16_t device, uint32_t def, uint16_t cfg_size,
				const struct range *r, unsigned int n)
{
	struct nl_msg *msg = family_msg(CFGGUARD_CMD_TABLE_GET, flags, PORT, SEQ);

	if (bdf) {
		PUT(nla_put_string(msg, CFGGUARD_A_DEV_BDF, bdf));
	} else {
		PUT(nla_put_u16(msg, CFGGUARD_A_DEV_VENDOR, vendor));
		PUT(nla_put_u16(msg, CFGGUARD_A_DEV_DEVICE, device));
	}
	PUT(nla_put_u32(msg, CFGGUARD_A_DEV_DEFAULT_ACTION, def));
	if (cfg_size)
		PUT(nla_put_u16(msg, CFGGUARD_A_DEV_CFG_SIZE, cfg_size));
	put_ranges(msg, r, n, NULL);
	return msg;
}

static const struct range e1000e_ranges[] = {
	{ .start = 0x000, .len = 0x40, .action = CFGGUARD_ACTION_ALLOW },
	{ .start = 0x0a0, .len = 0x0c, .action = CFGGUARD_ACTION_ALLOW },
	{ .start = 0x0c8, .len = 0x08, .action = CFGGUARD_ACTION_ALLOW },
	{ .start = 0x0d0, .len = 0x0e, .action = CFGGUARD_ACTION_ALLOW },
	{ .start = 0x0e0, .len = 0x0c, .action = CFGGUARD_ACTION_ALLOW },
	{ .start = 0x100, .len = 0x2c, .action = CFGGUARD_ACTION_ALLOW },
	{ .start = 0x140, .len = 0x0c, .action = CFGGUARD_ACTION_ALLOW },
	{ .start = 0x298, .len = 0x01, .action = CFGGUARD_ACTION_READ_ONLY },
	{ .start = 0x29c, .len = 0x02, .action = CFGGUARD_ACTION_ALLOW,
	  .has_wmask = true, .wmask = 0x00ff },
};
#define NR_E1000E (sizeof(e1000e_ranges) / sizeof(e1000e_ranges[0]))

static void gen_replies(void)
{
	static const struct range small[] = {
		{ .start = 0x298, .len = 4, .action = CFGGUARD_ACTION_DENY },
	};
	uint8_t map[256];
	struct nl_msg *req;
	uint32_t offs[NR_E1000E];
	struct dgram d;

	/* dev-get of a 256-byte device: reply, ACK */
	memset(map, CFGGUARD_MAP_RAW, sizeof(map));
	memset(map, 0, 0x40);
	memset(map + 0x40, PCI_CAP_ID_EXP, 0x3c);
	memset(map + 0x80, CFGGUARD_MAP_VIRT, 4);
	dgram_start(&d, REPLY_RAW | DEV_GET);
	dgram_add_msg(&d, dev_msg(0, "0000:00:03.0", 0x1af4, 0x1041, map, 256));
	add_ack(&d);
	dgram_write(&d, "reply", "dev-get.bin");
	write_built("reply", "built-dev-get.bin", DEV_GET,
		    dev_msg(0, "0000:00:03.0", 0x1af4, 0x1041, map, 256));

	/* a dump of three devices, one in a long domain */
	dgram_start(&d, REPLY_RAW | DEV_DUMP);
	dgram_add_msg(&d, dev_msg(NLM_F_MULTI, "0000:00:10.0", 0x8086, 0x10d3, NULL, 4096));
	dgram_add_msg(&d, dev_msg(NLM_F_MULTI, "0000:00:11.0", 0x1b36, 0x0010, NULL, 4096));
	dgram_add_msg(&d, dev_msg(NLM_F_MULTI, "10000:e3:00.1", 0x1af4, 0x1041, NULL, 256));
	add_done(&d);
	dgram_write(&d, "reply", "dev-dump.bin");

	/* table-get: reply, ACK; by model too */
	dgram_start(&d, REPLY_RAW | TABLE_GET);
	dgram_add_msg(&d, table_msg(0, "0000:00:10.0", 0, 0, CFGGUARD_ACTION_DENY,
				    4096, e1000e_ranges, NR_E1000E));
	add_ack(&d);
	dgram_write(&d, "reply", "table-get.bin");
	dgram_start(&d, REPLY_RAW | TABLE_GET);
	dgram_add_msg(&d, table_msg(0, NULL, 0x8086, 0x10d3, CFGGUARD_ACTION_ALLOW,
				    0, small, 1));
	add_ack(&d);
	dgram_write(&d, "reply", "table-get-model.bin");
	write_built("reply", "built-table-get.bin", TABLE_GET,
		    table_msg(0, "0000:00:10.0", 0, 0, CFGGUARD_ACTION_DENY,
			      4096, e1000e_ranges, NR_E1000E));

	/* a dump: one table split over two messages, then a model's */
	dgram_start(&d, REPLY_RAW | TABLE_DUMP);
	dgram_add_msg(&d, table_msg(NLM_F_MULTI, "0000:00:10.0", 0, 0,
				    CFGGUARD_ACTION_DENY, 4096, e1000e_ranges, 5));
	dgram_add_msg(&d, table_msg(NLM_F_MULTI, "0000:00:10.0", 0, 0,
				    CFGGUARD_ACTION_DENY, 4096, e1000e_ranges + 5,
				    NR_E1000E - 5));
	dgram_add_msg(&d, table_msg(NLM_F_MULTI, NULL, 0x1af4, 0x1041,
				    CFGGUARD_ACTION_READ_ONLY, 256, small, 1));
	add_done(&d);
	dgram_write(&d, "reply", "table-dump.bin");

	/* stats-reset: the address and the counters taken */
	req = family_msg(CFGGUARD_CMD_STATS_RESET, 0, PORT, SEQ);
	PUT(nla_put_string(req, CFGGUARD_A_DEV_BDF, "0000:00:10.0"));
	put_stats(req, 1000);
	dgram_start(&d, REPLY_RAW | STATS_RESET);
	dgram_add_msg(&d, req);
	add_ack(&d);
	dgram_write(&d, "reply", "stats-reset.bin");

	/* errors: with a message, uncapped and capped; none; a missing one */
	req = request(CFGGUARD_CMD_DEV_GET, NLM_F_ACK, "0000:00:1f.0");
	dgram_start(&d, REPLY_RAW | DEV_GET);
	add_error(&d, -ENODEV, req, false, "no such device bound to cfgguard-vfio-pci", -1, -1);
	dgram_write(&d, "reply", "error-nodev.bin");
	dgram_start(&d, REPLY_RAW | MODE_SET);
	add_error(&d, -EPERM, req, true, NULL, -1, -1);
	dgram_write(&d, "reply", "error-perm.bin");
	dgram_start(&d, REPLY_RAW | TABLE_DEL);
	add_error(&d, -EINVAL, req, true, NULL, -1, CFGGUARD_A_DEV_BDF);
	dgram_write(&d, "reply", "error-missing.bin");
	dgram_start(&d, REPLY_RAW | STATS_RESET);
	add_error(&d, -ENOENT, req, false, "no table is loaded for this key", 20, -1);
	dgram_write(&d, "reply", "error-offs.bin");
	nlmsg_free(req);

	/* table-set refused, the extack's offset inside its 8th range */
	req = request(CFGGUARD_CMD_TABLE_SET, NLM_F_ACK, "0000:00:10.0");
	PUT(nla_put_u32(req, CFGGUARD_A_DEV_DEFAULT_ACTION, CFGGUARD_ACTION_DENY));
	put_ranges(req, e1000e_ranges, NR_E1000E, offs);
	dgram_start(&d, REPLY_RAW | TABLE_SET | 1 << 4);
	add_error(&d, -EINVAL, req, false,
		  "a write mask is allowed only on bytes vfio-pci passes raw",
		  offs[7] + NLA_HDRLEN, -1);
	dgram_write(&d, "reply", "error-table-set.bin");
	nlmsg_free(req);
}

/* config spaces */

static void gen_table(const char *name, const uint8_t *cfg, unsigned int size)
{
	static const struct cfgguard_layout_rules rules_6_12 = {
		.exp_v2_len = 0x34, .dvsec = true,
	};
	static uint8_t map[4096];
	char text[8192], file[128];
	unsigned int n, len;

	if (cfgguard_layout_parse(cfg, size, &rules_6_12, &layout))
		FAIL("%s: not a config space\n", name);
	cfgguard_layout_map(&layout, size, map);
	n = devcfg_map_ranges(map, size, ranges, size);
	len = snprintf(text, sizeof(text),
		       "# cfgguard table for %04x:%04x, written by gen-table\n"
		       "size %u\ndefault deny\n",
		       cfg[0] | cfg[1] << 8, cfg[2] | cfg[3] << 8, size);
	for (unsigned int i = 0; i < n && len < sizeof(text); i++)
		len += snprintf(text + len, sizeof(text) - len,
				"0x%03x-0x%03x allow\t# %s%s\n", ranges[i].start,
				ranges[i].end, ranges[i].extended &&
				ranges[i].id != CFGGUARD_LAYOUT_MAP_VIRT ?
				"extended: " : "", ranges[i].name);
	if (len >= sizeof(text))
		FAIL("%s: table too long\n", name);
	snprintf(file, sizeof(file), "gen-%s.table", name);
	write_file("table", file, text, len);

	/* and the driver's reply carrying that map */
	{
		struct dgram d;

		dgram_start(&d, REPLY_RAW | DEV_GET);
		dgram_add_msg(&d, dev_msg(0, "0000:00:10.0", cfg[0] | cfg[1] << 8,
					  cfg[2] | cfg[3] << 8, map, size));
		add_ack(&d);
		snprintf(file, sizeof(file), "dev-get-%s.bin", name);
		dgram_write(&d, "reply", file);
	}
}

static void gen_real(const char *path)
{
	static uint8_t cfg[4096];
	const char *base = strrchr(path, '/');
	char name[64], file[80];
	size_t n;
	FILE *f = fopen(path, "rb");

	if (!f)
		FAIL("%s: %s\n", path, strerror(errno));
	n = fread(cfg, 1, sizeof(cfg), f);
	fclose(f);
	if (n != 256 && n != 4096)
		FAIL("%s: %zu bytes, not a config space\n", path, n);
	base = base ? base + 1 : path;
	/* sysfs names them all "config": by vendor and device instead */
	if (!strcmp(base, "config"))
		snprintf(name, sizeof(name), "pci-%04x-%04x", cfg[0] | cfg[1] << 8,
			 cfg[2] | cfg[3] << 8);
	else
		snprintf(name, sizeof(name), "%.*s", (int)strcspn(base, "."), base);
	snprintf(file, sizeof(file), "%s.config", name);
	write_file("layout", file, cfg, n);
	gen_table(name, cfg, n);
}

/* A header with a capability list from 0x40 and a PCIe v2 endpoint. */
static void cfg_base(uint8_t *cfg, unsigned int size)
{
	memset(cfg, 0, size);
	cfg[0x00] = 0x86; cfg[0x01] = 0x80;
	cfg[0x02] = 0xd3; cfg[0x03] = 0x10;
	cfg[PCI_STATUS] = PCI_STATUS_CAP_LIST;
	cfg[PCI_CAPABILITY_LIST] = 0x40;
	cfg[0x40] = PCI_CAP_ID_EXP;
	cfg[0x42] = 0x02;
}

static void put_ext(uint8_t *cfg, unsigned int pos, unsigned int id,
		    unsigned int next)
{
	uint32_t hdr = id | 1 << 16 | next << 20;

	memcpy(cfg + pos, &hdr, 4);
}

static void gen_crafted(void)
{
	static uint8_t cfg[4096];

	/* every standard capability with a sized length, chained */
	cfg_base(cfg, 256);
	cfg[0x41] = 0x80;
	cfg[0x80] = PCI_CAP_ID_MSI;	cfg[0x81] = 0x98;
	cfg[0x82] = PCI_MSI_FLAGS_64BIT;
	cfg[0x83] = PCI_MSI_FLAGS_MASKBIT >> 8;
	cfg[0x98] = PCI_CAP_ID_PCIX;	cfg[0x99] = 0xb0;
	cfg[0x9a] = 0;
	cfg[0xb0] = PCI_CAP_ID_HT;	cfg[0xb1] = 0xc0;
	cfg[0xb3] = 0x20;
	cfg[0xc0] = PCI_CAP_ID_SATA;	cfg[0xc1] = 0xd0;
	cfg[0xc4] = PCI_SATA_REGS_INLINE;
	cfg[0xd0] = PCI_CAP_ID_VNDR;	cfg[0xd1] = 0xe0;
	cfg[0xd2] = 0x0c;
	cfg[0xe0] = PCI_CAP_ID_AF;	cfg[0xe1] = 0xf0;
	cfg[0xf0] = PCI_CAP_ID_VPD;	cfg[0xf1] = 0xf8;
	cfg[0xf8] = 0x13;		/* past PCI_CAP_ID_MAX */
	write_file("layout", "std-all.config", cfg, 256);

	/* a root-complex endpoint, PCIe v1, a loop back to the start */
	cfg_base(cfg, 256);
	cfg[0x42] = 0x91;
	cfg[0x41] = 0x60;
	cfg[0x60] = PCI_CAP_ID_PM;	cfg[0x61] = 0x40;
	write_file("layout", "std-loop.config", cfg, 256);

	/* CardBus: the PCI core looks for PCIe from 0x14, vfio-pci from 0x34 */
	cfg_base(cfg, 256);
	cfg[PCI_HEADER_TYPE] = PCI_HEADER_TYPE_CARDBUS;
	cfg[PCI_CB_CAPABILITY_LIST] = 0x80;
	cfg[0x80] = PCI_CAP_ID_EXP;
	cfg[0x82] = 0x92;		/* v2, root-complex endpoint */
	write_file("layout", "cardbus.config", cfg, 256);

	/* a PCI-X v2 bridge on a 4096-byte space, and every extended one */
	cfg_base(cfg, 4096);
	cfg[PCI_HEADER_TYPE] = PCI_HEADER_TYPE_BRIDGE;
	cfg[0x41] = 0x60;
	cfg[0x60] = PCI_CAP_ID_PCIX;
	cfg[0x62] = 0x00;	cfg[0x63] = 0x10;	/* PCI_X_CMD_VERSION 1 */
	put_ext(cfg, 0x100, PCI_EXT_CAP_ID_ERR, 0x148);
	put_ext(cfg, 0x148, PCI_EXT_CAP_ID_VC, 0x1a0);
	cfg[0x14c] = 0x01;				/* one extra VC */
	cfg[0x150] = PCI_VC_CAP2_64_PHASE;
	put_ext(cfg, 0x1a0, PCI_EXT_CAP_ID_ACS, 0x1c0);
	cfg[0x1a4] = PCI_ACS_EC;
	cfg[0x1a5] = 0x40;
	put_ext(cfg, 0x1c0, PCI_EXT_CAP_ID_REBAR, 0x1e0);
	cfg[0x1c8] = 2 << PCI_REBAR_CTRL_NBAR_SHIFT;
	put_ext(cfg, 0x1e0, PCI_EXT_CAP_ID_DPA, 0x220);
	cfg[0x1e4] = 0x07;
	put_ext(cfg, 0x220, PCI_EXT_CAP_ID_TPH, 0x260);
	cfg[0x225] = PCI_TPH_LOC_CAP >> 8;
	cfg[0x226] = 0x04;
	put_ext(cfg, 0x260, PCI_EXT_CAP_ID_DVSEC, 0x2a0);
	cfg[0x266] = 0x40;				/* DVSEC length 0x24 */
	cfg[0x267] = 0x02;
	put_ext(cfg, 0x2a0, PCI_EXT_CAP_ID_VNDR, 0x2c0);
	cfg[0x2a7] = 0x01;				/* VSEC length 0x10 */
	put_ext(cfg, 0x2c0, PCI_EXT_CAP_ID_SRIOV, 0x300);
	put_ext(cfg, 0x300, PCI_EXT_CAP_ID_LTR, 0x310);
	put_ext(cfg, 0x310, 0x30, 0x100);		/* unknown, loops */
	write_file("layout", "ext-all.config", cfg, 4096);

	/* a hidden first extended capability keeps a placeholder */
	cfg_base(cfg, 4096);
	put_ext(cfg, 0x100, 0x2f, 0x180);
	put_ext(cfg, 0x180, PCI_EXT_CAP_ID_DSN, 0xffc);
	put_ext(cfg, 0xffc, PCI_EXT_CAP_ID_ARI, 0);	/* clipped */
	write_file("layout", "ext-placeholder.config", cfg, 4096);
}

/* tables: the manual's, the unit tests' accepted ones, and near misses */
static void gen_tables(void)
{
	static const struct {
		const char *name, *text;
	} tables[] = {
		{ "man-example.table",
		  "size 4096\ndefault deny\n"
		  "0x000-0x03f allow   # header\n"
		  "0x0a0-0x0ab allow   # MSI-X\n"
		  "0x0c8-0x0cf allow   # Power Management\n"
		  "0x0d0-0x0dd allow   # MSI\n"
		  "0x0e0-0x0eb allow   # PCI Express\n"
		  "0x100-0x12b allow   # extended: Advanced Error Reporting\n"
		  "0x140-0x14b allow   # extended: Device Serial Number\n"
		  "0x298 read-only     # a hidden status register\n"
		  "0x29c+2 allow wmask=0x00ff   # a hidden control register: low byte only\n" },
		{ "mixed-forms.table",
		  "# e1000e\nsize 4096\ndefault deny   # the rest\n0x40+8 read-only\n"
		  "0x00-0x3f allow\n\n\t0x298 deny\n0xc8+2 allow wmask=0x0003\n"
		  "665+1 allow\r\n" },
		{ "printed.table",
		  "default read-only\nsize 256\n0x010-0x013 deny\n"
		  "0x020-0x021 allow wmask=0x0f0f\n0x0fc-0x0ff allow wmask=0xffffffff\n" },
		{ "default-only.table", "default deny\n" },
		{ "whole-space.table", "0x0-0xfff deny\n" },
		{ "last-byte.table", "0xfff allow\n" },
		{ "overlap.table", "0x40+8 deny\n0x44+4 allow\n" },
		{ "past-size.table", "size 256\n0x100 deny\n" },
		{ "wmask-wide.table", "0x40+2 allow wmask=0x10000\n" },
		{ "bad-words.table", "0x40 allow a b c d\ndefault\n" },
		{ "control.table", "0x40 deny\n\x1b[2J\r\n" },
	};
	char many[16384];
	size_t n = 0;

	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++)
		write_file("table", tables[i].name, tables[i].text,
			   strlen(tables[i].text));
	for (unsigned int i = 0; i < 1024; i += 2)
		n += snprintf(many + n, sizeof(many) - n, "%u deny\n", i * 4);
	write_file("table", "many-ranges.table", many, n);
}

int main(int argc, char *argv[])
{
	if (argc < 2) {
		fprintf(stderr, "Usage: %s <corpus dir> [<config space file>...]\n",
			argv[0]);
		return 1;
	}
	dir = argv[1];
	gen_events();
	gen_replies();
	gen_crafted();
	gen_tables();
	for (int i = 2; i < argc; i++)
		gen_real(argv[i]);
	return 0;
}
