// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The cfgguard authors.
 *
 * cfgdiff: a randomized differential test of cfgguard-vfio-pci.
 *
 *   cfgdiff [--seed N] [--first-round N] [--rounds N] [--accesses N]
 *           [--swap-every N] [--repro FILE] [--no-shrink]
 *           <guarded BDF> <twin BDF>
 *   cfgdiff --replay FILE <guarded BDF> <twin BDF>
 *
 * <guarded> is bound to cfgguard-vfio-pci, <twin> is a device of the same
 * model bound to stock vfio-pci. Random config accesses (any offset, 1 to 4
 * bytes, unaligned, and runs up to the whole space; reads, and writes of
 * random values) go to <guarded> through VFIO, as QEMU makes them, under
 * random tables (ranges, actions, write masks, default action; keyed by
 * address or by model, or none: the default table), modes and module
 * parameters, all switched during the run. Each access is checked against
 * a reference model of cfgguard-table(5) written here, independently of
 * module/, and against <twin>, which gets the same access for the bytes
 * the model says reach the device:
 *  - a read returns zeros in blocked bytes and the twin's bytes elsewhere:
 *    vfio-pci's virtualisation applies to both alike. Where the two devices
 *    differ by identity (BARs, interrupt line, serial number: found at
 *    start) the guarded device's own bytes stand in for the twin's;
 *  - after a write, the device's bytes around it, read from the host side
 *    (sysfs config, which bypasses VFIO), are as the model says: the new
 *    value where the write reaches the device, merged under a write mask,
 *    the old one where it is blocked;
 *  - at each table, mode or parameter change, and at the end of a round,
 *    the counters are the model's counts of allowed, blocked, masked and
 *    audited reads and writes, events + suppressed + lost + unwatched is
 *    the number of reported accesses, and the whole config space of both
 *    devices, read from the host side, is as the model says; so are the
 *    mode and which table decides;
 *  - a table the module must refuse (a mask on the header, a table for
 *    another config size) is refused with EINVAL and changes nothing, and
 *    a counter reset hands back the model's counts.
 * The model takes one thing from the module: vfio-pci's config map, as
 * dev-get reports it, which says which bytes belong to no capability (the
 * default table's, and the only ones a mask may cover).
 *
 * Writes that reach the device. A write the guard lets through (allowed,
 * masked, or any write in audit and off mode) is confined to "storage"
 * bytes: bytes vfio-pci passes raw by its own config map, so outside the
 * header and every capability, that keep any value the host writes to
 * them, on both devices (probed at start). The generator redraws any write
 * the model says would reach another byte. So no write reaches:
 *  - the header (0x00-0x3f): the command register's memory, I/O and bus
 *    master enables and INTx disable, the BARs and ROM BAR, the interrupt
 *    line; vfio-pci virtualises most of it and writes the command register
 *    through;
 *  - any capability in vfio-pci's map: power management control (D3 would
 *    leave the device unusable), the MSI and MSI-X enables, masks and
 *    vectors, PCIe device control (initiate FLR resets the device and its
 *    config space), AER's masks and severities, the serial number;
 *  - raw bytes QEMU's e1000e implements as registers though vfio-pci sizes
 *    their capability shorter (the tail of its version 1 PCIe capability,
 *    0xec-0xf3, and of AER, 0x12c-0x147): read-only there, so not storage
 *    whose value the model could predict.
 * Writes the model says are blocked go anywhere, the registers above
 * included: the guard must drop them, and the host-side checks would see
 * it if it did not.
 *
 * Reproducing. The seed is printed first; round r of a run depends on the
 * seed and r alone (--seed S --first-round r --rounds 1 runs it again). A
 * failure prints the seed, the round and the access,
 * what the model expected and what the device did, then shrinks the
 * accesses since the last change of state (a table, the mode, a parameter)
 * to a minimal sequence that still fails, replaying candidates from the
 * same device state, and writes it (state, storage bytes, accesses) to
 * the --repro file, which --replay runs again.
 *
 * Exit: 0 pass, 1 the guarded device disagrees with the model, 2 usage,
 * 3 the test could not run as designed (the twin or the host disagreed).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ipc.h"
#include "table.h"
#include "vfio-dev.h"

#define CFG_MAX		TABLE_CFG_SPACE_MAX
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define EXIT_MISMATCH	1
#define EXIT_USAGE	2
#define EXIT_ENV	3

#define PARAMS		"/sys/module/cfgguard_vfio_pci/parameters/"

enum { KEY_DEVICE, KEY_MODEL, NR_KEYS };
static const char *const key_names[NR_KEYS] = { "device", "model" };

/* ---- the run's randomness: a function of the seed and the round alone */

static uint64_t rng;

static uint64_t rnd64(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned int rnd(unsigned int n)
{
	return n ? rnd64() % n : 0;
}

static unsigned int rnd_in(unsigned int lo, unsigned int hi)
{
	return lo + rnd(hi - lo + 1);
}

static bool chance(unsigned int percent)
{
	return rnd(100) < percent;
}

/* ---- the devices */

struct side {
	const char *bdf;
	struct vfio_dev vfio;
	int host_fd;			/* sysfs config: bypasses VFIO */
	uint8_t host0[CFG_MAX];		/* as the host saw it after opening */
};

static struct side guarded, twin;
static unsigned int cfg_size;
static struct ctl_key keys[NR_KEYS];

static uint64_t seed;
static unsigned int round_nr, first_round;

static void __attribute__((noreturn, format(printf, 1, 2)))
env_fail(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "cfgdiff: ENVIRONMENT (not a verdict on the guard): ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\ncfgdiff: seed %" PRIu64 " round %u\n", seed, round_nr);
	exit(EXIT_ENV);
}

/* A config access through VFIO: 0, or -1 with errno for a short one too. */
static int vfio_rw(struct side *s, bool write, unsigned int off,
		   uint8_t *buf, unsigned int len)
{
	ssize_t ret;

	ret = write ? pwrite(s->vfio.fd, buf, len, s->vfio.cfg_offset + off) :
		      pread(s->vfio.fd, buf, len, s->vfio.cfg_offset + off);
	if (ret == (ssize_t)len)
		return 0;
	if (ret >= 0)
		errno = EIO;
	return -1;
}

static void host_rw(struct side *s, bool write, unsigned int off,
		    uint8_t *buf, unsigned int len)
{
	ssize_t ret;

	ret = write ? pwrite(s->host_fd, buf, len, off) :
		      pread(s->host_fd, buf, len, off);
	if (ret != (ssize_t)len)
		env_fail("host %s of %u bytes at 0x%x of %s returned %zd: %s",
			 write ? "write" : "read", len, off, s->bdf, ret,
			 ret < 0 ? strerror(errno) : "short");
}

/* ---- the model: cfgguard-table(5), read independently of module/ */

/* A table compiled a byte at a time. */
struct policy {
	uint8_t action[CFG_MAX];	/* enum table_action */
	bool masked[CFG_MAX];
	uint8_t wmask[CFG_MAX];
};

/* What the module should hold: tables by key, mode, parameters. */
struct gstate {
	bool has[NR_KEYS];
	struct table tab[NR_KEYS];
	uint32_t mode;
	bool block_read, block_write;	/* the default table's parameters */
};

static struct {
	struct gstate st;
	struct policy pol[NR_KEYS];
	bool raw[CFG_MAX];	/* vfio-pci passes it raw: no header, no capability */
	bool storage[CFG_MAX];	/* raw and keeps what is written: writes may reach */
	bool ident[CFG_MAX];	/* the twins differ here by identity */
	uint8_t own[CFG_MAX];	/* the guarded device's bytes there */
	uint8_t shadow[CFG_MAX];	/* storage as both devices should hold it */
	uint64_t count[CTL_NR_STATS];	/* the counters as they should read */
} m;

/* What the random resets took of the reporting counters, over the run. */
static uint64_t reported_taken[CTL_NR_STATS];

/*
 * Every reported access is sent, suppressed, lost or unwatched: checked on
 * what each reset takes, since a reset zeroes all of them together.
 */
