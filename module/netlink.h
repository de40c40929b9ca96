/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The cfgguard authors. */
#ifndef _CFGGUARD_NETLINK_H
#define _CFGGUARD_NETLINK_H

#include <linux/skbuff.h>

int cfgguard_genl_init(void);
void cfgguard_genl_exit(void);

bool cfgguard_genl_has_listeners(void);
void *cfgguard_genl_event_put(struct sk_buff *skb);
int cfgguard_genl_event_send(struct sk_buff *skb);

#endif /* _CFGGUARD_NETLINK_H */
