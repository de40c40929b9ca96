#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mkinitramfs.sh <kernel release> <output.cpio.gz>
#
# A busybox initramfs that can mount the host root over 9p: the 9p and virtio
# modules of that kernel (decompressed: busybox insmod cannot read .ko.xz),
# in dependency order, and tests/vm/init.
set -euo pipefail

kver=$1 out=$2
here=$(dirname "$(readlink -f "$0")")
# shellcheck source=tests/debug/paths.sh
source "$here/../debug/paths.sh"
# a cached kernel's modules are under its own base directory
base=$(kernel_moddir "$kver")
base=${base%/lib/modules/"$kver"}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

mkdir -p "$work"/{bin,dev,proc,sys,mnt,tmp,lib/modules}
cp /bin/busybox "$work/bin/busybox"
cp "$here/init" "$work/init"
chmod +x "$work/init"

# A kernel with all of them built in (the debug kernel) needs none.
: > "$work/modules.list"
# virtio_ring must precede virtio; on 6.12 several of these are built in.
for m in netfs fscache 9pnet virtio_ring virtio virtio_pci_modern_dev \
	 virtio_pci_legacy_dev virtio_pci 9pnet_virtio 9p; do
	path=$(modinfo -b "${base:-/}" -k "$kver" -n "$m" 2>/dev/null) || continue
	[[ $path == /* ]] || continue	# "(builtin)"
	case "$path" in
	*.ko.xz) xz -dc "$path" > "$work/lib/modules/$m.ko" ;;
	*.ko.zst) zstd -qdc "$path" > "$work/lib/modules/$m.ko" ;;
	*.ko.gz) gzip -dc "$path" > "$work/lib/modules/$m.ko" ;;
	*) cp "$path" "$work/lib/modules/$m.ko" ;;
	esac
	echo "$m" >> "$work/modules.list"
done

(cd "$work" && find . | cpio -o -H newc --quiet | gzip -1) > "$out.tmp"
mv "$out.tmp" "$out"
