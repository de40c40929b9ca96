// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The cfgguard authors.
 *
 * watch: streams the guard's events, one line each (event.c parses and
 * formats them). Uses a socket of its own with a large receive buffer and
 * NETLINK_BROADCAST_ERROR, so that when the kernel still overruns it the
 * kernel counts the events lost and the next event's suppressed covers
 * them; watch says so (ENOBUFS) and carries on. A gap in a device's
 * sequence numbers that its suppressed count does not explain is a loss
 * too, and gets a line of its own.
 *
 * --journal sends each event to the systemd journal as an entry of its
 * own, with a field per attribute (event.c), rather than a line to stdout.
 *
 * --learn turns what it sees into a table: the device's header and
 * capabilities (as gen-table writes them) allowed, the bytes the events
 * wrote allowed, the bytes they only read read-only, everything else
 * denied. Run it with the gen-table table loaded in audit mode, so that
 * every access outside the capabilities is reported. It prints no table
 * unless every access the device reported meanwhile arrived (learn.c).
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
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>
#include <linux/cfgguard.h>

#include "devmap.h"
#include "event.h"
#include "ipc.h"
#include "learn.h"
#include "subcommands.h"

static struct {
	bool json;
	bool learn;
	int journal;		/* the journal's socket, or -1 */
	bool journal_failed;
	bool filtered;		/* addresses were given: only those */
	bool said_malformed;
	struct event_registry devs;
} w;

static struct learn l;

#define JOURNAL_SOCKET "/run/systemd/journal/socket"

/* One datagram an entry, as sd_journal_send() does for entries this small. */
static int journal_connect(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX, .sun_path = JOURNAL_SOCKET };
	int fd, size = 8 << 20;

	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		fprintf(stderr, "Unable to connect to the journal at %s: %s\n",
			JOURNAL_SOCKET, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	/* a burst queues here rather than blocking watch at once */
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof(size)))
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
	return fd;
}

/*
 * Blocks while journald is behind: the events then wait in the netlink
 * socket, and if that overruns the kernel counts them lost. A failure
 * ends watch (its unit restarts it), since what follows would be lost
 * uncounted. A stop waits for the entry in hand.
 */
static void journal_send(const char *entry, size_t len)
{
	if (w.journal_failed)
		return;
	while (send(w.journal, entry, len, 0) < 0) {
		if (errno == EINTR)
			continue;
		fprintf(stderr, "Unable to write to the journal: %s\n",
			strerror(errno));
		w.journal_failed = true;
		return;
	}
}

static void put_lost(const char *ts, const char *bdf, uint64_t count)
{
	char entry[EVENT_JOURNAL_MAX];

	if (w.journal >= 0)
		journal_send(entry, event_journal_lost(entry, bdf, count));
	else
		event_print_lost(stdout, w.json, ts, bdf, count);
}

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
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
	char ts[EVENT_TS_SIZE];

	now_rfc3339(ts, sizeof(ts));
	put_lost(ts, bdf, count);
	fflush(stdout);
}

static void on_message(const struct nlmsghdr *nlh, size_t len, const char *ts)
{
	struct event_dev *dev;
	struct ctl_event ev;
	uint64_t lost = 0;
	int ret;

	ret = event_parse(nlh, len, &ev);
	if (ret == -ENOMSG)
		return;
	if (ret) {
		/* a module newer or older than this tool; once is enough */
		if (!w.said_malformed)
			fprintf(stderr, "Ignoring malformed events: %s\n",
				strerror(-ret));
		w.said_malformed = true;
		return;
	}
	dev = registry_find(&w.devs, ev.bdf);
	if (!dev && w.filtered)
		return;
	if (!dev)
		dev = registry_add(&w.devs, ev.bdf);
	/* out of memory: shown all the same, only not accounted */
	if (dev)
		lost = event_account(dev, &ev);
	if (w.learn) {
		learn_event(&l, &ev);
		return;
	}
	if (lost)
		put_lost(ts, ev.bdf, lost);
	if (w.journal >= 0) {
		char entry[EVENT_JOURNAL_MAX];

		journal_send(entry, event_journal(entry, &ev));
	} else if (w.json) {
		event_print_json(stdout, &ev, ts);
	} else {
		event_print_human(stdout, &ev, ts);
	}
}

/*
 * Receives whatever is queued, up to a batch of datagrams per system call
 * (libnl reads one per call, which cannot keep up with a flood), each
 * holding as many events as the kernel batched; all of them were received
 * at the same time, so they share one receive time. Returns
 * how many, 0 when the queue is empty, or -errno: -ENOBUFS after an
 * overrun.
 */
#define WATCH_BATCH 64
#define WATCH_DGRAM 8192

