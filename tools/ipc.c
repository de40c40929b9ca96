// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The cfgguard authors.
 *
 * libnl-genl-3 backend of ipc.h. libnl has no extended-ACK support, so the
 * error callback parses NLMSGERR attributes itself, as iw does.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <linux/cfgguard.h>

#include "ipc.h"

_Static_assert((int)TABLE_ALLOW == (int)CFGGUARD_ACTION_ALLOW &&
	       (int)TABLE_READ_ONLY == (int)CFGGUARD_ACTION_READ_ONLY &&
	       (int)TABLE_DENY == (int)CFGGUARD_ACTION_DENY,
	       "table.h and the uapi number actions alike");
_Static_assert(TABLE_MAX_RANGES == CFGGUARD_MAX_RANGES, "same limit");
_Static_assert(CTL_NR_STATS == CFGGUARD_A_STATS_MAX - CFGGUARD_A_STATS_PAD,
	       "one counter per stats attribute");

const char *const stats_names[CTL_NR_STATS] = {
	"read_allowed", "read_blocked", "read_audited",
	"write_allowed", "write_blocked", "write_masked", "write_audited",
	"suppressed", "lost", "events", "unwatched",
};

/* Replies are checked against the spec's types before any nla_get. */
static const struct nla_policy dev_policy[CFGGUARD_A_DEV_MAX + 1] = {
	[CFGGUARD_A_DEV_BDF]		= { .type = NLA_STRING, .maxlen = CTL_BDF_SIZE },
	[CFGGUARD_A_DEV_VENDOR]		= CTL_NLA_FIXED(NLA_U16, 2),
	[CFGGUARD_A_DEV_DEVICE]		= CTL_NLA_FIXED(NLA_U16, 2),
	[CFGGUARD_A_DEV_DEFAULT_ACTION]	= CTL_NLA_FIXED(NLA_U32, 4),
	[CFGGUARD_A_DEV_CFG_SIZE]	= CTL_NLA_FIXED(NLA_U16, 2),
	[CFGGUARD_A_DEV_RANGE]		= { .type = NLA_NESTED },
	[CFGGUARD_A_DEV_MODE]		= CTL_NLA_FIXED(NLA_U32, 4),
	[CFGGUARD_A_DEV_SOURCE]		= CTL_NLA_FIXED(NLA_U32, 4),
	[CFGGUARD_A_DEV_STATS]		= { .type = NLA_NESTED },
	[CFGGUARD_A_DEV_EVENT_SEQ]	= CTL_NLA_FIXED(NLA_U64, 8),
	[CFGGUARD_A_DEV_MAP_SOURCE]	= CTL_NLA_FIXED(NLA_U32, 4),
	[CFGGUARD_A_DEV_CONFIG_MAP]	= { .type = NLA_UNSPEC, .maxlen = CFGGUARD_CFG_SPACE_SIZE },
};

static const struct nla_policy range_policy[CFGGUARD_A_RANGE_MAX + 1] = {
	[CFGGUARD_A_RANGE_START]	= CTL_NLA_FIXED(NLA_U16, 2),
	[CFGGUARD_A_RANGE_LEN]		= CTL_NLA_FIXED(NLA_U16, 2),
	[CFGGUARD_A_RANGE_ACTION]	= CTL_NLA_FIXED(NLA_U32, 4),
	[CFGGUARD_A_RANGE_WMASK]	= CTL_NLA_FIXED(NLA_U32, 4),
};

static const struct nla_policy stats_policy[CFGGUARD_A_STATS_MAX + 1] = {
	[CFGGUARD_A_STATS_READ_ALLOWED ... CFGGUARD_A_STATS_MAX] = CTL_NLA_FIXED(NLA_U64, 8),
};

static const struct nla_policy extack_policy[NLMSGERR_ATTR_MAX + 1] = {
	[NLMSGERR_ATTR_MSG]		= { .type = NLA_STRING },
	[NLMSGERR_ATTR_OFFS]		= CTL_NLA_FIXED(NLA_U32, 4),
	[NLMSGERR_ATTR_MISS_TYPE]	= CTL_NLA_FIXED(NLA_U32, 4),
};

