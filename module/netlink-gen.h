/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	uapi/cfgguard.yaml */
/* YNL-GEN kernel header */

#ifndef _LINUX_CFGGUARD_GEN_H
#define _LINUX_CFGGUARD_GEN_H

#include <net/netlink.h>
#include <net/genetlink.h>

#include <linux/cfgguard.h>

/* Common nested types */
extern const struct nla_policy cfgguard_range_nl_policy[CFGGUARD_A_RANGE_WMASK + 1];

extern const struct nla_policy cfgguard_table_set_nl_policy[CFGGUARD_A_DEV_RANGE + 1];

extern const struct nla_policy cfgguard_table_get_nl_policy[CFGGUARD_A_DEV_DEVICE + 1];

extern const struct nla_policy cfgguard_table_del_nl_policy[CFGGUARD_A_DEV_DEVICE + 1];

extern const struct nla_policy cfgguard_dev_get_nl_policy[CFGGUARD_A_DEV_BDF + 1];

extern const struct nla_policy cfgguard_mode_set_nl_policy[CFGGUARD_A_DEV_MODE + 1];

extern const struct nla_policy cfgguard_stats_reset_nl_policy[CFGGUARD_A_DEV_BDF + 1];

/* Ops table for cfgguard */
extern const struct genl_ops cfgguard_nl_ops[6];

int cfgguard_nl_table_set_doit(struct sk_buff *skb, struct genl_info *info);
int cfgguard_nl_table_get_doit(struct sk_buff *skb, struct genl_info *info);
int cfgguard_nl_table_get_dumpit(struct sk_buff *skb,
				 struct netlink_callback *cb);
int cfgguard_nl_table_del_doit(struct sk_buff *skb, struct genl_info *info);
int cfgguard_nl_dev_get_doit(struct sk_buff *skb, struct genl_info *info);
int cfgguard_nl_dev_get_dumpit(struct sk_buff *skb,
			       struct netlink_callback *cb);
int cfgguard_nl_mode_set_doit(struct sk_buff *skb, struct genl_info *info);
int cfgguard_nl_stats_reset_doit(struct sk_buff *skb, struct genl_info *info);

enum {
	CFGGUARD_NLGRP_EVENTS,
};

#endif /* _LINUX_CFGGUARD_GEN_H */
