#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kernel.sh: builds the debug kernel of `make check-debug` once per machine
# and prints its release.
#
# The source is Debian's linux-source-6.12 package, the configuration
# allnoconfig plus tests/debug/kernel.config. The release names a hash of
# both, of the compiler and of this script's recipe number, and the kernel is cached under
# that name outside any build tree (CFGGUARD_KERNEL_CACHE, default
# /var/cache/cfgguard/kernels), so a second run, or a fresh clone, reuses it:
#   <cache>/<release>/vmlinuz         the image the test VM boots
#   <cache>/<release>/lib/modules/... modules_install's tree
#   <cache>/<release>/build           the object tree modules build against
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/debug/paths.sh
source "$here/paths.sh"
tarball=/usr/src/linux-source-6.12.tar.xz
fragment=$here/kernel.config

[[ -r $tarball ]] || { echo "kernel.sh: $tarball is missing (apt-get install linux-source-6.12)" >&2; exit 1; }

srcver=$(dpkg-query -W -f='${Version}' linux-source-6.12)
# Bump when a change here changes the kernel that comes out.
recipe=1
key=$( { echo "$recipe $srcver"; cat "$fragment"; gcc --version | head -n1; } | sha256sum | cut -c1-10)
mkdir -p "$CFGGUARD_KERNEL_CACHE"
exec 9> "$CFGGUARD_KERNEL_CACHE/.lock"
flock 9

# Debian's version is the upstream one, then the package revision.
base=${srcver%%-*}
kver=$base-cfgguard-debug-$key
dir=$CFGGUARD_KERNEL_CACHE/$kver
if [[ -f $dir/done ]]; then
	echo "$kver"
	exit 0
fi

log() { echo "kernel.sh: $*" >&2; }
log "building $kver from linux-source-6.12 $srcver in $dir (once per machine)"
rm -rf "$dir"
mkdir -p "$dir/build"
tar -xJf "$tarball" -C "$dir"
mv "$dir"/linux-source-6.12 "$dir/src"

kmake() { make -C "$dir/src" O="$dir/build" LOCALVERSION="-cfgguard-debug-$key" "$@"; }
kmake KCONFIG_ALLCONFIG="$fragment" allnoconfig > "$dir/config.log" 2>&1 ||
	{ cat "$dir/config.log" >&2; exit 1; }

# Kconfig silently drops what a dependency refuses: every line of the
# fragment must have survived.
bad=0
while IFS= read -r line; do
	opt=${line%%=*} want=${line#*=}
	got=$(grep -E "^$opt=|^# $opt is not set" "$dir/build/.config" | head -n1)
	case "$got" in
	"# $opt is not set") got=n ;;
	"") got=n ;;
	*) got=${got#*=} ;;
	esac
	[[ $got == "$want" || ( $want == n && -z $got ) ]] && continue
	log "$opt: wanted $want, Kconfig gave $got"
	bad=1
done < <(grep -E '^CONFIG_' "$fragment")
((bad == 0)) || { log "tests/debug/kernel.config does not hold on this source"; exit 1; }

jobs=$(nproc)
log "make -j$jobs bzImage modules (about 10 minutes on 2 idle cores: 18.5 CPU-minutes)"
kmake -j"$jobs" bzImage modules > "$dir/build.log" 2>&1 ||
	{ tail -n 50 "$dir/build.log" >&2; exit 1; }
kmake INSTALL_MOD_PATH="$dir" modules_install >> "$dir/build.log" 2>&1 ||
	{ tail -n 50 "$dir/build.log" >&2; exit 1; }
cp "$dir/build/arch/x86/boot/bzImage" "$dir/vmlinuz"
[[ $(kmake -s kernelrelease) == "$kver" ]] ||
	{ log "kernelrelease is $(kmake -s kernelrelease), expected $kver"; exit 1; }
touch "$dir/done"
log "built $kver"
echo "$kver"
