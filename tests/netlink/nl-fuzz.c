// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The cfgguard authors.
 *
 * nl-fuzz: throws random and mutated messages at the cfgguard generic
 * netlink family, interleaved with valid requests, and checks that no
 * message the kernel refused changed anything.
 *
 *   nl-fuzz run <seed> <count> <bdf> <accepted file>
 *     sends <count> messages; after each one, reads the whole state (every
 *     table, every bound device with its mode and counters); a change
 *     without an accepted policy command is a failure. Every accepted
 *     message that changed the state is appended to <accepted file>, raw,
 *     so that replaying them alone must rebuild the same state.
 *   nl-fuzz replay <accepted file>
 *     sends those messages again, in order; each must be accepted.
 *   nl-fuzz state
 *     prints a hash of the whole state, as run reads it: for tests that
 *     compare states often and cheaply.
 *   nl-fuzz walk-write <file> <string> <undo file> <undo string>
 *     fail_nth walk of one sysfs write (bind, unbind): for n = 1, 2, ...
 *     writes <undo string> to <undo file> (errors ignored: it puts the
 *     state back), reads the state, writes <string> to <file> with the
 *     n-th fault-injectable call failing, reads the state again; a write
 *     that failed must leave the state it found, one that succeeded the
 *     state a clean write leaves. Stops at the first n the write does not
 *     reach and prints "<n - 1> fault sites".
 *   nl-fuzz walk-nl <prepare> <request> [<prepare command>]
 *     the same walk for a request to the family: <prepare> is requests sent
 *     unarmed before each try (answers ignored), separated by ';', then
 *     <prepare command> run by the shell. A request is "cmd=<n>" and
 *     attribute words (tests/netlink/words.h). A request whose answer the
 *     kernel could not allocate may leave either state.
 *
 * Messages are written byte by byte on a raw socket, so that headers,
 * lengths and nesting can be wrong in every way libnl would not allow.
 * Prints one summary line; exits 1 with the seed and message index on a
 * failure.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <linux/cfgguard.h>

#include "../fault/fail-nth.h"
#include "words.h"

#define MSG_MAX		(64 * 1024)
#define STATE_MAX	(4 * 1024 * 1024)
/* What request() returns for a message the kernel did not answer. */
#define NO_ANSWER	(-1)

static int fd;
static uint16_t family;
static uint32_t seq = 1;
static uint64_t rng;
static bool walk_armed, walk_injected;

/* splitmix64: small, seedable, the same sequence everywhere */
static uint64_t rnd(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint32_t below(uint32_t n)
{
	return n ? rnd() % n : 0;
}

struct buf {
	unsigned char data[MSG_MAX];
	size_t len;
};

static struct nlattr *put(struct buf *b, uint16_t type, const void *data,
			  size_t len)
{
	struct nlattr *nla = (struct nlattr *)(b->data + b->len);
	size_t total = NLA_ALIGN(NLA_HDRLEN + len);

	if (b->len + total > sizeof(b->data))
		return NULL;
	nla->nla_type = type;
	nla->nla_len = NLA_HDRLEN + len;
	if (data)
		memcpy((char *)nla + NLA_HDRLEN, data, len);
	memset((char *)nla + NLA_HDRLEN + len, 0, total - NLA_HDRLEN - len);
	b->len += total;
	return nla;
}

static void put_u32(struct buf *b, uint16_t type, uint32_t v)
{
	put(b, type, &v, sizeof(v));
}

static void put_u16(struct buf *b, uint16_t type, uint16_t v)
{
	put(b, type, &v, sizeof(v));
}

static struct nlattr *nest_start(struct buf *b, uint16_t type)
{
	return put(b, type | NLA_F_NESTED, NULL, 0);
}

static void nest_end(struct buf *b, struct nlattr *nest)
{
	if (nest)
		nest->nla_len = b->data + b->len - (unsigned char *)nest;
}

static void header(struct buf *b, uint8_t cmd, uint16_t flags)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)b->data;
	struct genlmsghdr *g = (struct genlmsghdr *)(nlh + 1);

	memset(b->data, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	nlh->nlmsg_type = family;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	g->cmd = cmd;
	g->version = CFGGUARD_FAMILY_VERSION;
	b->len = NLMSG_HDRLEN + GENL_HDRLEN;
}

