/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The cfgguard authors.
 *
 * Reporting what the guard does: per-device counters, rate-limited events
 * on the events multicast group, and optional audit records.
 */
#ifndef _CFGGUARD_EVENTS_H
#define _CFGGUARD_EVENTS_H

#include <linux/percpu.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#include "tokens.h"

struct cfgguard_pci_core_device;
struct sk_buff;

/* One counter per stats attribute, in attribute order. */
enum cfgguard_counter {
	CFGGUARD_READ_ALLOWED,
	CFGGUARD_READ_BLOCKED,
	CFGGUARD_READ_AUDITED,
	CFGGUARD_WRITE_ALLOWED,
	CFGGUARD_WRITE_BLOCKED,
	CFGGUARD_WRITE_MASKED,
	CFGGUARD_WRITE_AUDITED,
	CFGGUARD_SUPPRESSED,
	CFGGUARD_LOST,
	CFGGUARD_EVENTS,
	CFGGUARD_UNWATCHED,
	CFGGUARD_NR_COUNTERS,
};

/* Per CPU, so that counting an access costs no atomic operation. */
struct cfgguard_counters {
	u64 c[CFGGUARD_NR_COUNTERS];
};

struct cfgguard_events {
	struct cfgguard_counters __percpu *counters;
	/*
	 * What the counters read at the last reset, under cfgguard_lock: a
	 * reset never writes the per-CPU counters, so it cannot race with
	 * counting.
	 */
	u64 base[CFGGUARD_NR_COUNTERS];
	/*
	 * Protects the bucket, seq, held and the batch, and is held while a
	 * batch is sent, so that a device's events leave in seq order.
	 */
	spinlock_t lock;
	struct cfgguard_tokens bucket;
	u64 seq;		/* reported accesses while events were on */
	u64 held;		/* suppressed or lost since the last event */
	/*
	 * Events wait here, one message each, until the datagram is full or
	 * flush_work runs a jiffy later: a flood then costs one allocation,
	 * one multicast and one wakeup of the listener per datagram.
	 */
	struct sk_buff *batch;
	unsigned int batch_events;
	u64 batch_held;		/* the held counts the batch's events carry */
	struct delayed_work flush_work;
};

/* One access the guard blocked, masked or audited. */
struct cfgguard_access {
	u8 op;			/* enum cfgguard_op */
	u8 result;		/* enum cfgguard_result */
	u8 mode;
	u8 source;
	u16 offset;
	u16 size;
	bool has_value;
	u32 value;
};

extern unsigned int cfgguard_event_rate;
extern unsigned int cfgguard_event_burst;
extern bool cfgguard_audit;

int cfgguard_events_init(struct cfgguard_events *events);
void cfgguard_events_free(struct cfgguard_events *events);
void cfgguard_counters_read(struct cfgguard_events *events,
			    u64 counters[CFGGUARD_NR_COUNTERS], bool reset);
u64 cfgguard_events_seq(struct cfgguard_events *events);
void cfgguard_events_close(struct cfgguard_events *events);

static inline void cfgguard_count(struct cfgguard_events *events,
				  enum cfgguard_counter counter)
{
	this_cpu_inc(events->counters->c[counter]);
}

void cfgguard_report(struct cfgguard_pci_core_device *cgdev,
		     const struct cfgguard_access *access);

#endif /* _CFGGUARD_EVENTS_H */
