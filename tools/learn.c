// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The cfgguard authors.
 *
 * Accounting for watch --learn. The kernel answers dev-get only once every
 * event up to the event-seq it reports is queued on the listeners' sockets
 * or counted suppressed or lost, and numbers each reported access while
 * anyone listens: so with watch subscribed before seq0 is read, and its
 * socket drained after seq1 is, the events of the window that are missing
 * are exactly the ones that never came.
 */
#include <inttypes.h>
#include <string.h>
#include <linux/cfgguard.h>

#include "learn.h"

void learn_start(struct learn *l, const char *bdf, uint64_t seq0,
		 const uint64_t stats0[CTL_NR_STATS])
{
	memset(l, 0, sizeof(*l));
	l->bdf = bdf;
	l->seq0 = seq0;
	memcpy(l->stats0, stats0, sizeof(l->stats0));
}

/*
 * Every event is learned, in the window or not: each is an access the run
 * made. Accesses of more than 4 bytes are not: guests access registers,
 * and the VMM's reads of the whole space (QEMU's at start) would allow
 * everything.
 */
void learn_event(struct learn *l, const struct ctl_event *ev)
{
	bool write = ev->op == CFGGUARD_OP_WRITE;

	if (ev->seq > l->seq0 && (!l->stopping || ev->seq <= l->seq1))
		l->received++;
	if (ev->seq > l->highest)
		l->highest = ev->seq;
	for (unsigned int i = ev->offset;
	     ev->size <= 4 && i < ev->offset + ev->size && i < 4096; i++)
		*(write ? &l->written[i] : &l->read[i]) = true;
}

void learn_stop(struct learn *l, uint64_t seq1,
		const uint64_t stats1[CTL_NR_STATS])
{
	l->seq1 = seq1;
	memcpy(l->stats1, stats1, sizeof(l->stats1));
	l->stopping = true;
}

/* Events of one device are queued in seq order: past seq1, none is left. */
bool learn_drained(const struct learn *l)
{
	return l->highest >= l->seq1 ||
	       (l->seq1 >= l->seq0 && l->received == l->seq1 - l->seq0);
}

#define GREW(l, name) \
	((l)->stats1[CTL_STAT(name)] - (l)->stats0[CTL_STAT(name)])

/*
 * The counters tell suppressed from lost if nobody reset them meanwhile:
 * then what became of the window's accesses grew by exactly the window.
 */
static bool learn_counted(const struct learn *l)
{
	static const int outcomes[] = {
		CTL_STAT(EVENTS), CTL_STAT(SUPPRESSED), CTL_STAT(LOST),
		CTL_STAT(UNWATCHED),
	};
	uint64_t sum = 0;

	for (unsigned int i = 0; i < sizeof(outcomes) / sizeof(outcomes[0]); i++) {
		if (l->stats1[outcomes[i]] < l->stats0[outcomes[i]])
			return false;
		sum += l->stats1[outcomes[i]] - l->stats0[outcomes[i]];
	}
	return sum == l->seq1 - l->seq0;
}

bool learn_complete(const struct learn *l, FILE *err)
{
	uint64_t expected = l->seq1 - l->seq0, missed, suppressed, lost;
	bool known;

	if (l->seq1 < l->seq0) {
		fprintf(err, "watch --learn: the sequence numbers of %s went back: it was bound again during the run; the table could be incomplete. Run again.\n",
			l->bdf);
		return false;
	}
	if (l->received > expected) {
		fprintf(err, "watch --learn: saw %" PRIu64 " events of %s for %" PRIu64 " reported accesses; the table could be wrong. Run again.\n",
			l->received, l->bdf, expected);
		return false;
	}
	if (l->received == expected && !l->overrun)
		return true;
	if (l->received == expected) {
		/* with other devices' events in the queue, ours may be whole */
		fprintf(err, "watch --learn: the receive buffer overflowed; the table could be incomplete. Run again.\n");
		return false;
	}

	missed = expected - l->received;
	suppressed = GREW(l, SUPPRESSED);
	lost = GREW(l, LOST);
	known = learn_counted(l) && suppressed + lost == missed;
	fprintf(err, "watch --learn: saw %" PRIu64 " of %" PRIu64 " reported accesses of %s: ",
		l->received, expected, l->bdf);
	if (!known)
		fprintf(err, "%" PRIu64 " suppressed by the rate limit or lost", missed);
	else if (!lost)
		fprintf(err, "%" PRIu64 " suppressed by the rate limit", suppressed);
	else if (!suppressed)
		fprintf(err, "%" PRIu64 " lost", lost);
	else
		fprintf(err, "%" PRIu64 " suppressed by the rate limit, %" PRIu64 " lost",
			suppressed, lost);
	fprintf(err, "; the table would be incomplete.");
	if (known && !suppressed)
		fprintf(err, " Run again.\n");
	else
		fprintf(err, " Set /sys/module/cfgguard_vfio_pci/parameters/event_rate to 0 (no limit) and run again.\n");
	return false;
}
