// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The cfgguard authors.
 *
 * Which table guards which device. Tables and devices live on two lists
 * under one mutex, taken only by netlink commands, probe, open and remove.
 * A device's access path reads its guard under RCU only, never while it
 * touches user memory or the device, so a replaced guard is freed after
 * one grace period. Every change builds new guards first and swaps them in
 * only when all of them could be built, so a refused change changes
 * nothing.
 */

#include <linux/kernel.h>
#include <linux/overflow.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "guard.h"
#include "layout.h"
#include "vfio_dev.h"

/* protects both lists, and every device's guard pointer against writers */
DEFINE_MUTEX(cfgguard_lock);
LIST_HEAD(cfgguard_tables);
LIST_HEAD(cfgguard_devices);
static unsigned int cfgguard_nr_tables;
/* bumped under cfgguard_lock on every change, for dump consistency */
unsigned int cfgguard_generation;

#define CFGGUARD_MAX_ALLOW_IDS 16
static struct {
	u16 vendor;
	u16 device;
} cfgguard_allow_ids[CFGGUARD_MAX_ALLOW_IDS];
static unsigned int cfgguard_nr_allow_ids;

static bool cfgguard_key_matches(const struct cfgguard_key *key,
				 const struct pci_dev *pdev)
{
	if (key->source == CFGGUARD_SOURCE_MODEL)
		return key->vendor == pdev->vendor && key->device == pdev->device;
	return key->domain == pci_domain_nr(pdev->bus) &&
	       key->bus == pdev->bus->number && key->devfn == pdev->devfn;
}

static bool cfgguard_key_equal(const struct cfgguard_key *a,
			       const struct cfgguard_key *b)
{
	if (a->source != b->source)
		return false;
	if (a->source == CFGGUARD_SOURCE_MODEL)
		return a->vendor == b->vendor && a->device == b->device;
	return a->domain == b->domain && a->bus == b->bus &&
	       a->devfn == b->devfn;
}

/**
 * cfgguard_table_find() - the loaded table with @key
 * @key: the key
 *
 * Return: the table or NULL. Valid while cfgguard_lock is held.
 */
struct cfgguard_table *cfgguard_table_find(const struct cfgguard_key *key)
{
	struct cfgguard_table *table;

	lockdep_assert_held(&cfgguard_lock);
	list_for_each_entry(table, &cfgguard_tables, node)
		if (cfgguard_key_equal(&table->key, key))
			return table;
	return NULL;
}

/**
 * cfgguard_device_find() - the device bound to us at an address
 * @domain: PCI domain
 * @bus: bus number
 * @devfn: device and function
 *
 * Return: the device or NULL. Valid while cfgguard_lock is held.
 */
struct cfgguard_pci_core_device *cfgguard_device_find(u32 domain, u8 bus,
						      u8 devfn)
{
	struct cfgguard_pci_core_device *cgdev;

	lockdep_assert_held(&cfgguard_lock);
	list_for_each_entry(cgdev, &cfgguard_devices, node) {
		struct pci_dev *pdev = cfgguard_pdev(cgdev);

		if (pci_domain_nr(pdev->bus) == domain &&
		    pdev->bus->number == bus && pdev->devfn == devfn)
			return cgdev;
	}
	return NULL;
}

/* A table for @cgdev's address beats one for its model. */
static struct cfgguard_table *
cfgguard_table_for(const struct cfgguard_pci_core_device *cgdev,
		   const struct cfgguard_table *ignore, u8 below)
{
	struct cfgguard_table *table, *best = NULL;

	list_for_each_entry(table, &cfgguard_tables, node) {
		if (table == ignore || table->key.source >= below ||
		    !cfgguard_key_matches(&table->key, cfgguard_pdev(cgdev)))
			continue;
		if (!best || table->key.source > best->key.source)
			best = table;
	}
	return best;
}

/* Whether @table can guard @cgdev; if not, why, in @err. */
static int cfgguard_table_fits(const struct cfgguard_table *table,
			       const struct cfgguard_pci_core_device *cgdev,
			       struct cfgguard_policy_error *err)
{
	unsigned int i;

