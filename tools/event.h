/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The cfgguard authors.
 *
 * The guard's events as watch sees them: parsed from raw generic netlink
 * messages, formatted for people and for programs, and accounted per
 * device by sequence number. No sockets here, so the unit tests and a
 * fuzzer can feed it messages of their own making.
 */
#ifndef CFGGUARD_EVENT_H
#define CFGGUARD_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <linux/netlink.h>

#include "ipc.h"

/* TASK_COMM_LEN is 16; room for a kernel that grows it */
#define EVENT_COMM_SIZE 64
/* a receive time, RFC 3339 with microseconds: 27 */
#define EVENT_TS_SIZE 40

/* One access the guard blocked, masked or audited. */
struct ctl_event {
	char bdf[CTL_BDF_SIZE];
	uint32_t op;		/* enum cfgguard_op */
	uint16_t offset;
	uint16_t size;
	bool has_value;		/* writes of up to 4 bytes */
	uint32_t value;
	uint32_t result;	/* enum cfgguard_result */
	uint32_t mode;		/* enum cfgguard_mode */
	uint32_t source;	/* enum cfgguard_source */
	uint32_t pid;
	char comm[EVENT_COMM_SIZE];
	uint64_t timestamp;	/* CLOCK_MONOTONIC, ns */
	uint64_t seq;
	uint64_t suppressed;	/* the gap in seq before this event */
};

/*
 * Parses one message of the cfgguard family, len bytes of it readable
 * (the caller matches nlmsg_type against the family). Every attribute but
 * value is required, each of its exact size, strings NUL-terminated and
 * no longer than their field. 0; -ENOMSG for another command; -EPROTO
 * for a malformed message, *ev then unspecified.
 */
int event_parse(const struct nlmsghdr *nlh, size_t len, struct ctl_event *ev);

/*
 * One line each, ts the receive time (its first EVENT_TS_SIZE - 1 bytes,
 * a bdf's first CTL_BDF_SIZE - 1). JSON strings are escaped per RFC
 * 8259; bytes that are not UTF-8 become \u00XX, their Latin-1 reading.
 * The human line carries no control character, space, backslash or
 * non-ASCII byte of comm or bdf: each is \xNN, so a line is one event
 * and splits into its fields at spaces.
 */
void event_print_json(FILE *f, const struct ctl_event *ev, const char *ts);
void event_print_human(FILE *f, const struct ctl_event *ev, const char *ts);
/* count events of bdf lost in transit; bdf NULL: unknown (an overrun) */
void event_print_lost(FILE *f, bool json, const char *ts, const char *bdf,
		      uint64_t count);

/*
 * One entry of the systemd journal's native protocol, for a datagram to
 * its socket: MESSAGE is the human line without its time (the journal
 * keeps its own), and each attribute of the JSON object is a field of its
 * own, its key upper-cased after CFGGUARD_ (CFGGUARD_BDF, CFGGUARD_OFFSET,
 * ...), its value as JSON has it, strings unquoted and unescaped, so that
 * `journalctl CFGGUARD_RESULT=blocked` finds them. A comm that holds a
 * newline goes in the protocol's binary form. Returns the length, at most
 * EVENT_JOURNAL_MAX.
 */
#define EVENT_JOURNAL_MAX 2048
size_t event_journal(char *buf, const struct ctl_event *ev);
/* the same for event_print_lost()'s report; bdf NULL: unknown */
size_t event_journal_lost(char *buf, const char *bdf, uint64_t count);

/* What watch tracks of a device it has seen events of. */
struct event_dev {
	char bdf[CTL_BDF_SIZE];
	uint64_t last_seq;	/* highest seen; 0: none yet */
};

/* The devices, sorted by address; as many as there are (SR-IOV: VFs). */
struct event_registry {
	struct event_dev **devs;
	size_t nr, alloc;
};

struct event_dev *registry_find(const struct event_registry *reg,
				const char *bdf);
/* finds or adds; NULL when out of memory */
struct event_dev *registry_add(struct event_registry *reg, const char *bdf);
void registry_free(struct event_registry *reg);

/*
 * Takes an event of dev into account; returns how many reported accesses
 * before it neither arrived nor are explained by its suppressed count:
 * lost on the way here. An event at or below the highest seq seen (late,
 * or repeated) loses nothing and leaves last_seq where it is. The first
 * event of a device is the baseline: what came before was not ours.
 */
uint64_t event_account(struct event_dev *dev, const struct ctl_event *ev);

#endif /* CFGGUARD_EVENT_H */
