// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The cfgguard authors. */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "devcfg.h"
#include "devmap.h"
#include "ipc.h"

#define DEVMAP_DRIVER "cfgguard-vfio-pci"

#ifdef CFGGUARD_MAP_RAW
_Static_assert(CFGGUARD_LAYOUT_MAP_RAW == CFGGUARD_MAP_RAW &&
	       CFGGUARD_LAYOUT_MAP_VIRT == CFGGUARD_MAP_VIRT,
	       "layout.h and the uapi disagree on the map's values");
#endif

static bool bound_to_cfgguard(const char *bdf)
{
	char path[128], target[PATH_MAX];
	const char *name;
	ssize_t n;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver", bdf);
	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return false;
	target[n] = '\0';
	name = strrchr(target, '/');
	return !strcmp(name ? name + 1 : target, DEVMAP_DRIVER);
}

/* 0, or 1 to walk the config space instead. */
static int map_from_module(const char *bdf, struct devmap *m)
{
	struct ipc_error e = { 0 };
	struct ctl_dev *dev = calloc(1, sizeof(*dev));
	int ret = 1;

	if (!dev) {
		perror("calloc");
		return 1;
	}
	if (ipc_dev_get(bdf, dev, &e)) {
		ipc_perror("Unable to get the driver's map", &e);
	} else if (!dev->has_map || dev->cfg_size > sizeof(m->bytes) ||
		   !dev->cfg_size) {
		fprintf(stderr, "The driver sent no map for %s\n", bdf);
	} else {
		m->size = dev->cfg_size;
		m->vendor = dev->vendor;
		m->device = dev->device;
		memcpy(m->bytes, dev->config_map, m->size);
		snprintf(m->source, sizeof(m->source), "%s",
			 dev->map_source == CFGGUARD_MAP_SOURCE_VFIO_PCI ?
			 "vfio-pci's map from the device's last open" :
			 "the driver's walk at bind, by vfio-pci's rules");
		ret = 0;
	}
	if (ret)
		fprintf(stderr, "%s is bound to %s: walking its config space instead\n",
			bdf, DEVMAP_DRIVER);
	free(dev);
	return ret;
}

static int map_from_walk(const char *bdf, struct devmap *m)
{
	struct devcfg *cfg = calloc(1, sizeof(*cfg));

	if (!cfg) {
		perror("calloc");
		return -1;
	}
	if (devcfg_read(bdf, cfg)) {
		fprintf(stderr, "Unable to read the config space of %s: %s\n",
			bdf, strerror(errno));
		free(cfg);
		return -1;
	}
	if (!cfg->release_known)
		fprintf(stderr, "Unknown kernel release `%s': sizing by the newest vfio-pci's rules\n",
			cfg->release);
	m->size = cfg->size;
	m->vendor = cfg->bytes[0] | cfg->bytes[1] << 8;
	m->device = cfg->bytes[2] | cfg->bytes[3] << 8;
	memcpy(m->bytes, cfg->map, m->size);
	snprintf(m->source, sizeof(m->source),
		 "a walk of the config space by the rules of Linux %s's vfio-pci",
		 cfg->release_known ? cfg->release : "(newest)");
	free(cfg);
	return 0;
}

int devmap_get(const char *bdf, struct devmap *m)
{
	if (bound_to_cfgguard(bdf) && !map_from_module(bdf, m))
		return 0;
	return map_from_walk(bdf, m);
}
