// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The cfgguard authors.
 *
 * Checking valid-region tables and compiling them to bitmaps.
 */

#include <linux/bitmap.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/sort.h>
#include <linux/string.h>

#include "policy.h"

static int cfgguard_range_cmp(const void *a, const void *b)
{
	const struct cfgguard_range *ra = a, *rb = b;

	return (int)ra->start - (int)rb->start;
}

static int cfgguard_refuse(struct cfgguard_policy_error *err,
			   const char *msg, const struct cfgguard_range *range)
{
	err->msg = msg;
	err->tag = range ? range->tag : -1;
	return -EINVAL;
}

/**
 * cfgguard_ranges_check() - check a table's ranges and sort them by start
 * @ranges: the ranges, sorted in place
 * @nr: how many
 * @cfg_size: config space size they must end by
 * @err: on failure, why, and the tag of the bad range
 *
 * Return: 0, or -EINVAL with @err filled in.
 */
int cfgguard_ranges_check(struct cfgguard_range *ranges, unsigned int nr,
			  unsigned int cfg_size,
			  struct cfgguard_policy_error *err)
{
	unsigned int i;

	if (nr > CFGGUARD_MAX_RANGES)
		return cfgguard_refuse(err, "too many ranges", NULL);

	for (i = 0; i < nr; i++) {
		const struct cfgguard_range *r = &ranges[i];

		if (!r->len)
			return cfgguard_refuse(err, "empty range", &ranges[i]);
		if (r->start + r->len > cfg_size)
			return cfgguard_refuse(err,
					       "range ends past the config space",
					       &ranges[i]);
		if (r->action > CFGGUARD_ACTION_DENY)
			return cfgguard_refuse(err,
					       "unknown action",
					       &ranges[i]);
		if (!r->has_wmask)
			continue;
		if (r->action != CFGGUARD_ACTION_ALLOW)
			return cfgguard_refuse(err,
					       "write mask on a range that drops writes",
					       &ranges[i]);
		if (r->len != 1 && r->len != 2 && r->len != 4)
			return cfgguard_refuse(err,
					       "write mask on a range that is not one 1, 2 or 4 byte register",
					       &ranges[i]);
		if (r->len < 4 && r->wmask >> (8 * r->len))
			return cfgguard_refuse(err,
					       "write mask wider than its range",
					       &ranges[i]);
	}

	sort(ranges, nr, sizeof(*ranges), cfgguard_range_cmp, NULL);
	for (i = 1; i < nr; i++)
		if (ranges[i].start < ranges[i - 1].start + ranges[i - 1].len)
			return cfgguard_refuse(err,
					       "ranges overlap",
					       &ranges[i]);
	return 0;
}

/**
 * cfgguard_ranges_check_masks() - check write masks against a device
 * @ranges: checked ranges
 * @nr: how many
 * @assigned: bytes of the device's header and capabilities
 * @err: on failure, why, and the tag of the bad range
 *
 * A write mask is honoured by a read-modify-write of the device itself, which
 * is what vfio-pci does only for bytes outside the header and capabilities;
 * elsewhere vfio-pci virtualises or filters writes, and a mask could not
 * keep its promise.
 *
 * Return: 0, or -EINVAL with @err filled in.
 */
int cfgguard_ranges_check_masks(const struct cfgguard_range *ranges,
				unsigned int nr, const unsigned long *assigned,
				struct cfgguard_policy_error *err)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		if (ranges[i].has_wmask &&
		    cfgguard_any(assigned, ranges[i].start, ranges[i].len))
			return cfgguard_refuse(err,
					       "write mask on bytes vfio-pci virtualises (header or capability)",
					       &ranges[i]);
	return 0;
}

static void cfgguard_policy_set(struct cfgguard_policy *policy, u8 action,
				unsigned int start, unsigned int len)
{
	if (action == CFGGUARD_ACTION_DENY)
		bitmap_set(policy->read_block, start, len);
	if (action != CFGGUARD_ACTION_ALLOW)
		bitmap_set(policy->write_block, start, len);
}

/**
 * cfgguard_ranges_have_masks() - whether any range has a write mask
 * @ranges: the ranges
 * @nr: how many
 *
 * Return: true if the compiled policy needs its wmask storage.
 */
bool cfgguard_ranges_have_masks(const struct cfgguard_range *ranges,
				unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		if (ranges[i].has_wmask)
			return true;
	return false;
}

/**
 * cfgguard_policy_compile() - compile checked ranges into @policy
 * @policy: the result; fully overwritten but for its wmask storage, which
 *	must be there, zeroed, if cfgguard_ranges_have_masks() says so
 * @default_action: action for the bytes no range covers
 * @cfg_size: config space size; bytes past it are left alone, vfio-pci
 *	refuses accesses there before any table could matter
 * @ranges: ranges that passed cfgguard_ranges_check(), sorted
 * @nr: how many
 */
void cfgguard_policy_compile(struct cfgguard_policy *policy,
			     u8 default_action, unsigned int cfg_size,
			     const struct cfgguard_range *ranges,
			     unsigned int nr)
{
	unsigned int i, b, next = 0;
	u8 *wmask = policy->wmask;

	memset(policy, 0, sizeof(*policy));
	policy->wmask = wmask;
	for (i = 0; i < nr; i++) {
		const struct cfgguard_range *r = &ranges[i];

		cfgguard_policy_set(policy, default_action, next,
				    r->start - next);
		cfgguard_policy_set(policy, r->action, r->start, r->len);
		if (r->has_wmask) {
			bitmap_set(policy->write_masked, r->start, r->len);
			for (b = 0; b < r->len; b++)
				policy->wmask[r->start + b] = r->wmask >> (8 * b);
		}
		next = r->start + r->len;
	}
	cfgguard_policy_set(policy, default_action, next, cfg_size - next);
}

/**
 * cfgguard_policy_unassigned() - the default table's blocks
 * @policy: the result; fully overwritten
 * @assigned: bytes of the device's header and capabilities
 * @cfg_size: config space size
 *
 * Marks every unassigned byte in both directions; the module parameters
 * then decide at access time which direction a default table blocks.
 */
void cfgguard_policy_unassigned(struct cfgguard_policy *policy,
				const unsigned long *assigned,
				unsigned int cfg_size)
{
	u8 *wmask = policy->wmask;

	memset(policy, 0, sizeof(*policy));
	policy->wmask = wmask;
	bitmap_complement(policy->read_block, assigned, cfg_size);
	bitmap_copy(policy->write_block, policy->read_block, cfg_size);
}
