# Not a test: saves each test device's raw config space (as the host sees it
# through sysfs, no VFIO) to the results share, for unit-test fixtures.
for bdf in "${DEVICES[@]}"; do
	cp "/sys/bus/pci/devices/$bdf/config" "$CFGGUARD_OUT/config-$bdf"
	cat "/sys/bus/pci/devices/$bdf/vendor" "/sys/bus/pci/devices/$bdf/device" > "$CFGGUARD_OUT/id-$bdf"
done
