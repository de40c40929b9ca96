#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh <kernel release> <case> [<build dir>]
#
# Boots Debian's own kernel <kernel release> under QEMU (TCG, q35, emulated
# Intel IOMMU) with the test devices, runs tests/vm/cases/<case>.sh inside
# it against the host root exported read-only over 9p, and exits with the
# guest's verdict. A kernel splat in the guest fails the case even when its
# assertions passed. Exits 77 (SKIP) when the case cannot run here.
set -uo pipefail

kver=$1 case_name=$2
src=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${3:-$src/build}" && pwd)
skip() { echo "SKIP: $*"; exit 77; }

[[ -f $src/tests/vm/cases/$case_name.sh ]] || { echo "no such case: $case_name" >&2; exit 2; }
# shellcheck source=tests/debug/paths.sh
source "$src/tests/debug/paths.sh"
command -v qemu-system-x86_64 >/dev/null || skip "qemu-system-x86_64 is not installed"
kernel=$(kernel_image "$kver")
moddir=$(kernel_moddir "$kver")
[[ -r $kernel ]] || skip "$kernel is missing (apt-get install linux-image-$kver)"
[[ -f $moddir/modules.dep ]] || skip "$moddir is missing"
[[ -f $build/kmod/$kver/module/cfgguard-vfio-pci.ko ]] ||
	skip "module not built for $kver (tests/build-module.sh $kver)"
((EUID == 0)) || skip "needs root: QEMU exports / over 9p with the owners' ids"

vmdir=$build/vm
initrd=$vmdir/initramfs-$kver.cpio.gz
mkdir -p "$vmdir"
if [[ ! -f $initrd || $initrd -ot $src/tests/vm/init || $initrd -ot $src/tests/vm/mkinitramfs.sh ]]; then
	"$src/tests/vm/mkinitramfs.sh" "$kver" "$initrd" || exit 1
fi

# A case may ask for kernel parameters on a "# cmdline:" line, and for
# more than the default time on a "# timeout:" line (seconds).
cmdline=$(sed -n 's/^# cmdline: //p' "$src/tests/vm/cases/$case_name.sh")
case_timeout=$(sed -n 's/^# timeout: //p' "$src/tests/vm/cases/$case_name.sh")

# CFGGUARD_VFIO=cdev: the test clients open devices through their cdev and
# iommufd instead of a group and container (kernels with VFIO_DEVICE_CDEV).
vfio_mode=${CFGGUARD_VFIO:-group}
out=$vmdir/$kver/$case_name
[[ $vfio_mode == group ]] || out+=.$vfio_mode
# CFGGUARD_CLOCK=icount: the guest's clock counts the instructions it
# executes (one per ns), so its timings are instruction counts. One vCPU:
# Debian's 6.1 never brings up a second one under icount (seen: it waits
# in "smp: Bringing up secondary CPUs" for good), and TCG would run them
# in one thread in turn anyway.
clock=${CFGGUARD_CLOCK:-host}
icount=() cpus=2
case $clock in
host) ;;
icount) icount=(-icount shift=0,sleep=off,align=off) cpus=1 out+=.icount ;;
*) echo "CFGGUARD_CLOCK: host or icount, not '$clock'" >&2; exit 2 ;;
esac
rm -rf "$out"
mkdir -p "$out"

# Hot-unplug from the root port is native PCIe hotplug (pciehp), not
# QEMU's ACPI hotplug, which would need the guest's acpiphp (the debug
# kernel has none).
# Passthrough candidates sit at fixed addresses, away from the 9p transports
# at 00:03.0 and 00:04.0, so no case can unbind the root file system.
devices=(
	-device e1000e,addr=0x10,romfile=
	-device nvme,addr=0x11,serial=cfgguard-nvme
	-device pcie-root-port,id=rp0,chassis=1,addr=0x12
	-device virtio-net-pci,bus=rp0,addr=0x0,romfile=,id=hotplug0
	-device e1000e,addr=0x13,romfile=
)

