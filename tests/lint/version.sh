#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# version.sh <source dir>: the version is dkms.conf's PACKAGE_VERSION (the
# Makefile, DKMS and the Debian packages read it there); the copies that
# C and CMake need must say the same.
set -uo pipefail

src=${1:-$(dirname "$0")/../..}
v=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$src/dkms.conf")
[[ $v =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "FAIL: dkms.conf PACKAGE_VERSION '$v'"; exit 1; }
fail=0
agree() { # <file> <what it says>
	if [[ $2 == "$v" ]]; then
		echo "ok   $1: $2"
	else
		echo "FAIL $1 says '$2', dkms.conf $v"
		fail=1
	fi
}
agree module/version.h "$(sed -n 's/^#define CFGGUARD_VERSION "\(.*\)"/\1/p' "$src/module/version.h")"
agree tools/cfgguard-ctl.c "$(sed -n 's/^#define CFGGUARD_CTL_VERSION "\(.*\)"/\1/p' "$src/tools/cfgguard-ctl.c")"
agree CMakeLists.txt "$(sed -n 's/^project(cfgguard VERSION \([^ ]*\) .*/\1/p' "$src/CMakeLists.txt")"
exit $fail
