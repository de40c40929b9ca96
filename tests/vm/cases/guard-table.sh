# Issue 3: a loaded table's deny, read-only and masked ranges behave as
# specified at 1-, 2- and 4-byte and straddling accesses. The e1000e keeps
# whatever is written to its unassigned bytes 0x278-0x29f, so the host can
# see what reached the device.
load_cfgguard
bdf=$E1000E
bind "$bdf" "$DRIVER"

reset_pattern() { # byte at offset o = o & 0xff
	local o bytes=()
	for ((o = 0x278; o < 0x2a0; o++)); do bytes+=($((o & 0xff))); done
	host_write "$bdf" 0x278 "${bytes[@]}"
}

table=$(mktemp)
cat > "$table" <<'TABLE'
# e1000e: a test table over hidden bytes
default allow
0x280-0x283 deny
0x284+4 read-only
0x288+4 allow wmask=0x0000ffff
0x28d allow wmask=0xf0
TABLE
ctl load-table "$bdf" "$table"
ctl show "$bdf"
expect_eq "list" "$bdf  8086:10d3  4096  enforce  device" "$("$CTL" list "$bdf" | tail -n1)"

step "reads"
reset_pattern
expect_read "$bdf" 4 0x280 0
expect_read "$bdf" 2 0x282 0
expect_read "$bdf" 1 0x283 0
expect_read "$bdf" 4 0x284 0x87868584
expect_read "$bdf" 2 0x286 0x8786
expect_read "$bdf" 4 0x288 0x8b8a8988
expect_read "$bdf" 4 0x27e 0x00007f7e	# straddles allow | deny
expect_read "$bdf" 2 0x27f 0x007f	# straddles, unaligned
vfio_cfg "$bdf" dump > "$TMPDIR/dump"
expect_eq "dump line 0x280" "00 00 00 00 84 85 86 87 88 89 8a 8b 8c 8d 8e 8f" \
	"$(sed -n "$((0x280 / 16 + 1))p" "$TMPDIR/dump")"

step "writes to deny and read-only bytes are dropped"
vfio_cfg "$bdf" w4:0x280=0xdeadbeef w1:0x281=0xff w2:0x282=0xffff \
	w4:0x284=0xdeadbeef w2:0x286=0xffff w1:0x287=0 > /dev/null
expect_host "$bdf" 0x280 4 0x83828180
expect_host "$bdf" 0x284 4 0x87868584

step "masked writes change only the masked bits"
vfio_cfg "$bdf" w4:0x288=0xaabbccdd > /dev/null
expect_host "$bdf" 0x288 4 0x8b8accdd
vfio_cfg "$bdf" w1:0x28d=0x3c > /dev/null
expect_host "$bdf" 0x28d 1 0x3d
vfio_cfg "$bdf" w2:0x28c=0xffff > /dev/null
expect_host "$bdf" 0x28c 2 0xfdff

step "straddling writes are split"
reset_pattern
vfio_cfg "$bdf" w4:0x27e=0x11223344 > /dev/null	# allow | deny
expect_host "$bdf" 0x27e 4 0x81803344
vfio_cfg "$bdf" w4:0x286=0x55667788 > /dev/null	# read-only | masked
expect_host "$bdf" 0x286 4 0x55668786

step "audit passes everything"
reset_pattern
ctl mode "$bdf" audit
expect_read "$bdf" 4 0x280 0x83828180
vfio_cfg "$bdf" w4:0x284=0xdeadbeef > /dev/null
expect_host "$bdf" 0x284 4 0xdeadbeef
ctl mode "$bdf" enforce

step "clear falls back to the default table"
ctl clear "$bdf"
expect_eq "list" "$bdf  8086:10d3  4096  enforce  default" "$("$CTL" list "$bdf" | tail -n1)"
reset_pattern
expect_read "$bdf" 4 0x280 0x83828180
vfio_cfg "$bdf" w4:0x280=0 > /dev/null
expect_host "$bdf" 0x280 4 0x83828180
