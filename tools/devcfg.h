/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The cfgguard authors.
 *
 * A device's config space as the host's sysfs shows it, and its layout as
 * the module computes it (module/layout.c).
 */
#ifndef CFGGUARD_DEVCFG_H
#define CFGGUARD_DEVCFG_H

#include <stdint.h>

#include "layout.h"

struct devcfg {
	unsigned int size;		/* 256 or 4096 */
	uint8_t bytes[4096];
	struct cfgguard_layout layout;
};

/* 0, or -1 with errno set (EPERM: not root, sysfs shows 64 bytes). */
int devcfg_read(const char *bdf, struct devcfg *cfg);

#endif /* CFGGUARD_DEVCFG_H */
