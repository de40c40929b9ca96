/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	uapi/cfgguard.yaml */
/* YNL-GEN uapi header */

#ifndef _UAPI_LINUX_CFGGUARD_H
#define _UAPI_LINUX_CFGGUARD_H

#define CFGGUARD_FAMILY_NAME	"cfgguard"
#define CFGGUARD_FAMILY_VERSION	1

#define CFGGUARD_CFG_SPACE_SIZE	4096
#define CFGGUARD_MAX_RANGES	1024
#define CFGGUARD_BDF_MAX_LEN	16
#define CFGGUARD_MAX_TABLES	4096
#define CFGGUARD_MAP_RAW	255
#define CFGGUARD_MAP_VIRT	254

/**
 * enum cfgguard_action - What happens to an access of a byte.
 * @CFGGUARD_ACTION_ALLOW: Reads and writes reach vfio-pci.
 * @CFGGUARD_ACTION_READ_ONLY: Reads reach vfio-pci; writes are dropped.
 * @CFGGUARD_ACTION_DENY: Reads return zeros, as a register the device does not
 *   implement would; writes are dropped.
 */
enum cfgguard_action {
	CFGGUARD_ACTION_ALLOW,
	CFGGUARD_ACTION_READ_ONLY,
	CFGGUARD_ACTION_DENY,
};

/**
 * enum cfgguard_mode - How a device's table is applied.
 * @CFGGUARD_MODE_ENFORCE: Blocked accesses are substituted or dropped, and
 *   reported.
 * @CFGGUARD_MODE_AUDIT: Every access passes; those the table would block are
 *   reported.
 * @CFGGUARD_MODE_OFF: Every access passes and nothing is reported.
 */
enum cfgguard_mode {
	CFGGUARD_MODE_ENFORCE,
	CFGGUARD_MODE_AUDIT,
	CFGGUARD_MODE_OFF,
};

/**
 * enum cfgguard_source - Which table decides a device's accesses.
 */
enum cfgguard_source {
	CFGGUARD_SOURCE_DEFAULT,
	CFGGUARD_SOURCE_MODEL,
	CFGGUARD_SOURCE_DEVICE,
};

/**
 * enum cfgguard_map_source - Where a bound device's config map comes from.
 * @CFGGUARD_MAP_SOURCE_WALKED: The driver walked the capability chains at bind
 *   time by the rules of the running kernel's vfio-pci; the device has not
 *   been opened since.
 * @CFGGUARD_MAP_SOURCE_VFIO_PCI: vfio-pci's own map, as it built it at the
 *   device's last open.
 */
enum cfgguard_map_source {
	CFGGUARD_MAP_SOURCE_WALKED,
	CFGGUARD_MAP_SOURCE_VFIO_PCI,
};

/**
 * enum cfgguard_op - Direction of a config access.
 */
enum cfgguard_op {
	CFGGUARD_OP_READ,
	CFGGUARD_OP_WRITE,
};

/**
 * enum cfgguard_result - What the guard did to an access it reports.
 * @CFGGUARD_RESULT_BLOCKED: Enforced: a read returned zeros for its blocked
 *   bytes, a write was dropped for its blocked bytes; any allowed bytes
 *   reached vfio-pci.
 * @CFGGUARD_RESULT_MASKED: A write reached the device only through a write
 *   mask.
 * @CFGGUARD_RESULT_AUDITED: Audit mode let through an access the table would
 *   have blocked.
 */
enum cfgguard_result {
	CFGGUARD_RESULT_BLOCKED,
	CFGGUARD_RESULT_MASKED,
	CFGGUARD_RESULT_AUDITED,
};

enum {
	CFGGUARD_A_RANGE_START = 1,
	CFGGUARD_A_RANGE_LEN,
	CFGGUARD_A_RANGE_ACTION,
	CFGGUARD_A_RANGE_WMASK,

	__CFGGUARD_A_RANGE_MAX,
	CFGGUARD_A_RANGE_MAX = (__CFGGUARD_A_RANGE_MAX - 1)
};

enum {
	CFGGUARD_A_DEV_BDF = 1,
	CFGGUARD_A_DEV_VENDOR,
	CFGGUARD_A_DEV_DEVICE,
	CFGGUARD_A_DEV_DEFAULT_ACTION,
	CFGGUARD_A_DEV_CFG_SIZE,
	CFGGUARD_A_DEV_RANGE,
	CFGGUARD_A_DEV_MODE,
	CFGGUARD_A_DEV_SOURCE,
	CFGGUARD_A_DEV_STATS,
	CFGGUARD_A_DEV_EVENT_SEQ,
	CFGGUARD_A_DEV_MAP_SOURCE,
	CFGGUARD_A_DEV_CONFIG_MAP,
	CFGGUARD_A_DEV_PAD,

	__CFGGUARD_A_DEV_MAX,
	CFGGUARD_A_DEV_MAX = (__CFGGUARD_A_DEV_MAX - 1)
};

enum {
	CFGGUARD_A_STATS_PAD = 1,
	CFGGUARD_A_STATS_READ_ALLOWED,
	CFGGUARD_A_STATS_READ_BLOCKED,
	CFGGUARD_A_STATS_READ_AUDITED,
	CFGGUARD_A_STATS_WRITE_ALLOWED,
	CFGGUARD_A_STATS_WRITE_BLOCKED,
	CFGGUARD_A_STATS_WRITE_MASKED,
	CFGGUARD_A_STATS_WRITE_AUDITED,
	CFGGUARD_A_STATS_SUPPRESSED,
	CFGGUARD_A_STATS_LOST,
	CFGGUARD_A_STATS_EVENTS,
	CFGGUARD_A_STATS_UNWATCHED,

	__CFGGUARD_A_STATS_MAX,
	CFGGUARD_A_STATS_MAX = (__CFGGUARD_A_STATS_MAX - 1)
};

enum {
	CFGGUARD_A_EVENT_PAD = 1,
	CFGGUARD_A_EVENT_BDF,
	CFGGUARD_A_EVENT_OP,
	CFGGUARD_A_EVENT_OFFSET,
	CFGGUARD_A_EVENT_SIZE,
	CFGGUARD_A_EVENT_VALUE,
	CFGGUARD_A_EVENT_RESULT,
	CFGGUARD_A_EVENT_MODE,
	CFGGUARD_A_EVENT_SOURCE,
	CFGGUARD_A_EVENT_PID,
	CFGGUARD_A_EVENT_COMM,
	CFGGUARD_A_EVENT_TIMESTAMP,
	CFGGUARD_A_EVENT_SEQ,
	CFGGUARD_A_EVENT_SUPPRESSED,

	__CFGGUARD_A_EVENT_MAX,
	CFGGUARD_A_EVENT_MAX = (__CFGGUARD_A_EVENT_MAX - 1)
};

enum {
	CFGGUARD_CMD_TABLE_SET = 1,
	CFGGUARD_CMD_TABLE_GET,
	CFGGUARD_CMD_TABLE_DEL,
	CFGGUARD_CMD_DEV_GET,
	CFGGUARD_CMD_MODE_SET,
	CFGGUARD_CMD_STATS_RESET,
	CFGGUARD_CMD_ACCESS,

	__CFGGUARD_CMD_MAX,
	CFGGUARD_CMD_MAX = (__CFGGUARD_CMD_MAX - 1)
};

#define CFGGUARD_MCGRP_EVENTS	"events"

#endif /* _UAPI_LINUX_CFGGUARD_H */
