#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench.sh [<build dir>]: `make bench`. Runs tests/vm/cases/bench.sh on each
# tested kernel twice: with QEMU's icount, where the guest's clock counts
# executed instructions, and with the host's clock. Prints one table per
# kernel, instructions and wall-time ratios side by side, and writes every
# figure to <build dir>/bench/results.json as { kernel: { icount, host } }.
set -euo pipefail

src=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$src/build}" && pwd)
mkdir -p "$build/bench"
results=$build/bench/results.json
echo '{}' > "$results"

run() { # <kver> <clock>
	local log=$build/bench/$1.$2.log
	echo "Benchmarking on $1, clock $2 (QEMU TCG, $(nproc) host cores)..."
	CFGGUARD_CLOCK=$2 CFGGUARD_VM_TIMEOUT=3000 "$src/tests/vm/run.sh" "$1" bench "$build" > "$log" ||
		{ tail -n 40 "$log"; exit 1; }
}

for kver in ${CFGGUARD_BENCH_KERNELS:-$("$src/tests/kernels.sh")}; do
	"$src/tests/build-module.sh" "$kver" "$build" > /dev/null
	run "$kver" icount
	run "$kver" host
	icount=$build/vm/$kver/bench.icount/bench.jsonl
	host=$build/vm/$kver/bench/bench.jsonl
	jq -n --arg k "$kver" --slurpfile r "$results" --slurpfile i "$icount" --slurpfile h "$host" \
		'$r[0] + { ($k): { icount: $i, host: $h } }' > "$results.tmp"
	mv "$results.tmp" "$results"

	echo
	echo "== $kver: cfgguard (A) against stock vfio-pci (B), same boot, ABBA rounds"
	echo "   icount: instructions per access (a guest ns is one instruction); host: wall-time ratio"
	printf '%-40s %8s %8s %8s %8s %10s\n' measurement "A insn" "B insn" "A/B" "A-B" "wall A/B"
	jq -r -n --slurpfile i "$icount" --slurpfile h "$host" '
		($h | map(select(.ratio)) | map({ (.name): .ratio }) | add) as $wall
		| $i[] | select(.ratio)
		| [.name, .a_ns, .b_ns, .ratio, .a_ns - .b_ns, ($wall[.name] // "-")] | @tsv' |
		while IFS=$'\t' read -r name a b r d w; do
			[[ $w == - ]] || w=$(printf '%.3f' "$w")
			printf '%-40s %8.1f %8.1f %8.4f %+8.1f %10s\n' "$name" "$a" "$b" "$r" "$d" "$w"
		done
	echo
	echo "Allowed accesses, drivers swapped between the devices (@1, @2): geometric"
	echo "mean of the two ratios, which cancels the devices' own difference"
	for f in "$icount" "$host"; do
		jq -r -s 'map(select(.name | test("@[12]$"))) | group_by(.name | sub("@[12]$"; ""))
			| .[] | "\(.[0].name | sub("@[12]$"; ""))\t\((.[0].ratio * .[1].ratio) | sqrt)"' "$f"
	done | awk -F'\t' '{ v[$1] = v[$1] sprintf(" %10.4f", $2) } END { for (k in v) printf "  %-40s%s\n", k, v[k] }' |
		sort | sed '1i\  (icount, host)'
	for f in "$icount" "$host"; do
		clock=icount
		[[ $f == "$host" ]] && clock=host
		echo "-- $clock clock:"
		jq -r 'select(.name == "table-load") | "table load, \(.ranges) ranges: \(.median_us) us (median of \(.loads))"' "$f"
		jq -r 'select(.name == "events" and .received_seconds) | "events: watch --json received \(.received) in \(.received_seconds) s = \((.received / .received_seconds) | floor)/s (first to last event)"' "$f"
		jq -r 'select(.name == "events") | "events: \(.received) of \(.accesses) received, the flood took \(.seconds) s = \((.accesses / .seconds) | floor) writes/s; lost in transit \(.lost_in_transit), lost in the kernel \(.kernel_lost), suppressed \(.suppressed), unaccounted \(.accesses - .received - .lost_in_transit - .kernel_lost - .suppressed)"' "$f"
		unit=ns
		[[ $clock == icount ]] && unit=instructions
		jq -r --arg u "$unit" 'select(.name == "events" and .flood_cpu_ns) | "events, CPU per event in \($u): the kernel \(((.flood_cpu_ns - .unwatched_cpu_ns) / (.accesses - 1)) | floor) (the flood with a listener minus without), watch \((.watch_cpu_ns / .received) | floor) per event received, \(if .watch_user_ticks then "\((100 * .watch_user_ticks / ([.watch_user_ticks + .watch_system_ticks, 1] | max)) | floor)% of it in userspace (sampled), \(.watch_sleeps) sleeps" else "" end)"' "$f"
		jq -r 'select(.name == "lookup") | "lookup (userspace, same C): \(.ranges) ranges: \(.ns_per_decision) ns per decision"' "$f"
	done
	# Per device by construction: the structures' sizes in the module's
	# debug info (pahole); the device structure replaces vfio-pci's.
	if command -v pahole > /dev/null; then
		ko=$build/kmod/$kver/module/cfgguard-vfio-pci.ko
		sizes=$(for t in cfgguard_pci_core_device vfio_pci_core_device cfgguard_guard cfgguard_counters; do
			printf '"%s":%s,' "$t" "$(pahole -C "$t" "$ko" | sed -n 's|.*/\* size: \([0-9]*\),.*|\1|p' | tail -n 1)"
		done)
		jq --arg k "$kver" "(.[\$k].construction) = {${sizes%,}}" "$results" > "$results.tmp"
		mv "$results.tmp" "$results"
		jq -r --arg k "$kver" '.[$k].construction | "memory by construction: device \(.cfgguard_pci_core_device) bytes (vfio-pci: \(.vfio_pci_core_device)), guard \(.cfgguard_guard) bytes (+4096 with write masks), counters \(.cfgguard_counters) bytes per CPU"' "$results"
	fi
	jq -r 'select(.name == "memory-table") | "memory: \(.bytes_per_table) bytes per table of \(.ranges) ranges"' "$host"
	jq -r 'select(.name == "memory-device") | "memory: \(.extra_bytes_vs_vfio_pci) bytes more per device than vfio-pci"' "$host"
done
echo
echo "All figures: $results"