struct ipc {
	struct nl_sock *sk;
	int family;
	struct nl_msg *msg;
	struct ipc_error *e;
	/* offsets of the range nests in the request, to name a bad one */
	unsigned int nr_ranges;
	uint32_t range_offs[TABLE_MAX_RANGES];
	/* reply handling: each reply's attributes, parsed and raw */
	int (*parse)(struct nlattr **tb, struct nlattr *attrs, int len,
		     void *arg);
	void *arg;
	int done;
};

#define HEX "0123456789abcdef"

/*
 * "%04x:%02x:%02x.%d", the kernel's pci_name(), and nothing else: the
 * kernel compares names, so "0:0:10.0" or upper case would name no device.
 * lspci's "bb:dd.f" is domain 0. Writes the canonical form to out.
 */
static bool bdf_parse(const char *s, char out[CTL_BDF_SIZE])
{
	size_t n = strspn(s, HEX);
	const char *bus = s;
	unsigned long slot;

	if (n >= 4 && n <= 8 && s[n] == ':') {
		if (n > 4 && s[0] == '0')
			return false;	/* %04x pads to 4 digits only */
		bus = s + n + 1;
	} else if (n != 2 || s[n] != ':') {
		return false;
	}
	if (strspn(bus, HEX) != 2 || bus[2] != ':' ||
	    strspn(bus + 3, HEX) != 2 || bus[5] != '.' ||
	    bus[6] < '0' || bus[6] > '7' || bus[7])
		return false;
	slot = strtoul(bus + 3, NULL, 16);	/* stops at the '.' */
	if (slot > 0x1f)
		return false;
	snprintf(out, CTL_BDF_SIZE, "%s%s", bus == s ? "0000:" : "", s);
	return true;
}

int key_parse(const char *arg, struct ctl_key *key)
{
	unsigned int v, dev;
	int n = -1;

	memset(key, 0, sizeof(*key));
	if (sscanf(arg, "%4x:%4x%n", &v, &dev, &n) == 2 && arg[n] == '\0' &&
	    !strchr(arg, '.')) {
		key->model = true;
		key->vendor = v;
		key->device = dev;
		return 0;
	}
	return bdf_parse(arg, key->bdf) ? 0 : -1;
}

void key_format(const struct ctl_key *key, char *buf, size_t len)
{
	if (key->model)
		snprintf(buf, len, "%04x:%04x", key->vendor, key->device);
	else
		snprintf(buf, len, "%s", key->bdf);
}

const char *mode_name(uint32_t mode)
{
	static const char *const names[] = { "enforce", "audit", "off" };

	return mode < 3 ? names[mode] : "unknown";
}

const char *source_name(uint32_t source)
{
	static const char *const names[] = { "default", "model", "device" };

	return source < 3 ? names[source] : "unknown";
}

void ipc_perror_no_family(const char *what)
{
	/* the family exists only in the initial network namespace */
	if (!access("/sys/module/cfgguard_vfio_pci", F_OK))
		fprintf(stderr, "%s: no cfgguard family in this network namespace (only the host's initial one has it)\n",
			what);
	else
		fprintf(stderr, "%s: the cfgguard module is not loaded (modprobe cfgguard-vfio-pci)\n",
			what);
}

void ipc_perror(const char *what, const struct ipc_error *e)
{
	if (e->no_family) {
		ipc_perror_no_family(what);
		return;
	}
	fprintf(stderr, "%s: %s\n", what, strerror(e->err));
	if (e->msg[0])
		fprintf(stderr, "kernel: %s\n", e->msg);
}

/*
 * An error, as libnl hands it over: nlh in the receive buffer, its
 * nlmsg_len within what was received and at least a struct nlmsgerr
 * long, the error not 0. The callbacks only unwrap what libnl gives
 * them (tests/fuzz/fuzz-reply.c feeds them as libnl does).
 */