static void finish(struct buf *b)
{
	((struct nlmsghdr *)b->data)->nlmsg_len = b->len;
}

/* Values at and around every bound the policies and handlers check. */
static uint32_t edgy(void)
{
	static const uint32_t edges[] = {
		0, 1, 2, 3, 4, 63, 64, 255, 256, 257, 1023, 1024, 1025, 4092,
		4095, 4096, 4097, 0x7fffffff, 0x80000000, 0xfffffffe,
		0xffffffff, 0xffff, 0x10000,
	};

	return below(4) ? edges[below(sizeof(edges) / sizeof(edges[0]))] :
			  (uint32_t)rnd();
}

static void put_bdf(struct buf *b, const char *bdf)
{
	static const char *const odd[] = {
		"", "0000:00:10.0", "0000:00:10.7", "ffffffff:ff:1f.7",
		"100000000:00:00.0", "0000:00:20.0", "0000:00:10.8",
		"0000:0:10.0", "0000:00:10.0 ", "0000:00:10", "G000:00:00.0",
		"0000:00:10.0\n", "00000000000000000000",
	};
	char s[64];
	size_t len;

	switch (below(4)) {
	case 0:
		put(b, CFGGUARD_A_DEV_BDF, bdf, strlen(bdf) + 1);
		return;
	case 1:
		snprintf(s, sizeof(s), "%s", odd[below(sizeof(odd) / sizeof(odd[0]))]);
		put(b, CFGGUARD_A_DEV_BDF, s, strlen(s) + below(2));
		return;
	case 2:	/* not NUL-terminated */
		put(b, CFGGUARD_A_DEV_BDF, bdf, strlen(bdf));
		return;
	default:
		len = below(40);
		for (size_t i = 0; i < len; i++)
			s[i] = rnd();
		put(b, CFGGUARD_A_DEV_BDF, s, len);
	}
}

/* Ranges the policy accepts: apart, in order, masks on registers past
 * anything a device's capabilities claim. */
static void put_valid_ranges(struct buf *b)
{
	uint32_t cursor = below(64);

	for (unsigned int n = below(8); n; n--) {
		struct nlattr *nest;
		uint32_t len = 1 + below(32);

		if (cursor + len > 0x800)
			break;
		nest = nest_start(b, CFGGUARD_A_DEV_RANGE);
		put_u16(b, CFGGUARD_A_RANGE_START, cursor);
		put_u16(b, CFGGUARD_A_RANGE_LEN, len);
		put_u32(b, CFGGUARD_A_RANGE_ACTION, below(3));
		nest_end(b, nest);
		cursor += len + below(64);
	}
	if (!below(3)) {
		static const uint32_t sizes[] = { 1, 2, 4 };
		uint32_t len = sizes[below(3)];
		struct nlattr *nest = nest_start(b, CFGGUARD_A_DEV_RANGE);

		put_u16(b, CFGGUARD_A_RANGE_START, 0x800 + 4 * below(0x100));
		put_u16(b, CFGGUARD_A_RANGE_LEN, len);
		put_u32(b, CFGGUARD_A_RANGE_ACTION, CFGGUARD_ACTION_ALLOW);
		put_u32(b, CFGGUARD_A_RANGE_WMASK,
			(uint32_t)rnd() & (uint32_t)((1ULL << (8 * len)) - 1));
		nest_end(b, nest);
	}
}

