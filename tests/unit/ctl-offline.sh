#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ctl-offline.sh <cfgguard-ctl>: what check, apply and watch decide before they
# ask the kernel anything, so with no module and no privilege: a bad table
# or file name is refused with the exact message, and apply sends nothing.
set -uo pipefail

[[ -x $1 ]] || { echo "SKIP: $1 is not built"; exit 77; }
ctl=$(realpath "$1")
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir" || exit 1
failed=0

fail() {
	echo "FAIL: $*" >&2
	failed=1
}

# <rc> <expected output, exactly> <command>...
expect() {
	local want_rc=$1 want=$2 out rc=0
	shift 2
	out=$("$@" 2>&1) || rc=$?
	echo "  $* -> $rc${out:+: $out}" | head -n 4
	((rc == want_rc)) || fail "$*: exit $rc, not $want_rc"
	[[ $out == "$want" ]] || fail "$*: expected '$want', got '$out'"
}

# <rc> <expected line, a fixed string> <command>...
expect_line() {
	local want_rc=$1 want=$2 out rc=0
	shift 2
	out=$("$@" 2>&1) || rc=$?
	echo "  $* -> $rc${out:+: $out}" | head -n 4
	((rc == want_rc)) || fail "$*: exit $rc, not $want_rc"
	grep -qxF -- "$want" <<< "$out" || fail "$*: expected a line '$want' in: $out"
}

echo "== check: a good table is silent"
printf '# e1000e\nsize 4096\ndefault deny\n0x00-0x3f allow\n0x280+4 deny\n' > good
expect 0 "" "$ctl" check good
expect 0 "" "$ctl" check - < good

echo "== check: a bad table gets load-table's message"
printf 'default allow\n0x1g deny\n' > badnum
expect 1 "badnum:2: bad offset: '0x1g'" "$ctl" check badnum
expect 1 "<stdin>:2: bad offset: '0x1g'" "$ctl" check - < badnum
printf '0x40+8 deny\n0x44+4 allow\n' > overlap
expect 1 "overlap:2: range overlaps line 1: '0x44+4'" "$ctl" check overlap
printf 'size 256\n0xf0-0x10f deny\n' > pastsize
expect 1 "pastsize:2: range ends past size 256: '0xf0+32'" "$ctl" check pastsize
: > empty
expect 1 "empty:1: empty table: ''" "$ctl" check empty
expect 1 "Unable to open \`missing': No such file or directory" "$ctl" check missing

echo "== check: arguments"
expect_line 0 "Usage: $ctl check <file|-> [<BDF>]" "$ctl" check --help
expect_line 1 "Usage: $ctl check <file|-> [<BDF>]" "$ctl" check
expect 1 "Not a device address: \`8086:10d3'" "$ctl" check good 8086:10d3
expect 1 "Not a device address: \`0000:00:1f.9'" "$ctl" check good 0000:00:1f.9
expect 1 "Unable to read the config space of ffff:ff:1f.7: no such PCI device" \
	"$ctl" check good ffff:ff:1f.7
# a bad table is named before the device is looked at
expect 1 "badnum:2: bad offset: '0x1g'" "$ctl" check badnum ffff:ff:1f.7

