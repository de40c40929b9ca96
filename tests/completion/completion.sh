#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# completion.sh <source dir>: runs the bash completion of cfgguard-ctl
# (completions/cfgguard-ctl) against a fake sysfs tree and checks the
# candidates; and checks that it knows every subcommand cfgguard-ctl.c
# dispatches and exactly the flags each tools/<subcommand>.c parses.
set -uo pipefail

src=$(cd "${1:-$(dirname "$0")/../..}" && pwd)
bc=/usr/share/bash-completion/bash_completion
[[ -r $bc ]] || { echo "SKIP: bash-completion is not installed"; exit 77; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Two devices bound to cfgguard-vfio-pci, one to another driver; an entry
# in the driver's directory that is not a device (bind) must not show.
sys=$tmp/sys
mkdir -p "$sys/bus/pci/drivers/cfgguard-vfio-pci" "$sys/bus/pci/drivers/e1000e" \
	"$sys/bus/pci/devices" "$sys/module/cfgguard_vfio_pci"
dev() { # <bdf> <vendor> <device> <driver>: links as sysfs has them
	local d=$sys/devices/pci0000:00/$1
	mkdir -p "$d"
	echo "0x$2" >"$d/vendor"
	echo "0x$3" >"$d/device"
	ln -s "../../../devices/pci0000:00/$1" "$sys/bus/pci/devices/$1"
	ln -s "../../../../devices/pci0000:00/$1" "$sys/bus/pci/drivers/$4/$1"
	ln -s "../../../bus/pci/drivers/$4" "$d/driver"
}
dev 0000:01:00.0 10de 2330 cfgguard-vfio-pci
dev 0000:02:00.0 8086 10d3 cfgguard-vfio-pci
dev 0000:00:19.0 8086 15b7 e1000e
drv=$sys/bus/pci/drivers/cfgguard-vfio-pci
touch "$drv/bind" "$drv/unbind" "$drv/new_id" "$drv/remove_id" "$drv/uevent"
ln -s ../../../../module/cfgguard_vfio_pci "$drv/module"

# files and a directory for load-table, check and apply
work=$tmp/work
mkdir -p "$work/tables.d"
touch "$work/a.table" "$work/b.table"

fail=0
# comp <line up to the cursor>: prints the candidates, sorted, one a line.
# COMP_WORDS splits as readline does: at blanks and around each ':'.
comp() {
	CFGGUARD_SYSFS=$sys bash --norc --noprofile -c '
		cd "$3" || exit 1
		source "$1" && source "$2" || exit 1
		line=$4
		words=() w=
		for ((i = 0; i < ${#line}; i++)); do
			c=${line:i:1}
			if [[ $c == " " ]]; then
				[[ -n $w ]] && words+=("$w"); w=
			elif [[ $c == : ]]; then
				[[ -n $w ]] && words+=("$w"); words+=(:); w=
			else
				w+=$c
			fi
		done
		words+=("$w")
		COMP_WORDS=("${words[@]}")
		COMP_CWORD=$((${#words[@]} - 1))
		COMP_LINE=$line COMP_POINT=${#line}
		COMP_TYPE=9 COMP_KEY=9
		_cfgguard_ctl cfgguard-ctl "${words[-1]}" "${words[-2]}" 2>/dev/null
		printf "%s\n" "${COMPREPLY[@]}" | sed "s,/$,," | sort -u | grep .
	' comp "$bc" "$src/completions/cfgguard-ctl" "$work" "$1"
}
# expect <line> <candidate>...: exactly these
expect() {
	local line=$1 got want
	shift
	got=$(comp "$line" | tr '\n' ' ')
	want=$(printf '%s\n' "$@" | sort -u | grep . | tr '\n' ' ')
	if [[ $got == "$want" ]]; then
		echo "ok   '$line' -> $got"
	else
		echo "FAIL '$line' -> '$got', expected '$want'"
		fail=1
	fi
}

subcmds="apply check clear gen-table help list load-table mode show stats version watch"
expect "cfgguard-ctl " $subcmds
expect "cfgguard-ctl s" show stats
expect "cfgguard-ctl load" load-table
expect "cfgguard-ctl --" --help --version
expect "cfgguard-ctl mode " 0000:01:00.0 0000:02:00.0
# ':' breaks words, so readline replaces only what follows the last one:
# the candidates are trimmed to match (__ltrim_colon_completions)
expect "cfgguard-ctl mode 0000:0" 01:00.0 02:00.0
expect "cfgguard-ctl mode 0000:01:" 00.0
expect "cfgguard-ctl mode 0000:01:00.0 " enforce audit off
expect "cfgguard-ctl mode 0000:01:00.0 a" audit
expect "cfgguard-ctl mode 0000:01:00.0 audit " 
expect "cfgguard-ctl show " 0000:01:00.0 0000:02:00.0 10de:2330 8086:10d3
expect "cfgguard-ctl clear 10" 10de:2330
expect "cfgguard-ctl clear 10de:" 2330
expect "cfgguard-ctl load-table " 0000:01:00.0 0000:02:00.0 10de:2330 8086:10d3
expect "cfgguard-ctl load-table 0000:01:00.0 " a.table b.table tables.d
expect "cfgguard-ctl load-table 10de:2330 a" a.table
expect "cfgguard-ctl check " a.table b.table tables.d
expect "cfgguard-ctl check a.table " 0000:00:19.0 0000:01:00.0 0000:02:00.0
expect "cfgguard-ctl check a.table 0000:01:00.0 "
expect "cfgguard-ctl apply " tables.d
expect "cfgguard-ctl apply t" tables.d
expect "cfgguard-ctl apply --" --help
expect "cfgguard-ctl gen-table " 0000:00:19.0 0000:01:00.0 0000:02:00.0
expect "cfgguard-ctl gen-table 0000:00:19.0 "
expect "cfgguard-ctl list " 0000:01:00.0 0000:02:00.0
expect "cfgguard-ctl list --" --json
expect "cfgguard-ctl stats --json " 0000:01:00.0 0000:02:00.0
expect "cfgguard-ctl stats --" --json --prometheus --reset
expect "cfgguard-ctl watch 0000:01:00.0 " 0000:01:00.0 0000:02:00.0
expect "cfgguard-ctl watch --" --journal --json --learn
expect "cfgguard-ctl gen-table --"
expect "cfgguard-ctl help "

# No device bound: nothing, and no error.
rm -f "$sys"/bus/pci/drivers/cfgguard-vfio-pci/0000:*
expect "cfgguard-ctl mode "
expect "cfgguard-ctl show "

# Drift: every subcommand cfgguard-ctl.c dispatches is offered ...
for s in $(sed -n 's/^[[:space:]]*{ "\([a-z-]*\)", [a-z_]*_main,.*/\1/p' "$src/tools/cfgguard-ctl.c"); do
	if [[ " $subcmds " != *" $s "* ]]; then
		echo "FAIL: cfgguard-ctl.c dispatches '$s', the completion does not offer it"
		fail=1
	fi
done
# ... and each offers exactly the flags its tools/<subcommand>.c compares
# an argument with.
for s in $subcmds; do
	f=$src/tools/$s.c
	[[ -f $f ]] || continue
	want=$(grep -o 'strcmp(argv\[[a-z0-9]*\], "--[a-z-]*")' "$f" |
	       sed 's/.*"\(--[a-z-]*\)")/\1/' | sort -u | tr '\n' ' ')
	got=$(comp "cfgguard-ctl $s --" | tr '\n' ' ')
	if [[ $got == "$want" ]]; then
		echo "ok   $s's flags: $got"
	else
		echo "FAIL: tools/$s.c parses '$want', the completion offers '$got'"
		fail=1
	fi
done

exit $fail
