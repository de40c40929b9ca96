# Issue 2 (a): through cfgguard-vfio-pci, the whole config space of three
# different devices reads byte for byte as through stock vfio-pci.
load_cfgguard
dir=$(mktemp -d)

for bdf in "${DEVICES[@]}"; do
	size=$(cfg_size_of "$bdf")
	step "$bdf ($(cat "/sys/bus/pci/devices/$bdf/vendor"):$(cat "/sys/bus/pci/devices/$bdf/device")), $size bytes"
	expect_eq "config size of $bdf" 4096 "$size"

	bind "$bdf" vfio-pci
	vfio_cfg "$bdf" dump > "$dir/stock"
	bind "$bdf" "$DRIVER"
	vfio_cfg "$bdf" dump > "$dir/guarded"

	expect_eq "lines in the dump of $bdf" $((size / 16)) "$(wc -l < "$dir/guarded")"
	if ! cmp -s "$dir/stock" "$dir/guarded"; then
		diff "$dir/stock" "$dir/guarded" | head -n 20
		fail "$bdf: config space through $DRIVER differs from vfio-pci"
	fi
	echo "  identical, $(md5sum < "$dir/guarded" | cut -c1-12)"
	unbind "$bdf"
done
