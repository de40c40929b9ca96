/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The cfgguard authors.
 *
 * What the fuzzers share: a check whose failure libFuzzer reports as a
 * crash, keeping the input, so a broken promise counts as a sanitizer
 * report does.
 */
#ifndef CFGGUARD_FUZZ_H
#define CFGGUARD_FUZZ_H

#include <stdio.h>
#include <stdlib.h>

#define REQUIRE(cond)							\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "%s:%d: %s: not so\n",		\
				__FILE__, __LINE__, #cond);		\
			abort();					\
		}							\
	} while (0)

/*
 * The checks are no code under test: no coverage of their own, so the
 * fuzzer is steered by the code under test alone, and faster.
 */
#define CHECKER __attribute__((no_sanitize("coverage")))

#endif /* CFGGUARD_FUZZ_H */
