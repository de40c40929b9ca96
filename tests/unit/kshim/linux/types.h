/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-ins for the few kernel headers that module/layout.c and
 * module/policy.c use, so the unit tests build the module's own code.
 */
#ifndef CFGGUARD_KSHIM_TYPES_H
#define CFGGUARD_KSHIM_TYPES_H

#include_next <linux/types.h>
#include <stdbool.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;

#endif
