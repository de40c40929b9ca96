// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The cfgguard authors.
 *
 * watch: streams the guard's events, one line each. Uses a socket of its
 * own with a large receive buffer; when the kernel still
 * overruns it (ENOBUFS), says so and carries on, and the per-device
 * sequence numbers tell exactly how many events were lost.
 *
 * --learn turns what it sees into a table: the device's header and
 * capabilities (as gen-table writes them) allowed, the bytes the events
 * wrote allowed, the bytes they only read read-only, everything else
 * denied. Run it with the gen-table table loaded in audit mode, so that
 * every access outside the capabilities is reported. Accesses of more than
 * 4 bytes are not learned: guests access registers, and the VMM's reads of
 * the whole space (QEMU's at start) would allow everything.
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>
#include <linux/cfgguard.h>

#include "devcfg.h"
#include "ipc.h"
#include "subcommands.h"

#define WATCH_MAX_DEVICES 64

struct watched {
	char bdf[13];
	uint64_t last_seq;
	bool read[4096];	/* --learn */
	bool written[4096];
};

static struct {
	bool json;
	bool learn;
	unsigned int nr_filter;
	struct watched dev[WATCH_MAX_DEVICES];
	unsigned int nr_dev;
} w;

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static struct watched *watched(const char *bdf)
{
	for (unsigned int i = 0; i < w.nr_dev; i++)
		if (!strcmp(w.dev[i].bdf, bdf))
			return &w.dev[i];
	if (w.nr_filter || w.nr_dev == WATCH_MAX_DEVICES)
		return NULL;
	snprintf(w.dev[w.nr_dev].bdf, sizeof(w.dev[0].bdf), "%s", bdf);
	return &w.dev[w.nr_dev++];
}

static const char *name_of(const char *const *names, unsigned int n, uint32_t v)
{
	return v < n ? names[v] : "unknown";
}

/* Formats the date once a second: a flood brings thousands a second. */
static void now_rfc3339(char *buf, size_t len)
{
	static char date[32];
	static time_t date_sec = -1;
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	if (ts.tv_sec != date_sec) {
		gmtime_r(&ts.tv_sec, &tm);
		strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm);
		date_sec = ts.tv_sec;
	}
	snprintf(buf, len, "%.19s.%06dZ", date, (int)(ts.tv_nsec / 1000));
}

static void print_lost(const char *bdf, uint64_t count)
{
	char ts[40];

	now_rfc3339(ts, sizeof(ts));
	if (w.json)
		printf("{\"event\":\"lost\",\"ts\":\"%s\",\"bdf\":%s%s%s,\"count\":%" PRIu64 "}\n",
		       ts, bdf ? "\"" : "", bdf ? bdf : "null", bdf ? "\"" : "", count);
	else if (bdf)
		printf("%s %s lost %" PRIu64 " events: the receive buffer overflowed\n",
		       ts, bdf, count);
	else
		printf("%s events lost: the receive buffer overflowed\n", ts);
	fflush(stdout);
}

