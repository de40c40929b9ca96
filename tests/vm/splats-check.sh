#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# splats-check.sh: the VM harness's splat filter is itself a test subject.
# It must pass a clean boot, excuse the known upstream pciehp report
# captured on the debug kernel, and fail the same report once a vfio frame
# is in it, and any report it does not know.
set -u
dir=$(cd "$(dirname "$0")" && pwd)
fixtures=$dir/splat-fixtures
rc=0

expect() {
	local want=$1 file=$2 got
	python3 "$dir/splats.py" "$dir/known-splats" "$fixtures/$file" > /dev/null
	got=$?
	if [[ $got != "$want" ]]; then
		echo "FAIL: $file: splats.py exited $got, expected $want"
		rc=1
	else
		echo "ok: $file exits $want"
	fi
}

expect 0 clean.log
expect 0 pciehp-upstream.log
expect 1 pciehp-with-vfio-frame.log
expect 1 kasan-unknown.log
# A known report does not hide an unknown one beside it.
cat "$fixtures/pciehp-upstream.log" "$fixtures/kasan-unknown.log" > "${TMPDIR:-/tmp}/splats-both.$$"
python3 "$dir/splats.py" "$dir/known-splats" "${TMPDIR:-/tmp}/splats-both.$$" > /dev/null &&
	{ echo "FAIL: an unknown report beside a known one passed"; rc=1; }
rm -f "${TMPDIR:-/tmp}/splats-both.$$"
exit $rc
