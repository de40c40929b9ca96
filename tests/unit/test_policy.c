// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The cfgguard authors.
 *
 * The module's policy.c, built for userspace: range checks, compiling to
 * bitmaps, and the run and lookup helpers of the access path.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "policy.h"

/* Length of the run of bytes from @pos, up to @end, sharing @pos's bit. */
static unsigned int run_of(const unsigned long *map, unsigned int pos,
			   unsigned int end)
{
	if (test_bit(pos, map))
		return find_next_zero_bit(map, end, pos) - pos;
	return find_next_bit(map, end, pos) - pos;
}

static u8 wmask_storage[CFGGUARD_CFG_SPACE_SIZE];
static struct cfgguard_policy policy = { .wmask = wmask_storage };

static struct cfgguard_range R(u16 start, u16 len, u8 action)
{
	return (struct cfgguard_range){ .start = start, .len = len, .action = action };
}

static struct cfgguard_range M(u16 start, u16 len, u32 wmask)
{
	return (struct cfgguard_range){ .start = start, .len = len,
		.action = CFGGUARD_ACTION_ALLOW, .has_wmask = true, .wmask = wmask };
}

static const char *refusal(struct cfgguard_range *r, unsigned int nr,
			   unsigned int cfg_size, int *tag)
{
	struct cfgguard_policy_error err = { 0 };

	for (unsigned int i = 0; i < nr; i++)
		r[i].tag = 100 + i;
	if (!cfgguard_ranges_check(r, nr, cfg_size, &err))
		return NULL;
	*tag = err.tag;
	return err.msg;
}

static void test_checks(void)
{
	struct cfgguard_range r[4];
	int tag = 0;

	r[0] = R(0x40, 8, CFGGUARD_ACTION_DENY);
	r[1] = R(0x00, 0x40, CFGGUARD_ACTION_ALLOW);
	CHECK(refusal(r, 2, 4096, &tag) == NULL);
	CHECK_EQ(r[0].start, 0);	/* sorted */
	CHECK_EQ(r[1].start, 0x40);

	r[0] = R(0x40, 8, CFGGUARD_ACTION_DENY);
	r[1] = R(0x44, 4, CFGGUARD_ACTION_ALLOW);
	CHECK_STR(refusal(r, 2, 4096, &tag), "ranges overlap");
	CHECK_EQ(tag, 101);

	r[0] = R(0xff0, 32, CFGGUARD_ACTION_DENY);
	CHECK_STR(refusal(r, 1, 4096, &tag), "range ends past the config space");
	CHECK_EQ(tag, 100);
	r[0] = R(0x100, 4, CFGGUARD_ACTION_DENY);
	CHECK_STR(refusal(r, 1, 256, &tag), "range ends past the config space");
	r[0] = R(0xfc, 4, CFGGUARD_ACTION_DENY);
	CHECK(refusal(r, 1, 256, &tag) == NULL);
	r[0] = R(0x40, 0, CFGGUARD_ACTION_DENY);
	CHECK_STR(refusal(r, 1, 4096, &tag), "empty range");
	r[0] = R(0x40, 4, 3);
	CHECK_STR(refusal(r, 1, 4096, &tag), "unknown action");

	r[0] = M(0x298, 3, 0xff);
	CHECK_STR(refusal(r, 1, 4096, &tag),
		  "write mask on a range that is not one 1, 2 or 4 byte register");
	r[0] = M(0x298, 2, 0x10000);
	CHECK_STR(refusal(r, 1, 4096, &tag), "write mask wider than its range");
	r[0] = M(0x298, 4, 0xffffffff);
	CHECK(refusal(r, 1, 4096, &tag) == NULL);
	r[0] = M(0x298, 1, 0x0f);
	r[0].action = CFGGUARD_ACTION_READ_ONLY;
	CHECK_STR(refusal(r, 1, 4096, &tag), "write mask on a range that drops writes");
}

static void test_too_many(void)
{
	static struct cfgguard_range r[CFGGUARD_MAX_RANGES + 1];
	int tag;

	for (unsigned int i = 0; i <= CFGGUARD_MAX_RANGES; i++)
		r[i] = R(i * 2, 1, CFGGUARD_ACTION_DENY);
	CHECK_STR(refusal(r, CFGGUARD_MAX_RANGES + 1, 4096, &tag), "too many ranges");
	CHECK(refusal(r, CFGGUARD_MAX_RANGES, 4096, &tag) == NULL);
}

