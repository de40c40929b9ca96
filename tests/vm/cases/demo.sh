# make demo: what an operator does, in a VM, with the output they would see.
show() {
	echo
	echo "# $*"
	"$@"
}

show modprobe vfio-pci
show insmod "$KMOD"
echo
echo "# echo $DRIVER > /sys/bus/pci/devices/$E1000E/driver_override"
echo "$DRIVER" > "/sys/bus/pci/devices/$E1000E/driver_override"
echo "# echo $E1000E > /sys/bus/pci/drivers_probe"
echo "$E1000E" > /sys/bus/pci/drivers_probe
show lspci -nnk -s "$E1000E"
show ls "/sys/bus/pci/devices/$E1000E/vfio-dev"

echo
echo "# The device's config space through VFIO, as QEMU reads it:"
show "$VFIO_CFG" "$E1000E" r4:0x0 r2:0x4 dump:0x40

ulimit -l unlimited
echo
echo "# printf 'info pci\\nquit\\n' | qemu-system-x86_64 -M q35 -m 64 -nodefaults -display none -S -monitor stdio -device vfio-pci,host=$E1000E"
printf 'info pci\nquit\n' | qemu-system-x86_64 -M q35 -m 64 -nodefaults \
	-display none -S -monitor stdio -device "vfio-pci,host=$E1000E" 2>&1 |
	tr -d '\r' | sed -e 's/\x1b\[[0-9;]*[A-Za-z]//g' | grep -v '^(qemu)'
