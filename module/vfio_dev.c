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
 * vfio_pci_core whole. Others are split into runs of bytes that share a
 * fate: allowed runs go to vfio_pci_core, blocked reads read as zeros,
 * blocked writes are dropped, masked writes are merged with the device's
 * value. The VFIO user always sees the full count, as QEMU fails a device
 * on a short config read.
 *
 * The decision is taken under RCU, which costs the access path no atomic
 * operation and no barrier. An access that must be split takes it again
 * under SRCU, which the accesses it forwards to vfio_pci_core may sleep
 * under, and keeps that guard to the end. A table load waits for neither.
 */

static bool cfgguard_blocks(const struct cfgguard_guard *guard,
			    const unsigned long *map, bool param,
			    unsigned int pos, size_t count)
{
	if (guard->follows_params && !param)
		return false;
	return cfgguard_any(map, pos, count);
}

static ssize_t cfgguard_forward_read(struct cfgguard_pci_core_device *cgdev,
				     char __user *buf, size_t count,
				     loff_t pos)
{
	ssize_t ret;

	ret = vfio_pci_core_read(&cgdev->core_device.vdev, buf, count, &pos);
	return ret < 0 || ret == count ? ret : -EIO;
}

static ssize_t cfgguard_forward_write(struct cfgguard_pci_core_device *cgdev,
				      const char __user *buf, size_t count,
				      loff_t pos)
{
	ssize_t ret;

	ret = vfio_pci_core_write(&cgdev->core_device.vdev, buf, count, &pos);
	return ret < 0 || ret == count ? ret : -EIO;
}

