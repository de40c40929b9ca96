// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The cfgguard authors.
 *
 * The cfgguard generic netlink family: the handlers of the operations that
 * uapi/cfgguard.yaml defines and netlink-gen.c declares. Attribute types and
 * ranges are checked by the generated policies; what is left here is what a
 * policy cannot say.
 */

#include <linux/pci.h>
#include <linux/slab.h>
#include <net/genetlink.h>

#include "guard.h"
#include "netlink.h"
#include "netlink-gen.h"
#include "vfio_dev.h"

static struct genl_family cfgguard_genl_family;

/*
 * A table decides what a guest may do to host hardware, so changing policy
 * takes what the kernel asks for config space past the header through
 * sysfs: CAP_SYS_ADMIN in the initial user namespace, held by the caller
 * and by whoever opened the socket. Reading state only takes CAP_NET_ADMIN
 * (GENL_ADMIN_PERM), which a host-network container may well hold.
 */
static int cfgguard_may_change_policy(struct sk_buff *skb,
				      struct genl_info *info)
{
	if (netlink_capable(skb, CAP_SYS_ADMIN))
		return 0;
	NL_SET_ERR_MSG(info->extack,
		       "changing cfgguard policy needs CAP_SYS_ADMIN");
	return -EPERM;
}

/*
 * "dddd:bb:dd.f", lower-case, exactly as pci_name() spells it: a domain
 * past 0xffff (VMD, Hyper-V) takes up to 8 digits.
 */
static int cfgguard_parse_bdf(const struct nlattr *attr, u32 *domain, u8 *bus,
			      u8 *devfn, struct netlink_ext_ack *extack)
{
	unsigned int d, b, dev, fn;
	char canon[CFGGUARD_BDF_MAX_LEN + 1];
	const char *bdf = nla_data(attr);

	if (sscanf(bdf, "%8x:%2x:%2x.%1u", &d, &b, &dev, &fn) != 4 ||
	    dev > 0x1f || fn > 7)
		goto out_bad;
	snprintf(canon, sizeof(canon), "%04x:%02x:%02x.%u", d, b, dev, fn);
	if (strcmp(canon, bdf))
		goto out_bad;
	*domain = d;
	*bus = b;
	*devfn = PCI_DEVFN(dev, fn);
	return 0;

out_bad:
	NL_SET_ERR_MSG_ATTR(extack, attr,
			    "device address must be dddd:bb:dd.f in lower-case hex, as the kernel names the device");
	return -EINVAL;
}

/* A key is a device address, or a vendor and a device: exactly one. */
static int cfgguard_parse_key(struct genl_info *info, struct cfgguard_key *key)
{
	struct nlattr **attrs = info->attrs;
	bool model = attrs[CFGGUARD_A_DEV_VENDOR] || attrs[CFGGUARD_A_DEV_DEVICE];

	memset(key, 0, sizeof(*key));
	if (attrs[CFGGUARD_A_DEV_BDF] && model) {
		NL_SET_ERR_MSG_ATTR(info->extack, attrs[CFGGUARD_A_DEV_BDF],
				    "a key is a device address or a model, not both");
		return -EINVAL;
	}
	if (attrs[CFGGUARD_A_DEV_BDF]) {
		key->source = CFGGUARD_SOURCE_DEVICE;
		return cfgguard_parse_bdf(attrs[CFGGUARD_A_DEV_BDF],
					  &key->domain, &key->bus,
					  &key->devfn, info->extack);
	}
	if (!model) {
		NL_SET_ERR_MSG(info->extack,
			       "a key is needed: a device address, or a vendor and a device");
		return -EINVAL;
	}
	if (GENL_REQ_ATTR_CHECK(info, CFGGUARD_A_DEV_VENDOR) ||
	    GENL_REQ_ATTR_CHECK(info, CFGGUARD_A_DEV_DEVICE))
		return -EINVAL;
	key->source = CFGGUARD_SOURCE_MODEL;
	key->vendor = nla_get_u16(attrs[CFGGUARD_A_DEV_VENDOR]);
	key->device = nla_get_u16(attrs[CFGGUARD_A_DEV_DEVICE]);
	return 0;
}