static int ipc_reply_error(struct ipc *ipc, struct nlmsghdr *nlh)
{
	struct nlmsgerr *err = nlmsg_data(nlh);
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	unsigned int ack_len = sizeof(*nlh) + sizeof(int) + sizeof(*nlh);
	int len = nlh->nlmsg_len;

	/* a -errno, at most the kernel's MAX_ERRNO: -INT_MIN would overflow */
	ipc->e->err = EPROTO;
	if (err->error < 0 && err->error > -4096)
		ipc->e->err = -err->error;
	ipc->done = -ipc->e->err;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return NL_STOP;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
		/* the echoed request's length is the sender's word: bound it */
		if (err->msg.nlmsg_len < sizeof(*nlh) ||
		    err->msg.nlmsg_len > (unsigned int)len)
			return NL_STOP;
		ack_len += err->msg.nlmsg_len - sizeof(*nlh);
	}
	if (len <= (int)ack_len)
		return NL_STOP;
	if (nla_parse(tb, NLMSGERR_ATTR_MAX, (struct nlattr *)((char *)nlh + ack_len),
		      len - ack_len, extack_policy))
		return NL_STOP;
	if (tb[NLMSGERR_ATTR_MSG])
		snprintf(ipc->e->msg, sizeof(ipc->e->msg), "%.*s",
			 nla_len(tb[NLMSGERR_ATTR_MSG]),
			 (char *)nla_data(tb[NLMSGERR_ATTR_MSG]));
	else if (tb[NLMSGERR_ATTR_MISS_TYPE])
		snprintf(ipc->e->msg, sizeof(ipc->e->msg),
			 "missing attribute %u%s",
			 nla_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]),
			 tb[NLMSGERR_ATTR_MISS_NEST] ? " in a nest" : "");
	if (tb[NLMSGERR_ATTR_OFFS]) {
		uint32_t offs = nla_get_u32(tb[NLMSGERR_ATTR_OFFS]);

		/* the offset may name a range nest or an attribute in one */
		for (unsigned int i = ipc->nr_ranges; i-- > 0;)
			if (offs >= ipc->range_offs[i]) {
				ipc->e->range = i;
				break;
			}
	}
	return NL_STOP;
}

static int ipc_error_cb(struct sockaddr_nl *nla, struct nlmsgerr *err,
			void *arg)
{
	(void)nla;
	return ipc_reply_error(arg, (struct nlmsghdr *)err - 1);
}

static int ipc_ack_cb(struct nl_msg *msg, void *arg)
{
	(void)msg;
	((struct ipc *)arg)->done = 1;
	return NL_STOP;
}

/* A reply, as libnl hands it over: a copy of nlmsg_len bytes. */
static int ipc_reply(struct ipc *ipc, struct nlmsghdr *nlh)
{
	struct nlattr *tb[CFGGUARD_A_DEV_MAX + 1];
	struct genlmsghdr *gnlh = nlmsg_data(nlh);

	/* a reply we cannot read fails the call: skipping it would lie */
	if (!genlmsg_valid_hdr(nlh, 0) ||
	    nla_parse(tb, CFGGUARD_A_DEV_MAX, genlmsg_attrdata(gnlh, 0),
		      genlmsg_attrlen(gnlh, 0), dev_policy) ||
	    (ipc->parse &&
	     ipc->parse(tb, genlmsg_attrdata(gnlh, 0), genlmsg_attrlen(gnlh, 0),
			ipc->arg))) {
		ipc->e->err = EPROTO;
		ipc->done = -EPROTO;
		return NL_STOP;
	}
	return NL_OK;
}

static int ipc_valid_cb(struct nl_msg *msg, void *arg)
{
	return ipc_reply(arg, nlmsg_hdr(msg));
}

