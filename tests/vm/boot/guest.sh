#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# guest.sh <stage> <src> <build>: tests/vm/boot.sh's side inside the guest,
# run by cfgguard-test-<stage>.service under systemd, after
# multi-user.target. Writes <stage>.log, verdict, the kernel log and the
# journal to the results share (9p tag "out"); the unit then powers off.
set -uo pipefail

stage=$1 src=$2 build=$3
OUT=/run/cfgguard-out
mkdir -p "$OUT"
mountpoint -q "$OUT" ||
	mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000 out "$OUT" || exit 1
export PATH=/usr/sbin:/usr/bin:/sbin:/bin

BDF=0000:00:10.0 OTHER=0000:00:13.0 DRIVER=cfgguard-vfio-pci
TABLE=/etc/cfgguard/$BDF.table
VMUNIT=cfgguard-test-vm.service
VMSTATE=/var/lib/cfgguard-test-vm
VFIO_CFG=$build/tests/vfio-cfg

fail() { echo "FAIL: $*"; exit 1; }
step() { echo "== $*"; }
expect_eq() { [[ $2 == "$3" ]] || fail "$1: expected '$2', got '$3'"; echo "  ok: $1 = $3"; }
driver_of() {
	local link=/sys/bus/pci/devices/$1/driver
	[[ -e $link ]] && basename "$(readlink -f "$link")" || echo none
}
host_byte() { od -An -tx1 -j "$(($2))" -N1 "/sys/bus/pci/devices/$1/config" | tr -d ' '; }

smoke() {
	step "systemd is PID 1 on the overlay"
	expect_eq "PID 1" systemd "$(cat /proc/1/comm)"
	expect_eq "root file system" overlay "$(findmnt -n -o FSTYPE /)"
	systemctl is-active multi-user.target || fail "multi-user.target is not active"
	systemctl --failed --no-legend | sed 's/^/  failed: /'
	return 0
}

rc=0
case $stage in
smoke) (set -e; smoke) > "$OUT/$stage.log" 2>&1 || rc=$? ;;
provision) (set -e; provision) > "$OUT/$stage.log" 2>&1 || rc=$? ;;
check) (set -e; check) > "$OUT/$stage.log" 2>&1 || rc=$? ;;
*) echo "no such stage: $stage" > "$OUT/$stage.log"; rc=2 ;;
esac
echo "$rc" > "$OUT/verdict"
dmesg > "$OUT/dmesg"
journalctl -b --no-pager -o short-monotonic > "$OUT/journal.txt" 2>&1
systemctl --failed --no-legend > "$OUT/failed-units.txt" 2>&1
sync
exit "$rc"
