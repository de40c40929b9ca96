// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The cfgguard authors.
 *
 * Walks a copy of a device's config space the way vfio-pci's
 * vfio_config_init() walks the device at each open (vfio_cap_init() and
 * vfio_ecap_init() in drivers/vfio/pci/vfio_pci_config.c), and fills the
 * byte map vfio-pci fills (its pci_config_map), so that "unassigned" means
 * here what it means to vfio-pci: a capability vfio-pci hides (length 0)
 * leaves its bytes unassigned; a hidden first extended capability keeps a
 * 4-byte placeholder.
 *
 * The sizes differ between kernels (struct cfgguard_layout_rules):
 * 6.1's vfio-pci sizes a version-2 PCI Express capability 0x32 bytes and
 * hides DVSEC, 6.12's sizes it 0x34 and DVSEC by its length. The module
 * takes the rules of the kernel it is built for, cfgguard-ctl those of the
 * kernel it runs on.
 */

#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/pci_regs.h>
#include <linux/string.h>
#include <linux/types.h>
#ifndef __KERNEL__
#include <stdlib.h>
#endif

#include "layout.h"

#ifdef __KERNEL__
/*
 * vfio-pci sizes DVSEC from Linux 6.4 on, a change to vfio_pci_config.c
 * alone that no header shows: Kbuild decides, from that file where the
 * target tree has it. Without Kbuild's word, go by the tree's version.
 */
#ifndef CFGGUARD_VFIO_DVSEC
#include <linux/version.h>
#define CFGGUARD_VFIO_DVSEC \
	(LINUX_VERSION_MAJOR > 6 || \
	 (LINUX_VERSION_MAJOR == 6 && LINUX_VERSION_PATCHLEVEL >= 4))
#endif

const struct cfgguard_layout_rules cfgguard_layout_kernel_rules = {
	/* the value vfio-pci was built with: these very headers' */
	.exp_v2_len = PCI_CAP_EXP_ENDPOINT_SIZEOF_V2,
	.dvsec = CFGGUARD_VFIO_DVSEC,
};
#else
/*
 * PCI_CAP_EXP_ENDPOINT_SIZEOF_V2: 52 until Linux 5.17 turned it into 0x32
 * (fb82437fdd8c, "PCI: Change capability register offsets to hex"), 0x34
 * again from 7.0 (39195990e4c0, "PCI: Correct PCI_CAP_EXP_ENDPOINT_SIZEOF_V2
 * value"), and in the stable releases below. Userspace's own pci_regs.h
 * says nothing of the running kernel's.
 */
#define CFGGUARD_EXP_V2_LEN_HEX	0x32
#define CFGGUARD_EXP_V2_LEN	0x34

static const struct {
	unsigned int major, minor, sublevel;
} cfgguard_exp_v2_fixed[] = {
	{ 6, 6, 130 }, { 6, 12, 77 }, { 6, 18, 17 }, { 6, 19, 7 },
};

#define CFGGUARD_VERSION(a, b) ((a) * 1000 + (b))

static bool cfgguard_parse_num(const char **s, unsigned int *num)
{
	char *end;
	unsigned long val;

	if (**s < '0' || **s > '9')
		return false;
	val = strtoul(*s, &end, 10);
	if (val > 999)
		return false;
	*num = val;
	*s = end;
	return true;
}

/**
 * cfgguard_layout_rules_for_release() - the rules of a kernel release
 * @release: a kernel release, as uname -r says it ("6.12.117+deb12-amd64")
 * @rules: the result
 *
 * By the upstream and stable versions that changed vfio-pci's sizes.
 * Distributions backport, and a release string names no backport; Debian's
 * 6.1 names no sublevel either ("6.1.0-56-amd64"), which does not matter
 * while no 6.1 stable release has either change (none has, to 6.1.192).
 *
 * Return: 0, or -EINVAL for a release that is not "MAJOR.MINOR[.SUBLEVEL]..."
 * (@rules are then the newest kernels').
 */
