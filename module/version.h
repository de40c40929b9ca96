/* SPDX-License-Identifier: GPL-2.0 */
#ifndef CFGGUARD_VERSION
#define CFGGUARD_VERSION "0.1.0"
#endif