boot() {
	# A case drives QEMU through QMP by files in its results share (hot-unplug);
	# the socket lives in a short path, as unix socket paths are limited.
	qmpdir=$(mktemp -d /tmp/cfgguard-qmp.XXXXXX)
	"$src/tests/vm/qmp-relay.py" "$qmpdir/sock" "$out" 2> "$out/qmp-relay.stderr" &
	relay=$!
	timeout --foreground "${CFGGUARD_VM_TIMEOUT:-${case_timeout:-600}}" qemu-system-x86_64 \
		-nodefaults -nographic -no-reboot -monitor none \
		-machine q35,kernel-irqchip=split -accel tcg -cpu max -smp "$cpus" -m 2048 \
		-global ICH9-LPC.acpi-pci-hotplug-with-bridge-support=off \
		-device intel-iommu,intremap=on,caching-mode=on \
		-fsdev local,id=hostroot,path=/,security_model=none,readonly=on,multidevs=remap \
		-device virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot,addr=0x3 \
		-fsdev local,id=out,path="$out",security_model=none,multidevs=remap \
		-device virtio-9p-pci,fsdev=out,mount_tag=out,addr=0x4 \
		"${devices[@]}" "${icount[@]}" \
		-serial stdio -qmp unix:"$qmpdir/sock",server=on,wait=off \
		-kernel "$kernel" -initrd "$initrd" \
		-append "console=ttyS0 intel_iommu=on panic=-1 loglevel=4 $cmdline cfgguard.case=$case_name cfgguard.src=$src cfgguard.build=$build cfgguard.moddir=$moddir cfgguard.vfio=$vfio_mode cfgguard.clock=$clock" \
		> "$out/console.log" 2> "$out/qemu.stderr"
	qemu_rc=$?
	kill "$relay" 2> /dev/null
	wait "$relay" 2> /dev/null
	rm -rf "$qmpdir"
}

# A guest that dies before init starts the case (seen: an int3 Oops in
# sched_clock_tick at 2 s, QEMU TCG patching kernel text under a running
# vCPU) ran no code of ours: boot again, at most twice, and say so.
for attempt in 1 2 3; do
	boot
	grep -q 'init: running case' "$out/console.log" && break
	[[ -e $out/verdict ]] && break
	echo "the guest died before the case started (attempt $attempt):"
	grep -E 'Oops|panic|BUG' "$out/console.log" | head -n 3
	cp "$out/console.log" "$out/console.boot$attempt.log"
done

verdict=$(cat "$out/verdict" 2>/dev/null || echo none)
# Every report in the guest's logs fails the case unless it is a known
# upstream one with no frame of ours (tests/vm/known-splats).
rc=0
if ! splats=$(python3 "$src/tests/vm/splats.py" "$src/tests/vm/known-splats" \
		"$out/dmesg" "$out/console.log"); then
	echo "FAIL: kernel splat in the guest:"
	rc=1
fi
[[ -n $splats ]] && echo "$splats"
# Written on kmemleak kernels only, after the module was removed.
if [[ -s $out/kmemleak ]]; then
	echo "FAIL: kmemleak reports leaks after the case:"
	head -n 80 "$out/kmemleak"
	rc=1
fi
if [[ $verdict == 77 ]]; then
	[[ $rc == 0 ]] && { cat "$out/case.log" 2>/dev/null; skip "the case skipped itself"; }
elif [[ $verdict != 0 ]]; then
	echo "FAIL: case $case_name on $kver: verdict '$verdict' (qemu exit $qemu_rc)"
	rc=1
fi
if ((rc)); then
	echo "---- case log"; cat "$out/case.log" 2>/dev/null
	echo "---- console (last 60 lines)"; tail -n 60 "$out/console.log"
	echo "---- qemu stderr"; cat "$out/qemu.stderr"
	exit 1
fi
cat "$out/case.log"
echo "PASS: $case_name on $kver${out#"$vmdir/$kver/$case_name"}"