static void on_event(const struct genlmsghdr *gnlh)
{
	static const char *const ops[] = { "read", "write" };
	static const char *const results[] = { "blocked", "masked", "audited" };
	struct nlattr *tb[CFGGUARD_A_EVENT_MAX + 1];
	uint64_t seq, suppressed;
	unsigned int off, size;
	struct watched *dev;
	const char *bdf;
	char ts[40];

	if (gnlh->cmd != CFGGUARD_CMD_ACCESS ||
	    nla_parse(tb, CFGGUARD_A_EVENT_MAX,
		      genlmsg_attrdata((struct genlmsghdr *)gnlh, 0),
		      genlmsg_attrlen((struct genlmsghdr *)gnlh, 0), NULL) ||
	    !tb[CFGGUARD_A_EVENT_BDF] || !tb[CFGGUARD_A_EVENT_SEQ] ||
	    !tb[CFGGUARD_A_EVENT_OFFSET] || !tb[CFGGUARD_A_EVENT_SIZE])
		return;
	bdf = nla_get_string(tb[CFGGUARD_A_EVENT_BDF]);
	dev = watched(bdf);
	if (!dev)
		return;

	seq = nla_get_u64(tb[CFGGUARD_A_EVENT_SEQ]);
	suppressed = tb[CFGGUARD_A_EVENT_SUPPRESSED] ?
		     nla_get_u64(tb[CFGGUARD_A_EVENT_SUPPRESSED]) : 0;
	off = nla_get_u16(tb[CFGGUARD_A_EVENT_OFFSET]);
	size = nla_get_u16(tb[CFGGUARD_A_EVENT_SIZE]);
	/* a gap the kernel did not account for was lost on the way here */
	if (dev->last_seq && seq > dev->last_seq + 1 + suppressed && !w.learn)
		print_lost(bdf, seq - dev->last_seq - 1 - suppressed);
	dev->last_seq = seq;

	if (w.learn) {
		bool write = nla_get_u32(tb[CFGGUARD_A_EVENT_OP]) == CFGGUARD_OP_WRITE;

		for (unsigned int i = off; size <= 4 && i < off + size && i < 4096; i++)
			*(write ? &dev->written[i] : &dev->read[i]) = true;
		return;
	}

	now_rfc3339(ts, sizeof(ts));
	if (w.json) {
		printf("{\"event\":\"access\",\"ts\":\"%s\",\"ktime_ns\":%" PRIu64 ",\"bdf\":\"%s\",\"op\":\"%s\",\"offset\":%u,\"size\":%u",
		       ts, tb[CFGGUARD_A_EVENT_TIMESTAMP] ?
		       nla_get_u64(tb[CFGGUARD_A_EVENT_TIMESTAMP]) : 0,
		       bdf, name_of(ops, 2, nla_get_u32(tb[CFGGUARD_A_EVENT_OP])),
		       off, size);
		if (tb[CFGGUARD_A_EVENT_VALUE])
			printf(",\"value\":%u", nla_get_u32(tb[CFGGUARD_A_EVENT_VALUE]));
		printf(",\"result\":\"%s\",\"mode\":\"%s\",\"table\":\"%s\",\"pid\":%u,\"comm\":\"%s\",\"seq\":%" PRIu64 ",\"suppressed\":%" PRIu64 "}\n",
		       name_of(results, 3, nla_get_u32(tb[CFGGUARD_A_EVENT_RESULT])),
		       mode_name(nla_get_u32(tb[CFGGUARD_A_EVENT_MODE])),
		       source_name(nla_get_u32(tb[CFGGUARD_A_EVENT_SOURCE])),
		       nla_get_u32(tb[CFGGUARD_A_EVENT_PID]),
		       nla_get_string(tb[CFGGUARD_A_EVENT_COMM]), seq, suppressed);
	} else {
		printf("%s %s %s 0x%03x+%u", ts, bdf,
		       name_of(ops, 2, nla_get_u32(tb[CFGGUARD_A_EVENT_OP])), off, size);
		if (tb[CFGGUARD_A_EVENT_VALUE])
			printf(" value=0x%0*x", size * 2, nla_get_u32(tb[CFGGUARD_A_EVENT_VALUE]));
		printf(" %s mode=%s table=%s pid=%u comm=%s seq=%" PRIu64,
		       name_of(results, 3, nla_get_u32(tb[CFGGUARD_A_EVENT_RESULT])),
		       mode_name(nla_get_u32(tb[CFGGUARD_A_EVENT_MODE])),
		       source_name(nla_get_u32(tb[CFGGUARD_A_EVENT_SOURCE])),
		       nla_get_u32(tb[CFGGUARD_A_EVENT_PID]),
		       nla_get_string(tb[CFGGUARD_A_EVENT_COMM]), seq);
		if (suppressed)
			printf(" suppressed=%" PRIu64, suppressed);
		printf("\n");
	}
}

/*
 * Receives whatever is queued, up to a batch of datagrams per system call
 * (libnl reads one per call, which cannot keep up with a flood); returns
 * -1 with errno EAGAIN when the queue is empty, ENOBUFS after an overrun.
 */
#define WATCH_BATCH 64
#define WATCH_DGRAM 8192

static int receive(int fd, int family)
{
	static char bufs[WATCH_BATCH][WATCH_DGRAM];
	static struct iovec iov[WATCH_BATCH];
	static struct mmsghdr msgs[WATCH_BATCH];
	int n;

	for (int i = 0; i < WATCH_BATCH; i++) {
		iov[i] = (struct iovec){ .iov_base = bufs[i], .iov_len = WATCH_DGRAM };
		msgs[i] = (struct mmsghdr){ .msg_hdr = { .msg_iov = &iov[i], .msg_iovlen = 1 } };
	}
	n = recvmmsg(fd, msgs, WATCH_BATCH, MSG_DONTWAIT, NULL);
	for (int i = 0; i < n; i++) {
		int len = msgs[i].msg_len;

		for (struct nlmsghdr *nlh = (struct nlmsghdr *)bufs[i];
		     nlmsg_ok(nlh, len); nlh = nlmsg_next(nlh, &len))
			if (nlh->nlmsg_type == family)
				on_event(nlmsg_data(nlh));
	}
	return n < 0 ? -1 : n;
}

enum learned { NONE, ALLOW, READ_ONLY };

