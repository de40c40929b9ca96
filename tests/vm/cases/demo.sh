# make demo: what an operator does, in a VM, with the output they would see.
# The e1000e at 00:10.0 keeps whatever is written to its hidden byte 0x298,
# which belongs to no capability: the register the guard protects here.
show() {
	echo
	echo "# $*"
	"$@"
}
PATH=$CFGGUARD_BUILD/tools:$CFGGUARD_BUILD/tests:$PATH

show modprobe vfio-pci
show insmod "$KMOD"
echo
echo "# echo $DRIVER > /sys/bus/pci/devices/$E1000E/driver_override"
echo "$DRIVER" > "/sys/bus/pci/devices/$E1000E/driver_override"
echo "# echo $E1000E > /sys/bus/pci/drivers_probe"
echo "$E1000E" > /sys/bus/pci/drivers_probe
show lspci -nnk -s "$E1000E"
show cfgguard-ctl list

echo
echo "# The device's hidden register 0x298 holds 0x42 (set from the host):"
show setpci -s "${E1000E#0000:}" 0x298.b=42
echo
echo "# The guest (here vfio-cfg, which opens the device as QEMU does) writes"
echo "# 0x5a to it. The default table drops the write; reads still pass:"
cfgguard-ctl watch --json > "$TMPDIR/events" 2> /dev/null &
watch_pid=$!
sleep 0.5
show vfio-cfg "$E1000E" w1:0x298=0x5a r1:0x298 r4:0x0
show setpci -s "${E1000E#0000:}" 0x298.b
sleep 0.5
kill -INT "$watch_pid"
wait "$watch_pid"
echo
echo "# cfgguard-ctl watch --json (running meanwhile) saw:"
cat "$TMPDIR/events"

echo
echo "# A table of the device's own capabilities, every other byte denied:"
show cfgguard-ctl gen-table "$E1000E"
cfgguard-ctl gen-table "$E1000E" > "$TMPDIR/e1000e.table"
echo "0x298 read-only	# a hidden register the driver may read" >> "$TMPDIR/e1000e.table"
show cfgguard-ctl load-table "$E1000E" "$TMPDIR/e1000e.table"
show cfgguard-ctl list
show vfio-cfg "$E1000E" r1:0x298 r4:0x29c w1:0x298=0x77
show cfgguard-ctl stats "$E1000E"

ulimit -l unlimited
echo
echo "# QEMU, the real VFIO user, starts the guarded device:"
echo "# printf 'info pci\\nquit\\n' | qemu-system-x86_64 -M q35 -m 64 -nodefaults -display none -S -monitor stdio -device vfio-pci,host=$E1000E"
printf 'info pci\nquit\n' | qemu-system-x86_64 -M q35 -m 64 -nodefaults \
	-display none -S -monitor stdio -device "vfio-pci,host=$E1000E" 2>&1 |
	tr -d '\r' | sed -e 's/\x1b\[[0-9;]*[A-Za-z]//g' | grep -v '^(qemu)' |
	sed -n '/device   1, function 0/,/id ""/p'
