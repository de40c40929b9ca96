// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The cfgguard authors.
 *
 * cfgguard-ctl's handling of the kernel's replies (tools/ipc.c): dev-get
 * and its dump, table-get and its dump (parts merged), stats-reset, and
 * errors with extended ACKs, table-set's naming the range at fault. The
 * first input byte says which request the replies answer (bits 0-2) and
 * how the rest makes a datagram (bit 3):
 *
 *	clear: one message of the family built here, its nlmsghdr of exact
 *		length, its genlmsghdr's cmd the second byte, the rest of
 *		the input its attributes
 *	set: the rest of the input is the datagram
 *
 * For table-set, bits 4-7 say how many ranges the request had (times 64).
 *
 * The datagram is handed to ipc.c's own callbacks as libnl 3.7's
 * recvmsgs() hands it (lib/nl.c): each message whole in the datagram
 * (nlmsg_ok()), a copy of it to the valid callback, the error in place
 * to the error callback, ACK and DONE to theirs, until one says stop;
 * the sequence check is left out, so any message gets through. Then what
 * each ipc_*() call does once its replies are in, and what the
 * subcommands do with the result. ipc.c is included, not linked: its
 * callbacks and request contexts are its own.
 */
#include "../../tools/ipc.c"

#include <inttypes.h>

#include "devcfg.h"
#include "fuzz.h"


enum request {
	DEV_GET, DEV_DUMP, TABLE_GET, TABLE_DUMP, STATS_RESET, TABLE_SET,
	MODE_SET, TABLE_DEL,
};

static FILE *sink;
static struct devcfg_range ranges[CFGGUARD_CFG_SPACE_SIZE];
static struct table got;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	sink = fopen("/dev/null", "w");
	REQUIRE(sink);
	return 0;
}

/* libnl's recvmsgs(), for the callbacks ipc_run() sets. */
static void deliver(struct ipc *ipc, uint8_t *buf, int n)
{
	struct sockaddr_nl nla = { .nl_family = AF_NETLINK };
	struct nlmsghdr *hdr = (struct nlmsghdr *)buf;
	struct nl_msg *msg;
	int ret;

	for (; nlmsg_ok(hdr, n); hdr = nlmsg_next(hdr, &n)) {
		if (hdr->nlmsg_type == NLMSG_DONE) {
			ipc_ack_cb(NULL, ipc);
			return;
		}
		if (hdr->nlmsg_type == NLMSG_NOOP)
			continue;
		if (hdr->nlmsg_type == NLMSG_OVERRUN)
			return;
		if (hdr->nlmsg_type == NLMSG_ERROR) {
			struct nlmsgerr *e = nlmsg_data(hdr);

			if (hdr->nlmsg_len < (unsigned int)nlmsg_size(sizeof(*e)))
				return;
			if (!e->error) {
				ipc_ack_cb(NULL, ipc);
				return;
			}
			ret = ipc_error_cb(&nla, e, ipc);
			REQUIRE(ret == NL_STOP);
			return;
		}
		msg = nlmsg_convert(hdr);
		REQUIRE(msg);
		ret = ipc_valid_cb(msg, ipc);
		nlmsg_free(msg);
		REQUIRE(ret == NL_OK || ret == NL_STOP);
		if (ret == NL_STOP)
			return;
	}
}

CHECKER static void check_bdf(const char *bdf)
{
	struct ctl_key key;

	REQUIRE(!key_parse(bdf, &key) && !key.model && !strcmp(key.bdf, bdf));
}

/* list's and stats' lines */
static int dev_one(const struct ctl_dev *dev, void *arg)
{
	(void)arg;
	check_bdf(dev->bdf);
	fprintf(sink, "%s  %04x:%04x  %4u  %-7s  %s\n", dev->bdf, dev->vendor,
		dev->device, dev->cfg_size, mode_name(dev->mode),
		source_name(dev->source));
	for (int i = 0; i < CTL_NR_STATS; i++)
		fprintf(sink, ",\"%s\":%" PRIu64, stats_names[i], dev->stats[i]);
	return 0;
}

/* show's, in both forms */
static int table_one(const struct ctl_key *key, const struct table *table,
		     void *arg)
{
	char name[32];

	(void)arg;
	if (!key->model)
		check_bdf(key->bdf);
	REQUIRE(table->nr_ranges <= TABLE_MAX_RANGES);
	key_format(key, name, sizeof(name));
	fprintf(sink, "# table for %s\n", name);
	table_print(sink, table);
	return 0;
}

