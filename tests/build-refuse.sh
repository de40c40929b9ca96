#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-refuse.sh <kernel release> <build dir>
#
# The module must refuse to build, with a message that says why, against a
# kernel whose genetlink cannot restrict the events group to CAP_NET_ADMIN.
# Such a kernel is made from the installed headers: a tree of symlinks to
# them in which include/net/genetlink.h lacks GENL_MCAST_CAP_*. Exits 77
# without headers.
set -uo pipefail

kver=$1
src=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$2"
out=$(cd "$2" && pwd)/refuse/$kver
kdir=/lib/modules/$kver/build

[[ -f $kdir/Makefile ]] || { echo "SKIP: no headers for $kver (apt-get install linux-headers-$kver)"; exit 77; }
# Debian splits the headers: <kver>/Makefile includes <common>/Makefile.
common=$(sed -n 's/^include \(.*\)\/Makefile$/\1/p' "$kdir/Makefile")
[[ -d $common ]] || { echo "FAIL: cannot find the common headers that $kdir/Makefile includes"; exit 1; }
grep -q GENL_MCAST_CAP_NET_ADMIN "$common/include/net/genetlink.h" ||
	{ echo "SKIP: $kver itself lacks GENL_MCAST_CAP_NET_ADMIN"; exit 77; }

rm -rf "$out"
mkdir -p "$out/headers" "$out/tree"
cp -as "$common" "$out/headers/common"
cp -as "$(readlink -f "$kdir")" "$out/headers/arch"
# Kbuild takes srctree from the real path of the Makefile it includes
for f in "$out/headers/common/Makefile"; do cp --remove-destination "$(readlink "$f")" "$f"; done
echo "include $out/headers/common/Makefile" > "$out/headers/arch/Makefile.new"
mv "$out/headers/arch/Makefile.new" "$out/headers/arch/Makefile"
h=$out/headers/common/include/net/genetlink.h
sed '/GENL_MCAST_CAP_/d' "$(readlink "$h")" > "$h.new" && mv "$h.new" "$h"

cp -r "$src/Kbuild" "$src/module" "$src/uapi" "$out/tree/"
log=$out/build.log
make -C "$out/headers/arch" M="$out/tree" modules > "$log" 2>&1
rc=$?
cat "$log"
((rc != 0)) || { echo "FAIL: the module built against a kernel that cannot restrict its events group"; exit 1; }
grep -q 'cfgguard: this kernel cannot restrict the events multicast group to CAP_NET_ADMIN' "$log" ||
	{ echo "FAIL: the build failed without saying why"; exit 1; }
[[ ! -e $out/tree/module/cfgguard-vfio-pci.ko ]] || { echo "FAIL: a module was built"; exit 1; }
echo "PASS: refused to build against headers without GENL_MCAST_CAP_NET_ADMIN"