static int ipc_open(struct ipc *ipc, struct ipc_error *e, uint8_t cmd, int flags)
{
	int one = 1;

	memset(e, 0, sizeof(*e));
	e->range = -1;
	ipc->e = e;
	ipc->nr_ranges = 0;
	ipc->done = 0;
	ipc->sk = nl_socket_alloc();
	if (!ipc->sk || genl_connect(ipc->sk)) {
		e->err = errno ?: ENOMEM;
		goto out_free;
	}
	setsockopt(nl_socket_get_fd(ipc->sk), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	/* a full table is ~40 KiB each way */
	nl_socket_set_buffer_size(ipc->sk, 1 << 20, 1 << 20);
	nl_socket_enable_msg_peek(ipc->sk);
	/*
	 * libnl peeks at each datagram's size and grows its buffer to it
	 * (3.7 starts at four pages), so a dev-get reply with its 4 KiB
	 * config map, or a dump's up-to-32 KiB datagrams, arrive whole.
	 */
	ipc->family = genl_ctrl_resolve(ipc->sk, CFGGUARD_FAMILY_NAME);
	if (ipc->family < 0) {
		e->no_family = true;
		e->err = ENOENT;
		goto out_free;
	}
	ipc->msg = nlmsg_alloc_size(64 * 1024);
	if (!ipc->msg ||
	    !genlmsg_put(ipc->msg, NL_AUTO_PORT, NL_AUTO_SEQ, ipc->family, 0,
			 flags, cmd, CFGGUARD_FAMILY_VERSION)) {
		e->err = ENOMEM;
		goto out_free;
	}
	return 0;

out_free:
	nlmsg_free(ipc->msg);
	nl_socket_free(ipc->sk);
	ipc->msg = NULL;
	ipc->sk = NULL;
	return -1;
}

/* Sends the request and processes replies until the ACK or an error. */
static int ipc_run(struct ipc *ipc)
{
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);
	int ret;

	if (!cb) {
		ipc->e->err = ENOMEM;
		goto out;
	}
	nl_cb_err(cb, NL_CB_CUSTOM, ipc_error_cb, ipc);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, ipc_ack_cb, ipc);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, ipc_ack_cb, ipc);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, ipc_valid_cb, ipc);

	ret = nl_send_auto(ipc->sk, ipc->msg);
	if (ret < 0) {
		ipc->e->err = ret == -NLE_MSGSIZE ? EMSGSIZE : EIO;
		goto out;
	}
	while (!ipc->done) {
		ret = nl_recvmsgs(ipc->sk, cb);
		if (ret < 0 && !ipc->done) {
			ipc->e->err = ret == -NLE_DUMP_INTR ? EAGAIN : EIO;
			break;
		}
	}
out:
	nl_cb_put(cb);
	nlmsg_free(ipc->msg);
	nl_socket_free(ipc->sk);
	return ipc->e->err ? -1 : 0;
}

static int ipc_put_key(struct ipc *ipc, const struct ctl_key *key)
{
	if (key->model)
		return nla_put_u16(ipc->msg, CFGGUARD_A_DEV_VENDOR, key->vendor) ||
		       nla_put_u16(ipc->msg, CFGGUARD_A_DEV_DEVICE, key->device);
	return nla_put_string(ipc->msg, CFGGUARD_A_DEV_BDF, key->bdf);
}

static int ipc_put_msg_failed(struct ipc *ipc)
{
	ipc->e->err = EMSGSIZE;
	nlmsg_free(ipc->msg);
	nl_socket_free(ipc->sk);
	return -1;
}

/*
 * One request with an optional key and mode, its replies handed to @parse:
 * every command but table-set.
 */
static int ipc_request(uint8_t cmd, int flags, const struct ctl_key *key,
		       const uint32_t *mode,
		       int (*parse)(struct nlattr **, struct nlattr *, int, void *),
		       void *arg, struct ipc_error *e)
{
	struct ipc *ipc = calloc(1, sizeof(*ipc));
	int ret = -1;

	if (!ipc) {
		e->err = ENOMEM;
		return -1;
	}
	if (ipc_open(ipc, e, cmd, flags))
		goto out;
	if ((key && ipc_put_key(ipc, key)) ||
	    (mode && nla_put_u32(ipc->msg, CFGGUARD_A_DEV_MODE, *mode))) {
		ret = ipc_put_msg_failed(ipc);
		goto out;
	}
	ipc->parse = parse;
	ipc->arg = arg;
	ret = ipc_run(ipc);
out:
	free(ipc);
	return ret;
}

static struct ctl_key bdf_key(const char *bdf)
{
	struct ctl_key key = { 0 };

	snprintf(key.bdf, sizeof(key.bdf), "%s", bdf);
	return key;
}

int ipc_table_set(const struct ctl_key *key, const struct table *table,
		  struct ipc_error *e)
{
	struct ipc *ipc = calloc(1, sizeof(*ipc));
	int ret = -1;

