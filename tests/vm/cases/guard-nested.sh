# Issue 3: a nested QEMU started on a device guarded by its gen-table table,
# in enforce mode, still realizes it.
load_cfgguard
bind "$E1000E" "$DRIVER"
table=$(mktemp)
ctl gen-table "$E1000E" > "$table"
cat "$table"
ctl load-table "$E1000E" "$table"
ctl list

ulimit -l unlimited
log=$(mktemp)
rc=0
printf 'info pci\nquit\n' | timeout 300 qemu-system-x86_64 -M q35 -m 64 -nodefaults \
	-display none -S -monitor stdio -device "vfio-pci,host=$E1000E" > "$log" 2>&1 || rc=$?
expect_eq "nested QEMU exit status" 0 "$rc"
grep -q 'Ethernet controller: PCI device 8086:10d3' "$log" ||
	{ cat "$log"; fail "the nested guest's PCI bus lacks the passed-through e1000e"; }
grep -qiE 'error|fail' "$log" && { cat "$log"; fail "nested QEMU reported an error"; }
echo "  the nested QEMU realized 8086:10d3 under its gen-table table"
