#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# dkms.sh install <kernel release>...: the operator's install path, for
# kernels that need not be running: make dkms-add, dkms build -k and
# dkms install -k for each kernel, then check where the module landed.
# dkms.sh remove <kernel release>...: undoes it and checks nothing is left.
set -euo pipefail

action=$1
shift
src=$(cd "$(dirname "$0")/../.." && pwd)
command -v dkms >/dev/null || { echo "SKIP: dkms is not installed"; exit 77; }
((EUID == 0)) || { echo "SKIP: dkms needs root"; exit 77; }
version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$src/dkms.conf")
grep -q "\"$version\"" "$src/module/version.h" ||
	{ echo "FAIL: dkms.conf version $version differs from module/version.h"; exit 1; }

installed() { # <kernel release>
	ls /lib/modules/"$1"/updates/dkms/cfgguard-vfio-pci.ko* 2>/dev/null
}

# One kernel at a time: dkms 3.0.10's "remove --all" leaves the module of a
# kernel that is not running in place ("Module was not found").
remove_all() {
	local kver
	for kver in $(dkms status cfgguard/"$version" 2>/dev/null |
		      sed -n 's/^[^,]*, \([^,]*\), .*/\1/p'); do
		dkms remove cfgguard/"$version" -k "$kver"
	done
	if dkms status cfgguard/"$version" 2>/dev/null | grep -q .; then
		dkms remove cfgguard/"$version" --all
	fi
	rm -rf /usr/src/cfgguard-"$version"
}

case $action in
install)
	remove_all
	make -C "$src" --no-print-directory dkms-add
	for kver; do
		[[ -d /lib/modules/$kver/build ]] || { echo "SKIP: no headers for $kver"; exit 77; }
		dkms build cfgguard/"$version" -k "$kver"
		dkms install cfgguard/"$version" -k "$kver"
		ko=$(installed "$kver") || { echo "FAIL: nothing installed for $kver"; exit 1; }
		echo "installed for $kver: $ko"
		modinfo -F vermagic "$ko" | grep -q "^$kver " ||
			{ echo "FAIL: $ko is not built for $kver"; exit 1; }
	done
	dkms status cfgguard
	;;
remove)
	remove_all
	for kver; do
		if ko=$(installed "$kver"); then
			echo "FAIL: $ko is still installed"
			exit 1
		fi
	done
	echo "removed"
	;;
*)
	echo "Usage: $0 install|remove <kernel release>..." >&2
	exit 2
	;;
esac
