# Issue 2 (c): QEMU, the real client of the driver, realizes a device bound
# to cfgguard-vfio-pci and quits cleanly.
load_cfgguard
bind "$E1000E" "$DRIVER"
ulimit -l unlimited

step "nested qemu-system-x86_64 -device vfio-pci,host=$E1000E"
log=$(mktemp)
rc=0
printf 'info pci\nquit\n' | timeout 300 qemu-system-x86_64 -M q35 -m 64 -nodefaults \
	-display none -S -monitor stdio \
	-device "vfio-pci,host=$E1000E" > "$log" 2>&1 || rc=$?
cat "$log"
expect_eq "nested QEMU exit status" 0 "$rc"
grep -q 'Ethernet controller: PCI device 8086:10d3' "$log" ||
	fail "the nested guest's PCI bus lacks the passed-through e1000e"
if grep -qiE 'error|fail' "$log"; then
	fail "nested QEMU reported an error"
fi
expect_eq "driver after QEMU quit" "$DRIVER" "$(driver_of "$E1000E")"
