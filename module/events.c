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
 */

#include <linux/audit.h>
#include <linux/ktime.h>
#include <linux/pci.h>
#include <linux/sched.h>
#include <net/genetlink.h>

#include "events.h"
#include "netlink.h"
#include "vfio_dev.h"

/**
 * cfgguard_events_init() - set up a device's counters and rate limit
 * @events: the device's state
 *
 * Return: 0 or -ENOMEM.
 */
int cfgguard_events_init(struct cfgguard_events *events)
{
	events->counters = alloc_percpu(struct cfgguard_counters);
	if (!events->counters)
		return -ENOMEM;
	spin_lock_init(&events->lock);
	events->refilled_ns = ktime_get_ns();
	events->tokens = READ_ONCE(cfgguard_event_burst);
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
	free_percpu(events->counters);
	events->counters = NULL;
}

/**
 * cfgguard_counter_read() - one counter of a device, summed over CPUs
 * @events: the device's state
 * @counter: which
 *
 * Return: the sum; a count racing with the read may or may not be in it.
 */
u64 cfgguard_counter_read(struct cfgguard_events *events,
			  enum cfgguard_counter counter)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += READ_ONCE(per_cpu_ptr(events->counters, cpu)->c[counter]);
	return sum;
}

/**
 * cfgguard_counters_reset() - zero a device's counters
 * @events: the device's state
 */
void cfgguard_counters_reset(struct cfgguard_events *events)
{
	int cpu;

	for_each_possible_cpu(cpu)
		memset(per_cpu_ptr(events->counters, cpu), 0,
		       sizeof(struct cfgguard_counters));
}

/* Token bucket: event_rate tokens a second, at most event_burst saved. */
static bool cfgguard_take_token(struct cfgguard_events *events, u64 now)
{
	unsigned int rate = READ_ONCE(cfgguard_event_rate);
	unsigned int burst = max(READ_ONCE(cfgguard_event_burst), 1U);
	u64 gained;

	lockdep_assert_held(&events->lock);
	if (!rate)
		return true;
	gained = div_u64((now - events->refilled_ns) * rate, NSEC_PER_SEC);
	if (gained) {
		events->tokens = min_t(u64, burst, events->tokens + gained);
		events->refilled_ns = events->tokens == burst ? now :
			events->refilled_ns + div_u64(gained * NSEC_PER_SEC, rate);
	}
	if (!events->tokens)
		return false;
	events->tokens--;
	return true;
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
 */
static void cfgguard_audit_log(struct cfgguard_pci_core_device *cgdev,
			       const struct cfgguard_access *access)
{
	struct audit_buffer *ab;

	ab = audit_log_start(audit_context(), GFP_NOWAIT | __GFP_NOWARN,
			     AUDIT_KERNEL_OTHER);
	if (!ab)
		return;
	audit_log_format(ab, "op=%s res=%u dev=%s off=0x%x len=%u",
			 access->op == CFGGUARD_OP_WRITE ? "write" : "read",
			 access->result != CFGGUARD_RESULT_BLOCKED,
			 pci_name(cfgguard_pdev(cgdev)), access->offset,
			 access->size);
	if (access->has_value)
		audit_log_format(ab, " val=0x%x", access->value);
	audit_log_format(ab, " action=%s mode=%s table=%s",
			 cfgguard_result_names[access->result],
			 cfgguard_mode_names[access->mode],
			 cfgguard_source_names[access->source]);
	audit_log_task_info(ab);
	audit_log_end(ab);
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
	return nla_total_size(sizeof("dddd:bb:dd.f")) +	/* bdf */
	       nla_total_size(TASK_COMM_LEN) +		/* comm */
	       8 * nla_total_size(sizeof(u32)) +	/* op .. pid */
	       3 * nla_total_size_64bit(sizeof(u64));	/* timestamp .. */
}

static bool cfgguard_send_event(struct cfgguard_pci_core_device *cgdev,
				const struct cfgguard_access *access,
				u64 now, u64 seq, u64 held)
{
	struct sk_buff *skb;
	void *hdr;
	int ret;

	/* small: a listener's receive buffer is charged by size */
	skb = genlmsg_new(cfgguard_event_size(), GFP_NOWAIT | __GFP_NOWARN);
	if (!skb)
		return false;
	hdr = cfgguard_genl_event_put(skb);
	if (!hdr || cfgguard_put_event(skb, cgdev, access, now, seq, held)) {
		nlmsg_free(skb);
		return false;
	}
	genlmsg_end(skb, hdr);
	/* -ESRCH: the listener left in the meantime, which loses nothing */
	ret = cfgguard_genl_event_send(skb);
	return !ret || ret == -ESRCH;
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
	u64 now, seq, held;

	if (!audit && !cfgguard_genl_has_listeners())
		return;

	now = ktime_get_ns();
	spin_lock(&events->lock);
	seq = ++events->seq;
	if (!cfgguard_take_token(events, now)) {
		events->held++;
		spin_unlock(&events->lock);
		cfgguard_count(events, CFGGUARD_SUPPRESSED);
		return;
	}
	held = events->held;
	events->held = 0;
	spin_unlock(&events->lock);

	if (audit)
		cfgguard_audit_log(cgdev, access);
	if (cfgguard_genl_has_listeners() &&
	    !cfgguard_send_event(cgdev, access, now, seq, held)) {
		/* the next event carries this one's count too */
		spin_lock(&events->lock);
		events->held += held + 1;
		spin_unlock(&events->lock);
		cfgguard_count(events, CFGGUARD_LOST);
	}
}