static int receive(int fd, int family)
{
	static char bufs[WATCH_BATCH][WATCH_DGRAM];
	static struct iovec iov[WATCH_BATCH];
	static struct mmsghdr msgs[WATCH_BATCH];
	char ts[EVENT_TS_SIZE];
	int n;

	for (int i = 0; i < WATCH_BATCH; i++) {
		iov[i] = (struct iovec){ .iov_base = bufs[i], .iov_len = WATCH_DGRAM };
		msgs[i] = (struct mmsghdr){ .msg_hdr = { .msg_iov = &iov[i], .msg_iovlen = 1 } };
	}
	n = recvmmsg(fd, msgs, WATCH_BATCH, MSG_DONTWAIT, NULL);
	if (n < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : -errno;
	now_rfc3339(ts, sizeof(ts));
	for (int i = 0; i < n; i++) {
		int len = msgs[i].msg_len;

		for (struct nlmsghdr *nlh = (struct nlmsghdr *)bufs[i];
		     nlmsg_ok(nlh, len); nlh = nlmsg_next(nlh, &len))
			if (nlh->nlmsg_type == family)
				on_message(nlh, len, ts);
	}
	return n;
}

static double now_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * Receives until the queue is empty, or on a stop; or, for --learn's last
 * round, until the device's events reach seq1 (a flood of other devices'
 * would keep the queue from ever emptying), for 2 s at most. 0, or -1
 * after saying why.
 */
static int drain(int fd, int family, bool last)
{
	double deadline = now_mono() + 2;

	for (;;) {
		int n;

		if (last ? learn_drained(&l) || now_mono() > deadline : stop)
			return 0;
		n = receive(fd, family);
		if (!n)
			return 0;
		if (n > 0)
			continue;
		if (n != -ENOBUFS) {
			fprintf(stderr, "Unable to receive events: %s\n", strerror(-n));
			return -1;
		}
		if (w.learn)
			l.overrun = true;	/* learn_complete() says so */
		else
			print_lost(NULL, 0);
	}
}

enum learned { NONE, ALLOW, READ_ONLY };

static int print_learned(void)
{
	static const char *const words[] = { "", "allow", "read-only" };
	struct devmap *m = calloc(1, sizeof(*m));
	unsigned int i, start;

	/* the bytes the guard lets through whatever the table: gen-table's */
	if (!m || devmap_get(l.bdf, m)) {
		free(m);
		return -1;
	}
#define CAP(i) (m->bytes[i] != CFGGUARD_MAP_RAW)
#define CLASS(i) (CAP(i) || l.written[i] ? ALLOW : l.read[i] ? READ_ONLY : NONE)
	printf("# cfgguard table for %s, learned by %s watch --learn:\n"
	       "# the header and every capability, the bytes the watched run\n"
	       "# wrote (allow) and only read (read-only).\n", l.bdf, prog_name);
	printf("size %u\ndefault deny\n", m->size);
	for (i = 0; i < m->size;) {
		enum learned class = CLASS(i);
		bool learned = false;

		if (class == NONE) {
			i++;
			continue;
		}
		for (start = i; i < m->size && CLASS(i) == class; i++)
			learned |= !CAP(i);
		printf("0x%03x-0x%03x %s%s\n", start, i - 1, words[class],
		       learned ? "\t# learned" : "");
	}
#undef CLASS
#undef CAP
	free(m);
	return 0;
}

/* The device's event-seq and counters, now; 0, or -1 after saying why. */
static int learn_read(const char *bdf, uint64_t *seq, uint64_t *stats,
		      uint32_t *mode, bool at_stop)
{
	struct ctl_dev *dev = malloc(sizeof(*dev));
	struct ipc_error e;
	char what[80];
	int ret = -1;

	if (!dev) {
		perror("watch --learn");
		return -1;
	}
	if (!ipc_dev_get(bdf, dev, &e)) {
		*seq = dev->event_seq;
		memcpy(stats, dev->stats, sizeof(dev->stats));
		*mode = dev->mode;
		ret = 0;
	} else if (e.err == ENODEV && !at_stop) {
		fprintf(stderr, "watch --learn: %s is not bound to cfgguard-vfio-pci\n",
			bdf);
	} else if (e.err == ENODEV) {
		fprintf(stderr, "watch --learn: %s was unbound during the run; the table could be incomplete. Run again.\n",
			bdf);
	} else {
		snprintf(what, sizeof(what), "watch --learn: unable to read the state of %s",
			 bdf);
		ipc_perror(what, &e);
	}
	free(dev);
	return ret;
}

