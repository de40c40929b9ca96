# Issue 3: a device-address table beats a model table, which beats the
# default; a table loaded before bind applies after bind and survives
# unbind and rebind.
load_cfgguard
bdf=$E1000E
host_write "$bdf" 0x280 0x11 0x22 0x33 0x44
dir=$(mktemp -d)
printf 'default allow\n0x280+4 deny\n' > "$dir/deny"
printf 'default allow\n0x280+2 read-only\n' > "$dir/ro"

step "tables loaded before the device is bound"
ctl load-table 8086:10d3 "$dir/ro"
ctl load-table "$bdf" "$dir/deny"
bind "$bdf" "$DRIVER"
expect_eq "list" "$bdf  8086:10d3  4096  enforce  device" "$("$CTL" list "$bdf" | tail -n1)"
expect_read "$bdf" 4 0x280 0

step "the second e1000e has no address table: the model table guards it"
bind "$E1000E_2" "$DRIVER"
expect_eq "list" "$E1000E_2  8086:10d3  4096  enforce  model" "$("$CTL" list "$E1000E_2" | tail -n1)"
host_write "$E1000E_2" 0x280 0x11 0x22 0x33 0x44
expect_read "$E1000E_2" 4 0x280 0x44332211
vfio_cfg "$E1000E_2" w4:0x280=0 > /dev/null
expect_host "$E1000E_2" 0x280 4 0x00002211	# 0x280+2 read-only, 0x282+2 default allow

step "unbind and rebind keep the table"
unbind "$bdf"
bind "$bdf" "$DRIVER"
expect_read "$bdf" 4 0x280 0

step "clearing the address table falls back to the model table"
ctl clear "$bdf"
expect_eq "list" "$bdf  8086:10d3  4096  enforce  model" "$("$CTL" list "$bdf" | tail -n1)"
expect_read "$bdf" 4 0x280 0x44332211

step "clearing the model table falls back to the default table"
ctl clear 8086:10d3
expect_eq "list" "$bdf  8086:10d3  4096  enforce  default" "$("$CTL" list "$bdf" | tail -n1)"
"$CTL" show | grep -q . && fail "tables left: $("$CTL" show)"
echo "  no tables left"

step "addresses in PCI domains past 0xffff (VMD, Hyper-V) are keys too (issue 8.11)"
printf 'default allow\n0x280+4 deny\n' > "$dir/deny"
for key in 10000:00:10.0 ffffffff:ff:1f.7 0001:00:10.0; do
	ctl load-table "$key" "$dir/deny"
done
"$CTL" show > "$TMPDIR/show"
cat "$TMPDIR/show"
for key in 10000:00:10.0 ffffffff:ff:1f.7 0001:00:10.0; do
	grep -qx "# $key" "$TMPDIR/show" || grep -q "^$key\b" "$TMPDIR/show" ||
		grep -qF "$key" "$TMPDIR/show" || fail "$key is not shown"
	"$CTL" show "$key" | grep -q '0x280-0x283 deny' || fail "$key: its table does not read back"
done
# a 5-digit domain with a leading zero is not how the kernel names a device
out=$("$NL_RAW" 1 bdf=01000:00:10.0 range=0x280,4,2 | tail -n1)
[[ $out == "error 22 "* ]] || fail "01000:00:10.0 accepted: $out"
for key in 10000:00:10.0 ffffffff:ff:1f.7 0001:00:10.0; do
	ctl clear "$key"
done
"$CTL" show | grep -q . && fail "tables left: $("$CTL" show)"
echo "  cleared"