/*
 * gen-table's ranges of the driver's map (tools/devmap.c, gen-table.c):
 * in order, apart, within the map, none across 0x100, each one ID's run.
 * That their table loads is fuzz-layout's to check.
 */
CHECKER static void gen_table(const struct ctl_dev *dev)
{
	unsigned int n;

	if (!dev->has_map || !dev->cfg_size ||
	    dev->cfg_size > CFGGUARD_CFG_SPACE_SIZE)
		return;
	n = devcfg_map_ranges(dev->config_map, dev->cfg_size, ranges,
			      CFGGUARD_CFG_SPACE_SIZE);
	REQUIRE(n <= dev->cfg_size);
	for (unsigned int i = 0; i < n; i++) {
		const struct devcfg_range *r = &ranges[i];

		REQUIRE(r->start <= r->end && r->end < dev->cfg_size);
		REQUIRE(!i || r->start > ranges[i - 1].end);
		REQUIRE((r->start < 0x100) == (r->end < 0x100));
		REQUIRE(r->id != CFGGUARD_LAYOUT_MAP_RAW && strlen(r->name));
		REQUIRE(dev->config_map[r->start] == r->id &&
			dev->config_map[r->end] == r->id);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum request req;
	struct ipc_error e;
	struct ipc *ipc;
	struct dev_ctx dev_ctx = { 0 };
	struct table_get_ctx get_ctx = { 0 };
	struct table_dump_ctx *dump_ctx = NULL;
	struct ctl_dev *dev = NULL;
	uint8_t *buf;
	int len;

	if (size < 2 || size > 65536)
		return 0;
	req = data[0] & 7;
	buf = fuzz_genl_message(data, size, data[0] & 8, &len);

	/* ipc_open()'s part, without the socket */
	ipc = calloc(1, sizeof(*ipc));
	REQUIRE(ipc);
	memset(&e, 0, sizeof(e));
	e.range = -1;
	ipc->e = &e;
	switch (req) {
	case DEV_GET:
	case STATS_RESET:
		dev = calloc(1, sizeof(*dev));
		REQUIRE(dev);
		dev_ctx.dev = dev;
		ipc->parse = req == DEV_GET ? ipc_dev_parse : ipc_reset_parse;
		ipc->arg = &dev_ctx;
		break;
	case DEV_DUMP:
		dev_ctx.fn = dev_one;
		ipc->parse = ipc_dev_parse;
		ipc->arg = &dev_ctx;
		break;
	case TABLE_GET:
		memset(&got, 0, sizeof(got));
		get_ctx.table = &got;
		ipc->parse = ipc_table_get_parse;
		ipc->arg = &get_ctx;
		break;
	case TABLE_DUMP:
		dump_ctx = calloc(1, sizeof(*dump_ctx));
		REQUIRE(dump_ctx);
		dump_ctx->fn = table_one;
		ipc->parse = ipc_table_dump_parse;
		ipc->arg = dump_ctx;
		break;
	case TABLE_SET:
		/* the nests' offsets in a request of that many ranges */
		ipc->nr_ranges = (data[0] >> 4) * 64;
		for (unsigned int i = 0; i < ipc->nr_ranges; i++)
			ipc->range_offs[i] = 44 + 28 * i;
		break;
	case MODE_SET:
	case TABLE_DEL:
		break;
	}

	deliver(ipc, buf, len);
	REQUIRE(ipc->done <= 1);
	REQUIRE(ipc->done >= 0 || e.err == -ipc->done);
	REQUIRE(e.err >= 0 && e.err < 4096 && memchr(e.msg, '\0', sizeof(e.msg)));
	REQUIRE(e.range >= -1 && e.range < (int)ipc->nr_ranges);

	/* what each ipc_*() does once its replies are in, then its caller */
	switch (req) {
	case DEV_GET:
		if (!e.err && dev_ctx.replies != 1)
			e.err = EPROTO;
		if (!e.err) {
			dev_one(dev, NULL);
			gen_table(dev);
		}
		break;
	case STATS_RESET:
		if (!e.err && dev_ctx.replies > 1)
			e.err = EPROTO;
		if (!e.err && dev_ctx.replies)
			dev_one(dev, NULL);
		break;
	case TABLE_GET:
		/* show names the table by the key it asked for */
		if (!e.err) {
			struct ctl_key key;

			REQUIRE(!key_parse("0000:00:10.0", &key));
			table_one(&key, &got, NULL);
		}
		break;
	case TABLE_DUMP:
		if (!e.err)
			ipc_table_dump_flush(dump_ctx);
		break;
	default:
		break;
	}
	free(dump_ctx);
	free(dev);
	free(ipc);
	free(buf);
	return 0;
}
