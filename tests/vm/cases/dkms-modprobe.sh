# The operator's install path: tests/dkms/dkms.sh installed the module with
# DKMS on the host for this kernel; modprobe finds it by name.
mod=$(modinfo -n cfgguard-vfio-pci 2>/dev/null) || skip "no DKMS-installed cfgguard-vfio-pci for $KVER"
echo "modinfo: $mod"
case "$mod" in
*/updates/dkms/*) ;;
*) fail "cfgguard-vfio-pci resolves to $mod, not the DKMS install" ;;
esac
modprobe cfgguard-vfio-pci
bind "$E1000E" "$DRIVER"
vfio_cfg "$E1000E" r4:0
