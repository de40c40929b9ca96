// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The cfgguard authors.
 *
 * Events run in the VFIO user's read or write, in the guest's config access
 * path: they never sleep, never allocate in a way that waits, and never
 * lose count. A guest can hammer a blocked register millions of times a
 * second; a per-device token bucket bounds the events and audit records
 * it causes, and the next event that goes out carries how many were held
 * back. With nobody listening and audit off, an access costs a counter.
 *
 * Every reported access ends in exactly one of four counters, so that
 * the counters alone account for all of them: events, suppressed, lost,
 * unwatched.
 */

#include <linux/audit.h>
#include <linux/ktime.h>
#include <linux/pci.h>
#include <linux/sched.h>
#include <net/genetlink.h>

#include "events.h"
#include "netlink.h"
#include "vfio_dev.h"

static void cfgguard_events_flush_work(struct work_struct *work);

/**
 * cfgguard_events_init() - set up a device's counters and rate limit
 * @events: the device's state
 *
 * Return: 0 or -ENOMEM.
 */
int cfgguard_events_init(struct cfgguard_events *events)
{
	events->batch = NULL;
	events->batch_events = 0;
	events->batch_held = 0;
	INIT_DELAYED_WORK(&events->flush_work, cfgguard_events_flush_work);
	events->counters = alloc_percpu(struct cfgguard_counters);
	if (!events->counters)
		return -ENOMEM;
	memset(events->base, 0, sizeof(events->base));
	spin_lock_init(&events->lock);
	events->bucket.refilled_ns = ktime_get_ns();
	events->bucket.tokens = READ_ONCE(cfgguard_event_burst);
	events->seq = 0;
	events->held = 0;
	return 0;
}

/**
 * cfgguard_events_free() - free what cfgguard_events_init() allocated
 * @events: the device's state
 */
void cfgguard_events_free(struct cfgguard_events *events)
{
	/* cfgguard_events_close() has sent the last batch; this is a guard */
	cancel_delayed_work_sync(&events->flush_work);
	kfree_skb(events->batch);
	events->batch = NULL;
	free_percpu(events->counters);
	events->counters = NULL;
}

/*
 * Sends the batch, under events->lock. -ESRCH: no listener took it,
 * because each overran or left since the events were batched; -ENOBUFS:
 * one that set NETLINK_BROADCAST_ERROR overran. Either way its events are
 * lost to someone who was listening, and the next event carries their
 * count and the counts they carried.
 */
static void cfgguard_batch_send(struct cfgguard_events *events)
{
	struct sk_buff *skb = events->batch;
	unsigned int n = events->batch_events;

	lockdep_assert_held(&events->lock);
	if (!skb)
		return;
	events->batch = NULL;
	events->batch_events = 0;
	if (cfgguard_genl_event_send(skb)) {
		events->held += events->batch_held + n;
		this_cpu_add(events->counters->c[CFGGUARD_LOST], n);
	} else {
		this_cpu_add(events->counters->c[CFGGUARD_EVENTS], n);
	}
	events->batch_held = 0;
}

/* Sends the events batched so far. */
static void cfgguard_events_flush(struct cfgguard_events *events)
{
	spin_lock(&events->lock);
	cfgguard_batch_send(events);
	spin_unlock(&events->lock);
}

static void cfgguard_events_flush_work(struct work_struct *work)
{
	cfgguard_events_flush(container_of(to_delayed_work(work),
					   struct cfgguard_events,
					   flush_work));
}

/**
 * cfgguard_events_close() - send the last batch of a device's user
 * @events: the device's state
 *
 * Called when the device is closed: no access reports any more, and the
 * module and its family stay until this returns.
 */
void cfgguard_events_close(struct cfgguard_events *events)
{
	cancel_delayed_work_sync(&events->flush_work);
	cfgguard_events_flush(events);
}

/**
 * cfgguard_counters_read() - a device's counters since the last reset
 * @events: the device's state
 * @counters: the result
 * @reset: start counting from zero after this read
 *
 * A count racing with the read is either in it or in the next one, never
 * in both and never in neither: reading and resetting is one step, and
 * resets are serialised by cfgguard_lock. The events batched so far are
 * sent first, so that every access reported before the read is in one of
 * the four reporting counters.
 */
