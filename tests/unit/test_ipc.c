// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The cfgguard authors.
 *
 * key_parse: device addresses exactly as the kernel's pci_name() prints
 * them, "%04x:%02x:%02x.%d", domains of up to 32 bits included, and
 * nothing the kernel would not find by name; models as before.
 */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "ipc.h"

static void good(const char *arg, const char *bdf)
{
	struct ctl_key key;

	if (key_parse(arg, &key)) {
		fprintf(stderr, "`%s' refused\n", arg);
		exit(1);
	}
	CHECK(!key.model);
	CHECK_STR(key.bdf, bdf);
}

static void bad(const char *arg)
{
	struct ctl_key key;

	if (!key_parse(arg, &key)) {
		fprintf(stderr, "`%s' taken as %s\n", arg,
			key.model ? "a model" : key.bdf);
		exit(1);
	}
}

static void test_addresses(void)
{
	good("0000:00:10.0", "0000:00:10.0");
	good("0000:ff:1f.7", "0000:ff:1f.7");
	good("abcd:01:00.1", "abcd:01:00.1");
	/* VMD and Hyper-V domains, as pci_name() pads them: to 4 only */
	good("10000:00:10.0", "10000:00:10.0");
	good("1234567:e3:00.0", "1234567:e3:00.0");
	good("ffffffff:ff:1f.7", "ffffffff:ff:1f.7");
	/* lspci's short form, domain 0 */
	good("00:10.0", "0000:00:10.0");
	good("3b:00.1", "0000:3b:00.1");

	/* the kernel names lower case only */
	bad("0000:00:1F.0");
	bad("ABCD:00:10.0");
	bad("10000:0A:10.0");
	bad("00:1F.0");
	/* zero-padded past 4 digits, or fewer than 4, or more than 8 */
	bad("00000:00:10.0");
	bad("010000:00:10.0");
	bad("0ffffffff:ff:1f.7");
	bad("100000000:00:10.0");
	bad("000:00:10.0");
	bad("0:00:10.0");
	/* slot and function out of range */
	bad("0000:00:20.0");
	bad("0000:00:ff.0");
	bad("0000:00:10.8");
	bad("0000:00:10.9");
	bad("00:20.0");
	/* digits missing, extra or not hex; anything around it */
	bad("0000:0:10.0");
	bad("0000:000:10.0");
	bad("0000:00:1.0");
	bad("0000:00:010.0");
	bad("0000:00:10.");
	bad("0000:00:10.00");
	bad("0000:00:10.0 ");
	bad(" 0000:00:10.0");
	bad("+000:00:10.0");
	bad("0x00:00:10.0");
	bad("0000:00:10:0");
	bad("0000.00:10.0");
	bad("g000:00:10.0");
	bad("0000:00:10.0\n");
	bad("");
	bad(":");
	bad("0:1.0");
}

static void test_models(void)
{
	struct ctl_key key;

	CHECK_EQ(key_parse("8086:10d3", &key), 0);
	CHECK(key.model);
	CHECK_EQ(key.vendor, 0x8086);
	CHECK_EQ(key.device, 0x10d3);
	CHECK_EQ(key_parse("1af4:1000", &key), 0);
	CHECK(key.model);
	CHECK_EQ(key.device, 0x1000);
	/* five digits before a colon is a domain, not a vendor */
	bad("10000:0000");
}

int main(void)
{
	test_addresses();
	test_models();
	printf("ipc: all checks passed\n");
	return 0;
}