/* A range as a hostile caller might write it: right or wrong in any way. */
static void put_range(struct buf *b, bool wellformed)
{
	struct nlattr *nest = nest_start(b, CFGGUARD_A_DEV_RANGE);

	if (wellformed) {
		put_u16(b, CFGGUARD_A_RANGE_START, below(4) ? below(4096) : edgy());
		put_u16(b, CFGGUARD_A_RANGE_LEN, below(4) ? 1 + below(64) : edgy());
		put_u32(b, CFGGUARD_A_RANGE_ACTION, below(4) ? below(3) : edgy());
		if (!below(3))
			put_u32(b, CFGGUARD_A_RANGE_WMASK, edgy());
	} else {
		for (unsigned int n = below(6); n; n--)
			put_u32(b, below(7), edgy());
	}
	nest_end(b, nest);
}

/* Anything: types in and past the family's, any length, any nesting. */
static void put_random_attrs(struct buf *b, unsigned int depth)
{
	unsigned char junk[512];

	for (unsigned int n = below(12); n; n--) {
		uint16_t type = below(16);

		if (!below(8))
			type |= NLA_F_NESTED;
		if (!below(16))
			type = (uint16_t)rnd();
		switch (below(6)) {
		case 0:
			put_u32(b, type, edgy());
			break;
		case 1:
			if (depth < 4) {
				struct nlattr *nest = nest_start(b, type | NLA_F_NESTED);

				put_random_attrs(b, depth + 1);
				nest_end(b, nest);
			}
			break;
		case 2: {
			uint64_t v = rnd();

			put(b, type, &v, sizeof(v));
			break;
		}
		default: {
			size_t len = below(4) ? below(20) : below(sizeof(junk));

			for (size_t i = 0; i < len; i++)
				junk[i] = rnd();
			put(b, type, junk, len);
		}
		}
	}
}

/* What cfgguard-ctl would send, with random but valid contents. */
static void valid_request(struct buf *b, const char *bdf)
{
	uint8_t cmd = 1 + below(CFGGUARD_CMD_STATS_RESET);
	/* a few keys only, so that sets, gets and deletes meet */
	uint32_t model = below(4);

	header(b, cmd, 0);
	switch (cmd) {
	case CFGGUARD_CMD_TABLE_SET:
		if (below(2)) {
			put(b, CFGGUARD_A_DEV_BDF, bdf, strlen(bdf) + 1);
		} else {
			put_u16(b, CFGGUARD_A_DEV_VENDOR, 0x8086);
			put_u16(b, CFGGUARD_A_DEV_DEVICE, 0x10d0 + model);
		}
		put_u32(b, CFGGUARD_A_DEV_DEFAULT_ACTION, below(3));
		put_valid_ranges(b);
		break;
	case CFGGUARD_CMD_TABLE_GET:
	case CFGGUARD_CMD_TABLE_DEL:
		if (below(2)) {
			put(b, CFGGUARD_A_DEV_BDF, bdf, strlen(bdf) + 1);
		} else {
			put_u16(b, CFGGUARD_A_DEV_VENDOR, 0x8086);
			put_u16(b, CFGGUARD_A_DEV_DEVICE, 0x10d0 + model);
		}
		break;
	case CFGGUARD_CMD_MODE_SET:
		put(b, CFGGUARD_A_DEV_BDF, bdf, strlen(bdf) + 1);
		put_u32(b, CFGGUARD_A_DEV_MODE, below(3));
		break;
	default:
		put(b, CFGGUARD_A_DEV_BDF, bdf, strlen(bdf) + 1);
	}
	finish(b);
}

