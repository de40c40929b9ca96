# Issue 2 (d): bind, use, unbind and rebind; rmmod with nothing bound and
# with a device still bound. The harness fails the case on any splat.
load_cfgguard

for round in 1 2; do
	step "round $round"
	bind "$E1000E" "$DRIVER"
	expect_eq "vendor through VFIO" "r2 0x000 = 0x8086" "$(vfio_cfg "$E1000E" r2:0)"
	unbind "$E1000E"
	expect_eq "driver after unbind" none "$(driver_of "$E1000E")"
done

step "rmmod with no device bound"
rmmod cfgguard_vfio_pci
[[ ! -e /sys/module/cfgguard_vfio_pci ]] || fail "module still loaded"

step "rmmod with a device bound"
insmod "$KMOD"
bind "$NVME" "$DRIVER"
rmmod cfgguard_vfio_pci
expect_eq "driver of $NVME after rmmod" none "$(driver_of "$NVME")"

step "vfio-pci takes the device back"
bind "$NVME" vfio-pci
vfio_cfg "$NVME" r2:0
