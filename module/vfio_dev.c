// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The cfgguard authors.
 *
 * The vfio device: vfio_pci_core does all the work except for accesses to
 * the config region, which go through one cfgguard function per direction.
 */

#include <linux/pci.h>
#include <linux/vfio.h>

#include "vfio_dev.h"

static ssize_t cfgguard_config_read(struct cfgguard_pci_core_device *cgdev,
				    char __user *buf, size_t count,
				    loff_t *ppos)
{
	return vfio_pci_core_read(&cgdev->core_device.vdev, buf, count, ppos);
}

static ssize_t cfgguard_config_write(struct cfgguard_pci_core_device *cgdev,
				     const char __user *buf, size_t count,
				     loff_t *ppos)
{
	return vfio_pci_core_write(&cgdev->core_device.vdev, buf, count, ppos);
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
	.init		= vfio_pci_core_init_dev,
	.release	= vfio_pci_core_release_dev,
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

	dev_set_drvdata(&pdev->dev, &cgdev->core_device);
	ret = vfio_pci_core_register_device(&cgdev->core_device);
	if (ret)
		goto out_put_vdev;
	return 0;

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
	vfio_put_device(&vdev->vdev);
}
