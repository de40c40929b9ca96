// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The cfgguard authors.
 *
 * Walks a copy of a device's config space the way vfio-pci's
 * vfio_cap_init() and vfio_ecap_init() walk the device (Linux 6.12), so
 * that "unassigned" means here what it means to vfio-pci: a capability
 * vfio-pci hides (length 0) leaves its bytes unassigned; a hidden first
 * extended capability keeps a 4-byte placeholder.
 */

#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/pci_regs.h>
#include <linux/types.h>

#include "layout.h"

#define CFGGUARD_VARIABLE 0xff	/* length is read from the capability */

static const u8 cfgguard_cap_len[PCI_CAP_ID_MAX + 1] = {
	[PCI_CAP_ID_PM]		= PCI_PM_SIZEOF,
	[PCI_CAP_ID_AGP]	= PCI_AGP_SIZEOF,
	[PCI_CAP_ID_VPD]	= PCI_CAP_VPD_SIZEOF,
	[PCI_CAP_ID_MSI]	= CFGGUARD_VARIABLE,
	[PCI_CAP_ID_PCIX]	= CFGGUARD_VARIABLE,
	[PCI_CAP_ID_HT]		= CFGGUARD_VARIABLE,
	[PCI_CAP_ID_VNDR]	= CFGGUARD_VARIABLE,
	[PCI_CAP_ID_EXP]	= CFGGUARD_VARIABLE,
	[PCI_CAP_ID_MSIX]	= PCI_CAP_MSIX_SIZEOF,
	[PCI_CAP_ID_SATA]	= CFGGUARD_VARIABLE,
	[PCI_CAP_ID_AF]		= PCI_CAP_AF_SIZEOF,
};

static const u8 cfgguard_ext_cap_len[PCI_EXT_CAP_ID_MAX + 1] = {
	[PCI_EXT_CAP_ID_ERR]	= PCI_ERR_ROOT_COMMAND,
	[PCI_EXT_CAP_ID_VC]	= CFGGUARD_VARIABLE,
	[PCI_EXT_CAP_ID_DSN]	= PCI_EXT_CAP_DSN_SIZEOF,
	[PCI_EXT_CAP_ID_PWR]	= PCI_EXT_CAP_PWR_SIZEOF,
	[PCI_EXT_CAP_ID_MFVC]	= CFGGUARD_VARIABLE,
	[PCI_EXT_CAP_ID_VC9]	= CFGGUARD_VARIABLE,
	[PCI_EXT_CAP_ID_VNDR]	= CFGGUARD_VARIABLE,
	[PCI_EXT_CAP_ID_ACS]	= CFGGUARD_VARIABLE,
	[PCI_EXT_CAP_ID_ARI]	= PCI_EXT_CAP_ARI_SIZEOF,
	[PCI_EXT_CAP_ID_ATS]	= PCI_EXT_CAP_ATS_SIZEOF,
	[PCI_EXT_CAP_ID_SRIOV]	= PCI_EXT_CAP_SRIOV_SIZEOF,
	[PCI_EXT_CAP_ID_MCAST]	= PCI_EXT_CAP_MCAST_ENDPOINT_SIZEOF,
	[PCI_EXT_CAP_ID_PRI]	= PCI_EXT_CAP_PRI_SIZEOF,
	[PCI_EXT_CAP_ID_REBAR]	= CFGGUARD_VARIABLE,
	[PCI_EXT_CAP_ID_DPA]	= CFGGUARD_VARIABLE,
	[PCI_EXT_CAP_ID_TPH]	= CFGGUARD_VARIABLE,
	[PCI_EXT_CAP_ID_LTR]	= PCI_EXT_CAP_LTR_SIZEOF,
	[PCI_EXT_CAP_ID_DVSEC]	= CFGGUARD_VARIABLE,
};

struct cfgguard_cfg {
	const u8 *bytes;
	unsigned int size;
};

/* Reads outside the space read as all-ones, like a missing register. */
static u32 cfgguard_cfg_read(const struct cfgguard_cfg *cfg,
			     unsigned int pos, unsigned int size)
{
	u32 val = 0;
	unsigned int i;

	if (pos + size > cfg->size)
		return ~0U;
	for (i = 0; i < size; i++)
		val |= (u32)cfg->bytes[pos + i] << (8 * i);
	return val;
}

