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
