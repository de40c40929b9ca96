/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The cfgguard authors.
 *
 * Valid-region tables and their compiled form. Plain C with no vfio, no
 * netlink and no locking, so the unit tests build the same code in
 * userspace.
 */
#ifndef _CFGGUARD_POLICY_H
#define _CFGGUARD_POLICY_H

#include <linux/bitmap.h>
#include <linux/bitops.h>
#include <linux/types.h>
#include <linux/cfgguard.h>

struct cfgguard_range {
	u16 start;
	u16 len;
	u8 action;		/* enum cfgguard_action */
	bool has_wmask;
	u32 wmask;		/* little endian over len (1, 2 or 4) bytes */
	u16 tag;		/* the caller's name for it, for messages */
};

/*
 * A table compiled for the access path: one bit per config byte and
 * direction, so that a decision costs a bitmap test whatever the number of
 * ranges. Bytes in write_masked take only the bits of wmask[] from a write.
 * wmask is the owner's storage, CFGGUARD_CFG_SPACE_SIZE bytes indexed by
 * offset, and only tables with a write mask need it: NULL for the others.
 */
struct cfgguard_policy {
	DECLARE_BITMAP(read_block, CFGGUARD_CFG_SPACE_SIZE);
	DECLARE_BITMAP(write_block, CFGGUARD_CFG_SPACE_SIZE);
	DECLARE_BITMAP(write_masked, CFGGUARD_CFG_SPACE_SIZE);
	u8 *wmask;
};

/* Why a table was refused: a message for extack and the range it names. */
struct cfgguard_policy_error {
	const char *msg;
	int tag;		/* tag of the range it names, or -1 */
};

int cfgguard_ranges_check(struct cfgguard_range *ranges, unsigned int nr,
			  unsigned int cfg_size,
			  struct cfgguard_policy_error *err);
int cfgguard_ranges_check_masks(const struct cfgguard_range *ranges,
				unsigned int nr, const unsigned long *assigned,
				struct cfgguard_policy_error *err);
bool cfgguard_ranges_have_masks(const struct cfgguard_range *ranges,
				unsigned int nr);
void cfgguard_policy_compile(struct cfgguard_policy *policy,
			     u8 default_action, unsigned int cfg_size,
			     const struct cfgguard_range *ranges,
			     unsigned int nr);
void cfgguard_policy_unassigned(struct cfgguard_policy *policy,
				const unsigned long *assigned,
				unsigned int cfg_size);

/*
 * Whether any byte of [pos, pos + count) is set in @map. A guest's access
 * is at most 4 bytes and lies in one word: test that word inline, the
 * access path's common case.
 */
static inline bool cfgguard_any(const unsigned long *map, unsigned int pos,
				unsigned int count)
{
	unsigned int bit = pos % BITS_PER_LONG;

	if (count && count < BITS_PER_LONG && bit + count <= BITS_PER_LONG)
		return (map[pos / BITS_PER_LONG] >> bit) & ((1UL << count) - 1);
	return find_next_bit(map, pos + count, pos) < pos + count;
}

#endif /* _CFGGUARD_POLICY_H */
