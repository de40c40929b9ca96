#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# sparse.sh <kernel release> <build dir>: the module build of
# tests/build-module.sh with sparse (C=2); any diagnostic fails it.
set -uo pipefail

command -v sparse >/dev/null || { echo "SKIP: sparse is not installed"; exit 77; }
"$(dirname "$0")/../build-module.sh" "$1" "$2" sparse C=2 || exit
grep -q '  CHECK ' "$2/sparse/$1/build.log" || { echo "FAIL: sparse did not run"; exit 1; }
echo "PASS: sparse clean on $1"