static void fuzz_message(struct buf *b, const char *bdf)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;

	switch (below(5)) {
	case 0:	/* a valid request, mutated */
		valid_request(b, bdf);
		for (unsigned int n = 1 + below(4); n; n--)
			b->data[NLMSG_HDRLEN + below(b->len - NLMSG_HDRLEN)] = rnd();
		break;
	case 1:	/* the right shape, hostile values */
		header(b, below(CFGGUARD_CMD_MAX + 3), below(4) ? 0 : NLM_F_DUMP);
		if (below(2))
			put_bdf(b, bdf);
		if (below(2)) {
			put_u16(b, CFGGUARD_A_DEV_VENDOR, edgy());
			put_u16(b, CFGGUARD_A_DEV_DEVICE, edgy());
		} else if (!below(4)) {	/* the wrong width */
			put_u32(b, CFGGUARD_A_DEV_VENDOR, edgy());
			put_u32(b, CFGGUARD_A_DEV_DEVICE, edgy());
		}
		if (below(2))
			put_u32(b, CFGGUARD_A_DEV_DEFAULT_ACTION, edgy());
		if (below(3))
			put_u32(b, CFGGUARD_A_DEV_MODE, edgy());
		if (below(2))
			put_u16(b, CFGGUARD_A_DEV_CFG_SIZE, edgy());
		for (unsigned int n = below(10); n; n--)
			put_range(b, below(2));
		break;
	case 2: {	/* extreme counts: up to the whole message of ranges */
		unsigned int n = below(2) ? CFGGUARD_MAX_RANGES + below(3) - 1 :
					    below(3000);

		header(b, below(2) ? CFGGUARD_CMD_TABLE_SET : below(CFGGUARD_CMD_MAX + 3), 0);
		put_u16(b, CFGGUARD_A_DEV_VENDOR, 0x8086);
		put_u16(b, CFGGUARD_A_DEV_DEVICE, 0x10d0 + below(4));
		put_u32(b, CFGGUARD_A_DEV_DEFAULT_ACTION, below(3));
		while (n-- && b->len < sizeof(b->data) - 64)
			put_range(b, !below(64) ? false : true);
		break;
	}
	default:	/* anything at all after the header */
		header(b, below(CFGGUARD_CMD_MAX + 3), below(4) ? 0 : NLM_F_DUMP);
		put_random_attrs(b, 0);
	}
	finish(b);

	nlh = (struct nlmsghdr *)b->data;
	g = (struct genlmsghdr *)(nlh + 1);
	if (!below(16))
		g->version = rnd();
	if (!below(32))
		g->reserved = rnd();
	if (!below(32))
		nlh->nlmsg_flags |= rnd() & ~NLM_F_ACK;
	if (!below(64)) {
		/* a length that lies, either way */
		nlh->nlmsg_len = below(2) ? below(b->len + 1) :
					    b->len + 1 + below(64);
	}
	if (!below(64))
		b->len = below(b->len + 1);	/* cut short on the wire */
}

static void die(const char *what)
{
	perror(what);
	exit(2);
}

/* Returns 0, or the errno with which the kernel refused it on the spot. */
static int send_raw(const void *data, size_t len)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };

	if (sendto(fd, data, len, 0, (struct sockaddr *)&kernel,
		   sizeof(kernel)) >= 0)
		return 0;
	if (errno == EBADF || errno == EFAULT || errno == ENOTSOCK)
		die("sendto");
	return errno;
}

/*
 * Sends a message, then a NOOP with an ack as a fence: netlink answers in
 * order, so when the fence's ack is in, every answer to the message is,
 * but for the rest of a dump, which the kernel produces only as we read:
 * a dump that has sent data is read on to its NLMSG_DONE.
 * Returns the message's error (0 accepted), or NO_ANSWER.
 * With a dump, out (room bytes) gets the replies' payloads.
 */
