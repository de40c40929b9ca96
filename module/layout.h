/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The cfgguard authors.
 *
 * Which config-space bytes belong to the header and to each capability,
 * sized the way vfio-pci sizes them. Plain C, built for userspace too: the
 * module derives a device's default table from it, cfgguard-ctl gen-table
 * a starting table.
 */
#ifndef _CFGGUARD_LAYOUT_H
#define _CFGGUARD_LAYOUT_H

#include <linux/types.h>

#define CFGGUARD_MAX_CAPS 96

struct cfgguard_cap {
	u16 id;			/* PCI_CAP_ID_* or PCI_EXT_CAP_ID_* */
	bool extended;
	u16 start;
	u16 len;		/* bytes vfio-pci assigns to it */
};

struct cfgguard_layout {
	unsigned int nr_caps;	/* caps[0] is the header */
	struct cfgguard_cap caps[CFGGUARD_MAX_CAPS];
};

int cfgguard_layout_parse(const u8 *cfg, unsigned int cfg_size,
			  struct cfgguard_layout *layout);
const char *cfgguard_cap_name(const struct cfgguard_cap *cap);

#endif /* _CFGGUARD_LAYOUT_H */
