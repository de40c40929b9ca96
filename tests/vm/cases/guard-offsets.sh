# Issue 8.1: an access whose offset into the config region lies past 4 GiB
# (the region's offset space is 40 bits) is refused exactly as stock
# vfio-pci refuses it, before any decision, and never reaches the device
# at a truncated offset. Twin devices: one guarded, one on stock vfio-pci.
load_cfgguard
bdf=$E1000E stock=$E1000E_2
bind "$bdf" "$DRIVER"
bind "$stock" vfio-pci
printf 'default allow\n0x298 allow wmask=0x0f\n0x29c+4 deny\n' > "$TMPDIR/t"
ctl load-table "$bdf" "$TMPDIR/t"
host_write "$bdf" 0x298 0x00
host_write "$stock" 0x298 0x00

ops=()
for base in $((1 << 32)) $((1 << 36)) $((1 << 39)) $(((1 << 40) - 0x1000)) 0x10000 0x1000; do
	for off in 0x298 0x29c; do
		o=$(printf '0x%x' $((base + off)))
		ops+=("try-w1:$o=0x5a" "try-r1:$o" "try-w4:$o=0xa5a5a5a5" "try-r4:$o")
	done
done
# and the same registers at their real offsets, for contrast
ops+=(try-r1:0x298 try-w1:0x298=0xff try-r1:0x298 try-r4:0x29c)

step "stock vfio-pci"
vfio_cfg "$stock" "${ops[@]}" | tee "$TMPDIR/stock"
step "cfgguard-vfio-pci"
vfio_cfg "$bdf" "${ops[@]}" | tee "$TMPDIR/guarded"

# Past the region both refuse alike; inside it they differ only as the
# table says (0x298 keeps its masked-out bits, 0x29c reads as zeros).
n=$((${#ops[@]} - 4))
expect_eq "accesses past config space" "$(head -n "$n" "$TMPDIR/stock")" "$(head -n "$n" "$TMPDIR/guarded")"
grep -c ' error EFAULT$' "$TMPDIR/guarded" | grep -qx "$n" || fail "not every access past config space was refused with EFAULT"
expect_eq "in-range accesses" "try-r1 0x298 = 0x00
try-w1 0x298 ok
try-r1 0x298 = 0x0f
try-r4 0x29c = 0x00000000" "$(tail -n 4 "$TMPDIR/guarded")"
expect_eq "stock in-range accesses" "try-r1 0x298 = 0x00
try-w1 0x298 ok
try-r1 0x298 = 0xff" "$(tail -n 4 "$TMPDIR/stock" | head -n 3)"
step "the device saw only the in-range write"
expect_host "$bdf" 0x298 1 0x0f
stats=$("$CTL" stats --json "$bdf")
expect_eq "reported accesses" 2 "$(jq '.[0].read_blocked + .[0].write_masked' <<< "$stats")"
