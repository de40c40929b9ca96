// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The cfgguard authors.
 *
 * gen-table: a starting table from the bytes vfio-pci assigns to a device's
 * header and capabilities (its pci_config_map). For a device bound to
 * cfgguard-vfio-pci, the map the module holds: vfio-pci's own once the
 * device has been opened, else the module's walk at bind. For any other,
 * a walk of its config space by the running kernel's vfio-pci rules, with
 * the same code (module/layout.c).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "devcfg.h"
#include "ipc.h"
#include "subcommands.h"

#define GEN_TABLE_DRIVER "cfgguard-vfio-pci"

#ifdef CFGGUARD_MAP_RAW
_Static_assert(CFGGUARD_LAYOUT_MAP_RAW == CFGGUARD_MAP_RAW &&
	       CFGGUARD_LAYOUT_MAP_VIRT == CFGGUARD_MAP_VIRT,
	       "layout.h and the uapi disagree on the map's values");
#endif

struct gen_table_map {
	unsigned int size;
	uint16_t vendor, device;
	uint8_t bytes[CFGGUARD_CFG_SPACE_SIZE];
	char source[160];	/* where the map came from, for the comment */
	struct devcfg_range ranges[CFGGUARD_CFG_SPACE_SIZE];
};

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
	return !strcmp(name ? name + 1 : target, GEN_TABLE_DRIVER);
}

/* 0, or 1 to walk the config space instead. */
static int map_from_module(const char *bdf, struct gen_table_map *m)
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
			bdf, GEN_TABLE_DRIVER);
	free(dev);
	return ret;
}

static int map_from_walk(const char *bdf, struct gen_table_map *m)
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

int gen_table_main(int argc, const char *argv[])
{
	struct gen_table_map *m;
	struct ctl_key key;
	unsigned int n;
	int ret = 1;

	if (argc != 2) {
		fprintf(stderr, "Usage: %s %s <BDF>\n", prog_name, argv[0]);
		return 1;
	}
	if (key_parse(argv[1], &key) || key.model) {
		fprintf(stderr, "Not a device address: `%s'\n", argv[1]);
		return 1;
	}
	m = calloc(1, sizeof(*m));
	if (!m) {
		perror("calloc");
		return 1;
	}
	if ((bound_to_cfgguard(key.bdf) && !map_from_module(key.bdf, m)) ||
	    !map_from_walk(key.bdf, m)) {
		printf("# cfgguard table for %s (%04x:%04x), written by %s %s\n"
		       "# from %s.\n",
		       key.bdf, m->vendor, m->device, prog_name, argv[0],
		       m->source);
		printf("# The header and every capability are allowed; vfio-pci still\n"
		       "# virtualises and filters them. Every other byte is denied: add\n"
		       "# ranges for the hidden registers the device's driver needs.\n");
		printf("size %u\ndefault deny\n", m->size);
		n = devcfg_map_ranges(m->bytes, m->size, m->ranges,
				      CFGGUARD_CFG_SPACE_SIZE);
		for (unsigned int i = 0; i < n; i++) {
			const struct devcfg_range *r = &m->ranges[i];

			printf("0x%03x-0x%03x allow\t# %s%s\n", r->start, r->end,
			       r->extended && r->id != CFGGUARD_LAYOUT_MAP_VIRT ?
			       "extended: " : "", r->name);
		}
		ret = 0;
	}
	free(m);
	return ret;
}