	if (table->cfg_size && table->cfg_size != cgdev->cfg_size) {
		err->msg = "table is written for another config space size than a bound device has";
		err->tag = -1;
		return -EINVAL;
	}
	for (i = 0; i < table->nr_ranges; i++) {
		const struct cfgguard_range *r = &table->ranges[i];

		if (r->start + r->len > cgdev->cfg_size) {
			err->msg = "range ends past the config space of a bound device";
			err->tag = r->tag;
			return -EINVAL;
		}
	}
	return cfgguard_ranges_check_masks(table->ranges, table->nr_ranges,
					   cgdev->assigned, err);
}

static struct cfgguard_guard *
cfgguard_guard_build(const struct cfgguard_pci_core_device *cgdev,
		     const struct cfgguard_table *table)
{
	bool masks = table && cfgguard_ranges_have_masks(table->ranges,
							 table->nr_ranges);
	struct cfgguard_guard *guard;

	/* charged to whoever loads a table: tables come from userspace */
	guard = kzalloc(struct_size(guard, wmask,
				    masks ? CFGGUARD_CFG_SPACE_SIZE : 0),
			GFP_KERNEL_ACCOUNT);
	if (!guard)
		return NULL;
	if (masks)
		guard->policy.wmask = guard->wmask;
	if (table) {
		guard->source = table->key.source;
		cfgguard_policy_compile(&guard->policy, table->default_action,
					cgdev->cfg_size, table->ranges,
					table->nr_ranges);
	} else {
		guard->source = CFGGUARD_SOURCE_DEFAULT;
		/* an allow-listed device keeps an empty default table */
		if (!cgdev->allow_listed) {
			guard->follows_params = true;
			cfgguard_policy_unassigned(&guard->policy,
						   cgdev->assigned,
						   cgdev->cfg_size);
		}
	}
	return guard;
}

/* Whether the guard decides byte @i of @write's direction. */
static bool cfgguard_decides(const struct cfgguard_guard *guard, u8 mode,
			     unsigned int i, bool write)
{
	const struct cfgguard_policy *policy = &guard->policy;

	if (mode == CFGGUARD_MODE_OFF)
		return false;
	if (write && test_bit(i, policy->write_masked))
		return true;
	return cfgguard_blocks_apply(guard, write) &&
	       test_bit(i, write ? policy->write_block : policy->read_block);
}

/**
 * cfgguard_allowed_runs_update() - rewrite the access path's first look
 * @cgdev: the device; cfgguard_lock is held
 *
 * Each run is one byte, written whole: an access's first look reads one
 * of them, so it sees one guard, mode and parameter setting, old or new.
 * Built from the end, as a run is its successor's plus one.
 */
void cfgguard_allowed_runs_update(struct cfgguard_pci_core_device *cgdev)
{
	const struct cfgguard_guard *guard;
	unsigned int read = 0, write = 0, i;
	u8 mode = READ_ONCE(cgdev->mode);

	guard = rcu_dereference_protected(cgdev->guard,
					  lockdep_is_held(&cfgguard_lock));
	for (i = CFGGUARD_CFG_SPACE_SIZE; i-- > 0;) {
		if (!guard || i >= cgdev->cfg_size) {
			read = 0;
			write = 0;
		} else {
			read = cfgguard_decides(guard, mode, i, false) ? 0 :
			       min_t(unsigned int, read + 1, U8_MAX);
			write = cfgguard_decides(guard, mode, i, true) ? 0 :
				min_t(unsigned int, write + 1, U8_MAX);
		}
		WRITE_ONCE(cgdev->allowed_run_read[i], read);
		WRITE_ONCE(cgdev->allowed_run_write[i], write);
	}
}

/**
 * cfgguard_allowed_runs_update_all() - after a module parameter changed
 *
 * cfgguard_lock is held.
 */
void cfgguard_allowed_runs_update_all(void)
{
	struct cfgguard_pci_core_device *cgdev;

	lockdep_assert_held(&cfgguard_lock);
	list_for_each_entry(cgdev, &cfgguard_devices, node)
		cfgguard_allowed_runs_update(cgdev);
}