static int exchange(const void *data, size_t len, uint32_t msg_seq,
		    unsigned char *out, size_t room, size_t *out_len)
{
	static unsigned char rx[256 * 1024];
	struct {
		struct nlmsghdr nlh;
	} fence = {
		.nlh = {
			.nlmsg_len = NLMSG_HDRLEN, .nlmsg_type = NLMSG_NOOP,
			.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK,
			.nlmsg_seq = msg_seq + 1,
		},
	};
	bool fenced = false, dumping = false;
	int result = NO_ANSWER;

	if (out_len)
		*out_len = 0;
	/* a walk arms fail_nth for the message's send alone, not the fence's */
	if (walk_armed)
		fail_nth_arm();
	result = send_raw(data, len) ?: NO_ANSWER;
	if (walk_armed)
		walk_injected = fail_nth_report();
	if (send_raw(&fence, sizeof(fence)))
		die("sendto");
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (poll(&p, 1, 60000) != 1) {
			fprintf(stderr, "nl-fuzz: no answer within 60 s\n");
			exit(2);
		}
		n = recv(fd, rx, sizeof(rx), 0);
		if (n < 0) {
			if (errno == ENOBUFS)
				continue;
			die("recv");
		}
		for (struct nlmsghdr *nlh = (struct nlmsghdr *)rx; NLMSG_OK(nlh, n);
		     nlh = NLMSG_NEXT(nlh, n)) {
			if (nlh->nlmsg_seq == msg_seq + 1 &&
			    nlh->nlmsg_type == NLMSG_ERROR)
				fenced = true;
			if (nlh->nlmsg_seq != msg_seq)
				continue;
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				dumping = false;
				struct nlmsgerr *e = NLMSG_DATA(nlh);

				/* a dump's closing ack does not undo its error */
				if (result == NO_ANSWER || result == 0)
					result = -e->error;
			} else if (nlh->nlmsg_type == NLMSG_DONE) {
				int err = 0;

				/* a dump that failed part way says so here */
				if (nlh->nlmsg_len >= NLMSG_HDRLEN + sizeof(err))
					memcpy(&err, NLMSG_DATA(nlh), sizeof(err));
				if (result == NO_ANSWER || result == 0)
					result = -err;
				dumping = false;
			} else if (!out) {
				/* a do's reply is one message; a dump's are multi */
				dumping = nlh->nlmsg_flags & NLM_F_MULTI;
			} else if (nlh->nlmsg_len > NLMSG_HDRLEN) {
				size_t plen = nlh->nlmsg_len - NLMSG_HDRLEN;

				dumping = nlh->nlmsg_flags & NLM_F_MULTI;
				if (*out_len + plen > room) {
					fprintf(stderr, "nl-fuzz: state too large\n");
					exit(2);
				}
				memcpy(out + *out_len, NLMSG_DATA(nlh), plen);
				*out_len += plen;
			}
		}
		if (fenced && !dumping)
			return result;
	}
}

static int request(struct buf *b)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)b->data;
	uint32_t s = seq;

	seq += 2;
	if (b->len >= sizeof(*nlh))
		nlh->nlmsg_seq = s;
	return exchange(b->data, b->len, s, NULL, 0, NULL);
}

struct state {
	size_t len;
	unsigned char data[STATE_MAX];
};

static bool same_state(const struct state *a, const struct state *b)
{
	return a->len == b->len && !memcmp(a->data, b->data, a->len);
}

/* Every table and every bound device, as the kernel dumps them. */
static void read_state(struct state *state)
{
	size_t len, total = 0;
	struct buf b;

	for (uint8_t cmd = CFGGUARD_CMD_TABLE_GET; cmd <= CFGGUARD_CMD_DEV_GET;
	     cmd += CFGGUARD_CMD_DEV_GET - CFGGUARD_CMD_TABLE_GET) {
		uint32_t s = seq;
		int ret;

		seq += 2;
		header(&b, cmd, NLM_F_DUMP);
		finish(&b);
		((struct nlmsghdr *)b.data)->nlmsg_seq = s;
		ret = exchange(b.data, b.len, s, state->data + total,
			       sizeof(state->data) - total, &len);
		if (ret) {
			fprintf(stderr, "nl-fuzz: reading the state failed: %s\n",
				strerror(ret));
			exit(2);
		}
		total += len;
	}
	state->len = total;
}

static bool changes_policy(const struct buf *b)
{
	const struct genlmsghdr *g;

	if (b->len < NLMSG_HDRLEN + GENL_HDRLEN)
		return false;
	g = (const struct genlmsghdr *)(b->data + NLMSG_HDRLEN);
	return g->cmd == CFGGUARD_CMD_TABLE_SET ||
	       g->cmd == CFGGUARD_CMD_TABLE_DEL ||
	       g->cmd == CFGGUARD_CMD_MODE_SET ||
	       g->cmd == CFGGUARD_CMD_STATS_RESET;
}