static bool reporting_adds_up(const uint64_t *stats)
{
	uint64_t reported = stats[CTL_STAT(READ_BLOCKED)] + stats[CTL_STAT(READ_AUDITED)] +
			    stats[CTL_STAT(WRITE_BLOCKED)] + stats[CTL_STAT(WRITE_MASKED)] +
			    stats[CTL_STAT(WRITE_AUDITED)];
	uint64_t accounted = stats[CTL_STAT(EVENTS)] + stats[CTL_STAT(SUPPRESSED)] +
			     stats[CTL_STAT(LOST)] + stats[CTL_STAT(UNWATCHED)];

	return reported == accounted;
}

/* What the deciding table does to one byte, whatever the mode. */
struct rule {
	bool read_block;
	bool write_block;
	bool masked;
	uint8_t wmask;
};

static void policy_compile(struct policy *p, const struct table *t)
{
	memset(p->action, t->default_action, sizeof(p->action));
	memset(p->masked, 0, sizeof(p->masked));
	memset(p->wmask, 0, sizeof(p->wmask));
	for (unsigned int i = 0; i < t->nr_ranges; i++) {
		const struct table_range *r = &t->ranges[i];

		for (unsigned int b = 0; b < r->len; b++) {
			p->action[r->start + b] = r->action;
			p->masked[r->start + b] = r->has_wmask;
			p->wmask[r->start + b] = r->wmask >> (8 * b);
		}
	}
}

/* An address table beats a model table beats the default table. */
static int m_key(void)
{
	if (m.st.has[KEY_DEVICE])
		return KEY_DEVICE;
	if (m.st.has[KEY_MODEL])
		return KEY_MODEL;
	return -1;
}

static struct rule m_rule(unsigned int b)
{
	struct rule r = { 0 };
	int key = m_key();

	if (key < 0) {
		/* the default table: bytes of no capability, per parameter */
		r.read_block = m.raw[b] && m.st.block_read;
		r.write_block = m.raw[b] && m.st.block_write;
		return r;
	}
	r.read_block = m.pol[key].action[b] == TABLE_DENY;
	r.write_block = m.pol[key].action[b] != TABLE_ALLOW;
	r.masked = m.pol[key].masked[b];
	r.wmask = m.pol[key].wmask[b];
	return r;
}

/* Reads of denied bytes return zeros in enforce mode only. */
static bool m_read_blocked(unsigned int b)
{
	return m.st.mode == CFGGUARD_MODE_ENFORCE && m_rule(b).read_block;
}

/* Whether a write reaches byte @b, and what the byte then holds. */
static bool m_write_byte(unsigned int b, uint8_t val, uint8_t *out)
{
	struct rule r;

	if (m.st.mode != CFGGUARD_MODE_ENFORCE) {
		*out = val;
		return true;
	}
	r = m_rule(b);
	if (r.write_block)
		return false;
	*out = r.masked ? (m.shadow[b] & ~r.wmask) | (val & r.wmask) : val;
	return true;
}

/*
 * The counter an access lands in: blocked if the table blocks any of its
 * bytes, else masked if it masks any, else allowed; audit mode counts the
 * first two as audited, off mode counts all as allowed.
 */
static int m_counter(bool write, unsigned int off, unsigned int len)
{
	bool blocked = false, masked = false;

	for (unsigned int b = off; b < off + len; b++) {
		struct rule r = m_rule(b);

		blocked |= write ? r.write_block : r.read_block;
		masked |= write && r.masked;
	}
	if (m.st.mode == CFGGUARD_MODE_OFF || (!blocked && !masked))
		return write ? CTL_STAT(WRITE_ALLOWED) : CTL_STAT(READ_ALLOWED);
	if (m.st.mode == CFGGUARD_MODE_AUDIT)
		return write ? CTL_STAT(WRITE_AUDITED) : CTL_STAT(READ_AUDITED);
	if (blocked)
		return write ? CTL_STAT(WRITE_BLOCKED) : CTL_STAT(READ_BLOCKED);
	return CTL_STAT(WRITE_MASKED);
}

/* Why the model says what it says of a byte, for messages. */
static const char *m_explain(unsigned int b)
{
	static char buf[160];
	struct rule r = m_rule(b);
	int key = m_key();
	int n;

	if (key < 0)
		n = snprintf(buf, sizeof(buf), "default table, %s byte (block_unassigned_read=%d write=%d)",
			     m.raw[b] ? "unassigned" : "header/capability",
			     m.st.block_read, m.st.block_write);
	else
		n = snprintf(buf, sizeof(buf), "%s table: %s",
			     key_names[key],
			     table_action_name(m.pol[key].action[b]));
	if (r.masked)
		n += snprintf(buf + n, sizeof(buf) - n, " wmask byte 0x%02x", r.wmask);
	snprintf(buf + n, sizeof(buf) - n, ", mode %s%s%s", mode_name(m.st.mode),
		 m.storage[b] ? ", storage" : "", m.ident[b] ? ", identity" : "");
	return buf;
}

/* ---- accesses, and the log since the last change of state */

struct acc {
	bool write;
	uint16_t off;
	uint16_t len;
	uint32_t data;		/* a write's bytes: offset into the arena */
};

static struct {
	struct gstate st;
	uint8_t shadow[CFG_MAX];	/* storage at its start */
	unsigned long first;		/* round index of its first access */
	struct acc *acc;
	size_t n, cap;
	uint8_t *arena;
	size_t used, arena_cap;
} win;

static struct {
	unsigned long reads, writes, long_accesses, blocked, masked, audited;
	unsigned long register_writes;	/* over bytes that are not storage */
	unsigned long tables, refused, deletes, modes, params, resets, checks;
	unsigned long by_mode[CFGGUARD_MODE_OFF + 1];
} tally;

static char why[16384];
static size_t why_len;

