// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The cfgguard authors.
 *
 * table-race <BDF> <swaps>: one thread reads 8 config bytes at 0x27c through
 * VFIO without pause while the main thread swaps the device's table
 * between one that denies those bytes and one that allows them, <swaps>
 * times. Every read must be wholly one table's result: all zeros, or the
 * device's bytes. Prints the counts; exits 1 on a torn read.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipc.h"
#include "vfio-dev.h"

#define RACE_OFF 0x27c

static struct vfio_dev dev;
static atomic_bool stop;
static uint64_t device_bytes;
static unsigned long nr_zero, nr_device, nr_torn;

static uint64_t read8(void)
{
	uint64_t val;

	if (pread(dev.fd, &val, 8, dev.cfg_offset + RACE_OFF) != 8) {
		perror("pread");
		exit(1);
	}
	return val;
}

static void *reader(void *arg)
{
	(void)arg;
	while (!atomic_load(&stop)) {
		uint64_t val = read8();

		if (!val) {
			nr_zero++;
		} else if (val == device_bytes) {
			nr_device++;
		} else {
			if (!nr_torn++)
				fprintf(stderr, "torn read: 0x%016llx\n",
					(unsigned long long)val);
		}
	}
	return NULL;
}

int main(int argc, char *argv[])
{
	static struct table deny, allow;
	struct ipc_error e;
	struct ctl_key key;
	pthread_t thread;
	long swaps;

	if (argc != 3 || key_parse(argv[1], &key) || key.model) {
		fprintf(stderr, "Usage: table-race <BDF> <swaps>\n");
		return 2;
	}
	swaps = atol(argv[2]);
	vfio_dev_open(key.bdf, &dev);

	allow.default_action = TABLE_ALLOW;
	deny.default_action = TABLE_ALLOW;
	deny.nr_ranges = 1;
	deny.ranges[0] = (struct table_range){ .start = RACE_OFF, .len = 8,
					       .action = TABLE_DENY };
	if (ipc_table_set(&key, &allow, &e)) {
		ipc_perror("table-set", &e);
		return 1;
	}
	device_bytes = read8();
	if (!device_bytes) {
		fprintf(stderr, "the device's bytes at 0x%x are zero: the test cannot tell tables apart\n",
			RACE_OFF);
		return 1;
	}

	pthread_create(&thread, NULL, reader, NULL);
	for (long i = 0; i < swaps; i++) {
		if (ipc_table_set(&key, i % 2 ? &allow : &deny, &e)) {
			ipc_perror("table-set", &e);
			return 1;
		}
	}
	atomic_store(&stop, true);
	pthread_join(thread, NULL);

	printf("swaps %ld reads %lu: denied %lu, allowed %lu, torn %lu\n",
	       swaps, nr_zero + nr_device + nr_torn, nr_zero, nr_device, nr_torn);
	return nr_torn || !nr_zero || !nr_device;
}
