// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The cfgguard authors.
 *
 * vfio-cfg: opens a PCI device through VFIO the way QEMU does (container,
 * group, device fd, config region info) and performs config-space accesses
 * given as arguments, printing one line per access for tests to compare.
 *
 *   vfio-cfg <BDF> <op>...
 *
 * With FAIL_NTH=<n> in the environment, fail_nth is armed over the ops
 * alone, after the device is open (tests/fault/fail-nth.h).
 *
 *     r<N>:<off>          read N (1, 2, 4) bytes        -> "r4 0x000 = 0x10d38086"
 *     w<N>:<off>=<val>    write N bytes                 -> "w1 0x298 <- 0x5a"
 *     dump[:<len>]        read <len> bytes (default: the region) in one pread,
 *                         printed as hex, 16 bytes a line
 *     caps                1/2/4-byte reads, and writes of the inverted value
 *                         followed by a read back and a restore, at the first
 *                         register of every standard and extended capability
 *     loop<N>:<op>        repeat one r/w op N times, print nothing but a count
 *     par<T>x<N>:<op>     the same in T threads at once, each on its own CPU
 *                         where there are enough
 *     try-r<N>:<off>      read N bytes at any 64-bit offset into the region,
 *                         refused or not: "try-r1 0x100000298 = 0x5a" or
 *                         "try-r1 0x100000298 error EFAULT"
 *     try-w<N>:<off>=<val>  likewise, a write: "... ok" or "... error E..."
 *     comm:<name>         set the task's name (prctl PR_SET_NAME), as a
 *                         hostile VFIO user may
 *     lowpower            enter runtime low power with a wake-up eventfd
 *                         (VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY_WITH_WAKEUP)
 *     wakecheck           "woken" if that eventfd fired, else "asleep"
 *     suspended           wait up to 5 s for the device's runtime PM status
 *                         to read "suspended"; prints the status
 *     hold:<seconds>      keep the device open, doing nothing
 *     untilreq:<op>       repeat one r/w op, as QEMU's guest would, until
 *                         the kernel asks for the device back (the VFIO
 *                         request IRQ: hot-unplug); prints "request after
 *                         <n> accesses, <e> errors" and goes on, and closes
 *                         the device on exit as QEMU does; exits 1 after
 *                         300 s without a request
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>
#include <linux/pci_regs.h>
#include <linux/vfio.h>

#include "vfio-dev.h"
#include "../fault/fail-nth.h"

static struct vfio_dev dev;
static const char *dev_bdf;
static int wake_fd = -1;

