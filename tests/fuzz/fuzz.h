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

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

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

/* A generic netlink family ID, as the kernel gives. */
#define FUZZ_FAMILY	0x20

/*
 * The netlink bytes a fuzz input stands for: with @raw, the input itself
 * from @data[1] on, headers and all; else one well-formed header of the
 * family, command @data[1], and the input from @data[2] on as attributes.
 * @size is at least 2. Returns a malloc()ed buffer of *@len bytes.
 */
static inline uint8_t *fuzz_genl_message(const uint8_t *data, size_t size,
					 bool raw, int *len)
{
	uint8_t *buf;

	if (raw) {
		*len = size - 1;
		buf = malloc(*len);
		REQUIRE(buf);
		memcpy(buf, data + 1, *len);
	} else {
		struct genlmsghdr gnlh = { .cmd = data[1], .version = 1 };
		struct nlmsghdr hdr = {
			.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN + size - 2),
			.nlmsg_type = FUZZ_FAMILY,
		};

		*len = hdr.nlmsg_len;
		buf = malloc(*len);
		REQUIRE(buf);
		memcpy(buf, &hdr, sizeof(hdr));
		memcpy(buf + NLMSG_HDRLEN, &gnlh, sizeof(gnlh));
		memcpy(buf + NLMSG_LENGTH(GENL_HDRLEN), data + 2, size - 2);
	}
	return buf;
}

#endif /* CFGGUARD_FUZZ_H */
