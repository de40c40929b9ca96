// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The cfgguard authors.
 *
 * The vfio device: vfio_pci_core does all the work except for accesses to
 * the config region, which pass the device's guard first.
 */

#include <linux/pci.h>
#include <linux/pm_runtime.h>
#include <linux/uaccess.h>
#include <linux/vfio.h>

#include "vfio_dev.h"

/*
 * Accesses that cover only allowed bytes, the common case, go to
 * vfio_pci_core whole, decided by one look at the guard under RCU. Any
 * other access is decided a slice at a time: the slice's bits are copied
 * out of the guard under RCU, and the access is then carried out with no
 * guard held, so that no table change ever waits for a VFIO user, however
 * long its buffer takes to copy (a userfaultfd can hold it forever). A
 * slice is larger than any register, so every access a guest can make is
 * decided by one table.
 *
 * Blocked reads read as zeros, blocked writes are dropped, masked writes
 * are merged with the device's value. The VFIO user always sees the full
 * count, as QEMU fails a device on a short config read.
 */
#define CFGGUARD_SLICE 64

struct cfgguard_slice {
	u64 read_block;		/* bit i: byte pos + i */
	u64 write_block;
	u64 write_masked;
	u8 wmask[CFGGUARD_SLICE];
	u8 source;		/* enum cfgguard_source */
};

/* The slices' bit words and the bitmaps' words are the same size. */
static_assert(BITS_PER_LONG == 64);

/*
 * @count bits of @map from @pos on, @count 1 to 64, in constant time: the
 * two words the span can touch, shifted together.
 */
static u64 cfgguard_bits(const unsigned long *map, unsigned int pos,
			 unsigned int count)
{
	unsigned int word = pos / BITS_PER_LONG, bit = pos % BITS_PER_LONG;
	u64 bits = map[word] >> bit;

	if (bit && bit + count > BITS_PER_LONG)
		bits |= (u64)map[word + 1] << (BITS_PER_LONG - bit);
	return count < 64 ? bits & GENMASK_ULL(count - 1, 0) : bits;
}

/* A slice's decision for one direction, copied out of the guard in one look. */
static void cfgguard_slice_take(struct cfgguard_pci_core_device *cgdev,
				struct cfgguard_slice *slice,
				unsigned int pos, unsigned int count,
				bool write)
{
	const struct cfgguard_guard *guard;
	const struct cfgguard_policy *policy;

	slice->read_block = 0;
	slice->write_block = 0;
	slice->write_masked = 0;
	rcu_read_lock();
	guard = rcu_dereference(cgdev->guard);
	policy = &guard->policy;
	slice->source = guard->source;
	if (!write) {
		if (cfgguard_blocks_apply(guard, false))
			slice->read_block = cfgguard_bits(policy->read_block,
							  pos, count);
	} else {
		if (cfgguard_blocks_apply(guard, true))
			slice->write_block = cfgguard_bits(policy->write_block,
							   pos, count);
		slice->write_masked = cfgguard_bits(policy->write_masked, pos,
						    count);
		if (slice->write_masked)
			memcpy(slice->wmask, &policy->wmask[pos], count);
	}
	rcu_read_unlock();
}

static ssize_t cfgguard_forward(struct cfgguard_pci_core_device *cgdev,
				char __user *buf, size_t count, loff_t pos,
				bool write)
{
	struct vfio_device *vdev = &cgdev->core_device.vdev;
	ssize_t ret;

	if (write)
		ret = vfio_pci_core_write(vdev, buf, count, &pos);
	else
		ret = vfio_pci_core_read(vdev, buf, count, &pos);
	return ret < 0 || ret == count ? ret : -EIO;
}

/* What an access did, for its counter and its event. */
struct cfgguard_outcome {
	bool blocked;
	bool masked;
	u8 source;
};

/* Reads [pos, pos + count) of one slice; @base is the region's offset. */
static ssize_t cfgguard_read_slice(struct cfgguard_pci_core_device *cgdev,
				   const struct cfgguard_slice *slice,
				   char __user *buf, unsigned int pos,
				   unsigned int count, loff_t base,
				   struct cfgguard_outcome *outcome)
{
	unsigned int i, run;
	ssize_t ret;