static void __attribute__((format(printf, 1, 2))) whyf(const char *fmt, ...)
{
	va_list ap;
	int n;

	if (why_len >= sizeof(why) - 1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(why + why_len, sizeof(why) - why_len, fmt, ap);
	va_end(ap);
	if (n > 0)
		why_len += n;
	if (why_len > sizeof(why) - 1)
		why_len = sizeof(why) - 1;
}

static void acc_name(const struct acc *a, char *buf, size_t len)
{
	snprintf(buf, len, "%c%u @0x%03x", a->write ? 'w' : 'r', a->len, a->off);
}

static void hexdump(const char *what, const uint8_t *p, unsigned int len)
{
	whyf("  %s:", what);
	for (unsigned int i = 0; i < len && i < 64; i++)
		whyf("%s%02x", i % 16 ? " " : "\n    ", p[i]);
	whyf("%s\n", len > 64 ? " ..." : "");
}

/* Byte by byte, where @got and @exp differ, with the model's reason. */
static int explain_diff(const char *what, const uint8_t *got,
			const uint8_t *exp, unsigned int off, unsigned int len)
{
	unsigned int shown = 0;

	for (unsigned int i = 0; i < len; i++) {
		if (got[i] == exp[i])
			continue;
		if (shown++ < 16)
			whyf("  %s byte 0x%03x: got 0x%02x, model 0x%02x (%s)\n",
			     what, off + i, got[i], exp[i], m_explain(off + i));
	}
	if (shown > 16)
		whyf("  ... %u bytes differ in all\n", shown);
	return shown ? 1 : 0;
}

/*
 * The device's bytes [lo, hi) from the host side, against the model:
 * storage as the model holds it, every other byte as at the start, as no
 * write may reach it. On a difference, @title and the bytes go to why[].
 */
static int host_check(struct side *s, unsigned int lo, unsigned int hi,
		      const char *title)
{
	uint8_t got[CFG_MAX], exp[CFG_MAX];

	host_rw(s, false, lo, got, hi - lo);
	for (unsigned int b = lo; b < hi; b++)
		exp[b - lo] = m.storage[b] ? m.shadow[b] : s->host0[b];
	if (!memcmp(got, exp, hi - lo))
		return 0;
	whyf("%s\n", title);
	explain_diff("host", got, exp, lo, hi - lo);
	if (s == &twin)
		env_fail("the twin on stock vfio-pci disagrees with the model:\n%s", why);
	return 1;
}

/*
 * One access of the guarded device, and the twin's share of it, checked
 * against the model: 0, or 1 with why[] saying how they disagree.
 */
static int run_access(const struct acc *a, const uint8_t *data)
{
	uint8_t got[CFG_MAX], tw[CFG_MAX], exp[CFG_MAX], nv[CFG_MAX];
	bool reach[CFG_MAX], any = false;
	unsigned int off = a->off, len = a->len, lo, hi;
	int counter = m_counter(a->write, off, len);
	char name[32], title[128];

	acc_name(a, name, sizeof(name));
	m.count[counter]++;
	tally.by_mode[m.st.mode]++;
	tally.blocked += counter == CTL_STAT(READ_BLOCKED) ||
			 counter == CTL_STAT(WRITE_BLOCKED);
	tally.masked += counter == CTL_STAT(WRITE_MASKED);
	tally.audited += counter == CTL_STAT(READ_AUDITED) ||
			 counter == CTL_STAT(WRITE_AUDITED);
	tally.long_accesses += len > 4;

	if (!a->write) {
		tally.reads++;
		/* a byte the read leaves alone shows, whatever the stack held */
		memset(got, 0xa5, len);
		if (vfio_rw(&guarded, false, off, got, len)) {
			whyf("%s: the read failed: %s; a guarded access never fails\n",
			     name, strerror(errno));
			return 1;
		}
		for (unsigned int b = off; b < off + len; b++)
			any |= !m_read_blocked(b);
		if (any && vfio_rw(&twin, false, off, tw, len))
			env_fail("%s of the twin failed: %s", name, strerror(errno));
		for (unsigned int b = off; b < off + len; b++) {
			unsigned int i = b - off;

			if (m_read_blocked(b)) {
				exp[i] = 0;
				continue;
			}
			if (m.storage[b] && tw[i] != m.shadow[b])
				env_fail("%s: the twin on stock vfio-pci reads 0x%02x at 0x%03x, the model holds 0x%02x",
					 name, tw[i], b, m.shadow[b]);
			exp[i] = m.ident[b] ? m.own[b] : tw[i];
		}
		if (!memcmp(got, exp, len))
			return 0;
		whyf("%s: the guarded device's read differs from the model's\n", name);
		explain_diff("read", got, exp, off, len);
		hexdump("got", got, len);
		hexdump("model", exp, len);
		return 1;
	}

	tally.writes++;
	for (unsigned int b = off; b < off + len; b++) {
		if (!m.storage[b]) {
			tally.register_writes++;
			break;
		}
	}
	for (unsigned int b = off; b < off + len; b++) {
		reach[b - off] = m_write_byte(b, data[b - off], &nv[b - off]);
		if (reach[b - off] && !m.storage[b])
			env_fail("%s reaches 0x%03x, which is not storage: the generator or the reproducer is wrong",
				 name, b);
	}
	memcpy(got, data, len);
	if (vfio_rw(&guarded, true, off, got, len)) {
		whyf("%s: the write failed: %s; a guarded access never fails\n",
		     name, strerror(errno));
		return 1;
	}
	/* the twin gets what reaches the device, merged where masked */
	for (unsigned int i = 0, run; i < len; i += run) {
		for (run = 1; i + run < len && reach[i + run] == reach[i]; run++)
			;
		if (reach[i] && vfio_rw(&twin, true, off + i, nv + i, run))
			env_fail("%s: a write of %u bytes at 0x%x to the twin failed: %s",
				 name, run, off + i, strerror(errno));
		for (unsigned int j = i; reach[i] && j < i + run; j++)
			m.shadow[off + j] = nv[j];
	}
	/* a dword either side: a piece must not spill over */
	lo = off >= 4 ? (off & ~3u) - 4 : 0;
	hi = ((off + len + 3) & ~3u) + 4;
	if (hi > cfg_size)
		hi = cfg_size;
	snprintf(title, sizeof(title),
		 "%s: the device's bytes, read from the host side, differ from the model's",
		 name);
	if (!host_check(&guarded, lo, hi, title))
		return 0;
	hexdump("written", data, len);
	return 1;
}

/* The counters against the model's counts. */
static int check_counters(const char *when)
{
	static const uint32_t sources[] = {
		CFGGUARD_SOURCE_DEFAULT, CFGGUARD_SOURCE_DEVICE, CFGGUARD_SOURCE_MODEL,
	};
	static const int reported[] = {
		CTL_STAT(READ_BLOCKED), CTL_STAT(READ_AUDITED),
		CTL_STAT(WRITE_BLOCKED), CTL_STAT(WRITE_MASKED),
		CTL_STAT(WRITE_AUDITED),
	};
	uint64_t nr_reported = 0, fates;
	struct ipc_error e;
	struct ctl_dev dev;
	int bad = 0;

	if (ipc_dev_get(guarded.bdf, &dev, &e)) {
		ipc_perror("dev-get", &e);
		env_fail("cannot read the counters of %s", guarded.bdf);
	}
	for (int i = CTL_STAT(READ_ALLOWED); i <= CTL_STAT(WRITE_AUDITED); i++) {
		if (dev.stats[i] == m.count[i])
			continue;
		whyf("%s: counter %s is %" PRIu64 ", the model counted %" PRIu64 "\n",
		     when, stats_names[i], dev.stats[i], m.count[i]);
		bad = 1;
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(reported); i++)
		nr_reported += dev.stats[reported[i]];
	fates = dev.stats[CTL_STAT(EVENTS)] + dev.stats[CTL_STAT(SUPPRESSED)] +
		dev.stats[CTL_STAT(LOST)] + dev.stats[CTL_STAT(UNWATCHED)];
	if (fates != nr_reported) {
		whyf("%s: events %" PRIu64 " + suppressed %" PRIu64 " + lost %" PRIu64
		     " + unwatched %" PRIu64 " = %" PRIu64 ", but %" PRIu64 " accesses were reported\n",
		     when, dev.stats[CTL_STAT(EVENTS)], dev.stats[CTL_STAT(SUPPRESSED)],
		     dev.stats[CTL_STAT(LOST)], dev.stats[CTL_STAT(UNWATCHED)],
		     fates, nr_reported);
		bad = 1;
	}
	if (dev.mode != m.st.mode) {
		whyf("%s: the device's mode is %s, the model's %s\n", when,
		     mode_name(dev.mode), mode_name(m.st.mode));
		bad = 1;
	}
	if (dev.source != sources[m_key() + 1]) {
		whyf("%s: the device follows the %s table, the model the %s one\n",
		     when, source_name(dev.source), source_name(sources[m_key() + 1]));
		bad = 1;
	}
	return bad;
}

/* The counters, and the whole space of both devices from the host side. */
static int check_all(const char *when)
{
	int bad = check_counters(when);
	char title[128];

	tally.checks++;
	snprintf(title, sizeof(title),
		 "%s: the device's bytes, read from the host side, differ from the model's",
		 when);
	host_check(&twin, 0, cfg_size, title);
	return host_check(&guarded, 0, cfg_size, title) || bad;
}

/* ---- the module's state */

static void param_set(const char *name, bool val)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), PARAMS "%s", name);
	f = fopen(path, "w");
	if (!f || fprintf(f, "%d\n", val) < 0 || fclose(f))
		env_fail("cannot set %s: %s", path, strerror(errno));
}

static bool param_get(const char *name)
{
	char path[128], buf[8] = "";
	FILE *f;

	snprintf(path, sizeof(path), PARAMS "%s", name);
	f = fopen(path, "r");
	if (!f || !fgets(buf, sizeof(buf), f))
		env_fail("cannot read %s: %s", path, strerror(errno));
	fclose(f);
	return buf[0] == 'Y' || buf[0] == '1';
}

/* A table change the module must accept (@want_err 0) or refuse. */
static int table_op(int key, const struct table *t, int want_err)
{
	struct ipc_error e;
	int err;

	err = (t ? ipc_table_set(&keys[key], t, &e) :
		   ipc_table_del(&keys[key], &e)) ? e.err : 0;
	if (err == want_err)
		return 0;
	whyf("%s of the %s table: the module %s%s%s%s, the model expected %s\n",
	     t ? "load" : "delete", key_names[key],
	     err ? "refused it: " : "accepted it", err ? strerror(err) : "",
	     err && e.msg[0] ? ": " : "", err ? e.msg : "",
	     want_err ? strerror(want_err) : "success");
	if (t) {
		FILE *f = fmemopen(why + why_len, sizeof(why) - why_len - 1, "w");

		if (f) {
			table_print(f, t);
			why_len += ftell(f);
			fclose(f);
		}
	}
	return 1;
}