	if (!ipc) {
		e->err = ENOMEM;
		return -1;
	}
	if (ipc_open(ipc, e, CFGGUARD_CMD_TABLE_SET, NLM_F_ACK))
		goto out;
	if (ipc_put_key(ipc, key) ||
	    nla_put_u32(ipc->msg, CFGGUARD_A_DEV_DEFAULT_ACTION, table->default_action) ||
	    (table->cfg_size &&
	     nla_put_u16(ipc->msg, CFGGUARD_A_DEV_CFG_SIZE, table->cfg_size))) {
		ret = ipc_put_msg_failed(ipc);
		goto out;
	}
	for (unsigned int i = 0; i < table->nr_ranges; i++) {
		const struct table_range *r = &table->ranges[i];
		struct nlattr *nest = nla_nest_start(ipc->msg, CFGGUARD_A_DEV_RANGE | NLA_F_NESTED);

		if (!nest ||
		    nla_put_u16(ipc->msg, CFGGUARD_A_RANGE_START, r->start) ||
		    nla_put_u16(ipc->msg, CFGGUARD_A_RANGE_LEN, r->len) ||
		    nla_put_u32(ipc->msg, CFGGUARD_A_RANGE_ACTION, r->action) ||
		    (r->has_wmask &&
		     nla_put_u32(ipc->msg, CFGGUARD_A_RANGE_WMASK, r->wmask))) {
			ret = ipc_put_msg_failed(ipc);
			goto out;
		}
		ipc->range_offs[ipc->nr_ranges++] =
			(char *)nest - (char *)nlmsg_hdr(ipc->msg);
		nla_nest_end(ipc->msg, nest);
	}
	ret = ipc_run(ipc);
out:
	free(ipc);
	return ret;
}

/* Appends the ranges of one reply to a table (a dump may split a table). */
static int ipc_parse_table(struct nlattr **tb, struct nlattr *attrs, int len,
			   struct ctl_key *key, struct table *table)
{
	struct nlattr *attr, *rtb[CFGGUARD_A_RANGE_MAX + 1];
	int rem;

	memset(key, 0, sizeof(*key));
	if (tb[CFGGUARD_A_DEV_BDF]) {
		if (!bdf_parse(nla_get_string(tb[CFGGUARD_A_DEV_BDF]), key->bdf))
			return -1;
	} else if (tb[CFGGUARD_A_DEV_VENDOR] && tb[CFGGUARD_A_DEV_DEVICE]) {
		key->model = true;
		key->vendor = nla_get_u16(tb[CFGGUARD_A_DEV_VENDOR]);
		key->device = nla_get_u16(tb[CFGGUARD_A_DEV_DEVICE]);
	} else {
		return -1;
	}
	if (tb[CFGGUARD_A_DEV_DEFAULT_ACTION])
		table->default_action = nla_get_u32(tb[CFGGUARD_A_DEV_DEFAULT_ACTION]);
	if (tb[CFGGUARD_A_DEV_CFG_SIZE])
		table->cfg_size = nla_get_u16(tb[CFGGUARD_A_DEV_CFG_SIZE]);

	nla_for_each_attr(attr, attrs, len, rem) {
		struct table_range *r;

		if (nla_type(attr) != CFGGUARD_A_DEV_RANGE)
			continue;
		if (table->nr_ranges == TABLE_MAX_RANGES ||
		    nla_parse_nested(rtb, CFGGUARD_A_RANGE_MAX, attr, range_policy) ||
		    !rtb[CFGGUARD_A_RANGE_START] || !rtb[CFGGUARD_A_RANGE_LEN] ||
		    !rtb[CFGGUARD_A_RANGE_ACTION])
			return -1;
		r = &table->ranges[table->nr_ranges++];
		memset(r, 0, sizeof(*r));
		r->start = nla_get_u16(rtb[CFGGUARD_A_RANGE_START]);
		r->len = nla_get_u16(rtb[CFGGUARD_A_RANGE_LEN]);
		r->action = nla_get_u32(rtb[CFGGUARD_A_RANGE_ACTION]);
		r->has_wmask = rtb[CFGGUARD_A_RANGE_WMASK];
		if (r->has_wmask)
			r->wmask = nla_get_u32(rtb[CFGGUARD_A_RANGE_WMASK]);
	}
	return 0;
}

struct table_get_ctx {
	struct ctl_key key;
	struct table *table;
};

static int ipc_table_get_parse(struct nlattr **tb, struct nlattr *attrs,
			       int len, void *arg)
{
	struct table_get_ctx *ctx = arg;

	return ipc_parse_table(tb, attrs, len, &ctx->key, ctx->table);
}

int ipc_table_get(const struct ctl_key *key, struct table *table,
		  struct ipc_error *e)
{
	struct table_get_ctx ctx = { .table = table };

	memset(table, 0, sizeof(*table));
	return ipc_request(CFGGUARD_CMD_TABLE_GET, NLM_F_ACK, key, NULL,
			   ipc_table_get_parse, &ctx, e);
}

