// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The cfgguard authors.
 *
 * nl-raw: sends one cfgguard request built attribute by attribute, including
 * ones cfgguard-ctl never sends, and prints the kernel's answer:
 * "ok" or "error <errno> <extack message>".
 *
 *   nl-raw <command number> [<word>]...
 *     one attribute per word, as tests/netlink/words.h spells them
 *
 *   nl-raw fill <first> <n>
 *     loads n model tables, ffff:<first> on, one request each; prints
 *     "ok <n>" or "error <errno> <message> after <loaded>"
 *   nl-raw drain <first> <n>
 *     deletes them again, the same way
 * With FAIL_NTH=<n> in the environment, a single request's send, or
 * listen's subscription, runs with fail_nth armed (tests/fault/fail-nth.h).
 *
 *   nl-raw listen <rcvbuf bytes>
 *     joins the events group with a small receive buffer and never reads
 *     (nor sets NETLINK_BROADCAST_ERROR): a listener that falls behind;
 *     prints "listening", then sleeps until killed
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>
#include <linux/cfgguard.h>

#include "../fault/fail-nth.h"
#include "words.h"

static int result_errno;
static char result_msg[256];
static int done;

static int error_cb(struct sockaddr_nl *nla, struct nlmsgerr *err, void *arg)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)err - 1;
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	unsigned int ack_len = sizeof(*nlh) + sizeof(int) + sizeof(*nlh);

	(void)nla;
	(void)arg;
	result_errno = -err->error;
	done = 1;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return NL_STOP;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		ack_len += err->msg.nlmsg_len - sizeof(*nlh);
	if (nlh->nlmsg_len > ack_len &&
	    !nla_parse(tb, NLMSGERR_ATTR_MAX, (struct nlattr *)((char *)nlh + ack_len),
		       nlh->nlmsg_len - ack_len, NULL)) {
		if (tb[NLMSGERR_ATTR_MSG])
			snprintf(result_msg, sizeof(result_msg), "%s",
				 (char *)nla_data(tb[NLMSGERR_ATTR_MSG]));
		else if (tb[NLMSGERR_ATTR_MISS_TYPE])
			snprintf(result_msg, sizeof(result_msg),
				 "missing attribute %u",
				 nla_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]));
	}
	return NL_STOP;
}

static int ack_cb(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	done = 1;
	return NL_STOP;
}

static void libnl_put(void *msg, uint16_t type, const void *data, size_t len)
{
	nla_put(msg, type, len, data);
}

static void *libnl_nest_start(void *msg, uint16_t type)
{
	return nla_nest_start(msg, type | NLA_F_NESTED);
}

static void libnl_nest_end(void *msg, void *nest)
{
	nla_nest_end(msg, nest);
}

static unsigned long num(const char *s)
{
	return strtoul(s, NULL, 0);
}

/* Sends @msg, consumed, and waits for its ack; 0 or the kernel's errno. */
static int request(struct nl_sock *sk, struct nl_cb *cb, struct nl_msg *msg)
{
	int ret;

	result_errno = 0;
	result_msg[0] = '\0';
	done = 0;
	ret = nl_send_auto(sk, msg);
	nlmsg_free(msg);
	if (ret < 0)
		return EIO;
	while (!done)
		if (nl_recvmsgs(sk, cb) < 0 && !done)
			return EIO;
	return result_errno;
}