static void mode_set(uint32_t mode)
{
	struct ipc_error e;

	if (ipc_mode_set(guarded.bdf, mode, &e)) {
		ipc_perror("mode", &e);
		env_fail("cannot set the mode of %s", guarded.bdf);
	}
	m.st.mode = mode;
}

/* Puts the model in @st, and nothing else. */
static void model_set(const struct gstate *st)
{
	if (&m.st != st)
		m.st = *st;
	for (int key = 0; key < NR_KEYS; key++)
		if (st->has[key])
			policy_compile(&m.pol[key], &st->tab[key]);
}

/* Puts the module in @st, and the model with it. */
static void state_apply(const struct gstate *st)
{
	struct ipc_error e;

	for (int key = 0; key < NR_KEYS; key++) {
		if (st->has[key]) {
			if (table_op(key, &st->tab[key], 0))
				env_fail("cannot restore the %s table: %s",
					 key_names[key], why);
		} else if (ipc_table_del(&keys[key], &e) && e.err != ENOENT) {
			env_fail("cannot delete the %s table: %s", key_names[key],
				 strerror(e.err));
		}
	}
	param_set("block_unassigned_read", st->block_read);
	param_set("block_unassigned_write", st->block_write);
	mode_set(st->mode);
	model_set(st);
}

/* Writes @vals into the storage bytes of both devices from the host side. */
static void storage_put(const uint8_t *vals)
{
	for (unsigned int b = 0, run; b < cfg_size; b += run) {
		for (run = 1; b + run < cfg_size && m.storage[b + run] == m.storage[b]; run++)
			;
		if (!m.storage[b])
			continue;
		host_rw(&guarded, true, b, (uint8_t *)vals + b, run);
		host_rw(&twin, true, b, (uint8_t *)vals + b, run);
	}
	memcpy(m.shadow, vals, cfg_size);
}

/* ---- random tables, changes and accesses */

static uint16_t points[CFG_MAX];	/* where the deciding table changes */
static unsigned int nr_points;
static uint16_t masks[CFG_MAX];		/* its masked registers */
static unsigned int nr_masks;
static uint16_t runs[CFG_MAX][2];	/* storage runs: start, length */
static unsigned int nr_runs;

static void find_points(void)
{
	int key = m_key();

	nr_points = 0;
	nr_masks = 0;
	for (unsigned int i = 0; key >= 0 && i < m.st.tab[key].nr_ranges; i++)
		if (m.st.tab[key].ranges[i].has_wmask)
			masks[nr_masks++] = m.st.tab[key].ranges[i].start;
	for (unsigned int b = 1; b < cfg_size; b++) {
		struct rule a = m_rule(b - 1), r = m_rule(b);

		if (a.read_block != r.read_block || a.write_block != r.write_block ||
		    a.masked != r.masked || m.raw[b] != m.raw[b - 1] ||
		    m.storage[b] != m.storage[b - 1] || (r.masked && !(b % 4)))
			points[nr_points++] = b;
	}
}

static uint32_t gen_wmask(unsigned int len)
{
	uint32_t all = len == 4 ? 0xffffffffu : (1u << (8 * len)) - 1;

	switch (rnd(5)) {
	case 0:
		return 0;
	case 1:
		return all;
	case 2:
		return (0xfu << (4 * rnd(2 * len))) & all;
	default:
		return (uint32_t)rnd64() & all;
	}
}

static int range_cmp(const void *a, const void *b)
{
	const struct table_range *ra = a, *rb = b;

	return (int)ra->start - (int)rb->start;
}

/* Adds [start, start + len) unless it overlaps a range in @used. */
static bool add_range(struct table *t, bool *used, unsigned int start,
		      unsigned int len, enum table_action action)
{
	struct table_range *r;
	bool raw = true;

	if (!len || start + len > cfg_size || t->nr_ranges == TABLE_MAX_RANGES)
		return false;
	for (unsigned int b = start; b < start + len; b++) {
		if (used[b])
			return false;
		raw &= m.raw[b];
	}
	memset(used + start, 1, len);
	r = &t->ranges[t->nr_ranges++];
	memset(r, 0, sizeof(*r));
	r->start = start;
	r->len = len;
	r->action = action;
	/* the kernel takes masks on one register of raw bytes only */
	if (action == TABLE_ALLOW && raw && (len == 1 || len == 2 || len == 4) &&
	    chance(60)) {
		r->has_wmask = true;
		r->wmask = gen_wmask(len);
	}
	return true;
}

static unsigned int gen_range_len(bool small)
{
	unsigned int r = rnd(100);

	if (small || r < 45)
		return 1u << rnd(3);
	if (r < 75)
		return rnd_in(1, 16);
	if (r < 95)
		return rnd_in(1, 256);
	return rnd_in(1, 2048);
}

/* A valid table: ranges anywhere, dense in a window, gen-table-like, or many. */
static void gen_table(struct table *t)
{
	static bool used[CFG_MAX];
	unsigned int kind = rnd(100), n, lo, hi;

	memset(used, 0, sizeof(used));
	t->default_action = rnd(3);
	t->cfg_size = chance(50) ? cfg_size : 0;
	t->nr_ranges = 0;
	if (kind < 15) {
		/* the header and capabilities allowed, as gen-table writes */
		for (unsigned int b = 0, run; b < cfg_size; b += run) {
			for (run = 1; b + run < cfg_size && m.raw[b + run] == m.raw[b]; run++)
				;
			if (!m.raw[b])
				add_range(t, used, b, run, chance(80) ? TABLE_ALLOW : rnd(3));
		}
		if (chance(70))
			t->default_action = TABLE_DENY;
		for (n = rnd(12); n; n--)
			add_range(t, used, rnd(cfg_size), gen_range_len(chance(70)), rnd(3));
	} else if (kind < 50) {
		for (n = rnd(100) < 20 ? 0 : rnd_in(1, 40); n; n--)
			add_range(t, used, rnd(cfg_size), gen_range_len(false), rnd(3));
	} else if (kind < 95) {
		/* adjacent small ranges, so accesses straddle their edges */
		hi = rnd_in(16, 512);
		lo = rnd(cfg_size - hi);
		hi += lo;
		for (n = rnd_in(1, 64); n; n--) {
			unsigned int len = gen_range_len(chance(70));

			add_range(t, used, rnd_in(lo, hi - 1), len, rnd(3));
		}
	} else {
		/* up to the limit of 1024 ranges, tiled */
		lo = rnd(cfg_size / 2);
		for (unsigned int b = lo; b < cfg_size && t->nr_ranges < TABLE_MAX_RANGES;
		     b += rnd(3))
			if (add_range(t, used, b, 1u << rnd(3), rnd(3)))
				b += t->ranges[t->nr_ranges - 1].len;
	}
	qsort(t->ranges, t->nr_ranges, sizeof(t->ranges[0]), range_cmp);
}

/*
 * A table the module must refuse with EINVAL: one written for the other
 * config size, or with a mask on the header, which vfio-pci virtualises.
 * Only ever for the address key: a model table is checked only against
 * the devices it decides.
 */
static void gen_bad_table(struct table *t)
{
	static bool used[CFG_MAX];
	bool other_size = cfg_size > 256 && chance(30);
	unsigned int len = 1u << rnd(3), n;

	memset(used, 0, sizeof(used));
	t->default_action = rnd(3);
	t->cfg_size = other_size ? 256 : cfg_size;
	t->nr_ranges = 0;
	if (!other_size) {
		add_range(t, used, rnd(0x40 / len) * len, len, TABLE_ALLOW);
		t->ranges[0].has_wmask = true;
		t->ranges[0].wmask = gen_wmask(len);
	}
	for (n = rnd(8); n; n--)
		add_range(t, used, rnd_in(0x40, (other_size ? 256 : cfg_size) - 1),
			  gen_range_len(true), rnd(3));
	qsort(t->ranges, t->nr_ranges, sizeof(t->ranges[0]), range_cmp);
}

