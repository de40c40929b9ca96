#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# demo.sh [<build dir>]: the main job. Builds the module for Debian's 6.1
# kernel, boots that kernel in QEMU and shows a device bound to
# cfgguard-vfio-pci working, with each command and its real output.
set -euo pipefail

src=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$src/build}
kver=${CFGGUARD_DEMO_KERNEL:-$("$src/tests/kernels.sh" | sed -n 1p)}
[[ -n $kver ]] || { echo "No Debian 12 kernel installed: run make deps as root" >&2; exit 1; }

"$src/tests/build-module.sh" "$kver" "$build" > /dev/null
echo "Booting Debian's $kver under QEMU (TCG, q35, emulated Intel IOMMU)..."
"$src/tests/vm/run.sh" "$kver" demo "$build"
