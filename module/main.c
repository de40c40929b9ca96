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
#include <net/genetlink.h>

#include "guard.h"
#include "netlink.h"
#include "version.h"
#include "vfio_dev.h"

/*
 * The default table of a device with no table loaded blocks the bytes that
 * belong to no capability, as the upstream RFC "vfio/pci: Block and audit
 * accesses to unassigned config regions" did; its parameter names are
 * accepted too, so its users lose nothing.
 */
bool cfgguard_block_unassigned_write = true;
bool cfgguard_block_unassigned_read;

/* Every device's first look follows the parameters' new value. */
static int cfgguard_block_param_set(const char *val,
				    const struct kernel_param *kp)
{
	int ret;

	mutex_lock(&cfgguard_lock);
	ret = param_set_bool(val, kp);
	if (!ret)
		cfgguard_allowed_runs_update_all();
	mutex_unlock(&cfgguard_lock);
	return ret;
}

static const struct kernel_param_ops cfgguard_block_param_ops = {
	.set = cfgguard_block_param_set,
	.get = param_get_bool,
};

module_param_cb(block_unassigned_write, &cfgguard_block_param_ops,
		&cfgguard_block_unassigned_write, 0644);
module_param_cb(block_pci_unassigned_write, &cfgguard_block_param_ops,
		&cfgguard_block_unassigned_write, 0644);
__MODULE_PARM_TYPE(block_unassigned_write, "bool");
MODULE_PARM_DESC(block_unassigned_write,
		 "Default table: drop writes to bytes outside the header and capabilities (default: on)");

module_param_cb(block_unassigned_read, &cfgguard_block_param_ops,
		&cfgguard_block_unassigned_read, 0644);
module_param_cb(block_pci_unassigned_read, &cfgguard_block_param_ops,
		&cfgguard_block_unassigned_read, 0644);
__MODULE_PARM_TYPE(block_unassigned_read, "bool");
MODULE_PARM_DESC(block_unassigned_read,
		 "Default table: read bytes outside the header and capabilities as zeros (default: off)");

unsigned int cfgguard_event_rate = 1000;
module_param_named(event_rate, cfgguard_event_rate, uint, 0644);
MODULE_PARM_DESC(event_rate,
		 "Events and audit records per second and device; 0: no limit (default: 1000)");

unsigned int cfgguard_event_burst = 1000;
module_param_named(event_burst, cfgguard_event_burst, uint, 0644);
MODULE_PARM_DESC(event_burst,
		 "Events a device may send at once before event_rate applies (default: 1000)");

bool cfgguard_audit;
module_param_named(audit, cfgguard_audit, bool, 0644);
MODULE_PARM_DESC(audit,
		 "Also log each reported access to the audit subsystem as AUDIT_KERNEL_OTHER (default: off)");

static char *cfgguard_allow_ids_param;
module_param_named(allow_ids, cfgguard_allow_ids_param, charp, 0444);
module_param_named(uaccess_allow_ids, cfgguard_allow_ids_param, charp, 0444);
MODULE_PARM_DESC(allow_ids,
		 "Models whose default table blocks nothing: vendor:device in hex, comma separated");
MODULE_PARM_DESC(uaccess_allow_ids, "The upstream RFC's name for allow_ids");

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

/* The family comes last, so userspace never reaches a half-made module. */
static int __init cfgguard_init(void)
{
	int ret;

	ret = cfgguard_guard_init(cfgguard_allow_ids_param);
	if (ret)
		return ret;
	ret = pci_register_driver(&cfgguard_pci_driver);
	if (ret)
		goto err_guard;
	ret = cfgguard_genl_init();
	if (ret)
		goto err_driver;

	pr_info("cfgguard " CFGGUARD_VERSION " loaded\n");
	return 0;

err_driver:
	pci_unregister_driver(&cfgguard_pci_driver);
err_guard:
	cfgguard_guard_exit();
	return ret;
}

static void __exit cfgguard_exit(void)
{
	cfgguard_genl_exit();
	pci_unregister_driver(&cfgguard_pci_driver);
	cfgguard_guard_exit();
}

module_init(cfgguard_init);
module_exit(cfgguard_exit);

MODULE_LICENSE("GPL");
MODULE_VERSION(CFGGUARD_VERSION);
MODULE_AUTHOR("The cfgguard authors");
MODULE_DESCRIPTION("cfgguard - vfio-pci variant driver that guards PCI config space");
MODULE_ALIAS_GENL_FAMILY(CFGGUARD_FAMILY_NAME);
