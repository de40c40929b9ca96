/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The cfgguard authors.
 *
 * The few things cfgguard-ctl asks of the kernel, over the cfgguard generic
 * netlink family. Each call opens its own socket: the tool runs one
 * command and exits.
 */
#ifndef CFGGUARD_IPC_H
#define CFGGUARD_IPC_H

#include <stdbool.h>
#include <stdint.h>

#include <linux/cfgguard.h>

#include "table.h"

/* "dddd:bb:dd.f", or with up to 8 domain digits, and its NUL */
#define CTL_BDF_SIZE (CFGGUARD_BDF_MAX_LEN + 1)

/*
 * A libnl policy entry for a fixed-size attribute: libnl takes minlen as a
 * floor only, so it needs both.
 */
#define CTL_NLA_FIXED(t, n) { .type = (t), .minlen = (n), .maxlen = (n) }

/* A table's key: a device address or a device model. */
struct ctl_key {
	bool model;
	char bdf[CTL_BDF_SIZE];	/* dddd:bb:dd.f */
	uint16_t vendor;
	uint16_t device;
};

/* CFGGUARD_A_STATS_READ_ALLOWED..._UNWATCHED, in attribute order */
#define CTL_NR_STATS (CFGGUARD_A_STATS_MAX - CFGGUARD_A_STATS_READ_ALLOWED + 1)
/* index of a counter in ctl_dev.stats: CTL_STAT(LOST) */
#define CTL_STAT(name) (CFGGUARD_A_STATS_##name - CFGGUARD_A_STATS_READ_ALLOWED)

/* A device bound to cfgguard-vfio-pci. */
struct ctl_dev {
	char bdf[CTL_BDF_SIZE];
	uint16_t vendor;
	uint16_t device;
	uint16_t cfg_size;
	uint32_t mode;		/* enum cfgguard_mode */
	uint32_t source;	/* enum cfgguard_source */
	uint64_t stats[CTL_NR_STATS];
	uint64_t event_seq;	/* the latest reported access's seq */
	uint32_t map_source;	/* enum cfgguard_map_source */
	bool has_map;		/* config_map is filled in (dev-get of one) */
	uint8_t config_map[CFGGUARD_CFG_SPACE_SIZE];
};

extern const char *const stats_names[CTL_NR_STATS];

/* What went wrong, as far as the kernel said. */
struct ipc_error {
	int err;		/* errno */
	char msg[256];		/* extack message, or "" */
	int range;		/* index of the range it named, or -1 */
	bool no_family;		/* the module is not loaded */
};

/*
 * A device address as the kernel names the device, "dddd:bb:dd.f" in
 * lower-case hex with 4 to 8 domain digits (or "bb:dd.f" for domain 0), or
 * a model, "vendor:device". 0 or -1.
 */
int key_parse(const char *arg, struct ctl_key *key);
void key_format(const struct ctl_key *key, char *buf, size_t len);

int ipc_table_set(const struct ctl_key *key, const struct table *table,
		  struct ipc_error *e);
int ipc_table_get(const struct ctl_key *key, struct table *table,
		  struct ipc_error *e);
int ipc_table_dump(int (*fn)(const struct ctl_key *, const struct table *, void *),
		   void *arg, struct ipc_error *e);
int ipc_table_del(const struct ctl_key *key, struct ipc_error *e);
int ipc_dev_get(const char *bdf, struct ctl_dev *dev, struct ipc_error *e);
int ipc_dev_dump(int (*fn)(const struct ctl_dev *, void *), void *arg,
		 struct ipc_error *e);
int ipc_mode_set(const char *bdf, uint32_t mode, struct ipc_error *e);
/*
 * taken: the counters as the reset read them, in the same step (bdf and
 * stats only); its bdf is "" if the module does not say (an older one).
 */
int ipc_stats_reset(const char *bdf, struct ctl_dev *taken,
		    struct ipc_error *e);

/* Prints "<what>: <strerror>" and the kernel's reason, for a failed call. */
void ipc_perror(const char *what, const struct ipc_error *e);
/* why the cfgguard family cannot be found: no module, or not this netns */
void ipc_perror_no_family(const char *what);

const char *mode_name(uint32_t mode);
const char *source_name(uint32_t source);

#endif /* CFGGUARD_IPC_H */
