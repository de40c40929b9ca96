// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The cfgguard authors.
 *
 * The event rate limit's token bucket (module/tokens.h), built for
 * userspace: refills at any rate and after any pause, with no overflow.
 */
#include "check.h"
#include "tokens.h"

#define SEC 1000000000ULL

/* Takes tokens at @now until the bucket is empty, or 10^6 of them. */
static unsigned int drain(struct cfgguard_tokens *b, u64 now, u32 rate,
			  u32 burst)
{
	unsigned int n = 0;

	while (n < 1000000 && cfgguard_tokens_take(b, now, rate, burst))
		n++;
	return n;
}

int main(void)
{
	struct cfgguard_tokens b;
	u64 t0 = 1000 * SEC;

	/* no limit */
	b = (struct cfgguard_tokens){ .refilled_ns = t0 };
	CHECK(cfgguard_tokens_take(&b, t0, 0, 1));

	/* the burst, then the rate */
	b = (struct cfgguard_tokens){ .refilled_ns = t0, .tokens = 1000 };
	CHECK_EQ(drain(&b, t0, 1000, 1000), 1000);
	CHECK_EQ(drain(&b, t0 + SEC / 1000 - 1, 1000, 1000), 0);
	CHECK_EQ(drain(&b, t0 + SEC / 1000, 1000, 1000), 1);
	CHECK_EQ(drain(&b, t0 + SEC / 2, 1000, 1000), 499);
	/* a fraction of a token earned is kept */
	b = (struct cfgguard_tokens){ .refilled_ns = t0, .tokens = 0 };
	CHECK_EQ(drain(&b, t0 + 1500000, 1000, 1000), 1);
	CHECK_EQ(drain(&b, t0 + 2000000, 1000, 1000), 1);

	/*
	 * Issue 8.9: (now - refilled) * rate overflowed 2^64: after 4.6 s at
	 * 4e9 tokens a second, or 213 days at 1000 a second, the bucket
	 * came back nearly empty instead of full.
	 */
	b = (struct cfgguard_tokens){ .refilled_ns = t0, .tokens = 0 };
	CHECK_EQ(drain(&b, t0 + 4611686019ULL, 4000000000U, 1000), 1000);
	b = (struct cfgguard_tokens){ .refilled_ns = t0, .tokens = 0 };
	CHECK_EQ(drain(&b, t0 + 18446744073709552ULL, 1000, 1000), 1000);
	b = (struct cfgguard_tokens){ .refilled_ns = t0, .tokens = 0 };
	CHECK_EQ(drain(&b, t0 + 5 * SEC, 0xffffffffU, 0xffffffffU), 1000000);
	/* the largest burst at the lowest rate still fills without overflow */
	b = (struct cfgguard_tokens){ .refilled_ns = 0, .tokens = 0 };
	CHECK(cfgguard_tokens_take(&b, ~0ULL, 1, 0xffffffffU));
	CHECK_EQ(b.tokens, 0xfffffffeU);

	/* a clock read before another CPU's refill is no refill at all */
	b = (struct cfgguard_tokens){ .refilled_ns = t0, .tokens = 0 };
	CHECK_EQ(drain(&b, t0 - 1, 1000, 1000), 0);
	CHECK_EQ(b.refilled_ns, t0);

	/* a burst lowered below the saved tokens */
	b = (struct cfgguard_tokens){ .refilled_ns = t0, .tokens = 1000 };
	CHECK_EQ(drain(&b, t0 + SEC, 1000, 10), 10);

	printf("PASS: token bucket\n");
	return 0;
}