/*
 * A dump sends a table too big for one message as several, each with the
 * table's key; they are merged here and handed on whole.
 */
struct table_dump_ctx {
	int (*fn)(const struct ctl_key *, const struct table *, void *);
	void *arg;
	bool pending;
	struct ctl_key key;
	struct table table;
	int ret;
};

static void ipc_table_dump_flush(struct table_dump_ctx *ctx)
{
	if (ctx->pending && !ctx->ret)
		ctx->ret = ctx->fn(&ctx->key, &ctx->table, ctx->arg);
	ctx->pending = false;
}

static int ipc_table_dump_parse(struct nlattr **tb, struct nlattr *attrs,
				int len, void *arg)
{
	struct table_dump_ctx *ctx = arg;
	struct ctl_key key;
	struct table *part = calloc(1, sizeof(*part));
	int ret = -1;

	if (!part)
		return -1;
	if (ipc_parse_table(tb, attrs, len, &key, part))
		goto out;
	if (!ctx->pending || memcmp(&key, &ctx->key, sizeof(key))) {
		ipc_table_dump_flush(ctx);
		ctx->key = key;
		ctx->table = *part;
		ctx->pending = true;
	} else {
		if (ctx->table.nr_ranges + part->nr_ranges > TABLE_MAX_RANGES)
			goto out;
		memcpy(&ctx->table.ranges[ctx->table.nr_ranges], part->ranges,
		       part->nr_ranges * sizeof(part->ranges[0]));
		ctx->table.nr_ranges += part->nr_ranges;
	}
	ret = 0;
out:
	free(part);
	return ret;
}

int ipc_table_dump(int (*fn)(const struct ctl_key *, const struct table *, void *),
		   void *arg, struct ipc_error *e)
{
	struct table_dump_ctx *ctx = calloc(1, sizeof(*ctx));
	int ret;

	if (!ctx) {
		e->err = ENOMEM;
		return -1;
	}
	ctx->fn = fn;
	ctx->arg = arg;
	ret = ipc_request(CFGGUARD_CMD_TABLE_GET, NLM_F_DUMP, NULL, NULL,
			  ipc_table_dump_parse, ctx, e);
	if (!ret) {
		ipc_table_dump_flush(ctx);
		ret = ctx->ret;
	}
	free(ctx);
	return ret;
}

int ipc_table_del(const struct ctl_key *key, struct ipc_error *e)
{
	return ipc_request(CFGGUARD_CMD_TABLE_DEL, NLM_F_ACK, key, NULL, NULL,
			   NULL, e);
}

int ipc_mode_set(const char *bdf, uint32_t mode, struct ipc_error *e)
{
	struct ctl_key key = bdf_key(bdf);

	return ipc_request(CFGGUARD_CMD_MODE_SET, NLM_F_ACK, &key, &mode, NULL,
			   NULL, e);
}

/* Counters an older module does not have read as 0. */
static int ipc_parse_stats(struct nlattr *nest, uint64_t stats[CTL_NR_STATS])
{
	struct nlattr *stb[CFGGUARD_A_STATS_MAX + 1];

	if (!nest)
		return 0;
	if (nla_parse_nested(stb, CFGGUARD_A_STATS_MAX, nest, stats_policy))
		return -1;
	for (int i = 0; i < CTL_NR_STATS; i++)
		if (stb[CFGGUARD_A_STATS_READ_ALLOWED + i])
			stats[i] = nla_get_u64(stb[CFGGUARD_A_STATS_READ_ALLOWED + i]);
	return 0;
}

/*
 * Event-seq and map-source are absent from an older module's replies and
 * read as 0; a config map is only in the reply to a dev-get of one device.
 */
