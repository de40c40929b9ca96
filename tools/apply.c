// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The cfgguard authors.
 *
 * apply: makes the loaded tables what a directory says, one file per key,
 * named <key>.table. Every file is read and checked, against the devices
 * present too, before the kernel is asked anything, so a bad file changes
 * nothing. Then the tables that differ from the loaded ones are loaded and
 * the tables whose key has no file any more are cleared. Each step is
 * idempotent, so an apply that stopped halfway converges when run again.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fit.h"
#include "ipc.h"
#include "subcommands.h"
#include "table.h"

#define APPLY_DEFAULT_DIR	"/etc/cfgguard"
#define APPLY_SUFFIX		".table"
#define APPLY_DRIVER_DIR	"/sys/bus/pci/drivers/cfgguard-vfio-pci"

struct apply_file {
	char *path;		/* as messages name it: <dir>/<key>.table */
	struct ctl_key key;
	char key_name[32];
	struct table *table;
	bool loaded;		/* the kernel holds a table with this key */
	bool same;		/* ... and it is this one */
};

struct apply {
	const char *dir;
	struct apply_file *files;
	unsigned int nr_files;
	struct ctl_key *stale;	/* loaded, and no file has their key */
	unsigned int nr_stale;
	bool oom;
};

static void apply_usage(FILE *f, const char *cmd)
{
	fprintf(f, "Usage: %s %s [<directory>]\n"
		"Loads <directory>/<BDF|vendor:device>.table for each such file and\n"
		"clears every other loaded table. <directory> is %s when not given.\n",
		prog_name, cmd, APPLY_DEFAULT_DIR);
}

static int apply_select(const struct dirent *de)
{
	size_t len = strlen(de->d_name);

	return len >= strlen(APPLY_SUFFIX) &&
	       !strcmp(de->d_name + len - strlen(APPLY_SUFFIX), APPLY_SUFFIX);
}

static int apply_name_cmp(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static struct apply_file *apply_find(struct apply *a, const struct ctl_key *key)
{
	char name[32];

	key_format(key, name, sizeof(name));
	for (unsigned int i = 0; i < a->nr_files; i++)
		if (!strcmp(a->files[i].key_name, name))
			return &a->files[i];
	return NULL;
}

/*
 * One file: its name must be its key as the kernel and `show` write it, so
 * that one key cannot have two files, and a loaded table's key names the
 * file it came from.
 */
static int apply_read(struct apply *a, const char *name, struct apply_file *file)
{
	size_t stem_len = strlen(name) - strlen(APPLY_SUFFIX);
	char stem[64], err[512];

	if (asprintf(&file->path, "%s/%s", a->dir, name) < 0) {
		file->path = NULL;
		perror("asprintf");
		return -1;
	}
	snprintf(stem, sizeof(stem), "%.*s", (int)stem_len, name);
	if (stem_len >= sizeof(stem) || key_parse(stem, &file->key)) {
		fprintf(stderr, "%s: not named <BDF>%s or <vendor:device>%s\n",
			file->path, APPLY_SUFFIX, APPLY_SUFFIX);
		return -1;
	}
	key_format(&file->key, file->key_name, sizeof(file->key_name));
	if (strcmp(stem, file->key_name)) {
		fprintf(stderr, "%s: name it %s%s, its key as the kernel writes it\n",
			file->path, file->key_name, APPLY_SUFFIX);
		return -1;
	}
	file->table = table_read(file->path, err, sizeof(err));
	if (!file->table) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	return 0;
}

/* Reads every file; -1 after naming each bad one. */
static int apply_read_dir(struct apply *a)
{
	struct dirent **names;
	unsigned int bad = 0;
	int n;

	n = scandir(a->dir, &names, apply_select, apply_name_cmp);
	if (n < 0) {
		fprintf(stderr, "Unable to read `%s': %s\n", a->dir, strerror(errno));
		return -1;
	}
	a->files = calloc(n ?: 1, sizeof(*a->files));
	if (!a->files)
		perror("calloc");
	for (int i = 0; i < n; i++) {
		if (a->files && apply_read(a, names[i]->d_name, &a->files[a->nr_files++]))
			bad++;
		free(names[i]);
	}
	free(names);
	if (!a->files)
		return -1;
	if (bad) {
		fprintf(stderr, "Nothing applied: %u of %d files in %s %s bad\n",
			bad, n, a->dir, bad == 1 ? "is" : "are");
		return -1;
	}
	if (a->nr_files > CFGGUARD_MAX_TABLES) {
		fprintf(stderr, "Nothing applied: %u tables in %s, the kernel holds at most %u\n",
			a->nr_files, a->dir, CFGGUARD_MAX_TABLES);
		return -1;
	}
	return 0;
}

static int sysfs_id(const char *bdf, const char *attr, unsigned long *id)
{
	char path[128], buf[16];
	FILE *f;
	int ret = -1;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/%s", bdf, attr);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fgets(buf, sizeof(buf), f)) {
		*id = strtoul(buf, NULL, 16);
		ret = 0;
	}
	fclose(f);
	return ret;
}