static void test_compile(void)
{
	struct cfgguard_range r[] = {
		R(0x00, 0x40, CFGGUARD_ACTION_ALLOW),
		R(0x280, 4, CFGGUARD_ACTION_DENY),
		R(0x284, 4, CFGGUARD_ACTION_READ_ONLY),
		M(0x288, 4, 0x0000ffff),
	};
	int tag;

	CHECK(refusal(r, 4, 4096, &tag) == NULL);
	cfgguard_policy_compile(&policy, CFGGUARD_ACTION_DENY, 4096, r, 4);
	/* allow: neither direction blocked */
	CHECK(!cfgguard_any(policy.read_block, 0, 0x40));
	CHECK(!cfgguard_any(policy.write_block, 0, 0x40));
	/* default deny between ranges and after the last */
	CHECK(test_bit(0x40, policy.read_block) && test_bit(0x40, policy.write_block));
	CHECK(test_bit(0x27f, policy.read_block));
	CHECK(test_bit(0xfff, policy.write_block));
	/* deny */
	CHECK(test_bit(0x280, policy.read_block) && test_bit(0x283, policy.write_block));
	/* read-only */
	CHECK(!cfgguard_any(policy.read_block, 0x284, 4));
	CHECK(test_bit(0x284, policy.write_block) && test_bit(0x287, policy.write_block));
	/* masked */
	CHECK(!cfgguard_any(policy.write_block, 0x288, 4));
	CHECK(cfgguard_any(policy.write_masked, 0x288, 4));
	CHECK_EQ(policy.wmask[0x288], 0xff);
	CHECK_EQ(policy.wmask[0x289], 0xff);
	CHECK_EQ(policy.wmask[0x28a], 0x00);
	CHECK(!cfgguard_any(policy.write_masked, 0x280, 8));
	CHECK(cfgguard_ranges_have_masks(r, 4));
	CHECK(!cfgguard_ranges_have_masks(r, 3));
	/* runs of bytes that share a fate */
	CHECK_EQ(run_of(policy.read_block, 0x3e, 0x44), 2);
	CHECK_EQ(run_of(policy.read_block, 0x40, 0x44), 4);
	CHECK_EQ(run_of(policy.read_block, 0x27e, 0x288), 6);
	CHECK_EQ(run_of(policy.read_block, 0x284, 0x290), 8);	/* read-only, masked */
	/* any() at the edges of a 4 byte access */
	CHECK(cfgguard_any(policy.read_block, 0x3d, 4));
	CHECK(!cfgguard_any(policy.read_block, 0x3c, 4));
}

static void test_unassigned(void)
{
	unsigned long assigned[BITS_TO_LONGS(4096)] = { 0 };

	bitmap_set(assigned, 0, 0x40);
	bitmap_set(assigned, 0xc8, 8);
	cfgguard_policy_unassigned(&policy, assigned, 256);
	CHECK(!cfgguard_any(policy.write_block, 0, 0x40));
	CHECK(cfgguard_any(policy.write_block, 0x40, 1));
	CHECK(!cfgguard_any(policy.read_block, 0xc8, 8));
	CHECK(test_bit(0xff, policy.read_block));
	CHECK(!cfgguard_any(policy.read_block, 0x100, 0xf00));	/* past cfg_size */

	struct cfgguard_range r[] = { M(0x298, 1, 0x0f) };
	struct cfgguard_policy_error err = { 0 };

	CHECK_EQ(cfgguard_ranges_check_masks(r, 1, assigned, &err), 0);
	r[0].start = 0xca;
	CHECK_EQ(cfgguard_ranges_check_masks(r, 1, assigned, &err), -EINVAL);
	CHECK_STR(err.msg, "write mask on bytes vfio-pci virtualises (header or capability)");
}

/* A table without write masks compiles with no mask storage at all. */
static void test_no_mask_storage(void)
{
	static struct cfgguard_policy bare;
	struct cfgguard_range r[] = { R(0x40, 8, CFGGUARD_ACTION_READ_ONLY) };

	cfgguard_policy_compile(&bare, CFGGUARD_ACTION_DENY, 4096, r, 1);
	CHECK(bare.wmask == NULL);
	CHECK(test_bit(0x44, bare.write_block) && !test_bit(0x44, bare.read_block));
	CHECK(!cfgguard_any(bare.write_masked, 0, 4096));
}

int main(void)
{
	test_checks();
	test_too_many();
	test_compile();
	test_unassigned();
	test_no_mask_storage();
	printf("policy: all checks passed\n");
	return 0;
}