static void dump_message(const struct buf *b)
{
	fprintf(stderr, "message (%zu bytes):", b->len);
	for (size_t i = 0; i < b->len && i < 512; i++)
		fprintf(stderr, "%s%02x", i % 32 ? " " : "\n  ", b->data[i]);
	fprintf(stderr, "%s\n", b->len > 512 ? " ..." : "");
}

static int run(uint64_t seed, unsigned long count, const char *bdf,
	       const char *accepted_path)
{
	unsigned long valid = 0, accepted = 0, changed = 0, silent = 0;
	static struct state before, after;
	static struct buf b;
	FILE *accepted_file;

	accepted_file = fopen(accepted_path, "wb");
	if (!accepted_file)
		die(accepted_path);
	rng = seed;
	read_state(&before);
	for (unsigned long i = 0; i < count; i++) {
		bool is_valid = !below(8);
		int ret;

		if (is_valid)
			valid_request(&b, bdf);
		else
			fuzz_message(&b, bdf);
		valid += is_valid;
		ret = request(&b);
		if (is_valid && ret > 0 && ret != ENOENT) {
			fprintf(stderr, "nl-fuzz: seed %llu, message %lu: a valid request failed: %s\n",
				(unsigned long long)seed, i, strerror(ret));
			dump_message(&b);
			return 1;
		}
		accepted += ret == 0;
		silent += ret == NO_ANSWER;
		read_state(&after);
		if (same_state(&before, &after))
			continue;
		if (ret != 0 || !changes_policy(&b)) {
			fprintf(stderr, "nl-fuzz: seed %llu, message %lu: the state changed, but the message was %s\n",
				(unsigned long long)seed, i,
				ret ? "refused" : "not a policy change");
			dump_message(&b);
			return 1;
		}
		changed++;
		if (fwrite(&b.len, sizeof(b.len), 1, accepted_file) != 1 ||
		    fwrite(b.data, b.len, 1, accepted_file) != 1)
			die(accepted_path);
		before = after;
	}
	if (fclose(accepted_file))
		die(accepted_path);
	printf("seed %llu: %lu messages, %lu of them valid requests; %lu accepted, %lu unanswered, %lu changed the state\n",
	       (unsigned long long)seed, count, valid, accepted, silent, changed);
	return 0;
}

static int replay(const char *path)
{
	static struct buf b;
	unsigned long n = 0;
	FILE *f = fopen(path, "rb");

	if (!f)
		die(path);
	while (fread(&b.len, sizeof(b.len), 1, f) == 1) {
		int ret;

		if (b.len > sizeof(b.data) || fread(b.data, b.len, 1, f) != 1) {
			fprintf(stderr, "nl-fuzz: %s is truncated\n", path);
			return 2;
		}
		/* a reloaded module may have got another family id */
		if (b.len >= NLMSG_HDRLEN)
			((struct nlmsghdr *)b.data)->nlmsg_type = family;
		ret = request(&b);
		if (ret) {
			fprintf(stderr, "nl-fuzz: replayed message %lu was %s\n",
				n, ret == NO_ANSWER ? "not answered" : strerror(ret));
			dump_message(&b);
			return 1;
		}
		n++;
	}
	fclose(f);
	printf("replayed %lu messages\n", n);
	return 0;
}

/*
 * A fail_nth walk: for n = 1, 2, ... puts the state back (prepare), reads
 * it, runs the operation with the n-th fault-injectable call of its one
 * system call failing, and reads the state again. An operation that
 * failed must leave the state it found; one that succeeded, the state a
 * clean run leaves; one whose answer the kernel could not allocate, either.
 * Ends at the first n the operation does not reach: "<n - 1> fault sites".
 */
struct walk {
	const char *name;
	void (*prepare)(const struct walk *w);
	/* 0, an errno, or NO_ANSWER; *injected: the armed fault was hit */
	int (*attempt)(const struct walk *w, bool armed, bool *injected);
	const char *arg[4];
};

