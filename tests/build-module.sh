#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-module.sh <kernel release> <build dir> [<kind> <make argument>...]
#
# Builds the module for one kernel in <build dir>/<kind>/<kernel release>
# (kind: kmod), a copy of the tree (6.1 cannot put a module's objects
# outside its source), at W=1 and with any further make arguments (C=2 for
# sparse), and fails on any compiler, modpost or sparse warning; a newer
# Debian's kernel in that Debian's root (tests/newer/kernel.sh). Exits 77
# without headers.
set -uo pipefail

kver=$1
src=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$2"
out=$(cd "$2" && pwd)/${3:-kmod}/$kver
shift $(($# < 3 ? $# : 3))
# shellcheck source=tests/debug/paths.sh
source "$src/tests/debug/paths.sh"
kdir=$(kernel_build_dir "$kver")
root=$(kernel_build_root "$kver")

[[ -f $root$kdir/Makefile ]] || { echo "SKIP: no headers for $kver (apt-get install linux-headers-$kver)"; exit 77; }

rm -rf "$out"
mkdir -p "$out"
cp -r "$src/Kbuild" "$src/module" "$src/uapi" "$out/"

log=$out/build.log
if [[ -n $root ]]; then
	# The tree is bound at the same path inside the root, in a mount
	# namespace of its own that ends with the build; objtool needs /proc.
	# shellcheck disable=SC2016 # expanded by the inner bash
	unshare --mount --fork bash -c '
		root=$1 out=$2; shift 2
		mkdir -p "$root$out" && mount --bind "$out" "$root$out" &&
		mount -t proc proc "$root/proc" &&
		exec chroot "$root" env LC_ALL=C make "$@"' \
		sh "$root" "$out" -C "$kdir" M="$out" W=1 "$@" modules > "$log" 2>&1
else
	make -C "$kdir" M="$out" W=1 "$@" modules > "$log" 2>&1
fi
rc=$?
cat "$log"
((rc == 0)) || { echo "FAIL: module build for $kver"; exit 1; }
if grep -E 'warning:|WARNING:|error:' "$log"; then
	echo "FAIL: the module build for $kver has warnings"
	exit 1
fi
ko=$out/module/cfgguard-vfio-pci.ko
field() { modinfo -F "$1" "$ko"; }
[[ $(field name) == cfgguard_vfio_pci ]] || { echo "FAIL: modinfo name is '$(field name)'"; exit 1; }
[[ $(field license) == GPL ]] || { echo "FAIL: modinfo license is '$(field license)'"; exit 1; }
[[ $(field description) == *"vfio-pci variant driver"* ]] || { echo "FAIL: modinfo description is '$(field description)'"; exit 1; }
# The genetlink family alias lets cfgguard-ctl load the module; a PCI alias
# would make it an automatic choice for devices.
if field alias | grep -E '^(vfio_)?pci:'; then
	echo "FAIL: the module declares PCI aliases, it must bind only by driver_override"
	exit 1
fi
[[ $(field alias) == net-pf-16-proto-16-family-cfgguard ]] ||
	{ echo "FAIL: modinfo alias is '$(field alias)'"; exit 1; }
modinfo "$ko" | grep -vE '^(sig|signer|sig_key|sig_hashalgo|signature|\s)'
echo "PASS: built $ko"