static void cfgguard_guard_swap(struct cfgguard_pci_core_device *cgdev,
				struct cfgguard_guard *guard)
{
	struct cfgguard_guard *old;

	old = rcu_replace_pointer(cgdev->guard, guard,
				  lockdep_is_held(&cfgguard_lock));
	cfgguard_allowed_runs_update(cgdev);
	if (old)
		kfree_rcu(old, rcu);
}

/*
 * The best table that fits @cgdev, skipping @ignore and any table that does
 * not fit: a table loaded before the device was bound could not be checked
 * against it until now, and is reported once, when the device is bound.
 */
static struct cfgguard_table *
cfgguard_table_fitting(struct cfgguard_pci_core_device *cgdev,
		       const struct cfgguard_table *ignore, bool report)
{
	struct cfgguard_policy_error err;
	struct cfgguard_table *table;
	u8 below = CFGGUARD_SOURCE_DEVICE + 1;

	while ((table = cfgguard_table_for(cgdev, ignore, below))) {
		if (!cfgguard_table_fits(table, cgdev, &err))
			return table;
		if (report)
			pci_warn(cfgguard_pdev(cgdev), "not applying the %s table: %s\n",
				 table->key.source == CFGGUARD_SOURCE_DEVICE ?
				 "device" : "model", err.msg);
		below = table->key.source;
	}
	return NULL;
}

static void cfgguard_allow_listed(struct cfgguard_pci_core_device *cgdev)
{
	struct pci_dev *pdev = cfgguard_pdev(cgdev);
	unsigned int i;

	for (i = 0; i < cfgguard_nr_allow_ids; i++)
		if (cfgguard_allow_ids[i].vendor == pdev->vendor &&
		    cfgguard_allow_ids[i].device == pdev->device)
			cgdev->allow_listed = true;
}

/* Bytes vfio-pci does not pass to the device untouched, from its map. */
static void cfgguard_map_assigned(struct cfgguard_pci_core_device *cgdev)
{
	unsigned int i;

	bitmap_zero(cgdev->assigned, CFGGUARD_CFG_SPACE_SIZE);
	for (i = 0; i < cgdev->cfg_size; i++)
		if (cgdev->config_map[i] != CFGGUARD_MAP_RAW)
			__set_bit(i, cgdev->assigned);
}

/*
 * The map vfio-pci will build when the device is opened, walked by its
 * rules from the device's config space as it is now: what guards a table
 * loaded before the first open is checked against.
 */
static int cfgguard_walk_map(struct cfgguard_pci_core_device *cgdev)
{
	struct pci_dev *pdev = cfgguard_pdev(cgdev);
	struct cfgguard_layout *layout;
	unsigned int i;
	__le32 *cfg;
	int ret = -ENOMEM;

	cgdev->cfg_size = min_t(unsigned int, pdev->cfg_size,
				CFGGUARD_CFG_SPACE_SIZE);
	cfg = kzalloc(CFGGUARD_CFG_SPACE_SIZE, GFP_KERNEL);
	layout = kzalloc(sizeof(*layout), GFP_KERNEL);
	if (!cfg || !layout)
		goto out_free;

	for (i = 0; i < cgdev->cfg_size; i += 4) {
		u32 val;

		pci_read_config_dword(pdev, i, &val);
		cfg[i / 4] = cpu_to_le32(val);
	}
	ret = cfgguard_layout_parse((u8 *)cfg, cgdev->cfg_size,
				    &cfgguard_layout_kernel_rules, layout);
	if (ret)
		goto out_free;
	cfgguard_layout_map(layout, cgdev->cfg_size, cgdev->config_map);
	cgdev->map_source = CFGGUARD_MAP_SOURCE_WALKED;
	cfgguard_map_assigned(cgdev);
out_free:
	kfree(layout);
	kfree(cfg);
	return ret;
}

/**
 * cfgguard_device_attach() - start guarding a device being bound
 * @cgdev: the device
 *
 * Return: 0 or a negative errno.
 */
