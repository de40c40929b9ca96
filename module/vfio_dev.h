/* SPDX-License-Identifier: GPL-2.0 */
/* Copyright (C) 2026 The cfgguard authors. */
#ifndef _CFGGUARD_VFIO_DEV_H
#define _CFGGUARD_VFIO_DEV_H

#include <linux/vfio_pci_core.h>

struct cfgguard_pci_core_device {
	struct vfio_pci_core_device core_device;
};

int cfgguard_vfio_probe(struct pci_dev *pdev);
void cfgguard_vfio_remove(struct pci_dev *pdev);

#endif /* _CFGGUARD_VFIO_DEV_H */
