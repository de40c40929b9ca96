/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The cfgguard authors.
 *
 * watch --learn's bookkeeping: which bytes the device's events touched,
 * and whether every access it reported arrived. A table learned from
 * fewer events than the device reported would deny what the guest needs,
 * so the run is the window between the device's event-seq once watch has
 * subscribed (seq0) and at the stop (seq1), and it must have seen
 * seq1 - seq0 events in it. No sockets here, as in event.c.
 */
#ifndef CFGGUARD_LEARN_H
#define CFGGUARD_LEARN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "event.h"
#include "ipc.h"

struct learn {
	const char *bdf;
	uint64_t seq0, seq1;
	uint64_t stats0[CTL_NR_STATS], stats1[CTL_NR_STATS];
	bool stopping;		/* seq1 is known */
	uint64_t highest;	/* the highest seq seen */
	bool overrun;		/* the socket overran (ENOBUFS) */
	uint64_t received;	/* events with seq0 < seq <= seq1 */
	bool read[4096];
	bool written[4096];
};

void learn_start(struct learn *l, const char *bdf, uint64_t seq0,
		 const uint64_t stats0[CTL_NR_STATS]);
/* an event of the device */
void learn_event(struct learn *l, const struct ctl_event *ev);
/* seq1 and the counters, read once the run stopped */
void learn_stop(struct learn *l, uint64_t seq1,
		const uint64_t stats1[CTL_NR_STATS]);
/* whether the last drain may end: nothing of the window can be queued */
bool learn_drained(const struct learn *l);
/* whether every reported access of the window arrived; else says to err */
bool learn_complete(const struct learn *l, FILE *err);

#endif /* CFGGUARD_LEARN_H */
