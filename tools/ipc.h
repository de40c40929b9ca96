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

#include "table.h"

/* A table's key: a device address or a device model. */
struct ctl_key {
	bool model;
	char bdf[13];		/* dddd:bb:dd.f */
	uint16_t vendor;
	uint16_t device;
};

#define CTL_NR_STATS 9	/* CFGGUARD_A_STATS_READ_ALLOWED..._LOST */

/* A device bound to cfgguard-vfio-pci. */
struct ctl_dev {
	char bdf[13];
	uint16_t vendor;
	uint16_t device;
	uint16_t cfg_size;
	uint32_t mode;		/* enum cfgguard_mode */
	uint32_t source;	/* enum cfgguard_source */
	uint64_t stats[CTL_NR_STATS];
};

extern const char *const stats_names[CTL_NR_STATS];

/* What went wrong, as far as the kernel said. */
struct ipc_error {
	int err;		/* errno */
	char msg[256];		/* extack message, or "" */
	int range;		/* index of the range it named, or -1 */
	bool no_family;		/* the module is not loaded */
};

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
int ipc_stats_reset(const char *bdf, struct ipc_error *e);

/* Prints "<what>: <strerror>" and the kernel's reason, for a failed call. */
void ipc_perror(const char *what, const struct ipc_error *e);

const char *mode_name(uint32_t mode);
const char *source_name(uint32_t source);

#endif /* CFGGUARD_IPC_H */
