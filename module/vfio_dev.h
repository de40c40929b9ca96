/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The cfgguard authors. */
#ifndef _CFGGUARD_VFIO_DEV_H
#define _CFGGUARD_VFIO_DEV_H

#include <linux/list.h>
#include <linux/vfio_pci_core.h>

#include "events.h"
#include "guard.h"

struct cfgguard_pci_core_device {
	struct vfio_pci_core_device core_device;
	/* replaced under cfgguard_lock, read under RCU */
	struct cfgguard_guard __rcu *guard;
	/*
	 * The first look of the access path, per direction: from each byte
	 * on, how many bytes the guard lets through undecided (none blocked
	 * or masked in the current mode and under the current module
	 * parameters), up to 255, and 0 past the config space. An access of
	 * count bytes at pos is allowed outright if count <= run[pos]: one
	 * byte read, of the device, not of the guard. Rewritten under
	 * cfgguard_lock after every change of the guard, the mode or the
	 * parameters.
	 */
	u8 allowed_run_read[CFGGUARD_CFG_SPACE_SIZE];
	u8 allowed_run_write[CFGGUARD_CFG_SPACE_SIZE];
	u8 mode;		/* enum cfgguard_mode, read locklessly */
	bool allow_listed;	/* in the allow_ids module parameter */
	unsigned int cfg_size;
	/*
	 * What vfio-pci does with each config byte, as its pci_config_map
	 * says: walked at bind by vfio-pci's rules, then copied from vfio-pci
	 * at every open, which rebuilds it. Changed under cfgguard_lock, and
	 * only while no VFIO user can access the device.
	 */
	u8 map_source;		/* enum cfgguard_map_source */
	u8 config_map[CFGGUARD_CFG_SPACE_SIZE];
	/* bytes vfio-pci does not pass to the device untouched */
	DECLARE_BITMAP(assigned, CFGGUARD_CFG_SPACE_SIZE);
	struct list_head node;	/* in cfgguard_devices, under cfgguard_lock */
	struct cfgguard_events events;
};

static inline struct pci_dev *
cfgguard_pdev(const struct cfgguard_pci_core_device *cgdev)
{
	return cgdev->core_device.pdev;
}

int cfgguard_vfio_probe(struct pci_dev *pdev);
void cfgguard_vfio_remove(struct pci_dev *pdev);

#endif /* _CFGGUARD_VFIO_DEV_H */
