// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The cfgguard authors.
 *
 * watch --learn's accounting (tools/learn.c): a table only when every
 * access the device reported between the start and the stop arrived, and
 * otherwise exactly what was missed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/cfgguard.h>

#include "check.h"
#include "learn.h"

#define BDF "0000:00:10.0"

static struct learn l;

static void event(uint64_t seq, uint32_t op, uint16_t offset, uint16_t size)
{
	struct ctl_event ev = {
		.bdf = BDF, .op = op, .offset = offset, .size = size, .seq = seq,
	};

	learn_event(&l, &ev);
}

/* Counters as dev-get reports them, by outcome. */
static void stats(uint64_t *s, uint64_t events, uint64_t suppressed,
		  uint64_t lost, uint64_t unwatched)
{
	memset(s, 0, CTL_NR_STATS * sizeof(*s));
	s[CTL_STAT(EVENTS)] = events;
	s[CTL_STAT(SUPPRESSED)] = suppressed;
	s[CTL_STAT(LOST)] = lost;
	s[CTL_STAT(UNWATCHED)] = unwatched;
}

/* learn_complete(), and what it told the user. */
static bool complete(char **msg)
{
	size_t len = 0;
	FILE *f = open_memstream(msg, &len);
	bool ret;

	CHECK(f != NULL);
	ret = learn_complete(&l, f);
	fclose(f);
	return ret;
}

static void check_complete(void)
{
	char *msg;

	CHECK(complete(&msg));
	CHECK_STR(msg, "");
	free(msg);
}

static void check_incomplete(const char *want)
{
	char *msg;

	CHECK(!complete(&msg));
	CHECK_STR(msg, want);
	free(msg);
}

static void test_whole(void)
{
	uint64_t s0[CTL_NR_STATS], s1[CTL_NR_STATS];

	stats(s0, 100, 7, 1, 9);
	learn_start(&l, BDF, 10, s0);
	/* before seq0: subscribed already, learned, not of the window */
	event(9, CFGGUARD_OP_READ, 0x27f, 1);
	event(10, CFGGUARD_OP_READ, 0x27f, 1);
	for (uint64_t seq = 11; seq <= 15; seq++)
		event(seq, CFGGUARD_OP_WRITE, 0x298, 1);
	stats(s1, 105, 7, 1, 9);
	learn_stop(&l, 15, s1);
	CHECK_EQ(l.received, 5);
	CHECK(learn_drained(&l));
	/* the last drain: past seq1, neither counted nor harmful */
	event(16, CFGGUARD_OP_READ, 0x2a2, 2);
	CHECK_EQ(l.received, 5);
	check_complete();
	CHECK(l.read[0x27f] && !l.written[0x27f]);
	CHECK(l.written[0x298]);
	CHECK(l.read[0x2a2] && l.read[0x2a3] && !l.read[0x2a4]);

	/* nothing reported, nothing missed */
	learn_start(&l, BDF, 3, s0);
	learn_stop(&l, 3, s0);
	CHECK(learn_drained(&l));
	check_complete();
}

static void test_bytes(void)
{
	uint64_t s[CTL_NR_STATS] = { 0 };

	learn_start(&l, BDF, 0, s);
	event(1, CFGGUARD_OP_READ, 0, 64);	/* QEMU reading the header */
	event(2, CFGGUARD_OP_READ, 0x100, 8);
	event(3, CFGGUARD_OP_WRITE, 0xffe, 4);	/* clipped at the end */
	event(4, CFGGUARD_OP_READ, 0x40, 4);
	for (unsigned int i = 0; i < 4096; i++) {
		bool read = i >= 0x40 && i < 0x44;
		bool written = i >= 0xffe;

		CHECK_EQ(l.read[i], read);
		CHECK_EQ(l.written[i], written);
	}
}

