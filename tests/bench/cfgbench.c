// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The cfgguard authors.
 *
 * cfgbench: side-by-side timings of config accesses through VFIO, for
 * `make bench`. Only ratios taken in one run mean anything under an
 * emulator; every figure here is a ratio or is paired with its baseline.
 *
 *   cfgbench pair <name> <bdf-A> <accessA> <bdf-B> <accessB> [rounds iters]
 *	Times <iters> accesses on A, then on B, then B, then A, ... for
 *	<rounds> rounds (ABBA, so drift cancels) and prints one JSON object:
 *	the median ns per access of each and the median, min and max of the
 *	per-round ratio A/B. An access is r<N>:<off> or w<N>:<off>=<val>.
 *   cfgbench load <bdf> <ranges> <loads>
 *	Times cfgguard-ctl's table load (the netlink request) of a table
 *	with <ranges> ranges, <loads> times; prints the median.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ipc.h"
#include "vfio-dev.h"

struct access {
	struct vfio_dev dev;
	int write;
	unsigned int size, off;
	uint32_t val;
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static void parse_access(const char *spec, struct access *a)
{
	char dir;
	int n = 0;

	if (sscanf(spec, "%c%u:%i%n", &dir, &a->size, &a->off, &n) != 3 ||
	    (dir != 'r' && dir != 'w')) {
		fprintf(stderr, "cfgbench: bad access `%s'\n", spec);
		exit(2);
	}
	a->write = dir == 'w';
	if (a->write && sscanf(spec + n, "=%i", &a->val) != 1) {
		fprintf(stderr, "cfgbench: a write needs =<value>: `%s'\n", spec);
		exit(2);
	}
}

static double run(struct access *a, unsigned int iters)
{
	uint64_t t0 = now_ns();
	uint32_t val = a->val;

	for (unsigned int i = 0; i < iters; i++) {
		ssize_t ret = a->write ?
			pwrite(a->dev.fd, &val, a->size, a->dev.cfg_offset + a->off) :
			pread(a->dev.fd, &val, a->size, a->dev.cfg_offset + a->off);

		if (ret != (ssize_t)a->size) {
			perror("cfgbench: access");
			exit(1);
		}
	}
	return (double)(now_ns() - t0) / iters;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, unsigned int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static int pair(int argc, char *argv[])
{
	static struct access a, b;
	unsigned int rounds = argc > 7 ? atoi(argv[7]) : 40;
	unsigned int iters = argc > 8 ? atoi(argv[8]) : 2000;
	double *ta = calloc(rounds, sizeof(double));
	double *tb = calloc(rounds, sizeof(double));
	double *ratio = calloc(rounds, sizeof(double));

	parse_access(argv[4], &a);
	parse_access(argv[6], &b);
	/* a group opens once per process: the same device shares its fd */
	vfio_dev_open(argv[3], &a.dev);
	if (strcmp(argv[3], argv[5]))
		vfio_dev_open(argv[5], &b.dev);
	else
		b.dev = a.dev;
	run(&a, iters / 10 + 1);	/* warm up */
	run(&b, iters / 10 + 1);
	for (unsigned int r = 0; r < rounds; r++) {
		if (r % 2) {
			tb[r] = run(&b, iters);
			ta[r] = run(&a, iters);
		} else {
			ta[r] = run(&a, iters);
			tb[r] = run(&b, iters);
		}
		ratio[r] = ta[r] / tb[r];
	}
	{
		double rmed = median(ratio, rounds);

		printf("{\"name\":\"%s\",\"a\":\"%s %s\",\"b\":\"%s %s\",\"rounds\":%u,\"iters\":%u,"
		       "\"a_ns\":%.1f,\"b_ns\":%.1f,\"ratio\":%.4f,\"ratio_min\":%.4f,\"ratio_max\":%.4f}\n",
		       argv[2], argv[3], argv[4], argv[5], argv[6], rounds, iters,
		       median(ta, rounds), median(tb, rounds), rmed, ratio[0],
		       ratio[rounds - 1]);
	}
	return 0;
}

static int load(int argc, char *argv[])
{
	static struct table table;
	unsigned int ranges = atoi(argv[3]), loads = atoi(argv[4]);
	double *t = calloc(loads, sizeof(double));
	struct ipc_error e;
	struct ctl_key key;

	if (argc != 5 || key_parse(argv[2], &key) || ranges > TABLE_MAX_RANGES || !loads)
		return 2;
	table.default_action = TABLE_ALLOW;
	table.nr_ranges = ranges;
	for (unsigned int i = 0; i < ranges; i++)
		table.ranges[i] = (struct table_range){
			.start = 0x100 + i * 3, .len = 2, .action = TABLE_DENY };
	for (unsigned int i = 0; i < loads; i++) {
		uint64_t t0 = now_ns();

		if (ipc_table_set(&key, &table, &e)) {
			ipc_perror("cfgbench: load", &e);
			return 1;
		}
		t[i] = now_ns() - t0;
	}
	printf("{\"name\":\"table-load\",\"ranges\":%u,\"loads\":%u,\"median_us\":%.1f}\n",
	       ranges, loads, median(t, loads) / 1000);
	return 0;
}

int main(int argc, char *argv[])
{
	if (argc >= 7 && !strcmp(argv[1], "pair"))
		return pair(argc, argv);
	if (argc >= 2 && !strcmp(argv[1], "load"))
		return load(argc, argv);
	fprintf(stderr, "Usage: cfgbench pair <name> <bdf-A> <access> <bdf-B> <access> [rounds iters]\n"
		"       cfgbench load <bdf> <ranges> <loads>\n");
	return 2;
}
