// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The cfgguard authors. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "devcfg.h"

int devcfg_read(const char *bdf, struct devcfg *cfg)
{
	struct utsname uts;
	char path[128];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/config", bdf);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = pread(fd, cfg->bytes, sizeof(cfg->bytes), 0);
	close(fd);
	if (n < 0)
		return -1;
	/* unprivileged readers see only the first 64 bytes */
	if (n != 256 && n != 4096) {
		errno = n == 64 ? EPERM : EIO;
		return -1;
	}
	cfg->size = n;

	/* vfio-pci's rules are the running kernel's, not those of our headers */
	if (uname(&uts))
		uts.release[0] = '\0';
	snprintf(cfg->release, sizeof(cfg->release), "%s", uts.release);
	cfg->release_known = !cfgguard_layout_rules_for_release(cfg->release,
								&cfg->rules);
	if (cfgguard_layout_parse(cfg->bytes, cfg->size, &cfg->rules,
				  &cfg->layout)) {
		errno = EINVAL;
		return -1;
	}
	cfgguard_layout_map(&cfg->layout, cfg->size, cfg->map);
	return 0;
}

static const char *devcfg_map_name(uint8_t id, bool extended)
{
	struct cfgguard_cap cap = { .id = id, .extended = extended };

	if (id == CFGGUARD_LAYOUT_MAP_VIRT)
		return "virtualised by vfio-pci";
	return cfgguard_cap_name(&cap);
}

/**
 * devcfg_map_ranges() - a map's ranges, as a table lists them
 * @map: one byte per config byte, as vfio-pci's pci_config_map: the ID of
 *	the capability vfio-pci assigns it to (0 for the header), 0xfe for a
 *	byte it virtualises outside any capability, 0xff for a raw one
 * @size: the map's size
 * @ranges: the result, in address order
 * @max: room in @ranges; @size is always enough
 *
 * A range per maximal run of equal bytes other than 0xff, split at 0x100:
 * below, the bytes are standard capability IDs, from there extended ones.
 *
 * Return: the number of ranges, at most @max.
 */
unsigned int devcfg_map_ranges(const uint8_t *map, unsigned int size,
			       struct devcfg_range *ranges, unsigned int max)
{
	unsigned int n = 0, start = 0, i;

	for (i = 1; i <= size; i++) {
		if (i < size && map[i] == map[start] && i != 256)
			continue;
		if (map[start] != CFGGUARD_LAYOUT_MAP_RAW) {
			if (n == max)
				break;
			ranges[n].start = start;
			ranges[n].end = i - 1;
			ranges[n].id = map[start];
			ranges[n].extended = start >= 256;
			ranges[n].name = devcfg_map_name(map[start],
							 start >= 256);
			n++;
		}
		start = i;
	}
	return n;
}
