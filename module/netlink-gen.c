// SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause)
/* Do not edit directly, auto-generated from: */
/*	uapi/cfgguard.yaml */
/* YNL-GEN kernel source */

#include <net/netlink.h>
#include <net/genetlink.h>

#include "netlink-gen.h"

#include <linux/cfgguard.h>

/* Common nested types */
const struct nla_policy cfgguard_range_nl_policy[CFGGUARD_A_RANGE_WMASK + 1] = {
	[CFGGUARD_A_RANGE_START] = NLA_POLICY_MAX(NLA_U16, 4095),
	[CFGGUARD_A_RANGE_LEN] = NLA_POLICY_RANGE(NLA_U16, 1, 4096),
	[CFGGUARD_A_RANGE_ACTION] = NLA_POLICY_MAX(NLA_U32, 2),
	[CFGGUARD_A_RANGE_WMASK] = { .type = NLA_U32, },
};

/* CFGGUARD_CMD_TABLE_SET - do */
const struct nla_policy cfgguard_table_set_nl_policy[CFGGUARD_A_DEV_RANGE + 1] = {
	[CFGGUARD_A_DEV_BDF] = { .type = NLA_NUL_STRING, .len = 16, },
	[CFGGUARD_A_DEV_VENDOR] = { .type = NLA_U16, },
	[CFGGUARD_A_DEV_DEVICE] = { .type = NLA_U16, },
	[CFGGUARD_A_DEV_DEFAULT_ACTION] = NLA_POLICY_MAX(NLA_U32, 2),
	[CFGGUARD_A_DEV_CFG_SIZE] = NLA_POLICY_MAX(NLA_U16, 4096),
	[CFGGUARD_A_DEV_RANGE] = NLA_POLICY_NESTED(cfgguard_range_nl_policy),
};

/* CFGGUARD_CMD_TABLE_GET - do */
const struct nla_policy cfgguard_table_get_nl_policy[CFGGUARD_A_DEV_DEVICE + 1] = {
	[CFGGUARD_A_DEV_BDF] = { .type = NLA_NUL_STRING, .len = 16, },
	[CFGGUARD_A_DEV_VENDOR] = { .type = NLA_U16, },
	[CFGGUARD_A_DEV_DEVICE] = { .type = NLA_U16, },
};

/* CFGGUARD_CMD_TABLE_DEL - do */
const struct nla_policy cfgguard_table_del_nl_policy[CFGGUARD_A_DEV_DEVICE + 1] = {
	[CFGGUARD_A_DEV_BDF] = { .type = NLA_NUL_STRING, .len = 16, },
	[CFGGUARD_A_DEV_VENDOR] = { .type = NLA_U16, },
	[CFGGUARD_A_DEV_DEVICE] = { .type = NLA_U16, },
};

/* CFGGUARD_CMD_DEV_GET - do */
const struct nla_policy cfgguard_dev_get_nl_policy[CFGGUARD_A_DEV_BDF + 1] = {
	[CFGGUARD_A_DEV_BDF] = { .type = NLA_NUL_STRING, .len = 16, },
};

/* CFGGUARD_CMD_MODE_SET - do */
const struct nla_policy cfgguard_mode_set_nl_policy[CFGGUARD_A_DEV_MODE + 1] = {
	[CFGGUARD_A_DEV_BDF] = { .type = NLA_NUL_STRING, .len = 16, },
	[CFGGUARD_A_DEV_MODE] = NLA_POLICY_MAX(NLA_U32, 2),
};

/* CFGGUARD_CMD_STATS_RESET - do */
const struct nla_policy cfgguard_stats_reset_nl_policy[CFGGUARD_A_DEV_BDF + 1] = {
	[CFGGUARD_A_DEV_BDF] = { .type = NLA_NUL_STRING, .len = 16, },
};

/* Ops table for cfgguard */
const struct genl_ops cfgguard_nl_ops[6] = {
	{
		.cmd		= CFGGUARD_CMD_TABLE_SET,
		.doit		= cfgguard_nl_table_set_doit,
		.policy		= cfgguard_table_set_nl_policy,
		.maxattr	= CFGGUARD_A_DEV_RANGE,
	},
	{
		.cmd		= CFGGUARD_CMD_TABLE_GET,
		.doit		= cfgguard_nl_table_get_doit,
		.dumpit		= cfgguard_nl_table_get_dumpit,
		.policy		= cfgguard_table_get_nl_policy,
		.maxattr	= CFGGUARD_A_DEV_DEVICE,
		.flags		= GENL_ADMIN_PERM,
	},
	{
		.cmd		= CFGGUARD_CMD_TABLE_DEL,
		.doit		= cfgguard_nl_table_del_doit,
		.policy		= cfgguard_table_del_nl_policy,
		.maxattr	= CFGGUARD_A_DEV_DEVICE,
	},
	{
		.cmd		= CFGGUARD_CMD_DEV_GET,
		.doit		= cfgguard_nl_dev_get_doit,
		.dumpit		= cfgguard_nl_dev_get_dumpit,
		.policy		= cfgguard_dev_get_nl_policy,
		.maxattr	= CFGGUARD_A_DEV_BDF,
		.flags		= GENL_ADMIN_PERM,
	},
	{
		.cmd		= CFGGUARD_CMD_MODE_SET,
		.doit		= cfgguard_nl_mode_set_doit,
		.policy		= cfgguard_mode_set_nl_policy,
		.maxattr	= CFGGUARD_A_DEV_MODE,
	},
	{
		.cmd		= CFGGUARD_CMD_STATS_RESET,
		.doit		= cfgguard_nl_stats_reset_doit,
		.policy		= cfgguard_stats_reset_nl_policy,
		.maxattr	= CFGGUARD_A_DEV_BDF,
	},
};

