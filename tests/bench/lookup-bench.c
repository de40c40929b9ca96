// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The cfgguard authors.
 *
 * lookup-bench: the module's decision code (policy.c and the inline lookups
 * of policy.h) built for userspace, timed per decision for tables of 1, 64
 * and the maximum number of ranges. Prints one JSON object per table size.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "policy.h"

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

int main(void)
{
	static u8 wmask_storage[CFGGUARD_CFG_SPACE_SIZE];
	static struct cfgguard_policy policy = { .wmask = wmask_storage };
	static struct cfgguard_range ranges[CFGGUARD_MAX_RANGES];
	static unsigned short offs[4096];
	const unsigned int sizes[] = { 1, 64, CFGGUARD_MAX_RANGES };
	const unsigned long n = 20000000;
	struct cfgguard_policy_error err;

	srand(1);
	for (unsigned int i = 0; i < 4096; i++)
		offs[i] = rand() % (4096 - 4);
	for (unsigned int s = 0; s < 3; s++) {
		unsigned int nr = sizes[s], blocked = 0;
		uint64_t t0;

		for (unsigned int i = 0; i < nr; i++)
			ranges[i] = (struct cfgguard_range){
				.start = i * 4, .len = 2, .action = CFGGUARD_ACTION_DENY };
		if (cfgguard_ranges_check(ranges, nr, 4096, &err))
			return 1;
		t0 = now_ns();
		cfgguard_policy_compile(&policy, CFGGUARD_ACTION_ALLOW, 4096, ranges, nr);
		t0 = now_ns() - t0;
		uint64_t t1 = now_ns();

		for (unsigned long i = 0; i < n; i++)
			blocked += cfgguard_any(policy.read_block, offs[i & 4095], 4);
		t1 = now_ns() - t1;
		printf("{\"name\":\"lookup\",\"ranges\":%u,\"ns_per_decision\":%.2f,\"compile_us\":%.1f,\"blocked\":%u}\n",
		       nr, (double)t1 / n, t0 / 1000.0, blocked);
	}
	return 0;
}
