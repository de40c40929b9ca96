# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Where a kernel's image, modules and build tree are: Debian 12's own under
# /boot and /lib/modules, or one cached by tests/debug/kernel.sh (the debug
# kernel) or tests/newer/kernel.sh (a newer Debian's).

CFGGUARD_KERNEL_CACHE=${CFGGUARD_KERNEL_CACHE:-/var/cache/cfgguard/kernels}

kernel_cached() { # <release>
	[[ -f $CFGGUARD_KERNEL_CACHE/$1/done ]]
}

kernel_image() { # <release>
	if kernel_cached "$1"; then
		echo "$CFGGUARD_KERNEL_CACHE/$1/vmlinuz"
	else
		echo "/boot/vmlinuz-$1"
	fi
}

# The tree that holds <release>'s modules.dep, as modprobe -d wants it.
kernel_moddir() { # <release>
	if kernel_cached "$1"; then
		echo "$CFGGUARD_KERNEL_CACHE/$1/lib/modules/$1"
	else
		echo "/lib/modules/$1"
	fi
}

# The root a newer Debian's kernel builds modules in, whose compiler and
# libc its headers need; nothing for a kernel the host can build for.
kernel_build_root() { # <release>
	if kernel_cached "$1" && [[ -f $CFGGUARD_KERNEL_CACHE/$1/root ]]; then
		cat "$CFGGUARD_KERNEL_CACHE/$1/root"
	fi
}

# Inside kernel_build_root, where there is one.
kernel_build_dir() { # <release>
	if [[ -n $(kernel_build_root "$1") ]]; then
		echo "/usr/src/linux-headers-$1"
	elif kernel_cached "$1"; then
		echo "$CFGGUARD_KERNEL_CACHE/$1/build"
	else
		echo "/lib/modules/$1/build"
	fi
}