static ssize_t cfgguard_read_split(struct cfgguard_pci_core_device *cgdev,
				   const struct cfgguard_policy *policy,
				   char __user *buf, size_t count,
				   loff_t base, unsigned int pos)
{
	unsigned int end = pos + count, run, off;
	ssize_t ret;

	for (off = pos; off < end; off += run) {
		run = cfgguard_run(policy->read_block, off, end);
		if (test_bit(off, policy->read_block))
			ret = clear_user(buf + off - pos, run) ? -EFAULT : run;
		else
			ret = cfgguard_forward_read(cgdev, buf + off - pos, run,
						    base + off);
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
 * Honours a write mask by a read-modify-write of the device, in naturally
 * aligned pieces as vfio-pci itself splits raw accesses. Masks only exist
 * on bytes vfio-pci passes raw, so this is what it would have done with
 * the merged value.
 */
static int cfgguard_write_masked(struct cfgguard_pci_core_device *cgdev,
				 const struct cfgguard_policy *policy,
				 const char __user *buf, unsigned int pos,
				 unsigned int count)
{
	struct pci_dev *pdev = cfgguard_pdev(cgdev);
	unsigned int size, i;
	u32 val, old, mask;
	u8 bytes[4];
	int ret = 0;

	if (pm_runtime_resume_and_get(&pdev->dev))
		return -EIO;
	for (; count && !ret; pos += size, buf += size, count -= size) {
		size = (pos % 4 == 0 && count >= 4) ? 4 :
		       (pos % 2 == 0 && count >= 2) ? 2 : 1;
		if (copy_from_user(bytes, buf, size)) {
			ret = -EFAULT;
			break;
		}
		for (i = 0, val = 0, mask = 0; i < size; i++) {
			val |= bytes[i] << (8 * i);
			mask |= policy->wmask[pos + i] << (8 * i);
		}
		ret = cfgguard_cfg_read(pdev, pos, size, &old);
		if (!ret)
			ret = cfgguard_cfg_write(pdev, pos, size,
						 (old & ~mask) | (val & mask));
	}
	pm_runtime_put(&pdev->dev);
	return ret;
}

static ssize_t cfgguard_write_split(struct cfgguard_pci_core_device *cgdev,
				    const struct cfgguard_policy *policy,
				    const char __user *buf, size_t count,
				    loff_t base, unsigned int pos)
{
	unsigned int end = pos + count, run, off;
	ssize_t ret;

	for (off = pos; off < end; off += run) {
		run = min(cfgguard_run(policy->write_block, off, end),
			  cfgguard_run(policy->write_masked, off, end));
		if (test_bit(off, policy->write_block))
			ret = run;
		else if (test_bit(off, policy->write_masked))
			ret = cfgguard_write_masked(cgdev, policy,
						    buf + off - pos, off, run);
		else
			ret = cfgguard_forward_write(cgdev, buf + off - pos,
						     run, base + off);
		if (ret < 0)
			return ret;
	}
	return count;
}

/* Reports a guarded access; @buf holds what was written, for writes. */
static void cfgguard_account(struct cfgguard_pci_core_device *cgdev,
			     const struct cfgguard_guard *guard, u8 mode,
			     u8 op, u8 result, unsigned int pos, size_t count,
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
		.source = guard->source,
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

static bool cfgguard_read_blocks(const struct cfgguard_guard *guard,
				 unsigned int pos, size_t count)
{
	return cfgguard_blocks(guard, guard->policy.read_block,
			       READ_ONCE(cfgguard_block_unassigned_read),
			       pos, count);
}

static bool cfgguard_write_blocks(const struct cfgguard_guard *guard,
				  unsigned int pos, size_t count)
{
	return cfgguard_blocks(guard, guard->policy.write_block,
			       READ_ONCE(cfgguard_block_unassigned_write),
			       pos, count);
}

static bool cfgguard_write_masks(const struct cfgguard_guard *guard,
				 unsigned int pos, size_t count)
{
	return cfgguard_any(guard->policy.write_masked, pos, count);
}

/* Whether the access is guarded at all; the decision is taken under RCU. */
static bool cfgguard_guarded(struct cfgguard_pci_core_device *cgdev,
			     unsigned int pos, size_t count, bool write)
{
	const struct cfgguard_guard *guard;
	bool guarded;

	/* vfio_pci_core refuses out-of-range accesses; let it say how */
	if (pos >= cgdev->cfg_size || count > cgdev->cfg_size - pos ||
	    READ_ONCE(cgdev->mode) == CFGGUARD_MODE_OFF)
		return false;

	rcu_read_lock();
	guard = rcu_dereference(cgdev->guard);
	guarded = write ? cfgguard_write_blocks(guard, pos, count) ||
			  cfgguard_write_masks(guard, pos, count) :
			  cfgguard_read_blocks(guard, pos, count);
	rcu_read_unlock();
	return guarded;
}

static ssize_t cfgguard_config_read(struct cfgguard_pci_core_device *cgdev,
				    char __user *buf, size_t count,
				    loff_t *ppos)
{
	struct vfio_device *vdev = &cgdev->core_device.vdev;
	unsigned int pos = *ppos & VFIO_PCI_OFFSET_MASK;
	const struct cfgguard_guard *guard;
	ssize_t ret;
	u8 mode;
	int idx;

	if (!cfgguard_guarded(cgdev, pos, count, false))
		goto out_allowed;

	idx = srcu_read_lock(&cfgguard_srcu);
	guard = srcu_dereference(cgdev->guard, &cfgguard_srcu);
	mode = READ_ONCE(cgdev->mode);
	/* a table or the mode may have changed since the first look */
	if (mode == CFGGUARD_MODE_OFF ||
	    !cfgguard_read_blocks(guard, pos, count)) {
		srcu_read_unlock(&cfgguard_srcu, idx);
		goto out_allowed;
	}

	if (mode == CFGGUARD_MODE_AUDIT) {
		ret = vfio_pci_core_read(vdev, buf, count, ppos);
	} else {
		ret = cfgguard_read_split(cgdev, &guard->policy, buf, count,
					  *ppos - pos, pos);
		if (ret > 0)
			*ppos += ret;
	}
	if (ret >= 0)
		cfgguard_account(cgdev, guard, mode, CFGGUARD_OP_READ,
				 mode == CFGGUARD_MODE_AUDIT ?
				 CFGGUARD_RESULT_AUDITED : CFGGUARD_RESULT_BLOCKED,
				 pos, count, NULL);
	srcu_read_unlock(&cfgguard_srcu, idx);
	return ret;

out_allowed:
	ret = vfio_pci_core_read(vdev, buf, count, ppos);
	if (ret >= 0)
		cfgguard_count(&cgdev->events, CFGGUARD_READ_ALLOWED);
	return ret;
}

static ssize_t cfgguard_config_write(struct cfgguard_pci_core_device *cgdev,
				     const char __user *buf, size_t count,
				     loff_t *ppos)
{
	struct vfio_device *vdev = &cgdev->core_device.vdev;
	unsigned int pos = *ppos & VFIO_PCI_OFFSET_MASK;
	const struct cfgguard_guard *guard;
	bool blocked, masked;
	ssize_t ret;
	u8 mode, result;
	int idx;

	if (!cfgguard_guarded(cgdev, pos, count, true))
		goto out_allowed;

	idx = srcu_read_lock(&cfgguard_srcu);
	guard = srcu_dereference(cgdev->guard, &cfgguard_srcu);
	mode = READ_ONCE(cgdev->mode);
	blocked = cfgguard_write_blocks(guard, pos, count);
	masked = cfgguard_write_masks(guard, pos, count);
	if (mode == CFGGUARD_MODE_OFF || (!blocked && !masked)) {
		srcu_read_unlock(&cfgguard_srcu, idx);
		goto out_allowed;
	}

	if (mode == CFGGUARD_MODE_AUDIT) {
		ret = vfio_pci_core_write(vdev, buf, count, ppos);
		result = CFGGUARD_RESULT_AUDITED;
	} else {
		ret = cfgguard_write_split(cgdev, &guard->policy, buf, count,
					   *ppos - pos, pos);
		if (ret > 0)
			*ppos += ret;
		result = blocked ? CFGGUARD_RESULT_BLOCKED :
				   CFGGUARD_RESULT_MASKED;
	}
	if (ret >= 0)
		cfgguard_account(cgdev, guard, mode, CFGGUARD_OP_WRITE, result,
				 pos, count, buf);
	srcu_read_unlock(&cfgguard_srcu, idx);
	return ret;

out_allowed:
	ret = vfio_pci_core_write(vdev, buf, count, ppos);
	if (ret >= 0)
		cfgguard_count(&cgdev->events, CFGGUARD_WRITE_ALLOWED);
	return ret;
}

static struct cfgguard_pci_core_device *
to_cfgguard(struct vfio_device *core_vdev)
{
	return container_of(core_vdev, struct cfgguard_pci_core_device,
			    core_device.vdev);
}

static bool cfgguard_is_config(loff_t pos)
{
	return VFIO_PCI_OFFSET_TO_INDEX(pos) == VFIO_PCI_CONFIG_REGION_INDEX;
}

static ssize_t cfgguard_read(struct vfio_device *core_vdev, char __user *buf,
			     size_t count, loff_t *ppos)
{
	if (cfgguard_is_config(*ppos))
		return cfgguard_config_read(to_cfgguard(core_vdev), buf, count,
					    ppos);
	return vfio_pci_core_read(core_vdev, buf, count, ppos);
}

static ssize_t cfgguard_write(struct vfio_device *core_vdev,
			      const char __user *buf, size_t count,
			      loff_t *ppos)
{
	if (cfgguard_is_config(*ppos))
		return cfgguard_config_write(to_cfgguard(core_vdev), buf, count,
					     ppos);
	return vfio_pci_core_write(core_vdev, buf, count, ppos);
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
	struct vfio_pci_core_device *vdev =
		&to_cfgguard(core_vdev)->core_device;
	int ret;

	ret = vfio_pci_core_enable(vdev);
	if (ret)
		return ret;

	vfio_pci_core_finish_enable(vdev);
	return 0;
}

static const struct vfio_device_ops cfgguard_vfio_pci_ops = {
	.name		= "cfgguard-vfio-pci",
	.init		= cfgguard_init_dev,
	.release	= cfgguard_release_dev,
	.open_device	= cfgguard_open_device,
	.close_device	= vfio_pci_core_close_device,
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
