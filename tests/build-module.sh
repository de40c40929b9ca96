#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-module.sh <kernel release> <build dir>
#
# Builds the module for one kernel in <build dir>/kmod/<kernel release>, a
# copy of the tree (6.1 cannot put a module's objects outside its source), at
# W=1, and fails on any compiler or modpost warning. Exits 77 without headers.
set -uo pipefail

kver=$1
src=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$2"
out=$(cd "$2" && pwd)/kmod/$kver
kdir=/lib/modules/$kver/build

[[ -f $kdir/Makefile ]] || { echo "SKIP: no headers for $kver (apt-get install linux-headers-$kver)"; exit 77; }

rm -rf "$out"
mkdir -p "$out"
cp -r "$src/Kbuild" "$src/module" "$src/uapi" "$out/"

log=$out/build.log
make -C "$kdir" M="$out" W=1 modules > "$log" 2>&1
rc=$?
cat "$log"
((rc == 0)) || { echo "FAIL: module build for $kver"; exit 1; }
if grep -E 'warning:|WARNING:' "$log"; then
	echo "FAIL: the module build for $kver has warnings"
	exit 1
fi
echo "PASS: built $out/module/cfgguard-vfio-pci.ko"
