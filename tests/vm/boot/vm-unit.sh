#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vm-unit.sh <build>: what tests/vm/boot.sh's "VM unit"
# (cfgguard-test-vm.service, ordered after cfgguard.service) does at boot,
# in place of a VM: it opens 0000:00:10.0 through VFIO with the test
# client and writes its hidden byte 0x298, which the device's table
# denies. What it saw goes to /run/cfgguard-test-vm for guest.sh check.
set -u
build=$1
BDF=0000:00:10.0
state=/run/cfgguard-test-vm
mkdir -p "$state"
export PATH=/usr/sbin:/usr/bin:/sbin:/bin

# the table as it is when the "VM" starts
cfgguard-ctl show "$BDF" --json > "$state/show-at-start" 2>&1
basename "$(readlink -f "/sys/bus/pci/devices/$BDF/driver")" > "$state/driver-at-start"
# The event stream is best effort: wait until the watch unit has joined
# the events group, so that the event this write makes is in the journal.
for _ in $(seq 120); do
	journalctl -b -u cfgguard-watch -o cat | grep -q 'Watching cfgguard events' && break
	sleep 0.5
done
# the byte as the host sets it, then the guest's write
printf '\x42' | dd of="/sys/bus/pci/devices/$BDF/config" bs=1 seek=$((0x298)) conv=notrunc status=none
"$build/tests/vfio-cfg" "$BDF" r4:0x0 w1:0x298=0x5a > "$state/vfio-cfg.out" 2>&1
echo "$?" > "$state/vfio-cfg.rc"
od -An -tx1 -j $((0x298)) -N1 "/sys/bus/pci/devices/$BDF/config" | tr -d ' ' > "$state/byte-after"
exit 0