int cfgguard_layout_rules_for_release(const char *release,
				      struct cfgguard_layout_rules *rules)
{
	unsigned int major, minor, sublevel = 0, version, i;
	const char *s = release;

	rules->exp_v2_len = CFGGUARD_EXP_V2_LEN;
	rules->dvsec = true;
	if (!cfgguard_parse_num(&s, &major) || *s++ != '.' ||
	    !cfgguard_parse_num(&s, &minor))
		return -EINVAL;
	if (*s == '.') {
		s++;
		if (!cfgguard_parse_num(&s, &sublevel))
			return -EINVAL;
	}

	version = CFGGUARD_VERSION(major, minor);
	rules->dvsec = version >= CFGGUARD_VERSION(6, 4);
	if (version >= CFGGUARD_VERSION(5, 17) &&
	    version < CFGGUARD_VERSION(7, 0)) {
		rules->exp_v2_len = CFGGUARD_EXP_V2_LEN_HEX;
		for (i = 0; i < ARRAY_SIZE(cfgguard_exp_v2_fixed); i++)
			if (cfgguard_exp_v2_fixed[i].major == major &&
			    cfgguard_exp_v2_fixed[i].minor == minor &&
			    sublevel >= cfgguard_exp_v2_fixed[i].sublevel)
				rules->exp_v2_len = CFGGUARD_EXP_V2_LEN;
	}
	return 0;
}
#endif /* __KERNEL__ */

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

/* vfio-pci's table; DVSEC's length is the rules' (hidden before 6.4) */
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