void cfgguard_counters_read(struct cfgguard_events *events,
			    u64 counters[CFGGUARD_NR_COUNTERS], bool reset)
{
	unsigned int i;
	u64 sum;
	int cpu;

	lockdep_assert_held(&cfgguard_lock);
	/* a batched event counts once it is sent: send it now */
	cfgguard_events_flush(events);
	for (i = 0; i < CFGGUARD_NR_COUNTERS; i++) {
		sum = 0;
		for_each_possible_cpu(cpu)
			sum += READ_ONCE(per_cpu_ptr(events->counters, cpu)->c[i]);
		counters[i] = sum - events->base[i];
		if (reset)
			events->base[i] = sum;
	}
}

/**
 * cfgguard_events_seq() - the seq of the device's latest reported access
 * @events: the device's state
 *
 * Sends the batch first.
 *
 * Return: the seq; every event with this seq or a lower one has been sent,
 * or counted suppressed or lost.
 */
u64 cfgguard_events_seq(struct cfgguard_events *events)
{
	u64 seq;

	spin_lock(&events->lock);
	cfgguard_batch_send(events);
	seq = events->seq;
	spin_unlock(&events->lock);
	return seq;
}

static const char *const cfgguard_result_names[] = {
	[CFGGUARD_RESULT_BLOCKED] = "blocked",
	[CFGGUARD_RESULT_MASKED] = "masked",
	[CFGGUARD_RESULT_AUDITED] = "audited",
};

static const char *const cfgguard_mode_names[] = {
	[CFGGUARD_MODE_ENFORCE] = "enforce",
	[CFGGUARD_MODE_AUDIT] = "audit",
	[CFGGUARD_MODE_OFF] = "off",
};

static const char *const cfgguard_source_names[] = {
	[CFGGUARD_SOURCE_DEFAULT] = "default",
	[CFGGUARD_SOURCE_MODEL] = "model",
	[CFGGUARD_SOURCE_DEVICE] = "device",
};

/*
 * The format the audit maintainers asked of the upstream RFC: op=, res=0
 * for a blocked access and 1 for one let through, lower-case values; then
 * the accessing task. AUDIT_KERNEL_OTHER is the type reserved for modules.
 * The verdict and the mode are not action= and mode=: auparse reads those
 * as a netfilter disposition and a file mode, so `ausearch -i` would show
 * "unknown-action(blocked)" and "000,000".
 */
static bool cfgguard_audit_log(struct cfgguard_pci_core_device *cgdev,
			       const struct cfgguard_access *access)
{
	struct audit_buffer *ab;

	ab = audit_log_start(audit_context(), GFP_NOWAIT | __GFP_NOWARN,
			     AUDIT_KERNEL_OTHER);
	if (!ab)
		return false;
	audit_log_format(ab, "op=%s res=%u dev=%s off=0x%x len=%u",
			 access->op == CFGGUARD_OP_WRITE ? "write" : "read",
			 access->result != CFGGUARD_RESULT_BLOCKED,
			 pci_name(cfgguard_pdev(cgdev)), access->offset,
			 access->size);
	if (access->has_value)
		audit_log_format(ab, " val=0x%x", access->value);
	audit_log_format(ab, " verdict=%s guard=%s table=%s",
			 cfgguard_result_names[access->result],
			 cfgguard_mode_names[access->mode],
			 cfgguard_source_names[access->source]);
	audit_log_task_info(ab);
	audit_log_end(ab);
	return true;
}

static int cfgguard_put_event(struct sk_buff *skb,
			      struct cfgguard_pci_core_device *cgdev,
			      const struct cfgguard_access *access,
			      u64 now, u64 seq, u64 held)
{
	char comm[TASK_COMM_LEN];

	get_task_comm(comm, current);
	if (nla_put_string(skb, CFGGUARD_A_EVENT_BDF,
			   pci_name(cfgguard_pdev(cgdev))) ||
	    nla_put_u32(skb, CFGGUARD_A_EVENT_OP, access->op) ||
	    nla_put_u16(skb, CFGGUARD_A_EVENT_OFFSET, access->offset) ||
	    nla_put_u16(skb, CFGGUARD_A_EVENT_SIZE, access->size) ||
	    (access->has_value &&
	     nla_put_u32(skb, CFGGUARD_A_EVENT_VALUE, access->value)) ||
	    nla_put_u32(skb, CFGGUARD_A_EVENT_RESULT, access->result) ||
	    nla_put_u32(skb, CFGGUARD_A_EVENT_MODE, access->mode) ||
	    nla_put_u32(skb, CFGGUARD_A_EVENT_SOURCE, access->source) ||
	    nla_put_u32(skb, CFGGUARD_A_EVENT_PID, task_tgid_nr(current)) ||
	    nla_put_string(skb, CFGGUARD_A_EVENT_COMM, comm) ||
	    nla_put_u64_64bit(skb, CFGGUARD_A_EVENT_TIMESTAMP, now,
			      CFGGUARD_A_EVENT_PAD) ||
	    nla_put_u64_64bit(skb, CFGGUARD_A_EVENT_SEQ, seq,
			      CFGGUARD_A_EVENT_PAD) ||
	    nla_put_u64_64bit(skb, CFGGUARD_A_EVENT_SUPPRESSED, held,
			      CFGGUARD_A_EVENT_PAD))
		return -EMSGSIZE;
	return 0;
}