static const char *outcome(int ret)
{
	return ret == NO_ANSWER ? "no answer" : strerror(ret);
}

static int walk(const struct walk *w)
{
	static struct state clean, before, after;
	bool injected;
	int ret;

	setenv("FAIL_NTH", "1", 0);
	setenv("FAIL_NTH_QUIET", "1", 1);
	fail_nth_prepare();
	w->prepare(w);
	ret = w->attempt(w, false, &injected);
	if (ret) {
		fprintf(stderr, "nl-fuzz: %s: the clean run failed: %s\n",
			w->name, outcome(ret));
		return 1;
	}
	read_state(&clean);
	for (unsigned int n = 1; n < 100000; n++) {
		bool same_as_clean, same_as_before;
		char nth[16];

		w->prepare(w);
		read_state(&before);
		snprintf(nth, sizeof(nth), "%u", n);
		setenv("FAIL_NTH", nth, 1);
		ret = w->attempt(w, true, &injected);
		read_state(&after);
		same_as_clean = same_state(&after, &clean);
		same_as_before = same_state(&after, &before);
		if (!injected) {
			if (ret || !same_as_clean) {
				fprintf(stderr, "nl-fuzz: %s: no fault at %u, yet %s\n",
					w->name, n, ret ? outcome(ret) :
					"the state is not a clean run's");
				return 1;
			}
			printf("%u fault sites\n", n - 1);
			return 0;
		}
		if (ret == 0 && !same_as_clean) {
			fprintf(stderr, "nl-fuzz: %s: fault %u: it succeeded, but the state is not a clean run's\n",
				w->name, n);
			return 1;
		}
		if (ret == NO_ANSWER && !same_as_clean && !same_as_before) {
			fprintf(stderr, "nl-fuzz: %s: fault %u: no answer, and the state is neither before nor after\n",
				w->name, n);
			return 1;
		}
		if (ret > 0 && !same_as_before) {
			fprintf(stderr, "nl-fuzz: %s: fault %u: it failed (%s), but the state changed\n",
				w->name, n, strerror(ret));
			return 1;
		}
	}
	fprintf(stderr, "nl-fuzz: %s: no end to the fault sites\n", w->name);
	return 1;
}

/* Returns 0 or write's errno; *injected as for a walk's attempt. */
static int write_file(const char *path, const char *value, bool armed,
		      bool *injected)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	int err;

	if (fd < 0)
		die(path);
	if (armed)
		fail_nth_arm();
	err = write(fd, value, strlen(value)) < 0 ? errno : 0;
	*injected = armed && fail_nth_report();
	close(fd);
	return err;
}

/* arg: the file, the string, the undo file, the undo string */
static void undo_write(const struct walk *w)
{
	bool injected;

	write_file(w->arg[2], w->arg[3], false, &injected);
}

static int try_write(const struct walk *w, bool armed, bool *injected)
{
	return write_file(w->arg[0], w->arg[1], armed, injected);
}

static void buf_put(void *b, uint16_t type, const void *data, size_t len)
{
	put(b, type, data, len);
}

static void *buf_nest_start(void *b, uint16_t type)
{
	return nest_start(b, type);
}

static void buf_nest_end(void *b, void *nest)
{
	nest_end(b, nest);
}

/* "cmd=<n>" and then words.h's words. */
static void build_request(struct buf *b, const char *spec)
{
	const struct attr_writer writer = {
		.ctx = b, .put = buf_put,
		.nest_start = buf_nest_start, .nest_end = buf_nest_end,
	};
	char *copy = strdup(spec), *save = NULL, *word;
	unsigned int cmd;

	word = strtok_r(copy, " ", &save);
	if (!word || sscanf(word, "cmd=%i", &cmd) != 1)
		goto bad;
	header(b, cmd, 0);
	while ((word = strtok_r(NULL, " ", &save)))
		if (put_word(&writer, word))
			goto bad;
	finish(b);
	free(copy);
	return;
bad:
	fprintf(stderr, "nl-fuzz: bad request: %s\n", spec);
	exit(2);
}