static int cfgguard_put_key(struct sk_buff *skb, const struct cfgguard_key *key)
{
	char bdf[CFGGUARD_BDF_MAX_LEN + 1];

	if (key->source == CFGGUARD_SOURCE_MODEL)
		return nla_put_u16(skb, CFGGUARD_A_DEV_VENDOR, key->vendor) ?:
		       nla_put_u16(skb, CFGGUARD_A_DEV_DEVICE, key->device);
	snprintf(bdf, sizeof(bdf), "%04x:%02x:%02x.%u", key->domain, key->bus,
		 PCI_SLOT(key->devfn), PCI_FUNC(key->devfn));
	return nla_put_string(skb, CFGGUARD_A_DEV_BDF, bdf);
}

static int cfgguard_parse_range(const struct nlattr *nest,
				struct cfgguard_range *range,
				struct netlink_ext_ack *extack)
{
	struct nlattr *tb[CFGGUARD_A_RANGE_MAX + 1];
	int ret;

	ret = nla_parse_nested(tb, CFGGUARD_A_RANGE_MAX, nest,
			       cfgguard_range_nl_policy, extack);
	if (ret)
		return ret;
	if (NL_REQ_ATTR_CHECK(extack, nest, tb, CFGGUARD_A_RANGE_START) ||
	    NL_REQ_ATTR_CHECK(extack, nest, tb, CFGGUARD_A_RANGE_LEN) ||
	    NL_REQ_ATTR_CHECK(extack, nest, tb, CFGGUARD_A_RANGE_ACTION)) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "a range needs a start, a length and an action");
		return -EINVAL;
	}
	range->start = nla_get_u16(tb[CFGGUARD_A_RANGE_START]);
	range->len = nla_get_u16(tb[CFGGUARD_A_RANGE_LEN]);
	range->action = nla_get_u32(tb[CFGGUARD_A_RANGE_ACTION]);
	range->has_wmask = tb[CFGGUARD_A_RANGE_WMASK];
	if (range->has_wmask)
		range->wmask = nla_get_u32(tb[CFGGUARD_A_RANGE_WMASK]);
	return 0;
}

/* The @n-th range of a table-set request; a range's tag is its n. */
static struct nlattr *cfgguard_nth_range(struct genl_info *info, int n)
{
	struct nlattr *attr;
	int rem;

	nlmsg_for_each_attr(attr, info->nlhdr, GENL_HDRLEN, rem)
		if (nla_type(attr) == CFGGUARD_A_DEV_RANGE && !n--)
			return attr;
	return NULL;
}

/*
 * The reasons policy.c and guard.c give are static strings, which is what
 * extack keeps a pointer to; 6.1 has no formatted extack messages.
 */
static void cfgguard_refused(struct genl_info *info,
			     const struct cfgguard_policy_error *err)
{
	info->extack->_msg = err->msg;
	if (err->tag >= 0)
		NL_SET_BAD_ATTR(info->extack, cfgguard_nth_range(info, err->tag));
}

/* Builds a checked table from a table-set request. */
static struct cfgguard_table *cfgguard_parse_table(struct genl_info *info)
{
	struct cfgguard_policy_error err = {};
	struct nlattr **attrs = info->attrs;
	struct cfgguard_table *table;
	struct nlattr *attr;
	unsigned int nr = 0, cfg_size = CFGGUARD_CFG_SPACE_SIZE;
	int rem, ret;

	nlmsg_for_each_attr(attr, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(attr) != CFGGUARD_A_DEV_RANGE)
			continue;
		if (nr == CFGGUARD_MAX_RANGES) {
			NL_SET_ERR_MSG_ATTR(info->extack, attr, "too many ranges");
			return ERR_PTR(-E2BIG);
		}
		nr++;
	}
	if (attrs[CFGGUARD_A_DEV_CFG_SIZE]) {
		cfg_size = nla_get_u16(attrs[CFGGUARD_A_DEV_CFG_SIZE]);
		if (cfg_size != PCI_CFG_SPACE_SIZE &&
		    cfg_size != PCI_CFG_SPACE_EXP_SIZE) {
			NL_SET_ERR_MSG_ATTR(info->extack,
					    attrs[CFGGUARD_A_DEV_CFG_SIZE],
					    "config space size must be 256 or 4096");
			return ERR_PTR(-EINVAL);
		}
	}

	/* charged to the caller's memory cgroup: a table is its data */
	table = kvzalloc(struct_size(table, ranges, nr), GFP_KERNEL_ACCOUNT);
	if (!table)
		return ERR_PTR(-ENOMEM);
	ret = cfgguard_parse_key(info, &table->key);
	if (ret)
		goto out_free;
	if (attrs[CFGGUARD_A_DEV_CFG_SIZE])
		table->cfg_size = cfg_size;
	if (attrs[CFGGUARD_A_DEV_DEFAULT_ACTION])
		table->default_action =
			nla_get_u32(attrs[CFGGUARD_A_DEV_DEFAULT_ACTION]);
	nlmsg_for_each_attr(attr, info->nlhdr, GENL_HDRLEN, rem) {
		struct cfgguard_range *range = &table->ranges[table->nr_ranges];

		if (nla_type(attr) != CFGGUARD_A_DEV_RANGE)
			continue;
		ret = cfgguard_parse_range(attr, range, info->extack);
		if (ret)
			goto out_free;
		range->tag = table->nr_ranges++;
	}
	ret = cfgguard_ranges_check(table->ranges, nr, cfg_size, &err);
	if (ret) {
		cfgguard_refused(info, &err);
		goto out_free;
	}
	return table;