static uint32_t gen_mode(void)
{
	unsigned int r = rnd(100);

	return r < 55 ? CFGGUARD_MODE_ENFORCE : r < 80 ? CFGGUARD_MODE_AUDIT :
							 CFGGUARD_MODE_OFF;
}

/* One random change of state: 0, or 1 if the module disagreed. */
static int random_change(void)
{
	static struct table t;
	unsigned int r = rnd(100);
	int key = chance(80) ? KEY_DEVICE : KEY_MODEL;

	if (r < 50) {
		gen_table(&t);
		tally.tables++;
		if (table_op(key, &t, 0))
			return 1;
		m.st.has[key] = true;
		m.st.tab[key] = t;
		policy_compile(&m.pol[key], &t);
	} else if (r < 62) {
		tally.deletes++;
		if (table_op(key, NULL, m.st.has[key] ? 0 : ENOENT))
			return 1;
		m.st.has[key] = false;
	} else if (r < 85) {
		tally.modes++;
		mode_set(gen_mode());
	} else if (r < 88) {
		/* the reset hands back what it took: every access once */
		struct ctl_dev taken;
		struct ipc_error e;

		tally.resets++;
		if (ipc_stats_reset(guarded.bdf, &taken, &e)) {
			ipc_perror("stats reset", &e);
			env_fail("cannot reset the counters of %s", guarded.bdf);
		}
		for (int i = CTL_STAT(READ_ALLOWED); i <= CTL_STAT(WRITE_AUDITED); i++) {
			if (taken.stats[i] == m.count[i])
				continue;
			whyf("stats reset: it took %s %" PRIu64 ", the model counted %" PRIu64 "\n",
			     stats_names[i], taken.stats[i], m.count[i]);
			return 1;
		}
		if (!reporting_adds_up(taken.stats)) {
			whyf("stats reset: events %" PRIu64 " + suppressed %" PRIu64
			     " + lost %" PRIu64 " + unwatched %" PRIu64
			     " is not the reported accesses it took\n",
			     taken.stats[CTL_STAT(EVENTS)], taken.stats[CTL_STAT(SUPPRESSED)],
			     taken.stats[CTL_STAT(LOST)], taken.stats[CTL_STAT(UNWATCHED)]);
			return 1;
		}
		for (int i = CTL_STAT(SUPPRESSED); i <= CTL_STAT(UNWATCHED); i++)
			reported_taken[i] += taken.stats[i];
		memset(m.count, 0, sizeof(m.count));
	} else if (r < 93) {
		tally.params++;
		m.st.block_read = chance(40);
		m.st.block_write = chance(80);
		param_set("block_unassigned_read", m.st.block_read);
		param_set("block_unassigned_write", m.st.block_write);
	} else {
		/* refused, and nothing changes */
		gen_bad_table(&t);
		tally.refused++;
		if (table_op(KEY_DEVICE, &t, EINVAL))
			return 1;
	}
	return 0;
}

static unsigned int gen_len(void)
{
	unsigned int r = rnd(1000);

	/* long ones cost the most under TCG: a few percent */
	if (r < 850)
		return rnd_in(1, 4);
	if (r < 980)
		return rnd_in(5, 64);
	if (r < 998)
		return rnd_in(65, 1024);
	return chance(30) ? cfg_size : rnd_in(1025, cfg_size);
}

static unsigned int gen_off(unsigned int len)
{
	unsigned int r = rnd(100), off;

	if (len == cfg_size)
		return 0;
	if (r < 15 && nr_masks) {
		/* on a masked register, with its neighbours */
		off = masks[rnd(nr_masks)];
		off = off >= len ? off - rnd(len < 4 ? len : 4) : 0;
	} else if (r < 40 || !nr_points) {
		off = rnd(cfg_size - len + 1);
	} else {
		/* across or at an edge of the deciding table */
		off = points[rnd(nr_points)];
		off = off >= len ? off - rnd(len + 1) : 0;
		if (r >= 85 && len <= 4)
			off &= ~(len == 3 ? 0u : len - 1);
	}
	return off + len > cfg_size ? cfg_size - len : off;
}

/* Whether every byte the write would reach is storage. */
static bool write_confined(unsigned int off, unsigned int len)
{
	uint8_t v;

	for (unsigned int b = off; b < off + len; b++)
		if (!m.storage[b] && m_write_byte(b, 0, &v))
			return false;
	return true;
}

static void gen_access(struct acc *a, uint8_t *data)
{
	unsigned int len, off, tries;

	a->write = chance(50);
	for (tries = 0; tries < 24; tries++) {
		len = gen_len();
		off = gen_off(len);
		if (!a->write || write_confined(off, len))
			break;
	}
	if (tries == 24) {
		/* inside one storage run, which any table lets be written */
		unsigned int i = rnd(nr_runs);

		len = rnd_in(1, runs[i][1] < 8 ? runs[i][1] : 8);
		off = runs[i][0] + rnd(runs[i][1] - len + 1);
	}
	a->off = off;
	a->len = len;
	if (!a->write)
		return;
	switch (rnd(6)) {
	case 0:
		memset(data, 0, len);
		break;
	case 1:
		memset(data, 0xff, len);
		break;
	default:
		for (unsigned int i = 0; i < len; i++)
			data[i] = rnd64();
	}
}

/* ---- the window since the last change of state */

static void window_start(unsigned long first)
{
	win.st = m.st;
	memcpy(win.shadow, m.shadow, sizeof(win.shadow));
	win.first = first;
	win.n = 0;
	win.used = 0;
	find_points();
}

static struct acc *window_add(void)
{
	if (win.n == win.cap) {
		win.cap = win.cap ? 2 * win.cap : 4096;
		win.acc = realloc(win.acc, win.cap * sizeof(*win.acc));
	}
	if (win.arena_cap - win.used < CFG_MAX) {
		win.arena_cap = win.arena_cap ? 2 * win.arena_cap : 1 << 20;
		win.arena = realloc(win.arena, win.arena_cap);
	}
	if (!win.acc || !win.arena)
		env_fail("out of memory");
	win.acc[win.n].data = win.used;
	return &win.acc[win.n++];
}

/* A sequence that fails: the state, storage at its start, the accesses. */
struct repro {
	struct gstate st;
	uint8_t preset[CFG_MAX];
	size_t n;
	struct acc seq[1 << 16];
};

static bool verbose;
static bool check_each;		/* counters after every replayed access */
static size_t shrink_budget;

/* Storage after @n accesses from @preset in state @st, by the model alone. */
static void simulate(const struct gstate *st, const uint8_t *preset,
		     const struct acc *seq, size_t n, uint8_t *out)
{
	model_set(st);
	memcpy(m.shadow, preset, CFG_MAX);
	for (size_t i = 0; i < n; i++) {
		const struct acc *a = &seq[i];

		for (unsigned int b = a->off; a->write && b < a->off + a->len; b++) {
			uint8_t v;

			if (m_write_byte(b, win.arena[a->data + b - a->off], &v))
				m.shadow[b] = v;
		}
	}
	memcpy(out, m.shadow, CFG_MAX);
}

/*
 * Replays @r from its state and storage, checking each access (and the
 * counters after each, if check_each), then everything. Returns the index
 * of the first access that fails (n - 1 if only the final check does), or
 * -1.
 */
static long replay(const struct repro *r)
{
	uint8_t cur[CFG_MAX];
	struct ipc_error e;
	struct ctl_dev dev;
	char name[32];

	state_apply(&r->st);
	/* a wrong write may have hit a raw register: put it back */
	host_rw(&guarded, false, 0, cur, cfg_size);
	for (unsigned int b = 0; b < cfg_size; b++)
		if (m.raw[b] && !m.storage[b] && cur[b] != guarded.host0[b])
			host_rw(&guarded, true, b, &guarded.host0[b], 1);
	storage_put(r->preset);
	if (ipc_dev_get(guarded.bdf, &dev, &e))
		env_fail("cannot read the counters of %s", guarded.bdf);
	memcpy(m.count, dev.stats, sizeof(m.count));

	for (size_t i = 0; i < r->n; i++) {
		const struct acc *a = &r->seq[i];

		why_len = 0;
		why[0] = '\0';
		acc_name(a, name, sizeof(name));
		if (run_access(a, win.arena + a->data) ||
		    (check_each && check_counters("after it"))) {
			if (verbose)
				printf("  %zu: %s FAIL\n%s", i, name, why);
			return i;
		}
		if (verbose)
			printf("  %zu: %s ok\n", i, name);
	}
	if (r->n && check_all("after the last access")) {
		if (verbose)
			printf("%s", why);
		return r->n - 1;
	}
	return -1;
}