static unsigned int cfgguard_msi_len(const struct cfgguard_cfg *cfg, u8 pos)
{
	u16 flags = cfgguard_cfg_read(cfg, pos + PCI_MSI_FLAGS, 2);
	unsigned int len = 10;

	if (flags & PCI_MSI_FLAGS_64BIT)
		len += 4;
	if (flags & PCI_MSI_FLAGS_MASKBIT)
		len += 10;
	return len;
}

static unsigned int cfgguard_exp_len(const struct cfgguard_cfg *cfg, u8 pos)
{
	u16 flags = cfgguard_cfg_read(cfg, pos + PCI_EXP_FLAGS, 2);
	bool rc_end = ((flags & PCI_EXP_FLAGS_TYPE) >> 4) == PCI_EXP_TYPE_RC_END;

	if ((flags & PCI_EXP_FLAGS_VERS) == 1)
		return rc_end ? 0xc : PCI_CAP_EXP_ENDPOINT_SIZEOF_V1;
	return rc_end ? 0x2c : PCI_CAP_EXP_ENDPOINT_SIZEOF_V2;
}

static unsigned int cfgguard_std_len(const struct cfgguard_cfg *cfg, u8 id,
				     u8 pos)
{
	u8 byte;

	switch (id) {
	case PCI_CAP_ID_MSI:
		return cfgguard_msi_len(cfg, pos);
	case PCI_CAP_ID_PCIX:
		return PCI_X_CMD_VERSION(cfgguard_cfg_read(cfg, pos + PCI_X_CMD, 2)) ?
		       PCI_CAP_PCIX_SIZEOF_V2 : PCI_CAP_PCIX_SIZEOF_V0;
	case PCI_CAP_ID_VNDR:
		return cfgguard_cfg_read(cfg, pos + PCI_CAP_FLAGS, 1);
	case PCI_CAP_ID_EXP:
		return cfgguard_exp_len(cfg, pos);
	case PCI_CAP_ID_HT:
		byte = cfgguard_cfg_read(cfg, pos + 3, 1);
		return (byte & HT_3BIT_CAP_MASK) ? HT_CAP_SIZEOF_SHORT :
						   HT_CAP_SIZEOF_LONG;
	case PCI_CAP_ID_SATA:
		byte = cfgguard_cfg_read(cfg, pos + PCI_SATA_REGS, 1);
		return (byte & PCI_SATA_REGS_MASK) == PCI_SATA_REGS_INLINE ?
		       PCI_SATA_SIZEOF_LONG : PCI_SATA_SIZEOF_SHORT;
	}
	return 0;
}

static unsigned int cfgguard_vc_len(const struct cfgguard_cfg *cfg, u16 pos)
{
	u32 cap1 = cfgguard_cfg_read(cfg, pos + PCI_VC_PORT_CAP1, 4);
	u32 cap2 = cfgguard_cfg_read(cfg, pos + PCI_VC_PORT_CAP2, 4);
	unsigned int len, phases = 0;

	if (cap2 & PCI_VC_CAP2_128_PHASE)
		phases = 128;
	else if (cap2 & PCI_VC_CAP2_64_PHASE)
		phases = 64;
	else if (cap2 & PCI_VC_CAP2_32_PHASE)
		phases = 32;

	len = PCI_CAP_VC_BASE_SIZEOF +
	      (1 + (cap1 & PCI_VC_CAP1_EVCC)) * PCI_CAP_VC_PER_VC_SIZEOF;
	if (phases)
		len = ALIGN(len, 16) + phases * 4 / 8;
	return len;
}