static size_t cfgguard_event_size(void)
{
	return nla_total_size(CFGGUARD_BDF_MAX_LEN + 1) +	/* bdf */
	       nla_total_size(TASK_COMM_LEN) +		/* comm */
	       8 * nla_total_size(sizeof(u32)) +	/* op .. pid */
	       3 * nla_total_size_64bit(sizeof(u64));	/* timestamp .. */
}

/*
 * Adds an event to the batch, under events->lock; a full batch is sent
 * first. Return: whether the event is in the batch.
 */
static bool cfgguard_batch_add(struct cfgguard_pci_core_device *cgdev,
			       const struct cfgguard_access *access,
			       u64 now, u64 seq, u64 held)
{
	struct cfgguard_events *events = &cgdev->events;
	struct sk_buff *skb = events->batch;
	void *hdr;

	if (skb && skb_tailroom(skb) < genlmsg_total_size(cfgguard_event_size()))
		cfgguard_batch_send(events);
	if (!events->batch) {
		events->batch = nlmsg_new(NLMSG_DEFAULT_SIZE,
					  GFP_NOWAIT | __GFP_NOWARN);
		if (!events->batch)
			return false;
		/* a jiffy at most: enough to fill a batch in a flood */
		schedule_delayed_work(&events->flush_work, 1);
	}
	skb = events->batch;
	hdr = cfgguard_genl_event_put(skb);
	if (!hdr)
		return false;
	if (cfgguard_put_event(skb, cgdev, access, now, seq, held)) {
		genlmsg_cancel(skb, hdr);
		return false;
	}
	genlmsg_end(skb, hdr);
	events->batch_events++;
	events->batch_held += held;
	return true;
}

/**
 * cfgguard_report() - report an access the guard blocked, masked or audited
 * @cgdev: the device
 * @access: what happened
 *
 * Called in the VFIO user's context after the access; does not sleep.
 */
void cfgguard_report(struct cfgguard_pci_core_device *cgdev,
		     const struct cfgguard_access *access)
{
	struct cfgguard_events *events = &cgdev->events;
	/* the administrator can turn auditing off system-wide */
	bool audit = READ_ONCE(cfgguard_audit) && audit_enabled != AUDIT_OFF;
	bool listening = cfgguard_genl_has_listeners();
	bool batched = false;
	u64 now, seq, held;

	if (!audit && !listening) {
		cfgguard_count(events, CFGGUARD_UNWATCHED);
		return;
	}

	now = ktime_get_ns();
	spin_lock(&events->lock);
	seq = ++events->seq;
	if (!cfgguard_tokens_take(&events->bucket, now,
				  READ_ONCE(cfgguard_event_rate),
				  READ_ONCE(cfgguard_event_burst))) {
		events->held++;
		spin_unlock(&events->lock);
		cfgguard_count(events, CFGGUARD_SUPPRESSED);
		return;
	}
	held = events->held;
	events->held = 0;
	/* batched under the lock: a later seq never overtakes an earlier one */
	if (listening) {
		batched = cfgguard_batch_add(cgdev, access, now, seq, held);
		/* the next event carries this one's count too */
		if (!batched)
			events->held += held + 1;
	}
	spin_unlock(&events->lock);

	if (audit) {
		bool logged = cfgguard_audit_log(cgdev, access);

		/* with a listener its event decides, without one the record */
		if (!listening)
			cfgguard_count(events, logged ? CFGGUARD_EVENTS :
					       CFGGUARD_LOST);
	}
	/* a batched event is counted when its batch is sent */
	if (listening && !batched)
		cfgguard_count(events, CFGGUARD_LOST);
}
