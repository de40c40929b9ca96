// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The cfgguard authors.
 *
 * cfgguard-vfio-pci: a vfio-pci variant driver that guards the PCI
 * configuration space of a passthrough device against its VFIO user.
 */

#include <linux/module.h>
#include <linux/pci.h>
#include <linux/vfio_pci_core.h>

#include "version.h"
#include "vfio_dev.h"

static int cfgguard_pci_probe(struct pci_dev *pdev,
			      const struct pci_device_id *id)
{
	return cfgguard_vfio_probe(pdev);
}

static int cfgguard_pci_sriov_configure(struct pci_dev *pdev, int nr_virtfn)
{
	return vfio_pci_core_sriov_configure(dev_get_drvdata(&pdev->dev),
					     nr_virtfn);
}

/*
 * No id_table: the PCI core matches a driver named in driver_override even
 * without one, and without one there is no modules.alias entry, so the driver
 * is never an automatic choice and never ties with vfio-pci's catch-all in
 * libvirt's variant selection. The name is the module's, for driverctl.
 */
static struct pci_driver cfgguard_pci_driver = {
	.name			= "cfgguard-vfio-pci",
	.probe			= cfgguard_pci_probe,
	.remove			= cfgguard_vfio_remove,
	.sriov_configure	= cfgguard_pci_sriov_configure,
	.err_handler		= &vfio_pci_core_err_handlers,
	.driver_managed_dma	= true,
};

static int __init cfgguard_init(void)
{
	int ret;

	ret = pci_register_driver(&cfgguard_pci_driver);
	if (ret)
		return ret;

	pr_info("cfgguard " CFGGUARD_VERSION " loaded\n");
	return 0;
}

static void __exit cfgguard_exit(void)
{
	pci_unregister_driver(&cfgguard_pci_driver);
}

module_init(cfgguard_init);
module_exit(cfgguard_exit);

MODULE_LICENSE("GPL");
MODULE_VERSION(CFGGUARD_VERSION);
MODULE_AUTHOR("The cfgguard authors");
MODULE_DESCRIPTION("cfgguard - vfio-pci variant driver that guards PCI config space");
