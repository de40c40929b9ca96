/* SPDX-License-Identifier: GPL-2.0 */
#ifndef CFGGUARD_KSHIM_KERNEL_H
#define CFGGUARD_KSHIM_KERNEL_H

#include <stddef.h>
#include <linux/types.h>

#define min(a, b) ((a) < (b) ? (a) : (b))
#define min_t(t, a, b) min((t)(a), (t)(b))
#define ALIGN(x, a) (((x) + (a) - 1) / (a) * (a))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