	for (i = 0; i < count; i += run) {
		bool blocked = slice->read_block & BIT_ULL(i);

		for (run = 1; i + run < count &&
		     !!(slice->read_block & BIT_ULL(i + run)) == blocked; run++)
			;
		if (blocked) {
			ret = clear_user(buf + i, run) ? -EFAULT : run;
			outcome->blocked = true;
		} else {
			ret = cfgguard_forward(cgdev, buf + i, run,
					       base + pos + i, false);
		}
		if (ret < 0)
			return ret;
	}
	return count;
}

static int cfgguard_cfg_read(struct pci_dev *pdev, unsigned int pos,
			     unsigned int size, u32 *val)
{
	u16 val16;
	u8 val8;
	int ret;

	if (size == 4)
		return pcibios_err_to_errno(pci_user_read_config_dword(pdev, pos, val));
	if (size == 2) {
		ret = pci_user_read_config_word(pdev, pos, &val16);
		*val = val16;
	} else {
		ret = pci_user_read_config_byte(pdev, pos, &val8);
		*val = val8;
	}
	return pcibios_err_to_errno(ret);
}

static int cfgguard_cfg_write(struct pci_dev *pdev, unsigned int pos,
			      unsigned int size, u32 val)
{
	int ret;

	if (size == 4)
		ret = pci_user_write_config_dword(pdev, pos, val);
	else if (size == 2)
		ret = pci_user_write_config_word(pdev, pos, val);
	else
		ret = pci_user_write_config_byte(pdev, pos, val);
	return pcibios_err_to_errno(ret);
}

/*
 * One read-modify-write of the device, of the width of the piece of the
 * guest's write: bits set in @take come from the guest, the others are
 * written back as read. Only on bytes vfio-pci passes to the device
 * untouched, where it would have written the guest's value as is.
 */
static int cfgguard_write_merged(struct cfgguard_pci_core_device *cgdev,
				 const char __user *buf, unsigned int pos,
				 unsigned int size, u32 take)
{
	struct pci_dev *pdev = cfgguard_pdev(cgdev);
	u8 bytes[4];
	u32 val = 0, old;
	unsigned int i;
	int ret;

	if (copy_from_user(bytes, buf, size))
		return -EFAULT;
	for (i = 0; i < size; i++)
		val |= (u32)bytes[i] << (8 * i);
	ret = cfgguard_cfg_read(pdev, pos, size, &old);
	if (ret)
		return ret;
	return cfgguard_cfg_write(pdev, pos, size, (old & ~take) | (val & take));
}

/* The piece of a write vfio-pci would make at @pos: naturally aligned. */
static unsigned int cfgguard_piece(unsigned int pos, unsigned int count)
{
	if (count >= 4 && !(pos % 4))
		return 4;
	if (count >= 2 && !(pos % 2))
		return 2;
	return 1;
}

/*
 * Writes one slice, piece by piece as vfio-pci would. A piece with a masked
 * byte and no blocked one, all of it passed raw by vfio-pci, is one
 * read-modify-write of the piece's width. Any other piece with a masked or
 * blocked byte is split: blocked bytes are never written, not even with
 * their own value, as it is the register itself that must not be touched.
 */
static ssize_t cfgguard_write_slice(struct cfgguard_pci_core_device *cgdev,
				    const struct cfgguard_slice *slice,
				    char __user *buf, unsigned int pos,
				    unsigned int count, loff_t base,
				    struct cfgguard_outcome *outcome)
{
	unsigned int i, size, b, run, allowed = 0;
	ssize_t ret;

