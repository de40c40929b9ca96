# Issue 2 (b): 1-, 2- and 4-byte reads, and writes of the inverted value,
# at every capability's first register agree with stock vfio-pci.
load_cfgguard
dir=$(mktemp -d)

for bdf in "${DEVICES[@]}"; do
	step "$bdf"
	bind "$bdf" vfio-pci
	vfio_cfg "$bdf" caps > "$dir/stock"
	bind "$bdf" "$DRIVER"
	vfio_cfg "$bdf" caps > "$dir/guarded"

	caps=$(grep -c ' r4=' "$dir/guarded" || true)
	((caps >= 3)) || fail "$bdf: only $caps capabilities found"
	if ! cmp -s "$dir/stock" "$dir/guarded"; then
		diff "$dir/stock" "$dir/guarded"
		fail "$bdf: capability accesses through $DRIVER differ from vfio-pci"
	fi
	echo "  $caps capabilities, 6 accesses each: identical"
	unbind "$bdf"
done
cat "$dir/guarded"
