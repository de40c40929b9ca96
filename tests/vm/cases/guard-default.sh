# Issue 3: with no table loaded, the default table derived from each
# device's capability chains drops writes to unassigned bytes (the device
# keeps its value, as the host reads it, where the emulated device would
# keep a write at all) and passes reads, or reads zeros with
# block_unassigned_read=1; audit and off pass everything. The counters show
# the guard's decision for every device.
load_cfgguard

for bdf in "${DEVICES[@]}"; do
	bind "$bdf" "$DRIVER"
	off=$(writable_unassigned_offset "$bdf")
	kept=1
	if [[ -z $off ]]; then
		off=$(unassigned_offsets "$bdf" | head -n1)
		kept=0
	fi
	[[ -n $off ]] || fail "$bdf: no unassigned offset found"
	step "$bdf: unassigned offset $off$( ((kept)) || echo ', which the device does not keep')"
	((kept)) && host_write "$bdf" "$off" 0x11 0x22 0x33 0x44
	hw=$(host_read "$bdf" "$off" 4)

	"$CTL" stats --reset "$bdf"
	vfio_cfg "$bdf" "w1:$off=0x5a" "w4:$off=0xdeadbeef" > /dev/null
	expect_eq "write_blocked" 2 "$(stat_of "$bdf" write_blocked)"
	expect_eq "write_allowed" 0 "$(stat_of "$bdf" write_allowed)"
	expect_host "$bdf" "$off" 4 "$hw"
	expect_read "$bdf" 4 "$off" "$hw"
	expect_read "$bdf" 1 "$((off + 1))" "$(((hw >> 8) & 0xff))"

	param block_unassigned_read 1
	expect_read "$bdf" 4 "$off" 0
	expect_read "$bdf" 2 "$((off + 2))" 0
	expect_read "$bdf" 2 0 "$(host_read "$bdf" 0 2)"	# the header is assigned
	param block_unassigned_read 0
	expect_eq "read_blocked" 2 "$(stat_of "$bdf" read_blocked)"

	step "$bdf: audit and off pass everything"
	for mode in audit off; do
		ctl mode "$bdf" "$mode"
		"$CTL" stats --reset "$bdf"
		vfio_cfg "$bdf" "w1:$off=0x5a" > /dev/null
		((kept)) && expect_host "$bdf" "$off" 1 0x5a
		[[ $mode == audit ]] && expect_eq "write_audited" 1 "$(stat_of "$bdf" write_audited)"
		[[ $mode == off ]] && expect_eq "write_allowed" 1 "$(stat_of "$bdf" write_allowed)"
		((kept)) && host_write "$bdf" "$off" 0x11
	done
	ctl mode "$bdf" enforce
	ctl list "$bdf"
	unbind "$bdf"
done

step "block_unassigned_write=0 lets unassigned writes through"
bind "$E1000E" "$DRIVER"
param block_unassigned_write 0
vfio_cfg "$E1000E" w1:0x298=0x5a > /dev/null
expect_host "$E1000E" 0x298 1 0x5a
param block_unassigned_write 1
vfio_cfg "$E1000E" w1:0x298=0x00 > /dev/null
expect_host "$E1000E" 0x298 1 0x5a
