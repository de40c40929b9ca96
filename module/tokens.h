/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The cfgguard authors.
 *
 * The token bucket that rate-limits a device's events. Plain C with no
 * locking, so the unit tests build the same code in userspace.
 */
#ifndef _CFGGUARD_TOKENS_H
#define _CFGGUARD_TOKENS_H

#include <linux/math64.h>
#include <linux/time64.h>
#include <linux/types.h>

struct cfgguard_tokens {
	u64 refilled_ns;	/* when the bucket last gained tokens */
	u32 tokens;
};

/**
 * cfgguard_tokens_take() - take a token, after a refill
 * @bucket: the bucket
 * @now: the time, in ns; may lag behind the last refill, as callers read
 *	the clock before they take the bucket's lock
 * @rate: tokens gained per second; 0 for no limit
 * @burst: most tokens saved
 *
 * No product here can overflow whatever the rate and the time since the
 * last refill: a bucket that has waited long enough to fill from empty,
 * at most (2^32 - 1) * 10^9 ns, is simply full, and below that the tokens
 * gained times 10^9 stay under burst * 10^9 < 2^64.
 *
 * Return: whether a token was taken.
 */
static inline bool cfgguard_tokens_take(struct cfgguard_tokens *bucket,
					u64 now, u32 rate, u32 burst)
{
	u64 elapsed, fill_ns, gained;

	if (!rate)
		return true;
	if (!burst)
		burst = 1;
	elapsed = now > bucket->refilled_ns ? now - bucket->refilled_ns : 0;
	fill_ns = div_u64((u64)burst * NSEC_PER_SEC, rate);
	gained = elapsed >= fill_ns ? burst :
		 div_u64(elapsed * rate, NSEC_PER_SEC);
	if (gained >= burst || bucket->tokens + gained >= burst) {
		bucket->tokens = burst;
		bucket->refilled_ns = now;
	} else if (gained) {
		bucket->tokens += gained;
		/* keep the part of a token earned since */
		bucket->refilled_ns += div_u64(gained * NSEC_PER_SEC, rate);
	}
	if (!bucket->tokens)
		return false;
	bucket->tokens--;
	return true;
}

#endif /* _CFGGUARD_TOKENS_H */
