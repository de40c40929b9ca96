/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The cfgguard authors.
 *
 * Assertions that say what failed: the expression and the values seen,
 * in the style of the kernel's vfio selftests. A failure exits 1.
 */
#ifndef CFGGUARD_CHECK_H
#define CFGGUARD_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(expr) do {						\
	if (!(expr)) {							\
		fprintf(stderr, "%s:%d: check failed\n  Expression: %s\n",	\
			__FILE__, __LINE__, #expr);			\
		exit(1);						\
	}								\
} while (0)

#define CHECK_EQ(a, b) do {						\
	long long _a = (long long)(a), _b = (long long)(b);		\
	if (_a != _b) {							\
		fprintf(stderr, "%s:%d: check failed\n  Expression: %s == %s\n"	\
			"  Observed: %#llx == %#llx\n",			\
			__FILE__, __LINE__, #a, #b, _a, _b);		\
		exit(1);						\
	}								\
} while (0)

#define CHECK_STR(a, b) do {						\
	const char *_a = (a), *_b = (b);				\
	if (!_a || !_b || strcmp(_a, _b)) {				\
		fprintf(stderr, "%s:%d: check failed\n  Expression: %s == %s\n"	\
			"  Observed: \"%s\" == \"%s\"\n",		\
			__FILE__, __LINE__, #a, #b, _a ? _a : "(null)",	\
			_b ? _b : "(null)");				\
		exit(1);						\
	}								\
} while (0)

#endif
