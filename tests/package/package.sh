#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The Debian packages (debian/, docs/packaging.md), one step each:
#   package.sh build    <src> <out>  make deb into <out>; the tree stays clean
#   package.sh lintian  <out>        lintian --pedantic: no tag but the overridden
#   package.sh contents <src> <out>  what each .deb holds, depends on and runs
#   package.sh units    <out>        systemd-analyze verify and security on the
#                                    units as packaged
# Exit 77 is SKIP: a tool the step needs is missing (make deps installs it).
set -euo pipefail

step=$1
shift
skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }
need() { for t; do command -v "$t" >/dev/null || skip "$t is not installed"; done; }

debs() { # <out>: sets version, dkms_deb, tools_deb
	local out=$1
	# none: package.build failed or skipped, and says so itself
	dkms_deb=$(ls "$out"/cfgguard-dkms_*_all.deb 2>/dev/null) ||
		skip "no cfgguard-dkms .deb in $out (see package.build)"
	tools_deb=$(ls "$out"/cfgguard-tools_*_"$(dpkg --print-architecture)".deb 2>/dev/null) ||
		skip "no cfgguard-tools .deb in $out (see package.build)"
}

case $step in
build)
	src=$1 out=$2
	need dpkg-buildpackage dh dh_dkms fakeroot
	# what a build in the tree itself would leave
	litter=(debian/changelog debian/build debian/.debhelper debian/files
		debian/tmp debian/cfgguard-dkms debian/cfgguard-tools
		debian/debhelper-build-stamp)
	before=$(cd "$src" && ls -d "${litter[@]}" ../cfgguard_* ../cfgguard-*.deb 2>/dev/null || true)
	rm -rf "$out"
	make -C "$src" --no-print-directory deb DEBOUT="$out"
	after=$(cd "$src" && ls -d "${litter[@]}" ../cfgguard_* ../cfgguard-*.deb 2>/dev/null || true)
	[[ $before == "$after" ]] || fail "make deb left files beside the copy: $after"
	ls "$out"/cfgguard_*.changes >/dev/null || fail "no .changes in $out"
	echo "built: $(cd "$out" && ls ./*.deb ./*.dsc | tr '\n' ' ')"
	;;
lintian)
	out=$1
	need lintian
	changes=$(ls "$out"/cfgguard_*.changes 2>/dev/null) ||
		skip "no .changes in $out (see package.build)"
	# every tag, down to pedantic and experimental, fails unless overridden
	# (debian/*lintian-overrides, each with its reason)
	lintian --info --display-info --display-experimental --pedantic \
		--fail-on error,warning,info,pedantic,experimental "$changes" ||
		fail "lintian tags left"
	echo "lintian: clean"
	;;