static int print_learned(struct watched *dev)
{
	static const char *const words[] = { "", "allow", "read-only" };
	struct devcfg *cfg = calloc(1, sizeof(*cfg));
	bool cap[4096] = { false };
	unsigned int i, start;

	if (!cfg || devcfg_read(dev->bdf, cfg)) {
		fprintf(stderr, "Unable to read the config space of %s: %s\n",
			dev->bdf, strerror(errno));
		free(cfg);
		return -1;
	}
	for (i = 0; i < cfg->layout.nr_caps; i++)
		for (unsigned int b = 0; b < cfg->layout.caps[i].len; b++)
			cap[cfg->layout.caps[i].start + b] = true;
#define CLASS(i) (cap[i] || dev->written[i] ? ALLOW : dev->read[i] ? READ_ONLY : NONE)
	printf("# cfgguard table for %s, learned by %s watch --learn:\n"
	       "# the header and every capability, the bytes the watched run\n"
	       "# wrote (allow) and only read (read-only).\n", dev->bdf, prog_name);
	printf("size %u\ndefault deny\n", cfg->size);
	for (i = 0; i < cfg->size;) {
		enum learned class = CLASS(i);
		bool learned = false;

		if (class == NONE) {
			i++;
			continue;
		}
		for (start = i; i < cfg->size && CLASS(i) == class; i++)
			learned |= !cap[i];
		printf("0x%03x-0x%03x %s%s\n", start, i - 1, words[class],
		       learned ? "\t# learned" : "");
	}
#undef CLASS
	free(cfg);
	return 0;
}

int watch_main(int argc, const char *argv[])
{
	struct nl_sock *sk = NULL;
	struct sigaction sa = { .sa_handler = on_signal };
	struct ctl_key key;
	int family, group, ret = 1, size = 8 << 20;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			w.json = true;
		} else if (!strcmp(argv[i], "--learn")) {
			w.learn = true;
		} else if (!key_parse(argv[i], &key) && !key.model &&
			   w.nr_dev < WATCH_MAX_DEVICES) {
			snprintf(w.dev[w.nr_dev++].bdf, sizeof(w.dev[0].bdf), "%s", key.bdf);
		} else {
			fprintf(stderr, "Usage: %s %s [<BDF>...] [--json] [--learn]\n",
				prog_name, argv[0]);
			return 1;
		}
	}
	w.nr_filter = w.nr_dev;
	if (w.learn && w.nr_filter != 1) {
		fprintf(stderr, "--learn needs exactly one device address\n");
		return 1;
	}

	sk = nl_socket_alloc();
	if (!sk || genl_connect(sk)) {
		perror("Unable to open a netlink socket");
		goto out;
	}
	family = genl_ctrl_resolve(sk, CFGGUARD_FAMILY_NAME);
	group = genl_ctrl_resolve_grp(sk, CFGGUARD_FAMILY_NAME, CFGGUARD_MCGRP_EVENTS);
	if (family < 0 || group < 0) {
		fprintf(stderr, "Unable to watch: the cfgguard module is not loaded (modprobe cfgguard-vfio-pci)\n");
		goto out;
	}
	/* bursts: beyond rmem_max if we may (we are CAP_NET_ADMIN anyway) */
	if (setsockopt(nl_socket_get_fd(sk), SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)))
		nl_socket_set_buffer_size(sk, size, 0);
	ret = nl_socket_add_membership(sk, group);
	if (ret) {
		fprintf(stderr, "Unable to subscribe to cfgguard events: %s\n",
			ret == -NLE_PERM ? strerror(EPERM) : nl_geterror(ret));
		ret = 1;
		goto out;
	}
	ret = 1;

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	fprintf(stderr, "Watching cfgguard events\n");

	/*
	 * Drain the socket, then flush: a line waits only while another event
	 * is already queued behind it, and a burst costs one write, not one
	 * per line.
	 */
	while (!stop) {
		struct pollfd pfd = { .fd = nl_socket_get_fd(sk), .events = POLLIN };

		if (poll(&pfd, 1, 200) <= 0)
			continue;
		while (!stop && receive(pfd.fd, family) >= 0)
			;
		if (errno == ENOBUFS) {
			if (!w.learn)
				print_lost(NULL, 0);
		} else if (errno != EAGAIN && errno != EINTR) {
			fprintf(stderr, "Unable to receive events: %s\n", strerror(errno));
			goto out;
		}
		fflush(stdout);
		if (ferror(stdout))
			break;	/* a closed pipe: watch | head */
	}
	ret = w.learn ? -print_learned(&w.dev[0]) : 0;
out:
	nl_socket_free(sk);
	return ret;
}
