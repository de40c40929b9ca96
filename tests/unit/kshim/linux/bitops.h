/* SPDX-License-Identifier: GPL-2.0 */
#ifndef CFGGUARD_KSHIM_BITOPS_H
#define CFGGUARD_KSHIM_BITOPS_H

#include <limits.h>
#include <stdbool.h>

#define BITS_PER_LONG (sizeof(long) * CHAR_BIT)
#define BITS_TO_LONGS(n) (((n) + BITS_PER_LONG - 1) / BITS_PER_LONG)
#define DECLARE_BITMAP(name, bits) unsigned long name[BITS_TO_LONGS(bits)]

static inline bool test_bit(unsigned long nr, const unsigned long *map)
{
	return (map[nr / BITS_PER_LONG] >> (nr % BITS_PER_LONG)) & 1;
}

static inline void __set_bit(unsigned long nr, unsigned long *map)
{
	map[nr / BITS_PER_LONG] |= 1UL << (nr % BITS_PER_LONG);
}

/* A word at a time, as the kernel's lib/find_bit.c does. */
static inline unsigned long find_next_bit_inv(const unsigned long *map,
					      unsigned long size,
					      unsigned long offset,
					      unsigned long invert)
{
	unsigned long word, idx;

	if (offset >= size)
		return size;
	idx = offset / BITS_PER_LONG;
	word = (map[idx] ^ invert) & (~0UL << (offset % BITS_PER_LONG));
	while (!word) {
		if (++idx * BITS_PER_LONG >= size)
			return size;
		word = map[idx] ^ invert;
	}
	offset = idx * BITS_PER_LONG + __builtin_ctzl(word);
	return offset < size ? offset : size;
}

static inline unsigned long find_next_bit(const unsigned long *map,
					  unsigned long size,
					  unsigned long offset)
{
	return find_next_bit_inv(map, size, offset, 0);
}

static inline unsigned long find_next_zero_bit(const unsigned long *map,
					       unsigned long size,
					       unsigned long offset)
{
	return find_next_bit_inv(map, size, offset, ~0UL);
}

#endif