out_free:
	kvfree(table);
	return ERR_PTR(ret);
}

int cfgguard_nl_table_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct cfgguard_policy_error err = {};
	struct cfgguard_table *table;
	int ret;

	ret = cfgguard_may_change_policy(skb, info);
	if (ret)
		return ret;
	table = cfgguard_parse_table(info);
	if (IS_ERR(table))
		return PTR_ERR(table);
	ret = cfgguard_table_replace(table, &err);
	if (ret) {
		if (ret == -EINVAL)
			cfgguard_refused(info, &err);
		else if (ret == -ENOSPC)
			NL_SET_ERR_MSG(info->extack, "too many tables loaded ("
				       __stringify(CFGGUARD_MAX_TABLES) ")");
		kvfree(table);
	}
	return ret;
}

static int cfgguard_put_table(struct sk_buff *skb,
			      const struct cfgguard_table *table,
			      unsigned int *next_range)
{
	unsigned int i;

	if (cfgguard_put_key(skb, &table->key) ||
	    nla_put_u32(skb, CFGGUARD_A_DEV_DEFAULT_ACTION, table->default_action) ||
	    (table->cfg_size &&
	     nla_put_u16(skb, CFGGUARD_A_DEV_CFG_SIZE, table->cfg_size)))
		return -EMSGSIZE;

	for (i = *next_range; i < table->nr_ranges; i++) {
		const struct cfgguard_range *r = &table->ranges[i];
		struct nlattr *nest;

		nest = nla_nest_start(skb, CFGGUARD_A_DEV_RANGE);
		if (!nest)
			break;
		if (nla_put_u16(skb, CFGGUARD_A_RANGE_START, r->start) ||
		    nla_put_u16(skb, CFGGUARD_A_RANGE_LEN, r->len) ||
		    nla_put_u32(skb, CFGGUARD_A_RANGE_ACTION, r->action) ||
		    (r->has_wmask &&
		     nla_put_u32(skb, CFGGUARD_A_RANGE_WMASK, r->wmask))) {
			nla_nest_cancel(skb, nest);
			break;
		}
		nla_nest_end(skb, nest);
	}
	*next_range = i;
	return i < table->nr_ranges ? -EMSGSIZE : 0;
}

/* Room for a whole table in one reply. */
static size_t cfgguard_table_size(const struct cfgguard_table *table)
{
	return nla_total_size(CFGGUARD_BDF_MAX_LEN + 1) + 3 * nla_total_size(4) +
	       table->nr_ranges * (nla_total_size(0) + 4 * nla_total_size(4));
}

int cfgguard_nl_table_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct cfgguard_table *table;
	struct cfgguard_key key;
	struct sk_buff *msg;
	unsigned int next = 0;
	void *hdr;
	int ret;

	ret = cfgguard_parse_key(info, &key);
	if (ret)
		return ret;

	mutex_lock(&cfgguard_lock);
	table = cfgguard_table_find(&key);
	if (!table) {
		NL_SET_ERR_MSG(info->extack, "no table is loaded for this key");
		ret = -ENOENT;
		goto out_unlock;
	}
	msg = genlmsg_new(cfgguard_table_size(table), GFP_KERNEL);
	if (!msg) {
		ret = -ENOMEM;
		goto out_unlock;
	}
	hdr = genlmsg_put_reply(msg, info, &cfgguard_genl_family, 0,
				CFGGUARD_CMD_TABLE_GET);
	if (!hdr || cfgguard_put_table(msg, table, &next)) {
		nlmsg_free(msg);
		ret = -EMSGSIZE;
		goto out_unlock;
	}
	genlmsg_end(msg, hdr);
	ret = genlmsg_reply(msg, info);
