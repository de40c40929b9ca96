#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Installs the Debian 12 packages that `make check` and `make demo` need.
# As root it installs what is missing; otherwise it names what is missing.
set -euo pipefail

packages=(
	build-essential cmake pkg-config kmod xz-utils cpio
	libnl-3-dev libnl-genl-3-dev
	qemu-system-x86 busybox-static pciutils jq
	sparse dkms pahole
	linux-image-amd64 linux-headers-amd64
	linux-image-6.12-amd64 linux-headers-6.12-amd64
	linux-source-6.12 python3-yaml python3-jsonschema
	clang-14 libclang-rt-14-dev llvm-14
	debhelper dh-dkms dpkg-dev fakeroot lintian bash-completion systemd
	prometheus driverctl auditd
)
# driverctl and auditd are for the systemd-boot VM test (tests/vm/boot.sh),
# whose guest runs them from the host root (on a host running systemd,
# the auditd package also enables and starts its daemon there).
# prometheus is there for promtool (the json-schemas case checks `stats
# --prometheus` with it); on a host running systemd the package also
# enables its server: `systemctl disable --now prometheus` if unwanted.
# `make check-debug` builds a kernel from linux-source-6.12.
if [[ ${1:-} == --debug ]]; then
	packages+=(bc bison flex libelf-dev libssl-dev)
fi

missing=()
for p in "${packages[@]}"; do
	status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	[[ $status == "install ok installed" ]] || missing+=("$p")
done

((${#missing[@]} == 0)) && exit 0

if ((EUID != 0)); then
	echo "Missing Debian packages: ${missing[*]}" >&2
	echo "Run as root, or: apt-get install ${missing[*]}" >&2
	exit 1
fi

echo "Installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