int cfgguard_device_attach(struct cfgguard_pci_core_device *cgdev)
{
	struct cfgguard_guard *guard;
	int ret;

	cgdev->mode = CFGGUARD_MODE_ENFORCE;
	ret = cfgguard_walk_map(cgdev);
	if (ret)
		return ret;
	cfgguard_allow_listed(cgdev);

	mutex_lock(&cfgguard_lock);
	guard = cfgguard_guard_build(cgdev,
				     cfgguard_table_fitting(cgdev, NULL, true));
	if (!guard) {
		ret = -ENOMEM;
		goto out_unlock;
	}
	cfgguard_guard_swap(cgdev, guard);
	list_add_tail(&cgdev->node, &cfgguard_devices);
	cfgguard_generation++;
out_unlock:
	mutex_unlock(&cfgguard_lock);
	return ret;
}

/**
 * cfgguard_device_open() - guard by vfio-pci's own config map
 * @cgdev: the device, being opened: vfio_pci_core_enable() has rebuilt
 *	vfio-pci's map, and no VFIO user can access the device yet
 *
 * vfio-pci rebuilds its map at every open, from the device as it is then
 * (a reset may have changed its capabilities): what the guard calls
 * assigned, and where it accepts a write mask, follow that map, so the
 * guard can never disagree with vfio-pci. A table that no longer fits is
 * passed over, as at bind.
 *
 * Return: 0 or -ENOMEM.
 */
int cfgguard_device_open(struct cfgguard_pci_core_device *cgdev)
{
	const u8 *map = cgdev->core_device.pci_config_map;
	struct cfgguard_guard *guard;
	int ret = 0;

	mutex_lock(&cfgguard_lock);
	memcpy(cgdev->config_map, map, cgdev->cfg_size);
	cgdev->map_source = CFGGUARD_MAP_SOURCE_VFIO_PCI;
	cfgguard_map_assigned(cgdev);
	guard = cfgguard_guard_build(cgdev,
				     cfgguard_table_fitting(cgdev, NULL, true));
	if (guard) {
		cfgguard_guard_swap(cgdev, guard);
		cfgguard_generation++;
	} else {
		ret = -ENOMEM;
	}
	mutex_unlock(&cfgguard_lock);
	return ret;
}

/**
 * cfgguard_device_detach() - stop guarding a device being unbound
 * @cgdev: the device; it is closed, no access path runs
 */
void cfgguard_device_detach(struct cfgguard_pci_core_device *cgdev)
{
	mutex_lock(&cfgguard_lock);
	list_del(&cgdev->node);
	cfgguard_guard_swap(cgdev, NULL);
	cfgguard_generation++;
	mutex_unlock(&cfgguard_lock);
}

/*
 * New guards for every device whose table changes when @added replaces
 * @removed (either may be NULL). On failure frees what it built; on
 * success the caller swaps them in with cfgguard_guards_commit().
 */
static int cfgguard_guards_prepare(const struct cfgguard_table *added,
				   const struct cfgguard_table *removed,
				   struct cfgguard_guard ***guardsp,
				   struct cfgguard_policy_error *err)
{
	struct cfgguard_pci_core_device *cgdev;
	struct cfgguard_guard **guards;
	unsigned int n = 0, i = 0;
	int ret = -ENOMEM;

	list_for_each_entry(cgdev, &cfgguard_devices, node)
		n++;
	guards = kcalloc(n ?: 1, sizeof(*guards), GFP_KERNEL);
	if (!guards)
		return -ENOMEM;

	list_for_each_entry(cgdev, &cfgguard_devices, node) {
		struct cfgguard_table *table;

		table = cfgguard_table_fitting(cgdev, removed, false);
		if (added &&
		    cfgguard_key_matches(&added->key, cfgguard_pdev(cgdev)) &&
		    (!table || added->key.source >= table->key.source)) {
			if (cfgguard_table_fits(added, cgdev, err)) {
				ret = -EINVAL;
				goto out_free;
			}
			table = (struct cfgguard_table *)added;
		}
		guards[i] = cfgguard_guard_build(cgdev, table);
		if (!guards[i])
			goto out_free;
		i++;
	}
	*guardsp = guards;
	return 0;

out_free:
	while (i--)
		kfree(guards[i]);
	kfree(guards);
	return ret;
}

