#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# regen.sh [--check] [<build dir>]
#
# Generates uapi/linux/cfgguard.h and module/netlink-gen.[ch] from
# uapi/cfgguard.yaml with the kernel's YNL generator, taken from Debian's
# linux-source-6.12. With --check, generates into a scratch folder and fails
# if the checked-in files differ (a drift check). Building never needs this.
set -euo pipefail

check=
[[ ${1:-} == --check ]] && { check=1; shift; }
src=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$src/build}

tarball=$(ls /usr/src/linux-source-6.12*.tar.xz 2>/dev/null | head -n1 || true)
[[ -n $tarball ]] || { echo "SKIP: linux-source-6.12 is not installed"; exit 77; }
python3 -c 'import yaml, jsonschema' 2>/dev/null ||
	{ echo "SKIP: python3-yaml and python3-jsonschema are needed"; exit 77; }

mkdir -p "$bin"
bin=$(cd "$bin" && pwd)
top=$(basename "$tarball" .tar.xz)
ynl=$bin/ynl/$top
if [[ ! -f $ynl/tools/net/ynl/ynl-gen-c.py ]]; then
	mkdir -p "$bin/ynl"
	tar -xf "$tarball" -C "$bin/ynl" "$top/tools/net/ynl" \
		"$top/Documentation/netlink/genetlink-legacy.yaml"
fi

# The generator finds "the kernel root" by walking up to a MAINTAINERS file
# (forever, if there is none) and the schema at <spec dir>/../<protocol>.yaml,
# so it runs in a scratch root laid out the way it expects.
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
touch "$root/MAINTAINERS"
mkdir -p "$root/uapi" "$root/out"
cp "$src/uapi/cfgguard.yaml" "$root/uapi/"
cp "$ynl/Documentation/netlink/genetlink-legacy.yaml" "$root/"

gen() { # <mode> <--header|--source> <output>
	python3 "$ynl/tools/net/ynl/ynl-gen-c.py" --mode "$1" $2 \
		--spec "$root/uapi/cfgguard.yaml" -o "$3"
}
gen uapi --header "$root/out/cfgguard.h"
gen kernel --header "$root/out/netlink-gen.h"
gen kernel --source "$root/out/netlink-gen.c"
# Out of tree, the generated kernel files include their uapi header as
# <linux/cfgguard.h>, from the uapi/ folder on the include path.
sed -i 's|#include <uapi/linux/cfgguard.h>|#include <linux/cfgguard.h>|' \
	"$root/out/netlink-gen.h" "$root/out/netlink-gen.c"
sed -i 's|#include "cfgguard-nl.h"|#include "netlink-gen.h"|' "$root/out/netlink-gen.c"
# For genetlink-legacy the generator leaves the multicast groups a static,
# unused array (a W=1 warning) and cannot give a group a permission flag;
# module/netlink.c defines the groups instead.
sed -i '/^static const struct genl_multicast_group cfgguard_nl_mcgrps\[\] = {$/,/^};$/d' \
	"$root/out/netlink-gen.c"

targets=(uapi/linux/cfgguard.h module/netlink-gen.h module/netlink-gen.c)
outs=(cfgguard.h netlink-gen.h netlink-gen.c)
rc=0
for i in "${!targets[@]}"; do
	if [[ $check ]]; then
		if ! diff -u "$src/${targets[$i]}" "$root/out/${outs[$i]}"; then
			echo "FAIL: ${targets[$i]} is out of date: run uapi/regen.sh"
			rc=1
		fi
	else
		mkdir -p "$(dirname "$src/${targets[$i]}")"
		cmp -s "$root/out/${outs[$i]}" "$src/${targets[$i]}" ||
			cp "$root/out/${outs[$i]}" "$src/${targets[$i]}"
	fi
done
[[ $check && $rc == 0 ]] && echo "PASS: generated files match uapi/cfgguard.yaml"
exit $rc
