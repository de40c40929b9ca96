/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The cfgguard authors.
 *
 * The config map a device is guarded by: which byte vfio-pci assigns to
 * which capability, and which it passes to the device raw.
 */
#ifndef CFGGUARD_DEVMAP_H
#define CFGGUARD_DEVMAP_H

#include <stdint.h>
#include <linux/cfgguard.h>

struct devmap {
	unsigned int size;			/* 256 or 4096 */
	uint16_t vendor, device;
	uint8_t bytes[CFGGUARD_CFG_SPACE_SIZE];	/* as vfio-pci's pci_config_map */
	char source[160];			/* where it came from, for comments */
};

/*
 * For a device bound to cfgguard-vfio-pci, the map the driver holds:
 * vfio-pci's own from the last open, else the driver's walk at bind. For
 * any other, a walk of its config space by the running kernel's vfio-pci
 * rules. 0, or -1 after saying why on stderr.
 */
int devmap_get(const char *bdf, struct devmap *m);

#endif /* CFGGUARD_DEVMAP_H */
