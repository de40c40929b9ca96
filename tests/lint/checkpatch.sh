#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# checkpatch.pl --strict over the kernel sources, with the checkpatch of
# Debian's linux-source-6.12 (extracted once into the build dir).
set -uo pipefail

src=$(cd "$(dirname "$0")/../.." && pwd)
bin=${1:-$src/build}
tarball=$(ls /usr/src/linux-source-6.12*.tar.xz 2>/dev/null | head -n1)
[[ -n $tarball ]] || { echo "SKIP: linux-source-6.12 is not installed"; exit 77; }

tools=$bin/checkpatch
top=$(basename "$tarball" .tar.xz)
if [[ ! -x $tools/$top/scripts/checkpatch.pl ]]; then
	mkdir -p "$tools"
	tar -xf "$tarball" -C "$tools" "$top/scripts/checkpatch.pl" \
		"$top/scripts/spelling.txt" "$top/scripts/const_structs.checkpatch" || exit 1
fi

cd "$src" || exit 1
files=$(git ls-files 'module/*.[ch]' 2>/dev/null || ls module/*.[ch])
# Generated netlink code is exempt, as it is in the kernel tree.
files=$(grep -v -- '-gen\.[ch]$' <<< "$files")
"$tools/$top/scripts/checkpatch.pl" --strict --no-tree --terse --show-types \
	--ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG \
	-f $files
