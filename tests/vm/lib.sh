# SPDX-License-Identifier: GPL-2.0
#
# Helpers for the cases, sourced inside the guest.

KVER=$(uname -r)
KMOD=$CFGGUARD_BUILD/kmod/$KVER/module/cfgguard-vfio-pci.ko
VFIO_CFG=$CFGGUARD_BUILD/tests/vfio-cfg
DRIVER=cfgguard-vfio-pci

# The passthrough candidates run.sh gives every VM, by address.
E1000E=0000:00:10.0
NVME=0000:00:11.0
VIRTIO_NET=0000:01:00.0
E1000E_2=0000:00:13.0
DEVICES=("$E1000E" "$NVME" "$VIRTIO_NET")

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

skip() {
	echo "SKIP: $*" >&2
	exit 77
}

step() {
	echo "== $*"
}

expect_eq() { # <what> <expected> <actual>
	[[ $2 == "$3" ]] || fail "$1: expected '$2', got '$3'"
}

# Every sysfs write is echoed: set -x does not show redirections.
write_to() { # <file> <value>
	echo "  $2 > $1"
	printf '%s' "$2" > "$1"
}

driver_of() { # <bdf>
	local link=/sys/bus/pci/devices/$1/driver
	[[ -e $link ]] && basename "$(readlink -f "$link")" || echo none
}

unbind() { # <bdf>
	if [[ -e /sys/bus/pci/devices/$1/driver ]]; then
		write_to "/sys/bus/pci/devices/$1/driver/unbind" "$1"
	fi
}

# The operator's way: driver_override, then drivers_probe.
bind() { # <bdf> <driver>
	unbind "$1"
	write_to "/sys/bus/pci/devices/$1/driver_override" "$2"
	write_to /sys/bus/pci/drivers_probe "$1"
	expect_eq "driver of $1" "$2" "$(driver_of "$1")"
}

load_vfio() {
	modprobe vfio-pci
}

load_cfgguard() {
	load_vfio
	insmod "$KMOD"
}

vfio_cfg() { # <bdf> <op>...
	"$VFIO_CFG" "$@"
}

# Config space as the host sees it, bypassing VFIO.
host_cfg_byte() { # <bdf> <offset>
	od -An -tx1 -j "$(($2))" -N1 "/sys/bus/pci/devices/$1/config" | tr -d ' '
}

cfg_size_of() { # <bdf>
	stat -c %s "/sys/bus/pci/devices/$1/config"
}
