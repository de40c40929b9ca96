/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The cfgguard authors.
 *
 * Force-included into every file of the module. The code is written against
 * the newest vfio and netlink API; each block below gives an older kernel
 * what it lacks, keyed on a feature probe from Kbuild.
 */
#ifndef _CFGGUARD_COMPAT_H
#define _CFGGUARD_COMPAT_H

/*
 * 6.2 added iommufd callbacks to vfio_device_ops, and kernels built with
 * CONFIG_IOMMUFD refuse to register a device without all four (detach_ioas
 * came with the cdev series). Spelling them as one initializer keeps the ops
 * table readable on 6.1, which has none.
 */
#if defined(CFGGUARD_HAVE_IOMMUFD_OPS) && defined(CFGGUARD_HAVE_DETACH_IOAS)
#define CFGGUARD_IOMMUFD_OPS						\
	.bind_iommufd	= vfio_iommufd_physical_bind,			\
	.unbind_iommufd	= vfio_iommufd_physical_unbind,			\
	.attach_ioas	= vfio_iommufd_physical_attach_ioas,		\
	.detach_ioas	= vfio_iommufd_physical_detach_ioas,
#elif defined(CFGGUARD_HAVE_IOMMUFD_OPS)
#define CFGGUARD_IOMMUFD_OPS						\
	.bind_iommufd	= vfio_iommufd_physical_bind,			\
	.unbind_iommufd	= vfio_iommufd_physical_unbind,			\
	.attach_ioas	= vfio_iommufd_physical_attach_ioas,
#else
#define CFGGUARD_IOMMUFD_OPS
#endif

/* 6.17 checks the VF token of iommufd binds through this op. */
#ifdef CFGGUARD_HAVE_MATCH_TOKEN_UUID
#define CFGGUARD_MATCH_TOKEN_OPS \
	.match_token_uuid = vfio_pci_core_match_token_uuid,
#else
#define CFGGUARD_MATCH_TOKEN_OPS
#endif

/* 6.19 serves VFIO_DEVICE_GET_REGION_INFO only through this op. */
#ifdef CFGGUARD_HAVE_GET_REGION_INFO_CAPS
#define CFGGUARD_REGION_INFO_OPS \
	.get_region_info_caps = vfio_pci_ioctl_get_region_info,
#else
#define CFGGUARD_REGION_INFO_OPS
#endif

#endif /* _CFGGUARD_COMPAT_H */