/*
 * arg: the requests that set the state up, separated by ';' (sent unarmed,
 * answers ignored), the request under test, and a shell command run
 * after them (or NULL).
 */
static void prepare_requests(const struct walk *w)
{
	char *copy = strdup(w->arg[0]), *save = NULL, *spec;
	static struct buf b;

	for (spec = strtok_r(copy, ";", &save); spec; spec = strtok_r(NULL, ";", &save)) {
		build_request(&b, spec);
		request(&b);
	}
	free(copy);
	if (w->arg[2] && system(w->arg[2])) {
		fprintf(stderr, "nl-fuzz: %s: `%s' failed\n", w->name, w->arg[2]);
		exit(2);
	}
}

static int try_request(const struct walk *w, bool armed, bool *injected)
{
	static struct buf b;
	int ret;

	build_request(&b, w->arg[1]);
	walk_armed = armed;
	walk_injected = false;
	ret = request(&b);
	walk_armed = false;
	*injected = walk_injected;
	return ret;
}

static int print_state(void)
{
	static struct state state;
	uint64_t hash = 0xcbf29ce484222325ULL;	/* FNV-1a */

	read_state(&state);
	for (size_t i = 0; i < state.len; i++)
		hash = (hash ^ state.data[i]) * 0x100000001b3ULL;
	printf("%016llx %zu\n", (unsigned long long)hash, state.len);
	return 0;
}

int main(int argc, char *argv[])
{
	struct sockaddr_nl local = { .nl_family = AF_NETLINK };
	int rcvbuf = 4 * 1024 * 1024, one = 1;
	struct nl_sock *sk;
	int id;

	if (!(argc == 6 && !strcmp(argv[1], "run")) &&
	    !(argc == 3 && !strcmp(argv[1], "replay")) &&
	    !(argc == 2 && !strcmp(argv[1], "state")) &&
	    !(argc == 6 && !strcmp(argv[1], "walk-write")) &&
	    !((argc == 4 || argc == 5) && !strcmp(argv[1], "walk-nl"))) {
		fprintf(stderr, "Usage: nl-fuzz run <seed> <count> <bdf> <accepted file>\n"
				"       nl-fuzz replay <accepted file>\n"
				"       nl-fuzz state\n"
				"       nl-fuzz walk-nl <prepare> <request> [<prepare command>]\n"
				"       nl-fuzz walk-write <file> <string> <undo file> <undo string>\n");
		return 2;
	}

	sk = nl_socket_alloc();
	if (!sk || genl_connect(sk))
		die("genl_connect");
	id = genl_ctrl_resolve(sk, CFGGUARD_FAMILY_NAME);
	if (id < 0) {
		fprintf(stderr, "nl-fuzz: no cfgguard family\n");
		return 2;
	}
	family = id;
	nl_socket_free(sk);

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0 || bind(fd, (struct sockaddr *)&local, sizeof(local)))
		die("netlink socket");
	setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf));
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));

	if (!strcmp(argv[1], "replay"))
		return replay(argv[2]);
	if (!strcmp(argv[1], "state"))
		return print_state();
	if (!strcmp(argv[1], "walk-nl")) {
		const struct walk w = {
			.name = argv[3], .prepare = prepare_requests,
			.attempt = try_request,
			.arg = { argv[2], argv[3], argc == 5 ? argv[4] : NULL },
		};

		return walk(&w);
	}
	if (!strcmp(argv[1], "walk-write")) {
		const struct walk w = {
			.name = argv[2], .prepare = undo_write, .attempt = try_write,
			.arg = { argv[2], argv[3], argv[4], argv[5] },
		};

		return walk(&w);
	}
	return run(strtoull(argv[2], NULL, 0), strtoul(argv[3], NULL, 0),
		   argv[4], argv[5]);
}