out_unlock:
	mutex_unlock(&cfgguard_lock);
	return ret;
}

/*
 * Dump cursor: the index of the table or device to send next and, for a
 * table too big for one message, the range to continue from; the next
 * message then repeats the table's key and carries the rest.
 */
#define CFGGUARD_DUMP_INDEX(cb)	((cb)->args[0])
#define CFGGUARD_DUMP_RANGE(cb)	((cb)->args[1])

int cfgguard_nl_table_get_dumpit(struct sk_buff *skb,
				 struct netlink_callback *cb)
{
	struct cfgguard_table *table;
	unsigned long index = 0;
	unsigned int next;
	void *hdr;
	int ret = 0;

	mutex_lock(&cfgguard_lock);
	cb->seq = cfgguard_generation;
	list_for_each_entry(table, &cfgguard_tables, node) {
		if (index++ < CFGGUARD_DUMP_INDEX(cb))
			continue;
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &cfgguard_genl_family,
				  NLM_F_MULTI, CFGGUARD_CMD_TABLE_GET);
		if (!hdr)
			break;
		genl_dump_check_consistent(cb, hdr);
		next = CFGGUARD_DUMP_RANGE(cb);
		ret = cfgguard_put_table(skb, table, &next);
		if (ret && next == CFGGUARD_DUMP_RANGE(cb)) {
			/* not even one range fitted: retry in a fresh message */
			genlmsg_cancel(skb, hdr);
			ret = skb->len ? 0 : -EMSGSIZE;
			break;
		}
		genlmsg_end(skb, hdr);
		CFGGUARD_DUMP_RANGE(cb) = ret ? next : 0;
		if (ret) {
			ret = 0;
			break;
		}
		CFGGUARD_DUMP_INDEX(cb) = index;
	}
	mutex_unlock(&cfgguard_lock);
	return ret ?: skb->len;
}

int cfgguard_nl_table_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct cfgguard_key key;
	int ret;

	ret = cfgguard_may_change_policy(skb, info);
	if (ret)
		return ret;
	ret = cfgguard_parse_key(info, &key);
	if (ret)
		return ret;
	ret = cfgguard_table_delete(&key);
	if (ret == -ENOENT)
		NL_SET_ERR_MSG(info->extack, "no table is loaded for this key");
	return ret;
}

static int cfgguard_put_stats(struct sk_buff *skb,
			      const u64 counters[CFGGUARD_NR_COUNTERS])
{
	struct nlattr *nest;
	unsigned int i;

	nest = nla_nest_start(skb, CFGGUARD_A_DEV_STATS);
	if (!nest)
		return -EMSGSIZE;
	/* counters are in attribute order, after the pad attribute */
	BUILD_BUG_ON(CFGGUARD_A_STATS_READ_ALLOWED + CFGGUARD_NR_COUNTERS - 1 !=
		     CFGGUARD_A_STATS_MAX);
	for (i = 0; i < CFGGUARD_NR_COUNTERS; i++)
		if (nla_put_u64_64bit(skb, CFGGUARD_A_STATS_READ_ALLOWED + i,
				      counters[i], CFGGUARD_A_STATS_PAD)) {
			nla_nest_cancel(skb, nest);
			return -EMSGSIZE;
		}
	nla_nest_end(skb, nest);
	return 0;
}

/* A device's state; its config map only in the reply about it alone. */
static int cfgguard_put_dev(struct sk_buff *skb,
			    struct cfgguard_pci_core_device *cgdev, bool map)
{
	struct pci_dev *pdev = cfgguard_pdev(cgdev);
	const struct cfgguard_guard *guard;
	u64 counters[CFGGUARD_NR_COUNTERS];