# The size check reads only the size sysfs shows anyone: any host with a
# 256-byte device can run it.
small=
for d in /sys/bus/pci/devices/*; do
	if [[ $(stat -c %s "$d/config" 2> /dev/null) == 256 ]]; then
		small=$(basename "$d")
		break
	fi
done
printf 'default allow\n0x100+4 deny\n' > past256
if [[ -n $small ]]; then
	echo "== check against $small (256 bytes of config space)"
	expect 1 "past256:2: range ends past the 256 bytes of config space of $small: '0x100+4'" \
		"$ctl" check past256 "$small"
	printf 'size 4096\ndefault allow\n' > size4k
	expect 1 "size4k:1: size does not match the 256 bytes of config space of $small: '4096'" \
		"$ctl" check size4k "$small"
	printf 'size 256\n0xfc+4 deny\n' > fits
	expect 0 "" "$ctl" check fits "$small"
else
	echo "  no 256-byte PCI device here: the VM case checks against one"
fi

echo "== apply: arguments"
expect_line 0 "Usage: $ctl apply [<directory>]" "$ctl" apply --help
expect_line 1 "Usage: $ctl apply [<directory>]" "$ctl" apply a b
expect 1 "Unable to read \`nodir': No such file or directory" "$ctl" apply nodir

# Each of these must fail before any netlink: no "module is not loaded",
# no "Unable to read the loaded tables".
echo "== apply: a bad file names itself and its line, and nothing is sent"
mkdir d
printf 'default allow\n0x280+4 deny\n' > d/0000:00:10.0.table
printf 'default allow\n0x280+4 alow\n' > d/8086:10d3.table
expect 1 "d/8086:10d3.table:2: unknown action: 'alow'
Nothing applied: 1 of 2 files in d is bad" "$ctl" apply d
expect 1 "d/8086:10d3.table:2: unknown action: 'alow'
Nothing applied: 1 of 2 files in d is bad" "$ctl" apply d/
rm d/8086:10d3.table

echo "== apply: file names are keys as the kernel writes them"
printf 'default allow\n' > d/8086:10D3.table
expect 1 "d/8086:10D3.table: name it 8086:10d3.table, its key as the kernel writes it
Nothing applied: 1 of 2 files in d is bad" "$ctl" apply d
mv d/8086:10D3.table d/01:00.0.table
expect 1 "d/01:00.0.table: name it 0000:01:00.0.table, its key as the kernel writes it
Nothing applied: 1 of 2 files in d is bad" "$ctl" apply d
mv d/01:00.0.table d/e1000e.table
expect 1 "d/e1000e.table: not named <BDF>.table or <vendor:device>.table
Nothing applied: 1 of 2 files in d is bad" "$ctl" apply d
mv d/e1000e.table d/.table
expect 1 "d/.table: not named <BDF>.table or <vendor:device>.table
Nothing applied: 1 of 2 files in d is bad" "$ctl" apply d
rm d/.table
mkdir d/0000:00:11.0.table
expect 1 "d/0000:00:11.0.table: Is a directory
Nothing applied: 1 of 2 files in d is bad" "$ctl" apply d
rmdir d/0000:00:11.0.table

echo "== apply: every bad file is named, in order"
printf '0x10 deny\n0x10 deny\n' > d/0000:00:12.0.table
printf 'size 512\n' > d/1af4:1041.table
expect 1 "d/0000:00:12.0.table:2: range overlaps line 1: '0x10+1'
d/1af4:1041.table:1: size must be 256 or 4096: '512'
Nothing applied: 2 of 3 files in d are bad" "$ctl" apply d
rm d/0000:00:12.0.table d/1af4:1041.table

if [[ -n $small ]]; then
	echo "== apply: a table that does not fit a present device"
	cp past256 "d/$small.table"
	expect 1 "d/$small.table:2: range ends past the 256 bytes of config space of $small: '0x100+4'
Nothing applied: 1 of 2 tables in d does not fit a device" "$ctl" apply d
	rm "d/$small.table"
fi

echo "== watch: --journal's arguments, refused before any socket"
usage="Usage: $ctl watch [<BDF>...] [--json|--journal] [--learn]"
expect 1 "--journal cannot be combined with --json" "$ctl" watch --journal --json
expect 1 "--journal cannot be combined with --json" "$ctl" watch --json --journal 0000:00:10.0
expect 1 "--journal cannot be combined with --learn" "$ctl" watch --journal --learn 0000:00:10.0
expect 1 "$usage" "$ctl" watch --jour
expect 1 "$usage" "$ctl" watch --journal 10de:2330
if [[ ! -S /run/systemd/journal/socket ]]; then
	expect 1 "Unable to connect to the journal at /run/systemd/journal/socket: No such file or directory" \
		"$ctl" watch --journal
fi

# Past validation apply asks the kernel: only where there is no module to
# change, so a test never touches a host's tables.
if [[ ! -e /sys/module/cfgguard_vfio_pci ]]; then
	echo "== apply: files not ending in .table are ignored"
	echo "not a table" > d/README
	echo "garbage" > d/0000:00:10.0.table~
	echo "garbage" > d/8086:10d3.table.orig
	expect 1 "Unable to read the loaded tables: the cfgguard module is not loaded (modprobe cfgguard-vfio-pci)" \
		"$ctl" apply d
	rm d/*
	expect 1 "Unable to read the loaded tables: the cfgguard module is not loaded (modprobe cfgguard-vfio-pci)" \
		"$ctl" apply d
else
	echo "  cfgguard-vfio-pci is loaded here: not applying a good directory"
fi

((failed)) && exit 1
echo "PASS"