	for (i = 0; i < count; i += size) {
		u64 bits, blocked, masked;
		u32 take = 0;

		size = cfgguard_piece(pos + i, count - i);
		bits = GENMASK_ULL(i + size - 1, i);
		blocked = slice->write_block & bits;
		masked = slice->write_masked & bits;
		if (!blocked && !masked) {
			allowed += size;	/* forwarded with its neighbours */
			continue;
		}
		if (allowed) {
			ret = cfgguard_forward(cgdev, buf + i - allowed, allowed,
					       base + pos + i - allowed, true);
			if (ret < 0)
				return ret;
			allowed = 0;
		}
		outcome->blocked |= !!blocked;
		outcome->masked |= !!masked;
		if (blocked == bits)
			continue;
		if (!blocked && !cfgguard_any(cgdev->assigned, pos + i, size)) {
			for (b = 0; b < size; b++)
				take |= (u32)(masked & BIT_ULL(i + b) ?
					      slice->wmask[i + b] : 0xff) << (8 * b);
			ret = cfgguard_write_merged(cgdev, buf + i, pos + i,
						    size, take);
			if (ret)
				return ret;
			continue;
		}
		/*
		 * A masked byte next to a blocked or virtualised one, or a
		 * blocked byte next to allowed ones: masked bytes one at a
		 * time, runs of allowed ones to vfio-pci.
		 */
		for (b = 0; b < size; b += run) {
			u64 bit = BIT_ULL(i + b);

			run = 1;
			if (blocked & bit)
				continue;
			if (masked & bit) {
				ret = cfgguard_write_merged(cgdev, buf + i + b,
							    pos + i + b, 1,
							    slice->wmask[i + b]);
			} else {
				while (b + run < size &&
				       !((blocked | masked) & BIT_ULL(i + b + run)))
					run++;
				ret = cfgguard_forward(cgdev, buf + i + b, run,
						       base + pos + i + b, true);
			}
			if (ret < 0)
				return ret;
		}
	}
	if (allowed) {
		ret = cfgguard_forward(cgdev, buf + count - allowed, allowed,
				       base + pos + count - allowed, true);
		if (ret < 0)
			return ret;
	}
	return count;
}

/* Reports a guarded access; @buf holds what was written, for writes. */
static void cfgguard_account(struct cfgguard_pci_core_device *cgdev,
			     u8 mode, u8 source, u8 op, u8 result,
			     unsigned int pos, size_t count,
			     const char __user *buf)
{
	static const u8 counters[][3] = {
		[CFGGUARD_OP_READ] = {
			[CFGGUARD_RESULT_BLOCKED] = CFGGUARD_READ_BLOCKED,
			[CFGGUARD_RESULT_AUDITED] = CFGGUARD_READ_AUDITED,
		},
		[CFGGUARD_OP_WRITE] = {
			[CFGGUARD_RESULT_BLOCKED] = CFGGUARD_WRITE_BLOCKED,
			[CFGGUARD_RESULT_MASKED] = CFGGUARD_WRITE_MASKED,
			[CFGGUARD_RESULT_AUDITED] = CFGGUARD_WRITE_AUDITED,
		},
	};
	struct cfgguard_access access = {
		.op = op,
		.result = result,
		.mode = mode,
		.source = source,
		.offset = pos,
		.size = count,
	};
	__le32 value = 0;

	cfgguard_count(&cgdev->events, counters[op][result]);
	if (buf && count <= sizeof(value) && !copy_from_user(&value, buf, count)) {
		access.has_value = true;
		access.value = le32_to_cpu(value);
	}
	cfgguard_report(cgdev, &access);
}

/*
 * The slow path: an access the guard may block. Runs with the device
 * awake, as vfio-pci keeps it for every access it serves: a blocked
 * access must wake a device in low-power state exactly as an allowed one
 * would, or a guest could tell them apart.
 */
static ssize_t cfgguard_config_guarded(struct cfgguard_pci_core_device *cgdev,
				       char __user *buf, unsigned int pos,
				       unsigned int count, loff_t base,
				       bool write)
{
	struct pci_dev *pdev = cfgguard_pdev(cgdev);
	struct cfgguard_outcome outcome = {};
	struct cfgguard_slice slice;
	unsigned int off, n;
	u8 mode, op, result;
	ssize_t ret = 0;

	mode = READ_ONCE(cgdev->mode);
	if (mode == CFGGUARD_MODE_OFF)
		return -EAGAIN;

	ret = pm_runtime_resume_and_get(&pdev->dev);
	if (ret) {
		pci_info_ratelimited(pdev, "runtime resume failed %zd\n", ret);
		return -EIO;
	}

	for (off = 0; off < count; off += n) {
		/* later slices start aligned, so no piece spans two */
		n = min_t(unsigned int, count - off,
			  CFGGUARD_SLICE - (pos + off) % 4);
		cfgguard_slice_take(cgdev, &slice, pos + off, n, write);
		if (!off)
			outcome.source = slice.source;
		if (mode == CFGGUARD_MODE_AUDIT) {
			outcome.blocked |= !!(write ? slice.write_block |
					      slice.write_masked :
					      slice.read_block);
			continue;
		}
		if (write)
			ret = cfgguard_write_slice(cgdev, &slice, buf + off,
						   pos + off, n, base, &outcome);
		else
			ret = cfgguard_read_slice(cgdev, &slice, buf + off,
						  pos + off, n, base, &outcome);
		if (ret < 0)
			goto out_put;
	}
	if (mode == CFGGUARD_MODE_AUDIT) {
		ret = cfgguard_forward(cgdev, buf, count, base + pos, write);
		if (ret < 0)
			goto out_put;
	}

	op = write ? CFGGUARD_OP_WRITE : CFGGUARD_OP_READ;
	if (outcome.blocked || outcome.masked) {
		result = mode == CFGGUARD_MODE_AUDIT ? CFGGUARD_RESULT_AUDITED :
			 outcome.blocked ? CFGGUARD_RESULT_BLOCKED :
					   CFGGUARD_RESULT_MASKED;
		cfgguard_account(cgdev, mode, outcome.source, op, result, pos,
				 count, write ? buf : NULL);
	} else {
		/* a long access, or a change since the first look */
		cfgguard_count(&cgdev->events, write ? CFGGUARD_WRITE_ALLOWED :
						      CFGGUARD_READ_ALLOWED);
	}
	ret = count;
out_put:
	pm_runtime_put(&pdev->dev);
	return ret;
}