/*
 * A model table guards the bound devices of its model that have no device
 * table: after this apply, those with no file here.
 */
static unsigned int apply_check_model(struct apply *a, struct apply_file *file)
{
	DIR *dir = opendir(APPLY_DRIVER_DIR);
	unsigned int bad = 0;
	struct dirent *de;

	/* no driver, no bound device: each is checked as it binds */
	if (!dir)
		return 0;
	while ((de = readdir(dir))) {
		unsigned long vendor, device;
		struct ctl_key dev;

		if (key_parse(de->d_name, &dev) || dev.model ||
		    sysfs_id(dev.bdf, "vendor", &vendor) ||
		    sysfs_id(dev.bdf, "device", &device) ||
		    vendor != file->key.vendor || device != file->key.device ||
		    apply_find(a, &dev))
			continue;
		if (table_fits_device(file->table, file->path, dev.bdf))
			bad++;
	}
	closedir(dir);
	return bad;
}

/* What the kernel would refuse now, or pass over when a device binds. */
static int apply_check_devices(struct apply *a)
{
	unsigned int bad = 0;

	for (unsigned int i = 0; i < a->nr_files; i++) {
		struct apply_file *file = &a->files[i];
		char path[128];

		if (file->key.model) {
			bad += apply_check_model(a, file) > 0;
			continue;
		}
		/* a device not present yet is checked when it is bound */
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s", file->key.bdf);
		if (access(path, F_OK))
			continue;
		if (table_fits_device(file->table, file->path, file->key.bdf))
			bad++;
	}
	if (bad)
		fprintf(stderr, "Nothing applied: %u of %u tables in %s %s not fit a device\n",
			bad, a->nr_files, a->dir, bad == 1 ? "does" : "do");
	return bad ? -1 : 0;
}

static bool tables_equal(const struct table *a, const struct table *b)
{
	if (a->default_action != b->default_action ||
	    a->cfg_size != b->cfg_size || a->nr_ranges != b->nr_ranges)
		return false;
	/* both sorted by start: the parser and the kernel sort them */
	for (unsigned int i = 0; i < a->nr_ranges; i++) {
		const struct table_range *ra = &a->ranges[i], *rb = &b->ranges[i];

		if (ra->start != rb->start || ra->len != rb->len ||
		    ra->action != rb->action || ra->has_wmask != rb->has_wmask ||
		    (ra->has_wmask && ra->wmask != rb->wmask))
			return false;
	}
	return true;
}

static int apply_note_loaded(const struct ctl_key *key,
			     const struct table *table, void *arg)
{
	struct apply *a = arg;
	struct apply_file *file = apply_find(a, key);
	struct ctl_key *stale;

	if (file) {
		file->loaded = true;
		file->same = tables_equal(file->table, table);
		return 0;
	}
	stale = realloc(a->stale, (a->nr_stale + 1) * sizeof(*stale));
	if (!stale) {
		a->oom = true;
		return -1;
	}
	a->stale = stale;
	a->stale[a->nr_stale++] = *key;
	return 0;
}

