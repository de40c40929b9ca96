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

# The module under test, never one DKMS installed for this kernel.
load_cfgguard() {
	load_vfio
	rmmod cfgguard_vfio_pci 2> /dev/null || true
	insmod "$KMOD"
}

# Until a listener's output stops growing for a second: after a flood its
# socket may hold tens of thousands of batched events, which a slow guest
# takes seconds to print. Two minutes at most.
wait_drained() { # <output file>
	local size prev=-1
	for _ in $(seq 120); do
		size=$(stat -c %s "$1")
		[[ $size == "$prev" ]] && return 0
		prev=$size
		sleep 1
	done
	fail "the listener writing $1 never caught up"
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

CTL=$CFGGUARD_BUILD/tools/cfgguard-ctl
NL_RAW=$CFGGUARD_BUILD/tests/nl-raw
TABLE_RACE=$CFGGUARD_BUILD/tests/table-race

ctl() { # <args>...: cfgguard-ctl, echoed
	echo "  cfgguard-ctl $*" >&2
	"$CTL" "$@"
}

# Writes config space from the host side, a byte at a time as setpci's
# byte writes do, bypassing VFIO.
host_write() { # <bdf> <offset> <byte>...
	local bdf=$1 off=$(($2)) b bytes=
	shift 2
	for b; do bytes+=$(printf '\\x%02x' "$((b))"); done
	printf "$bytes" | dd of="/sys/bus/pci/devices/$bdf/config" bs=1 \
		seek="$off" conv=notrunc status=none
}

# Little-endian value of <len> bytes as the host reads them.
host_read() { # <bdf> <offset> <len>
	local b v=0 i=0
	for b in $(od -An -tx1 -j "$(($2))" -N "$3" "/sys/bus/pci/devices/$1/config"); do
		v=$((v | 0x$b << (8 * i++)))
	done
	printf '0x%0*x' $(($3 * 2)) "$v"
}

# What vfio-cfg prints for a read.
vfio_read() { # <bdf> <size> <offset>
	vfio_cfg "$1" "r$2:$3" | sed 's/.* = //'
}

expect_read() { # <bdf> <size> <offset> <expected>
	local got
	got=$(vfio_read "$1" "$2" "$3")
	expect_eq "r$2 at $3 of $1" "$(printf '0x%0*x' $(($2 * 2)) $(($4)))" "$got"
	echo "  r$2 $3 = $got"
}

expect_host() { # <bdf> <offset> <len> <expected>
	local got
	got=$(host_read "$1" "$2" "$3")
	expect_eq "host bytes at $2+$3 of $1" "$(printf '0x%0*x' $(($3 * 2)) $(($4)))" "$got"
}

param() { # <name> <value>
	write_to "/sys/module/cfgguard_vfio_pci/parameters/$1" "$2"
}

# 4-byte aligned offsets past the standard header that no range of the
# device's gen-table output covers, in order.
unassigned_offsets() { # <bdf>
	local -a used=()
	local line s e o
	while read -r line; do
		[[ $line =~ ^(0x[0-9a-f]+)-(0x[0-9a-f]+)\  ]] || continue
		for ((s = BASH_REMATCH[1], e = BASH_REMATCH[2], o = s; o <= e; o++)); do
			used[o]=1
		done
	done < <("$CTL" gen-table "$1")
	local size
	size=$(cfg_size_of "$1")
	for ((o = 0x40; o < size; o += 4)); do
		if [[ -z ${used[o]:-}${used[o + 1]:-}${used[o + 2]:-}${used[o + 3]:-} ]]; then
			printf '0x%x\n' "$o"
		fi
	done
}

# The first of the first 64 unassigned offsets whose 4 bytes the device
# keeps when the host writes them (QEMU keeps some, ignores others), or
# nothing.
writable_unassigned_offset() { # <bdf>
	local off old
	for off in $(unassigned_offsets "$1" | head -n 64); do
		old=$(host_read "$1" "$off" 4)
		host_write "$1" "$off" 0xa5 0x5a 0xc3 0x3c
		if [[ $(host_read "$1" "$off" 4) == 0x3cc35aa5 ]]; then
			echo "$off"
			return
		fi
		host_write "$1" "$off" $((old & 0xff)) $((old >> 8 & 0xff)) $((old >> 16 & 0xff)) $((old >> 24))
	done
}

stat_of() { # <bdf> <counter>
	"$CTL" stats --json "$1" | jq ".[0].$2"
}