struct cfgguard_walk {
	const struct cfgguard_cfg *cfg;
	const struct cfgguard_layout_rules *rules;
	struct cfgguard_layout *layout;
	bool ext_caps;		/* vfio-pci's vdev->extended_caps */
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

/*
 * The PCI Express Capabilities register the PCI core caches at enumeration
 * (pdev->pcie_flags_reg, set_pcie_port_type()), of the first PCI Express
 * capability that pci_find_capability() finds: it starts where the header
 * type says, masks the pointers' low bits, stops below 0x40, at ID 0xff and
 * after 48 steps. Its corrections of a port's type (upstream, downstream)
 * are of no matter to vfio-pci's sizes.
 */
static u16 cfgguard_pcie_flags(const struct cfgguard_cfg *cfg)
{
	unsigned int ttl = 48;
	u16 ent;
	u8 pos;

	if (!(cfgguard_cfg_read(cfg, PCI_STATUS, 2) & PCI_STATUS_CAP_LIST))
		return 0;
	switch (cfgguard_cfg_read(cfg, PCI_HEADER_TYPE, 1) & 0x7f) {
	case PCI_HEADER_TYPE_NORMAL:
	case PCI_HEADER_TYPE_BRIDGE:
		pos = cfgguard_cfg_read(cfg, PCI_CAPABILITY_LIST, 1);
		break;
	case PCI_HEADER_TYPE_CARDBUS:
		pos = cfgguard_cfg_read(cfg, PCI_CB_CAPABILITY_LIST, 1);
		break;
	default:
		return 0;
	}
	while (ttl--) {
		if (pos < 0x40)
			break;
		pos &= ~3;
		ent = cfgguard_cfg_read(cfg, pos, 2);
		if ((ent & 0xff) == 0xff)
			break;
		if ((ent & 0xff) == PCI_CAP_ID_EXP)
			return cfgguard_cfg_read(cfg, pos + PCI_EXP_FLAGS, 2);
		pos = ent >> 8;
	}
	return 0;
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

/*
 * Every PCI Express capability is sized by the device's flags (the first
 * one's, see cfgguard_pcie_flags()), not by its own.
 */
static unsigned int cfgguard_exp_len(const struct cfgguard_walk *w)
{
	u16 flags = w->layout->pcie_flags;
	bool rc_end = ((flags & PCI_EXP_FLAGS_TYPE) >> 4) == PCI_EXP_TYPE_RC_END;

	if ((flags & PCI_EXP_FLAGS_VERS) == 1)
		return rc_end ? 0xc : PCI_CAP_EXP_ENDPOINT_SIZEOF_V1;
	return rc_end ? 0x2c : w->rules->exp_v2_len;
}

/* vfio-pci walks the extended capabilities if there is one at 0x100. */
static void cfgguard_probe_ext_caps(struct cfgguard_walk *w)
{
	if (w->cfg->size > PCI_CFG_SPACE_SIZE)
		w->ext_caps = cfgguard_cfg_read(w->cfg, PCI_CFG_SPACE_SIZE,
						4) != 0;
}

static unsigned int cfgguard_std_len(struct cfgguard_walk *w, u8 id, u8 pos)
{
	const struct cfgguard_cfg *cfg = w->cfg;
	u8 byte;

	switch (id) {
	case PCI_CAP_ID_MSI:
		return cfgguard_msi_len(cfg, pos);
	case PCI_CAP_ID_PCIX:
		if (!PCI_X_CMD_VERSION(cfgguard_cfg_read(cfg, pos + PCI_X_CMD, 2)))
			return PCI_CAP_PCIX_SIZEOF_V0;
		cfgguard_probe_ext_caps(w);
		return PCI_CAP_PCIX_SIZEOF_V2;
	case PCI_CAP_ID_VNDR:
		return cfgguard_cfg_read(cfg, pos + PCI_CAP_FLAGS, 1);
	case PCI_CAP_ID_EXP:
		cfgguard_probe_ext_caps(w);
		return cfgguard_exp_len(w);
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

static unsigned int cfgguard_ext_len(const struct cfgguard_walk *w, u16 id,
				     u16 pos)
{
	const struct cfgguard_cfg *cfg = w->cfg;
	unsigned int bits;
	u32 dword;
	u8 byte;

	switch (id) {
	case PCI_EXT_CAP_ID_VNDR:
		/* PCI_VSEC_HDR* are gone from 7.x; these name the same field */
		return PCI_VNDR_HEADER_LEN(cfgguard_cfg_read(cfg,
							     pos + PCI_VNDR_HEADER,
							     4));
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
		if (!w->rules->dvsec)
			return 0;
		dword = cfgguard_cfg_read(cfg, pos + PCI_DVSEC_HEADER1, 4);
		return PCI_DVSEC_HEADER1_LEN(dword);
	}
	return 0;
}

/* Records what vfio-pci memset()s into its map, in its order. */
static void cfgguard_layout_add(struct cfgguard_walk *w, u16 id, bool extended,
				bool placeholder, unsigned int start,
				unsigned int len)
{
	struct cfgguard_layout *layout = w->layout;
	struct cfgguard_cap *cap;

	/* the walks' bounds make this unreachable; never write past caps[] */
	if (layout->nr_caps == CFGGUARD_MAX_CAPS || start >= w->cfg->size)
		return;
	/* a length the device overstates ends with its config space */
	if (len > w->cfg->size - start) {
		len = w->cfg->size - start;
		layout->clipped = true;
	}
	cap = &layout->caps[layout->nr_caps++];
	cap->id = id;
	cap->extended = extended;
	cap->placeholder = placeholder;
	cap->start = start;
	cap->len = len;
}

/* vfio_cap_init() */
static void cfgguard_walk_std(struct cfgguard_walk *w)
{
	unsigned int loops, len;
	u8 pos, id, next;

	if (!(cfgguard_cfg_read(w->cfg, PCI_STATUS, 2) & PCI_STATUS_CAP_LIST))
		return;
	pos = cfgguard_cfg_read(w->cfg, PCI_CAPABILITY_LIST, 1);
	loops = (PCI_CFG_SPACE_SIZE - PCI_STD_HEADER_SIZEOF) / PCI_CAP_SIZEOF;
	while (pos && loops--) {
		id = cfgguard_cfg_read(w->cfg, pos, 1);
		next = cfgguard_cfg_read(w->cfg, pos + PCI_CAP_LIST_NEXT, 1);
		len = 0;
		/* ID 0 is a null capability: hidden, like vfio-pci */
		if (id && id <= PCI_CAP_ID_MAX) {
			len = cfgguard_cap_len[id];
			if (len == CFGGUARD_VARIABLE)
				len = cfgguard_std_len(w, id, pos);
		}
		if (len)
			cfgguard_layout_add(w, id, false, false, pos, len);
		pos = next;
	}
}

/* vfio_ecap_init() */
static void cfgguard_walk_ext(struct cfgguard_walk *w)
{
	unsigned int loops = (w->cfg->size - PCI_CFG_SPACE_SIZE) / PCI_CAP_SIZEOF;
	unsigned int pos = PCI_CFG_SPACE_SIZE, len;
	bool first = true, placeholder;

	while (loops-- && pos >= PCI_CFG_SPACE_SIZE) {
		u32 header = cfgguard_cfg_read(w->cfg, pos, 4);
		u16 id = PCI_EXT_CAP_ID(header);

		len = 0;
		if (id <= PCI_EXT_CAP_ID_MAX) {
			len = cfgguard_ext_cap_len[id];
			if (len == CFGGUARD_VARIABLE)
				len = cfgguard_ext_len(w, id, pos);
		}
		placeholder = !len;
		if (placeholder) {
			/* a hidden capability after the first is skipped */
			if (!first) {
				pos = PCI_EXT_CAP_NEXT(header);
				continue;
			}
			/* the first keeps its place in the list */
			len = PCI_CAP_SIZEOF;
		}
		cfgguard_layout_add(w, id, true, placeholder, pos, len);
		first = false;
		pos = PCI_EXT_CAP_NEXT(header);
	}
}

/**
 * cfgguard_layout_parse() - find the header and capabilities in @cfg
 * @cfg: the device's config space, as the device reads it
 * @cfg_size: its size, 256 or 4096
 * @rules: the rules of the kernel whose vfio-pci is mirrored
 * @layout: the result; caps[0] is the header
 *
 * Bounded like vfio-pci's walks, whatever the device says: a chain that
 * loops is walked as often as vfio-pci walks it, overlapping capabilities
 * are kept (the later wins in the map), lengths past the end are clipped.
 *
 * Return: 0, or -EINVAL for another size.
 */
int cfgguard_layout_parse(const u8 *cfg, unsigned int cfg_size,
			  const struct cfgguard_layout_rules *rules,
			  struct cfgguard_layout *layout)
{
	struct cfgguard_cfg c = { .bytes = cfg, .size = cfg_size };
	struct cfgguard_walk w = { .cfg = &c, .rules = rules, .layout = layout };

	if (cfg_size != PCI_CFG_SPACE_SIZE && cfg_size != PCI_CFG_SPACE_EXP_SIZE)
		return -EINVAL;

	layout->cfg_size = cfg_size;
	layout->pcie_flags = cfgguard_pcie_flags(&c);
	layout->clipped = false;
	layout->nr_caps = 0;
	cfgguard_layout_add(&w, 0, false, false, 0, PCI_STD_HEADER_SIZEOF);
	cfgguard_walk_std(&w);
	if (w.ext_caps)
		cfgguard_walk_ext(&w);
	return 0;
}

/**
 * cfgguard_layout_map() - the map vfio-pci builds, from a layout
 * @layout: the layout
 * @cfg_size: the map's size
 * @map: the result: per byte, what vfio_config_init() leaves in
 *	pci_config_map: 0 (PCI_CAP_ID_BASIC) for the header, a capability's ID
 *	for its bytes (an extended ID's low byte, as vfio-pci stores it),
 *	CFGGUARD_LAYOUT_MAP_RAW for the rest
 */
void cfgguard_layout_map(const struct cfgguard_layout *layout,
			 unsigned int cfg_size, u8 *map)
{
	const struct cfgguard_cap *cap;
	unsigned int i;

	memset(map, CFGGUARD_LAYOUT_MAP_RAW, cfg_size);
	for (i = 0; i < layout->nr_caps; i++) {
		cap = &layout->caps[i];
		if (cap->start < cfg_size)
			memset(map + cap->start, cap->id & 0xff,
			       min_t(unsigned int, cap->len,
				     cfg_size - cap->start));
	}
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
