#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# sparse.sh <kernel release> <build dir>: builds the module with C=2 and
# fails on any sparse or compiler diagnostic in cfgguard's own files.
set -uo pipefail

kver=$1
src=$(cd "$(dirname "$0")/../.." && pwd)
command -v sparse >/dev/null || { echo "SKIP: sparse is not installed"; exit 77; }
kdir=/lib/modules/$kver/build
[[ -f $kdir/Makefile ]] || { echo "SKIP: no headers for $kver"; exit 77; }

mkdir -p "$2"
out=$(cd "$2" && pwd)/sparse/$kver
rm -rf "$out"
mkdir -p "$out"
cp -r "$src/Kbuild" "$src/module" "$src/uapi" "$out/"

make -C "$kdir" M="$out" C=2 W=1 modules > "$out/sparse.log" 2>&1
rc=$?
cat "$out/sparse.log"
((rc == 0)) || { echo "FAIL: build with sparse"; exit 1; }
if grep -E "^$out/.*(warning|error):" "$out/sparse.log"; then
	echo "FAIL: sparse or compiler diagnostics"
	exit 1
fi
echo "PASS: sparse clean on $kver"