static void cfgguard_guards_commit(struct cfgguard_guard **guards)
{
	struct cfgguard_pci_core_device *cgdev;
	unsigned int i = 0;

	list_for_each_entry(cgdev, &cfgguard_devices, node)
		cfgguard_guard_swap(cgdev, guards[i++]);
	kfree(guards);
	cfgguard_generation++;
}

/**
 * cfgguard_table_replace() - load @table, replacing any with its key
 * @table: a checked table; owned by the registry on success
 * @err: why it was refused
 *
 * Every bound device the table applies to must fit it, else nothing
 * changes.
 *
 * Return: 0, -EINVAL (@err says why), -ENOSPC (too many tables) or
 * -ENOMEM.
 */
int cfgguard_table_replace(struct cfgguard_table *table,
			   struct cfgguard_policy_error *err)
{
	struct cfgguard_guard **guards;
	struct cfgguard_table *old;
	int ret;

	mutex_lock(&cfgguard_lock);
	old = cfgguard_table_find(&table->key);
	if (!old && cfgguard_nr_tables == CFGGUARD_MAX_TABLES) {
		ret = -ENOSPC;
		goto out_unlock;
	}
	ret = cfgguard_guards_prepare(table, old, &guards, err);
	if (ret)
		goto out_unlock;
	if (old) {
		list_replace(&old->node, &table->node);
		kvfree(old);
	} else {
		list_add_tail(&table->node, &cfgguard_tables);
		cfgguard_nr_tables++;
	}
	cfgguard_guards_commit(guards);
out_unlock:
	mutex_unlock(&cfgguard_lock);
	return ret;
}

/**
 * cfgguard_table_delete() - unload the table with @key
 * @key: its key
 *
 * Return: 0, -ENOENT or -ENOMEM.
 */
int cfgguard_table_delete(const struct cfgguard_key *key)
{
	struct cfgguard_guard **guards;
	struct cfgguard_table *table;
	int ret;

	mutex_lock(&cfgguard_lock);
	table = cfgguard_table_find(key);
	if (!table) {
		ret = -ENOENT;
		goto out_unlock;
	}
	ret = cfgguard_guards_prepare(NULL, table, &guards, NULL);
	if (ret)
		goto out_unlock;
	list_del(&table->node);
	kvfree(table);
	cfgguard_nr_tables--;
	cfgguard_guards_commit(guards);
out_unlock:
	mutex_unlock(&cfgguard_lock);
	return ret;
}

/**
 * cfgguard_guard_init() - parse the allow_ids module parameter
 * @allow_ids: "vendor:device[,vendor:device...]" in hex, or NULL
 *
 * Return: 0, or -EINVAL for a malformed list (the module does not load).
 */
int cfgguard_guard_init(const char *allow_ids)
{
	const char *p = allow_ids;
	unsigned int vendor, device;
	int n;

	while (p && *p) {
		if (cfgguard_nr_allow_ids == CFGGUARD_MAX_ALLOW_IDS ||
		    sscanf(p, "%4x:%4x%n", &vendor, &device, &n) != 2 ||
		    (p[n] && p[n] != ',')) {
			pr_err("allow_ids: expected up to %d vendor:device pairs in hex, comma separated: '%s'\n",
			       CFGGUARD_MAX_ALLOW_IDS, allow_ids);
			return -EINVAL;
		}
		cfgguard_allow_ids[cfgguard_nr_allow_ids].vendor = vendor;
		cfgguard_allow_ids[cfgguard_nr_allow_ids].device = device;
		cfgguard_nr_allow_ids++;
		p += n + (p[n] == ',');
	}
	return 0;
}

/**
 * cfgguard_guard_exit() - free every table; no device is bound any more
 */
void cfgguard_guard_exit(void)
{
	struct cfgguard_table *table, *next;

	list_for_each_entry_safe(table, next, &cfgguard_tables, node)
		kvfree(table);
	INIT_LIST_HEAD(&cfgguard_tables);
	cfgguard_nr_tables = 0;
}
