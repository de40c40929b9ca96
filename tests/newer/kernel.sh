#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kernel.sh: fetches the newest kernel Debian ships after Debian 12's, from
# Debian 13's backports, once per machine and again when Debian uploads a
# newer one, and prints its release. `make check` tests on it.
#
# Its headers need Debian 13's gcc and libc, so the module is built in a
# Debian 13 root made by debootstrap; the guest boots the packaged image and
# modules with the host's own userspace, as it does Debian 12's kernels.
# Everything is cached outside any build tree (CFGGUARD_KERNEL_CACHE,
# default /var/cache/cfgguard/kernels):
#   <cache>/root-trixie               the build root, with the headers
#   <cache>/<release>/vmlinuz         the image the test VM boots
#   <cache>/<release>/lib/modules/... the packaged modules, depmod'ed,
#                                     build linked to the root's headers
#   <cache>/<release>/root            names the build root (paths.sh)
# CFGGUARD_NEWER_KERNEL=<release> takes that release instead of the newest.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/debug/paths.sh
source "$here/../debug/paths.sh"
mirror=${CFGGUARD_DEBIAN_MIRROR:-http://deb.debian.org/debian}
suite=trixie
root=$CFGGUARD_KERNEL_CACHE/root-$suite

log() { echo "kernel.sh: $*" >&2; }
in_root() { chroot "$root" env DEBIAN_FRONTEND=noninteractive LC_ALL=C "$@"; }

mkdir -p "$CFGGUARD_KERNEL_CACHE"
# its own lock: a debug kernel being built meanwhile need not hold it up
exec 9> "$CFGGUARD_KERNEL_CACHE/.newer.lock"
flock 9

if [[ ! -f $root/.cfgguard-done ]]; then
	log "making the Debian $suite build root in $root (once per machine)"
	command -v debootstrap > /dev/null ||
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap > /dev/null
	rm -rf "$root"
	debootstrap --variant=minbase \
		--include=gcc-14,make,libc6-dev,kmod,xz-utils,ca-certificates \
		"$suite" "$root" "$mirror" > "$CFGGUARD_KERNEL_CACHE/root-$suite.log" 2>&1 ||
		{ tail -n 20 "$CFGGUARD_KERNEL_CACHE/root-$suite.log" >&2; exit 1; }
	echo "deb $mirror $suite-backports main" > "$root/etc/apt/sources.list.d/backports.list"
	touch "$root/.cfgguard-done"
fi

newest_cached() {
	for d in "$CFGGUARD_KERNEL_CACHE"/*+deb13-amd64/done; do
		[[ -f $d ]] && basename "$(dirname "$d")"
	done | sort -V | tail -n1
}

# Offline, the newest kernel fetched before will do: say so, and go on.
if ! in_root apt-get update -q > "$CFGGUARD_KERNEL_CACHE/update.log" 2>&1 ||
   grep -qE '^(E:|W: (Failed to fetch|Some index files failed))' \
	"$CFGGUARD_KERNEL_CACHE/update.log"; then
	cached=$(newest_cached)
	[[ -n $cached ]] || { cat "$CFGGUARD_KERNEL_CACHE/update.log" >&2; exit 1; }
	log "cannot reach $mirror; taking the cached $cached"
	: "${CFGGUARD_NEWER_KERNEL:=$cached}"
fi
kver=${CFGGUARD_NEWER_KERNEL:-$(in_root apt-cache search --names-only \
	'^linux-image-[0-9.]+\+deb13-amd64$' | cut -d' ' -f1 |
	sed 's/^linux-image-//' | sort -V | tail -n1)}
[[ -n $kver ]] || { log "no linux-image-*+deb13-amd64 in Debian $suite"; exit 1; }

dir=$CFGGUARD_KERNEL_CACHE/$kver
if [[ -f $dir/done ]]; then
	echo "$kver"
	exit 0
fi

log "fetching $kver from Debian $suite-backports into $dir"
rm -rf "$dir"
mkdir -p "$dir/pkg"
in_root apt-get install -y -q --no-install-recommends "linux-headers-$kver" > "$dir/headers.log" 2>&1 ||
	{ tail -n 20 "$dir/headers.log" >&2; exit 1; }

# 7.x splits the image into linux-binary, linux-modules and linux-base
# (modules.builtin, modules.order); 6.x does not.
fetch=$root/tmp/cfgguard-fetch
rm -rf "$fetch"
mkdir -p "$fetch"
pkgs=()
for p in "linux-image-$kver" "linux-binary-$kver" "linux-modules-$kver" \
	 "linux-base-$kver"; do
	in_root apt-cache show "$p" > /dev/null 2>&1 && pkgs+=("$p")
done
in_root sh -c 'cd /tmp/cfgguard-fetch && apt-get download -q "$@"' sh "${pkgs[@]}" \
	> "$dir/fetch.log" 2>&1 || { tail -n 20 "$dir/fetch.log" >&2; exit 1; }
for deb in "$fetch"/*.deb; do
	dpkg-deb -x "$deb" "$dir/pkg"
done
rm -rf "$fetch"

image=$(find "$dir/pkg" \( -name "vmlinuz-$kver" -o -path "*/modules/$kver/vmlinuz" \) | head -n1)
[[ -n $image ]] || { log "no vmlinuz in ${pkgs[*]}"; exit 1; }
mv "$image" "$dir/vmlinuz"
mkdir -p "$dir/lib/modules"
for m in "$dir/pkg/usr/lib/modules/$kver" "$dir/pkg/lib/modules/$kver"; do
	[[ -d $m ]] && mv "$m" "$dir/lib/modules/$kver"
done
rm -rf "$dir/pkg"
[[ -d $dir/lib/modules/$kver/kernel ]] || { log "no modules in ${pkgs[*]}"; exit 1; }
# the guest's modprobe is the host's: let the host's depmod index them
depmod -b "$dir" "$kver"
# what a case reads of the running kernel's headers, as linux-headers links it
ln -s "$root/usr/src/linux-headers-$kver" "$dir/lib/modules/$kver/build"
echo "$root" > "$dir/root"
touch "$dir/done"
echo "$kver"