static int ipc_parse_dev(struct nlattr **tb, struct ctl_dev *dev)
{
	struct nlattr *map = tb[CFGGUARD_A_DEV_CONFIG_MAP];

	memset(dev, 0, sizeof(*dev));
	if (!tb[CFGGUARD_A_DEV_BDF] || !tb[CFGGUARD_A_DEV_VENDOR] ||
	    !tb[CFGGUARD_A_DEV_DEVICE] || !tb[CFGGUARD_A_DEV_CFG_SIZE] ||
	    !tb[CFGGUARD_A_DEV_MODE] || !tb[CFGGUARD_A_DEV_SOURCE] ||
	    !bdf_parse(nla_get_string(tb[CFGGUARD_A_DEV_BDF]), dev->bdf))
		return -1;
	dev->vendor = nla_get_u16(tb[CFGGUARD_A_DEV_VENDOR]);
	dev->device = nla_get_u16(tb[CFGGUARD_A_DEV_DEVICE]);
	dev->cfg_size = nla_get_u16(tb[CFGGUARD_A_DEV_CFG_SIZE]);
	dev->mode = nla_get_u32(tb[CFGGUARD_A_DEV_MODE]);
	dev->source = nla_get_u32(tb[CFGGUARD_A_DEV_SOURCE]);
	if (tb[CFGGUARD_A_DEV_EVENT_SEQ])
		dev->event_seq = nla_get_u64(tb[CFGGUARD_A_DEV_EVENT_SEQ]);
	if (tb[CFGGUARD_A_DEV_MAP_SOURCE])
		dev->map_source = nla_get_u32(tb[CFGGUARD_A_DEV_MAP_SOURCE]);
	if (map) {
		/* one byte per config byte, or it describes some other space */
		if (dev->cfg_size > sizeof(dev->config_map) ||
		    nla_len(map) != dev->cfg_size)
			return -1;
		memcpy(dev->config_map, nla_data(map), dev->cfg_size);
		dev->has_map = true;
	}
	return ipc_parse_stats(tb[CFGGUARD_A_DEV_STATS], dev->stats);
}

struct dev_ctx {
	int (*fn)(const struct ctl_dev *, void *);
	void *arg;
	struct ctl_dev *dev;
	unsigned int replies;
};

static int ipc_dev_parse(struct nlattr **tb, struct nlattr *attrs, int len,
			 void *arg)
{
	struct dev_ctx *ctx = arg;
	struct ctl_dev dev;

	(void)attrs;
	(void)len;
	if (ipc_parse_dev(tb, ctx->dev ?: &dev))
		return -1;
	ctx->replies++;
	return ctx->fn ? ctx->fn(&dev, ctx->arg) : 0;
}

int ipc_dev_get(const char *bdf, struct ctl_dev *dev, struct ipc_error *e)
{
	struct dev_ctx ctx = { .dev = dev };
	struct ctl_key key = bdf_key(bdf);

	if (ipc_request(CFGGUARD_CMD_DEV_GET, NLM_F_ACK, &key, NULL,
			ipc_dev_parse, &ctx, e))
		return -1;
	/* an ACK alone would leave *dev unwritten */
	if (ctx.replies != 1) {
		e->err = EPROTO;
		return -1;
	}
	return 0;
}

int ipc_dev_dump(int (*fn)(const struct ctl_dev *, void *), void *arg,
		 struct ipc_error *e)
{
	struct dev_ctx ctx = { .fn = fn, .arg = arg };

	return ipc_request(CFGGUARD_CMD_DEV_GET, NLM_F_DUMP, NULL, NULL,
			   ipc_dev_parse, &ctx, e);
}

/* The reply to a reset: the address and the counters it took. */
static int ipc_reset_parse(struct nlattr **tb, struct nlattr *attrs, int len,
			   void *arg)
{
	struct dev_ctx *ctx = arg;

	(void)attrs;
	(void)len;
	memset(ctx->dev, 0, sizeof(*ctx->dev));
	if (!tb[CFGGUARD_A_DEV_BDF] ||
	    !bdf_parse(nla_get_string(tb[CFGGUARD_A_DEV_BDF]), ctx->dev->bdf) ||
	    ipc_parse_stats(tb[CFGGUARD_A_DEV_STATS], ctx->dev->stats))
		return -1;
	ctx->replies++;
	return 0;
}

int ipc_stats_reset(const char *bdf, struct ctl_dev *taken, struct ipc_error *e)
{
	struct dev_ctx ctx = { .dev = taken };
	struct ctl_key key = bdf_key(bdf);

	taken->bdf[0] = '\0';
	if (ipc_request(CFGGUARD_CMD_STATS_RESET, NLM_F_ACK, &key, NULL,
			ipc_reset_parse, &ctx, e))
		return -1;
	if (ctx.replies > 1) {
		e->err = EPROTO;
		return -1;
	}
	return 0;
}