static void die(const char *what)
{
	fprintf(stderr, "vfio-cfg: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void usage(void)
{
	fprintf(stderr, "Usage: vfio-cfg <BDF> {r<N>:<off> | w<N>:<off>=<val> | dump[:<len>] | caps | loop<N>:<op>}...\n");
	exit(2);
}

static uint32_t cfg_read(unsigned int off, unsigned int size)
{
	uint32_t val = 0;
	ssize_t ret;

	ret = pread(dev.fd, &val, size, dev.cfg_offset + off);
	if (ret != (ssize_t)size) {
		fprintf(stderr, "vfio-cfg: pread %u@0x%x returned %zd: %s\n",
			size, off, ret, ret < 0 ? strerror(errno) : "short");
		exit(1);
	}
	return val;
}

static void cfg_write(unsigned int off, unsigned int size, uint32_t val)
{
	ssize_t ret;

	ret = pwrite(dev.fd, &val, size, dev.cfg_offset + off);
	if (ret != (ssize_t)size) {
		fprintf(stderr, "vfio-cfg: pwrite %u@0x%x returned %zd: %s\n",
			size, off, ret, ret < 0 ? strerror(errno) : "short");
		exit(1);
	}
}

static uint32_t size_mask(unsigned int size)
{
	return size == 4 ? 0xffffffffu : (1u << (8 * size)) - 1;
}

static void dump(unsigned int len)
{
	unsigned char *buf = malloc(len);
	ssize_t ret;

	if (!buf)
		die("malloc");
	ret = pread(dev.fd, buf, len, dev.cfg_offset);
	if (ret != (ssize_t)len) {
		fprintf(stderr, "vfio-cfg: pread of %u bytes returned %zd: %s\n",
			len, ret, ret < 0 ? strerror(errno) : "short");
		exit(1);
	}
	for (unsigned int i = 0; i < len; i++)
		printf("%02x%c", buf[i], i % 16 == 15 || i == len - 1 ? '\n' : ' ');
	free(buf);
}

static void probe_register(const char *what, unsigned int off)
{
	for (unsigned int size = 1; size <= 4; size *= 2) {
		uint32_t before = cfg_read(off, size), after;

		cfg_write(off, size, ~before & size_mask(size));
		after = cfg_read(off, size);
		cfg_write(off, size, before);
		printf("%s@0x%03x r%u=0x%0*x inverted-write-reads 0x%0*x\n",
		       what, off, size, size * 2, before, size * 2, after);
	}
}

static void caps(void)
{
	unsigned int pos, guard = 0;
	char what[32];

	if (!(cfg_read(PCI_STATUS, 2) & PCI_STATUS_CAP_LIST))
		return;
	for (pos = cfg_read(PCI_CAPABILITY_LIST, 1) & ~3u;
	     pos >= 0x40 && guard++ < 48;
	     pos = cfg_read(pos + PCI_CAP_LIST_NEXT, 1) & ~3u) {
		snprintf(what, sizeof(what), "cap%02x",
			 cfg_read(pos + PCI_CAP_LIST_ID, 1));
		probe_register(what, pos);
	}
	if (dev.cfg_size <= PCI_CFG_SPACE_SIZE)
		return;
	for (pos = PCI_CFG_SPACE_SIZE, guard = 0; pos && guard++ < 480;) {
		uint32_t header = cfg_read(pos, 4);

		if (!header || header == 0xffffffffu)
			break;
		snprintf(what, sizeof(what), "ecap%04x", PCI_EXT_CAP_ID(header));
		probe_register(what, pos);
		pos = PCI_EXT_CAP_NEXT(header);
		if (pos < PCI_CFG_SPACE_SIZE)
			break;
	}
}

static bool parse_access(const char *op, char *dir, unsigned int *size,
			 unsigned int *off, uint32_t *val)
{
	char *end;

	if (op[0] != 'r' && op[0] != 'w')
		return false;
	*dir = op[0];
	*size = strtoul(op + 1, &end, 10);
	if ((*size != 1 && *size != 2 && *size != 4) || *end != ':')
		return false;
	*off = strtoul(end + 1, &end, 0);
	if (*off + *size > dev.cfg_size)
		return false;
	if (*dir == 'r')
		return *end == '\0';
	if (*end != '=')
		return false;
	*val = strtoul(end + 1, &end, 0);
	return *end == '\0';
}

static const char *errno_name(int err)
{
	switch (err) {
	case EFAULT: return "EFAULT";
	case EINVAL: return "EINVAL";
	case EIO: return "EIO";
	case EPERM: return "EPERM";
	}
	return strerror(err);
}

/* An access anywhere in the region's 40-bit offset space, not checked here. */
static void try_access(const char *op)
{
	unsigned long long off;
	unsigned int size;
	uint32_t val = 0;
	char dir, *end;
	ssize_t ret;

	dir = op[4];
	size = strtoul(op + 5, &end, 10);
	if ((dir != 'r' && dir != 'w') || size < 1 || size > 4 || *end != ':')
		usage();
	off = strtoull(end + 1, &end, 0);
	if (dir == 'w') {
		if (*end != '=')
			usage();
		val = strtoul(end + 1, &end, 0);
	}
	if (*end)
		usage();
	if (dir == 'r')
		ret = pread(dev.fd, &val, size, dev.cfg_offset + off);
	else
		ret = pwrite(dev.fd, &val, size, dev.cfg_offset + off);
	printf("try-%c%u 0x%llx", dir, size, off);
	if (ret < 0)
		printf(" error %s\n", errno_name(errno));
	else if (ret != (ssize_t)size)
		printf(" short %zd\n", ret);
	else if (dir == 'r')
		printf(" = 0x%0*x\n", size * 2, val);
	else
		printf(" ok\n");
}

static void low_power(void)
{
	char buf[sizeof(struct vfio_device_feature) +
		 sizeof(struct vfio_device_low_power_entry_with_wakeup)]
		__attribute__((aligned(8))) = { 0 };
	struct vfio_device_feature *feature = (void *)buf;
	struct vfio_device_low_power_entry_with_wakeup *entry = (void *)feature->data;

	wake_fd = eventfd(0, EFD_NONBLOCK);
	if (wake_fd < 0)
		die("eventfd");
	feature->argsz = sizeof(buf);
	feature->flags = VFIO_DEVICE_FEATURE_SET |
			 VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY_WITH_WAKEUP;
	entry->wakeup_eventfd = wake_fd;
	if (ioctl(dev.fd, VFIO_DEVICE_FEATURE, feature))
		die("VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY_WITH_WAKEUP");
	printf("lowpower\n");
}

static void wake_check(void)
{
	uint64_t count;

	if (wake_fd < 0)
		usage();
	printf("%s\n", read(wake_fd, &count, sizeof(count)) == sizeof(count) ?
	       "woken" : "asleep");
}

static void wait_suspended(void)
{
	char path[256], status[32] = "";

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/power/runtime_status",
		 dev_bdf);
	for (int i = 0; i < 500; i++) {
		FILE *f = fopen(path, "r");

		if (!f)
			die(path);
		if (!fgets(status, sizeof(status), f))
			status[0] = '\0';
		fclose(f);
		status[strcspn(status, "\n")] = '\0';
		if (!strcmp(status, "suspended"))
			break;
		usleep(10000);
	}
	printf("%s\n", status);
}

struct par {
	pthread_t thread;
	unsigned int cpu;
	unsigned long n;
	char dir;
	unsigned int size, off;
	uint32_t val;
};

/*
 * The request IRQ is how vfio-pci asks a user for the device before it
 * can be removed; QEMU unplugs it from its guest and closes it.
 */
static void until_request(char dir, unsigned int size, unsigned int off,
			  uint32_t val)
{
	struct {
		struct vfio_irq_set set;
		int32_t fd;
	} irq = {
		.set = {
			.argsz = sizeof(irq),
			.flags = VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER,
			.index = VFIO_PCI_REQ_IRQ_INDEX,
			.count = 1,
		},
	};
	unsigned long n = 0, errors = 0;
	time_t deadline = time(NULL) + 300;
	uint64_t fired;

	irq.fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (irq.fd < 0 || ioctl(dev.fd, VFIO_DEVICE_SET_IRQS, &irq))
		die("VFIO_DEVICE_SET_IRQS request");
	while (read(irq.fd, &fired, sizeof(fired)) != sizeof(fired)) {
		ssize_t ret = dir == 'r' ?
			pread(dev.fd, &val, size, dev.cfg_offset + off) :
			pwrite(dev.fd, &val, size, dev.cfg_offset + off);

		errors += ret != (ssize_t)size;
		if (!(++n % 1024) && time(NULL) > deadline) {
			fprintf(stderr, "vfio-cfg: no request in 300 s\n");
			exit(1);
		}
	}
	printf("request after %lu accesses, %lu errors\n", n, errors);
	fflush(stdout);
}

static void *par_thread(void *arg)
{
	struct par *p = arg;
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(p->cpu, &set);
	pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
	for (unsigned long i = 0; i < p->n; i++) {
		if (p->dir == 'r')
			cfg_read(p->off, p->size);
		else
			cfg_write(p->off, p->size, p->val);
	}
	return NULL;
}

static void run(const char *op)
{
	unsigned int size, off;
	uint32_t val = 0;
	char dir;

	if (!strcmp(op, "caps")) {
		caps();
	} else if (!strncmp(op, "try-", 4)) {
		try_access(op);
	} else if (!strncmp(op, "comm:", 5)) {
		if (prctl(PR_SET_NAME, op + 5))
			die("PR_SET_NAME");
	} else if (!strcmp(op, "lowpower")) {
		low_power();
	} else if (!strcmp(op, "wakecheck")) {
		wake_check();
	} else if (!strcmp(op, "suspended")) {
		wait_suspended();
	} else if (!strncmp(op, "dump", 4)) {
		unsigned long len = op[4] == ':' ? strtoul(op + 5, NULL, 0) : dev.cfg_size;

		if (!len || len > dev.cfg_size)
			usage();
		dump(len);
	} else if (!strncmp(op, "hold:", 5)) {
		fflush(stdout);
		sleep(strtoul(op + 5, NULL, 0));
	} else if (!strncmp(op, "untilreq:", 9)) {
		if (!parse_access(op + 9, &dir, &size, &off, &val))
			usage();
		until_request(dir, size, off, val);
	} else if (!strncmp(op, "loop", 4)) {
		char *end;
		unsigned long n = strtoul(op + 4, &end, 10);

		if (*end != ':' || !parse_access(end + 1, &dir, &size, &off, &val))
			usage();
		for (unsigned long i = 0; i < n; i++) {
			if (dir == 'r')
				cfg_read(off, size);
			else
				cfg_write(off, size, val);
		}
		printf("%s x%lu done\n", end + 1, n);
	} else if (!strncmp(op, "par", 3)) {
		char *end;
		unsigned long t = strtoul(op + 3, &end, 10), n;
		long cpus = sysconf(_SC_NPROCESSORS_ONLN);
		struct par p[16];

		if (*end != 'x' || !t || t > 16)
			usage();
		n = strtoul(end + 1, &end, 10);
		if (*end != ':' || !parse_access(end + 1, &dir, &size, &off, &val))
			usage();
		for (unsigned long i = 0; i < t; i++) {
			p[i] = (struct par){ .cpu = i % (cpus > 0 ? cpus : 1), .n = n,
					     .dir = dir, .size = size, .off = off, .val = val };
			if (pthread_create(&p[i].thread, NULL, par_thread, &p[i]))
				die("pthread_create");
		}
		for (unsigned long i = 0; i < t; i++)
			pthread_join(p[i].thread, NULL);
		printf("%s x%lu x%lu done\n", end + 1, t, n);
	} else if (parse_access(op, &dir, &size, &off, &val)) {
		if (dir == 'r') {
			printf("r%u 0x%03x = 0x%0*x\n", size, off, size * 2,
			       cfg_read(off, size));
		} else {
			cfg_write(off, size, val);
			printf("w%u 0x%03x <- 0x%0*x\n", size, off, size * 2, val);
		}
	} else {
		usage();
	}
}

int main(int argc, char *argv[])
{
	if (argc < 3)
		usage();
	dev_bdf = argv[1];
	vfio_dev_open(argv[1], &dev);
	fail_nth_prepare();
	fail_nth_arm();
	for (int i = 2; i < argc; i++)
		run(argv[i]);
	fail_nth_report();
	return 0;
}
