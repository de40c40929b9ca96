# Issues 8.5 and 8.14: which bytes the guard calls assigned, and where it
# takes a write mask, is vfio-pci's own config map, copied at every open;
# gen-table writes what vfio-pci will do on the running kernel, for an
# unbound device, a bound one and an opened one alike.
load_cfgguard
build=/lib/modules/$KVER/build
common=$(sed -n 's/^include \(.*\)\/Makefile$/\1/p' "$build/Makefile")
# a newer Debian's headers name their common tree inside its build root
# (tests/newer/kernel.sh), where it is the sibling of the build tree
[[ -d $common ]] || common=$build/../${common##*/}
v2=$(($(sed -n 's/^#define PCI_CAP_EXP_ENDPOINT_SIZEOF_V2\s\+\(0x[0-9a-f]*\).*/\1/p' \
	"$common/include/uapi/linux/pci_regs.h")))
((v2)) || fail "cannot read PCI_CAP_EXP_ENDPOINT_SIZEOF_V2 from $common"
printf '  this kernel sizes a PCIe v2 endpoint capability 0x%x bytes\n' "$v2"

ranges() { # <bdf>: gen-table's ranges, without comments
	"$CTL" gen-table "$1" | sed -n 's/^\(0x[0-9a-f]*-0x[0-9a-f]* [a-z-]*\).*/\1/p'
}

for bdf in "${DEVICES[@]}"; do
	step "$bdf"
	unbind "$bdf"
	ranges "$bdf" > "$TMPDIR/unbound"
	bind "$bdf" "$DRIVER"
	"$CTL" gen-table "$bdf" > "$TMPDIR/walked.full"
	grep -q "walk" "$TMPDIR/walked.full" || { head -n 3 "$TMPDIR/walked.full"; fail "gen-table of a bound device does not say its map is the driver's walk"; }
	ranges "$bdf" > "$TMPDIR/walked"
	vfio_cfg "$bdf" r4:0 > /dev/null
	"$CTL" gen-table "$bdf" > "$TMPDIR/opened.full"
	grep -q "vfio-pci" "$TMPDIR/opened.full" || { head -n 3 "$TMPDIR/opened.full"; fail "gen-table of an opened device does not use vfio-pci's map"; }
	ranges "$bdf" > "$TMPDIR/opened"
	diff -u "$TMPDIR/unbound" "$TMPDIR/walked" || fail "unbound and bound gen-table differ"
	diff -u "$TMPDIR/walked" "$TMPDIR/opened" || fail "the walk and vfio-pci's map differ"
	cat "$TMPDIR/opened.full"
done

# The virtio-net behind a root port is a PCIe v2 endpoint with a link (the
# e1000e and the nvme on the root bus are integrated endpoints).
bdf=$VIRTIO_NET
step "$bdf's PCI Express capability, as this kernel's vfio-pci sizes it"
vfio_cfg "$bdf" r4:0 > /dev/null
start=$("$CTL" gen-table "$bdf" | sed -n 's/^\(0x[0-9a-f]*\)-0x[0-9a-f]* allow\t# PCI Express$/\1/p')
[[ -n $start ]] || fail "no PCI Express capability in gen-table's output"
last=$((start + v2 - 1))
exp=$(printf '0x%03x-0x%03x allow' "$start" "$last")
ranges "$bdf" | grep -qx "$exp" || { ranges "$bdf"; fail "expected '$exp'"; }
echo "  $exp"

step "write masks: refused on the capability's last byte, accepted just past it"
printf 'default allow\n0x%x allow wmask=0x0f\n' "$last" > "$TMPDIR/in-cap"
printf 'default allow\n0x%x allow wmask=0x0f\n' $((last + 1)) > "$TMPDIR/after-cap"
out=$("$CTL" load-table "$bdf" "$TMPDIR/in-cap" 2>&1) && fail "a mask on the last byte of the PCIe capability was accepted"
echo "  $out"
grep -qF "write mask on bytes vfio-pci virtualises" <<< "$out" || fail "unexpected message: $out"
ctl load-table "$bdf" "$TMPDIR/after-cap"
ctl clear "$bdf"
