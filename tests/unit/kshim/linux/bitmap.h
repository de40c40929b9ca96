/* SPDX-License-Identifier: GPL-2.0 */
#ifndef CFGGUARD_KSHIM_BITMAP_H
#define CFGGUARD_KSHIM_BITMAP_H

#include <string.h>
#include <linux/bitops.h>

static inline void bitmap_set(unsigned long *map, unsigned int start,
			      unsigned int len)
{
	while (len--)
		__set_bit(start++, map);
}

static inline void bitmap_zero(unsigned long *map, unsigned int bits)
{
	memset(map, 0, BITS_TO_LONGS(bits) * sizeof(long));
}

static inline void bitmap_copy(unsigned long *dst, const unsigned long *src,
			       unsigned int bits)
{
	memcpy(dst, src, BITS_TO_LONGS(bits) * sizeof(long));
}

static inline void bitmap_complement(unsigned long *dst,
				     const unsigned long *src,
				     unsigned int bits)
{
	for (unsigned int i = 0; i < BITS_TO_LONGS(bits); i++)
		dst[i] = ~src[i];
}

#endif