static int apply_clear_stale(struct apply *a)
{
	char key_name[32], what[80];
	struct ipc_error e;
	int ret = 0;

	for (unsigned int i = 0; i < a->nr_stale; i++) {
		key_format(&a->stale[i], key_name, sizeof(key_name));
		if (!ipc_table_del(&a->stale[i], &e)) {
			printf("%s: cleared\n", key_name);
		} else if (e.no_family || e.err != ENOENT) {
			/* ENOENT: someone else cleared it meanwhile */
			snprintf(what, sizeof(what), "Unable to clear the table of %s", key_name);
			ipc_perror(what, &e);
			ret = -1;
		}
	}
	return ret;
}

static int apply_load(struct apply_file *file)
{
	char what[PATH_MAX + 32];
	struct ipc_error e;

	if (file->same)
		return 0;
	if (ipc_table_set(&file->key, file->table, &e)) {
		snprintf(what, sizeof(what), "Unable to load %s", file->path);
		ipc_perror(what, &e);
		if (e.range >= 0 && (unsigned int)e.range < file->table->nr_ranges)
			fprintf(stderr, "%s:%u: the range the kernel refused\n",
				file->path, file->table->ranges[e.range].line);
		return -1;
	}
	printf("%s: %s\n", file->key_name, file->loaded ? "replaced" : "loaded");
	return 0;
}

/*
 * Device tables first: the kernel checks a new model table only against
 * the bound devices it would guard, and a device's own table takes it out
 * of those. At the first refusal, stop and clear nothing: every table is
 * then either as it was or as its file says, and what was cleared never
 * depends on what failed to load.
 */
static int apply_load_all(struct apply *a)
{
	for (int model = 0; model <= 1; model++)
		for (unsigned int i = 0; i < a->nr_files; i++) {
			struct apply_file *file = &a->files[i];

			if (file->key.model != model || !apply_load(file))
				continue;
			fprintf(stderr, "Stopped at %s: no table was cleared, and the tables not listed above are as they were; apply again once it is fixed\n",
				file->path);
			return -1;
		}
	return 0;
}

int apply_main(int argc, const char *argv[])
{
	struct apply a = { .dir = APPLY_DEFAULT_DIR };
	unsigned int nr_loaded = 0, nr_new = 0;
	char dir[PATH_MAX];
	struct ipc_error e;
	int ret = 1;

	if (argc == 2 && !strcmp(argv[1], "--help")) {
		apply_usage(stdout, argv[0]);
		return 0;
	}
	if (argc > 2 || (argc == 2 && argv[1][0] == '-')) {
		apply_usage(stderr, argv[0]);
		return 1;
	}
	if (argc == 2) {
		size_t len = strlen(argv[1]);

		/* "dir/" names its files "dir/x.table", not "dir//x.table" */
		while (len > 1 && argv[1][len - 1] == '/')
			len--;
		snprintf(dir, sizeof(dir), "%.*s", (int)len, argv[1]);
		a.dir = dir;
	}
	if (apply_read_dir(&a) || apply_check_devices(&a))
		goto out;

	if (ipc_table_dump(apply_note_loaded, &a, &e)) {
		if (a.oom)
			fprintf(stderr, "Unable to read the loaded tables: %s\n",
				strerror(ENOMEM));
		else
			ipc_perror("Unable to read the loaded tables", &e);
		goto out;
	}
	for (unsigned int i = 0; i < a.nr_files; i++) {
		nr_loaded += a.files[i].loaded;
		nr_new += !a.files[i].loaded;
	}
	/*
	 * Clearing after loading keeps a device guarded by its old table until
	 * its new one is in, unless the new tables need the room first.
	 */
	if (nr_loaded + a.nr_stale + nr_new > CFGGUARD_MAX_TABLES) {
		if (apply_clear_stale(&a))
			goto out;
		a.nr_stale = 0;
	}
	if (apply_load_all(&a) || apply_clear_stale(&a))
		goto out;
	ret = 0;
out:
	for (unsigned int i = 0; i < a.nr_files; i++) {
		free(a.files[i].path);
		free(a.files[i].table);
	}
	free(a.files);
	free(a.stale);
	return ret;
}