static unsigned int cfgguard_ext_len(const struct cfgguard_cfg *cfg, u16 id,
				     u16 pos)
{
	unsigned int bits;
	u32 dword;
	u8 byte;

	switch (id) {
	case PCI_EXT_CAP_ID_VNDR:
		return cfgguard_cfg_read(cfg, pos + PCI_VSEC_HDR, 4) >>
		       PCI_VSEC_HDR_LEN_SHIFT;
	case PCI_EXT_CAP_ID_VC:
	case PCI_EXT_CAP_ID_VC9:
	case PCI_EXT_CAP_ID_MFVC:
		return cfgguard_vc_len(cfg, pos);
	case PCI_EXT_CAP_ID_ACS:
		if (!(cfgguard_cfg_read(cfg, pos + PCI_ACS_CAP, 1) & PCI_ACS_EC))
			return 8;
		byte = cfgguard_cfg_read(cfg, pos + PCI_ACS_EGRESS_BITS, 1);
		bits = byte ? ALIGN(byte, 32) : 256;
		return 8 + bits / 8;
	case PCI_EXT_CAP_ID_REBAR:
		byte = cfgguard_cfg_read(cfg, pos + PCI_REBAR_CTRL, 1);
		return 4 + 8 * ((byte & PCI_REBAR_CTRL_NBAR_MASK) >>
				PCI_REBAR_CTRL_NBAR_SHIFT);
	case PCI_EXT_CAP_ID_DPA:
		byte = cfgguard_cfg_read(cfg, pos + PCI_DPA_CAP, 1);
		return PCI_DPA_BASE_SIZEOF + (byte & PCI_DPA_CAP_SUBSTATE_MASK) + 1;
	case PCI_EXT_CAP_ID_TPH:
		dword = cfgguard_cfg_read(cfg, pos + PCI_TPH_CAP, 4);
		if ((dword & PCI_TPH_CAP_LOC_MASK) != PCI_TPH_LOC_CAP)
			return PCI_TPH_BASE_SIZEOF;
		return PCI_TPH_BASE_SIZEOF + 2 +
		       2 * ((dword & PCI_TPH_CAP_ST_MASK) >> PCI_TPH_CAP_ST_SHIFT);
	case PCI_EXT_CAP_ID_DVSEC:
		return PCI_DVSEC_HEADER1_LEN(cfgguard_cfg_read(cfg, pos + PCI_DVSEC_HEADER1, 4));
	}
	return 0;
}

static void cfgguard_layout_add(struct cfgguard_layout *layout,
				const struct cfgguard_cfg *cfg, u16 id,
				bool extended, unsigned int start,
				unsigned int len)
{
	struct cfgguard_cap *cap;

	/* a length the device overstates ends with its config space */
	if (layout->nr_caps == CFGGUARD_MAX_CAPS || start >= cfg->size)
		return;
	cap = &layout->caps[layout->nr_caps++];
	cap->id = id;
	cap->extended = extended;
	cap->start = start;
	cap->len = min(len, cfg->size - start);
}

/* Whether vfio-pci walks the extended capabilities of this device. */
static bool cfgguard_has_ext_caps(const struct cfgguard_layout *layout,
				  const struct cfgguard_cfg *cfg)
{
	unsigned int i;

	if (cfg->size <= PCI_CFG_SPACE_SIZE ||
	    !cfgguard_cfg_read(cfg, PCI_CFG_SPACE_SIZE, 4))
		return false;
	for (i = 1; i < layout->nr_caps; i++) {
		const struct cfgguard_cap *cap = &layout->caps[i];

		if (cap->id == PCI_CAP_ID_EXP ||
		    (cap->id == PCI_CAP_ID_PCIX &&
		     cap->len == PCI_CAP_PCIX_SIZEOF_V2))
			return true;
	}
	return false;
}

static void cfgguard_walk_ext(struct cfgguard_layout *layout,
			      const struct cfgguard_cfg *cfg)
{
	unsigned int loops = (cfg->size - PCI_CFG_SPACE_SIZE) / PCI_CAP_SIZEOF;
	unsigned int pos = PCI_CFG_SPACE_SIZE, len;
	bool first = true;

	while (loops-- && pos >= PCI_CFG_SPACE_SIZE) {
		u32 header = cfgguard_cfg_read(cfg, pos, 4);
		u16 id = PCI_EXT_CAP_ID(header);

		len = 0;
		if (id <= PCI_EXT_CAP_ID_MAX) {
			len = cfgguard_ext_cap_len[id];
			if (len == CFGGUARD_VARIABLE)
				len = cfgguard_ext_len(cfg, id, pos);
		}
		/* vfio-pci keeps a hidden first capability as a placeholder */
		if (!len && first)
			len = PCI_CAP_SIZEOF;
		if (len)
			cfgguard_layout_add(layout, cfg, id, true, pos, len);
		first = false;
		pos = PCI_EXT_CAP_NEXT(header);
	}
}

/**
 * cfgguard_layout_parse() - find the header and capabilities in @cfg
 * @cfg: the device's config space, as the device reads it
 * @cfg_size: its size, 256 or 4096
 * @layout: the result; caps[0] is the header
 *
 * A malformed chain ends the walk; it is not an error.
 *
 * Return: 0, or -EINVAL for another size.
 */
int cfgguard_layout_parse(const u8 *cfg, unsigned int cfg_size,
			  struct cfgguard_layout *layout)
{
	struct cfgguard_cfg c = { .bytes = cfg, .size = cfg_size };
	unsigned int loops, len;
	u8 pos, id;