/*
 * Whether @r still fails, and if so cut after the access that does. A
 * candidate whose writes would reach bytes that are not storage is never
 * run.
 */
static bool still_fails(struct repro *r)
{
	long f;

	if (!shrink_budget)
		return false;
	model_set(&r->st);
	for (size_t i = 0; i < r->n; i++)
		if (r->seq[i].write && !write_confined(r->seq[i].off, r->seq[i].len))
			return false;
	shrink_budget--;
	f = replay(r);
	if (f < 0)
		return false;
	r->n = f + 1;
	return true;
}

static struct repro cand;

/* @best, in place: the fewest and shortest accesses, the fewest ranges. */
static void shrink(struct repro *best)
{
	size_t k, c, i, drop;

	/* the shortest failing suffix, from storage as the model says it was */
	for (k = 1; k < best->n; k *= 2) {
		cand.st = best->st;
		simulate(&best->st, best->preset, best->seq, best->n - k, cand.preset);
		memcpy(cand.seq, best->seq + best->n - k, k * sizeof(cand.seq[0]));
		cand.n = k;
		if (still_fails(&cand)) {
			*best = cand;
			break;
		}
	}
	/* accesses dropped a chunk at a time, the failing one kept last */
	for (c = best->n / 2; c >= 1; c /= 2) {
		for (i = 0; i + 1 < best->n;) {
			drop = c < best->n - 1 - i ? c : best->n - 1 - i;
			cand.st = best->st;
			memcpy(cand.preset, best->preset, CFG_MAX);
			memcpy(cand.seq, best->seq, i * sizeof(cand.seq[0]));
			memcpy(cand.seq + i, best->seq + i + drop,
			       (best->n - i - drop) * sizeof(cand.seq[0]));
			cand.n = best->n - drop;
			if (still_fails(&cand))
				*best = cand;
			else
				i += drop;
		}
	}
	/* each access cut from either end, halving */
	for (i = 0; i < best->n; i++) {
		for (c = best->seq[i].len / 2; c >= 1 && i < best->n; c /= 2) {
			for (int side = 0; side < 2; side++) {
				struct acc *a;

				cand = *best;
				a = &cand.seq[i];
				if (i >= cand.n || a->len <= c)
					break;
				a->len -= c;
				if (!side) {
					a->off += c;
					a->data += c;
				}
				if (still_fails(&cand)) {
					*best = cand;
					side--;		/* again, this side */
				}
			}
		}
	}
	/* ranges: the model table if an address table decides, then each */
	for (int key = NR_KEYS - 1; key >= 0; key--) {
		if (!best->st.has[key])
			continue;
		cand = *best;
		cand.st.has[key] = false;
		if (still_fails(&cand)) {
			*best = cand;
			continue;
		}
		for (i = best->st.tab[key].nr_ranges; i-- > 0;) {
			struct table *t;

			cand = *best;
			t = &cand.st.tab[key];
			memmove(&t->ranges[i], &t->ranges[i + 1],
				(t->nr_ranges - i - 1) * sizeof(t->ranges[0]));
			t->nr_ranges--;
			if (still_fails(&cand))
				*best = cand;
		}
	}
}

/* The state, the storage bytes the accesses touch, and the accesses. */
static void print_repro(FILE *f, const struct repro *r)
{
	static bool touched[CFG_MAX];

	fprintf(f, "# cfgdiff reproducer: cfgdiff --replay <this file> <guarded BDF> <twin BDF>\n");
	fprintf(f, "# seed %" PRIu64 " round %u, from round access %lu\n",
		seed, round_nr, win.first);
	fprintf(f, "mode %s\n", mode_name(r->st.mode));
	fprintf(f, "params read=%d write=%d\n", r->st.block_read, r->st.block_write);
	for (int key = 0; key < NR_KEYS; key++) {
		if (!r->st.has[key])
			continue;
		fprintf(f, "table %s\n", key_names[key]);
		table_print(f, &r->st.tab[key]);
		fprintf(f, "end\n");
	}
	memset(touched, 0, sizeof(touched));
	for (size_t i = 0; i < r->n; i++)
		memset(touched + r->seq[i].off, 1, r->seq[i].len);
	for (unsigned int b = 0, run; b < cfg_size; b += run) {
		bool on = touched[b] && m.storage[b];

		for (run = 1; b + run < cfg_size && run < 32 &&
		     (touched[b + run] && m.storage[b + run]) == on; run++)
			;
		if (!on)
			continue;
		fprintf(f, "preset 0x%03x", b);
		for (unsigned int i = 0; i < run; i++)
			fprintf(f, " %02x", r->preset[b + i]);
		fprintf(f, "\n");
	}
	for (size_t i = 0; i < r->n; i++) {
		const struct acc *a = &r->seq[i];

		fprintf(f, "%c 0x%03x %u", a->write ? 'w' : 'r', a->off, a->len);
		for (unsigned int j = 0; a->write && j < a->len; j++)
			fprintf(f, " %02x", win.arena[a->data + j]);
		fprintf(f, "\n");
	}
}

static const char *repro_path;
static bool no_shrink;
static unsigned long swap_every = 500;

static void print_state(const struct gstate *st)
{
	printf("state: mode %s, block_unassigned_read=%d write=%d, deciding table: %s\n",
	       mode_name(st->mode), st->block_read, st->block_write,
	       st->has[KEY_DEVICE] ? "device" : st->has[KEY_MODEL] ? "model" : "default");
	for (int key = 0; key < NR_KEYS; key++) {
		if (!st->has[key])
			continue;
		printf("%s table (%u ranges):\n", key_names[key], st->tab[key].nr_ranges);
		if (st->tab[key].nr_ranges <= 64)
			table_print(stdout, &st->tab[key]);
		else
			printf("(in the reproducer)\n");
	}
}

/*
 * Reports a failure at the window's access @idx, or (-1) at the check
 * after its last access, and shrinks the accesses that lead to it.
 */
