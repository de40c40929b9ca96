/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The cfgguard authors.
 *
 * Tables loaded by userspace, the devices they guard, and which table
 * guards which device.
 */
#ifndef _CFGGUARD_GUARD_H
#define _CFGGUARD_GUARD_H

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>

#include "policy.h"

struct cfgguard_pci_core_device;

/* A table's key: a device address, or a device model. */
struct cfgguard_key {
	u8 source;		/* CFGGUARD_SOURCE_DEVICE or _MODEL */
	u32 domain;
	u8 bus;
	u8 devfn;
	u16 vendor;
	u16 device;
};

struct cfgguard_table {
	struct list_head node;	/* in cfgguard_tables */
	struct cfgguard_key key;
	u8 default_action;
	u16 cfg_size;		/* 0: written for any size */
	unsigned int nr_ranges;
	struct cfgguard_range ranges[];
};

/* What the access path of one device reads, replaced whole on any change. */
struct cfgguard_guard {
	struct rcu_head rcu;
	u8 source;		/* enum cfgguard_source */
	bool follows_params;	/* the module parameters pick the directions */
	struct cfgguard_policy policy;
	/* policy.wmask points here, if the table has a write mask */
	u8 wmask[];
};

extern struct mutex cfgguard_lock;
extern struct list_head cfgguard_tables;
extern struct list_head cfgguard_devices;
extern unsigned int cfgguard_generation;

extern bool cfgguard_block_unassigned_read;
extern bool cfgguard_block_unassigned_write;

/*
 * Whether @guard's blocks of a direction apply: the default table blocks
 * a direction only while its module parameter says so.
 */
static inline bool cfgguard_blocks_apply(const struct cfgguard_guard *guard,
					 bool write)
{
	if (!guard->follows_params)
		return true;
	return write ? READ_ONCE(cfgguard_block_unassigned_write) :
		       READ_ONCE(cfgguard_block_unassigned_read);
}

void cfgguard_allowed_runs_update(struct cfgguard_pci_core_device *cgdev);
void cfgguard_allowed_runs_update_all(void);
int cfgguard_device_attach(struct cfgguard_pci_core_device *cgdev);
int cfgguard_device_open(struct cfgguard_pci_core_device *cgdev);
void cfgguard_device_detach(struct cfgguard_pci_core_device *cgdev);

struct cfgguard_table *cfgguard_table_find(const struct cfgguard_key *key);
int cfgguard_table_replace(struct cfgguard_table *table,
			   struct cfgguard_policy_error *err);
int cfgguard_table_delete(const struct cfgguard_key *key);
struct cfgguard_pci_core_device *cfgguard_device_find(u32 domain, u8 bus,
						      u8 devfn);

int cfgguard_guard_init(const char *allow_ids);
void cfgguard_guard_exit(void);

#endif /* _CFGGUARD_GUARD_H */
