#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Prints the kernel releases cfgguard is tested on, one per line: the
# kernels behind Debian 12's two amd64 meta-packages (6.1 and 6.12).
set -uo pipefail

for meta in linux-image-amd64 linux-image-6.12-amd64; do
	dpkg-query -W -f='${Depends}\n' "$meta" 2>/dev/null |
		grep -oE 'linux-image-[^ ,]+' | head -n1 | sed 's/^linux-image-//'
done