static struct cfgguard_pci_core_device *
to_cfgguard(struct vfio_device *core_vdev)
{
	return container_of(core_vdev, struct cfgguard_pci_core_device,
			    core_device.vdev);
}

/*
 * Every access the first look does not let through: other regions, which
 * go to vfio_pci_core untouched; config accesses that do not lie wholly in
 * config space, which vfio-pci refuses, uncounted; and the accesses the
 * guard decides.
 */
static noinline ssize_t cfgguard_rw_slow(struct vfio_device *core_vdev,
					 char __user *buf, size_t count,
					 loff_t *ppos, bool write)
{
	struct cfgguard_pci_core_device *cgdev = to_cfgguard(core_vdev);
	u64 pos = *ppos & VFIO_PCI_OFFSET_MASK;
	ssize_t ret;

	if (VFIO_PCI_OFFSET_TO_INDEX(*ppos) != VFIO_PCI_CONFIG_REGION_INDEX ||
	    pos >= cgdev->cfg_size || count > cgdev->cfg_size - pos)
		goto out_forward;

	ret = cfgguard_config_guarded(cgdev, buf, pos, count, *ppos - pos,
				      write);
	/* -EAGAIN: the mode went off since the first look */
	if (ret != -EAGAIN) {
		if (ret > 0)
			*ppos += ret;
		return ret;
	}
	cfgguard_count(&cgdev->events, write ? CFGGUARD_WRITE_ALLOWED :
					      CFGGUARD_READ_ALLOWED);
out_forward:
	return write ? vfio_pci_core_write(core_vdev, buf, count, ppos) :
		       vfio_pci_core_read(core_vdev, buf, count, ppos);
}

/*
 * The access path's first look, inlined into the read and write ops: an
 * allowed config access is one byte read of the device's allowed runs,
 * one per-CPU increment and a tail call to vfio_pci_core. It is counted
 * when let through, as vfio-pci itself may still fail it (a fault on the
 * user's buffer). A count of 0 takes the slow path, as the runs cannot
 * tell a byte past the config space from one with nothing allowed after.
 */
static __always_inline ssize_t cfgguard_rw(struct vfio_device *core_vdev,
					   char __user *buf, size_t count,
					   loff_t *ppos, bool write)
{
	struct cfgguard_pci_core_device *cgdev = to_cfgguard(core_vdev);
	u64 pos = *ppos - VFIO_PCI_INDEX_TO_OFFSET(VFIO_PCI_CONFIG_REGION_INDEX);
	const u8 *runs = write ? cgdev->allowed_run_write :
				 cgdev->allowed_run_read;

	if (likely(pos < CFGGUARD_CFG_SPACE_SIZE &&
		   count - 1 < READ_ONCE(runs[pos]))) {
		cfgguard_count(&cgdev->events, write ? CFGGUARD_WRITE_ALLOWED :
						      CFGGUARD_READ_ALLOWED);
		return write ? vfio_pci_core_write(core_vdev, buf, count, ppos) :
			       vfio_pci_core_read(core_vdev, buf, count, ppos);
	}
	return cfgguard_rw_slow(core_vdev, buf, count, ppos, write);
}