static void __attribute__((noreturn)) fail(long idx, unsigned long nr_acc)
{
	static struct repro best;
	size_t end = idx < 0 ? win.n : (size_t)idx + 1, skip = 0;
	unsigned long at = win.first + end - 1;
	struct timespec t0, t1;
	FILE *f;

	printf("FAIL: seed %" PRIu64 " round %u, %s access %lu of the round (access %lu of the run)\n",
	       seed, round_nr, idx < 0 ? "at the check after" : "at", at,
	       (round_nr - first_round) * nr_acc + at);
	printf("(again: cfgdiff --seed %" PRIu64 " --first-round %u --rounds 1 --accesses %lu --swap-every %lu)\n%s",
	       seed, round_nr, nr_acc, swap_every, why);
	print_state(&win.st);
	printf("%zu accesses since the last change of state, at round access %lu\n",
	       end, win.first);

	/* the last accesses that fit, from storage as the model says it was */
	best.st = win.st;
	if (end > ARRAY_SIZE(best.seq))
		skip = end - ARRAY_SIZE(best.seq);
	simulate(&win.st, win.shadow, win.acc, skip, best.preset);
	memcpy(best.seq, win.acc + skip, (end - skip) * sizeof(best.seq[0]));
	best.n = end - skip;
	check_each = idx < 0;
	if (!no_shrink) {
		size_t before = best.n;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		shrink_budget = 1000;
		printf("shrinking: replaying from the same state ...\n");
		if (still_fails(&best)) {
			shrink(&best);
			clock_gettime(CLOCK_MONOTONIC, &t1);
			printf("shrunk %zu accesses to %zu that fail on replay (%zu replays, %.1f s):\n",
			       before, best.n, 1000 - shrink_budget,
			       (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
			why_len = 0;
			verbose = true;
			print_state(&best.st);
			if (replay(&best) < 0)
				printf("... and passed this time: the failure does not always reproduce\n");
		} else {
			printf("the accesses do not fail again on replay: not shrunk\n");
		}
	}
	if (repro_path) {
		f = fopen(repro_path, "w");
		if (f) {
			print_repro(f, &best);
			fclose(f);
			printf("reproducer written to %s\n", repro_path);
		}
	}
	printf("---- reproducer (cfgdiff --replay <file> %s %s)\n", guarded.bdf, twin.bdf);
	if (best.n <= 200)
		print_repro(stdout, &best);
	else
		printf("(%zu accesses: see the file)\n", best.n);
	printf("----\n");
	exit(EXIT_MISMATCH);
}

/* A change of state the module disagreed with: nothing to shrink. */
static void __attribute__((noreturn)) fail_change(unsigned long at)
{
	printf("FAIL: seed %" PRIu64 " round %u, at the change of state before access %lu of the round\n%s",
	       seed, round_nr, at, why);
	print_state(&m.st);
	exit(EXIT_MISMATCH);
}

/* ---- setup */

static void side_open(struct side *s, const char *bdf)
{
	char path[256];

	s->bdf = bdf;
	vfio_dev_open(bdf, &s->vfio);
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/config", bdf);
	s->host_fd = open(path, O_RDWR);
	if (s->host_fd < 0)
		env_fail("%s: %s", path, strerror(errno));
}

/* Whether the host's writes of two patterns to byte @b both stick. */
static bool keeps(struct side *s, unsigned int b)
{
	uint8_t old, v;
	bool ok = true;

	host_rw(s, false, b, &old, 1);
	for (unsigned int i = 0; i < 2; i++) {
		uint8_t pat = i ? 0x5a : 0xa5;

		host_rw(s, true, b, &pat, 1);
		host_rw(s, false, b, &v, 1);
		ok &= v == pat;
	}
	host_rw(s, true, b, &old, 1);
	return ok;
}

static void print_bytes(const char *what, const bool *set)
{
	unsigned int total = 0;

	printf("%s:", what);
	for (unsigned int b = 0, run; b < cfg_size; b += run) {
		for (run = 1; b + run < cfg_size && set[b + run] == set[b]; run++)
			;
		if (!set[b])
			continue;
		printf(" 0x%03x-0x%03x", b, b + run - 1);
		total += run;
	}
	printf(" (%u bytes)\n", total);
}

static bool param_read0, param_write0;	/* as the module was loaded */

static void setup(void)
{
	uint8_t a[CFG_MAX], b[CFG_MAX];
	struct ipc_error e;
	struct ctl_dev dev;
	char path[128];
	unsigned int vendor = 0, device = 0;
	FILE *f;

	if (guarded.vfio.cfg_size != twin.vfio.cfg_size ||
	    guarded.vfio.cfg_size > CFG_MAX || guarded.vfio.cfg_size < 256)
		env_fail("config regions of %llu and %llu bytes: not twins",
			 (unsigned long long)guarded.vfio.cfg_size,
			 (unsigned long long)twin.vfio.cfg_size);
	cfg_size = guarded.vfio.cfg_size;

	snprintf(keys[KEY_DEVICE].bdf, sizeof(keys[KEY_DEVICE].bdf), "%s", guarded.bdf);
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/vendor", guarded.bdf);
	f = fopen(path, "r");
	if (!f || fscanf(f, "%x", &vendor) != 1)
		env_fail("%s: cannot read", path);
	fclose(f);
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/device", guarded.bdf);
	f = fopen(path, "r");
	if (!f || fscanf(f, "%x", &device) != 1)
		env_fail("%s: cannot read", path);
	fclose(f);
	keys[KEY_MODEL].model = true;
	keys[KEY_MODEL].vendor = vendor;
	keys[KEY_MODEL].device = device;

	/* no table of an earlier run; nothing guarded for the reads below */
	for (int key = 0; key < NR_KEYS; key++)
		if (ipc_table_del(&keys[key], &e) && e.err != ENOENT)
			env_fail("cannot delete the %s table: %s", key_names[key],
				 strerror(e.err));
	mode_set(CFGGUARD_MODE_OFF);
	param_read0 = param_get("block_unassigned_read");
	param_write0 = param_get("block_unassigned_write");
	m.st.block_read = param_read0;
	m.st.block_write = param_write0;

	/* vfio-pci's own map, as it built it when we opened the device */
	if (ipc_dev_get(guarded.bdf, &dev, &e)) {
		ipc_perror("dev-get", &e);
		env_fail("%s is not bound to cfgguard-vfio-pci", guarded.bdf);
	}
	if (!dev.has_map || dev.map_source != CFGGUARD_MAP_SOURCE_VFIO_PCI ||
	    dev.cfg_size != cfg_size)
		env_fail("no vfio-pci config map for %s", guarded.bdf);
	for (unsigned int i = 0; i < cfg_size; i++)
		m.raw[i] = dev.config_map[i] == CFGGUARD_MAP_RAW;
	for (unsigned int i = 0; i < cfg_size; i++)
		m.storage[i] = m.raw[i] && keeps(&guarded, i) && keeps(&twin, i);
	for (unsigned int i = 0, run; i < cfg_size; i += run) {
		for (run = 1; i + run < cfg_size && m.storage[i + run] == m.storage[i]; run++)
			;
		if (m.storage[i]) {
			runs[nr_runs][0] = i;
			runs[nr_runs++][1] = run;
		}
	}
	if (!nr_runs)
		env_fail("%s has no storage bytes for writes to reach", guarded.bdf);
	host_rw(&guarded, false, 0, guarded.host0, cfg_size);
	host_rw(&twin, false, 0, twin.host0, cfg_size);

	/* where the twins differ by identity, through VFIO with nothing guarded */
	memcpy(a, guarded.host0, cfg_size);
	storage_put(a);
	if (vfio_rw(&guarded, false, 0, a, cfg_size) ||
	    vfio_rw(&twin, false, 0, b, cfg_size))
		env_fail("whole-space reads failed: %s", strerror(errno));
	for (unsigned int i = 0; i < cfg_size; i++) {
		m.ident[i] = a[i] != b[i] && !m.storage[i];
		m.own[i] = a[i];
	}
	print_bytes("raw by vfio-pci's map", m.raw);
	print_bytes("storage, where writes may reach", m.storage);
	print_bytes("identity, where the twins differ", m.ident);

	if (ipc_stats_reset(guarded.bdf, &dev, &e)) {
		ipc_perror("stats reset", &e);
		env_fail("cannot reset the counters");
	}
	memset(m.count, 0, sizeof(m.count));
	mode_set(CFGGUARD_MODE_ENFORCE);
}

static void cleanup(void)
{
	struct ipc_error e;

	for (int key = 0; key < NR_KEYS; key++)
		if (m.st.has[key])
			ipc_table_del(&keys[key], &e);
	mode_set(CFGGUARD_MODE_ENFORCE);
	param_set("block_unassigned_read", param_read0);
	param_set("block_unassigned_write", param_write0);
}

/* ---- rounds */

static void round_run(unsigned long nr_acc)
{
	static struct gstate st;
	static uint8_t vals[CFG_MAX];
	unsigned long next, i;
	struct acc *a;

	rng = seed ^ (0xd1b54a32d192ed03ULL * (round_nr + 1));
	rnd64();

	/* storage: random bytes, runs of one value, zeros */
	for (unsigned int b = 0; b < cfg_size; b++)
		vals[b] = chance(70) ? rnd64() : b % 7 ? 0 : 0xff;
	storage_put(vals);

	/* a state of its own, whatever the last round left */
	memset(&st, 0, sizeof(st));
	st.mode = gen_mode();
	st.block_read = chance(30);
	st.block_write = chance(85);
	for (int key = 0; key < NR_KEYS; key++) {
		st.has[key] = chance(key == KEY_DEVICE ? 75 : 30);
		if (st.has[key])
			gen_table(&st.tab[key]);
	}
	state_apply(&st);
	window_start(0);
	next = rnd_in(1, 2 * swap_every);

	for (i = 0; i < nr_acc; i++) {
		if (i == next) {
			if (check_all("at a change of state"))
				fail(-1, nr_acc);
			if (random_change())
				fail_change(i);
			window_start(i);
			next = i + rnd_in(1, 2 * swap_every);
		}
		a = window_add();
		gen_access(a, win.arena + a->data);
		if (a->write)
			win.used += a->len;
		if (run_access(a, win.arena + a->data))
			fail(win.n - 1, nr_acc);
	}
	if (check_all("at the end of the round"))
		fail(-1, nr_acc);
}

/* ---- --replay */

static void replay_file(const char *path)
{
	static struct repro r;
	static char text[1 << 20];
	char line[16384], err[256];
	size_t tlen = 0;
	int key = -1;
	long f;
	FILE *in = fopen(path, "r");

	if (!in)
		env_fail("%s: %s", path, strerror(errno));
	r.st.block_write = true;
	host_rw(&guarded, false, 0, r.preset, cfg_size);

	while (fgets(line, sizeof(line), in)) {
		char *p = line, *end;
		struct acc *a;

		if (key >= 0) {
			if (strcmp(line, "end\n")) {
				size_t l = strlen(line);

				if (tlen + l < sizeof(text)) {
					memcpy(text + tlen, line, l);
					tlen += l;
				}
				continue;
			}
			if (table_parse_buffer(text, tlen, path, &r.st.tab[key], err,
					       sizeof(err)))
				env_fail("%s", err);
			r.st.has[key] = true;
			key = -1;
			continue;
		}
		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (!strncmp(line, "mode ", 5)) {
			for (uint32_t md = 0; md <= CFGGUARD_MODE_OFF; md++)
				if (!strncmp(line + 5, mode_name(md), strlen(mode_name(md))))
					r.st.mode = md;
		} else if (!strncmp(line, "params ", 7)) {
			int rd, wr;

			if (sscanf(line, "params read=%d write=%d", &rd, &wr) != 2)
				env_fail("%s: bad line: %s", path, line);
			r.st.block_read = rd;
			r.st.block_write = wr;
		} else if (!strncmp(line, "table ", 6)) {
			key = !strncmp(line + 6, "model", 5) ? KEY_MODEL : KEY_DEVICE;
			tlen = 0;
		} else if (!strncmp(line, "preset ", 7)) {
			unsigned long off = strtoul(line + 7, &end, 0);

			for (p = end; off < cfg_size; off++) {
				unsigned long v = strtoul(p, &end, 16);

				if (end == p)
					break;
				if (!m.storage[off])
					env_fail("%s: preset of 0x%03lx, which is not storage", path, off);
				r.preset[off] = v;
				p = end;
			}
		} else if ((line[0] == 'r' || line[0] == 'w') &&
			   r.n < ARRAY_SIZE(r.seq)) {
			a = window_add();
			a->write = line[0] == 'w';
			a->off = strtoul(line + 1, &end, 0);
			a->len = strtoul(end, &end, 0);
			if (!a->len || a->off + a->len > cfg_size)
				env_fail("%s: bad access: %s", path, line);
			for (unsigned int i = 0; a->write && i < a->len; i++) {
				p = end;
				win.arena[a->data + i] = strtoul(p, &end, 16);
				if (end == p)
					env_fail("%s: short write: %s", path, line);
			}
			if (a->write)
				win.used += a->len;
			r.seq[r.n++] = *a;
		} else {
			env_fail("%s: bad line: %s", path, line);
		}
	}
	fclose(in);
	print_state(&r.st);
	model_set(&r.st);
	for (size_t i = 0; i < r.n; i++)
		if (r.seq[i].write && !write_confined(r.seq[i].off, r.seq[i].len))
			env_fail("%s: access %zu writes bytes that are not storage", path, i);
	verbose = true;
	check_each = true;
	f = replay(&r);
	cleanup();
	if (f >= 0) {
		printf("FAIL: the reproducer fails at its access %ld\n", f);
		exit(EXIT_MISMATCH);
	}
	printf("PASS: %zu accesses as the model says\n", r.n);
	exit(0);
}

static void usage(void)
{
	fprintf(stderr,
		"Usage: cfgdiff [--seed N] [--first-round N] [--rounds N] [--accesses N]\n"
		"               [--swap-every N] [--repro FILE] [--no-shrink]\n"
		"               <guarded BDF> <twin BDF>\n"
		"       cfgdiff --replay FILE <guarded BDF> <twin BDF>\n");
	exit(EXIT_USAGE);
}

int main(int argc, char *argv[])
{
	unsigned long rounds = 10, nr_acc = 10000, total = 0;
	const char *replay_path = NULL;
	struct timespec t0, t1, ts;
	bool seeded = false;
	int i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *opt = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(opt, "--no-shrink")) {
			no_shrink = true;
			continue;
		}
		if (!val)
			usage();
		i++;
		if (!strcmp(opt, "--seed")) {
			seed = strtoull(val, NULL, 0);
			seeded = true;
		} else if (!strcmp(opt, "--first-round")) {
			first_round = strtoul(val, NULL, 0);
		} else if (!strcmp(opt, "--rounds")) {
			rounds = strtoul(val, NULL, 0);
		} else if (!strcmp(opt, "--accesses")) {
			nr_acc = strtoul(val, NULL, 0);
		} else if (!strcmp(opt, "--swap-every")) {
			swap_every = strtoul(val, NULL, 0);
		} else if (!strcmp(opt, "--repro")) {
			repro_path = val;
		} else if (!strcmp(opt, "--replay")) {
			replay_path = val;
		} else {
			usage();
		}
	}
	if (argc - i != 2 || !swap_every)
		usage();
	if (!seeded) {
		clock_gettime(CLOCK_REALTIME, &ts);
		seed = (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
	}
	if (!replay_path)
		printf("cfgdiff: seed %" PRIu64 "\n", seed);

	side_open(&guarded, argv[i]);
	side_open(&twin, argv[i + 1]);
	setup();
	if (replay_path)
		replay_file(replay_path);

	for (round_nr = first_round; round_nr < first_round + rounds; round_nr++) {
		memset(&tally, 0, sizeof(tally));
		clock_gettime(CLOCK_MONOTONIC, &t0);
		round_run(nr_acc);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		total += nr_acc;
		printf("round %u: %lu accesses ok (%lu reads, %lu writes, %lu longer than 4 bytes; "
		       "enforce %lu, audit %lu, off %lu; %lu blocked, %lu masked, %lu audited; "
		       "%lu writes over registers); "
		       "%lu tables, %lu refused, %lu deletes, %lu modes, %lu parameters, %lu resets, %lu full checks; %.1f s\n",
		       round_nr, nr_acc, tally.reads, tally.writes, tally.long_accesses,
		       tally.by_mode[CFGGUARD_MODE_ENFORCE], tally.by_mode[CFGGUARD_MODE_AUDIT],
		       tally.by_mode[CFGGUARD_MODE_OFF],
		       tally.blocked, tally.masked, tally.audited,
		       tally.register_writes, tally.tables,
		       tally.refused, tally.deletes, tally.modes, tally.params,
		       tally.resets, tally.checks,
		       (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	}
	cleanup();

	/* what `cfgguard-ctl stats --json` must now say */
	printf("counters {\"bdf\":\"%s\"", guarded.bdf);
	for (int s = CTL_STAT(READ_ALLOWED); s <= CTL_STAT(WRITE_AUDITED); s++)
		printf(",\"%s\":%" PRIu64, stats_names[s], m.count[s]);
	printf("}\n");
	/* the final counters hold the rest: differential.sh adds them */
	printf("taken by resets {");
	for (int s = CTL_STAT(SUPPRESSED); s <= CTL_STAT(UNWATCHED); s++)
		printf("%s\"%s\":%" PRIu64, s == CTL_STAT(SUPPRESSED) ? "" : ",",
		       stats_names[s], reported_taken[s]);
	printf("}\n");
	printf("PASS: seed %" PRIu64 ": %lu accesses in %lu rounds as the model and the twin say\n",
	       seed, total, rounds);
	return 0;
}