	if (cfg_size != PCI_CFG_SPACE_SIZE && cfg_size != PCI_CFG_SPACE_EXP_SIZE)
		return -EINVAL;

	layout->nr_caps = 0;
	cfgguard_layout_add(layout, &c, 0, false, 0, PCI_STD_HEADER_SIZEOF);

	if (cfgguard_cfg_read(&c, PCI_STATUS, 2) & PCI_STATUS_CAP_LIST) {
		pos = cfgguard_cfg_read(&c, PCI_CAPABILITY_LIST, 1);
		loops = (PCI_CFG_SPACE_SIZE - PCI_STD_HEADER_SIZEOF) /
			PCI_CAP_SIZEOF;
		while (pos && loops--) {
			id = cfgguard_cfg_read(&c, pos, 1);
			len = 0;
			/* ID 0 is a null capability: hidden, like vfio-pci */
			if (id && id <= PCI_CAP_ID_MAX) {
				len = cfgguard_cap_len[id];
				if (len == CFGGUARD_VARIABLE)
					len = cfgguard_std_len(&c, id, pos);
			}
			if (len)
				cfgguard_layout_add(layout, &c, id, false, pos,
						    len);
			pos = cfgguard_cfg_read(&c, pos + PCI_CAP_LIST_NEXT, 1);
		}
	}

	if (cfgguard_has_ext_caps(layout, &c))
		cfgguard_walk_ext(layout, &c);
	return 0;
}

/**
 * cfgguard_cap_name() - a capability's name, for tables and messages
 * @cap: the capability
 *
 * Return: a static string.
 */
const char *cfgguard_cap_name(const struct cfgguard_cap *cap)
{
	static const char *const std[PCI_CAP_ID_MAX + 1] = {
		[0] = "header",
		[PCI_CAP_ID_PM] = "Power Management",
		[PCI_CAP_ID_AGP] = "AGP",
		[PCI_CAP_ID_VPD] = "Vital Product Data",
		[PCI_CAP_ID_MSI] = "MSI",
		[PCI_CAP_ID_PCIX] = "PCI-X",
		[PCI_CAP_ID_HT] = "HyperTransport",
		[PCI_CAP_ID_VNDR] = "Vendor-Specific",
		[PCI_CAP_ID_EXP] = "PCI Express",
		[PCI_CAP_ID_MSIX] = "MSI-X",
		[PCI_CAP_ID_SATA] = "SATA",
		[PCI_CAP_ID_AF] = "Advanced Features",
	};
	static const char *const ext[PCI_EXT_CAP_ID_MAX + 1] = {
		[PCI_EXT_CAP_ID_ERR] = "Advanced Error Reporting",
		[PCI_EXT_CAP_ID_VC] = "Virtual Channel",
		[PCI_EXT_CAP_ID_DSN] = "Device Serial Number",
		[PCI_EXT_CAP_ID_PWR] = "Power Budgeting",
		[PCI_EXT_CAP_ID_MFVC] = "Multi-Function Virtual Channel",
		[PCI_EXT_CAP_ID_VC9] = "Virtual Channel",
		[PCI_EXT_CAP_ID_VNDR] = "Vendor-Specific",
		[PCI_EXT_CAP_ID_ACS] = "Access Control Services",
		[PCI_EXT_CAP_ID_ARI] = "Alternative Routing-ID",
		[PCI_EXT_CAP_ID_ATS] = "Address Translation Services",
		[PCI_EXT_CAP_ID_SRIOV] = "SR-IOV",
		[PCI_EXT_CAP_ID_MCAST] = "Multicast",
		[PCI_EXT_CAP_ID_PRI] = "Page Request Interface",
		[PCI_EXT_CAP_ID_REBAR] = "Resizable BAR",
		[PCI_EXT_CAP_ID_DPA] = "Dynamic Power Allocation",
		[PCI_EXT_CAP_ID_TPH] = "TPH Requester",
		[PCI_EXT_CAP_ID_LTR] = "Latency Tolerance Reporting",
		[PCI_EXT_CAP_ID_DVSEC] = "Designated Vendor-Specific",
	};
	const char *name = NULL;

	if (cap->extended && cap->id <= PCI_EXT_CAP_ID_MAX)
		name = ext[cap->id];
	else if (!cap->extended && cap->id <= PCI_CAP_ID_MAX)
		name = std[cap->id];
	return name ?: "unknown";
}