static ssize_t cfgguard_read(struct vfio_device *core_vdev, char __user *buf,
			     size_t count, loff_t *ppos)
{
	return cfgguard_rw(core_vdev, buf, count, ppos, false);
}

static ssize_t cfgguard_write(struct vfio_device *core_vdev,
			      const char __user *buf, size_t count,
			      loff_t *ppos)
{
	return cfgguard_rw(core_vdev, (char __user *)buf, count, ppos, true);
}

static int cfgguard_init_dev(struct vfio_device *core_vdev)
{
	int ret;

	ret = vfio_pci_core_init_dev(core_vdev);
	if (ret)
		return ret;
	ret = cfgguard_events_init(&to_cfgguard(core_vdev)->events);
	if (ret)
		vfio_pci_core_release_dev(core_vdev);
	return ret;
}

static void cfgguard_release_dev(struct vfio_device *core_vdev)
{
	cfgguard_events_free(&to_cfgguard(core_vdev)->events);
	vfio_pci_core_release_dev(core_vdev);
}

static int cfgguard_open_device(struct vfio_device *core_vdev)
{
	struct cfgguard_pci_core_device *cgdev = to_cfgguard(core_vdev);
	struct vfio_pci_core_device *vdev = &cgdev->core_device;
	int ret;

	ret = vfio_pci_core_enable(vdev);
	if (ret)
		return ret;

	/* vfio-pci has just rebuilt its config map: guard by that one */
	ret = cfgguard_device_open(cgdev);
	if (ret) {
		vfio_pci_core_disable(vdev);
		return ret;
	}

	vfio_pci_core_finish_enable(vdev);
	return 0;
}

static void cfgguard_close_device(struct vfio_device *core_vdev)
{
	/* an open device pins the module and its family: send what is left */
	cfgguard_events_close(&to_cfgguard(core_vdev)->events);
	vfio_pci_core_close_device(core_vdev);
}

static const struct vfio_device_ops cfgguard_vfio_pci_ops = {
	.name		= "cfgguard-vfio-pci",
	.init		= cfgguard_init_dev,
	.release	= cfgguard_release_dev,
	.open_device	= cfgguard_open_device,
	.close_device	= cfgguard_close_device,
	.ioctl		= vfio_pci_core_ioctl,
	.device_feature	= vfio_pci_core_ioctl_feature,
	.read		= cfgguard_read,
	.write		= cfgguard_write,
	.mmap		= vfio_pci_core_mmap,
	.request	= vfio_pci_core_request,
	.match		= vfio_pci_core_match,
	CFGGUARD_IOMMUFD_OPS
	CFGGUARD_MATCH_TOKEN_OPS
	CFGGUARD_REGION_INFO_OPS
};

/**
 * cfgguard_vfio_probe() - create and register the vfio device for @pdev
 * @pdev: the PCI device being bound
 *
 * Return: 0 or a negative errno from vfio_pci_core.
 */
int cfgguard_vfio_probe(struct pci_dev *pdev)
{
	struct cfgguard_pci_core_device *cgdev;
	int ret;

	cgdev = vfio_alloc_device(cfgguard_pci_core_device, core_device.vdev,
				  &pdev->dev, &cfgguard_vfio_pci_ops);
	if (IS_ERR(cgdev))
		return PTR_ERR(cgdev);

	ret = cfgguard_device_attach(cgdev);
	if (ret)
		goto out_put_vdev;

	dev_set_drvdata(&pdev->dev, &cgdev->core_device);
	ret = vfio_pci_core_register_device(&cgdev->core_device);
	if (ret)
		goto out_detach;
	return 0;

out_detach:
	cfgguard_device_detach(cgdev);
out_put_vdev:
	vfio_put_device(&cgdev->core_device.vdev);
	return ret;
}

/**
 * cfgguard_vfio_remove() - unregister and free the vfio device of @pdev
 * @pdev: the PCI device being unbound
 *
 * Blocks until the vfio user (QEMU) has closed the device.
 */
void cfgguard_vfio_remove(struct pci_dev *pdev)
{
	struct vfio_pci_core_device *vdev = dev_get_drvdata(&pdev->dev);

	vfio_pci_core_unregister_device(vdev);
	cfgguard_device_detach(to_cfgguard(&vdev->vdev));
	vfio_put_device(&vdev->vdev);
}
