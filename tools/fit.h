/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The cfgguard authors.
 *
 * Whether a table fits a device, as the module checks it at table-set for
 * a bound device and at bind for one bound later (module/guard.c,
 * cfgguard_table_fits()): so check and apply refuse, before anything is
 * loaded, what the kernel would refuse or pass over.
 */
#ifndef CFGGUARD_FIT_H
#define CFGGUARD_FIT_H

#include "table.h"

/*
 * The table read from @name against the device at @bdf: its config space
 * size, and write masks only on bytes vfio-pci passes to the device raw
 * (outside the header and every capability). The size needs no privilege;
 * the capabilities, looked at only when the table has a write mask, need
 * root, or the driver's map of a bound device.
 *
 * Return: 0 if it fits; 1 if not, after printing "<name>:<line>: <why>:
 * '<token>'" on stderr; -1 if the device could not be examined, after
 * saying why.
 */
int table_fits_device(const struct table *table, const char *name,
		      const char *bdf);

#endif /* CFGGUARD_FIT_H */