	guard = rcu_dereference_protected(cgdev->guard,
					  lockdep_is_held(&cfgguard_lock));
	cfgguard_counters_read(&cgdev->events, counters, false);
	if (nla_put_string(skb, CFGGUARD_A_DEV_BDF, pci_name(pdev)) ||
	    nla_put_u16(skb, CFGGUARD_A_DEV_VENDOR, pdev->vendor) ||
	    nla_put_u16(skb, CFGGUARD_A_DEV_DEVICE, pdev->device) ||
	    nla_put_u16(skb, CFGGUARD_A_DEV_CFG_SIZE, cgdev->cfg_size) ||
	    nla_put_u32(skb, CFGGUARD_A_DEV_MODE, READ_ONCE(cgdev->mode)) ||
	    nla_put_u32(skb, CFGGUARD_A_DEV_SOURCE, guard->source) ||
	    cfgguard_put_stats(skb, counters) ||
	    nla_put_u64_64bit(skb, CFGGUARD_A_DEV_EVENT_SEQ,
			      cfgguard_events_seq(&cgdev->events),
			      CFGGUARD_A_DEV_PAD) ||
	    nla_put_u32(skb, CFGGUARD_A_DEV_MAP_SOURCE, cgdev->map_source) ||
	    (map && nla_put(skb, CFGGUARD_A_DEV_CONFIG_MAP, cgdev->cfg_size,
			    cgdev->config_map)))
		return -EMSGSIZE;
	return 0;
}

/* The bound device a request names, or an ERR_PTR with extack set. */
static struct cfgguard_pci_core_device *
cfgguard_device_from_info(struct genl_info *info)
{
	struct cfgguard_pci_core_device *cgdev;
	u32 domain;
	u8 bus, devfn;
	int ret;

	lockdep_assert_held(&cfgguard_lock);
	if (GENL_REQ_ATTR_CHECK(info, CFGGUARD_A_DEV_BDF))
		return ERR_PTR(-EINVAL);
	ret = cfgguard_parse_bdf(info->attrs[CFGGUARD_A_DEV_BDF], &domain,
				 &bus, &devfn, info->extack);
	if (ret)
		return ERR_PTR(ret);
	cgdev = cfgguard_device_find(domain, bus, devfn);
	if (!cgdev) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[CFGGUARD_A_DEV_BDF],
				    "no device at this address is bound to cfgguard-vfio-pci");
		return ERR_PTR(-ENODEV);
	}
	return cgdev;
}

int cfgguard_nl_dev_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct cfgguard_pci_core_device *cgdev;
	struct sk_buff *msg;
	void *hdr;
	int ret;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE +
			  nla_total_size(CFGGUARD_CFG_SPACE_SIZE), GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	mutex_lock(&cfgguard_lock);
	cgdev = cfgguard_device_from_info(info);
	if (IS_ERR(cgdev)) {
		ret = PTR_ERR(cgdev);
		goto out_free;
	}
	hdr = genlmsg_put_reply(msg, info, &cfgguard_genl_family, 0,
				CFGGUARD_CMD_DEV_GET);
	if (!hdr || cfgguard_put_dev(msg, cgdev, true)) {
		ret = -EMSGSIZE;
		goto out_free;
	}
	mutex_unlock(&cfgguard_lock);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

out_free:
	mutex_unlock(&cfgguard_lock);
	nlmsg_free(msg);
	return ret;
}

int cfgguard_nl_dev_get_dumpit(struct sk_buff *skb,
			       struct netlink_callback *cb)
{
	struct cfgguard_pci_core_device *cgdev;
	unsigned long index = 0;
	void *hdr;

	mutex_lock(&cfgguard_lock);
	cb->seq = cfgguard_generation;
	list_for_each_entry(cgdev, &cfgguard_devices, node) {
		if (index++ < CFGGUARD_DUMP_INDEX(cb))
			continue;
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &cfgguard_genl_family,
				  NLM_F_MULTI, CFGGUARD_CMD_DEV_GET);
		if (!hdr)
			break;
		genl_dump_check_consistent(cb, hdr);
		if (cfgguard_put_dev(skb, cgdev, false)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		CFGGUARD_DUMP_INDEX(cb) = index;
	}
	mutex_unlock(&cfgguard_lock);
	return skb->len;
}

int cfgguard_nl_mode_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct cfgguard_pci_core_device *cgdev;
	int ret;

	ret = cfgguard_may_change_policy(skb, info);
	if (ret)
		return ret;
	if (GENL_REQ_ATTR_CHECK(info, CFGGUARD_A_DEV_MODE))
		return -EINVAL;

	mutex_lock(&cfgguard_lock);
	cgdev = cfgguard_device_from_info(info);
	if (IS_ERR(cgdev)) {
		ret = PTR_ERR(cgdev);
	} else {
		WRITE_ONCE(cgdev->mode,
			   nla_get_u32(info->attrs[CFGGUARD_A_DEV_MODE]));
		cfgguard_allowed_runs_update(cgdev);
	}
	mutex_unlock(&cfgguard_lock);
	return ret;
}