static int fill(struct nl_sock *sk, struct nl_cb *cb, int family,
		unsigned int first, unsigned int n, bool drain)
{
	for (unsigned int i = 0; i < n; i++) {
		struct nl_msg *msg = nlmsg_alloc();
		struct nlattr *nest;

		genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, NLM_F_ACK,
			    drain ? CFGGUARD_CMD_TABLE_DEL : CFGGUARD_CMD_TABLE_SET,
			    CFGGUARD_FAMILY_VERSION);
		nla_put_u16(msg, CFGGUARD_A_DEV_VENDOR, 0xffff);
		nla_put_u16(msg, CFGGUARD_A_DEV_DEVICE, first + i);
		if (!drain) {
			nest = nla_nest_start(msg, CFGGUARD_A_DEV_RANGE | NLA_F_NESTED);
			nla_put_u16(msg, CFGGUARD_A_RANGE_START, 0x300);
			nla_put_u16(msg, CFGGUARD_A_RANGE_LEN, 4);
			nla_put_u32(msg, CFGGUARD_A_RANGE_ACTION, CFGGUARD_ACTION_DENY);
			nla_nest_end(msg, nest);
		}
		if (request(sk, cb, msg)) {
			printf("error %d %s after %u\n", result_errno, result_msg, i);
			return 1;
		}
	}
	printf("ok %u\n", n);
	return 0;
}

static int listen_only(struct nl_sock *sk, int rcvbuf)
{
	int group = genl_ctrl_resolve_grp(sk, CFGGUARD_FAMILY_NAME,
					  CFGGUARD_MCGRP_EVENTS);

	int ret;

	if (group < 0) {
		printf("error subscribe: no group\n");
		return 1;
	}
	fail_nth_arm();
	ret = nl_socket_add_membership(sk, group);
	fail_nth_report();
	if (ret) {
		printf("error subscribe: %s\n", nl_geterror(ret));
		return 1;
	}
	setsockopt(nl_socket_get_fd(sk), SOL_SOCKET, SO_RCVBUF, &rcvbuf,
		   sizeof(rcvbuf));
	printf("listening\n");
	fflush(stdout);
	for (;;)
		pause();
}

int main(int argc, char *argv[])
{
	struct nl_sock *sk = nl_socket_alloc();
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);
	struct nl_msg *msg = nlmsg_alloc();
	struct attr_writer writer = {
		.ctx = msg, .put = libnl_put,
		.nest_start = libnl_nest_start, .nest_end = libnl_nest_end,
	};
	int family, one = 1, ret;

	if (argc < 2 || !sk || !cb || !msg || genl_connect(sk)) {
		fprintf(stderr, "Usage: nl-raw <command number> [<attr>]...\n");
		return 2;
	}
	setsockopt(nl_socket_get_fd(sk), SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	fail_nth_prepare();
	family = genl_ctrl_resolve(sk, CFGGUARD_FAMILY_NAME);
	if (family < 0) {
		printf("error ENOENT family not found\n");
		return 1;
	}
	nl_cb_err(cb, NL_CB_CUSTOM, error_cb, NULL);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, ack_cb, NULL);
	if (!strcmp(argv[1], "fill") && argc == 4)
		return fill(sk, cb, family, num(argv[2]), num(argv[3]), false);
	if (!strcmp(argv[1], "drain") && argc == 4)
		return fill(sk, cb, family, num(argv[2]), num(argv[3]), true);
	if (!strcmp(argv[1], "listen") && argc == 3)
		return listen_only(sk, num(argv[2]));
	genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, NLM_F_ACK,
		    num(argv[1]), CFGGUARD_FAMILY_VERSION);
	for (int i = 2; i < argc; i++) {
		if (put_word(&writer, argv[i])) {
			fprintf(stderr, "nl-raw: unknown attribute `%s'\n", argv[i]);
			return 2;
		}
	}
	fail_nth_arm();
	ret = nl_send_auto(sk, msg);
	fail_nth_report();
	if (ret < 0) {
		printf("error send: %s\n", nl_geterror(ret));
		return 1;
	}
	while (!done) {
		ret = nl_recvmsgs(sk, cb);
		if (ret < 0 && !done) {
			/* an answer the kernel could not allocate */
			printf("error recv: %s\n", nl_geterror(ret));
			return 1;
		}
	}
	if (result_errno)
		printf("error %d %s\n", result_errno, result_msg);
	else
		printf("ok\n");
	return 0;
}
