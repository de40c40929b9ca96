// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The cfgguard authors. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "devcfg.h"
#include "devmap.h"
#include "fit.h"

/*
 * sysfs sizes the config attribute by what the kernel reads of the device,
 * 256 or 4096 bytes, and shows that size to anyone; reading past 64 bytes
 * takes root.
 */
static int config_size(const char *bdf, unsigned int *size)
{
	char path[128];
	struct stat st;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/config", bdf);
	if (stat(path, &st)) {
		fprintf(stderr, "Unable to read the config space of %s: %s\n",
			bdf, errno == ENOENT ? "no such PCI device" : strerror(errno));
		return -1;
	}
	if (st.st_size != 256 && st.st_size != 4096) {
		fprintf(stderr, "Unable to read the config space of %s: %lld bytes, not 256 or 4096\n",
			bdf, (long long)st.st_size);
		return -1;
	}
	*size = st.st_size;
	return 0;
}

static void range_token(const struct table_range *r, char *buf, size_t len)
{
	snprintf(buf, len, "0x%x+%u", r->start, r->len);
}

/* What vfio-pci assigns the first of @r's bytes it does not pass raw to. */
static const char *assigned_name(const struct devmap *m,
				 const struct table_range *r)
{
	static struct devcfg_range ranges[CFGGUARD_CFG_SPACE_SIZE];
	unsigned int n = devcfg_map_ranges(m->bytes, m->size, ranges,
					   CFGGUARD_CFG_SPACE_SIZE);

	for (unsigned int i = 0; i < n; i++)
		if (ranges[i].end >= r->start &&
		    ranges[i].start < (unsigned int)r->start + r->len)
			return ranges[i].name;
	return NULL;
}

static int masks_fit(const struct table *table, const char *name,
		     const char *bdf)
{
	struct devmap *m = calloc(1, sizeof(*m));
	int ret = 0;

	if (!m) {
		perror("calloc");
		return -1;
	}
	if (devmap_get(bdf, m)) {
		free(m);
		return -1;
	}
	for (unsigned int i = 0; i < table->nr_ranges && !ret; i++) {
		const struct table_range *r = &table->ranges[i];
		const char *what;
		char token[24];

		if (!r->has_wmask || r->start + r->len > m->size)
			continue;
		what = assigned_name(m, r);
		if (!what)
			continue;
		range_token(r, token, sizeof(token));
		fprintf(stderr, "%s:%u: write mask on bytes vfio-pci virtualises (%s) on %s: '%s'\n",
			name, r->line, what, bdf, token);
		ret = 1;
	}
	free(m);
	return ret;
}

int table_fits_device(const struct table *table, const char *name,
		      const char *bdf)
{
	bool has_wmask = false;
	unsigned int size;

	if (config_size(bdf, &size))
		return -1;
	if (table->cfg_size && table->cfg_size != size) {
		fprintf(stderr, "%s:%u: size does not match the %u bytes of config space of %s: '%u'\n",
			name, table->cfg_size_line, size, bdf, table->cfg_size);
		return 1;
	}
	for (unsigned int i = 0; i < table->nr_ranges; i++) {
		const struct table_range *r = &table->ranges[i];
		char token[24];

		if (r->start + r->len > size) {
			range_token(r, token, sizeof(token));
			fprintf(stderr, "%s:%u: range ends past the %u bytes of config space of %s: '%s'\n",
				name, r->line, size, bdf, token);
			return 1;
		}
		has_wmask |= r->has_wmask;
	}
	return has_wmask ? masks_fit(table, name, bdf) : 0;
}