int cfgguard_nl_stats_reset_doit(struct sk_buff *skb, struct genl_info *info)
{
	u64 counters[CFGGUARD_NR_COUNTERS];
	struct cfgguard_pci_core_device *cgdev;
	struct sk_buff *msg;
	void *hdr;
	int ret;

	ret = cfgguard_may_change_policy(skb, info);
	if (ret)
		return ret;
	ret = -EMSGSIZE;
	/* sized for the reply, so a reset is never left unreported */
	msg = genlmsg_new(nla_total_size(CFGGUARD_BDF_MAX_LEN + 1) +
			  nla_total_size(0) +
			  CFGGUARD_NR_COUNTERS * nla_total_size_64bit(8),
			  GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	mutex_lock(&cfgguard_lock);
	cgdev = cfgguard_device_from_info(info);
	if (IS_ERR(cgdev)) {
		ret = PTR_ERR(cgdev);
		goto out_free;
	}
	hdr = genlmsg_put_reply(msg, info, &cfgguard_genl_family, 0,
				CFGGUARD_CMD_STATS_RESET);
	if (!hdr)
		goto out_free;
	cfgguard_counters_read(&cgdev->events, counters, true);
	if (nla_put_string(msg, CFGGUARD_A_DEV_BDF,
			   pci_name(cfgguard_pdev(cgdev))) ||
	    cfgguard_put_stats(msg, counters))
		goto out_free;
	mutex_unlock(&cfgguard_lock);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

out_free:
	mutex_unlock(&cfgguard_lock);
	nlmsg_free(msg);
	return ret;
}

/*
 * Events tell which guest touched which register: only CAP_NET_ADMIN may
 * listen, which genl_bind() checks on join (Kbuild refuses kernels where
 * it would not).
 */
static const struct genl_multicast_group cfgguard_genl_mcgrps[] = {
	[CFGGUARD_NLGRP_EVENTS] = {
		.name	= CFGGUARD_MCGRP_EVENTS,
		.flags	= GENL_MCAST_CAP_NET_ADMIN,
	},
};

static struct genl_family cfgguard_genl_family __ro_after_init = {
	.name		= CFGGUARD_FAMILY_NAME,
	.version	= CFGGUARD_FAMILY_VERSION,
	.module		= THIS_MODULE,
	.ops		= cfgguard_nl_ops,
	.n_ops		= ARRAY_SIZE(cfgguard_nl_ops),
	.mcgrps		= cfgguard_genl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(cfgguard_genl_mcgrps),
	/* every command takes cfgguard_lock; no need for genl_mutex */
	.parallel_ops	= true,
	/* PCI devices belong to the host, not to a network namespace */
	.netnsok	= false,
};

/**
 * cfgguard_genl_init() - register the family; userspace can reach us now
 *
 * Return: 0 or a negative errno.
 */
int cfgguard_genl_init(void)
{
	return genl_register_family(&cfgguard_genl_family);
}

/**
 * cfgguard_genl_exit() - unregister the family
 */
void cfgguard_genl_exit(void)
{
	genl_unregister_family(&cfgguard_genl_family);
}

/**
 * cfgguard_genl_has_listeners() - whether anyone listens for events
 *
 * Return: true if the events group has a member.
 */
bool cfgguard_genl_has_listeners(void)
{
	return genl_has_listeners(&cfgguard_genl_family, &init_net,
				  CFGGUARD_NLGRP_EVENTS);
}

/**
 * cfgguard_genl_event_put() - start an access event in @skb
 * @skb: a new message
 *
 * Return: the header to pass to genlmsg_end(), or NULL.
 */
void *cfgguard_genl_event_put(struct sk_buff *skb)
{
	return genlmsg_put(skb, 0, 0, &cfgguard_genl_family, 0,
			   CFGGUARD_CMD_ACCESS);
}

/**
 * cfgguard_genl_event_send() - send an event to the events group
 * @skb: the finished event; consumed
 *
 * Return: 0, -ESRCH if nobody received it, or another negative errno.
 */
int cfgguard_genl_event_send(struct sk_buff *skb)
{
	return genlmsg_multicast(&cfgguard_genl_family, skb, 0,
				 CFGGUARD_NLGRP_EVENTS,
				 GFP_NOWAIT | __GFP_NOWARN);
}
