/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The cfgguard authors.
 *
 * Which config-space bytes belong to the header and to each capability,
 * sized the way vfio-pci sizes them, and the byte map vfio-pci builds from
 * that (its pci_config_map). Plain C, built for userspace too: the module
 * walks a device at bind time with it, cfgguard-ctl gen-table a device
 * that is not bound to the module.
 */
#ifndef _CFGGUARD_LAYOUT_H
#define _CFGGUARD_LAYOUT_H

#include <linux/types.h>

/*
 * vfio_cap_init() walks at most (256 - 64) / 4 standard capabilities,
 * vfio_ecap_init() at most (4096 - 256) / 4 extended ones, and each step
 * adds at most one: with the header, every capability vfio-pci can assign.
 */
#define CFGGUARD_MAX_STD_CAPS	48
#define CFGGUARD_MAX_EXT_CAPS	960
#define CFGGUARD_MAX_CAPS	(1 + CFGGUARD_MAX_STD_CAPS + CFGGUARD_MAX_EXT_CAPS)

/* vfio-pci's map values outside any capability (drivers/vfio/pci/) */
#define CFGGUARD_LAYOUT_MAP_RAW		0xff	/* PCI_CAP_ID_INVALID */
#define CFGGUARD_LAYOUT_MAP_VIRT	0xfe	/* PCI_CAP_ID_INVALID_VIRT */

/**
 * struct cfgguard_layout_rules - how one kernel's vfio-pci sizes capabilities
 * @exp_v2_len: length of a version-2 PCI Express capability with a link,
 *	that kernel's PCI_CAP_EXP_ENDPOINT_SIZEOF_V2: 0x34 before Linux 5.17
 *	and from 7.0 (and stable 6.6.130, 6.12.77, 6.18.17, 6.19.7) on, 0x32
 *	in between
 * @dvsec: vfio-pci sizes a Designated Vendor-Specific capability by its
 *	DVSEC Length (Linux 6.4 on); before, it hides it
 */
struct cfgguard_layout_rules {
	u8 exp_v2_len;
	bool dvsec;
};

/**
 * struct cfgguard_cap - the bytes vfio-pci assigns to a capability
 * @id: PCI_CAP_ID_* or PCI_EXT_CAP_ID_*, as the device has it
 * @extended: an extended capability
 * @placeholder: a hidden first extended capability, whose 4 bytes vfio-pci
 *	keeps to anchor the list; its map bytes are @id's low byte, whatever
 *	that is (0xff: passed to the device raw)
 * @start: its offset
 * @len: bytes vfio-pci assigns to it, up to the end of the config space
 */
struct cfgguard_cap {
	u16 id;
	bool extended;
	bool placeholder;
	u16 start;
	u16 len;
};

/**
 * struct cfgguard_layout - the capabilities vfio-pci finds, in its order
 * @cfg_size: the config space's size, 256 or 4096
 * @pcie_flags: the PCI Express Capabilities register of the first PCI
 *	Express capability as the PCI core finds it (0: none), by which
 *	vfio-pci sizes every PCI Express capability
 * @clipped: a capability runs past the config space; vfio-pci would write
 *	past the end of its map (or fail to open the device)
 * @nr_caps: entries in @caps
 * @caps: the header, then the standard and the extended capabilities in
 *	the order vfio-pci walks them; later ones overwrite earlier ones
 *	where they overlap, as in vfio-pci's map
 */
struct cfgguard_layout {
	unsigned int cfg_size;
	u16 pcie_flags;
	bool clipped;
	unsigned int nr_caps;
	struct cfgguard_cap caps[CFGGUARD_MAX_CAPS];
};

#ifdef __KERNEL__
/* The rules of the kernel the module is built for. */
extern const struct cfgguard_layout_rules cfgguard_layout_kernel_rules;
#else
int cfgguard_layout_rules_for_release(const char *release,
				      struct cfgguard_layout_rules *rules);
#endif

int cfgguard_layout_parse(const u8 *cfg, unsigned int cfg_size,
			  const struct cfgguard_layout_rules *rules,
			  struct cfgguard_layout *layout);
void cfgguard_layout_map(const struct cfgguard_layout *layout,
			 unsigned int cfg_size, u8 *map);
const char *cfgguard_cap_name(const struct cfgguard_cap *cap);

#endif /* _CFGGUARD_LAYOUT_H */