contents)
	src=$1 out=$2
	need dpkg-deb
	debs "$out"
	version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$src/dkms.conf")
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	bad=0
	check() { # <what> <command>...
		local what=$1
		shift
		if "$@"; then echo "ok   $what"; else echo "FAIL $what"; bad=1; fi
	}
	field() { dpkg-deb -f "$1" "$2"; }
	has() { grep -qxF -- "$2" "$1"; }

	# cfgguard-dkms: the module's sources, as DKMS wants them
	dpkg-deb -c "$dkms_deb" | awk '{print $6}' | sed 's,^\./,/,; s,/$,,' >"$tmp/dkms.list"
	dpkg-deb -x "$dkms_deb" "$tmp/dkms"
	dpkg-deb -e "$dkms_deb" "$tmp/dkms.ctrl"
	usrc=/usr/src/cfgguard-$version
	check "cfgguard-dkms is version $version" test "$(field "$dkms_deb" Version)" = "$version"
	check "cfgguard-dkms is arch all" test "$(field "$dkms_deb" Architecture)" = all
	check "cfgguard-dkms depends on dkms" grep -qE '(^|, )dkms( |,|$)' <<<"$(field "$dkms_deb" Depends)"
	check "$usrc/dkms.conf is dkms.conf" cmp -s "$tmp/dkms$usrc/dkms.conf" "$src/dkms.conf"
	for f in Kbuild module/Kbuild uapi/linux/cfgguard.h $(cd "$src" && ls module/*.[ch]); do
		check "$usrc/$f is the tree's" cmp -s "$tmp/dkms$usrc/$f" "$src/$f"
	done
	# nothing else in /usr/src: no build products, no tests, no tools
	extra=$(grep "^$usrc/" "$tmp/dkms.list" | grep -vE "^$usrc/(dkms.conf|Kbuild|module|module/Kbuild|module/[a-z_-]+\.[ch]|uapi|uapi/linux|uapi/linux/cfgguard.h)$" || true)
	check "only the module's sources in $usrc${extra:+ (not: $extra)}" test -z "$extra"
	check "postinst registers and builds with DKMS" grep -q 'common.postinst' "$tmp/dkms.ctrl/postinst"
	check "postinst builds for every kernel with headers" grep -q "dkms install -m cfgguard -v $version" "$tmp/dkms.ctrl/postinst"
	check "prerm removes from DKMS" grep -q "dkms remove -m cfgguard -v $version -k" "$tmp/dkms.ctrl/prerm"

	# cfgguard-tools
	dpkg-deb -c "$tools_deb" | awk '{print $6}' | sed 's,^\./,/,; s,/$,,' >"$tmp/tools.list"
	dpkg-deb -x "$tools_deb" "$tmp/tools"
	dpkg-deb -e "$tools_deb" "$tmp/tools.ctrl"
	t=$tmp/tools
	check "cfgguard-tools is version $version" test "$(field "$tools_deb" Version)" = "$version"
	deps=$(field "$tools_deb" Depends)
	for d in libc6 libnl-3-200 libnl-genl-3-200 kmod; do
		check "cfgguard-tools depends on $d" grep -qE "(^|, )$d( |,|$)" <<<"$deps"
	done
	check "cfgguard-tools recommends cfgguard-dkms" grep -q cfgguard-dkms <<<"$(field "$tools_deb" Recommends)"
	for f in /usr/sbin/cfgguard-ctl /usr/share/man/man8/cfgguard-ctl.8.gz \
		 /usr/share/man/man5/cfgguard-table.5.gz \
		 /lib/systemd/system/cfgguard.service /lib/systemd/system/cfgguard-watch.service \
		 /usr/share/bash-completion/completions/cfgguard-ctl \
		 /etc/cfgguard /etc/cfgguard/README; do
		check "cfgguard-tools has $f" has "$tmp/tools.list" "$f"
	done
	doc=/usr/share/doc/cfgguard-tools
	for f in $doc/README.md.gz $doc/json.md.gz $doc/packaging.md.gz \
		 $doc/schemas/event.schema.json $doc/schemas/stats.schema.json \
		 $doc/examples/prometheus/cfgguard-textfile.timer \
		 $doc/examples/prometheus/cfgguard-alerts.yml; do
		check "cfgguard-tools has $f" has "$tmp/tools.list" "$f"
	done
	check "the event schema is the tree's" cmp -s "$t$doc/schemas/event.schema.json" "$src/docs/schemas/event.schema.json"
	check "/etc/cfgguard/README is a conffile" grep -qx /etc/cfgguard/README "$tmp/tools.ctrl/conffiles"
	check "/etc/cfgguard/README explains <key>.table" grep -q '0000:01:00.0.table' "$t/etc/cfgguard/README"
	check "the completion is the tree's" cmp -s "$t/usr/share/bash-completion/completions/cfgguard-ctl" "$src/completions/cfgguard-ctl"
	check "cfgguard-ctl --version says $version" test "$("$t/usr/sbin/cfgguard-ctl" --version)" = "cfgguard-ctl v$version"
	check "the man page is a man page" sh -c "zcat '$t/usr/share/man/man8/cfgguard-ctl.8.gz' | grep -q '^\.TH'"
	unit=$t/lib/systemd/system/cfgguard.service
	check "cfgguard.service applies /etc/cfgguard" grep -qx 'ExecStart=/usr/sbin/cfgguard-ctl apply /etc/cfgguard' "$unit"
	check "cfgguard.service reloads by applying" grep -qx 'ExecReload=/usr/sbin/cfgguard-ctl apply /etc/cfgguard' "$unit"
	check "cfgguard.service loads the module" grep -qx 'ExecStartPre=+/sbin/modprobe cfgguard-vfio-pci' "$unit"
	check "cfgguard.service runs before libvirt" grep -qE '^Before=.*libvirtd\.service.*virtqemud\.service' "$unit"
	check "cfgguard-watch.service writes journal entries" grep -qx 'ExecStart=/usr/sbin/cfgguard-ctl watch --journal' "$t/lib/systemd/system/cfgguard-watch.service"
	check "journald does not drop cfgguard-watch's entries" grep -qx 'LogRateLimitIntervalSec=0' "$t/lib/systemd/system/cfgguard-watch.service"
	# installing enables cfgguard.service, starts nothing, enables no watch
	post=$tmp/tools.ctrl/postinst
	check "postinst enables cfgguard.service" grep -q "deb-systemd-helper enable 'cfgguard.service'" "$post"
	check "postinst starts no unit" bash -c "! grep -q deb-systemd-invoke '$post'"
	check "postinst does not enable cfgguard-watch.service on install" \
		grep -q "deb-systemd-helper debian-installed 'cfgguard-watch.service'" "$post"

	# Installable on Debian 12 by apt-get install ./*.deb: every dependency
	# resolves from the archive (a simulation; nothing is installed).
	if apt-cache policy dkms 2>/dev/null | grep 'Candidate: [0-9]' >/dev/null; then
		check "apt-get can install both .debs" sh -c \
			"apt-get install -s -q '$dkms_deb' '$tools_deb' >'$tmp/apt.log' 2>&1 || { cat '$tmp/apt.log'; exit 1; }"
		grep -E '^Inst (cfgguard|dkms)' "$tmp/apt.log" || true
	else
		echo "note: no apt lists (apt-get update), the install simulation is left out"
	fi
	exit $bad
	;;
units)
	out=$1
	need systemd-analyze dpkg-deb
	debs "$out"
	[[ -d /lib/systemd/system ]] || skip "no systemd units on this host to verify against"
	# the package's files over the host's units, as once installed
	root=$(mktemp -d)
	trap 'rm -rf "$root"' EXIT
	dpkg-deb -x "$tools_deb" "$root"
	cp -an /lib/systemd/system/. "$root/lib/systemd/system/"
	mkdir -p "$root/sbin"
	cp "$(command -v modprobe || echo /sbin/modprobe)" "$root/sbin/modprobe"
	units=(cfgguard.service cfgguard-watch.service)
	# a unit it only warns about ("ignoring") fails too
	if ! msgs=$(systemd-analyze verify --man=no --root="$root" "${units[@]}" 2>&1) ||
	   [[ -n $msgs ]]; then
		echo "$msgs"
		fail "systemd-analyze verify"
	fi
	echo "ok   systemd-analyze verify ${units[*]}"
	# the sandbox, scored as systemd scores it: "OK" is 2.0-4.9
	for u in "${units[@]}"; do
		(cd "$root/lib/systemd/system" &&
		 systemd-analyze security --offline=yes --threshold=30 "$u" | tail -n1) ||
			fail "$u: exposure above 3.0"
	done
	;;
*)
	echo "Usage: $0 build|lintian|contents|units ..." >&2
	exit 2
	;;
esac