/* The brief: 3 of 50 seen; the counters say why the other 47 were not. */
static void test_missed(void)
{
	uint64_t s0[CTL_NR_STATS], s1[CTL_NR_STATS];

	stats(s0, 0, 0, 0, 0);
	learn_start(&l, BDF, 0, s0);
	event(1, CFGGUARD_OP_WRITE, 0x298, 1);
	event(25, CFGGUARD_OP_WRITE, 0x298, 1);
	event(50, CFGGUARD_OP_WRITE, 0x298, 1);
	stats(s1, 3, 47, 0, 0);
	learn_stop(&l, 50, s1);
	CHECK(learn_drained(&l));	/* seq1 arrived */
	check_incomplete("watch --learn: saw 3 of 50 reported accesses of " BDF ": 47 suppressed by the rate limit; the table would be incomplete. Set /sys/module/cfgguard_vfio_pci/parameters/event_rate to 0 (no limit) and run again.\n");

	stats(s1, 3, 40, 7, 0);
	learn_stop(&l, 50, s1);
	check_incomplete("watch --learn: saw 3 of 50 reported accesses of " BDF ": 40 suppressed by the rate limit, 7 lost; the table would be incomplete. Set /sys/module/cfgguard_vfio_pci/parameters/event_rate to 0 (no limit) and run again.\n");

	stats(s1, 3, 0, 47, 0);
	learn_stop(&l, 50, s1);
	check_incomplete("watch --learn: saw 3 of 50 reported accesses of " BDF ": 47 lost; the table would be incomplete. Run again.\n");

	/* reset meanwhile (stats --reset): the counters cannot tell */
	stats(s0, 500, 20, 0, 0);
	learn_start(&l, BDF, 0, s0);
	event(1, CFGGUARD_OP_WRITE, 0x298, 1);
	event(2, CFGGUARD_OP_WRITE, 0x298, 1);
	event(3, CFGGUARD_OP_WRITE, 0x298, 1);
	stats(s1, 3, 47, 0, 0);
	learn_stop(&l, 50, s1);
	CHECK(!learn_drained(&l));	/* seq1 never came: drain on */
	check_incomplete("watch --learn: saw 3 of 50 reported accesses of " BDF ": 47 suppressed by the rate limit or lost; the table would be incomplete. Set /sys/module/cfgguard_vfio_pci/parameters/event_rate to 0 (no limit) and run again.\n");

	/* counters that grew by other than the window: no breakdown either */
	stats(s0, 0, 0, 0, 0);
	learn_start(&l, BDF, 0, s0);
	event(50, CFGGUARD_OP_WRITE, 0x298, 1);
	stats(s1, 1, 40, 0, 30);
	learn_stop(&l, 50, s1);
	check_incomplete("watch --learn: saw 1 of 50 reported accesses of " BDF ": 49 suppressed by the rate limit or lost; the table would be incomplete. Set /sys/module/cfgguard_vfio_pci/parameters/event_rate to 0 (no limit) and run again.\n");
}

static void test_odd(void)
{
	uint64_t s[CTL_NR_STATS] = { 0 };

	/* every event arrived, but the socket overran: maybe ours */
	learn_start(&l, BDF, 0, s);
	event(1, CFGGUARD_OP_READ, 0x40, 1);
	l.overrun = true;
	learn_stop(&l, 1, s);
	check_incomplete("watch --learn: the receive buffer overflowed; the table could be incomplete. Run again.\n");

	/* rebound: its sequence started over */
	learn_start(&l, BDF, 40, s);
	learn_stop(&l, 2, s);
	check_incomplete("watch --learn: the sequence numbers of " BDF " went back: it was bound again during the run; the table could be incomplete. Run again.\n");

	/* more events than accesses: repeated ones */
	learn_start(&l, BDF, 0, s);
	event(1, CFGGUARD_OP_READ, 0x40, 1);
	event(1, CFGGUARD_OP_READ, 0x40, 1);
	learn_stop(&l, 1, s);
	check_incomplete("watch --learn: saw 2 events of " BDF " for 1 reported accesses; the table could be wrong. Run again.\n");
}

int main(void)
{
	test_whole();
	test_bytes();
	test_missed();
	test_odd();
	printf("learn: all checks passed\n");
	return 0;
}
