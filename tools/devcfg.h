/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The cfgguard authors.
 *
 * A device's config space as the host's sysfs shows it, its layout and the
 * byte map vfio-pci would build from it, as the module computes them
 * (module/layout.c) by the rules of the running kernel; and the ranges of
 * such a map, for tables.
 */
#ifndef CFGGUARD_DEVCFG_H
#define CFGGUARD_DEVCFG_H

#include <stdbool.h>
#include <stdint.h>

#include "layout.h"

struct devcfg {
	unsigned int size;		/* 256 or 4096 */
	uint8_t bytes[4096];
	char release[65];		/* uname -r, whose rules sized it */
	bool release_known;		/* else the newest kernels' rules */
	struct cfgguard_layout_rules rules;
	struct cfgguard_layout layout;
	uint8_t map[4096];		/* vfio-pci's pci_config_map, walked */
};

/* 0, or -1 with errno set (EPERM: not root, sysfs shows 64 bytes). */
int devcfg_read(const char *bdf, struct devcfg *cfg);

/* A maximal run of equal bytes of a map, not passed to the device raw. */
struct devcfg_range {
	unsigned int start;
	unsigned int end;		/* inclusive */
	uint8_t id;			/* the map's byte */
	bool extended;			/* from 0x100 on: an extended ID */
	const char *name;		/* "header", "MSI", ... */
};

unsigned int devcfg_map_ranges(const uint8_t *map, unsigned int size,
			       struct devcfg_range *ranges, unsigned int max);

#endif /* CFGGUARD_DEVCFG_H */
