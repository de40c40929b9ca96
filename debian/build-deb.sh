#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-deb.sh [<output dir>]: `make deb`. Builds cfgguard-dkms and
# cfgguard-tools with dpkg-buildpackage in a copy of the tree (the files
# git tracks, as they are in the work tree), so the tree itself stays
# clean, and leaves the .debs, the source package, .buildinfo and .changes
# in <output dir> (default build/deb). The copy is <output dir>/src.
set -euo pipefail

src=$(cd "$(dirname "$0")/.." && pwd)
out=$(realpath -m "${1:-$src/build/deb}")
version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$src/dkms.conf")
[[ -n $version ]] || { echo "build-deb: no PACKAGE_VERSION in dkms.conf" >&2; exit 1; }

for tool in dpkg-buildpackage dh dh_dkms; do
	command -v $tool >/dev/null ||
		{ echo "build-deb: $tool is missing (make deps installs it)" >&2; exit 1; }
done

copy=$out/src/cfgguard-$version
rm -rf "$out/src"
mkdir -p "$copy"
if git -C "$src" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	# tracked files that exist (a deletion not yet committed is gone)
	git -C "$src" ls-files -z | (cd "$src" && while IFS= read -r -d '' f; do
		[[ -e $f || -L $f ]] && printf '%s\0' "$f"
	done) | tar -C "$src" --null -T - -cf - | tar -C "$copy" -xf -
else
	tar -C "$src" --exclude=./.git --exclude='./build*' --exclude=./debian/changelog \
		-cf - . | tar -C "$copy" -xf -
fi
"$src/debian/gen-changelog" "$src" >"$copy/debian/changelog"

(cd "$copy" && dpkg-buildpackage -us -uc)

cd "$out"
rm -f ./*.deb ./*.dsc ./*.tar.* ./*.buildinfo ./*.changes
mv src/cfgguard*_"$version"* .
ls -l "$out"