/* Subscribed first: every access after seq0 reaches us or is counted. */
static int learn_begin(void)
{
	const char *bdf = w.devs.devs[0]->bdf;
	uint64_t seq0, stats0[CTL_NR_STATS];
	uint32_t mode;

	if (learn_read(bdf, &seq0, stats0, &mode, false))
		return -1;
	learn_start(&l, bdf, seq0, stats0);
	if (mode == CFGGUARD_MODE_OFF)
		fprintf(stderr, "watch --learn: warning: %s is in off mode, which reports nothing\n",
			bdf);
	else if (mode != CFGGUARD_MODE_AUDIT)
		fprintf(stderr, "watch --learn: warning: %s is in %s mode: the accesses its table allows are not reported\n",
			bdf, mode_name(mode));
	return 0;
}

/*
 * Once dev-get has answered, everything up to seq1 is queued on our
 * socket or was counted suppressed or lost: one last drain finds it.
 */
static int learn_end(int fd, int family)
{
	uint64_t seq1, stats1[CTL_NR_STATS];
	uint32_t mode;

	if (learn_read(l.bdf, &seq1, stats1, &mode, true))
		return 1;
	learn_stop(&l, seq1, stats1);
	if (drain(fd, family, true) || !learn_complete(&l, stderr))
		return 1;
	return print_learned() ? 1 : 0;
}

int watch_main(int argc, const char *argv[])
{
	struct sigaction sa = { .sa_handler = on_signal };
	int family, group, fd, ret = 1, one = 1, size = 8 << 20;
	struct nl_sock *sk = NULL;
	struct ctl_key key;
	bool journal = false;

	w.journal = -1;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			w.json = true;
		} else if (!strcmp(argv[i], "--journal")) {
			journal = true;
		} else if (!strcmp(argv[i], "--learn")) {
			w.learn = true;
		} else if (!key_parse(argv[i], &key) && !key.model) {
			if (!registry_add(&w.devs, key.bdf)) {
				perror("Unable to watch");
				goto out;
			}
		} else {
			fprintf(stderr, "Usage: %s %s [<BDF>...] [--json|--journal] [--learn]\n",
				prog_name, argv[0]);
			goto out;
		}
	}
	w.filtered = w.devs.nr;
	if (w.learn && w.devs.nr != 1) {
		fprintf(stderr, "--learn needs exactly one device address\n");
		goto out;
	}
	if (journal && (w.json || w.learn)) {
		fprintf(stderr, "--journal cannot be combined with --%s\n",
			w.json ? "json" : "learn");
		goto out;
	}
	if (journal) {
		w.journal = journal_connect();
		if (w.journal < 0)
			goto out;
	}

	sk = nl_socket_alloc();
	if (!sk || genl_connect(sk)) {
		perror("Unable to open a netlink socket");
		goto out;
	}
	fd = nl_socket_get_fd(sk);
	family = genl_ctrl_resolve(sk, CFGGUARD_FAMILY_NAME);
	group = genl_ctrl_resolve_grp(sk, CFGGUARD_FAMILY_NAME, CFGGUARD_MCGRP_EVENTS);
	if (family < 0 || group < 0) {
		ipc_perror_no_family("Unable to watch");
		goto out;
	}
	/* bursts: beyond rmem_max if we may (we are CAP_NET_ADMIN anyway) */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)))
		nl_socket_set_buffer_size(sk, size, 0);
	/* before the first event: none may overrun us uncounted */
	if (setsockopt(fd, SOL_NETLINK, NETLINK_BROADCAST_ERROR, &one, sizeof(one))) {
		perror("Unable to set NETLINK_BROADCAST_ERROR");
		goto out;
	}
	ret = nl_socket_add_membership(sk, group);
	if (ret) {
		fprintf(stderr, "Unable to subscribe to cfgguard events: %s\n",
			ret == -NLE_PERM ? strerror(EPERM) : nl_geterror(ret));
		ret = 1;
		goto out;
	}
	ret = 1;
	if (w.learn && learn_begin())
		goto out;

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	/* one write per drain below, even to a terminal, not one per line */
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	fprintf(stderr, "Watching cfgguard events\n");

	/*
	 * Drain the socket, then flush: a line waits only while another event
	 * is already queued behind it, and a burst costs one write, not one
	 * per line. errno is read only right after the call that failed: a
	 * stop between calls leaves a stale one.
	 */
	while (!stop) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		int n = poll(&pfd, 1, 200);

		if (n < 0 && errno != EINTR) {
			perror("Unable to wait for events");
			goto out;
		}
		if (n <= 0)
			continue;
		if (drain(fd, family, false) || w.journal_failed)
			goto out;
		fflush(stdout);
		if (ferror(stdout))
			break;	/* a closed pipe: watch | head */
	}
	ret = w.learn ? learn_end(fd, family) : 0;
out:
	if (w.journal >= 0)
		close(w.journal);
	nl_socket_free(sk);
	registry_free(&w.devs);
	return ret;
}
