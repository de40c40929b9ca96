# SPDX-License-Identifier: GPL-2.0
#
# Where a kernel's image, modules and build tree are: Debian's own under
# /boot and /lib/modules, or the debug kernel cached by tests/debug/kernel.sh.

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

kernel_build_dir() { # <release>
	if kernel_cached "$1"; then
		echo "$CFGGUARD_KERNEL_CACHE/$1/build"
	else
		echo "/lib/modules/$1/build"
	fi
}
